//! Vertoog's embedded store: maps, their actors, narratives, stances and ties, the change log
//! with undo, access tokens, atomic imports and a versioned on-disk format (ARCHITECTURE.md,
//! docs/interfaces.md §8, change log, docs/interfaces.md §1.1, docs/interfaces.md §9, reliability and
//! "Security").
//!
//! # Architecture invariants
//! - sled is an implementation detail: no sled type appears in this crate's API.
//! - Everything lives in one sled tree (see the key layout in `keys.rs`). Every write is
//!   validated against the current state while holding the store's write lock, then applied
//!   with one atomic `apply_batch` (entities + change-log entry + map version together) and
//!   flushed and fsynced (`fdatasync` of sled's data file, one sync shared by the writers
//!   waiting for it) before the call returns. So a crash or power loss leaves each
//!   acknowledged write wholly there and any other write wholly there or wholly absent, and
//!   referential integrity always holds. Creating a map and importing into it is one write.
//! - A failed flush, sync or I/O error inside a write poisons the store: it refuses reads
//!   and writes ([`StoreError::Poisoned`]) until it is opened again.
//! - Before sled opens: an interrupted compaction is finished or undone, a leftover copy is
//!   removed, and unfinished sled snapshots (`snap.*.generating`) are removed (`open.rs`).
//! - The change log stores, per key a write changed, the previous value (or its absence), so
//!   undo is generic and exact: reverting entries newest first restores every touched key.
//! - Multi-key reads (`load`, lists) take the read side of the same lock, so they never see
//!   half a write.
//! - The store never computes analysis.

mod backup;
mod compact;
mod engagement;
mod entities;
mod error;
mod generic;
mod history;
mod import;
mod keys;
mod maps;
mod open;
mod refresh;
mod storage;
mod tokens;
mod txn;

/// Phase timings of a write for benchmarks: with the environment variable `VERTOOG_TIMINGS`
/// set, `timing: store PHASE MS` (milliseconds since `start`) goes to stderr.
pub(crate) fn timing(start: std::time::Instant, phase: &str) {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if *ON.get_or_init(|| std::env::var_os("VERTOOG_TIMINGS").is_some()) {
        eprintln!(
            "timing: store {phase} {:.1}",
            start.elapsed().as_secs_f64() * 1e3
        );
    }
}

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde::{Deserialize, Serialize};
use vertoog_model::EntityKind;

pub use backup::{DigestCheck, LogBackup, MapBackup, Snapshot, SNAPSHOT_FORMAT};
pub use compact::{compact, Compacted};
pub use engagement::{strip_confidential, today, with_today};
pub use entities::DeleteReport;
pub use error::{DuplicateHit, Result, StoreError};
pub use generic::{etag, Entity, IfMatch, ListQuery};
pub use history::{ErasureReport, LogChange, MergeReport, UndoReport};
pub use import::{ImportOptions, ImportReport, KindCounts, MergedPair, OnDuplicate, SimilarPair};
pub use refresh::{LogMark, Refreshed, PATCH_LIMIT};
pub use tokens::{Role, TokenBackup, TokenInfo};

use error::SledResultExt;

/// Runs a closure with its panic caught and not printed, as the store opens sled. For the
/// test of that; never needed otherwise.
#[doc(hidden)]
pub use open::quietly;

/// The store format this build writes and reads. Older stores are migrated on open.
pub const FORMAT_VERSION: u32 = 2;

/// What a change-log entry did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    Create,
    Update,
    Delete,
    Import,
    Merge,
    Undo,
    Erase,
}

impl Operation {
    /// The operation's name in the change log (`create`, `update`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Delete => "delete",
            Operation::Import => "import",
            Operation::Merge => "merge",
            Operation::Undo => "undo",
            Operation::Erase => "erase",
        }
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of a map's change log (docs/interfaces.md §8, change log). The previous values are kept
/// beside it (see [`Store::log_changes`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// 1, 2, 3, ... per map.
    pub seq: u64,
    /// RFC 3339, UTC.
    pub timestamp: String,
    /// Token name, or `local`.
    pub principal: String,
    pub operation: Operation,
    /// The kind of entity the entry is about (`map` for imports and undos).
    pub entity: EntityKind,
    /// The entity's id (the map's id for imports and undos; empty for an erasure).
    pub id: String,
    /// One line for people.
    pub summary: String,
    /// How many stored keys the entry changed (and keeps previous values of).
    pub changes: usize,
    /// Whether `undo` may revert it (map creations and erasures cannot be undone).
    pub undoable: bool,
    /// For an undo: the entries it reverted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reverts: Vec<u64>,
    /// Personal data was removed from this entry by an erasure.
    #[serde(default)]
    pub scrubbed: bool,
}

