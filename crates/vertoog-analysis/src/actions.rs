//! Activation actions (docs/method.md §8): what answers the gaps, who is best placed to
//! act, which lesson of the background note it applies, and how much it would strengthen the
//! transition coalition, simulated by applying the hypothetical change to a copy and
//! recomputing T's metrics ([`crate::simulation::simulate`], the same changes [`crate::whatif`]
//! applies; [`crate::whatif::action_changes`] gives them for an action id).
//!
//! Grouping: one `convene` per chosen pair (a bridge, a broker, a latent pair, an isolated
//! supporter, a separate component; a pair chosen for several gaps answers all of them), one
//! `recruit-domain` per domain, one `brief` or `counter` per actor (a swing actor's or
//! opponent's engagement gap joins it), one `mobilise` per narrative, one `maintain` per
//! dormant gap.
//!
//! Effort scale (1..3): 1 = one conversation among people already on the same side
//! (`convene`, `maintain`); 2 = persuading or mobilising a few actors through a messenger
//! (`brief`, `mobilise`); 3 = winning over a party that is outside the coalition or against it
//! (`recruit-domain`, `counter`).
//!
//! Order: actions with a simulated gain > 0 by priority = gain / effort (then lower effort,
//! higher severity, kind, targets); then actions without a simulated gain (`maintain`, a
//! domain without candidates) by severity (then the influence concerned); an action whose
//! simulated gain is <= 0 (within 1e-9) is left out; the first `settings.max_actions` are
//! returned. To bound the cost on large maps, at most [`SIMULATIONS_PER_KIND`] ·
//! `max_actions` candidates of each kind (the most severe and influential) are simulated.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::changes::Change;
use crate::context::Context;
use crate::gaps::{two_decimals, Evidence, Gap, GapType, TransitionGraph};
use crate::i18n::{domain_name, fill, text, Lang};
use crate::simulation::{simulate, SimBase};

/// At most this many times `settings.max_actions` candidates of one kind are simulated per
/// analysis (the most severe and influential first).
pub const SIMULATIONS_PER_KIND: usize = 2;

/// Gains at or below this are "no gain" (floating-point noise).
pub const GAIN_EPSILON: f64 = 1e-9;

/// The action kinds of docs/method.md §8, serialised in kebab-case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    Convene,
    RecruitDomain,
    Brief,
    Mobilise,
    Counter,
    Maintain,
    /// Keep a promise (engagement): answers `overdue-commitment`; not simulated.
    Honour,
}

impl ActionKind {
    /// Every kind, in declaration order.
    pub const ALL: [ActionKind; 7] = [
        ActionKind::Convene,
        ActionKind::RecruitDomain,
        ActionKind::Brief,
        ActionKind::Mobilise,
        ActionKind::Counter,
        ActionKind::Maintain,
        ActionKind::Honour,
    ];

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Convene => "convene",
            ActionKind::RecruitDomain => "recruit-domain",
            ActionKind::Brief => "brief",
            ActionKind::Mobilise => "mobilise",
            ActionKind::Counter => "counter",
            ActionKind::Maintain => "maintain",
            ActionKind::Honour => "honour",
        }
    }

    /// Effort on the documented 1..3 scale.
    pub fn effort(self) -> u8 {
        match self {
            ActionKind::Convene | ActionKind::Maintain | ActionKind::Honour => 1,
            ActionKind::Brief | ActionKind::Mobilise => 2,
            ActionKind::RecruitDomain | ActionKind::Counter => 3,
        }
    }
}

/// `{"id": "a1", "kind": KIND, "targets": [...], "messenger": ID|null, "narrative": ID|null,
/// "gaps": ["g1"], "rationale": TEXT, "lesson": TEXT, "effort": 1..3, "expected_gain": x|null,
/// "priority": x}` (docs/interfaces.md), plus `changes`: the simulated change (what-if ops).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub id: String,
    pub kind: ActionKind,
    /// Actor ids.
    pub targets: Vec<String>,
    pub messenger: Option<String>,
    pub narrative: Option<String>,
    /// Ids of the gaps it answers.
    pub gaps: Vec<String>,
    pub rationale: String,
    pub lesson: String,
    /// 1..3.
    pub effort: u8,
    /// strength(T after the simulated change) - strength(T now); null when nothing can be
    /// simulated.
    pub expected_gain: Option<f64>,
    /// expected_gain / effort; for actions without a gain, severity / effort.
    pub priority: f64,
    /// The hypothetical change that was simulated (beyond docs/interfaces.md; empty when none):
    /// POST it to what-if to see the whole analysis after it.
    #[serde(default)]
    pub changes: Vec<Change>,
}

