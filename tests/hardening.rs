//! Issue 16 through the real binary: backups that prove they are whole (item 3) and are
//! private (item 13), a store folder the user may not read (item 6), and kill -9 during
//! `import --create` (item 2: never an empty map).
//!
//! - `kill_9_during_import_create_leaves_no_empty_map`: rounds `VERTOOG_KILL_ROUNDS`
//!   (default 12), seed `VERTOOG_KILL_SEED`; each round imports a generated class-S map under
//!   a new id and kills the process after a seeded delay; afterwards the map is either absent
//!   or complete.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::Vertoog;

fn backup_json(v: &Vertoog) -> serde_json::Value {
    let out = v.path("backup.json");
    v.run(&["backup", "--out", out.to_str().unwrap()]).ok();
    serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap()
}

#[cfg(unix)]
#[test]
fn the_store_folder_and_backups_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let v = Vertoog::new();
    v.import_demo("demo");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&v.store()), 0o700);
    let out = v.path("backup.json");
    // Also when the file existed before with a wider mode.
    std::fs::write(&out, b"old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    v.run(&["backup", "--out", out.to_str().unwrap()]).ok();
    assert_eq!(mode(&out), 0o600);
}

/// A changed position, a deleted stance and a changed name are each refused before the
/// store is touched; the untouched backup restores; one without digest restores with a
/// warning.
#[test]
fn a_tampered_backup_is_refused_and_restores_nothing() {
    let v = Vertoog::new();
    v.import_demo("demo");
    let good = backup_json(&v);
    assert!(good["digest"].as_str().unwrap().starts_with("sha256:"));

    let mut moved = good.clone();
    let p = &mut moved["maps"][0]["bundle"]["stances"][0]["position"];
    *p = serde_json::json!(if p.as_i64() == Some(2) { -2 } else { 2 });
    let mut deleted = good.clone();
    deleted["maps"][0]["bundle"]["stances"]
        .as_array_mut()
        .unwrap()
        .pop();
    let mut renamed = good.clone();
    renamed["maps"][0]["bundle"]["actors"][0]["name"] = "Someone Else Entirely".into();
    for (what, snap) in [("position", moved), ("stance", deleted), ("name", renamed)] {
        let r = Vertoog::new();
        let file = r.path("tampered.json");
        std::fs::write(&file, serde_json::to_vec(&snap).unwrap()).unwrap();
        let run = r.run(&["restore", file.to_str().unwrap()]).fails_with(2);
        assert!(
            run.stderr.contains("does not match its digest")
                && run.stderr.contains("tampered.json"),
            "changed {what}: {}",
            run.stderr
        );
        let list = r.run(&["map", "list", "--json"]).ok().json();
        assert_eq!(list.as_array().map(Vec::len), Some(0), "changed {what}");
    }

    let r = Vertoog::new();
    let file = r.path("good.json");
    std::fs::write(&file, serde_json::to_vec(&good).unwrap()).unwrap();
    let run = r.run(&["restore", file.to_str().unwrap()]).ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert_eq!(r.content("demo"), v.content("demo"));

    let mut old = good.clone();
    old.as_object_mut().unwrap().remove("digest");
    let r = Vertoog::new();
    let file = r.path("old.json");
    std::fs::write(&file, serde_json::to_vec(&old).unwrap()).unwrap();
    let run = r.run(&["restore", file.to_str().unwrap()]).ok();
    assert!(
        run.stderr.contains("warning") && run.stderr.contains("no digest"),
        "{}",
        run.stderr
    );
    assert_eq!(r.content("demo"), v.content("demo"));
}

/// A store folder the user may not enter: a plain sentence with the path, for a read too.
/// As root (who may read anything), the command runs as `nobody` through `setpriv`.
#[cfg(unix)]
#[test]
fn permission_denied_names_the_store_and_says_what_to_do() {
    use std::os::unix::fs::PermissionsExt;
    let v = Vertoog::new();
    v.run(&["map", "create", "m"]).ok();
    let store = v.store();
    let bin = env!("CARGO_BIN_EXE_vertoog");
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let out = if is_root {
        // nobody may pass through the temp folder, but not into the 0700 store.
        std::fs::set_permissions(v.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", bin])
            .arg("--store")
            .arg(&store)
            .args(["map", "list"])
            .stdin(Stdio::null())
            .output()
            .expect("setpriv (util-linux) runs the binary as nobody")
    } else {
        std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o000)).unwrap();
        Command::new(bin)
            .arg("--store")
            .arg(&store)
            .args(["map", "list"])
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("permission denied at {}", store.display()))
            && stderr.contains("read and write access"),
        "{stderr}"
    );
    assert!(!stderr.contains("os error"), "{stderr}");
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o700)).unwrap();
}

/// Kill -9 at a seeded moment during `import --create` of a generated class-S map, many
/// rounds into one store: each map is afterwards absent or complete, never empty or partial.
#[test]
fn kill_9_during_import_create_leaves_no_empty_map() {
    let rounds: u64 = std::env::var("VERTOOG_KILL_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12);
    let mut seed: u64 = std::env::var("VERTOOG_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(16);
    let v = Vertoog::new();
    let bundle = v.path("s-bundle");
    v.run(&[
        "generate",
        "--class",
        "S",
        "--seed",
        "3",
        "--out",
        bundle.to_str().unwrap(),
    ])
    .ok();
    // How long a whole import takes here, to spread the kills over it.
    let t = std::time::Instant::now();
    v.run(&[
        "import",
        "--map",
        "reference",
        "--create",
        "--on-duplicate",
        "keep",
        bundle.to_str().unwrap(),
    ])
    .ok();
    let full_ms = t.elapsed().as_millis().max(20) as u64;
    let reference = v.content("reference");
    let count = |c: &serde_json::Value, k: &str| c[k].as_array().map_or(0, Vec::len);

    let (mut absent, mut complete) = (0, 0);
    for round in 0..rounds {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = (seed >> 33) % (full_ms + full_ms / 4);
        let id = format!("k{round}");
        let mut child = Command::new(env!("CARGO_BIN_EXE_vertoog"))
            .arg("--store")
            .arg(v.store())
            .args(["import", "--map", &id, "--create", "--on-duplicate", "keep"])
            .arg(&bundle)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let maps = v.run(&["map", "list", "--json"]).ok().json();
        let present = maps
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == id.as_str());
        if present {
            let c = v.content(&id);
            for k in ["actors", "narratives", "stances", "ties"] {
                assert_eq!(
                    count(&c, k),
                    count(&reference, k),
                    "round {round} (kill after {delay} ms): map {id} has a partial {k} list"
                );
            }
            complete += 1;
        } else {
            absent += 1;
        }
    }
    eprintln!(
        "kill -9 during import --create: {rounds} rounds (import ~{full_ms} ms): \
         {absent} absent, {complete} complete, 0 empty or partial"
    );
}