/// The embedded store. `Send + Sync`; share it with `Arc<Store>`.
pub struct Store {
    db: sled::Db,
    path: PathBuf,
    lock: RwLock<()>,
    /// The write sequence last recorded in the durability mark (see [`MARK_FILE`]).
    mark: Mutex<u64>,
    /// Writes applied to sled so far (a ticket per write; see [`Store::make_durable`]).
    applied: AtomicU64,
    /// The last ticket known to be on stable storage. Held while flushing and syncing, so
    /// writers that wait on it share one fsync (group commit).
    synced: Mutex<u64>,
    /// sled's data file, for `fdatasync` after sled's own flush (which only asks the kernel
    /// to write the range, without flushing the disk's cache or the file's size).
    data_file: std::fs::File,
    /// Set by a failed flush or sync: why the store refuses to go on (see [`Store::poisoned`]).
    poison: Mutex<Option<String>>,
    poisoned_flag: AtomicBool,
    /// Test hook: the next flush fails with this OS error code (see [`Store::fail_next_flush`]).
    fail_next: Mutex<Option<i32>>,
}

/// A small file beside sled's files that records the store's write sequence (`meta/wseq`)
/// after each flushed write. sled recovers damaged or truncated files silently to an older
/// state (even to an empty store); opening compares the recovered write sequence with the
/// mark and refuses ([`StoreError::Corrupt`], pointing at restore) when writes that were
/// acknowledged as durable are missing. The mark is written only after sled's flush
/// returned, with a value read before the flush began, so it never runs ahead of the data
/// (a crash leaves it equal or behind: no false alarm).
const MARK_FILE: &str = "vertoog-durable";

fn read_mark(dir: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(dir.join(MARK_FILE)).ok()?;
    text.trim().strip_prefix("wseq ")?.trim().parse().ok()
}

fn write_mark(dir: &Path, wseq: u64) -> std::io::Result<()> {
    let tmp = dir.join(format!("{MARK_FILE}.tmp"));
    std::fs::write(&tmp, format!("wseq {wseq}\n"))?;
    std::fs::rename(&tmp, dir.join(MARK_FILE))
}

fn read_wseq(db: &sled::Db) -> Result<u64> {
    Ok(db
        .get(keys::WSEQ_KEY)
        .db()?
        .map(|b| keys::bytes_u64(&b))
        .unwrap_or(0))
}