struct Candidate {
    kind: ActionKind,
    targets: Vec<u32>,
    messenger: Option<u32>,
    narrative: Option<u32>,
    gaps: Vec<String>,
    severity: u8,
    influence: f64,
    changes: Vec<Change>,
    /// Catalogue key and arguments of the rationale (without the simulated numbers).
    key: &'static str,
    args: Vec<(&'static str, String)>,
}

impl Candidate {
    fn add_gap(&mut self, g: &Gap) {
        if !self.gaps.contains(&g.id) {
            self.gaps.push(g.id.clone());
        }
        self.severity = self.severity.max(g.severity);
        self.influence = self.influence.max(g.influence());
    }
}

/// One side of a cut in G_T: a DFS subtree, or the rest of a component above a node.
#[derive(Clone, Copy)]
enum Part {
    Subtree(u32),
    Above(u32),
}

impl Part {
    fn contains(self, tg: &TransitionGraph, x: u32) -> bool {
        match self {
            Part::Subtree(c) => tg.in_subtree(x, c),
            Part::Above(v) => tg.root[x as usize] == tg.root[v as usize] && !tg.in_subtree(x, v),
        }
    }
    fn members(self, tg: &TransitionGraph) -> Vec<u32> {
        match self {
            Part::Subtree(c) => {
                let d = tg.disc[c as usize] as usize;
                tg.order[d..d + tg.size[c as usize] as usize].to_vec()
            }
            Part::Above(v) => {
                let r = tg.root[v as usize];
                let d = tg.disc[r as usize] as usize;
                tg.order[d..d + tg.size[r as usize] as usize]
                    .iter()
                    .copied()
                    .filter(|&x| !tg.in_subtree(x, v))
                    .collect()
            }
        }
    }
    fn size(self, tg: &TransitionGraph) -> u32 {
        match self {
            Part::Subtree(c) => tg.size[c as usize],
            Part::Above(v) => tg.component_size(v) - tg.size[v as usize],
        }
    }
}

/// The pair (global indices, smaller first) across two parts of G_T with the highest w (then
/// the highest influence product, then ids), excluding `avoid`; with no positive w across,
/// the pair of highest influence product. `None` when no other pair exists.
/// The discourse rows of T's members within T and with w > 0: per local node, its
/// (local partner, w) in row order. A part's members are scanned against these instead of
/// their whole rows (on M a row holds thousands of partners, a few hundred of them in T).
fn positive_rows_in_t(ctx: &Context<'_>, tg: &TransitionGraph) -> Vec<Vec<(u32, f64)>> {
    use rayon::prelude::*;
    tg.members
        .par_iter()
        .map(|&a| {
            ctx.discourse
                .graph
                .row(a as usize)
                .filter(|&(b, w)| w > 0.0 && tg.local[b as usize] != u32::MAX)
                .map(|(b, w)| (tg.local[b as usize], w))
                .collect()
        })
        .collect()
}

fn best_pair(
    ctx: &Context<'_>,
    tg: &TransitionGraph,
    rows: &[Vec<(u32, f64)>],
    x: Part,
    y: Part,
    avoid: Option<(u32, u32)>,
) -> Option<(u32, u32)> {
    let infl = |a: u32| ctx.prep.actors[a as usize].influence;
    let (small, other) = if x.size(tg) <= y.size(tg) {
        (x, y)
    } else {
        (y, x)
    };
    let key = |a: u32, b: u32| (a.min(b), a.max(b));
    let ok = |a: u32, b: u32| Some(key(a, b)) != avoid;
    let better = |cand: (f64, f64, (u32, u32)), best: &Option<(f64, f64, (u32, u32))>| match best {
        None => true,
        Some(b) => cand
            .0
            .total_cmp(&b.0)
            .then(cand.1.total_cmp(&b.1))
            .then(b.2.cmp(&cand.2))
            .is_gt(),
    };
    // The largest candidate under a total order (w, influence product, then the smaller
    // pair): the same whichever way the members are split over threads. A part may hold
    // thousands of members, each with a row of thousands of partners.
    let best_of = |members: &[u32]| {
        let mut best: Option<(f64, f64, (u32, u32))> = None;
        for &l in members {
            let a = tg.members[l as usize];
            for &(lb, w) in &rows[l as usize] {
                let b = tg.members[lb as usize];
                if !other.contains(tg, lb) || !ok(a, b) {
                    continue;
                }
                let cand = (w, infl(a) * infl(b), key(a, b));
                if better(cand, &best) {
                    best = Some(cand);
                }
            }
        }
        best
    };
    let members = small.members(tg);
    let best = {
        use rayon::prelude::*;
        members
            .par_chunks(64)
            .filter_map(best_of)
            .reduce_with(|x, y| if better(y, &Some(x)) { y } else { x })
    };
    if let Some(b) = best {
        return Some(b.2);
    }
    let top = |p: Part| {
        let mut m: Vec<u32> = p
            .members(tg)
            .iter()
            .map(|&l| tg.members[l as usize])
            .collect();
        m.sort_by(|&a, &b| infl(b).total_cmp(&infl(a)).then(a.cmp(&b)));
        m.truncate(2);
        m
    };
    let (tx, ty) = (top(x), top(y));
    let mut fallback: Option<(f64, f64, (u32, u32))> = None;
    for &a in &tx {
        for &b in &ty {
            if a != b && ok(a, b) {
                let cand = (0.0, infl(a) * infl(b), key(a, b));
                if better(cand, &fallback) {
                    fallback = Some(cand);
                }
            }
        }
    }
    fallback.map(|f| f.2)
}

/// The member of T with the strongest tie to `target` (then higher influence, smaller id);
/// else the most influential member of T of the target's domain; else none.
fn messenger(ctx: &Context<'_>, tg: &TransitionGraph, target: u32) -> Option<u32> {
    let infl = |a: u32| ctx.prep.actors[a as usize].influence;
    let mut best: Option<(f64, f64, u32)> = None;
    for (b, w) in ctx.structural.row(target as usize) {
        if tg.local[b as usize] == u32::MAX {
            continue;
        }
        let c = (w, infl(b), b);
        if best.is_none_or(|x| {
            c.0.total_cmp(&x.0)
                .then(c.1.total_cmp(&x.1))
                .then(x.2.cmp(&c.2))
                .is_gt()
        }) {
            best = Some(c);
        }
    }
    if let Some(b) = best {
        return Some(b.2);
    }
    let domain = &ctx.prep.actors[target as usize].domain;
    tg.members
        .iter()
        .copied()
        .filter(|&m| m != target && &ctx.prep.actors[m as usize].domain == domain)
        .max_by(|&a, &b| infl(a).total_cmp(&infl(b)).then(b.cmp(&a)))
}

fn core_narratives(ctx: &Context<'_>) -> Vec<u32> {
    ctx.dominance.keys().copied().collect()
}

/// Proposes the actions of docs/method.md §8 for the gaps of `analysis`, simulated, sorted and
/// cut to `settings.max_actions` (module doc).
pub fn propose(
    ctx: &Context<'_>,
    gaps: &[Gap],
    strength_now: Option<f64>,
    lang: Lang,
) -> Vec<Action> {
    propose_with(ctx, &SimBase::new(ctx), gaps, strength_now, lang)
}

/// [`propose`] on a [`SimBase`] of `ctx` made by the caller (the analysis shares one with
/// the best plan).
pub(crate) fn propose_with(
    ctx: &Context<'_>,
    base: &SimBase,
    gaps: &[Gap],
    strength_now: Option<f64>,
    lang: Lang,
) -> Vec<Action> {
    if gaps.is_empty() {
        return Vec::new();
    }
    let prep = &ctx.prep;
    let settings = ctx.settings;
    let tg = TransitionGraph::new(ctx);
    // Made on the first pair chosen across a cut.
    let t_rows_cell = std::sync::OnceLock::new();
    let t_rows =
        || -> &[Vec<(u32, f64)>] { t_rows_cell.get_or_init(|| positive_rows_in_t(ctx, &tg)) };
    let name = |a: u32| prep.actors[a as usize].name.clone();
    let infl = |a: u32| prep.actors[a as usize].influence;
    let idx = |s: &str| prep.actor_index(s);
    let theta = settings.threshold;
    let core = core_narratives(ctx);
    let group_key = |a: u32| -> &'static str {
        let g = &ctx.groups;
        if g.supporters.binary_search(&a).is_ok() {
            "group.supporter"
        } else if g.opponents.binary_search(&a).is_ok() {
            "group.opponent"
        } else if g.undecided.binary_search(&a).is_ok() {
            "group.undecided"
        } else {
            "group.silent"
        }
    };
    let via = |m: Option<u32>| {
        m.map_or_else(String::new, |m| {
            fill(lang, "action.via", &[("messenger", name(m))])
        })
    };
    let tie_change = |a: u32, b: u32| Change::AddTie {
        source: prep.actors[a as usize].id.clone(),
        target: prep.actors[b as usize].id.clone(),
        kind: vertoog_model::TieKind::Collaboration,
        weight: 0.5,
    };
    let set = |a: u32, n: u32, p: i8| Change::SetStance {
        actor: prep.actors[a as usize].id.clone(),
        narrative: prep.narratives[n as usize].id.clone(),
        position: i64::from(p),
    };
    let new_cand = |kind, targets: Vec<u32>, g: &Gap, key, args| Candidate {
        kind,
        targets,
        messenger: None,
        narrative: None,
        gaps: vec![g.id.clone()],
        severity: g.severity,
        influence: g.influence(),
        changes: Vec::new(),
        key,
        args,
    };
    // Brief actor `a` through messenger `m` (swing actors and engagement gaps alike).
    let brief = |a: u32, g: &Gap, m: Option<u32>, changes: Vec<Change>| {
        let mut c = new_cand(
            ActionKind::Brief,
            vec![a],
            g,
            "action.brief",
            vec![
                ("target", name(a)),
                ("influence", two_decimals(infl(a))),
                ("group", text(lang, group_key(a)).to_string()),
                ("via", via(m)),
            ],
        );
        c.messenger = m;
        c.changes = changes;
        c
    };

