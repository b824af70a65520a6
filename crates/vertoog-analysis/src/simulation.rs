//! The simulation of hypothetical changes on an analysed map (docs/method.md §8, docs/interfaces.md §9: the
//! what-if of an action recomputes only T's metrics): the hot loop inside every `analyse`
//! (each action's expected gain).
//!
//! [`simulate`] applies the changes to an overlay on the prepared map and recomputes only T's
//! metrics: alignment and dominance of the changed actors and narratives, discourse cohesion
//! incrementally from the rows of the changed actors, the structural graph only when a tie
//! changed. It gives the same transition metrics as the full what-if ([`crate::whatif`]) on
//! the same changes (a test there checks it).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use vertoog_model::TieKind;

use crate::changes::{apply_changes, validate_with, Change, ChangeError};
use crate::context::Context;
use crate::discourse::{
    draw_pairs, in_order_sum, mean_of_pair_sum, mean_pair_w, DiscourseNetwork, PairTable,
};
use crate::graph::Csr;
use crate::metrics::{
    classify, narrative_support, set_metrics_from, set_metrics_on, Alignment, GraphFacts,
    MetricInputs, Metrics, SetStructure, COHESION_SAMPLE_PAIRS,
};
use crate::prepare::Prepared;
use crate::stakeholders::targets_met;

/// What T looks like after a simulated change.
#[derive(Clone, Debug, PartialEq)]
pub struct Simulated {
    pub metrics: Metrics,
    pub groups: Alignment,
    pub targets_met: Option<f64>,
}

/// What every simulation on one context reuses: Σ w over the pairs of T (exact network) and
/// the engagement target per actor.
pub struct SimBase {
    pair_sum: f64,
    targets: Vec<Option<i8>>,
    /// Approximate network and T with more pairs than the sample: the pairs of T that the
    /// estimate of its cohesion draws (local indices) and their w, in draw order; computed on
    /// the first simulation that keeps T's members (most do), then shared by all.
    t_sample: OnceLock<Sample>,
    /// The structural graph induced on T (node i = T's i-th member): a simulation that keeps
    /// T's members applies its tie changes to this small graph instead of the whole one.
    t_structural: Csr,
    /// T's members (the key of G_T's facts in the memo).
    t_members: Vec<u32>,
    /// The facts of G_T the metrics take (components, cuts, clustering), on first use.
    t_facts: OnceLock<Arc<GraphFacts>>,
    /// The facts of the structural graph induced on the other member sets simulated.
    facts: Arc<FactsMemo>,
}

/// The facts ([`GraphFacts`]) of the structural graph induced on member sets, by the sorted
/// member list: the actions and the best plan simulate many sets, several more than once,
/// and after an edit the next analysis simulates mostly the same sets again (the server takes
/// the memo over; [`crate::analyse::Carried`]). Each entry is a pure function of the
/// subgraph its member set induces, so a hit gives what computing gives. A memo made by
/// [`FactsMemo::over`] keeps the graph it is filled over, and the next analysis takes over
/// only the entries whose subgraph did not change (see there).
#[derive(Default)]
pub struct FactsMemo {
    /// The structural graph the entries were computed on (None: a memo of one analysis only).
    graph: Option<Csr>,
    sets: Mutex<HashMap<Vec<u32>, Arc<GraphFacts>>>,
}

impl std::fmt::Debug for FactsMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.sets.lock().map_or(0, |s| s.len());
        write!(f, "FactsMemo({n} sets)")
    }
}

impl FactsMemo {
    /// How many member sets it holds.
    pub fn len(&self) -> usize {
        self.sets.lock().map_or(0, |s| s.len())
    }

