//! The engagement section of both briefs (engagement.md, briefs.md): the plan items with
//! their status and, for done ones, the simulated gain beside the measured change; the
//! commitments overdue or due within 30 days; the contacts overdue or never made. The actor
//! brief: its relationship, its latest contacts (never a confidential one: a brief is an
//! export) and its open commitments both ways.

use vertoog_analysis::relationships::ContactStatus;
use vertoog_analysis::{Analysis, Lang};
use vertoog_model::{Bundle, Date, Direction, PlanStatus};

use crate::model::Engagement;
use crate::text::{self, t, tr};

/// Commitments due within this many days count as "due soon".
const SOON_DAYS: i64 = 30;
/// Latest contacts listed in the actor brief.
const LATEST_CONTACTS: usize = 3;
/// Overdue contacts listed in the coalition brief (the most influential actors first).
const MAX_OVERDUE_CONTACTS: usize = 8;

fn name(bundle: &Bundle, id: &str) -> String {
    bundle
        .actors
        .iter()
        .find(|a| a.id == id)
        .map_or_else(|| id.to_string(), |a| a.name.clone())
}

fn days(from: Date, to: Date) -> i64 {
    (to - from).num_days()
}

fn status_word(l: Lang, s: PlanStatus) -> &'static str {
    match s {
        PlanStatus::Planned => tr(l, "eng.status.planned"),
        PlanStatus::InProgress => tr(l, "eng.status.in-progress"),
        PlanStatus::Done => tr(l, "eng.status.done"),
        PlanStatus::Dropped => tr(l, "eng.status.dropped"),
    }
}

fn owner_of(l: Lang, owner: &str) -> String {
    if owner.is_empty() {
        tr(l, "eng.no_owner").to_string()
    } else {
        owner.to_string()
    }
}

/// One sentence per commitment that is open and overdue or due within 30 days of `today`,
/// of `actor` only when given; the latest first.
fn commitments(l: Lang, bundle: &Bundle, today: Date, actor: Option<&str>) -> Vec<String> {
    let mut open: Vec<_> = bundle
        .commitments
        .iter()
        .filter(|c| !c.status.is_closed())
        .filter(|c| actor.is_none_or(|a| c.actor == a))
        .filter(|c| actor.is_some() || c.due.is_some_and(|d| days(today, d) <= SOON_DAYS))
        .collect();
    open.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.id.cmp(&b.id)));
    open.into_iter()
        .map(|c| {
            let key = match c.direction {
                Direction::Ours => "eng.commit.ours",
                Direction::Theirs => "eng.commit.theirs",
            };
            let when = match (c.due, c.days_late(today)) {
                (Some(d), Some(n)) => t(
                    l,
                    "eng.late",
                    &[("due", text::date(l, d)), ("n", text::int(l, n))],
                ),
                (Some(d), None) => t(l, "eng.due", &[("due", text::date(l, d))]),
                (None, _) => tr(l, "eng.no_due").to_string(),
            };
            t(
                l,
                key,
                &[
                    ("actor", name(bundle, &c.actor)),
                    ("text", c.text.clone()),
                    ("when", when),
                    ("owner", owner_of(l, &c.owner)),
                ],
            )
        })
        .collect()
}