    let mut convene: BTreeMap<(u32, u32), Candidate> = BTreeMap::new();
    let mut per_actor: BTreeMap<(ActionKind, u32), Candidate> = BTreeMap::new();
    let mut per_narrative: BTreeMap<u32, Candidate> = BTreeMap::new();
    let mut others: Vec<Candidate> = Vec::new();
    let fragmented = gaps.iter().find(|g| g.kind == GapType::FragmentedCoalition);
    // The largest component of G_T (size, then influence, then smallest member).
    let largest = tg
        .components
        .iter()
        .max_by(|x, y| {
            let ix: f64 = x.iter().map(|&l| infl(tg.members[l as usize])).sum();
            let iy: f64 = y.iter().map(|&l| infl(tg.members[l as usize])).sum();
            x.len()
                .cmp(&y.len())
                .then(ix.total_cmp(&iy))
                .then(y[0].cmp(&x[0]))
        })
        .cloned();
    let top_of = |comp: &[u32]| -> Option<u32> {
        comp.iter()
            .map(|&l| tg.members[l as usize])
            .max_by(|&a, &b| infl(a).total_cmp(&infl(b)).then(b.cmp(&a)))
    };

    let add_convene = |convene: &mut BTreeMap<(u32, u32), Candidate>,
                       pair: (u32, u32),
                       g: &Gap,
                       key: &'static str,
                       args: Vec<(&'static str, String)>| {
        let pair = (pair.0.min(pair.1), pair.0.max(pair.1));
        convene
            .entry(pair)
            .and_modify(|c| c.add_gap(g))
            .or_insert_with(|| {
                let mut c = new_cand(ActionKind::Convene, vec![pair.0, pair.1], g, key, args);
                c.changes = vec![tie_change(pair.0, pair.1)];
                c
            });
    };

