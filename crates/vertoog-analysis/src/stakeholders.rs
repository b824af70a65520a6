//! Stakeholder-management views (docs/method.md §12 "Derived views"): the power/interest quadrant
//! (Mendelow), the salience class (Mitchell, Agle & Wood 1997) and the engagement gap per
//! actor, and the share of engagement targets met.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use vertoog_model::{Actor, Bundle, Settings};

use crate::prepare::Prepared;

/// Power/interest grid (Mendelow).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Quadrant {
    /// influence >= power_threshold and interest >= interest_threshold.
    ManageClosely,
    /// influence >= power_threshold, interest below.
    KeepSatisfied,
    /// influence below, interest >= interest_threshold.
    KeepInformed,
    /// The rest.
    Monitor,
}

/// Salience class from power, legitimacy and urgency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Salience {
    /// P.
    Dormant,
    /// L.
    Discretionary,
    /// U.
    Demanding,
    /// P + L.
    Dominant,
    /// P + U.
    Dangerous,
    /// L + U.
    Dependent,
    /// P + L + U.
    Definitive,
    /// None of the three.
    NonStakeholder,
}

/// One row of `"stakeholders"` in `analyse --json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stakeholder {
    pub actor: String,
    pub quadrant: Quadrant,
    pub salience: Salience,
    /// target_position/2 − align(a) (a silent actor counts as 0); null without a target. The
    /// target is met when the gap is <= 0.
    pub engagement_gap: Option<f64>,
}

/// Tolerance under which an engagement gap counts as met (alignment is a mean of halves).
pub const MET_TOLERANCE: f64 = 1e-12;

/// The quadrant of an actor: power is influence >= `settings.power_threshold`, high interest
/// is interest >= `settings.interest_threshold` (both inclusive).
pub fn quadrant(influence: f64, interest: f64, settings: &Settings) -> Quadrant {
    let power = influence >= settings.power_threshold;
    let high = interest >= settings.interest_threshold;
    match (power, high) {
        (true, true) => Quadrant::ManageClosely,
        (true, false) => Quadrant::KeepSatisfied,
        (false, true) => Quadrant::KeepInformed,
        (false, false) => Quadrant::Monitor,
    }
}

/// The salience class of (power, legitimacy, urgency).
pub fn salience(power: bool, legitimacy: bool, urgency: bool) -> Salience {
    match (power, legitimacy, urgency) {
        (true, false, false) => Salience::Dormant,
        (false, true, false) => Salience::Discretionary,
        (false, false, true) => Salience::Demanding,
        (true, true, false) => Salience::Dominant,
        (true, false, true) => Salience::Dangerous,
        (false, true, true) => Salience::Dependent,
        (true, true, true) => Salience::Definitive,
        (false, false, false) => Salience::NonStakeholder,
    }
}

/// engagement_gap = target/2 − align, with align 0 for a silent actor.
pub fn engagement_gap(target: i8, align: Option<f64>) -> f64 {
    f64::from(target) / 2.0 - align.unwrap_or(0.0)
}

fn unit(x: f64, default: f64) -> f64 {
    if x.is_finite() {
        x.clamp(0.0, 1.0)
    } else {
        default
    }
}

/// The bundle's actor of each dense index (the first of duplicate ids, as `Prepared` keeps).
fn actors_by_index<'a>(bundle: &'a Bundle, prep: &Prepared) -> Vec<Option<&'a Actor>> {
    let mut by_id: HashMap<&str, &Actor> = HashMap::new();
    for a in &bundle.actors {
        by_id.entry(a.id.as_str()).or_insert(a);
    }
    prep.actors
        .iter()
        .map(|a| by_id.get(a.id.as_str()).copied())
        .collect()
}

/// target_position per dense actor index (clamped to -2..2).
pub fn targets_by_index(bundle: &Bundle, prep: &Prepared) -> Vec<Option<i8>> {
    actors_by_index(bundle, prep)
        .into_iter()
        .map(|a| a.and_then(|a| a.target_position).map(|t| t.clamp(-2, 2)))
        .collect()
}

