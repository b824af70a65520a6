//! Helpers for the end-to-end tests: run the real `vertoog` binary on a temporary store.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The repository root (the tests live in `tests/` beside `crates/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

pub fn demo_dir() -> PathBuf {
    root().join("data/demo")
}

pub fn test_data(rel: &str) -> PathBuf {
    root().join("tests/data").join(rel)
}

/// What a run of the binary gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
    #[track_caller]
    pub fn fails_with(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "expected exit code {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// A temporary store and the binary.
pub struct Vertoog {
    pub dir: tempfile::TempDir,
}

impl Vertoog {
    pub fn new() -> Self {
        Vertoog {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn store(&self) -> PathBuf {
        self.dir.path().join("store")
    }

    /// A scratch path inside the temporary folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let out: Output = Command::new(env!("CARGO_BIN_EXE_vertoog"))
            .arg("--store")
            .arg(self.store())
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run vertoog");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Imports the demo map as `map`.
    pub fn import_demo(&self, map: &str) {
        let demo = demo_dir();
        self.run(&["import", "--map", map, "--create", demo.to_str().unwrap()])
            .ok();
    }

    /// Imports the demo map into an existing map `map` (keeping near-duplicate names).
    pub fn import_demo_into(&self, map: &str) {
        let demo = demo_dir();
        self.run(&[
            "import",
            "--map",
            map,
            "--on-duplicate",
            "keep",
            demo.to_str().unwrap(),
        ])
        .ok();
    }

    /// The map as a JSON bundle, without the fields that differ between two maps of equal
    /// content (id, created, updated).
    pub fn content(&self, map: &str) -> serde_json::Value {
        let mut v = self
            .run(&["export", "--map", map, "--format", "json"])
            .ok()
            .json();
        let m = v["map"].as_object_mut().expect("map object");
        for k in ["id", "created", "updated", "name"] {
            m.remove(k);
        }
        v
    }
}

/// Writes `files` (name, content) into a fresh folder under `v` and returns it.
pub fn bundle_dir(v: &Vertoog, name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = v.path(name);
    std::fs::create_dir_all(&dir).unwrap();
    for (file, content) in files {
        std::fs::write(dir.join(file), content).unwrap();
    }
    dir
}