    for g in gaps {
        match g.kind {
            GapType::Bridge => {
                let (Some(a), Some(b)) = (idx(&g.subjects[0]), idx(&g.subjects[1])) else {
                    continue;
                };
                let (la, lb) = (tg.local[a as usize], tg.local[b as usize]);
                let Some(&(_, v)) = tg
                    .bridges
                    .iter()
                    .find(|&&(p, v)| (p == la && v == lb) || (p == lb && v == la))
                else {
                    continue;
                };
                if let Some(pair) = best_pair(
                    ctx,
                    &tg,
                    t_rows(),
                    Part::Subtree(v),
                    Part::Above(v),
                    Some((a, b)),
                ) {
                    add_convene(
                        &mut convene,
                        pair,
                        g,
                        "action.convene.bridge",
                        vec![
                            ("a", name(pair.0)),
                            ("b", name(pair.1)),
                            ("x", name(a)),
                            ("y", name(b)),
                        ],
                    );
                }
            }
            GapType::BrokerDependency => {
                let Some(a) = idx(&g.subjects[0]) else {
                    continue;
                };
                let la = tg.local[a as usize];
                let Some((_, children)) = tg.cut_points.iter().find(|(v, _)| *v == la) else {
                    continue;
                };
                let mut parts: Vec<Part> = children.iter().map(|&c| Part::Subtree(c)).collect();
                if Part::Above(la).size(&tg) > 0 {
                    parts.push(Part::Above(la));
                }
                parts.sort_by_key(|p| std::cmp::Reverse(p.size(&tg)));
                if parts.len() < 2 {
                    continue;
                }
                if let Some(pair) = best_pair(ctx, &tg, t_rows(), parts[0], parts[1], None) {
                    add_convene(
                        &mut convene,
                        pair,
                        g,
                        "action.convene.broker",
                        vec![("a", name(pair.0)), ("b", name(pair.1)), ("name", name(a))],
                    );
                }
            }
            GapType::LatentAlly => {
                let (Some(a), Some(b)) = (idx(&g.subjects[0]), idx(&g.subjects[1])) else {
                    continue;
                };
                let w = match &g.evidence {
                    Evidence::LatentAlly(e) => e.w,
                    _ => 0.0,
                };
                add_convene(
                    &mut convene,
                    (a, b),
                    g,
                    "action.convene.latent",
                    vec![("a", name(a)), ("b", name(b)), ("w", two_decimals(w))],
                );
            }
            GapType::IsolatedSupporter => {
                let Some(a) = idx(&g.subjects[0]) else {
                    continue;
                };
                let Some(partner) = largest.as_deref().and_then(top_of) else {
                    continue;
                };
                if partner == a {
                    continue;
                }
                add_convene(
                    &mut convene,
                    (a, partner),
                    g,
                    "action.convene.isolated",
                    vec![("a", name(a)), ("b", name(partner))],
                );
                if let Some(f) = fragmented {
                    let pair = (a.min(partner), a.max(partner));
                    if let Some(c) = convene.get_mut(&pair) {
                        c.add_gap(f);
                    }
                }
            }
            GapType::FragmentedCoalition => {
                let Some(big) = largest.as_deref() else {
                    continue;
                };
                let Some(hub) = top_of(big) else { continue };
                for comp in &tg.components {
                    if comp.len() < 2 || comp[0] == big[0] {
                        continue;
                    }
                    let Some(other) = top_of(comp) else { continue };
                    add_convene(
                        &mut convene,
                        (hub, other),
                        g,
                        "action.convene.components",
                        vec![
                            ("a", name(hub.min(other))),
                            ("b", name(hub.max(other))),
                            (
                                "na",
                                if hub < other { big.len() } else { comp.len() }.to_string(),
                            ),
                            (
                                "nb",
                                if hub < other { comp.len() } else { big.len() }.to_string(),
                            ),
                        ],
                    );
                }
            }
            GapType::MissingDomain | GapType::WeakDomain => {
                let d = &g.subjects[0];
                let dn = domain_name(lang, d);
                let target = (0..prep.n_actors() as u32)
                    .filter(|&a| &prep.actors[a as usize].domain == d)
                    .filter(|&a| {
                        ctx.groups.supporters.binary_search(&a).is_err()
                            && ctx.groups.opponents.binary_search(&a).is_err()
                    })
                    .max_by(|&a, &b| infl(a).total_cmp(&infl(b)).then(b.cmp(&a)));
                let mut c = match target {
                    Some(t) => {
                        let m = messenger(ctx, &tg, t);
                        let mut c = new_cand(
                            ActionKind::RecruitDomain,
                            vec![t],
                            g,
                            "action.recruit-domain",
                            vec![
                                ("target", name(t)),
                                ("influence", two_decimals(infl(t))),
                                ("group", text(lang, group_key(t)).to_string()),
                                ("via", via(m)),
                                ("domain", dn),
                            ],
                        );
                        c.messenger = m;
                        c.changes = core.iter().map(|&n| set(t, n, 1)).collect();
                        c
                    }
                    None => new_cand(
                        ActionKind::RecruitDomain,
                        Vec::new(),
                        g,
                        "action.recruit-domain.none",
                        vec![("domain", dn)],
                    ),
                };
                c.severity = g.severity;
                others.push(c);
            }
            GapType::SwingActor => {
                let Some(a) = idx(&g.subjects[0]) else {
                    continue;
                };
                let changes: Vec<Change> = core
                    .iter()
                    .filter(|&&n| {
                        prep.position(a, n)
                            .is_none_or(|p| (f64::from(p) / 2.0).abs() < theta)
                    })
                    .map(|&n| set(a, n, 1))
                    .collect();
                let m = messenger(ctx, &tg, a);
                per_actor
                    .entry((ActionKind::Brief, a))
                    .and_modify(|c| c.add_gap(g))
                    .or_insert_with(|| brief(a, g, m, changes));
            }
            GapType::StrongOpponent => {
                let Some(a) = idx(&g.subjects[0]) else {
                    continue;
                };
                per_actor
                    .entry((ActionKind::Counter, a))
                    .and_modify(|c| c.add_gap(g))
                    .or_insert_with(|| counter_cand(ctx, &tg, a, g, lang));
            }
            GapType::NegativeDominance | GapType::UnchampionedNarrative => {
                let Some(n) = prep.narrative_index(&g.subjects[0]) else {
                    continue;
                };
                if let Some(c) = per_narrative.get_mut(&n) {
                    c.add_gap(g);
                    continue;
                }
                let mut carriers: Vec<u32> = ctx
                    .groups
                    .supporters
                    .iter()
                    .copied()
                    .filter(|&a| prep.position(a, n).is_none_or(|p| p < 2))
                    .collect();
                carriers.sort_by(|&a, &b| infl(b).total_cmp(&infl(a)).then(a.cmp(&b)));
                carriers.truncate(2);
                if carriers.is_empty() {
                    continue;
                }
                let dom = ctx.dominance.get(&n).copied().flatten();
                let names: Vec<String> = carriers.iter().map(|&a| name(a)).collect();
                let mut c = new_cand(
                    ActionKind::Mobilise,
                    carriers.clone(),
                    g,
                    "action.mobilise",
                    vec![
                        ("names", names.join(" & ")),
                        ("narrative", prep.narratives[n as usize].label.clone()),
                        (
                            "dominance",
                            dom.map_or_else(|| "–".to_string(), two_decimals),
                        ),
                    ],
                );
                c.narrative = Some(n);
                c.changes = carriers.iter().map(|&a| set(a, n, 2)).collect();
                per_narrative.insert(n, c);
            }
            GapType::Dormant => {
                let ids: Vec<u32> = g.subjects.iter().filter_map(|s| idx(s)).collect();
                let c = if ids.len() == 1 {
                    let a = ids[0];
                    let m = messenger(ctx, &tg, a).filter(|&m| m != a);
                    let last = match &g.evidence {
                        Evidence::DormantActor(e) => e.last_activity.to_string(),
                        _ => String::new(),
                    };
                    let mut c = new_cand(
                        ActionKind::Maintain,
                        vec![a],
                        g,
                        "action.maintain.actor",
                        vec![("name", name(a)), ("via", via(m)), ("last", last)],
                    );
                    c.messenger = m;
                    c
                } else if ids.len() == 2 {
                    let since = match &g.evidence {
                        Evidence::DormantTie(e) => e.since.clone(),
                        _ => String::new(),
                    };
                    new_cand(
                        ActionKind::Maintain,
                        ids.clone(),
                        g,
                        "action.maintain.tie",
                        vec![("a", name(ids[0])), ("b", name(ids[1])), ("since", since)],
                    )
                } else {
                    continue;
                };
                others.push(c);
            }
            GapType::ContactOverdue => {
                let Some(a) = idx(&g.subjects[0]) else {
                    continue;
                };
                let (last, cadence) = match &g.evidence {
                    Evidence::ContactOverdue(e) => (
                        e.last_contact
                            .map_or_else(|| "—".to_string(), |d| d.to_string()),
                        e.cadence_days.to_string(),
                    ),
                    _ => continue,
                };
                let m = messenger(ctx, &tg, a).filter(|&m| m != a);
                let mut c = new_cand(
                    ActionKind::Maintain,
                    vec![a],
                    g,
                    "action.maintain.contact",
                    vec![
                        ("name", name(a)),
                        ("via", via(m)),
                        ("last", last),
                        ("cadence", cadence),
                    ],
                );
                c.messenger = m;
                others.push(c);
            }
            GapType::OverdueCommitment => {
                let Some(a) = idx(&g.subjects[0]) else {
                    continue;
                };
                let Evidence::OverdueCommitment(e) = &g.evidence else {
                    continue;
                };
                let Some(k) = ctx.bundle.commitments.iter().find(|k| k.id == e.commitment) else {
                    continue;
                };
                let key = match k.direction {
                    vertoog_model::Direction::Ours => "action.honour",
                    vertoog_model::Direction::Theirs => "action.honour.theirs",
                };
                let owner = if k.owner.is_empty() {
                    "—".to_string()
                } else {
                    k.owner.clone()
                };
                others.push(new_cand(
                    ActionKind::Honour,
                    vec![a],
                    g,
                    key,
                    vec![
                        ("name", name(a)),
                        ("text", k.text.clone()),
                        ("due", e.due.to_string()),
                        ("owner", owner),
                    ],
                ));
            }
            GapType::EngagementGap => {
                let Some(a) = idx(&g.subjects[0]) else {
                    continue;
                };
                if ctx.groups.opponents.binary_search(&a).is_ok() {
                    per_actor
                        .entry((ActionKind::Counter, a))
                        .and_modify(|c| c.add_gap(g))
                        .or_insert_with(|| counter_cand(ctx, &tg, a, g, lang));
                    continue;
                }
                let target = match &g.evidence {
                    Evidence::EngagementGap(e) => e.target_position,
                    _ => 1,
                }
                .clamp(-2, 2);
                let supporter = ctx.groups.supporters.binary_search(&a).is_ok();
                let changes: Vec<Change> = core
                    .iter()
                    .filter_map(|&n| {
                        let p = prep.position(a, n);
                        if supporter {
                            (p.is_none_or(|p| p < target)).then(|| set(a, n, target))
                        } else {
                            p.is_none_or(|p| (f64::from(p) / 2.0).abs() < theta)
                                .then(|| set(a, n, target.max(1)))
                        }
                    })
                    .collect();
                let m = messenger(ctx, &tg, a).filter(|&m| m != a);
                per_actor
                    .entry((ActionKind::Brief, a))
                    .and_modify(|c| c.add_gap(g))
                    .or_insert_with(|| brief(a, g, m, changes));
            }
        }
    }

