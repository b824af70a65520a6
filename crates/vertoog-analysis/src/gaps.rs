//! Gaps (analysis.md section 7, and `engagement-gap` of stakeholder.md): typed findings with
//! a severity, subjects, evidence (the numbers and ids behind them, a JSON object) and a
//! plain-language message that names the actors, in the language asked.
//!
//! Decisions where the spec is silent (also in the report of issue 5):
//! - Without a core narrative there is no alignment and no T, so no gaps (domain.md).
//! - Sorting: severity (high first), then the influence the gap concerns (evidence
//!   `influence`, high first), then the first subject, then the type. Ids `g1, g2, ...`
//!   follow that order. The influence a gap concerns: Σ infl of its actor subjects; for a
//!   bridge the influence on its smaller side; for a broker the influence of the parts it
//!   holds together except the largest; for `missing-domain` Σ infl of the domain's actors in
//!   the map; for `weak-domain` Σ infl of the domain's members in T; for a narrative Σ infl of
//!   the actors with a non-zero position on it; for `fragmented-coalition` Σ infl outside the
//!   largest component.
//! - `latent-ally`: "no path of length <= 2 in ties" is read on the structural graph of the
//!   whole map (no direct tie and no common tie partner, supporter or not).
//! - `isolated-supporter` and `fragmented-coalition` need |T| >= 2.
//! - `broker-dependency`: every articulation point of G_T (evidence says whether it is also a
//!   critical broker, which lowers connectedness).
//! - `unchampioned-narrative`: a champion of core narrative n is a member of T with influence
//!   >= `champion_influence` and p(a,n) > 0.
//! - `dormant`: the window's end E is the window's `to`, else the latest stance date or tie
//!   `since` date in the map (never the clock; a tie's `until` can lie in the future, so it
//!   does not set E). The cutoff is E minus `dormant_months` calendar months. An actor's
//!   activity dates are its stance dates in the window and the `since` and `until` dates (up
//!   to E) of its ties active in the window. A member of T is dormant when it has at least one
//!   activity date and the latest is before the cutoff (an actor with only undated data is
//!   never dormant: nothing says when). A tie of G_T (pair of members) is dormant when every
//!   non-conflict tie between the two has a `since` before the cutoff and no `until` in
//!   [cutoff, E], neither actor has a stance dated in [cutoff, E], and neither is reported
//!   dormant itself. No dates in the map: no dormant gaps.

use std::collections::{BTreeMap, HashMap};

use chrono::Months;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use vertoog_model::{Date, TieKind};

use crate::analysis::{Analysis, Context};
use crate::graph::{components, dfs_forest, Csr, DfsForest};
use crate::i18n::{domain_name, fill, Lang};
use crate::prepare::Window;
use crate::stakeholders::{Quadrant, MET_TOLERANCE};

/// The gap types of analysis.md 7 and stakeholder.md, serialised in kebab-case
/// (`missing-domain`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GapType {
    MissingDomain,
    WeakDomain,
    LatentAlly,
    IsolatedSupporter,
    Bridge,
    BrokerDependency,
    FragmentedCoalition,
    SwingActor,
    StrongOpponent,
    NegativeDominance,
    UnchampionedNarrative,
    Dormant,
    EngagementGap,
}

impl GapType {
    /// Every type, in declaration order.
    pub const ALL: [GapType; 13] = [
        GapType::MissingDomain,
        GapType::WeakDomain,
        GapType::LatentAlly,
        GapType::IsolatedSupporter,
        GapType::Bridge,
        GapType::BrokerDependency,
        GapType::FragmentedCoalition,
        GapType::SwingActor,
        GapType::StrongOpponent,
        GapType::NegativeDominance,
        GapType::UnchampionedNarrative,
        GapType::Dormant,
        GapType::EngagementGap,
    ];

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            GapType::MissingDomain => "missing-domain",
            GapType::WeakDomain => "weak-domain",
            GapType::LatentAlly => "latent-ally",
            GapType::IsolatedSupporter => "isolated-supporter",
            GapType::Bridge => "bridge",
            GapType::BrokerDependency => "broker-dependency",
            GapType::FragmentedCoalition => "fragmented-coalition",
            GapType::SwingActor => "swing-actor",
            GapType::StrongOpponent => "strong-opponent",
            GapType::NegativeDominance => "negative-dominance",
            GapType::UnchampionedNarrative => "unchampioned-narrative",
            GapType::Dormant => "dormant",
            GapType::EngagementGap => "engagement-gap",
        }
    }
}