    /// Whether it holds no member set.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The memo for an analysis over `graph`: `carried` itself when it was filled over the
    /// same graph (bit for bit); else a new memo with those of its entries whose member set
    /// holds no pair of nodes whose tie appeared, disappeared or changed weight (the subgraph
    /// such a set induces is the same, rows being sorted by neighbour, so its facts are); else
    /// (no carried memo, or one over another number of nodes) an empty one.
    pub fn over(carried: Option<Arc<FactsMemo>>, graph: &Csr) -> Arc<FactsMemo> {
        let kept = match carried {
            Some(old) => match old.graph.as_ref().and_then(|g| g.changed_pairs(graph)) {
                Some(changed) if changed.is_empty() => return old,
                Some(changed) => old.entries_without(&changed),
                None => HashMap::new(),
            },
            None => HashMap::new(),
        };
        Arc::new(FactsMemo {
            graph: Some(graph.clone()),
            sets: Mutex::new(kept),
        })
    }

    /// The entries whose member set does not hold both nodes of any of `pairs`.
    fn entries_without(&self, pairs: &[(u32, u32)]) -> HashMap<Vec<u32>, Arc<GraphFacts>> {
        let sets = self.sets.lock().unwrap_or_else(|e| e.into_inner());
        let holds = |set: &[u32], v: u32| set.binary_search(&v).is_ok();
        sets.iter()
            .filter(|(set, _)| !pairs.iter().any(|&(a, b)| holds(set, a) && holds(set, b)))
            .map(|(set, facts)| (set.clone(), facts.clone()))
            .collect()
    }

    /// Entries beyond which the memo starts again empty (a few hundred sets of at most
    /// some thousand members).
    const LIMIT: usize = 512;

    fn get_or(&self, members: &[u32], compute: impl FnOnce() -> GraphFacts) -> Arc<GraphFacts> {
        let lock = || self.sets.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(f) = lock().get(members) {
            return f.clone();
        }
        let facts = Arc::new(compute());
        let mut sets = lock();
        if sets.len() >= Self::LIMIT {
            sets.clear();
        }
        sets.insert(members.to_vec(), facts.clone());
        facts
    }
}

/// Sampled pairs (local indices) and their w, in draw order.
type Sample = (Vec<(u32, u32)>, Vec<f64>);

impl SimBase {
    /// Σ_{a<b in T} w(a,b), summed in the order of `mean_pair_w` (so the mean is the same
    /// number), and the targets of the bundle's actors.
    pub fn new(ctx: &Context<'_>) -> Self {
        Self::with_memo(ctx, Arc::default())
    }

    /// [`SimBase::new`] with the facts of induced member sets of `memo`, which must hold
    /// only facts of `ctx.structural` (as [`FactsMemo::over`] it gives).
    pub fn with_memo(ctx: &Context<'_>, memo: Arc<FactsMemo>) -> Self {
        SimBase {
            pair_sum: pair_sum(&ctx.discourse, &ctx.groups.supporters),
            targets: crate::stakeholders::targets_by_index(ctx.bundle, &ctx.prep),
            t_sample: OnceLock::new(),
            t_structural: ctx.structural.induced(&ctx.groups.supporters),
            t_members: ctx.groups.supporters.clone(),
            t_facts: OnceLock::new(),
            facts: memo,
        }
    }

    /// The facts of the structural graph induced on `members` (sorted).
    fn facts_of(&self, ctx: &Context<'_>, members: &[u32]) -> Arc<GraphFacts> {
        self.facts
            .get_or(members, || GraphFacts::of(&ctx.structural.induced(members)))
    }

    /// T's metrics, the structure of G_T and whether cohesion was sampled: what
    /// [`Context::transition_metrics`] computes, from T's pair sum and G_T held here (the
    /// analysis makes the base first and so computes neither twice).
    pub(crate) fn transition_metrics(&self, ctx: &Context<'_>) -> (Metrics, SetStructure, bool) {
        let t = &ctx.groups.supporters;
        let (cohesion, sampled) = if ctx.discourse.exact {
            (mean_of_pair_sum(self.pair_sum, t.len()), false)
        } else {
            mean_pair_w(
                &ctx.prep,
                &ctx.discourse,
                t,
                COHESION_SAMPLE_PAIRS,
                ctx.settings.seed,
            )
        };
        let (metrics, structure) = set_metrics_from(
            &ctx.metric_inputs(),
            t,
            self.t_facts(),
            narrative_support(&ctx.dominance),
            cohesion,
        );
        (metrics, structure, sampled)
    }