    let mut cands: Vec<Candidate> = convene
        .into_values()
        .chain(per_actor.into_values())
        .chain(per_narrative.into_values())
        .chain(others)
        .collect();

    // Simulate the most severe and influential candidates of each kind.
    cands.sort_by(|x, y| {
        x.kind
            .cmp(&y.kind)
            .then(y.severity.cmp(&x.severity))
            .then(y.influence.total_cmp(&x.influence))
            .then_with(|| x.targets.cmp(&y.targets))
    });
    let now = strength_now;
    let mut per_kind: BTreeMap<ActionKind, usize> = BTreeMap::new();
    let mut scored: Vec<(Candidate, Option<f64>)> = Vec::new();
    let mut simulated: Vec<Candidate> = Vec::new();
    for c in cands {
        if c.changes.is_empty() {
            if matches!(c.kind, ActionKind::Maintain | ActionKind::Honour) || c.targets.is_empty() {
                scored.push((c, None));
            }
            continue;
        }
        let used = per_kind.entry(c.kind).or_default();
        if *used >= SIMULATIONS_PER_KIND * settings.max_actions.max(1) {
            continue;
        }
        *used += 1;
        simulated.push(c);
    }
    // The simulations are independent: run them in parallel, keep the results in order.
    let gains: Vec<Option<f64>> = {
        use rayon::prelude::*;
        simulated
            .par_iter()
            .map(|c| {
                let sim = simulate(ctx, base, &c.changes).ok()?;
                Some(sim.metrics.strength? - now?)
            })
            .collect()
    };
    for (c, gain) in simulated.into_iter().zip(gains) {
        if let Some(g) = gain.filter(|&g| g > GAIN_EPSILON) {
            scored.push((c, Some(g)));
        }
    }