/// A typed finding: `{"id": "g1", "type": TYPE, "severity": 1..3, "subjects": [...],
/// "evidence": {...}, "message": TEXT}` (interfaces.md).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// `g1`, `g2`, ... in the order of the sorted list.
    pub id: String,
    #[serde(rename = "type")]
    pub kind: GapType,
    /// 1 low .. 3 high.
    pub severity: u8,
    /// Actor ids (a tie: its two actors in id order; a component: its actors), a domain, or a
    /// narrative id.
    pub subjects: Vec<String>,
    /// The numbers and ids behind the finding (a JSON object); always has `influence`, the
    /// influence the gap concerns (the second sort key).
    pub evidence: Value,
    /// Plain-language message that names the actors.
    pub message: String,
}

impl Gap {
    /// The `influence` of the evidence (0 when absent).
    pub fn influence(&self) -> f64 {
        self.evidence
            .get("influence")
            .and_then(Value::as_f64)
            .unwrap_or(0.0)
    }
}

/// A number rounded for evidence and messages: 4 decimals in evidence keeps JSON readable.
pub(crate) fn r4(x: f64) -> f64 {
    // `+ 0.0` turns the -0.0 of an empty f64 sum into 0.
    (x * 10_000.0).round() / 10_000.0 + 0.0
}

/// Two decimals, for messages.
pub(crate) fn f2(x: f64) -> String {
    format!("{x:.2}")
}

/// G_T with a depth-first search that gives, for every bridge, the two sides and, for every
/// articulation point, the parts it holds together (preorder intervals), in linear time.
pub(crate) struct TGraph {
    /// T, sorted: local node i is actor `members[i]`.
    pub members: Vec<u32>,
    /// Local index of each actor, `u32::MAX` outside T.
    pub local: Vec<u32>,
    pub g: Csr,
    /// Preorder number of each local node.
    pub disc: Vec<u32>,
    /// DFS subtree size.
    pub size: Vec<u32>,
    /// DFS root of each node's component.
    pub root: Vec<u32>,
    /// Local nodes in preorder (`order[disc[v]] == v`).
    pub order: Vec<u32>,
    /// Influence prefix sums in preorder: `pre[k]` = Σ infl of the first k nodes.
    pub pre: Vec<f64>,
    /// Tree edges (parent, child) that are bridges, by id order of the pair.
    pub bridges: Vec<(u32, u32)>,
    /// Articulation points with their separated children (each child's subtree is a part).
    pub cut_points: Vec<(u32, Vec<u32>)>,
    pub components: Vec<Vec<u32>>,
}

impl TGraph {
    pub fn new(ctx: &Context<'_>) -> Self {
        let members = ctx.groups.supporters.clone();
        let n_all = ctx.prep.n_actors();
        let mut local = vec![u32::MAX; n_all];
        for (i, &a) in members.iter().enumerate() {
            local[a as usize] = i as u32;
        }
        let g = ctx.structural.induced(&members);
        let n = g.n();
        let forest = dfs_forest(&g);
        let cut_points = (0..n as u32)
            .filter(|&v| forest.is_articulation_point(v))
            .map(|v| (v, forest.separated[v as usize].clone()))
            .collect();
        let mut bridges = forest.bridges;
        bridges.sort_by_key(|&(p, v)| (p.min(v), p.max(v)));
        let DfsForest {
            disc,
            size,
            root,
            order,
            ..
        } = forest;
        let mut pre = Vec::with_capacity(n + 1);
        pre.push(0.0);
        for &v in &order {
            let infl = ctx.prep.actors[members[v as usize] as usize].influence;
            pre.push(pre.last().copied().unwrap_or(0.0) + infl);
        }
        let comps = components(&g);
        TGraph {
            members,
            local,
            g,
            disc,
            size,
            root,
            order,
            pre,
            bridges,
            cut_points,
            components: comps,
        }
    }

