//! Compaction: rewriting a store into fresh files.
//!
//! sled appends; the bytes of old versions stay in its files until it happens to reuse the
//! space. That costs disk space and, after an erasure, leaves the erased person's old bytes
//! on disk although no read can reach them. [`compact`] copies everything a backup holds
//! (maps with their change logs, tokens) into a new store beside the old one and swaps the
//! folders:
//!
//! 1. `{dir}.compacting` gets the copy, flushed, then a `compacted` marker file;
//! 2. `{dir}` is renamed to `{dir}.compact-old`, `{dir}.compacting` to `{dir}`;
//! 3. the marker and `{dir}.compact-old` are removed.
//!
//! An interruption anywhere leaves either the old store or the complete new one: [`recover`]
//! (run by [`Store::open`]) finishes step 2 from the marker, or moves the old store back.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::Store;

/// Written into the new store's folder once it holds the complete copy.
const DONE_MARKER: &str = "compacted";

/// What [`compact`] did: the store folder's size before and after, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Compacted {
    pub bytes_before: u64,
    pub bytes_after: u64,
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let mut name = dir.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{suffix}"));
    dir.with_file_name(name)
}

/// The size of the files directly in `dir` and in its subfolders.
fn folder_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => folder_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Makes a rename durable: syncs the folder that holds `path`.
fn sync_parent(path: &Path) -> std::io::Result<()> {
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(p) => std::fs::File::open(p)?.sync_all(),
        None => std::fs::File::open(".")?.sync_all(),
    }
}

/// Finishes or undoes a compaction of `dir` that was interrupted (see the module
/// documentation). Does nothing when there is none.
pub(crate) fn recover(dir: &Path) -> Result<()> {
    let (fresh, old) = (sibling(dir, "compacting"), sibling(dir, "compact-old"));
    if !dir.exists() && old.exists() {
        if fresh.join(DONE_MARKER).exists() {
            std::fs::rename(&fresh, dir)?;
        } else {
            std::fs::rename(&old, dir)?;
        }
        sync_parent(dir)?;
    }
    if dir.exists() {
        let _ = std::fs::remove_file(dir.join(DONE_MARKER));
        if old.exists() {
            std::fs::remove_dir_all(&old)?;
        }
        // A copy beside an intact store was never swapped in (a partial one, or a complete
        // one whose swap had not begun): the store has everything, the copy goes. Not while
        // a compaction in another process holds the store and is still copying.
        if fresh.is_dir() && !held_elsewhere(dir) {
            std::fs::remove_dir_all(&fresh)?;
        }
    }
    Ok(())
}

/// Whether another process holds the store in `dir` (sled's lock on its data file).
fn held_elsewhere(dir: &Path) -> bool {
    match std::fs::File::open(dir.join("db")) {
        Ok(f) => match fs2::FileExt::try_lock_exclusive(&f) {
            Ok(()) => {
                let _ = fs2::FileExt::unlock(&f);
                false
            }
            Err(_) => true,
        },
        Err(_) => false,
    }
}

