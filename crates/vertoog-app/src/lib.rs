//! The use cases that both front ends run, written once: the CLI (`vertoog import`) and the
//! HTTP server (`POST /maps/{map}/import`) differ only in how the input arrives (files and
//! flags, or an upload and query parameters) and in how they print the result.
//!
//! An import is three steps:
//! 1. [`import_target`]: the map it goes into, the stored one or, when the caller may
//!    create it, a new one (validated);
//! 2. the front end reads its input with `vertoog_formats` (CSV, JSON, DNA) into a
//!    [`Parsed`] bundle; [`ImportTarget::stored`] gives the reader the stored map, so that
//!    field errors and references to missing actors come in one report;
//! 3. [`store_import`]: a new map is created together with its content in one atomic write
//!    (never an empty map left behind), an existing one gets the content in one write; the
//!    store's field and reference errors come back with their file, line and field.

use vertoog_formats::{ImportErrors, Parsed};
use vertoog_model::{Bundle, Map};
use vertoog_store::{DuplicateHit, ImportOptions, ImportReport, Store, StoreError};

/// The map an import goes into.
#[derive(Clone, Debug)]
pub enum ImportTarget {
    /// The stored map.
    Existing(Map),
    /// A map that does not exist yet and will be created with the import.
    New(Map),
}

impl ImportTarget {
    /// The map's record (for a new map: the id, the name and the defaults).
    pub fn map(&self) -> &Map {
        match self {
            ImportTarget::Existing(m) | ImportTarget::New(m) => m,
        }
    }

    pub fn is_new(&self) -> bool {
        matches!(self, ImportTarget::New(_))
    }

    /// The stored content of an existing map (for the reader's reference check), none for a
    /// new one.
    pub fn stored(&self, store: &Store) -> Option<Bundle> {
        match self {
            ImportTarget::Existing(m) => store.load(&m.id).ok(),
            ImportTarget::New(_) => None,
        }
    }
}

/// Why a target cannot be had.
#[derive(Debug)]
pub enum TargetError {
    /// The map does not exist and the caller did not ask to create it.
    Missing(String),
    /// The new map's id is not a valid map id.
    BadId(String),
    Store(StoreError),
}

impl std::fmt::Display for TargetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TargetError::Missing(id) => write!(f, "map `{id}` does not exist"),
            TargetError::BadId(m) => f.write_str(m),
            TargetError::Store(e) => write!(f, "{e}"),
        }
    }
}

/// The map `id` of the store, or, when absent and `create`, a new map with that id (its name
/// the id until the input gives one).
pub fn import_target(store: &Store, id: &str, create: bool) -> Result<ImportTarget, TargetError> {
    match store.get_map(id) {
        Ok(m) => Ok(ImportTarget::Existing(m)),
        Err(StoreError::NotFound { .. }) if create => {
            let map = Map::new(id);
            match vertoog_model::validate_map(&map).into_iter().next() {
                Some(e) => Err(TargetError::BadId(e.to_string())),
                None => Ok(ImportTarget::New(map)),
            }
        }
        Err(StoreError::NotFound { .. }) => Err(TargetError::Missing(id.to_string())),
        Err(e) => Err(TargetError::Store(e)),
    }
}

/// Why an import stored nothing.
#[derive(Debug)]
pub enum ImportFailure {
    /// Field and reference errors, each with its file, line and field.
    Problems(ImportErrors),
    /// Names that resemble stored ones (with `on_duplicate: stop`), each with the file and
    /// line of the incoming row where known.
    NearDuplicates(Vec<(DuplicateHit, Option<(String, u64)>)>),
    /// Anything else the store refused (a locked or failing store, a conflict).
    Store(StoreError),
}

