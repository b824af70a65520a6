//! The analysis parameters of docs/method.md, stored with each map.
//!
//! Every field has a documented default; a settings document may give any subset of them
//! (`Settings::with_overrides`), and an unknown key is an error so that a typo never silently
//! falls back to a default.

use serde::{Deserialize, Serialize};

/// Which network coalition detection runs on (docs/method.md §3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CoalitionBasis {
    /// The signed discourse network w (who shares storylines). Default.
    #[default]
    Discourse,
    /// The signed tie network (alliances positive, `conflict` ties negative).
    Ties,
    /// w plus the signed tie weights, each scaled to a largest absolute weight of 1.
    Combined,
}

impl CoalitionBasis {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "discourse" => Some(Self::Discourse),
            "ties" => Some(Self::Ties),
            "combined" => Some(Self::Combined),
            _ => None,
        }
    }
}

/// The weights ω of the strength components (docs/method.md §5).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StrengthWeights {
    pub influence_share: f64,
    pub breadth: f64,
    pub discourse_cohesion: f64,
    pub connectedness: f64,
    pub narrative_support: f64,
}

impl Default for StrengthWeights {
    fn default() -> Self {
        StrengthWeights {
            influence_share: 0.2,
            breadth: 0.2,
            discourse_cohesion: 0.2,
            connectedness: 0.2,
            narrative_support: 0.2,
        }
    }
}

/// Analysis parameters. Defaults are those of docs/method.md and docs/method.md §12.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// θ: supporter when align >= θ, opponent when align <= -θ (section 4). Default 0.25.
    pub threshold: f64,
    /// Domains a broad coalition needs (section 5, breadth).
    pub required_domains: Vec<String>,
    /// ω of the strength score (section 5).
    pub weights: StrengthWeights,
    /// γ+ of signed modularity (section 3). Default 1.
    pub resolution: f64,
    /// γ- of signed modularity (section 3). Default 0.
    pub conflict_resolution: f64,
    /// The network coalitions are detected on (section 3).
    pub coalition_basis: CoalitionBasis,
    /// `weak-domain`: a required domain present only through members below this influence.
    pub weak_domain_influence: f64,
    /// `latent-ally`: minimum w between two supporters.
    pub latent_ally_w: f64,
    /// `swing-actor`: minimum influence of an undecided or silent actor.
    pub swing_influence: f64,
    /// `strong-opponent`: minimum influence of an opponent.
    pub strong_opponent_influence: f64,
    /// `unchampioned-narrative`: a champion is a supporter of at least this influence.
    pub champion_influence: f64,
    /// `dormant`: months without a dated stance or tie before the window's end.
    pub dormant_months: u32,
    /// Power/interest grid: power is influence >= this (docs/method.md §12).
    pub power_threshold: f64,
    /// Power/interest grid: high interest is interest >= this (docs/method.md §12).
    pub interest_threshold: f64,
    /// Above this many non-zero discourse pairs, analysis is approximate (section 10).
    pub max_pairs: u64,
    /// k of the kNN sparsification above `max_pairs` (section 10).
    pub knn_k: usize,
    /// Betweenness is exact up to this many nodes, sampled above (section 6).
    pub betweenness_exact_limit: usize,
    /// Number of sampled sources for approximate betweenness (section 6).
    pub betweenness_samples: usize,
    /// Seed of every randomised step (sampling, local search); results are deterministic.
    pub seed: u64,
    /// How many actions are returned (section 8).
    pub max_actions: usize,
    /// Engagement: the date the relationship health, overdue commitments and contacts are
    /// judged at when the window has no end ("today"). The analysis has no clock: the CLI
    /// and the server fill it with today's date for maps with engagement data (docs/decisions.md).
    /// Absent: the latest date in the map's data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<crate::Date>,
    /// Engagement: days after a plan item's `done_on` at which its measured effect is read.
    #[serde(skip_serializing_if = "is_default_horizon")]
    pub effect_horizon_days: u32,
    /// Engagement: expected days between contacts per engagement level (`inform`, ...,
    /// `empower`) or quadrant (`manage-closely`, `keep-satisfied`, `keep-informed`,
    /// `monitor`); replaces the defaults of docs/method.md for the keys given (0: no cadence).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub cadence_days: std::collections::BTreeMap<String, u32>,
}

/// Default of `effect_horizon_days`.
pub const DEFAULT_EFFECT_HORIZON_DAYS: u32 = 90;

fn is_default_horizon(d: &u32) -> bool {
    *d == DEFAULT_EFFECT_HORIZON_DAYS
}

/// The keys `cadence_days` may have.
pub const CADENCE_KEYS: [&str; 9] = [
    "inform",
    "consult",
    "involve",
    "collaborate",
    "empower",
    "manage-closely",
    "keep-satisfied",
    "keep-informed",
    "monitor",
];

