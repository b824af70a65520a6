//! Vertoog's domain model: the map, its actors, narratives, stances and ties (docs/interfaces.md §8),
//! the stakeholder fields (docs/method.md §12), the analysis settings, validation of every field
//! and referential integrity, and near-duplicate name detection.
//!
//! This crate knows nothing about storage, files or the network. Everything here is plain
//! data with serde, and functions that check it.

mod bundle;
mod engagement;
mod entities;
mod names;
mod repeated;
mod settings;
mod validate;

pub use bundle::{Bundle, BUNDLE_FORMAT, BUNDLE_VERSION, BUNDLE_VERSION_ENGAGEMENT};
pub use engagement::{
    validate_commitment, validate_interaction, validate_plan_item, Commitment, CommitmentStatus,
    Direction, Interaction, InteractionKind, PlanItem, PlanStatus, MAX_COMMITMENT_TEXT, PLAN_KINDS,
};
pub use entities::*;
pub use names::{
    find_near_duplicates, is_near_duplicate, near_duplicate_score, normalise_name, similarity,
    NameIndex, NameKey, NearDuplicate, DUPLICATE_THRESHOLD, SHORT_NAME_CHARS,
};
pub use repeated::repeated_ids;
pub use settings::{
    CoalitionBasis, Settings, StrengthWeights, CADENCE_KEYS, DEFAULT_EFFECT_HORIZON_DAYS,
    MAX_REQUIRED_DOMAINS, MAX_RESOLUTION, SETTING_BOUNDS,
};
pub use validate::{
    capped_bundle_errors, forbidden_char, is_bidi_control, is_slug, more_errors_message,
    neutralise, parse_date, slugify, unique_slug, validate_actor, validate_map, validate_narrative,
    validate_stance, validate_tie, BundleError, Capped, FieldError, MAX_ERRORS, MAX_NAME_LEN,
};

/// ISO-8601 calendar date (`YYYY-MM-DD`), the type of every date in a map.
pub type Date = chrono::NaiveDate;