    /// Whether local node x lies in the DFS subtree of local node v.
    pub fn in_subtree(&self, x: u32, v: u32) -> bool {
        let (dx, dv) = (self.disc[x as usize], self.disc[v as usize]);
        dx >= dv && dx < dv + self.size[v as usize]
    }

    /// Σ infl over the subtree of v.
    pub fn subtree_influence(&self, v: u32) -> f64 {
        let d = self.disc[v as usize] as usize;
        self.pre[d + self.size[v as usize] as usize] - self.pre[d]
    }

    /// Size of x's component.
    pub fn component_size(&self, x: u32) -> u32 {
        self.size[self.root[x as usize] as usize]
    }

    /// Σ infl of x's component.
    pub fn component_influence(&self, x: u32) -> f64 {
        self.subtree_influence(self.root[x as usize])
    }

    /// Parts of G_T − v within v's component: (sizes, influences), the children's subtrees
    /// first, then the rest above v when non-empty.
    pub fn parts(&self, v: u32, children: &[u32]) -> Vec<(u32, f64)> {
        let mut out: Vec<(u32, f64)> = children
            .iter()
            .map(|&c| (self.size[c as usize], self.subtree_influence(c)))
            .collect();
        let taken: u32 = out.iter().map(|p| p.0).sum();
        let rest = self.component_size(v) - 1 - taken;
        if rest > 0 {
            let infl_taken: f64 = out.iter().map(|p| p.1).sum();
            let rest_infl = self.component_influence(v) - infl_taken - self.pre_own(v);
            out.push((rest, rest_infl));
        }
        out
    }

    fn pre_own(&self, v: u32) -> f64 {
        let d = self.disc[v as usize] as usize;
        self.pre[d + 1] - self.pre[d]
    }
}

struct Raw {
    kind: GapType,
    severity: u8,
    subjects: Vec<String>,
    evidence: Value,
    message: String,
    influence: f64,
}

/// The window's end for `dormant`: `window.to`, else the latest stance date or tie `since`
/// date in the bundle; `None` when the map has no dates.
pub fn window_end(ctx: &Context<'_>) -> Option<Date> {
    if let Some(to) = ctx.window.to {
        return Some(to);
    }
    let s = ctx.bundle.stances.iter().filter_map(|s| s.date).max();
    let t = ctx.bundle.ties.iter().filter_map(|t| t.since).max();
    s.max(t)
}