    /// The facts of G_T (see `t_facts`).
    fn t_facts(&self) -> &GraphFacts {
        self.t_facts.get_or_init(|| {
            // G_T is the structural graph induced on T: its facts are the memo's for T.
            let t = &self.t_members;
            self.facts.get_or(t, || GraphFacts::of(&self.t_structural))
        })
    }

    /// The sampled pairs of T and their w (see `t_sample`).
    fn t_sample(&self, ctx: &Context<'_>) -> &Sample {
        self.t_sample.get_or_init(|| {
            let t = &ctx.groups.supporters;
            let table = PairTable::new(t.iter().map(|&a| &ctx.prep.positions[a as usize][..]));
            let draws = draw_pairs(t.len(), COHESION_SAMPLE_PAIRS, ctx.settings.seed);
            let ws = table.pair_ws(&draws);
            (draws, ws)
        })
    }
}

fn pair_sum(net: &DiscourseNetwork, members: &[u32]) -> f64 {
    if !net.exact {
        return 0.0;
    }
    crate::discourse::stored_pair_sum(net, members)
}

/// Positions with some actors' and narratives' lists replaced.
struct Overlay<'a> {
    prep: &'a Prepared,
    by_actor: BTreeMap<u32, Vec<(u32, i8)>>,
    by_narrative: BTreeMap<u32, Vec<(u32, i8)>>,
}

impl Overlay<'_> {
    fn positions(&self, a: u32) -> &[(u32, i8)] {
        self.by_actor
            .get(&a)
            .map_or(&self.prep.positions[a as usize][..], |v| &v[..])
    }
    fn on_narrative(&self, n: u32) -> &[(u32, i8)] {
        self.by_narrative
            .get(&n)
            .map_or(&self.prep.by_narrative[n as usize][..], |v| &v[..])
    }
    fn set(&mut self, a: u32, n: u32, p: i8) {
        let prep = self.prep;
        let list = self
            .by_actor
            .entry(a)
            .or_insert_with(|| prep.positions[a as usize].clone());
        match list.binary_search_by_key(&n, |x| x.0) {
            Ok(i) => list[i].1 = p,
            Err(i) => list.insert(i, (n, p)),
        }
        let list = self
            .by_narrative
            .entry(n)
            .or_insert_with(|| prep.by_narrative[n as usize].clone());
        match list.binary_search_by_key(&a, |x| x.0) {
            Ok(i) => list[i].1 = p,
            Err(i) => list.insert(i, (a, p)),
        }
    }

    /// align(a) exactly as `metrics::alignment` computes it.
    fn align(&self, a: u32) -> Option<f64> {
        let core: Vec<f64> = self
            .positions(a)
            .iter()
            .filter(|(n, _)| self.prep.narratives[*n as usize].core)
            .map(|&(_, p)| f64::from(p) / 2.0)
            .collect();
        (!core.is_empty()).then(|| core.iter().sum::<f64>() / core.len() as f64)
    }

    /// dominance(n) exactly as `metrics::dominance` computes it.
    fn dominance(&self, n: u32) -> Option<f64> {
        let (mut sup, mut opp) = (0.0, 0.0);
        for &(a, p) in self.on_narrative(n) {
            let infl = self.prep.actors[a as usize].influence;
            if p > 0 {
                sup += infl * f64::from(p) / 2.0;
            } else if p < 0 {
                opp += infl * f64::from(-p) / 2.0;
            }
        }
        let total = sup + opp;
        (total > 0.0).then(|| (sup - opp) / total)
    }

    /// w(a, b) as `discourse::pair_w`, on the overlaid positions.
    fn w(&self, a: u32, b: u32) -> f64 {
        if a == b {
            return 0.0;
        }
        crate::discourse::lists_w(self.positions(a), self.positions(b))
    }

    /// `(b, w(x, b))` for every b sharing a narrative with x and accepted by `keep`.
    fn row(&self, x: u32, keep: impl Fn(u32) -> bool) -> Vec<(u32, f64)> {
        let mut acc: HashMap<u32, (i32, usize)> = HashMap::new();
        for &(n, px) in self.positions(x) {
            for &(b, pb) in self.on_narrative(n) {
                if b != x && keep(b) {
                    let e = acc.entry(b).or_insert((0, 0));
                    e.0 += i32::from(px) * i32::from(pb);
                    e.1 += 1;
                }
            }
        }
        let nx = self.positions(x).len();
        let mut out: Vec<(u32, f64)> = acc
            .into_iter()
            .filter(|(_, (s, _))| *s != 0)
            .map(|(b, (s, shared))| {
                let union = nx + self.positions(b).len() - shared;
                (b, f64::from(s) / 4.0 / union as f64)
            })
            .collect();
        out.sort_unstable_by_key(|e| e.0);
        out
    }
}

