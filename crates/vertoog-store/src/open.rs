//! Opening sled's files: the repairs before sled sees them, a quiet and caught sled panic,
//! and plain error sentences for what the file system says.
//!
//! sled 0.34.7 writes `snap.{lsn}.generating` on every open and renames it to `snap.{lsn}`
//! once complete and synced; it removes older snapshots only after that rename. When the
//! process dies or the disk fills up in between, the partial file stays, and the next open
//! reads it as the newest snapshot and fails (sled issues #1527, #1533). A `.generating`
//! file is never a complete snapshot, so [`prepare`] removes it before sled opens, when no
//! other process holds the store.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::Once;

use crate::error::{from_sled, Result, StoreError};

/// Default page-cache size of sled, in bytes.
const CACHE_CAPACITY: u64 = 256 * 1024 * 1024;

/// What the file-system error `e` at `path` means, as a sentence that names the path and
/// what to do.
pub(crate) fn io_error(e: std::io::Error, path: &Path) -> StoreError {
    let path = path.to_path_buf();
    match (e.raw_os_error(), e.kind()) {
        (Some(28), _) | (_, std::io::ErrorKind::StorageFull) => StoreError::DiskFull { path },
        (Some(30), _) | (_, std::io::ErrorKind::PermissionDenied) => {
            StoreError::PermissionDenied { path }
        }
        (_, std::io::ErrorKind::NotFound) => StoreError::FileMissing { path },
        _ => StoreError::IoAt {
            path,
            message: e.to_string(),
        },
    }
}

/// Creates the store folder (mode 0700: the store holds every map and the token hashes)
/// and removes unfinished snapshot files (see the module documentation).
pub(crate) fn prepare(dir: &Path) -> Result<()> {
    if !dir.exists() {
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| io_error(e, parent))?;
        }
        let mut b = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        if let Err(e) = b.create(dir) {
            if e.kind() != std::io::ErrorKind::AlreadyExists {
                return Err(io_error(e, dir));
            }
        }
    } else if !dir.is_dir() {
        return Err(StoreError::IoAt {
            path: dir.to_path_buf(),
            message: "it is a file, not a store folder".into(),
        });
    }
    // sled would silently start a new, empty data file beside its old config.
    let db = dir.join("db");
    if dir.join("conf").exists() && !db.exists() {
        return Err(StoreError::FileMissing { path: db });
    }
    remove_unfinished_snapshots(dir)
}

/// The unfinished snapshot files in `dir`.
pub(crate) fn unfinished_snapshots(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| io_error(e, dir))?;
    let mut out = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            out.push(e.path());
        }
    }
    Ok(out)
}

fn remove_unfinished_snapshots(dir: &Path) -> Result<()> {
    let leftovers = unfinished_snapshots(dir)?;
    if leftovers.is_empty() {
        return Ok(());
    }
    // Only when no other process holds the store: a running server may be writing one.
    let db_file = dir.join("db");
    let lock = match std::fs::File::open(&db_file) {
        Ok(f) => match fs2::FileExt::try_lock_exclusive(&f) {
            Ok(()) => Some(f),
            Err(_) => return Ok(()), // held: sled will say the store is locked
        },
        Err(_) => None,
    };
    for p in leftovers {
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(e, &p)),
        }
    }
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    if let Some(f) = lock {
        let _ = fs2::FileExt::unlock(&f);
    }
    Ok(())
}

/// sled's data file, opened for `fdatasync`; the folder is synced too, so that a new
/// store's files are found after a power loss.
pub(crate) fn data_file(dir: &Path) -> Result<std::fs::File> {
    let path = dir.join("db");
    let f = std::fs::File::open(&path).map_err(|e| io_error(e, &path))?;
    if let Ok(d) = std::fs::File::open(dir) {
        d.sync_all().map_err(|e| io_error(e, dir))?;
    }
    Ok(f)
}

thread_local! {
    /// Set while this thread opens sled: its panics are caught and reported as an error.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Installs (once) a panic hook that stays silent for panics of a thread that is opening
/// sled, and passes every other panic to the hook that was there before.
fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, catching a panic without printing it (sled's panic text must not come before
/// our error message).
pub fn quietly<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    install_quiet_hook();
    QUIET.with(|q| q.set(true));
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    out
}

/// Opens sled in `dir`: a panic inside sled (on damaged files) becomes
/// [`StoreError::Corrupt`] without sled's panic text; a store held by another process gives
/// [`StoreError::Locked`]; file-system errors name the folder.
pub(crate) fn open_sled(dir: &Path) -> Result<sled::Db> {
    install_quiet_hook();
    let mut attempt = 0;
    loop {
        let cfg = sled::Config::new().path(dir).cache_capacity(CACHE_CAPACITY);
        let opened = quietly(|| cfg.open()).map_err(|_| {
            StoreError::Corrupt(format!("{} holds damaged store files", dir.display()))
        })?;
        match opened {
            Ok(db) => return Ok(db),
            Err(sled::Error::Io(e)) if e.to_string().contains("could not acquire lock") => {
                // sled's background flusher of a store just dropped in this process may
                // still hold the lock for a moment.
                attempt += 1;
                if attempt >= 10 {
                    return Err(StoreError::Locked {
                        path: dir.to_path_buf(),
                    });
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(sled::Error::Io(e)) => return Err(io_error(e, dir)),
            Err(sled::Error::Corruption { at, .. }) => {
                return Err(StoreError::Corrupt(format!(
                    "{} is damaged at {at:?}",
                    dir.display()
                )))
            }
            Err(sled::Error::Unsupported(m)) | Err(sled::Error::ReportableBug(m)) => {
                return Err(StoreError::Corrupt(format!("{}: {m}", dir.display())))
            }
            Err(e) => return Err(from_sled(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_become_sentences_with_the_path() {
        let p = Path::new("/srv/vertoog/store");
        let t = |code| io_error(std::io::Error::from_raw_os_error(code), p).to_string();
        assert!(t(28).starts_with("the disk is full at /srv/vertoog/store: free space and retry"));
        assert!(t(13).starts_with("permission denied at /srv/vertoog/store"));
        assert!(t(2).contains("/srv/vertoog/store is missing"));
        for code in [28, 13, 2] {
            assert!(!t(code).contains("os error"), "{}", t(code));
        }
        assert!(t(5).contains("/srv/vertoog/store"));
    }
}