/// Stores a parsed import into `target`. A new map is created with the content in one atomic
/// write, with the input's own map fields where it has them (a JSON bundle, a CSV bundle's
/// `map.csv`; the readers start from the target's record otherwise); an existing map gets
/// the content in one write and keeps its own fields. Nothing is stored on failure.
pub fn store_import(
    store: &Store,
    target: &ImportTarget,
    parsed: Parsed,
    opts: ImportOptions,
    principal: &str,
) -> Result<ImportReport, ImportFailure> {
    let Parsed { bundle, origins } = parsed;
    let result = match target {
        ImportTarget::New(record) => {
            let mut m = bundle.map.clone();
            m.id = record.id.clone();
            if m.name.is_empty() {
                m.name = record.id.clone();
            }
            store
                .create_map_and_import(m, bundle, opts, principal)
                .map(|(_, r)| r)
        }
        ImportTarget::Existing(m) => store.import(&m.id, bundle, opts, principal),
    };
    result.map_err(|e| match e {
        StoreError::Invalid(errors) => ImportFailure::Problems(origins.describe_all(&errors)),
        StoreError::NearDuplicates(hits) => ImportFailure::NearDuplicates(
            hits.into_iter()
                .map(|h| {
                    let at = origins.locate(h.kind, h.index);
                    (h, at)
                })
                .collect(),
        ),
        other => ImportFailure::Store(other),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use vertoog_store::OnDuplicate;

    fn csv(files: &[(&str, &str)], target: &ImportTarget, store: &Store) -> Parsed {
        let files: Vec<(String, Vec<u8>)> = files
            .iter()
            .map(|(n, c)| (n.to_string(), c.as_bytes().to_vec()))
            .collect();
        let mut stored = || target.stored(store);
        vertoog_formats::read_csv_files_checked(&files, target.map(), None, Some(&mut stored))
            .unwrap()
    }

    fn opts(on_duplicate: OnDuplicate) -> ImportOptions {
        ImportOptions {
            on_duplicate,
            apply_map_fields: false,
        }
    }

    #[test]
    fn a_new_map_comes_with_its_content_and_errors_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        // Without create, a missing map is refused before anything is read.
        assert!(matches!(
            import_target(&store, "m", false),
            Err(TargetError::Missing(_))
        ));
        assert!(matches!(
            import_target(&store, "Not A Slug", true),
            Err(TargetError::BadId(_))
        ));
        let target = import_target(&store, "m", true).unwrap();
        assert!(target.is_new());
        let map_csv = "field,value\nname,Digitale overheid\n";
        let actors = "id,name,domain\nbzk,Ministerie van BZK,ministry\nvng,VNG,vng\n";
        let parsed = csv(
            &[("map.csv", map_csv), ("actors.csv", actors)],
            &target,
            &store,
        );
        let report = store_import(&store, &target, parsed, opts(OnDuplicate::Stop), "ann").unwrap();
        assert_eq!(report.created.actors, 2);
        // The map got the bundle's own name, in the same write.
        assert_eq!(store.get_map("m").unwrap().name, "Digitale overheid");

        // Into the existing map: a name resembling a stored actor's stops the import, reported
        // at its file and line; nothing is stored.
        let target = import_target(&store, "m", false).unwrap();
        assert!(!target.is_new());
        let narratives = "id,label,core\nn1,Digitaal,true\n";
        let parsed = csv(&[("narratives.csv", narratives)], &target, &store);
        store_import(&store, &target, parsed, opts(OnDuplicate::Stop), "ann").unwrap();
        let near = "id,name,domain\nbzk2,Ministerie van BZK.,ministry\n";
        let parsed = csv(&[("more-actors.csv", near)], &target, &store);
        match store_import(&store, &target, parsed, opts(OnDuplicate::Stop), "ann") {
            Err(ImportFailure::NearDuplicates(hits)) => {
                assert_eq!(hits[0].0.candidate.id, "bzk");
                assert_eq!(hits[0].1, Some(("more-actors.csv".to_string(), 2)));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(store.load("m").unwrap().actors.len(), 2);
    }
}
