//! What-if (analysis.md 9, interfaces.md "What-if changes"): hypothetical changes applied to a
//! copy of the map, the whole analysis after them, and the difference to now. Nothing is
//! stored.
//!
//! Two paths share one meaning of every change:
//! - [`whatif`] applies the changes to a copy of the bundle ([`apply_changes`]) and analyses it
//!   completely;
//! - the expected gain of an action (analysis.md 8) applies the same changes to an overlay on
//!   the prepared map and recomputes only T's metrics ([`simulate`]): alignment and dominance
//!   of the changed actors and narratives, discourse cohesion incrementally from the rows of the
//!   changed actors, the structural graph only when a tie changed. A test checks that both
//!   give the same strength.
//!
//! Meaning of the changes:
//! - `add_tie`: a new undated tie (active in every window), directed by its kind's default;
//! - `remove_tie`: removes every tie between the two actors, of every kind and direction;
//! - `set_stance`: p(actor, narrative) becomes `position` in the window: the actor's stances on
//!   the narrative inside the window are replaced by one stance dated like the latest of them
//!   (undated when none was dated);
//! - `add_actor`: a new actor without stances or ties (domain default `other`, influence
//!   default 0.5).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use vertoog_model::{
    validate_actor, validate_tie, Actor, Bundle, Date, Settings, Stance, Tie, TieKind,
};

use crate::analysis::{analyse_lang, Analysis, Context};
use crate::discourse::{mean_pair_w, DiscourseNetwork};
use crate::graph::Csr;
use crate::i18n::Lang;
use crate::metrics::{
    classify, narrative_support, set_metrics_with_cohesion, Alignment, MetricInputs, Metrics,
    COHESION_SAMPLE_PAIRS,
};
use crate::prepare::{Prepared, Window};
use crate::stakeholders::targets_met;

fn half() -> f64 {
    0.5
}
fn other_domain() -> String {
    "other".to_string()
}

/// One hypothetical change (interfaces.md): `{"op": "add_tie", ...}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// A new tie (kind default `collaboration`, weight default 0.5).
    AddTie {
        source: String,
        target: String,
        #[serde(default)]
        kind: TieKind,
        #[serde(default = "half")]
        weight: f64,
    },
    /// Removes every tie between the two actors.
    RemoveTie { source: String, target: String },
    /// p(actor, narrative) becomes `position` (-2..2).
    SetStance {
        actor: String,
        narrative: String,
        position: i64,
    },
    /// A new actor without stances or ties.
    AddActor {
        id: String,
        name: String,
        #[serde(default = "other_domain")]
        domain: String,
        #[serde(default = "half")]
        influence: f64,
    },
}

impl Change {
    /// The `op` name of interfaces.md.
    pub fn op(&self) -> &'static str {
        match self {
            Change::AddTie { .. } => "add_tie",
            Change::RemoveTie { .. } => "remove_tie",
            Change::SetStance { .. } => "set_stance",
            Change::AddActor { .. } => "add_actor",
        }
    }
}

/// The CLI file and the API body: `{"changes": [...]}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Changes {
    pub changes: Vec<Change>,
}

/// A change that cannot be applied: which one (0-based index in the list), its op, the field
/// and why. Displays as `changes[2].position (set_stance): 5 is outside -2..2`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("changes[{index}].{field} ({op}): {message}")]
pub struct ChangeError {
    pub index: usize,
    pub op: String,
    pub field: String,
    pub message: String,
}

fn err(index: usize, change: &Change, field: &str, message: impl Into<String>) -> ChangeError {
    ChangeError {
        index,
        op: change.op().to_string(),
        field: field.to_string(),
        message: message.into(),
    }
}

/// `{"after": ANALYSIS, "difference": {...}}` (interfaces.md).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WhatIf {
    pub after: Analysis,
    pub difference: Difference,
}