/// Detects the gaps of analysis.md 7 (and `engagement-gap`), sorted and numbered.
pub fn detect(ctx: &Context<'_>, analysis: &Analysis, lang: Lang) -> Vec<Gap> {
    let prep = &ctx.prep;
    let settings = ctx.settings;
    if !prep.narratives.iter().any(|n| n.core) {
        return Vec::new();
    }
    let name = |a: u32| prep.actors[a as usize].name.clone();
    let id = |a: u32| prep.actors[a as usize].id.clone();
    let infl = |a: u32| prep.actors[a as usize].influence;
    let t = &ctx.groups.supporters;
    let n_all = prep.n_actors();
    let mut group = vec![0u8; n_all]; // 1 supporter, 2 opponent, 3 undecided, 4 silent
    for (g, list) in [
        (1, &ctx.groups.supporters),
        (2, &ctx.groups.opponents),
        (3, &ctx.groups.undecided),
        (4, &ctx.groups.silent),
    ] {
        for &a in list {
            group[a as usize] = g;
        }
    }
    let mut raw: Vec<Raw> = Vec::new();

    // Domains.
    let mut seen_domains = Vec::new();
    for d in &settings.required_domains {
        if seen_domains.contains(&d) {
            continue;
        }
        seen_domains.push(d);
        let in_map: Vec<u32> = (0..n_all as u32)
            .filter(|&a| &prep.actors[a as usize].domain == d)
            .collect();
        let in_t: Vec<u32> = t
            .iter()
            .copied()
            .filter(|&a| &prep.actors[a as usize].domain == d)
            .collect();
        let dn = domain_name(lang, d);
        if in_t.is_empty() {
            let mut cands: Vec<u32> = in_map
                .iter()
                .copied()
                .filter(|&a| group[a as usize] != 2)
                .collect();
            cands.sort_by(|&x, &y| infl(y).total_cmp(&infl(x)).then(x.cmp(&y)));
            let total: f64 = in_map.iter().map(|&a| infl(a)).sum();
            let message = match in_map
                .iter()
                .copied()
                .max_by(|&x, &y| infl(x).total_cmp(&infl(y)).then(y.cmp(&x)))
            {
                None => fill(lang, "gap.missing-domain.absent", &[("domain", dn.clone())]),
                Some(best) => fill(
                    lang,
                    "gap.missing-domain.present",
                    &[
                        ("domain", dn.clone()),
                        ("count", in_map.len().to_string()),
                        ("name", name(best)),
                        ("influence", f2(infl(best))),
                    ],
                ),
            };
            raw.push(Raw {
                kind: GapType::MissingDomain,
                severity: 3,
                subjects: vec![d.clone()],
                evidence: json!({
                    "domain": d,
                    "actors_in_map": in_map.len(),
                    "candidates": cands.iter().take(5).map(|&a| id(a)).collect::<Vec<_>>(),
                    "influence": r4(total),
                }),
                message,
                influence: total,
            });
        } else if in_t
            .iter()
            .all(|&a| infl(a) < settings.weak_domain_influence)
        {
            let max = in_t.iter().map(|&a| infl(a)).fold(0.0, f64::max);
            let total: f64 = in_t.iter().map(|&a| infl(a)).sum();
            let names: Vec<String> = in_t.iter().take(5).map(|&a| name(a)).collect();
            raw.push(Raw {
                kind: GapType::WeakDomain,
                severity: 2,
                subjects: vec![d.clone()],
                evidence: json!({
                    "domain": d,
                    "members": in_t.iter().map(|&a| id(a)).collect::<Vec<_>>(),
                    "max_influence": r4(max),
                    "threshold": settings.weak_domain_influence,
                    "influence": r4(total),
                }),
                message: fill(
                    lang,
                    "gap.weak-domain",
                    &[
                        ("domain", dn),
                        ("names", names.join(", ")),
                        ("influence", f2(max)),
                        ("threshold", f2(settings.weak_domain_influence)),
                    ],
                ),
                influence: total,
            });
        }
    }

    let tg = TGraph::new(ctx);

    // Latent allies: w >= θ_latent, no tie and no common tie partner.
    for &a in t {
        for (b, w) in ctx.discourse.graph.row(a as usize) {
            if b <= a || tg.local[b as usize] == u32::MAX || w < settings.latent_ally_w {
                continue;
            }
            if ctx.structural.weight(a as usize, b).is_some()
                || shares_neighbour(&ctx.structural, a, b)
            {
                continue;
            }
            raw.push(Raw {
                kind: GapType::LatentAlly,
                severity: 2,
                subjects: vec![id(a), id(b)],
                evidence: json!({"w": r4(w), "influence": r4(infl(a) + infl(b))}),
                message: fill(
                    lang,
                    "gap.latent-ally",
                    &[("a", name(a)), ("b", name(b)), ("w", f2(w))],
                ),
                influence: infl(a) + infl(b),
            });
        }
    }

    if t.len() >= 2 {
        // Isolated supporters.
        for (i, &a) in t.iter().enumerate() {
            if tg.g.degree(i) == 0 {
                raw.push(Raw {
                    kind: GapType::IsolatedSupporter,
                    severity: 2,
                    subjects: vec![id(a)],
                    evidence: json!({
                        "influence": r4(infl(a)),
                        "ties_outside_coalition": ctx.structural.degree(a as usize),
                    }),
                    message: fill(lang, "gap.isolated-supporter", &[("name", name(a))]),
                    influence: infl(a),
                });
            }
        }
        // Fragmentation.
        if tg.components.len() > 1 {
            let largest = tg.components.iter().map(Vec::len).max().unwrap_or(0);
            let total: f64 = t.iter().map(|&a| infl(a)).sum();
            let largest_infl = tg
                .components
                .iter()
                .filter(|c| c.len() == largest)
                .map(|c| c.iter().map(|&l| infl(t[l as usize])).sum::<f64>())
                .fold(0.0, f64::max);
            let comps: Vec<Vec<String>> = tg
                .components
                .iter()
                .map(|c| c.iter().map(|&l| id(t[l as usize])).collect())
                .collect();
            raw.push(Raw {
                kind: GapType::FragmentedCoalition,
                severity: 3,
                subjects: comps.iter().flatten().cloned().collect(),
                evidence: json!({
                    "components": comps,
                    "count": tg.components.len(),
                    "largest": largest,
                    "influence": r4(total - largest_infl),
                }),
                message: fill(
                    lang,
                    "gap.fragmented-coalition",
                    &[
                        ("size", t.len().to_string()),
                        ("count", tg.components.len().to_string()),
                        ("largest", largest.to_string()),
                    ],
                ),
                influence: total - largest_infl,
            });
        }
    }

    // Bridges of G_T.
    for &(p, v) in &tg.bridges {
        let (gp, gv) = (t[p as usize], t[v as usize]);
        let side_v = tg.size[v as usize];
        let side_p = tg.component_size(p) - side_v;
        let infl_v = tg.subtree_influence(v);
        let infl_p = tg.component_influence(p) - infl_v;
        // Subjects in id order; sides follow.
        let ((a, na, ia), (b, nb, ib)) = if gp < gv {
            ((gp, side_p, infl_p), (gv, side_v, infl_v))
        } else {
            ((gv, side_v, infl_v), (gp, side_p, infl_p))
        };
        let concern = ia.min(ib);
        raw.push(Raw {
            kind: GapType::Bridge,
            severity: 3,
            subjects: vec![id(a), id(b)],
            evidence: json!({
                "side_sizes": [na, nb],
                "side_influence": [r4(ia), r4(ib)],
                "weight": ctx.structural.weight(a as usize, b).map(r4),
                "influence": r4(concern),
            }),
            message: fill(
                lang,
                "gap.bridge",
                &[
                    ("a", name(a)),
                    ("b", name(b)),
                    ("na", na.to_string()),
                    ("nb", nb.to_string()),
                ],
            ),
            influence: concern,
        });
    }

    // Brokers (articulation points of G_T).
    let critical: Vec<&String> = analysis
        .transition
        .structure
        .critical_brokers
        .iter()
        .collect();
    for (v, children) in &tg.cut_points {
        let a = t[*v as usize];
        let parts = tg.parts(*v, children);
        let largest = parts.iter().map(|p| p.0).max().unwrap_or(0);
        let largest_infl = parts
            .iter()
            .filter(|p| p.0 == largest)
            .map(|p| p.1)
            .fold(0.0, f64::max);
        let held: f64 = parts.iter().map(|p| p.1).sum::<f64>() - largest_infl;
        raw.push(Raw {
            kind: GapType::BrokerDependency,
            severity: 3,
            subjects: vec![id(a)],
            evidence: json!({
                "parts": parts.len(),
                "part_sizes": parts.iter().map(|p| p.0).collect::<Vec<_>>(),
                "critical": critical.contains(&&id(a)),
                "betweenness": analysis.transition.structure.betweenness.get(&id(a)).map(|x| r4(*x)),
                "influence": r4(held + infl(a)),
            }),
            message: fill(
                lang,
                "gap.broker-dependency",
                &[
                    ("name", name(a)),
                    ("parts", parts.len().to_string()),
                    ("largest", largest.to_string()),
                ],
            ),
            influence: held + infl(a),
        });
    }

    // Swing actors and strong opponents.
    for a in 0..n_all as u32 {
        let g = group[a as usize];
        let al = ctx.alignment[a as usize];
        if (g == 3 || g == 4) && infl(a) >= settings.swing_influence {
            let key = if g == 3 {
                "gap.swing-actor.undecided"
            } else {
                "gap.swing-actor.silent"
            };
            raw.push(Raw {
                kind: GapType::SwingActor,
                severity: 2,
                subjects: vec![id(a)],
                evidence: json!({
                    "influence": r4(infl(a)),
                    "align": al.map(r4),
                    "group": if g == 3 { "undecided" } else { "silent" },
                }),
                message: fill(
                    lang,
                    key,
                    &[
                        ("name", name(a)),
                        ("influence", f2(infl(a))),
                        ("align", al.map_or_else(String::new, f2)),
                    ],
                ),
                influence: infl(a),
            });
        }
        if g == 2 && infl(a) >= settings.strong_opponent_influence {
            raw.push(Raw {
                kind: GapType::StrongOpponent,
                severity: 2,
                subjects: vec![id(a)],
                evidence: json!({"influence": r4(infl(a)), "align": al.map(r4)}),
                message: fill(
                    lang,
                    "gap.strong-opponent",
                    &[
                        ("name", name(a)),
                        ("influence", f2(infl(a))),
                        ("align", al.map_or_else(String::new, f2)),
                    ],
                ),
                influence: infl(a),
            });
        }
    }

    // Narratives.
    for (&n, dom) in &ctx.dominance {
        let info = &prep.narratives[n as usize];
        let list = &prep.by_narrative[n as usize];
        let concern: f64 = list
            .iter()
            .filter(|(_, p)| *p != 0)
            .map(|&(a, _)| infl(a))
            .sum();
        if let Some(d) = dom {
            if *d < 0.0 {
                let (mut sup, mut opp) = (0.0, 0.0);
                for &(a, p) in list {
                    if p > 0 {
                        sup += infl(a) * f64::from(p) / 2.0;
                    } else if p < 0 {
                        opp += infl(a) * f64::from(-p) / 2.0;
                    }
                }
                let mut against: Vec<u32> = list
                    .iter()
                    .filter(|(_, p)| *p < 0)
                    .map(|&(a, _)| a)
                    .collect();
                against.sort_by(|&x, &y| infl(y).total_cmp(&infl(x)).then(x.cmp(&y)));
                raw.push(Raw {
                    kind: GapType::NegativeDominance,
                    severity: 3,
                    subjects: vec![info.id.clone()],
                    evidence: json!({
                        "dominance": r4(*d),
                        "support": r4(sup),
                        "opposition": r4(opp),
                        "against": against.iter().take(5).map(|&a| id(a)).collect::<Vec<_>>(),
                        "influence": r4(concern),
                    }),
                    message: fill(
                        lang,
                        "gap.negative-dominance",
                        &[
                            ("narrative", info.label.clone()),
                            ("dominance", f2(*d)),
                            ("support", f2(sup)),
                            ("opposition", f2(opp)),
                        ],
                    ),
                    influence: concern,
                });
            }
        }
        let carriers: Vec<u32> = list
            .iter()
            .filter(|&&(a, p)| p > 0 && group[a as usize] == 1)
            .map(|&(a, _)| a)
            .collect();
        if !carriers
            .iter()
            .any(|&a| infl(a) >= settings.champion_influence)
        {
            let best = carriers
                .iter()
                .copied()
                .max_by(|&x, &y| infl(x).total_cmp(&infl(y)).then(y.cmp(&x)));
            raw.push(Raw {
                kind: GapType::UnchampionedNarrative,
                severity: 2,
                subjects: vec![info.id.clone()],
                evidence: json!({
                    "threshold": settings.champion_influence,
                    "best": best.map(id),
                    "best_influence": best.map(|a| r4(infl(a))),
                    "carriers": carriers.len(),
                    "influence": r4(concern),
                }),
                message: fill(
                    lang,
                    "gap.unchampioned-narrative",
                    &[
                        ("narrative", info.label.clone()),
                        ("threshold", f2(settings.champion_influence)),
                    ],
                ),
                influence: concern,
            });
        }
    }

    dormant(ctx, &tg, lang, &mut raw);

    // Engagement gaps (stakeholder.md).
    let targets = crate::stakeholders::targets_by_index(ctx.bundle, prep);
    for s in &analysis.stakeholders {
        let Some(gap) = s.engagement_gap else {
            continue;
        };
        if gap <= MET_TOLERANCE {
            continue;
        }
        let Some(a) = prep.actor_index(&s.actor) else {
            continue;
        };
        let target = targets[a as usize].unwrap_or(0);
        let al = ctx.alignment[a as usize];
        raw.push(Raw {
            kind: GapType::EngagementGap,
            severity: if s.quadrant == Quadrant::ManageClosely {
                2
            } else {
                1
            },
            subjects: vec![s.actor.clone()],
            evidence: json!({
                "target_position": target,
                "align": al.map(r4),
                "engagement_gap": r4(gap),
                "quadrant": s.quadrant,
                "influence": r4(infl(a)),
            }),
            message: fill(
                lang,
                "gap.engagement-gap",
                &[
                    ("name", name(a)),
                    ("align", f2(al.unwrap_or(0.0))),
                    ("target", f2(f64::from(target) / 2.0)),
                    ("gap", f2(gap)),
                ],
            ),
            influence: infl(a),
        });
    }

    raw.sort_by(|x, y| {
        y.severity
            .cmp(&x.severity)
            .then(y.influence.total_cmp(&x.influence))
            .then_with(|| x.subjects.first().cmp(&y.subjects.first()))
            .then(x.kind.cmp(&y.kind))
            .then_with(|| x.subjects.cmp(&y.subjects))
    });
    raw.into_iter()
        .enumerate()
        .map(|(i, r)| Gap {
            id: format!("g{}", i + 1),
            kind: r.kind,
            severity: r.severity,
            subjects: r.subjects,
            evidence: r.evidence,
            message: r.message,
        })
        .collect()
}

