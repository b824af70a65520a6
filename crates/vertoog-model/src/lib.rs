//! Vertoog's domain model: the map, its actors, narratives, stances and ties (docs/interfaces.md §8),
//! the stakeholder fields (docs/method.md §12), the analysis settings, validation of every field
//! and referential integrity, and near-duplicate name detection.
//!
//! This crate knows nothing about storage, files or the network. Everything here is plain
//! data with serde, and functions that check it.

mod bundle;
mod entities;
mod names;
mod settings;
mod validate;

pub use bundle::{Bundle, BUNDLE_FORMAT, BUNDLE_VERSION};
pub use entities::*;
pub use names::{
    find_near_duplicates, kinds_differ, normalise_name, normalise_parts, similarity, NearDuplicate,
    DUPLICATE_THRESHOLD,
};
pub use settings::{CoalitionBasis, Settings, StrengthWeights};
pub use validate::{
    is_slug, parse_date, slugify, unique_slug, validate_actor, validate_map, validate_narrative,
    validate_stance, validate_tie, BundleError, FieldError, MAX_NAME_LEN,
};

/// ISO-8601 calendar date (`YYYY-MM-DD`), the type of every date in a map.
pub type Date = chrono::NaiveDate;