/// The difference after − now of T: its strength and each strength component (null when
/// undefined on either side), the share of engagement targets met, and who joined or left
/// the supporters and opponents (ids, sorted).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    pub strength: Option<f64>,
    pub supporters_added: Vec<String>,
    pub supporters_removed: Vec<String>,
    pub opponents_added: Vec<String>,
    pub opponents_removed: Vec<String>,
    pub influence_share: Option<f64>,
    pub breadth: Option<f64>,
    pub discourse_cohesion: Option<f64>,
    pub connectedness: Option<f64>,
    pub narrative_support: Option<f64>,
    pub targets_met: Option<f64>,
}

fn delta(after: Option<f64>, before: Option<f64>) -> Option<f64> {
    Some(after? - before?)
}

fn added(after: &[String], before: &[String]) -> Vec<String> {
    let b: HashSet<&str> = before.iter().map(String::as_str).collect();
    let mut out: Vec<String> = after
        .iter()
        .filter(|x| !b.contains(x.as_str()))
        .cloned()
        .collect();
    out.sort();
    out
}

impl Difference {
    /// after − before of the transition coalition of two analyses.
    pub fn between(before: &Analysis, after: &Analysis) -> Difference {
        let (b, a) = (&before.transition, &after.transition);
        let (bm, am) = (&b.metrics, &a.metrics);
        Difference {
            strength: delta(am.strength, bm.strength),
            supporters_added: added(&a.supporters, &b.supporters),
            supporters_removed: added(&b.supporters, &a.supporters),
            opponents_added: added(&a.opponents, &b.opponents),
            opponents_removed: added(&b.opponents, &a.opponents),
            influence_share: delta(am.influence_share, bm.influence_share),
            breadth: delta(am.breadth, bm.breadth),
            discourse_cohesion: delta(am.discourse_cohesion, bm.discourse_cohesion),
            connectedness: delta(am.connectedness, bm.connectedness),
            narrative_support: delta(am.narrative_support, bm.narrative_support),
            targets_met: delta(a.targets_met, b.targets_met),
        }
    }
}

/// Checks the changes in order against the bundle (and the actors and ties earlier changes
/// add or remove): unknown ids, a position outside -2..2, a self-tie, a weight outside (0, 1],
/// a duplicate or invalid new actor, removing a tie that does not exist.
pub fn validate_changes(bundle: &Bundle, changes: &[Change]) -> Result<(), ChangeError> {
    let actors: HashSet<&str> = bundle.actors.iter().map(|a| a.id.as_str()).collect();
    let narratives: HashSet<&str> = bundle.narratives.iter().map(|n| n.id.as_str()).collect();
    validate_with(
        bundle,
        |a| actors.contains(a),
        |n| narratives.contains(n),
        changes,
    )
}

