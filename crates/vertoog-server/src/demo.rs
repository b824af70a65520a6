//! The demo map (`data/demo/*.csv`, compiled in): "Samen Digitaal Loket", an illustrative
//! landscape of a Dutch digital-government transition. `vertoog serve --demo` loads it.

use vertoog_model::Map;
use vertoog_store::{ImportOptions, OnDuplicate, Store, StoreError};

use crate::ServerError;

/// The id of the demo map.
pub const DEMO_MAP_ID: &str = "demo";
/// Its name.
pub const DEMO_MAP_NAME: &str = "Samen Digitaal Loket (demo)";
const DEMO_DESCRIPTION: &str = "A demonstration map. The actors are real kinds of \
    organisations, but every stance and tie in it is illustrative: they are not real \
    positions or relations of these organisations.";

const FILES: [(&str, &str); 8] = [
    ("actors.csv", include_str!("../../../data/demo/actors.csv")),
    (
        "narratives.csv",
        include_str!("../../../data/demo/narratives.csv"),
    ),
    (
        "stances.csv",
        include_str!("../../../data/demo/stances.csv"),
    ),
    ("ties.csv", include_str!("../../../data/demo/ties.csv")),
    (
        "interactions.csv",
        include_str!("../../../data/demo/interactions.csv"),
    ),
    (
        "commitments.csv",
        include_str!("../../../data/demo/commitments.csv"),
    ),
    ("plan.csv", include_str!("../../../data/demo/plan.csv")),
    // The settings: the demo's "today" (`as_of`), the end of its data.
    ("map.csv", include_str!("../../../data/demo/map.csv")),
];

/// Imports the demo map as map `demo` when the store lacks it. Returns whether it was
/// loaded (false: the store already has a map `demo`, which is left as it is). Atomic: the map is
/// created and imported in one write.
pub fn load_demo(store: &Store) -> Result<bool, ServerError> {
    match store.get_map(DEMO_MAP_ID) {
        Ok(_) => return Ok(false),
        Err(StoreError::NotFound { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    let mut map = Map::new(DEMO_MAP_ID);
    map.name = DEMO_MAP_NAME.to_string();
    map.description = DEMO_DESCRIPTION.to_string();
    let files: Vec<(String, Vec<u8>)> = FILES
        .iter()
        .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
        .collect();
    let parsed = vertoog_formats::read_csv_files(&files, &map, None)
        .map_err(|e| ServerError::Demo(e.to_string()))?;
    map.settings = parsed.bundle.map.settings.clone();
    let opts = ImportOptions {
        on_duplicate: OnDuplicate::Keep,
        apply_map_fields: false,
    };
    // One atomic write: no empty demo map after a failure or a kill.
    store
        .create_map_and_import(map, parsed.bundle, opts, "demo")
        .map_err(|e| ServerError::Demo(e.to_string()))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_loads_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert!(load_demo(&store).unwrap());
        assert!(!load_demo(&store).unwrap());
        let b = store.load(DEMO_MAP_ID).unwrap();
        assert_eq!(b.map.name, DEMO_MAP_NAME);
        assert!(b.map.description.contains("illustrative"));
        assert_eq!(b.actors.len(), 49);
        assert_eq!(b.narratives.len(), 11);
        assert_eq!(b.stances.len(), 220);
        assert_eq!(b.ties.len(), 97);
        assert_eq!(b.interactions.len(), 58);
        assert_eq!(b.commitments.len(), 12);
        assert_eq!(b.plan.len(), 5);
        assert_eq!(
            b.map.settings.as_of.map(|d| d.to_string()).as_deref(),
            Some("2026-06-30"),
            "the demo's today is the end of its data"
        );
    }
}
