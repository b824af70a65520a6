//! `overdue-commitment` and `contact-overdue` (docs/method.md §16, engagement), judged at the
//! engagement date E of [`crate::relationships::engagement_end`].
//! - `overdue-commitment`: a commitment not done or dropped whose `due` is before E; severity
//!   3 for a promise of ours, 2 for one of theirs.
//! - `contact-overdue`: an actor whose relationship status is `overdue` or `never`; severity 2,
//!   3 in the manage-closely quadrant with influence >= 0.6. Only for maps that log contacts.

use super::evidence::{round4, ContactOverdue, Evidence, OverdueCommitment};
use super::{Finding, GapType};
use crate::context::Context;
use crate::i18n::{fill, Lang};
use crate::relationships::{relationships_until, ContactStatus};
use crate::stakeholders::{quadrant, Quadrant};
use vertoog_model::Direction;

/// Influence at or above which an overdue contact in the manage-closely quadrant is severe.
const SEVERE_INFLUENCE: f64 = 0.6;

pub(super) fn engagement(ctx: &Context<'_>, lang: Lang, out: &mut Vec<Finding>) {
    let bundle = ctx.bundle;
    let Some(end) = ctx.engagement_end() else {
        return;
    };
    let actor = |id: &str| bundle.actors.iter().find(|a| a.id == id);
    for c in &bundle.commitments {
        let (Some(due), Some(days)) = (c.due, c.days_late(end)) else {
            continue;
        };
        let Some(a) = actor(&c.actor) else { continue };
        let owner = if c.owner.is_empty() {
            "—".to_string()
        } else {
            c.owner.clone()
        };
        let key = match c.direction {
            Direction::Ours => "gap.overdue-commitment.ours",
            Direction::Theirs => "gap.overdue-commitment.theirs",
        };
        out.push(Finding {
            kind: GapType::OverdueCommitment,
            severity: if c.direction == Direction::Ours { 3 } else { 2 },
            subjects: vec![a.id.clone()],
            evidence: Evidence::OverdueCommitment(OverdueCommitment {
                commitment: c.id.clone(),
                days_late: days,
                direction: c.direction,
                due,
                influence: round4(a.influence),
            }),
            message: fill(
                lang,
                key,
                &[
                    ("name", a.name.clone()),
                    ("text", c.text.clone()),
                    ("due", due.to_string()),
                    ("days", days.to_string()),
                    ("owner", owner),
                ],
            ),
            influence: a.influence,
        });
    }
    for r in relationships_until(bundle, ctx.settings, ctx.window, Some(end)) {
        if !matches!(r.status, ContactStatus::Overdue | ContactStatus::Never) {
            continue;
        }
        let (Some(a), Some(cadence)) = (actor(&r.actor), r.cadence_days) else {
            continue;
        };
        let q = quadrant(a.influence, a.interest, ctx.settings);
        let severity = if q == Quadrant::ManageClosely && a.influence >= SEVERE_INFLUENCE {
            3
        } else {
            2
        };
        let message = match r.last_contact {
            None => fill(
                lang,
                "gap.contact-overdue.never",
                &[("name", a.name.clone()), ("cadence", cadence.to_string())],
            ),
            Some(last) => fill(
                lang,
                "gap.contact-overdue.overdue",
                &[
                    ("name", a.name.clone()),
                    ("last", last.to_string()),
                    ("cadence", cadence.to_string()),
                ],
            ),
        };
        out.push(Finding {
            kind: GapType::ContactOverdue,
            severity,
            subjects: vec![a.id.clone()],
            evidence: Evidence::ContactOverdue(ContactOverdue {
                cadence_days: cadence,
                influence: round4(a.influence),
                last_contact: r.last_contact,
                quadrant: q,
                status: r.status,
            }),
            message,
            influence: a.influence,
        });
    }
}