/// [`validate_changes`] with the id look-ups given (the fast path uses the prepared indices).
fn validate_with<'c>(
    bundle: &Bundle,
    known_actor: impl Fn(&str) -> bool,
    known_narrative: impl Fn(&str) -> bool,
    changes: &'c [Change],
) -> Result<(), ChangeError> {
    let mut added: HashSet<&'c str> = HashSet::new();
    let has_actor = |id: &str, added: &HashSet<&str>| known_actor(id) || added.contains(id);
    // Pairs whose presence an earlier change decided (true = a tie exists).
    let mut pair_state: HashMap<(String, String), bool> = HashMap::new();
    let key = |a: &str, b: &str| {
        if a <= b {
            (a.to_string(), b.to_string())
        } else {
            (b.to_string(), a.to_string())
        }
    };
    for (i, c) in changes.iter().enumerate() {
        match c {
            Change::AddTie {
                source,
                target,
                kind,
                weight,
            } => {
                for (field, id) in [("source", source), ("target", target)] {
                    if !has_actor(id, &added) {
                        return Err(err(i, c, field, format!("unknown actor `{id}`")));
                    }
                }
                let t = Tie::new("", source.clone(), target.clone(), *kind).with_weight(*weight);
                if let Some(e) = validate_tie(&t).into_iter().next() {
                    return Err(err(i, c, &e.field, e.message));
                }
                pair_state.insert(key(source, target), true);
            }
            Change::RemoveTie { source, target } => {
                for (field, id) in [("source", source), ("target", target)] {
                    if !has_actor(id, &added) {
                        return Err(err(i, c, field, format!("unknown actor `{id}`")));
                    }
                }
                let k = key(source, target);
                let exists = *pair_state.entry(k.clone()).or_insert_with(|| {
                    bundle.ties.iter().any(|t| {
                        (t.source == k.0 && t.target == k.1) || (t.source == k.1 && t.target == k.0)
                    })
                });
                if !exists {
                    return Err(err(
                        i,
                        c,
                        "target",
                        format!("there is no tie between `{source}` and `{target}`"),
                    ));
                }
                pair_state.insert(k, false);
            }
            Change::SetStance {
                actor,
                narrative,
                position,
            } => {
                if !has_actor(actor, &added) {
                    return Err(err(i, c, "actor", format!("unknown actor `{actor}`")));
                }
                if !known_narrative(narrative) {
                    return Err(err(
                        i,
                        c,
                        "narrative",
                        format!("unknown narrative `{narrative}`"),
                    ));
                }
                if !(-2..=2).contains(position) {
                    return Err(err(
                        i,
                        c,
                        "position",
                        format!("{position} is outside -2..2"),
                    ));
                }
            }
            Change::AddActor {
                id,
                name,
                domain,
                influence,
            } => {
                let a = Actor::new(id.clone(), name.clone())
                    .with_domain(domain)
                    .with_influence(*influence);
                if let Some(e) = validate_actor(&a, &bundle.map).into_iter().next() {
                    return Err(err(i, c, &e.field, e.message));
                }
                if has_actor(id, &added) || !added.insert(id.as_str()) {
                    return Err(err(i, c, "id", format!("actor `{id}` exists already")));
                }
            }
        }
    }
    Ok(())
}

/// A copy of `bundle` with the changes applied in order (module doc), after
/// [`validate_changes`]. New stances and ties get ids `whatif-s1`, `whatif-t1`, ... (made
/// unique against the bundle's ids).
pub fn apply_changes(
    bundle: &Bundle,
    window: Window,
    changes: &[Change],
) -> Result<Bundle, ChangeError> {
    validate_changes(bundle, changes)?;
    let mut out = bundle.clone();
    let stance_ids: HashSet<String> = out.stances.iter().map(|s| s.id.clone()).collect();
    let tie_ids: HashSet<String> = out.ties.iter().map(|t| t.id.clone()).collect();
    let fresh = |prefix: &str, used: &HashSet<String>, n: &mut usize| loop {
        *n += 1;
        let id = format!("whatif-{prefix}{n}");
        if !used.contains(&id) {
            return id;
        }
    };
    let (mut ns, mut nt) = (0usize, 0usize);
    for c in changes {
        match c {
            Change::AddTie {
                source,
                target,
                kind,
                weight,
            } => {
                let id = fresh("t", &tie_ids, &mut nt);
                out.ties
                    .push(Tie::new(id, source.clone(), target.clone(), *kind).with_weight(*weight));
            }
            Change::RemoveTie { source, target } => {
                out.ties.retain(|t| {
                    !((&t.source == source && &t.target == target)
                        || (&t.source == target && &t.target == source))
                });
            }
            Change::SetStance {
                actor,
                narrative,
                position,
            } => {
                let mut latest: Option<Date> = None;
                out.stances.retain(|s| {
                    let replaced =
                        &s.actor == actor && &s.narrative == narrative && window.contains(s.date);
                    if replaced {
                        latest = latest.max(s.date);
                    }
                    !replaced
                });
                let id = fresh("s", &stance_ids, &mut ns);
                let mut s = Stance::new(id, actor.clone(), narrative.clone(), *position as i8);
                s.date = latest;
                out.stances.push(s);
            }
            Change::AddActor {
                id,
                name,
                domain,
                influence,
            } => {
                out.actors.push(
                    Actor::new(id.clone(), name.clone())
                        .with_domain(domain)
                        .with_influence(*influence),
                );
            }
        }
    }
    Ok(out)
}