/// T's metrics after `changes`, recomputing only what they can affect (docs/method.md §8;
/// docs/interfaces.md §9: the what-if of an action recomputes only T's metrics). Gives the same
/// transition metrics as [`whatif`] on the same changes. Changes that add actors fall back
/// to a full context of the changed bundle (no action proposes them).
pub fn simulate(
    ctx: &Context<'_>,
    base: &SimBase,
    changes: &[Change],
) -> Result<Simulated, ChangeError> {
    validate_with(
        ctx.bundle,
        |a| ctx.prep.actor_index(a).is_some(),
        |n| ctx.prep.narrative_index(n).is_some(),
        changes,
    )?;
    if changes.iter().any(|c| matches!(c, Change::AddActor { .. })) {
        let changed = apply_changes(ctx.bundle, ctx.window, changes)?;
        let cx = Context::new(&changed, ctx.settings, ctx.window);
        let (metrics, _, _) = cx.transition_metrics();
        let targets = crate::stakeholders::targets_by_index(&changed, &cx.prep);
        return Ok(Simulated {
            targets_met: targets_met(&targets, &cx.alignment),
            metrics,
            groups: cx.groups.clone(),
        });
    }
    let prep = &ctx.prep;
    let mut overlay = Overlay {
        prep,
        by_actor: BTreeMap::new(),
        by_narrative: BTreeMap::new(),
    };
    // Tie changes (lower index, higher index, new weight or removal), in order.
    let mut tie_changes: Vec<(u32, u32, Option<f64>)> = Vec::new();
    let idx = |id: &str| prep.actor_index(id);
    for c in changes {
        match c {
            Change::AddTie {
                source,
                target,
                kind,
                weight,
            } => {
                if *kind == TieKind::Conflict {
                    continue;
                }
                let (Some(a), Some(b)) = (idx(source), idx(target)) else {
                    continue;
                };
                tie_changes.push((a.min(b), a.max(b), Some(*weight)));
            }
            Change::RemoveTie { source, target } => {
                let (Some(a), Some(b)) = (idx(source), idx(target)) else {
                    continue;
                };
                tie_changes.push((a.min(b), a.max(b), None));
            }
            Change::SetStance {
                actor,
                narrative,
                position,
            } => {
                let (Some(a), Some(n)) = (idx(actor), prep.narrative_index(narrative)) else {
                    continue;
                };
                overlay.set(a, n, *position as i8);
            }
            Change::AddActor { .. } => {}
        }
    }
    let changed: BTreeSet<u32> = overlay.by_actor.keys().copied().collect();
    let mut align = ctx.alignment.clone();
    for &a in &changed {
        align[a as usize] = overlay.align(a);
    }
    let groups = classify(&align, ctx.settings.threshold);
    let mut dom = ctx.dominance.clone();
    for &n in overlay.by_narrative.keys() {
        if let Some(slot) = dom.get_mut(&n) {
            *slot = overlay.dominance(n);
        }
    }
    let new_t = &groups.supporters;
    let cohesion = cohesion_after(ctx, base, &overlay, &changed, new_t);
    // The structural graph induced on the new T. When T keeps its members, the tie changes
    // are applied to G_T itself: an edge with an end outside T is not in it, and one inside
    // maps to the same local indices in the same order, so the graph (and every metric on it)
    // is the one the whole graph with the changes, induced on T, gives.
    let inputs = MetricInputs {
        prep,
        structural: &ctx.structural,
        discourse: &ctx.discourse,
        settings: ctx.settings,
    };
    let support = narrative_support(&dom);
    let (metrics, _) = if *new_t == ctx.groups.supporters {
        let local = |a: u32| new_t.binary_search(&a).ok().map(|i| i as u32);
        let inside: Vec<(u32, u32, Option<f64>)> = tie_changes
            .iter()
            .filter_map(|&(a, b, w)| Some((local(a)?, local(b)?, w)))
            .collect();
        if inside.is_empty() {
            // G_T as it is: its facts are T's own, computed once per base.
            set_metrics_from(&inputs, new_t, base.t_facts(), support, cohesion)
        } else {
            let sub = base.t_structural.with_changed_edges(&inside);
            set_metrics_on(&inputs, new_t, &sub, support, cohesion)
        }
    } else if tie_changes.is_empty() {
        let facts = base.facts_of(ctx, new_t);
        set_metrics_from(&inputs, new_t, &facts, support, cohesion)
    } else {
        let sub = ctx
            .structural
            .with_changed_edges(&tie_changes)
            .induced(new_t);
        set_metrics_on(&inputs, new_t, &sub, support, cohesion)
    };
    Ok(Simulated {
        targets_met: targets_met(&base.targets, &align),
        metrics,
        groups,
    })
}

