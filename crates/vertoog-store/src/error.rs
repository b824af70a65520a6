//! The store's error type. Every message names the map, entity and field it is about and,
//! where the user can do something, what to do.

use std::path::PathBuf;

use serde::Serialize;
use vertoog_model::{BundleError, EntityKind, NearDuplicate};

/// A name that resembles an existing one (docs/interfaces.md §8, near-duplicate names).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DuplicateHit {
    /// `Actor` or `Narrative`.
    pub kind: EntityKind,
    /// Position of the new entity in its list of the incoming bundle (0 for a single create).
    pub index: usize,
    pub incoming_id: String,
    /// The new entity's name (actor) or label (narrative).
    pub incoming_name: String,
    /// The best-matching existing (or earlier incoming) entity.
    pub candidate: NearDuplicate,
}

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A map or entity that does not exist. For a map, `map == id`.
    #[error("{}", not_found_message(*kind, id, map))]
    NotFound {
        kind: EntityKind,
        id: String,
        map: String,
    },
    /// No token has this name.
    #[error("there is no token named `{0}` (see `vertoog token list`)")]
    TokenNotFound(String),
    /// The id or name is taken, or the operation does not fit the current state.
    #[error("{0}")]
    Conflict(String),
    /// Field errors and broken references, all of them, each naming kind, index, id and field.
    #[error("{}", invalid_message(.0))]
    Invalid(Vec<BundleError>),
    /// A bad value outside any map entity (a token name, a backup file).
    #[error("{field}: {message}")]
    InvalidField { field: String, message: String },
    /// New names that resemble existing ones; nothing was stored.
    #[error("{}", duplicates_message(.0))]
    NearDuplicates(Vec<DuplicateHit>),
    /// Another process holds the store.
    #[error("the store at {} is in use by another process (is `vertoog serve` running?)", path.display())]
    Locked { path: PathBuf },
    /// The store was written by a newer vertoog.
    #[error("the store at {} has format version {found}, but this vertoog reads format version {supported} at most: use the newer vertoog that wrote it (or restore a backup with this version)", path.display())]
    NewerFormat {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    /// The files cannot be read as a store.
    #[error("the store cannot be read ({0}); restore it from a backup with `vertoog restore PATH` into an empty store folder")]
    Corrupt(String),
    /// The disk (file system) holding the store has no space left (ENOSPC).
    #[error("the disk is full at {}: free space and retry (nothing after the last acknowledged write was stored)", path.display())]
    DiskFull { path: PathBuf },
    /// The user may not read or write the store's files.
    #[error("permission denied at {}: vertoog needs read and write access to the store folder and its files, even to read (run as their owner, fix their permissions, or pick another folder with --store)", path.display())]
    PermissionDenied { path: PathBuf },
    /// A file of the store is missing.
    #[error("the store cannot be read: {} is missing; restore it from a backup with `vertoog restore PATH` into an empty store folder, or point --store at the right folder", path.display())]
    FileMissing { path: PathBuf },
    /// Another file-system error, with the file or folder it happened at.
    #[error("cannot read or write the store at {}: {message}; check the disk and the folder, then retry", path.display())]
    IoAt { path: PathBuf, message: String },
    /// A conditional write (`If-Match`) found the entity changed since it was read.
    #[error("{0}")]
    PreconditionFailed(String),
    /// A flush or sync failed earlier: the store refuses reads and writes until reopened.
    #[error("{0}")]
    Poisoned(String),
    /// A file-system error.
    #[error("store I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// A bug or an unexpected condition inside the store.
    #[error("internal store error: {0}")]
    Internal(String),
}

fn not_found_message(kind: EntityKind, id: &str, map: &str) -> String {
    match kind {
        EntityKind::Map => format!("map `{id}` does not exist (see `vertoog map list`)"),
        _ => format!("{kind} `{id}` does not exist in map `{map}`"),
    }
}

fn invalid_message(errors: &[BundleError]) -> String {
    let mut out = format!(
        "{} problem{} found, nothing was stored:",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    );
    for e in errors.iter().take(50) {
        let id = if e.id.is_empty() {
            String::new()
        } else {
            format!(" `{}`", e.id)
        };
        out.push_str(&format!(
            "\n  {} #{}{}: {}: {}",
            e.kind,
            e.index + 1,
            id,
            e.field,
            e.message
        ));
    }
    if errors.len() > 50 {
        out.push_str(&format!("\n  ... and {} more", errors.len() - 50));
    }
    out
}

fn duplicates_message(hits: &[DuplicateHit]) -> String {
    let mut out = format!(
        "{} new name{} resemble{} existing ones, nothing was stored:",
        hits.len(),
        if hits.len() == 1 { "" } else { "s" },
        if hits.len() == 1 { "s" } else { "" }
    );
    for h in hits.iter().take(50) {
        out.push_str(&format!(
            "\n  {} `{}` (\"{}\") resembles `{}` (\"{}\", similarity {:.2})",
            h.kind,
            h.incoming_id,
            h.incoming_name,
            h.candidate.id,
            h.candidate.matched,
            h.candidate.score
        ));
    }
    if hits.len() > 50 {
        out.push_str(&format!("\n  ... and {} more", hits.len() - 50));
    }
    out.push_str("\nchoose to keep both (--on-duplicate keep, or \"force\": true) or to merge (--on-duplicate merge)");
    out
}

/// `Result` with [`StoreError`].
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Maps sled's errors without exposing its types.
pub(crate) trait SledResultExt<T> {
    fn db(self) -> Result<T>;
}

impl<T> SledResultExt<T> for std::result::Result<T, sled::Error> {
    fn db(self) -> Result<T> {
        self.map_err(from_sled)
    }
}

pub(crate) fn from_sled(e: sled::Error) -> StoreError {
    match e {
        sled::Error::Io(io) => StoreError::Io(io),
        sled::Error::Corruption { at, .. } => {
            StoreError::Corrupt(format!("corrupted data at {at:?}"))
        }
        other => StoreError::Internal(other.to_string()),
    }
}

/// One field error of one entity, as the single-entity operations report it.
pub(crate) fn invalid_one(kind: EntityKind, id: &str, field: &str, message: String) -> StoreError {
    StoreError::Invalid(vec![BundleError {
        kind,
        index: 0,
        id: id.to_string(),
        field: field.to_string(),
        message,
    }])
}

/// Field errors of one entity as [`StoreError::Invalid`] (index 0).
pub(crate) fn invalid_fields(
    kind: EntityKind,
    id: &str,
    errors: Vec<vertoog_model::FieldError>,
) -> StoreError {
    StoreError::Invalid(
        errors
            .into_iter()
            .map(|e| BundleError {
                kind,
                index: 0,
                id: id.to_string(),
                field: e.field,
                message: e.message,
            })
            .collect(),
    )
}