/// The analysis after `changes` and its difference to now (analysis.md 9), in English.
pub fn whatif(
    bundle: &Bundle,
    settings: &Settings,
    window: Window,
    changes: &[Change],
) -> Result<WhatIf, ChangeError> {
    whatif_lang(bundle, settings, window, changes, Lang::En)
}

/// [`whatif`] with gap messages and rationales in `lang`.
pub fn whatif_lang(
    bundle: &Bundle,
    settings: &Settings,
    window: Window,
    changes: &[Change],
    lang: Lang,
) -> Result<WhatIf, ChangeError> {
    let changed = apply_changes(bundle, window, changes)?;
    let before = analyse_lang(bundle, settings, window, lang);
    let after = analyse_lang(&changed, settings, window, lang);
    let difference = Difference::between(&before, &after);
    Ok(WhatIf { after, difference })
}

/// [`whatif_lang`] with the analysis of now already at hand (e.g. cached by the server).
pub fn whatif_from(
    before: &Analysis,
    bundle: &Bundle,
    settings: &Settings,
    window: Window,
    changes: &[Change],
    lang: Lang,
) -> Result<WhatIf, ChangeError> {
    let changed = apply_changes(bundle, window, changes)?;
    let after = analyse_lang(&changed, settings, window, lang);
    let difference = Difference::between(before, &after);
    Ok(WhatIf { after, difference })
}

// ---------------------------------------------------------------------------------------
// The fast path: T's metrics after a change, without rebuilding the map.

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
}

