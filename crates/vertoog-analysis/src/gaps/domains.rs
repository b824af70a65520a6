//! Gaps of domains (docs/method.md §7): `missing-domain` (no member of T in a required domain)
//! and `weak-domain` (its members in T all below `weak_domain_influence`).

use super::evidence::{self, round4, two_decimals, Evidence};
use super::{Finding, GapType, Scope};
use crate::i18n::{domain_name, fill};

pub(super) fn domains(s: &Scope<'_, '_>, out: &mut Vec<Finding>) {
    let (ctx, lang) = (s.ctx, s.lang);
    let prep = &ctx.prep;
    let settings = ctx.settings;
    let t = &ctx.groups.supporters;
    let group = &s.group;
    let n_all = prep.n_actors();
    let name = |a: u32| prep.actors[a as usize].name.clone();
    let id = |a: u32| prep.actors[a as usize].id.clone();
    let infl = |a: u32| prep.actors[a as usize].influence;
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
                        ("influence", two_decimals(infl(best))),
                    ],
                ),
            };
            out.push(Finding {
                kind: GapType::MissingDomain,
                severity: 3,
                subjects: vec![d.clone()],
                evidence: Evidence::MissingDomain(evidence::MissingDomain {
                    actors_in_map: in_map.len(),
                    candidates: cands.iter().take(5).map(|&a| id(a)).collect(),
                    domain: d.clone(),
                    influence: round4(total),
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
            out.push(Finding {
                kind: GapType::WeakDomain,
                severity: 2,
                subjects: vec![d.clone()],
                evidence: Evidence::WeakDomain(evidence::WeakDomain {
                    domain: d.clone(),
                    influence: round4(total),
                    max_influence: round4(max),
                    members: in_t.iter().map(|&a| id(a)).collect(),
                    threshold: settings.weak_domain_influence,
                }),
                message: fill(
                    lang,
                    "gap.weak-domain",
                    &[
                        ("domain", dn),
                        ("names", names.join(", ")),
                        ("influence", two_decimals(max)),
                        ("threshold", two_decimals(settings.weak_domain_influence)),
                    ],
                ),
                influence: total,
            });
        }
    }
}
