//! `dormant` gaps (docs/method.md §7; the exact rule is in the doc of [`super`]): members of T
//! and ties of G_T without recent activity.

use std::collections::{BTreeMap, HashMap};

use chrono::Months;
use vertoog_model::{Date, TieKind};

use super::evidence::{self, round4, Evidence};
use super::transition_graph::TransitionGraph;
use super::{Finding, GapType};
use crate::context::Context;
use crate::i18n::{fill, Lang};
use crate::prepare::Window;

/// The window's end for `dormant`: `window.to`, else `settings.as_of`, else the latest
/// stance date, tie `since` or interaction date in the bundle (the engagement date E of
/// `relationships`); `None` when the map has no dates.
fn window_end(ctx: &Context<'_>) -> Option<Date> {
    ctx.engagement_end()
}

/// Ties between two members: (all old, latest `since`, tie ids).
type PairTies = (bool, Option<Date>, Vec<String>);

/// The `dormant` gaps (see the module doc for the exact rule).
pub(super) fn dormant(ctx: &Context<'_>, tg: &TransitionGraph, lang: Lang, out: &mut Vec<Finding>) {
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
    // Latest activity per member; latest stance date per member. When the window up to E
    // holds every dated stance of the prepared window, the dates read while preparing serve.
    let mut last: HashMap<u32, Date> = HashMap::new();
    let mut last_stance: HashMap<u32, Date> = HashMap::new();
    if ctx.window.to.is_some() || prep.latest_date.is_some_and(|l| l <= end) {
        for (a, d) in prep.last_stance.iter().enumerate() {
            if let (Some(d), true) = (*d, tg.local[a] != u32::MAX) {
                last.insert(a as u32, d);
                last_stance.insert(a as u32, d);
            }
        }
    } else {
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
    }
    // Contacts count as activity (engagement): an interaction in the window up to E.
    for i in &ctx.bundle.interactions {
        if i.date > end || !window.contains(Some(i.date)) {
            continue;
        }
        for who in &i.actors {
            if let Some(a) = in_t(who) {
                let e = last.entry(a).or_insert(i.date);
                *e = (*e).max(i.date);
            }
        }
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
                out.push(Finding {
                    kind: GapType::Dormant,
                    severity: 1,
                    subjects: vec![id(a)],
                    evidence: Evidence::DormantActor(evidence::DormantActor {
                        cutoff,
                        influence: round4(infl(a)),
                        last_activity: d,
                        months,
                        window_end: end,
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
        out.push(Finding {
            kind: GapType::Dormant,
            severity: 1,
            subjects: vec![id(a), id(b)],
            evidence: Evidence::DormantTie(evidence::DormantTie {
                cutoff,
                influence: round4(infl(a) + infl(b)),
                months,
                since: since.clone(),
                ties: ids,
                window_end: end,
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