impl SimBase {
    /// Σ_{a<b in T} w(a,b), summed in the order of `mean_pair_w` (so the mean is the same
    /// number), and the targets of the bundle's actors.
    pub fn new(ctx: &Context<'_>) -> Self {
        SimBase {
            pair_sum: pair_sum(&ctx.discourse, &ctx.groups.supporters),
            targets: crate::stakeholders::targets_by_index(ctx.bundle, &ctx.prep),
        }
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

/// The structural graph with one edge added (weight merged by maximum) or removed.
fn with_edge(g: &Csr, u: u32, v: u32, w: Option<f64>) -> Csr {
    Csr::from_sorted_rows(g.n(), |x, buf| {
        let other = if x as u32 == u {
            Some(v)
        } else if x as u32 == v {
            Some(u)
        } else {
            None
        };
        let mut placed = false;
        for (y, wy) in g.row(x) {
            if Some(y) == other {
                placed = true;
                if let Some(w) = w {
                    buf.push((y, wy.max(w)));
                }
                continue;
            }
            if let (Some(o), Some(w), false) = (other, w, placed) {
                if o < y {
                    buf.push((o, w));
                    placed = true;
                }
            }
            buf.push((y, wy));
        }
        if let (Some(o), Some(w), false) = (other, w, placed) {
            buf.push((o, w));
        }
    })
}

/// T's metrics after `changes`, recomputing only what they can affect (analysis.md 8;
/// quality.md: the what-if of an action recomputes only T's metrics). Gives the same
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
    let mut structural: Option<Csr> = None;
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
                let g = structural.as_ref().unwrap_or(&ctx.structural);
                structural = Some(with_edge(g, a.min(b), a.max(b), Some(*weight)));
            }
            Change::RemoveTie { source, target } => {
                let (Some(a), Some(b)) = (idx(source), idx(target)) else {
                    continue;
                };
                let g = structural.as_ref().unwrap_or(&ctx.structural);
                structural = Some(with_edge(g, a.min(b), a.max(b), None));
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
    let structural = structural.as_ref().unwrap_or(&ctx.structural);
    let inputs = MetricInputs {
        prep,
        structural,
        discourse: &ctx.discourse,
        settings: ctx.settings,
    };
    let (metrics, _) = set_metrics_with_cohesion(&inputs, new_t, narrative_support(&dom), cohesion);
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
        // mean_pair_w does).
        let total_pairs = (m as u64) * (m as u64 - 1) / 2;
        if total_pairs <= COHESION_SAMPLE_PAIRS {
            let mut total = 0.0;
            for (i, &a) in new_t.iter().enumerate() {
                for &b in &new_t[i + 1..] {
                    total += overlay.w(a, b);
                }
            }
            return Some(total / pairs);
        }
        let mut rng = crate::prng::SplitMix64::new(ctx.settings.seed);
        let mu = m as u64;
        let mut total = 0.0;
        for _ in 0..COHESION_SAMPLE_PAIRS {
            let i = rng.below(mu) as usize;
            let mut j = rng.below(mu - 1) as usize;
            if j >= i {
                j += 1;
            }
            total += overlay.w(new_t[i], new_t[j]);
        }
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
    use crate::analyse;
    use vertoog_model::{Map, Narrative};

    fn bundle() -> Bundle {
        let mut b = Bundle::new(Map::new("m"));
        b.actors = vec![
            Actor::new("a", "A").with_domain("ministry"),
            Actor::new("b", "B").with_domain("vng"),
            Actor::new("c", "C").with_domain("science"),
        ];
        b.narratives = vec![Narrative::new("k", "K", true)];
        b.stances = vec![
            Stance::new("s1", "a", "k", 2),
            Stance::new("s2", "b", "k", 1),
            Stance::new("s3", "c", "k", -1).dated("2024-01-01".parse().unwrap()),
        ];
        b.ties = vec![Tie::new("t1", "a", "b", TieKind::Collaboration)];
        b
    }

    #[test]
    fn changes_parse_from_the_interface_shape() {
        let text = r#"{"changes": [
            {"op": "add_tie", "source": "a", "target": "c", "kind": "collaboration", "weight": 0.5},
            {"op": "remove_tie", "source": "a", "target": "b"},
            {"op": "set_stance", "actor": "c", "narrative": "k", "position": 1},
            {"op": "add_actor", "id": "d", "name": "D", "domain": "science", "influence": 0.5}]}"#;
        let c: Changes = serde_json::from_str(text).unwrap();
        assert_eq!(c.changes.len(), 4);
        assert_eq!(c.changes[2].op(), "set_stance");
        assert!(serde_json::from_str::<Changes>(r#"{"changes":[{"op":"fly"}]}"#).is_err());
    }

    #[test]
    fn bad_changes_name_index_and_field() {
        let b = bundle();
        let cases = [
            (
                Change::SetStance {
                    actor: "a".into(),
                    narrative: "k".into(),
                    position: 3,
                },
                "position",
            ),
            (
                Change::SetStance {
                    actor: "zz".into(),
                    narrative: "k".into(),
                    position: 1,
                },
                "actor",
            ),
            (
                Change::SetStance {
                    actor: "a".into(),
                    narrative: "zz".into(),
                    position: 1,
                },
                "narrative",
            ),
            (
                Change::AddTie {
                    source: "a".into(),
                    target: "a".into(),
                    kind: TieKind::Collaboration,
                    weight: 0.5,
                },
                "target",
            ),
            (
                Change::AddTie {
                    source: "a".into(),
                    target: "c".into(),
                    kind: TieKind::Collaboration,
                    weight: 1.5,
                },
                "weight",
            ),
            (
                Change::RemoveTie {
                    source: "a".into(),
                    target: "c".into(),
                },
                "target",
            ),
            (
                Change::AddActor {
                    id: "a".into(),
                    name: "Again".into(),
                    domain: "other".into(),
                    influence: 0.5,
                },
                "id",
            ),
            (
                Change::AddActor {
                    id: "d".into(),
                    name: "D".into(),
                    domain: "mars".into(),
                    influence: 0.5,
                },
                "domain",
            ),
        ];
        for (c, field) in cases {
            let ok = Change::AddTie {
                source: "b".into(),
                target: "c".into(),
                kind: TieKind::Communication,
                weight: 0.5,
            };
            let e = whatif(&b, &Settings::default(), Window::all(), &[ok, c.clone()]).unwrap_err();
            assert_eq!((e.index, e.field.as_str()), (1, field), "{c:?}: {e}");
            assert!(e.to_string().starts_with("changes[1]."), "{e}");
        }
        // A tie to an actor added earlier in the list is fine.
        let ok = [
            Change::AddActor {
                id: "d".into(),
                name: "D".into(),
                domain: "science".into(),
                influence: 0.9,
            },
            Change::AddTie {
                source: "a".into(),
                target: "d".into(),
                kind: TieKind::Collaboration,
                weight: 0.5,
            },
        ];
        assert!(whatif(&b, &Settings::default(), Window::all(), &ok).is_ok());
    }

    #[test]
    fn whatif_reports_the_difference_and_stores_nothing() {
        let b = bundle();
        let s = Settings::default();
        let before = analyse(&b, &s, Window::all());
        // c moves from -1 to +2: joins T, leaves the opponents; a tie a-c keeps T connected.
        let changes = [
            Change::SetStance {
                actor: "c".into(),
                narrative: "k".into(),
                position: 2,
            },
            Change::AddTie {
                source: "c".into(),
                target: "a".into(),
                kind: TieKind::Collaboration,
                weight: 0.5,
            },
        ];
        let w = whatif(&b, &s, Window::all(), &changes).unwrap();
        assert_eq!(w.difference.supporters_added, vec!["c".to_string()]);
        assert_eq!(w.difference.opponents_removed, vec!["c".to_string()]);
        assert!(w.difference.supporters_removed.is_empty());
        // breadth 2/4 -> 3/4.
        assert!((w.difference.breadth.unwrap() - 0.25).abs() < 1e-12);
        let gain = w.after.transition.metrics.strength.unwrap()
            - before.transition.metrics.strength.unwrap();
        assert!((w.difference.strength.unwrap() - gain).abs() < 1e-12);
        assert!(gain > 0.0);
        // The bundle is unchanged and the replaced stance keeps its date.
        assert_eq!(b, bundle());
        let changed = apply_changes(&b, Window::all(), &changes).unwrap();
        let s3: Vec<_> = changed.stances.iter().filter(|x| x.actor == "c").collect();
        assert_eq!(s3.len(), 1);
        assert_eq!(s3[0].position, 2);
        assert_eq!(s3[0].date, Some("2024-01-01".parse().unwrap()));
        // The fast path gives the same T.
        let ctx = Context::new(&b, &s, Window::all());
        let base = SimBase::new(&ctx);
        let sim = simulate(&ctx, &base, &changes).unwrap();
        assert_eq!(sim.metrics.size, 3);
        assert!(
            (sim.metrics.strength.unwrap() - w.after.transition.metrics.strength.unwrap()).abs()
                < 1e-9
        );
        assert_eq!(
            sim.metrics.discourse_cohesion,
            w.after.transition.metrics.discourse_cohesion
        );
    }

    #[test]
    fn with_edge_adds_merges_and_removes() {
        let g = Csr::from_edges(4, [(0, 1, 0.5), (1, 3, 0.2)], f64::max);
        let g2 = with_edge(&g, 1, 2, Some(0.7));
        assert_eq!(
            g2,
            Csr::from_edges(4, [(0, 1, 0.5), (1, 3, 0.2), (1, 2, 0.7)], f64::max)
        );
        let g3 = with_edge(&g2, 0, 1, Some(0.9));
        assert_eq!(g3.weight(0, 1), Some(0.9));
        let g4 = with_edge(&g3, 0, 1, None);
        assert_eq!(g4.weight(1, 0), None);
        assert_eq!(g4.n_edges(), 2);
        let g5 = with_edge(&g, 0, 3, Some(0.1));
        assert_eq!(g5.neighbours(0), &[1, 3]);
        assert_eq!(g5.neighbours(3), &[0, 1]);
    }
}
