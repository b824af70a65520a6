//! Relationship health per actor (docs/method.md §16, engagement): last contact, contacts in
//! the 90 days up to the engagement date E, the expected cadence, the status against it and
//! the sentiment trend.
//!
//! E, the date the relationships are judged at (the analysis has no clock): the window's
//! `to`, else `settings.as_of` (the CLI and the server fill it with today's date), else the
//! latest date in the map's data (stance dates, tie `since`, interaction dates). Interactions
//! count when their date lies in the window and not after E.

use serde::{Deserialize, Serialize};
use vertoog_model::{Bundle, Date, Engagement, Interaction, Settings};

use crate::prepare::Window;
use crate::stakeholders::{quadrant, Quadrant};

/// Days of the "recent contacts" count.
pub const RECENT_DAYS: i64 = 90;

/// `never` | `ok` | `due` | `overdue` | `none`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContactStatus {
    /// No contact in the window, a cadence set.
    Never,
    /// The last contact is within the cadence.
    Ok,
    /// Past the cadence by less than half of it.
    Due,
    /// Past the cadence by half of it or more.
    Overdue,
    /// No cadence.
    None,
}

impl ContactStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactStatus::Never => "never",
            ContactStatus::Ok => "ok",
            ContactStatus::Due => "due",
            ContactStatus::Overdue => "overdue",
            ContactStatus::None => "none",
        }
    }
}

/// One row of `"relationships"` in `analyse --json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Relationship {
    pub actor: String,
    pub last_contact: Option<Date>,
    pub contacts_90d: usize,
    pub cadence_days: Option<u32>,
    pub status: ContactStatus,
    pub sentiment_trend: Option<f64>,
}

/// The engagement date E (see the module doc); `None` when the map has no date at all.
pub fn engagement_end(bundle: &Bundle, settings: &Settings, window: Window) -> Option<Date> {
    end_given(settings, window, || crate::prepare::latest_date(bundle))
}

/// E from the window and the settings, else `latest` (the bundle's latest date).
pub(crate) fn end_given(
    settings: &Settings,
    window: Window,
    latest: impl FnOnce() -> Option<Date>,
) -> Option<Date> {
    window.to.or(settings.as_of).or_else(latest)
}

/// The default cadence of an engagement level, in days.
fn engagement_cadence(e: Engagement) -> u32 {
    match e {
        Engagement::Inform => 180,
        Engagement::Consult => 90,
        Engagement::Involve => 60,
        Engagement::Collaborate | Engagement::Empower => 30,
    }
}

fn quadrant_key(q: Quadrant) -> &'static str {
    match q {
        Quadrant::ManageClosely => "manage-closely",
        Quadrant::KeepSatisfied => "keep-satisfied",
        Quadrant::KeepInformed => "keep-informed",
        Quadrant::Monitor => "monitor",
    }
}

/// The default cadence of a quadrant, for actors without engagement level (`monitor`: none).
fn quadrant_cadence(q: Quadrant) -> Option<u32> {
    match q {
        Quadrant::ManageClosely => Some(60),
        Quadrant::KeepSatisfied => Some(90),
        Quadrant::KeepInformed => Some(120),
        Quadrant::Monitor => None,
    }
}

/// The expected days between contacts with an actor: from its engagement level, else its
/// quadrant; `settings.cadence_days` replaces a default (0: no cadence).
pub fn cadence(actor: &vertoog_model::Actor, settings: &Settings) -> Option<u32> {
    let (key, default) = match actor.engagement {
        Some(e) => (e.as_str(), Some(engagement_cadence(e))),
        None => {
            let q = quadrant(actor.influence, actor.interest, settings);
            (quadrant_key(q), quadrant_cadence(q))
        }
    };
    match settings.cadence_days.get(key) {
        Some(0) => None,
        Some(&d) => Some(d),
        None => default,
    }
}

/// The status of a relationship with the last contact `last`, cadence `cadence`, at `end`.
pub fn status(last: Option<Date>, cadence: Option<u32>, end: Date) -> ContactStatus {
    let Some(c) = cadence else {
        return ContactStatus::None;
    };
    let Some(last) = last else {
        return ContactStatus::Never;
    };
    let gap = (end - last).num_days();
    let c = i64::from(c);
    if gap <= c {
        ContactStatus::Ok
    } else if 2 * (gap - c) < c {
        ContactStatus::Due
    } else {
        ContactStatus::Overdue
    }
}

/// Mean sentiment of the last three interactions with a sentiment minus the mean of the (up
/// to) three before them; `None` with fewer than four. `sentiments` in time order.
pub fn sentiment_trend(sentiments: &[i8]) -> Option<f64> {
    let n = sentiments.len();
    if n < 4 {
        return None;
    }
    let mean = |xs: &[i8]| xs.iter().map(|&x| f64::from(x)).sum::<f64>() / xs.len() as f64;
    let last = &sentiments[n - 3..];
    let before = &sentiments[n.saturating_sub(6)..n - 3];
    Some(round4(mean(last) - mean(before)))
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0 + 0.0
}