/// Whether a and b have a common neighbour (sorted-list intersection).
fn shares_neighbour(g: &Csr, a: u32, b: u32) -> bool {
    let (x, y) = (g.neighbours(a as usize), g.neighbours(b as usize));
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Ties between two members: (all old, latest `since`, tie ids).
type PairTies = (bool, Option<Date>, Vec<String>);

/// The `dormant` gaps (see the module doc for the exact rule).
fn dormant(ctx: &Context<'_>, tg: &TGraph, lang: Lang, raw: &mut Vec<Raw>) {
    let Some(end) = window_end(ctx) else {
        return;
    };
    let months = ctx.settings.dormant_months;
    let cutoff = end.checked_sub_months(Months::new(months)).unwrap_or(end);
    let prep = &ctx.prep;
    let window = Window {
        from: ctx.window.from,
        to: Some(end),
    };
    let t = &tg.members;
    let in_t = |i: &str| {
        prep.actor_index(i)
            .filter(|&a| tg.local[a as usize] != u32::MAX)
    };
    // Latest activity per member; latest stance date per member.
    let mut last: HashMap<u32, Date> = HashMap::new();
    let mut last_stance: HashMap<u32, Date> = HashMap::new();
    for s in &ctx.bundle.stances {
        let (Some(d), Some(a)) = (s.date, in_t(&s.actor)) else {
            continue;
        };
        if !window.contains(Some(d)) || prep.narrative_index(&s.narrative).is_none() {
            continue;
        }
        let e = last.entry(a).or_insert(d);
        *e = (*e).max(d);
        let e = last_stance.entry(a).or_insert(d);
        *e = (*e).max(d);
    }
    // Ties among members per pair: (all dated before cutoff, latest since, ids).
    let mut pairs: BTreeMap<(u32, u32), PairTies> = BTreeMap::new();
    for tie in &ctx.bundle.ties {
        if !tie.active_in(window.from, window.to) {
            continue;
        }
        let dates = [tie.since, tie.until.filter(|u| *u <= end)];
        for who in [&tie.source, &tie.target] {
            if let Some(a) = in_t(who) {
                for d in dates.into_iter().flatten() {
                    let e = last.entry(a).or_insert(d);
                    *e = (*e).max(d);
                }
            }
        }
        if tie.kind == TieKind::Conflict {
            continue;
        }
        let (Some(a), Some(b)) = (in_t(&tie.source), in_t(&tie.target)) else {
            continue;
        };
        if a == b {
            continue;
        }
        let old = tie.since.is_some_and(|s| s < cutoff)
            && !tie.until.is_some_and(|u| u >= cutoff && u <= end);
        let e = pairs
            .entry((a.min(b), a.max(b)))
            .or_insert((true, None, Vec::new()));
        e.0 &= old;
        e.1 = e.1.max(tie.since);
        e.2.push(tie.id.clone());
    }
    let name = |a: u32| prep.actors[a as usize].name.clone();
    let id = |a: u32| prep.actors[a as usize].id.clone();
    let infl = |a: u32| prep.actors[a as usize].influence;
    let mut dormant_members = Vec::new();
    for &a in t {
        if let Some(&d) = last.get(&a) {
            if d < cutoff {
                dormant_members.push(a);
                raw.push(Raw {
                    kind: GapType::Dormant,
                    severity: 1,
                    subjects: vec![id(a)],
                    evidence: json!({
                        "last_activity": d,
                        "window_end": end,
                        "cutoff": cutoff,
                        "months": months,
                        "influence": r4(infl(a)),
                    }),
                    message: fill(
                        lang,
                        "gap.dormant.actor",
                        &[
                            ("name", name(a)),
                            ("last", d.to_string()),
                            ("months", months.to_string()),
                            ("end", end.to_string()),
                        ],
                    ),
                    influence: infl(a),
                });
            }
        }
    }
    let recent_stance = |a: u32| last_stance.get(&a).is_some_and(|d| *d >= cutoff);
    for ((a, b), (old, since, ids)) in pairs {
        if !old
            || dormant_members.contains(&a)
            || dormant_members.contains(&b)
            || recent_stance(a)
            || recent_stance(b)
        {
            continue;
        }
        let since = since.map_or_else(String::new, |d| d.to_string());
        raw.push(Raw {
            kind: GapType::Dormant,
            severity: 1,
            subjects: vec![id(a), id(b)],
            evidence: json!({
                "ties": ids,
                "since": since,
                "window_end": end,
                "cutoff": cutoff,
                "months": months,
                "influence": r4(infl(a) + infl(b)),
            }),
            message: fill(
                lang,
                "gap.dormant.tie",
                &[
                    ("a", name(a)),
                    ("b", name(b)),
                    ("since", since.clone()),
                    ("cutoff", cutoff.to_string()),
                ],
            ),
            influence: infl(a) + infl(b),
        });
    }
}