/// discourse_cohesion of the new T. With the exact network: Σ w over pairs of T, minus the
/// old w of pairs touching a changed actor X, plus the new w of pairs of the new T touching X
/// (T and the new T differ only in changed actors, whose alignment alone can change), over
/// C(|T'|, 2). With the approximate network, `mean_pair_w` on the overlaid positions.
fn cohesion_after(
    ctx: &Context<'_>,
    base: &SimBase,
    overlay: &Overlay<'_>,
    changed: &BTreeSet<u32>,
    new_t: &[u32],
) -> Option<f64> {
    let m = new_t.len();
    if m < 2 {
        return None;
    }
    let old_t = &ctx.groups.supporters;
    let net = &ctx.discourse;
    let pairs = (m * (m - 1) / 2) as f64;
    if !net.exact {
        let total_pairs = (m as u64) * (m as u64 - 1) / 2;
        let same_t = new_t == &old_t[..];
        if total_pairs > COHESION_SAMPLE_PAIRS && same_t {
            // The same members draw the same pairs as T's estimate: take T's w over, except
            // for the pairs with a changed actor (none when only ties changed; then this is
            // `mean_pair_w` of T).
            let (draws, ws) = base.t_sample(ctx);
            if changed.is_empty() {
                return Some(in_order_sum(ws) / COHESION_SAMPLE_PAIRS as f64);
            }
            let mut moved = vec![false; m];
            for (i, a) in new_t.iter().enumerate() {
                moved[i] = changed.contains(a);
            }
            let mut total = 0.0;
            for (&(i, j), &w) in draws.iter().zip(ws) {
                let (i, j) = (i as usize, j as usize);
                total += if moved[i] || moved[j] {
                    overlay.w(new_t[i], new_t[j])
                } else {
                    w
                };
            }
            return Some(total / COHESION_SAMPLE_PAIRS as f64);
        }
        if changed.is_empty() {
            return mean_pair_w(
                &ctx.prep,
                net,
                new_t,
                COHESION_SAMPLE_PAIRS,
                ctx.settings.seed,
            )
            .0;
        }
        // Exact by pair merging on the overlaid positions (sampled above the limit, as
        // mean_pair_w does), from flat copies of the members' lists.
        let table = PairTable::new(new_t.iter().map(|&a| overlay.positions(a)));
        if total_pairs <= COHESION_SAMPLE_PAIRS {
            return Some(table.all_pairs_sum() / pairs);
        }
        let draws = draw_pairs(m, COHESION_SAMPLE_PAIRS, ctx.settings.seed);
        let total = in_order_sum(&table.pair_ws(&draws));
        return Some(total / COHESION_SAMPLE_PAIRS as f64);
    }
    if changed.is_empty() {
        return Some(base.pair_sum / pairs);
    }
    let n = ctx.prep.n_actors();
    let mut in_old = vec![false; n];
    for &a in old_t {
        in_old[a as usize] = true;
    }
    let mut in_new = vec![false; n];
    for &a in new_t {
        in_new[a as usize] = true;
    }
    let xs_old: Vec<u32> = changed
        .iter()
        .copied()
        .filter(|&x| in_old[x as usize])
        .collect();
    let xs_new: Vec<u32> = changed
        .iter()
        .copied()
        .filter(|&x| in_new[x as usize])
        .collect();
    let mut sum = base.pair_sum;
    for &x in &xs_old {
        for (b, w) in net.graph.row(x as usize) {
            if in_old[b as usize] {
                sum -= w;
            }
        }
    }
    for (i, &x) in xs_old.iter().enumerate() {
        for &y in &xs_old[i + 1..] {
            sum += net.graph.weight(x as usize, y).unwrap_or(0.0);
        }
    }
    for &x in &xs_new {
        for (_, w) in overlay.row(x, |b| in_new[b as usize] && !changed.contains(&b)) {
            sum += w;
        }
    }
    for (i, &x) in xs_new.iter().enumerate() {
        for &y in &xs_new[i + 1..] {
            sum += overlay.w(x, y);
        }
    }
    Some(sum / pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(n: usize, extra: &[(u32, u32)]) -> Csr {
        let edges = (0..n as u32 - 1).map(|v| (v, v + 1, 1.0));
        Csr::from_edges(
            n,
            edges.chain(extra.iter().map(|&(u, v)| (u, v, 1.0))),
            f64::max,
        )
    }

    fn filled(g: &Csr, sets: &[&[u32]]) -> Arc<FactsMemo> {
        let memo = FactsMemo::over(None, g);
        for set in sets {
            memo.get_or(set, || GraphFacts::of(&g.induced(set)));
        }
        memo
    }

    #[test]
    fn a_memo_keeps_the_sets_whose_subgraph_an_edit_left_alone() {
        let g = path(6, &[]);
        let sets: [&[u32]; 4] = [&[0, 1, 2], &[2, 3], &[0, 3, 4], &[4, 5]];
        let memo = filled(&g, &sets);
        assert_eq!(memo.len(), 4);
        // The same graph: the same memo.
        assert!(Arc::ptr_eq(&FactsMemo::over(Some(memo.clone()), &g), &memo));
        // A tie between 0 and 3: only {0, 3, 4} holds both ends.
        let h = path(6, &[(0, 3)]);
        let kept = FactsMemo::over(Some(memo.clone()), &h);
        let mut keys: Vec<Vec<u32>> = kept.sets.lock().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, vec![vec![0, 1, 2], vec![2, 3], vec![4, 5]]);
        // What is kept is what computing on the new graph gives.
        for key in &keys {
            let fresh = GraphFacts::of(&h.induced(key));
            let taken = kept.get_or(key, || unreachable!("{key:?} is kept"));
            assert_eq!(format!("{:?}", *taken), format!("{fresh:?}"));
        }
        // The old memo is left as it was (an analysis of the old graph may still use it).
        assert_eq!(memo.len(), 4);
        // Another number of nodes, or a memo that knows no graph: nothing is kept.
        assert!(FactsMemo::over(Some(memo.clone()), &path(7, &[])).is_empty());
        assert!(FactsMemo::over(Some(Arc::default()), &g).is_empty());
    }
}