    scored.sort_by(|(x, gx), (y, gy)| match (gx, gy) {
        (Some(a), Some(b)) => {
            let (px, py) = (
                a / f64::from(x.kind.effort()),
                b / f64::from(y.kind.effort()),
            );
            py.total_cmp(&px)
                .then(x.kind.effort().cmp(&y.kind.effort()))
                .then(y.severity.cmp(&x.severity))
                .then(x.kind.cmp(&y.kind))
                .then_with(|| x.targets.cmp(&y.targets))
        }
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => y
            .severity
            .cmp(&x.severity)
            .then(y.influence.total_cmp(&x.influence))
            .then(x.kind.cmp(&y.kind))
            .then_with(|| x.targets.cmp(&y.targets)),
    });
    scored.truncate(settings.max_actions);

    scored
        .into_iter()
        .enumerate()
        .map(|(i, (c, gain))| {
            let effort = c.kind.effort();
            let mut rationale = fill(lang, c.key, &c.args);
            if let (Some(g), Some(before)) = (gain, now) {
                rationale.push(' ');
                rationale.push_str(&fill(
                    lang,
                    "action.simulated",
                    &[
                        ("before", format!("{before:.1}")),
                        ("after", format!("{:.1}", before + g)),
                        ("gain", format!("{g:+.1}")),
                    ],
                ));
            }
            let priority = match gain {
                Some(g) => g / f64::from(effort),
                None => f64::from(c.severity) / f64::from(effort),
            };
            Action {
                id: format!("a{}", i + 1),
                kind: c.kind,
                targets: c
                    .targets
                    .iter()
                    .map(|&a| prep.actors[a as usize].id.clone())
                    .collect(),
                messenger: c.messenger.map(|m| prep.actors[m as usize].id.clone()),
                narrative: c.narrative.map(|n| prep.narratives[n as usize].id.clone()),
                gaps: c.gaps,
                rationale,
                lesson: text(lang, &format!("lesson.{}", c.kind.as_str())).to_string(),
                effort,
                expected_gain: gain,
                priority,
                changes: c.changes,
            }
        })
        .collect()
}

