//! Gaps of positions (docs/method.md §7, docs/method.md §12): `swing-actor`, `strong-opponent` and
//! `engagement-gap`.

use super::evidence::{self, round4, two_decimals, Evidence, SwingGroup};
use super::{Finding, GapType, Scope};
use crate::i18n::fill;
use crate::stakeholders::{targets_by_index, Quadrant, Stakeholder, MET_TOLERANCE};

pub(super) fn swing_and_opponents(s: &Scope<'_, '_>, out: &mut Vec<Finding>) {
    let (ctx, lang) = (s.ctx, s.lang);
    let prep = &ctx.prep;
    let settings = ctx.settings;
    let group = &s.group;
    let n_all = prep.n_actors();
    let name = |a: u32| prep.actors[a as usize].name.clone();
    let id = |a: u32| prep.actors[a as usize].id.clone();
    let infl = |a: u32| prep.actors[a as usize].influence;
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
            out.push(Finding {
                kind: GapType::SwingActor,
                severity: 2,
                subjects: vec![id(a)],
                evidence: Evidence::SwingActor(evidence::SwingActor {
                    align: al.map(round4),
                    group: if g == 3 {
                        SwingGroup::Undecided
                    } else {
                        SwingGroup::Silent
                    },
                    influence: round4(infl(a)),
                }),
                message: fill(
                    lang,
                    key,
                    &[
                        ("name", name(a)),
                        ("influence", two_decimals(infl(a))),
                        ("align", al.map_or_else(String::new, two_decimals)),
                    ],
                ),
                influence: infl(a),
            });
        }
        if g == 2 && infl(a) >= settings.strong_opponent_influence {
            out.push(Finding {
                kind: GapType::StrongOpponent,
                severity: 2,
                subjects: vec![id(a)],
                evidence: Evidence::StrongOpponent(evidence::StrongOpponent {
                    align: al.map(round4),
                    influence: round4(infl(a)),
                }),
                message: fill(
                    lang,
                    "gap.strong-opponent",
                    &[
                        ("name", name(a)),
                        ("influence", two_decimals(infl(a))),
                        ("align", al.map_or_else(String::new, two_decimals)),
                    ],
                ),
                influence: infl(a),
            });
        }
    }
}

pub(super) fn engagement(s: &Scope<'_, '_>, stakeholders: &[Stakeholder], out: &mut Vec<Finding>) {
    let (ctx, lang) = (s.ctx, s.lang);
    let prep = &ctx.prep;
    let name = |a: u32| prep.actors[a as usize].name.clone();
    let infl = |a: u32| prep.actors[a as usize].influence;
    // Engagement gaps (docs/method.md §12).
    let targets = targets_by_index(ctx.bundle, prep);
    for row in stakeholders {
        let Some(gap) = row.engagement_gap else {
            continue;
        };
        if gap <= MET_TOLERANCE {
            continue;
        }
        let Some(a) = prep.actor_index(&row.actor) else {
            continue;
        };
        let target = targets[a as usize].unwrap_or(0);
        let al = ctx.alignment[a as usize];
        out.push(Finding {
            kind: GapType::EngagementGap,
            severity: if row.quadrant == Quadrant::ManageClosely {
                2
            } else {
                1
            },
            subjects: vec![row.actor.clone()],
            evidence: Evidence::EngagementGap(evidence::EngagementGap {
                align: al.map(round4),
                engagement_gap: round4(gap),
                influence: round4(infl(a)),
                quadrant: row.quadrant,
                target_position: target,
            }),
            message: fill(
                lang,
                "gap.engagement-gap",
                &[
                    ("name", name(a)),
                    ("align", two_decimals(al.unwrap_or(0.0))),
                    ("target", two_decimals(f64::from(target) / 2.0)),
                    ("gap", two_decimals(gap)),
                ],
            ),
            influence: infl(a),
        });
    }
}