/// Rewrites the store in `dir` into fresh files (see the module documentation). The store
/// must not be open elsewhere: a running server gives [`crate::StoreError::Locked`].
pub fn compact(dir: &Path) -> Result<Compacted> {
    recover(dir)?;
    let bytes_before = folder_size(dir);
    let fresh = sibling(dir, "compacting");
    if fresh.exists() {
        // Left by a compaction interrupted before its swap: a partial copy.
        std::fs::remove_dir_all(&fresh)?;
    }
    {
        // The old store stays open (locked) until its copy is complete.
        let store = Store::open(dir)?;
        let snapshot = store.export_all()?;
        let copy = Store::open(&fresh)?;
        copy.import_all(snapshot)?;
        copy.flush()?;
    }
    let marker = fresh.join(DONE_MARKER);
    std::fs::write(&marker, b"complete\n")?;
    std::fs::File::open(&marker)?.sync_all()?;
    sync_parent(&marker)?;
    let old = sibling(dir, "compact-old");
    std::fs::rename(dir, &old)?;
    sync_parent(dir)?;
    std::fs::rename(&fresh, dir)?;
    sync_parent(dir)?;
    std::fs::remove_file(dir.join(DONE_MARKER))?;
    std::fs::remove_dir_all(&old)?;
    Ok(Compacted {
        bytes_before,
        bytes_after: folder_size(dir),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::seeded;

    fn contains(dir: &Path, needle: &[u8]) -> bool {
        std::fs::read_dir(dir).unwrap().flatten().any(|e| {
            let p = e.path();
            if p.is_dir() {
                contains(&p, needle)
            } else {
                let bytes = std::fs::read(&p).unwrap();
                bytes.windows(needle.len()).any(|w| w == needle)
            }
        })
    }

    #[test]
    fn compaction_keeps_everything_and_drops_the_bytes_of_an_erased_person() {
        let (d, s) = seeded();
        let root = d.path().join("store");
        // The seeded store lives in the temp dir itself; copy it into a subfolder so that
        // the siblings of the compaction stay inside the temp dir.
        let snapshot = s.export_all().unwrap();
        drop(s);
        let s = Store::open(&root).unwrap();
        s.import_all(snapshot).unwrap();
        s.create_token("ann", crate::Role::Editor).unwrap();
        s.erase_actor("m", "c", "local").unwrap();
        let before = s.export_all().unwrap();
        drop(s);
        assert!(
            contains(&root, b"Jan Jansen"),
            "the erased name is still in sled's files before compaction"
        );

        let report = compact(&root).unwrap();
        assert!(report.bytes_before > 0 && report.bytes_after > 0);
        assert!(!contains(&root, b"Jan Jansen"), "the erased name is gone");
        assert!(!sibling(&root, "compacting").exists());
        assert!(!sibling(&root, "compact-old").exists());
        let s = Store::open(&root).unwrap();
        let after = s.export_all().unwrap();
        assert_eq!(after.maps, before.maps);
        assert_eq!(after.tokens, before.tokens);
        // And it is a working store: a write goes on from the copied versions.
        let v = s.map_version("m").unwrap();
        s.create_stance("m", vertoog_model::Stance::new("", "a", "n2", -1), "local")
            .unwrap();
        assert!(s.map_version("m").unwrap() > v);
    }

    /// The states an interruption can leave, and what opening the store makes of them.
    #[test]
    fn an_interrupted_compaction_is_finished_or_undone_on_open() {
        let (d, s) = seeded();
        let snapshot = s.export_all().unwrap();
        drop(s);
        let root = d.path().join("store");
        let fresh = sibling(&root, "compacting");
        let old = sibling(&root, "compact-old");
        let make = |dir: &Path, map: &str| {
            let s = Store::open(dir).unwrap();
            s.import_all(snapshot.clone()).unwrap();
            s.create_map(vertoog_model::Map::new(map), "local").unwrap();
        };

        // Swapped half-way with a complete copy: the copy becomes the store.
        make(&old, "old-only");
        make(&fresh, "new-only");
        std::fs::write(fresh.join(DONE_MARKER), b"complete\n").unwrap();
        let s = Store::open(&root).unwrap();
        assert!(s.get_map("new-only").is_ok() && s.get_map("old-only").is_err());
        drop(s);
        assert!(!old.exists() && !fresh.exists() && !root.join(DONE_MARKER).exists());

        // Interrupted before the copy was complete: the old store comes back.
        std::fs::rename(&root, &old).unwrap();
        make(&fresh, "partial");
        let s = Store::open(&root).unwrap();
        assert!(s.get_map("new-only").is_ok() && s.get_map("partial").is_err());
        drop(s);
        assert!(!old.exists());
        // The partial copy is cleared by that open too.
        assert!(!fresh.exists());
        compact(&root).unwrap();
        assert!(!fresh.exists());
        assert!(Store::open(&root).unwrap().get_map("new-only").is_ok());
    }

    /// Issue 16 item 7: a compaction killed while copying leaves `{store}.compacting`
    /// (no marker) beside the intact store; the next open removes it, the store is whole.
    #[test]
    fn a_leftover_compacting_copy_is_removed_on_the_next_open() {
        let (d, s) = seeded();
        let snapshot = s.export_all().unwrap();
        drop(s);
        let root = d.path().join("store");
        let fresh = sibling(&root, "compacting");
        Store::open(&root)
            .unwrap()
            .import_all(snapshot.clone())
            .unwrap();
        {
            let copy = Store::open(&fresh).unwrap();
            copy.import_all(snapshot.clone()).unwrap();
        }
        assert!(fresh.join("db").exists());
        let s = Store::open(&root).unwrap();
        assert!(!fresh.exists(), "the leftover copy is gone after opening");
        assert_eq!(s.export_all().unwrap().maps, snapshot.maps);
        drop(s);
        // Also a complete copy whose swap had not begun: the store itself is intact.
        {
            let copy = Store::open(&fresh).unwrap();
            copy.import_all(snapshot.clone()).unwrap();
        }
        std::fs::write(fresh.join(DONE_MARKER), b"complete\n").unwrap();
        let s = Store::open(&root).unwrap();
        assert!(!fresh.exists());
        assert_eq!(s.export_all().unwrap().maps, snapshot.maps);
        // While another process (here: this one) holds the store, a copy is left alone:
        // it may be a running compaction's.
        std::fs::create_dir(&fresh).unwrap();
        recover(&root).unwrap();
        assert!(fresh.exists());
    }
}