/// Refuses a store whose files hold fewer writes than its durability mark records.
fn check_mark(db: &sled::Db, dir: &Path) -> Result<()> {
    let Some(marked) = read_mark(dir) else {
        return Ok(());
    };
    let found = read_wseq(db)?;
    if found < marked {
        return Err(StoreError::Corrupt(format!(
            "{} is damaged or truncated: it recorded {marked} durable writes, but its files \
             hold only {found}; nothing was changed",
            dir.display()
        )));
    }
    Ok(())
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

fn open_sled(dir: &Path) -> Result<sled::Db> {
    open::open_sled(dir)
}

/// The migrations between store formats, oldest first. `from` is the version found.
/// 0 -> 1: stores written before the format key existed; no data change.
/// 1 -> 2: stance and tie bucket counts per map (`m/{map}/B/{s|t}`); a map without one has
/// the 4,096 buckets of format 1, so no data changes. A format-1 program must not open a
/// format-2 store, whose maps may have other counts: hence the new version.
fn migrate(db: &sled::Db, from: u32) -> Result<()> {
    for step in from..FORMAT_VERSION {
        match step {
            0 | 1 => { /* no data change */ }
            _ => {
                return Err(StoreError::Internal(format!(
                    "no migration from store format {step}"
                )))
            }
        }
    }
    db.insert(keys::FORMAT_KEY, FORMAT_VERSION.to_string().as_bytes())
        .db()?;
    db.flush().db()?;
    Ok(())
}

fn read_format(db: &sled::Db) -> Result<Option<u32>> {
    match db.get(keys::FORMAT_KEY).db()? {
        None => Ok(None),
        Some(v) => std::str::from_utf8(&v)
            .ok()
            .and_then(|s| s.parse().ok())
            .map(Some)
            .ok_or_else(|| StoreError::Corrupt("the format version key is unreadable".into())),
    }
}

impl Store {
    /// Opens the store in `dir`, creating it when absent. A store of an older format is
    /// migrated; a newer one is refused with [`StoreError::NewerFormat`]; a store held by
    /// another process gives [`StoreError::Locked`]. A compaction of `dir` that was
    /// interrupted is finished or undone first (see [`compact`]).
    pub fn open(dir: &Path) -> Result<Store> {
        compact::recover(dir)?;
        open::prepare(dir)?;
        let db = open_sled(dir)?;
        check_mark(&db, dir)?;
        match read_format(&db)? {
            None => {
                let empty = db.first().db()?.is_none();
                if empty {
                    db.insert(keys::FORMAT_KEY, FORMAT_VERSION.to_string().as_bytes())
                        .db()?;
                    db.flush().db()?;
                } else {
                    migrate(&db, 0)?;
                }
            }
            Some(v) if v > FORMAT_VERSION => {
                return Err(StoreError::NewerFormat {
                    path: dir.to_path_buf(),
                    found: v,
                    supported: FORMAT_VERSION,
                })
            }
            Some(v) if v < FORMAT_VERSION => migrate(&db, v)?,
            Some(_) => {}
        }
        let wseq = read_wseq(&db)?;
        if read_mark(dir) != Some(wseq) {
            write_mark(dir, wseq).map_err(|e| open::io_error(e, &dir.join(MARK_FILE)))?;
        }
        let data_file = open::data_file(dir)?;
        Ok(Store {
            db,
            path: dir.to_path_buf(),
            lock: RwLock::new(()),
            mark: Mutex::new(wseq),
            applied: AtomicU64::new(0),
            synced: Mutex::new(0),
            data_file,
            poison: Mutex::new(None),
            poisoned_flag: AtomicBool::new(false),
            fail_next: Mutex::new(None),
        })
    }

    /// Writes `version` as the format version of the (closed) store in `dir`, creating it if
    /// needed. For tests of the newer-format refusal; never needed in normal use.
    #[doc(hidden)]
    pub fn write_format_version(dir: &Path, version: u32) -> Result<()> {
        let db = open_sled(dir)?;
        db.insert(keys::FORMAT_KEY, version.to_string().as_bytes())
            .db()?;
        db.flush().db()?;
        Ok(())
    }

    /// The format version of this store (always [`FORMAT_VERSION`] once open).
    pub fn format_version(&self) -> Result<u32> {
        Ok(read_format(&self.db)?.unwrap_or(0))
    }

    /// The folder the store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes every write durable (flushed and fsynced). Writes already are before they
    /// return; this is for shutdown paths and the writes outside [`Store::write`].
    pub fn flush(&self) -> Result<()> {
        let ticket = self.applied.fetch_add(1, Ordering::SeqCst) + 1;
        self.make_durable(ticket)
    }

    /// Why the store refuses writes, when a flush or sync failed: then what is in memory may
    /// differ from what is on disk, and only reopening the store (restarting the server)
    /// shows which writes made it. `None` while healthy.
    pub fn poisoned(&self) -> Option<String> {
        if !self.poisoned_flag.load(Ordering::SeqCst) {
            return None;
        }
        self.poison
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn check_poison(&self) -> Result<()> {
        match self.poisoned() {
            None => Ok(()),
            Some(why) => Err(StoreError::Poisoned(why)),
        }
    }

    /// Test hook: makes the next flush fail as if the disk answered with OS error `code`
    /// (28 is "no space left on device", 5 an I/O error). Never needed in normal use.
    #[doc(hidden)]
    pub fn fail_next_flush(&self, code: i32) {
        *self.fail_next.lock().unwrap_or_else(|e| e.into_inner()) = Some(code);
    }

    /// Puts every write up to `ticket` on stable storage: sled's flush, then `fdatasync` of
    /// its data file. Writers that arrive while another one syncs wait for it and are done
    /// when its sync covered them (group commit). A failure poisons the store.
    fn make_durable(&self, ticket: u64) -> Result<()> {
        self.check_poison()?;
        let mut synced = self.synced.lock().unwrap_or_else(|e| e.into_inner());
        if *synced >= ticket {
            return Ok(());
        }
        self.check_poison()?;
        let target = self.applied.load(Ordering::SeqCst);
        let wseq = read_wseq(&self.db)?;
        let injected = self
            .fail_next
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        let result = match injected {
            Some(code) => Err(std::io::Error::from_raw_os_error(code)),
            None => match self.db.flush() {
                Err(sled::Error::Io(e)) => Err(e),
                Err(e) => Err(std::io::Error::other(e.to_string())),
                Ok(_) => self.data_file.sync_data(),
            },
        };
        if let Err(e) = result {
            return Err(self.fail(e));
        }
        *synced = target.max(ticket);
        drop(synced);
        self.record_durable(wseq);
        Ok(())
    }

    /// Records `wseq` (flushed) in the durability mark when it is newer than the last one.
    /// A failure to write the mark only weakens the damage check, so it is ignored.
    fn record_durable(&self, wseq: u64) {
        let mut last = self.mark.lock().unwrap_or_else(|e| e.into_inner());
        if wseq > *last && write_mark(&self.path, wseq).is_ok() {
            *last = wseq;
        }
    }

    /// The read side of the store's lock; refused once the store is poisoned (a failed
    /// write may still be in sled's memory).
    pub(crate) fn read_guard(&self) -> Result<RwLockReadGuard<'_, ()>> {
        self.check_poison()?;
        // The lock guards no data (sled holds it), so a poisoned lock is safe to reuse.
        Ok(self.lock.read().unwrap_or_else(|e| e.into_inner()))
    }

    pub(crate) fn write_guard(&self) -> RwLockWriteGuard<'_, ()> {
        self.lock.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` as one write to `map`: validated and applied atomically under the write lock,
    /// then flushed. Returns `f`'s value and the seq of the log entry (0 if none).
    pub(crate) fn write<T>(
        &self,
        map: &str,
        principal: &str,
        f: impl FnOnce(&mut txn::Txn<'_>) -> Result<T>,
    ) -> Result<(T, u64)> {
        self.check_poison()?;
        let start = std::time::Instant::now();
        let (out, seq, ticket) = {
            let _g = self.write_guard();
            self.check_poison()?;
            let mut t = txn::Txn::new(&self.db, map);
            // An I/O error from sled, even while reading, means its files may no longer
            // match its memory: poison.
            let out = f(&mut t).map_err(|e| match e {
                StoreError::Io(io) => self.fail(io),
                other => other,
            })?;
            timing(start, "changes");
            let seq = t.commit(principal).map_err(|e| match e {
                // sled may hold part of a batch it failed to write.
                StoreError::Io(io) => self.fail(io),
                other => other,
            })?;
            (out, seq, self.applied.fetch_add(1, Ordering::SeqCst) + 1)
        };
        timing(start, "commit");
        // Syncing outside the lock lets concurrent writers share one fsync.
        self.make_durable(ticket)?;
        timing(start, "durable");
        Ok((out, seq))
    }

    /// Poisons the store after a failed write or flush and returns the error as a sentence
    /// naming the store's folder.
    fn fail(&self, e: std::io::Error) -> StoreError {
        let err = open::io_error(e, &self.path);
        let why = format!(
            "writing to the store failed ({err}); it accepts no more changes until it is \
             opened again (restart `vertoog serve`), which shows which writes reached the disk"
        );
        let mut p = self.poison.lock().unwrap_or_else(|e| e.into_inner());
        if p.is_none() {
            *p = Some(why);
        }
        self.poisoned_flag.store(true, Ordering::SeqCst);
        err
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::*;
    use vertoog_model::{Actor, Map, Narrative, Stance, Tie, TieKind};

    pub fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        (dir, s)
    }

    /// Map `m` with actors a, b, c (c's parent a), narratives n1 (core), n2,
    /// stances s1 (a n1 2), s2 (b n1 -1), s3 (a n2 1), ties t1 (a-b), t2 (b-c).
    pub fn seeded() -> (tempfile::TempDir, Store) {
        let (d, s) = store();
        s.create_map(Map::new("m"), "local").unwrap();
        s.create_actor("m", Actor::new("a", "Ministerie van BZK"), "local", false)
            .unwrap();
        s.create_actor("m", Actor::new("b", "Logius"), "local", false)
            .unwrap();
        let mut c = Actor::new("c", "Jan Jansen");
        c.kind = vertoog_model::ActorKind::Person;
        c.parent = Some("a".into());
        s.create_actor("m", c, "local", false).unwrap();
        s.create_narrative(
            "m",
            Narrative::new("n1", "Digital by default", true),
            "local",
            false,
        )
        .unwrap();
        s.create_narrative(
            "m",
            Narrative::new("n2", "Privacy first", false),
            "local",
            false,
        )
        .unwrap();
        s.create_stance("m", Stance::new("", "a", "n1", 2), "local")
            .unwrap();
        s.create_stance("m", Stance::new("", "b", "n1", -1), "local")
            .unwrap();
        s.create_stance("m", Stance::new("", "a", "n2", 1), "local")
            .unwrap();
        s.create_tie("m", Tie::new("", "a", "b", TieKind::Collaboration), "local")
            .unwrap();
        s.create_tie("m", Tie::new("", "b", "c", TieKind::Communication), "local")
            .unwrap();
        (d, s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vertoog_model::{Actor, Map};

    #[test]
    fn store_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Store>();
    }

    #[test]
    fn concurrent_writers_and_readers_keep_integrity() {
        use std::sync::Arc;
        let (_d, s) = testutil::seeded();
        let s = Arc::new(s);
        let v0 = s.map_version("m").unwrap();
        let mut handles = Vec::new();
        for w in 0..4 {
            let s = Arc::clone(&s);
            handles.push(std::thread::spawn(move || {
                for i in 0..10 {
                    let id = format!("w{w}-{i}");
                    s.create_actor(
                        "m",
                        Actor::new(&id, format!("Writer {w} actor {i} {}", w * 1000 + i)),
                        "local",
                        true,
                    )
                    .unwrap();
                    s.create_stance("m", vertoog_model::Stance::new("", &id, "n1", 1), "local")
                        .unwrap();
                    if i % 3 == 0 {
                        s.delete_actor("m", &id, "local").unwrap();
                    }
                }
            }));
        }
        let reader = {
            let s = Arc::clone(&s);
            std::thread::spawn(move || {
                for _ in 0..20 {
                    let b = s.load("m").unwrap();
                    assert!(b.validate().is_empty(), "{:?}", b.validate());
                }
            })
        };
        for h in handles {
            h.join().unwrap();
        }
        reader.join().unwrap();
        let b = s.load("m").unwrap();
        assert!(b.validate().is_empty());
        // 3 seeded + 4 writers x (10 - 4 deleted).
        assert_eq!(b.actors.len(), 3 + 4 * 6);
        assert_eq!(b.stances.len(), 3 + 4 * 6);
        // Every write got its own version and log entry: 40 actors, 40 stances, 16 deletes.
        assert_eq!(s.map_version("m").unwrap(), v0 + 96);
        let ids: std::collections::HashSet<String> =
            b.stances.iter().map(|s| s.id.clone()).collect();
        assert_eq!(ids.len(), b.stances.len());
    }

    #[test]
    fn reopen_sees_the_data() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Store::open(dir.path()).unwrap();
            s.create_map(Map::new("m"), "local").unwrap();
            s.create_actor("m", Actor::new("a", "A"), "local", false)
                .unwrap();
        }
        let s = Store::open(dir.path()).unwrap();
        assert_eq!(s.get_actor("m", "a").unwrap().name, "A");
        assert_eq!(s.format_version().unwrap(), FORMAT_VERSION);
    }

    #[test]
    fn second_open_is_locked() {
        let dir = tempfile::tempdir().unwrap();
        let _s = Store::open(dir.path()).unwrap();
        let err = Store::open(dir.path()).unwrap_err();
        assert!(matches!(err, StoreError::Locked { .. }), "{err}");
        assert!(err.to_string().contains("in use by another process"));
    }

    #[test]
    fn damaged_files_give_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(dir.path()).unwrap());
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let p = entry.unwrap().path();
            if p.is_file() {
                std::fs::write(&p, b"garbage garbage garbage").unwrap();
            }
        }
        // Either refused, or (if sled ignores the damage) opened; never a panic.
        if let Err(e) = Store::open(dir.path()) {
            assert!(
                matches!(
                    e,
                    StoreError::Corrupt(_) | StoreError::Io(_) | StoreError::Internal(_)
                ),
                "{e}"
            );
        }
    }

    #[test]
    fn truncated_files_are_refused_not_opened_empty() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Store::open(dir.path()).unwrap();
            s.create_map(Map::new("m"), "local").unwrap();
            for i in 0..20 {
                s.create_actor(
                    "m",
                    Actor::new(format!("a{i}"), format!("Actor {i}")),
                    "local",
                    true,
                )
                .unwrap();
            }
        }
        assert_eq!(read_mark(dir.path()), Some(21));
        // A clean reopen passes the check.
        drop(Store::open(dir.path()).unwrap());
        // sled may recover an emptied data file as an empty store: that must be refused.
        std::fs::write(dir.path().join("db"), b"").unwrap();
        let err = Store::open(dir.path()).unwrap_err();
        assert!(matches!(err, StoreError::Corrupt(_)), "{err}");
        let msg = err.to_string();
        assert!(
            msg.contains("cannot be read") && msg.contains("vertoog restore"),
            "{msg}"
        );
        // And refused again: the failed open changed nothing.
        assert!(matches!(
            Store::open(dir.path()),
            Err(StoreError::Corrupt(_))
        ));
    }

    #[test]
    fn newer_format_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(dir.path()).unwrap());
        Store::write_format_version(dir.path(), FORMAT_VERSION + 1).unwrap();
        let err = Store::open(dir.path()).unwrap_err();
        match &err {
            StoreError::NewerFormat {
                found, supported, ..
            } => {
                assert_eq!(*found, FORMAT_VERSION + 1);
                assert_eq!(*supported, FORMAT_VERSION);
            }
            other => panic!("unexpected {other}"),
        }
        assert!(err.to_string().contains("newer vertoog"));
    }

    #[test]
    fn format_zero_is_migrated() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Store::open(dir.path()).unwrap();
            s.create_map(Map::new("m"), "local").unwrap();
            // Simulate a store from before the format key.
            s.db.remove(keys::FORMAT_KEY).unwrap();
            s.flush().unwrap();
        }
        let s = Store::open(dir.path()).unwrap();
        assert_eq!(s.format_version().unwrap(), FORMAT_VERSION);
        assert_eq!(s.get_map("m").unwrap().id, "m");
    }

    /// A format-1 store: its maps have no bucket counts and 4,096 buckets per kind. It is
    /// migrated to the current format and its stances stay where they are.
    #[test]
    fn format_one_maps_keep_their_buckets() {
        use vertoog_model::{Actor, EntityKind, Narrative, Stance};
        let dir = tempfile::tempdir().unwrap();
        let ids: Vec<String>;
        {
            let s = Store::open(dir.path()).unwrap();
            s.create_map(Map::new("m"), "local").unwrap();
            for kind in [EntityKind::Stance, EntityKind::Tie] {
                s.db.remove(keys::bucket_count_key("m", kind)).unwrap();
            }
            s.create_actor("m", Actor::new("a", "A"), "local", false)
                .unwrap();
            s.create_narrative("m", Narrative::new("n", "N", true), "local", false)
                .unwrap();
            ids = (0..40)
                .map(|_| {
                    s.create_stance("m", Stance::new("", "a", "n", 1), "local")
                        .unwrap()
                        .id
                })
                .collect();
            // Written with format 1's layout: one bucket key per stance here.
            let stored =
                s.db.scan_prefix(storage::bucket_prefix("m", EntityKind::Stance));
            assert_eq!(stored.count(), 40);
            s.db.insert(keys::FORMAT_KEY, b"1".as_slice()).unwrap();
            s.flush().unwrap();
        }
        let s = Store::open(dir.path()).unwrap();
        assert_eq!(s.format_version().unwrap(), FORMAT_VERSION);
        assert_eq!(
            storage::bucket_count(&s.db, "m", EntityKind::Stance).unwrap(),
            storage::MAX_BUCKETS
        );
        for id in &ids {
            assert_eq!(&s.get_stance("m", id).unwrap().id, id);
        }
        assert_eq!(s.load("m").unwrap().stances.len(), 40);
    }
}