/// `counter`: the opponent's positions each move one step towards 0.
fn counter_cand(ctx: &Context<'_>, tg: &TransitionGraph, a: u32, g: &Gap, lang: Lang) -> Candidate {
    let prep = &ctx.prep;
    let m = messenger(ctx, tg, a);
    let name = |x: u32| prep.actors[x as usize].name.clone();
    let changes = prep.positions[a as usize]
        .iter()
        .filter(|(_, p)| *p != 0)
        .map(|&(n, p)| Change::SetStance {
            actor: prep.actors[a as usize].id.clone(),
            narrative: prep.narratives[n as usize].id.clone(),
            position: i64::from(p - p.signum()),
        })
        .collect();
    let align = ctx.alignment[a as usize].unwrap_or(0.0);
    Candidate {
        kind: ActionKind::Counter,
        targets: vec![a],
        messenger: m,
        narrative: None,
        gaps: vec![g.id.clone()],
        severity: g.severity,
        influence: g.influence(),
        changes,
        key: "action.counter",
        args: vec![
            ("target", name(a)),
            ("influence", two_decimals(prep.actors[a as usize].influence)),
            ("align", two_decimals(align)),
            (
                "via",
                m.map_or_else(String::new, |m| {
                    fill(lang, "action.via", &[("messenger", name(m))])
                }),
            ),
        ],
    }
}