/// Settings left out of the JSON while they have their default value; overrides may still
/// name them.
const OPTIONAL_KEYS: [&str; 3] = ["as_of", "effect_horizon_days", "cadence_days"];

impl Default for Settings {
    fn default() -> Self {
        Settings {
            threshold: 0.25,
            required_domains: ["ministry", "vng", "municipality", "science"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            weights: StrengthWeights::default(),
            resolution: 1.0,
            conflict_resolution: 0.0,
            coalition_basis: CoalitionBasis::Discourse,
            weak_domain_influence: 0.4,
            latent_ally_w: 0.5,
            swing_influence: 0.6,
            strong_opponent_influence: 0.6,
            champion_influence: 0.6,
            dormant_months: 12,
            power_threshold: 0.6,
            interest_threshold: 0.5,
            max_pairs: 50_000_000,
            knn_k: 50,
            betweenness_exact_limit: 5_000,
            betweenness_samples: 500,
            seed: 42,
            max_actions: 20,
            as_of: None,
            effect_horizon_days: DEFAULT_EFFECT_HORIZON_DAYS,
            cadence_days: std::collections::BTreeMap::new(),
        }
    }
}

/// Upper bounds of the integer settings (issue 16 item 13: `max_actions` = 2^64-1 or
/// `knn_k` = 10^15 made an analysis allocate without end). Each is far above any useful
/// value: (setting, bound).
pub const SETTING_BOUNDS: [(&str, u64); 6] = [
    ("max_actions", 1_000),
    ("knn_k", 10_000),
    ("max_pairs", 1_000_000_000),
    ("betweenness_exact_limit", 1_000_000),
    ("betweenness_samples", 100_000),
    ("dormant_months", 1_200),
];

/// Upper bound of `resolution` and `conflict_resolution`.
pub const MAX_RESOLUTION: f64 = 1_000.0;

/// At most this many `required_domains`.
pub const MAX_REQUIRED_DOMAINS: usize = 100;

/// (setting, value, bound) of every bounded integer setting.
fn bounded_values(s: &Settings) -> [(&'static str, u64, u64); 6] {
    let value = |name: &str| -> u64 {
        match name {
            "max_actions" => s.max_actions as u64,
            "knn_k" => s.knn_k as u64,
            "max_pairs" => s.max_pairs,
            "betweenness_exact_limit" => s.betweenness_exact_limit as u64,
            "betweenness_samples" => s.betweenness_samples as u64,
            _ => u64::from(s.dormant_months),
        }
    };
    SETTING_BOUNDS.map(|(name, max)| (name, value(name), max))
}

impl Settings {
    /// These settings with the keys of `overrides` (a JSON object, possibly partial) replaced.
    /// `weights` may itself be partial. Unknown keys and wrong types are an error naming the key.
    pub fn with_overrides(&self, overrides: &serde_json::Value) -> Result<Settings, String> {
        let serde_json::Value::Object(over) = overrides else {
            return Err("settings must be a JSON object".into());
        };
        let mut base = serde_json::to_value(self).map_err(|e| e.to_string())?;
        let obj = base
            .as_object_mut()
            .expect("settings serialise to an object");
        for (key, value) in over {
            if OPTIONAL_KEYS.contains(&key.as_str()) {
                obj.insert(key.clone(), value.clone());
                continue;
            }
            match (obj.get_mut(key), value) {
                (None, _) => return Err(format!("unknown setting `{key}`")),
                (Some(serde_json::Value::Object(inner)), serde_json::Value::Object(vals)) => {
                    for (k, v) in vals {
                        if !inner.contains_key(k) {
                            return Err(format!("unknown setting `{key}.{k}`"));
                        }
                        inner.insert(k.clone(), v.clone());
                    }
                }
                (Some(slot), v) => *slot = v.clone(),
            }
        }
        let merged: Settings = serde_json::from_value(base).map_err(|e| e.to_string())?;
        merged.validate()?;
        Ok(merged)
    }

    /// Range checks; the message names the setting.
    pub fn validate(&self) -> Result<(), String> {
        let unit = [
            ("threshold", self.threshold),
            ("weak_domain_influence", self.weak_domain_influence),
            ("swing_influence", self.swing_influence),
            ("strong_opponent_influence", self.strong_opponent_influence),
            ("champion_influence", self.champion_influence),
            ("power_threshold", self.power_threshold),
            ("interest_threshold", self.interest_threshold),
        ];
        for (name, v) in unit {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("setting `{name}`: {v} is outside 0..1"));
            }
        }
        if !(-1.0..=1.0).contains(&self.latent_ally_w) {
            return Err(format!(
                "setting `latent_ally_w`: {} is outside -1..1",
                self.latent_ally_w
            ));
        }
        for (name, v) in [
            ("resolution", self.resolution),
            ("conflict_resolution", self.conflict_resolution),
        ] {
            if !v.is_finite() || v < 0.0 {
                return Err(format!("setting `{name}`: {v} must be a number >= 0"));
            }
        }
        let w = &self.weights;
        for (name, v) in [
            ("influence_share", w.influence_share),
            ("breadth", w.breadth),
            ("discourse_cohesion", w.discourse_cohesion),
            ("connectedness", w.connectedness),
            ("narrative_support", w.narrative_support),
        ] {
            if !v.is_finite() || v < 0.0 {
                return Err(format!(
                    "setting `weights.{name}`: {v} must be a number >= 0"
                ));
            }
        }
        if self.knn_k == 0 {
            return Err("setting `knn_k` must be at least 1".into());
        }
        for (name, v, max) in bounded_values(self) {
            if v > max {
                return Err(format!(
                    "setting `{name}`: {v} is above its upper bound {max}"
                ));
            }
        }
        for (name, v) in [
            ("resolution", self.resolution),
            ("conflict_resolution", self.conflict_resolution),
        ] {
            if v > MAX_RESOLUTION {
                return Err(format!(
                    "setting `{name}`: {v} is above its upper bound {MAX_RESOLUTION}"
                ));
            }
        }
        if self.effect_horizon_days > 3_650 {
            return Err(format!(
                "setting `effect_horizon_days`: {} is above its upper bound 3650",
                self.effect_horizon_days
            ));
        }
        for (k, v) in &self.cadence_days {
            if !CADENCE_KEYS.contains(&k.as_str()) {
                return Err(format!(
                    "setting `cadence_days`: unknown key `{k}` (use {})",
                    CADENCE_KEYS.join(", ")
                ));
            }
            if *v > 3_650 {
                return Err(format!(
                    "setting `cadence_days.{k}`: {v} is above its upper bound 3650"
                ));
            }
        }
        if self.required_domains.len() > MAX_REQUIRED_DOMAINS {
            return Err(format!(
                "setting `required_domains`: {} domains; at most {MAX_REQUIRED_DOMAINS} are allowed",
                self.required_domains.len()
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn partial_overrides_keep_other_defaults() {
        let s = Settings::default()
            .with_overrides(&json!({"resolution": 0.5, "weights": {"breadth": 0.4}}))
            .unwrap();
        assert_eq!(s.resolution, 0.5);
        assert_eq!(s.weights.breadth, 0.4);
        assert_eq!(s.weights.connectedness, 0.2);
        assert_eq!(s.threshold, 0.25);
    }

    #[test]
    fn unknown_or_bad_settings_are_named() {
        let e = Settings::default()
            .with_overrides(&json!({"treshold": 0.3}))
            .unwrap_err();
        assert!(e.contains("treshold"), "{e}");
        let e = Settings::default()
            .with_overrides(&json!({"weights": {"x": 1}}))
            .unwrap_err();
        assert!(e.contains("weights.x"), "{e}");
        let e = Settings::default()
            .with_overrides(&json!({"threshold": 3}))
            .unwrap_err();
        assert!(e.contains("threshold"), "{e}");
        let e = Settings::default()
            .with_overrides(&json!({"coalition_basis": "x"}))
            .unwrap_err();
        assert!(
            e.contains("coalition_basis") || e.contains("variant"),
            "{e}"
        );
    }

    #[test]
    fn settings_have_upper_bounds() {
        for (key, too_big) in [
            ("max_actions", json!(u64::MAX)),
            ("knn_k", json!(1_000_000_000_000_000u64)),
            ("max_pairs", json!(10_000_000_000u64)),
            ("betweenness_exact_limit", json!(2_000_000)),
            ("betweenness_samples", json!(1_000_000)),
            ("dormant_months", json!(100_000)),
            ("resolution", json!(1e9)),
        ] {
            let e = Settings::default()
                .with_overrides(&json!({ key: too_big }))
                .unwrap_err();
            assert!(e.contains(key) && e.contains("upper bound"), "{key}: {e}");
        }
        let ok = Settings::default()
            .with_overrides(&json!({"max_actions": 1000, "knn_k": 10000}))
            .unwrap();
        assert_eq!(ok.max_actions, 1000);
        let many: Vec<String> = (0..101).map(|i| format!("d{i}")).collect();
        assert!(Settings::default()
            .with_overrides(&json!({ "required_domains": many }))
            .is_err());
        Settings::default().validate().unwrap();
    }

    #[test]
    fn empty_json_gives_defaults() {
        let s: Settings = serde_json::from_str("{}").unwrap();
        assert_eq!(s, Settings::default());
    }
}
