//! Gaps of core narratives (docs/method.md §7): `negative-dominance` and
//! `unchampioned-narrative`.

use super::evidence::{self, round4, two_decimals, Evidence};
use super::{Finding, GapType, Scope};
use crate::i18n::fill;

pub(super) fn narratives(s: &Scope<'_, '_>, out: &mut Vec<Finding>) {
    let (ctx, lang) = (s.ctx, s.lang);
    let prep = &ctx.prep;
    let settings = ctx.settings;
    let group = &s.group;
    let id = |a: u32| prep.actors[a as usize].id.clone();
    let infl = |a: u32| prep.actors[a as usize].influence;
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
                out.push(Finding {
                    kind: GapType::NegativeDominance,
                    severity: 3,
                    subjects: vec![info.id.clone()],
                    evidence: Evidence::NegativeDominance(evidence::NegativeDominance {
                        against: against.iter().take(5).map(|&a| id(a)).collect(),
                        dominance: round4(*d),
                        influence: round4(concern),
                        opposition: round4(opp),
                        support: round4(sup),
                    }),
                    message: fill(
                        lang,
                        "gap.negative-dominance",
                        &[
                            ("narrative", info.label.clone()),
                            ("dominance", two_decimals(*d)),
                            ("support", two_decimals(sup)),
                            ("opposition", two_decimals(opp)),
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
            out.push(Finding {
                kind: GapType::UnchampionedNarrative,
                severity: 2,
                subjects: vec![info.id.clone()],
                evidence: Evidence::UnchampionedNarrative(evidence::UnchampionedNarrative {
                    best: best.map(id),
                    best_influence: best.map(|a| round4(infl(a))),
                    carriers: carriers.len(),
                    influence: round4(concern),
                    threshold: settings.champion_influence,
                }),
                message: fill(
                    lang,
                    "gap.unchampioned-narrative",
                    &[
                        ("narrative", info.label.clone()),
                        ("threshold", two_decimals(settings.champion_influence)),
                    ],
                ),
                influence: concern,
            });
        }
    }
}