/// Share of the actors with a target whose engagement gap is <= 0; null when no actor has a
/// target.
pub fn targets_met(targets: &[Option<i8>], align: &[Option<f64>]) -> Option<f64> {
    let mut with = 0usize;
    let mut met = 0usize;
    for (t, a) in targets.iter().zip(align) {
        if let Some(t) = t {
            with += 1;
            if engagement_gap(*t, *a) <= MET_TOLERANCE {
                met += 1;
            }
        }
    }
    (with > 0).then(|| met as f64 / with as f64)
}

/// One row per actor, in id order.
pub fn stakeholders(
    bundle: &Bundle,
    prep: &Prepared,
    align: &[Option<f64>],
    settings: &Settings,
) -> Vec<Stakeholder> {
    actors_by_index(bundle, prep)
        .into_iter()
        .zip(&prep.actors)
        .enumerate()
        .map(|(i, (full, info))| {
            let interest = full.map_or(0.5, |a| unit(a.interest, 0.5));
            let power = info.influence >= settings.power_threshold;
            Stakeholder {
                actor: info.id.clone(),
                quadrant: quadrant(info.influence, interest, settings),
                salience: salience(
                    power,
                    full.is_some_and(|a| a.legitimacy),
                    full.is_some_and(|a| a.urgency),
                ),
                engagement_gap: full
                    .and_then(|a| a.target_position)
                    .map(|t| engagement_gap(t.clamp(-2, 2), align[i])),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quadrant_at_the_thresholds() {
        let s = Settings::default(); // power 0.6, interest 0.5
        assert_eq!(quadrant(0.6, 0.5, &s), Quadrant::ManageClosely);
        assert_eq!(quadrant(0.6, 0.4999, &s), Quadrant::KeepSatisfied);
        assert_eq!(quadrant(0.5999, 0.5, &s), Quadrant::KeepInformed);
        assert_eq!(quadrant(0.5999, 0.4999, &s), Quadrant::Monitor);
        assert_eq!(quadrant(1.0, 1.0, &s), Quadrant::ManageClosely);
        let s = Settings {
            power_threshold: 0.8,
            interest_threshold: 0.2,
            ..Settings::default()
        };
        assert_eq!(quadrant(0.7, 0.2, &s), Quadrant::KeepInformed);
        assert_eq!(quadrant(0.8, 0.1, &s), Quadrant::KeepSatisfied);
    }

    #[test]
    fn salience_classes() {
        use Salience::*;
        let cases = [
            ((true, false, false), Dormant),
            ((false, true, false), Discretionary),
            ((false, false, true), Demanding),
            ((true, true, false), Dominant),
            ((true, false, true), Dangerous),
            ((false, true, true), Dependent),
            ((true, true, true), Definitive),
            ((false, false, false), NonStakeholder),
        ];
        for ((p, l, u), want) in cases {
            assert_eq!(salience(p, l, u), want);
        }
        assert_eq!(
            serde_json::to_string(&NonStakeholder).unwrap(),
            "\"non-stakeholder\""
        );
        assert_eq!(
            serde_json::to_string(&Quadrant::ManageClosely).unwrap(),
            "\"manage-closely\""
        );
    }

    #[test]
    fn engagement_gaps_and_share_met() {
        assert_eq!(engagement_gap(2, Some(0.5)), 0.5);
        assert_eq!(engagement_gap(1, None), 0.5);
        assert_eq!(engagement_gap(-1, Some(-1.0)), 0.5);
        assert_eq!(engagement_gap(1, Some(0.5)), 0.0);
        // Targets 2 (align 1: met), 1 (silent: gap 0.5), none, 0 (align 0.25: met).
        let t = [Some(2), Some(1), None, Some(0)];
        let a = [Some(1.0), None, Some(-1.0), Some(0.25)];
        assert_eq!(targets_met(&t, &a), Some(2.0 / 3.0));
        assert_eq!(targets_met(&[None], &[Some(1.0)]), None);
    }
}