/// The coalition brief's engagement section; `None` when the map records no engagement.
pub fn coalition(l: Lang, bundle: &Bundle, analysis: &Analysis, today: Date) -> Option<Engagement> {
    if !bundle.has_engagement() {
        return None;
    }
    let mut items: Vec<_> = bundle
        .plan
        .iter()
        .filter(|p| p.status != PlanStatus::Dropped)
        .collect();
    // Late open items first, then in progress, planned, done (the latest first).
    let late = |p: &vertoog_model::PlanItem| p.is_overdue(today);
    let rank = |p: &vertoog_model::PlanItem| match p.status {
        _ if late(p) => 0,
        PlanStatus::InProgress => 1,
        PlanStatus::Planned => 2,
        _ => 3,
    };
    items.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then_with(|| b.done_on.cmp(&a.done_on))
            .then_with(|| a.due.cmp(&b.due))
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut progress = Vec::new();
    for p in items {
        let targets: Vec<String> = p.targets.iter().map(|id| name(bundle, id)).collect();
        let head = t(
            l,
            "eng.item",
            &[
                ("status", status_word(l, p.status).to_string()),
                ("title", p.title.clone()),
                ("targets", text::list(l, &targets, 4)),
                ("owner", owner_of(l, &p.owner)),
            ],
        );
        let tail = if p.status == PlanStatus::Done {
            let effect = analysis.plan.iter().find(|e| e.id == p.id);
            let sim = text::gain(l, p.simulated_gain);
            match effect
                .and_then(|e| Some((e.measured_gain?, e.strength_before?, e.strength_after?)))
            {
                Some((m, before, after)) => t(
                    l,
                    "eng.done.measured",
                    &[
                        (
                            "date",
                            p.done_on.map(|d| text::date(l, d)).unwrap_or_default(),
                        ),
                        ("sim", sim),
                        ("measured", text::signed1(l, m)),
                        ("before", text::strength(l, Some(before))),
                        ("after", text::strength(l, Some(after))),
                    ],
                ),
                None => t(
                    l,
                    "eng.done.unmeasured",
                    &[
                        (
                            "date",
                            p.done_on.map(|d| text::date(l, d)).unwrap_or_default(),
                        ),
                        ("sim", sim),
                    ],
                ),
            }
        } else {
            match p.due {
                Some(d) if d < today => t(
                    l,
                    "eng.item.late",
                    &[
                        ("due", text::date(l, d)),
                        ("n", text::int(l, days(d, today))),
                    ],
                ),
                Some(d) => t(l, "eng.item.due", &[("due", text::date(l, d))]),
                None => tr(l, "eng.no_due").to_string(),
            }
        };
        progress.push(format!("{head} {tail}"));
    }
    if bundle.plan.iter().any(|p| p.status == PlanStatus::Done) {
        progress.push(tr(l, "eng.caveat").to_string());
    }
    if progress.is_empty() {
        progress.push(tr(l, "eng.no_plan").to_string());
    }
    let mut commitments = commitments(l, bundle, today, None);
    if commitments.is_empty() {
        commitments.push(tr(l, "eng.no_commitments").to_string());
    }
    let influence = |id: &str| {
        bundle
            .actors
            .iter()
            .find(|a| a.id == id)
            .map_or(0.0, |a| a.influence)
    };
    let mut overdue: Vec<_> = analysis
        .relationships
        .iter()
        .filter(|r| matches!(r.status, ContactStatus::Overdue | ContactStatus::Never))
        .collect();
    overdue.sort_by(|a, b| {
        influence(&b.actor)
            .total_cmp(&influence(&a.actor))
            .then_with(|| a.actor.cmp(&b.actor))
    });
    let more = overdue.len().saturating_sub(MAX_OVERDUE_CONTACTS);
    let mut contacts: Vec<String> = overdue
        .into_iter()
        .take(MAX_OVERDUE_CONTACTS)
        .map(|r| match r.last_contact {
            Some(last) => t(
                l,
                "eng.contact.overdue",
                &[
                    ("actor", name(bundle, &r.actor)),
                    ("last", text::date(l, last)),
                    ("days", text::int(l, i64::from(r.cadence_days.unwrap_or(0)))),
                ],
            ),
            None => t(
                l,
                "eng.contact.never",
                &[
                    ("actor", name(bundle, &r.actor)),
                    ("days", text::int(l, i64::from(r.cadence_days.unwrap_or(0)))),
                ],
            ),
        })
        .collect();
    if more > 0 {
        contacts.push(t(
            l,
            "eng.contacts.more",
            &[("n", text::int(l, more as i64))],
        ));
    }
    if contacts.is_empty() {
        contacts.push(tr(l, "eng.no_overdue_contacts").to_string());
    }
    Some(Engagement {
        progress,
        commitments,
        contacts,
    })
}

/// The actor brief's engagement: its relationship and latest contacts, its open commitments.
pub fn actor(
    l: Lang,
    bundle: &Bundle,
    analysis: &Analysis,
    actor_id: &str,
    today: Date,
) -> Option<Engagement> {
    if !bundle.has_engagement() {
        return None;
    }
    let mut contacts = Vec::new();
    if let Some(r) = analysis.relationships.iter().find(|r| r.actor == actor_id) {
        let status = match r.status {
            ContactStatus::Never => "eng.rel.never",
            ContactStatus::Ok => "eng.rel.ok",
            ContactStatus::Due => "eng.rel.due",
            ContactStatus::Overdue => "eng.rel.overdue",
            ContactStatus::None => "eng.rel.none",
        };
        contacts.push(t(
            l,
            status,
            &[
                (
                    "last",
                    r.last_contact.map(|d| text::date(l, d)).unwrap_or_default(),
                ),
                ("days", text::int(l, i64::from(r.cadence_days.unwrap_or(0)))),
                ("n", text::int(l, r.contacts_90d as i64)),
            ],
        ));
    }
    let mut latest: Vec<_> = bundle
        .interactions
        .iter()
        .filter(|i| !i.confidential && i.actors.iter().any(|a| a == actor_id) && i.date <= today)
        .collect();
    latest.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| b.id.cmp(&a.id)));
    for i in latest.into_iter().take(LATEST_CONTACTS) {
        let mut s = t(
            l,
            "eng.contact",
            &[("date", text::date(l, i.date)), ("title", i.title.clone())],
        );
        if !i.outcome.is_empty() {
            s = format!("{s} {}", i.outcome);
        }
        contacts.push(s);
    }
    let commitments = commitments(l, bundle, today, Some(actor_id));
    Some(Engagement {
        progress: Vec::new(),
        commitments,
        contacts,
    })
}
