//! Gaps of the ties of T (docs/method.md §7): `latent-ally`, `isolated-supporter`,
//! `fragmented-coalition`, `bridge` and `broker-dependency`, read on G_T and its depth-first
//! forest ([`TransitionGraph`]).

use super::evidence::{self, round4, two_decimals, Evidence};
use super::transition_graph::TransitionGraph;
use super::{Finding, GapType, Scope};
use crate::graph::Csr;
use crate::i18n::fill;
use crate::structure::Structure;

pub(super) fn ties(
    s: &Scope<'_, '_>,
    tg: &TransitionGraph,
    t_structure: &Structure,
    out: &mut Vec<Finding>,
) {
    let (ctx, lang) = (s.ctx, s.lang);
    let prep = &ctx.prep;
    let settings = ctx.settings;
    let t = &ctx.groups.supporters;
    let name = |a: u32| prep.actors[a as usize].name.clone();
    let id = |a: u32| prep.actors[a as usize].id.clone();
    let infl = |a: u32| prep.actors[a as usize].influence;
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
            out.push(Finding {
                kind: GapType::LatentAlly,
                severity: 2,
                subjects: vec![id(a), id(b)],
                evidence: Evidence::LatentAlly(evidence::LatentAlly {
                    influence: round4(infl(a) + infl(b)),
                    w: round4(w),
                }),
                message: fill(
                    lang,
                    "gap.latent-ally",
                    &[("a", name(a)), ("b", name(b)), ("w", two_decimals(w))],
                ),
                influence: infl(a) + infl(b),
            });
        }
    }

    if t.len() >= 2 {
        // Isolated supporters.
        for (i, &a) in t.iter().enumerate() {
            if tg.g.degree(i) == 0 {
                out.push(Finding {
                    kind: GapType::IsolatedSupporter,
                    severity: 2,
                    subjects: vec![id(a)],
                    evidence: Evidence::IsolatedSupporter(evidence::IsolatedSupporter {
                        influence: round4(infl(a)),
                        ties_outside_coalition: ctx.structural.degree(a as usize),
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
            out.push(Finding {
                kind: GapType::FragmentedCoalition,
                severity: 3,
                subjects: comps.iter().flatten().cloned().collect(),
                evidence: Evidence::FragmentedCoalition(evidence::FragmentedCoalition {
                    components: comps,
                    count: tg.components.len(),
                    influence: round4(total - largest_infl),
                    largest,
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
        out.push(Finding {
            kind: GapType::Bridge,
            severity: 3,
            subjects: vec![id(a), id(b)],
            evidence: Evidence::Bridge(evidence::Bridge {
                influence: round4(concern),
                side_influence: [round4(ia), round4(ib)],
                side_sizes: [na, nb],
                weight: ctx.structural.weight(a as usize, b).map(round4),
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
    let critical: Vec<&String> = t_structure.critical_brokers.iter().collect();
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
        out.push(Finding {
            kind: GapType::BrokerDependency,
            severity: 3,
            subjects: vec![id(a)],
            evidence: Evidence::BrokerDependency(evidence::BrokerDependency {
                betweenness: t_structure.betweenness.get(&id(a)).map(|x| round4(*x)),
                critical: critical.contains(&&id(a)),
                influence: round4(held + infl(a)),
                part_sizes: parts.iter().map(|p| p.0).collect(),
                parts: parts.len(),
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