/// Whether the map holds engagement data the relationships are computed for: at least one
/// interaction (a team that logs no contacts gets no relationship rows and no contact gaps).
pub fn tracks_contacts(bundle: &Bundle) -> bool {
    !bundle.interactions.is_empty()
}

/// The interactions that count at E: in the window, not after E; sorted by date, then id.
pub fn counted_interactions(bundle: &Bundle, window: Window, end: Date) -> Vec<&Interaction> {
    let mut v: Vec<&Interaction> = bundle
        .interactions
        .iter()
        .filter(|i| i.date <= end && window.contains(Some(i.date)))
        .collect();
    v.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
    v
}

/// The relationship of every actor, in id order; empty when the map tracks no contacts or
/// has no date.
pub fn relationships(bundle: &Bundle, settings: &Settings, window: Window) -> Vec<Relationship> {
    relationships_until(
        bundle,
        settings,
        window,
        engagement_end(bundle, settings, window),
    )
}

/// [`relationships`] with the engagement date E already known.
pub(crate) fn relationships_until(
    bundle: &Bundle,
    settings: &Settings,
    window: Window,
    end: Option<Date>,
) -> Vec<Relationship> {
    if !tracks_contacts(bundle) {
        return Vec::new();
    }
    let Some(end) = end else {
        return Vec::new();
    };
    let counted = counted_interactions(bundle, window, end);
    let mut actors: Vec<&vertoog_model::Actor> = bundle.actors.iter().collect();
    actors.sort_by(|a, b| a.id.cmp(&b.id));
    actors
        .into_iter()
        .map(|a| {
            let mine: Vec<&&Interaction> = counted
                .iter()
                .filter(|i| i.actors.iter().any(|x| x == &a.id))
                .collect();
            let last = mine.last().map(|i| i.date);
            let recent = mine
                .iter()
                .filter(|i| (end - i.date).num_days() < RECENT_DAYS)
                .count();
            let sentiments: Vec<i8> = mine.iter().filter_map(|i| i.sentiment).collect();
            let cadence = cadence(a, settings);
            Relationship {
                actor: a.id.clone(),
                last_contact: last,
                contacts_90d: recent,
                cadence_days: cadence,
                status: status(last, cadence, end),
                sentiment_trend: sentiment_trend(&sentiments),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    /// issue 19, hand-checked: cadence 60 at E = 2025-06-30.
    #[test]
    fn status_at_the_boundaries() {
        let end = d("2025-06-30");
        // Exactly on the cadence (60 days): ok.
        assert_eq!(
            status(Some(d("2025-05-01")), Some(60), end),
            ContactStatus::Ok
        );
        // One day past: due.
        assert_eq!(
            status(Some(d("2025-04-30")), Some(60), end),
            ContactStatus::Due
        );
        // 29 days past (less than half of 60): due; 30 days past (half): overdue.
        assert_eq!(
            status(Some(d("2025-04-02")), Some(60), end),
            ContactStatus::Due
        );
        assert_eq!(
            status(Some(d("2025-04-01")), Some(60), end),
            ContactStatus::Overdue
        );
        assert_eq!(status(None, Some(60), end), ContactStatus::Never);
        assert_eq!(
            status(Some(d("2025-01-01")), None, end),
            ContactStatus::None
        );
    }

    #[test]
    fn cadence_from_engagement_quadrant_and_settings() {
        let s = Settings::default();
        let mut a = vertoog_model::Actor::new("a", "A");
        a.engagement = Some(Engagement::Involve);
        assert_eq!(cadence(&a, &s), Some(60));
        a.engagement = None;
        a.influence = 0.9;
        a.interest = 0.9;
        assert_eq!(cadence(&a, &s), Some(60)); // manage closely
        a.interest = 0.1;
        assert_eq!(cadence(&a, &s), Some(90)); // keep satisfied
        a.influence = 0.1;
        assert_eq!(cadence(&a, &s), None); // monitor
        let mut s2 = s.clone();
        s2.cadence_days.insert("monitor".into(), 365);
        assert_eq!(cadence(&a, &s2), Some(365));
    }

    /// issue 19, hand-checked: the trend with 3, 4 and 6 sentiments.
    #[test]
    fn sentiment_trend_with_three_four_and_six() {
        assert_eq!(sentiment_trend(&[1, 2, 2]), None);
        // Last three (0, 1, 2): mean 1; the one before: -2 -> 3.
        assert_eq!(sentiment_trend(&[-2, 0, 1, 2]), Some(3.0));
        // Last three (2, 2, 1): 5/3; three before (-1, 0, 1): 0 -> 1.6667.
        assert_eq!(sentiment_trend(&[-1, 0, 1, 2, 2, 1]), Some(1.6667));
    }
}
