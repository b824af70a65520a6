//! Backup, restore, damaged stores and erasure of personal data through the real binary
//! (issue 9; docs/interfaces.md §9, reliability and security).
//!
//! - A backup of a store with maps, change logs and tokens restores into an empty store with
//!   equal exports, logs and token list, and its tokens still verify; a non-empty store is
//!   refused.
//! - While the server holds the store, `vertoog backup` says to pass `--server`; with it (and
//!   an admin token in `$VERTOOG_TOKEN`) the backup comes from `GET /api/v1/backup` and equals
//!   the offline one.
//! - Truncated or garbled store files give an error that says the store cannot be read and
//!   points at `vertoog restore`, never a panic and never a silently emptied map.
//! - `vertoog erase` removes a person with its stances, ties and every trace in the change log;
//!   `vertoog compact` then also removes the old bytes from the store's files (refused while
//!   the server holds the store).

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::{bundle_dir, Run, Vertoog};
use serde_json::Value;

/// Runs the binary on `store` with extra environment variables.
fn run_env(store: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vertoog"));
    cmd.arg("--store")
        .arg(store)
        .args(args)
        .stdin(Stdio::null());
    cmd.env_remove("VERTOOG_TOKEN");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run vertoog");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("read file")).expect("JSON file")
}

/// A store with the demo map, a second map with a history (import, merge, undo) and two
/// tokens. Returns the admin token's secret.
fn populated(v: &Vertoog) -> String {
    v.import_demo("demo");
    let dir = bundle_dir(
        v,
        "second",
        &[
            (
                "actors.csv",
                "id,name,kind\nbzk,Ministerie van BZK,organisation\nvng,VNG,organisation\nlogius,Logius,organisation\n",
            ),
            ("narratives.csv", "id,label,core\nd,Digitaal als standaard,true\n"),
            ("stances.csv", "actor,narrative,position\nbzk,d,2\nvng,d,1\nlogius,d,-1\n"),
            ("ties.csv", "source,target,kind\nbzk,vng,communication\n"),
        ],
    );
    v.run(&[
        "import",
        "--map",
        "second",
        "--create",
        dir.to_str().unwrap(),
    ])
    .ok();
    v.run(&["merge", "--map", "second", "bzk", "logius"]).ok();
    v.run(&["undo", "--map", "second"]).ok();
    v.run(&["merge", "--map", "second", "vng", "logius"]).ok();
    let secret = v
        .run(&["token", "create", "--name", "ann", "--role", "admin"])
        .ok()
        .stdout
        .trim()
        .to_string();
    v.run(&["token", "create", "--name", "bob", "--role", "viewer"])
        .ok();
    secret
}

/// What must survive a backup and restore: every map's export and log, the map and token
/// lists.
fn fingerprint(v: &Vertoog) -> Vec<String> {
    let mut out = Vec::new();
    let maps = v.run(&["map", "list", "--json"]).ok().json();
    out.push(maps.to_string());
    for m in maps.as_array().expect("map list") {
        let id = m["id"].as_str().expect("map id");
        out.push(
            v.run(&["export", "--map", id, "--format", "json"])
                .ok()
                .stdout,
        );
        out.push(v.run(&["log", "--map", id, "--json"]).ok().stdout);
    }
    out.push(v.run(&["token", "list", "--json"]).ok().stdout);
    out
}

#[test]
fn backup_restores_into_an_empty_store_and_refuses_a_full_one() {
    let v = Vertoog::new();
    let secret = populated(&v);
    let file = v.path("backup.json");
    let r = v.run(&["backup", "--out", file.to_str().unwrap()]).ok();
    assert!(r.stdout.contains("2 maps"), "{}", r.stdout);
    assert!(r.stdout.contains("2 tokens"), "{}", r.stdout);
    let snap = read_json(&file);
    assert_eq!(snap["format"], "vertoog-backup");
    // Only hashes: the secret is nowhere in the file.
    assert!(!std::fs::read_to_string(&file).unwrap().contains(&secret));

    let w = Vertoog::new();
    let r = w.run(&["restore", file.to_str().unwrap()]).ok();
    assert!(r.stdout.contains("2 maps"), "{}", r.stdout);
    let before = fingerprint(&v);
    assert_eq!(fingerprint(&w), before);
    assert!(before[1].contains("\"actors\""), "exports hold the maps");

    // The tokens still verify in the restored store, with their roles.
    {
        let store = vertoog_store::Store::open(&w.store()).expect("open restored store");
        let info = store
            .verify_token(&secret)
            .unwrap()
            .expect("token verifies");
        assert_eq!(info.name, "ann");
        assert_eq!(info.role, vertoog_store::Role::Admin);
        assert!(store.verify_token("not-a-token").unwrap().is_none());
        // The history came along: the restored store can undo the last merge.
        let undone = store.undo("second", None, "local").unwrap();
        assert_eq!(undone.reverted.len(), 1);
    }

    // Restoring into a store that has data is refused with a clear message, and changes
    // nothing.
    let again = v.run(&["restore", file.to_str().unwrap()]).fails_with(2);
    assert!(again.stderr.contains("not empty"), "{}", again.stderr);
    assert!(
        again.stderr.contains("empty store folder"),
        "{}",
        again.stderr
    );
    assert_eq!(fingerprint(&v), before);

    // A file that is not a backup is refused too.
    std::fs::write(v.path("junk.json"), "{\"maps\": 3}").unwrap();
    let e = Vertoog::new();
    let r = e
        .run(&["restore", v.path("junk.json").to_str().unwrap()])
        .fails_with(2);
    assert!(r.stderr.contains("not a vertoog backup"), "{}", r.stderr);
}

/// The real server on 127.0.0.1:0; killed on drop.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(store: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vertoog"))
            .arg("--store")
            .arg(store)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn vertoog serve");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().expect("stdout"))
            .read_line(&mut line)
            .expect("URL line");
        let url = line.trim().to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "{url:?}");
        Server { child, url }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A snapshot without its creation time.
fn without_created(mut v: Value) -> Value {
    let o = v.as_object_mut().expect("snapshot");
    o.remove("created");
    // The digest covers `created` too (issue 16).
    assert!(o.remove("digest").is_some(), "a backup has a digest");
    v
}

#[test]
fn backup_through_the_running_server_equals_the_offline_one() {
    let v = Vertoog::new();
    let admin = populated(&v);
    let viewer = v
        .run(&["token", "create", "--name", "carol", "--role", "viewer"])
        .ok()
        .stdout
        .trim()
        .to_string();
    let offline = v.path("offline.json");
    v.run(&["backup", "--out", offline.to_str().unwrap()]).ok();

    let server = Server::start(&v.store());
    let online = v.path("online.json");
    let out = online.to_str().unwrap();
    // The store is locked: the error says so and how to go on.
    let r = run_env(&v.store(), &["backup", "--out", out], &[]).fails_with(1);
    assert!(
        r.stderr.contains("in use by another process"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--server"), "{}", r.stderr);
    assert!(!online.exists());
    // Without a token, or with a viewer's: refused, with the reason.
    let r = run_env(
        &v.store(),
        &["backup", "--out", out, "--server", &server.url],
        &[],
    )
    .fails_with(1);
    assert!(
        r.stderr.contains("HTTP 401") && r.stderr.contains("VERTOOG_TOKEN"),
        "{}",
        r.stderr
    );
    let r = run_env(
        &v.store(),
        &["backup", "--out", out, "--server", &server.url],
        &[("VERTOOG_TOKEN", &viewer)],
    )
    .fails_with(1);
    assert!(r.stderr.contains("HTTP 403"), "{}", r.stderr);
    assert!(!online.exists());
    // With the admin token: the same snapshot as offline.
    let r = run_env(
        &v.store(),
        &["backup", "--out", out, "--server", &server.url],
        &[("VERTOOG_TOKEN", &admin)],
    )
    .ok();
    assert!(r.stdout.contains("2 maps"), "{}", r.stdout);
    assert_eq!(
        without_created(read_json(&online)),
        without_created(read_json(&offline))
    );
    // A bad URL is a usage error.
    let r = run_env(
        &v.store(),
        &["backup", "--out", out, "--server", "ftp://x"],
        &[],
    )
    .fails_with(2);
    assert!(r.stderr.contains("--server"), "{}", r.stderr);
    drop(server);

    // The online backup restores to the same store content.
    let w = Vertoog::new();
    w.run(&["restore", out]).ok();
    assert_eq!(fingerprint(&w), fingerprint(&v));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Deterministic bytes for garbling.
fn noise(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn damaged_store_files_give_a_clear_error_that_points_at_restore() {
    let v = Vertoog::new();
    populated(&v);
    let backup = v.path("backup.json");
    v.run(&["backup", "--out", backup.to_str().unwrap()]).ok();
    let good = v
        .run(&["export", "--map", "demo", "--format", "json"])
        .ok()
        .stdout;
    let db = v.store().join("db");
    let len = std::fs::metadata(&db).expect("sled's db file").len() as usize;
    assert!(len > 1000);

    type Damage = Box<dyn Fn(&Path)>;
    let cases: Vec<(&str, Damage)> = vec![
        (
            "db emptied",
            Box::new(|d: &Path| std::fs::write(d.join("db"), b"").unwrap()),
        ),
        (
            "db cut to half",
            Box::new(move |d: &Path| {
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(d.join("db"))
                    .unwrap();
                f.set_len(len as u64 / 2).unwrap();
            }),
        ),
        (
            "db cut to 1000 bytes",
            Box::new(|d: &Path| {
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(d.join("db"))
                    .unwrap();
                f.set_len(1000).unwrap();
            }),
        ),
        (
            "db garbled in 2000 places",
            Box::new(move |d: &Path| {
                let mut b = std::fs::read(d.join("db")).unwrap();
                let n = noise(7, 4000);
                for pair in n.chunks(4) {
                    let at =
                        (u32::from_le_bytes([pair[0], pair[1], pair[2], 0]) as usize) % b.len();
                    b[at] = pair[3];
                }
                std::fs::write(d.join("db"), b).unwrap();
            }),
        ),
        (
            "db replaced by noise",
            Box::new(move |d: &Path| std::fs::write(d.join("db"), noise(3, len)).unwrap()),
        ),
        (
            "db deleted",
            Box::new(|d: &Path| std::fs::remove_file(d.join("db")).unwrap()),
        ),
        (
            "conf garbled",
            Box::new(|d: &Path| std::fs::write(d.join("conf"), noise(5, 62)).unwrap()),
        ),
    ];
    let mut refused = 0;
    for (what, damage) in &cases {
        let copy = v.path(&format!("damaged-{}", what.replace(' ', "-")));
        copy_dir(&v.store(), &copy);
        damage(&copy);
        for args in [
            &["export", "--map", "demo", "--format", "json"][..],
            &["map", "list"][..],
        ] {
            let r = run_env(&copy, args, &[]);
            assert!(
                !r.stderr.contains("panicked") && r.code != 101,
                "{what}: {args:?} panicked:\n{}",
                r.stderr
            );
            if r.code == 0 {
                // Opened: then the data must be whole, never silently partial or empty.
                if args[0] == "export" {
                    assert_eq!(r.stdout, good, "{what}: the store opened with other data");
                }
            } else {
                assert_eq!(r.code, 1, "{what}: {args:?}: {}", r.stderr);
                assert!(
                    r.stderr.contains("cannot be read") && r.stderr.contains("vertoog restore"),
                    "{what}: {args:?}: {}",
                    r.stderr
                );
                refused += 1;
            }
        }
        eprintln!("{what}: handled");
    }
    // Damage to the data file is always detected (the conf file sled rewrites itself).
    assert!(refused >= 12, "only {refused} refusals");

    // The way out the message names: restore the backup into an empty folder.
    let fresh = v.path("restored");
    run_env(&fresh, &["restore", backup.to_str().unwrap()], &[]).ok();
    let again = run_env(
        &fresh,
        &["export", "--map", "demo", "--format", "json"],
        &[],
    )
    .ok();
    assert_eq!(again.stdout, good);
}

#[test]
fn erase_removes_a_person_with_stances_ties_and_log_entries() {
    let v = Vertoog::new();
    let dir = bundle_dir(
        &v,
        "people",
        &[
            (
                "actors.csv",
                "id,name,kind,notes\nbzk,Ministerie van BZK,organisation,\npjansen,Piet Jansen,person,tel 0612345678\nvng,VNG,organisation,\n",
            ),
            ("narratives.csv", "id,label,core\nd,Digitaal als standaard,true\np,Privacy eerst,false\n"),
            ("stances.csv", "actor,narrative,position\npjansen,d,2\nbzk,d,1\n"),
            ("ties.csv", "source,target,kind\npjansen,bzk,communication\nbzk,vng,collaboration\n"),
        ],
    );
    v.run(&["import", "--map", "m", "--create", dir.to_str().unwrap()])
        .ok();
    // More history about the person: an update, a stance, a deleted stance, a tie.
    {
        let store = vertoog_store::Store::open(&v.store()).unwrap();
        let mut p = store.get_actor("m", "pjansen").unwrap();
        p.notes = "moved to Logius, Piet Jansen's new role".into();
        store.update_actor("m", "pjansen", p, "local").unwrap();
        store
            .create_stance(
                "m",
                vertoog_model::Stance::new("", "pjansen", "p", -1),
                "local",
            )
            .unwrap();
        let gone = store
            .create_stance(
                "m",
                vertoog_model::Stance::new("", "pjansen", "p", 1),
                "local",
            )
            .unwrap();
        store.delete_stance("m", &gone.id, "local").unwrap();
        store
            .create_tie(
                "m",
                vertoog_model::Tie::new("", "vng", "pjansen", vertoog_model::TieKind::Membership),
                "local",
            )
            .unwrap();
    }
    let log_before = v.run(&["log", "--map", "m", "--json"]).ok().stdout;
    assert!(
        log_before.contains("pjansen"),
        "the log mentions the person before"
    );

    let r = v.run(&["erase", "--map", "m", "pjansen"]).ok();
    assert!(
        r.stdout.contains("erased actor pjansen (Piet Jansen)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("stances removed: 2"), "{}", r.stdout);
    assert!(r.stdout.contains("ties removed: 2"), "{}", r.stdout);
    let scrubbed: usize = r
        .stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("change-log entries scrubbed: "))
        .expect("scrubbed count")
        .parse()
        .unwrap();
    // import, update, two stance creates, a stance delete, a tie create.
    assert!(scrubbed >= 6, "{}", r.stdout);

    let log = v.run(&["log", "--map", "m", "--json"]).ok().stdout;
    let export = v
        .run(&["export", "--map", "m", "--format", "json"])
        .ok()
        .stdout;
    for text in [&log, &export] {
        for needle in ["pjansen", "Piet Jansen", "Jansen", "0612345678"] {
            assert!(!text.contains(needle), "`{needle}` is still in:\n{text}");
        }
    }
    // The rest is intact: two organisations, one stance, one tie.
    let bundle: Value = serde_json::from_str(&export).unwrap();
    assert_eq!(bundle["actors"].as_array().unwrap().len(), 2);
    assert_eq!(bundle["stances"].as_array().unwrap().len(), 1);
    assert_eq!(bundle["ties"].as_array().unwrap().len(), 1);
    // An erasure cannot be undone, and undoing earlier entries cannot bring the person back.
    let u = v.run(&["undo", "--map", "m"]);
    assert_ne!(u.code, 0);
    // Nor does a backup taken afterwards hold any trace.
    let file = v.path("after.json");
    v.run(&["backup", "--out", file.to_str().unwrap()]).ok();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("pjansen") && !text.contains("Piet Jansen"));
    // Erasing an unknown actor is an input error that names it.
    let r = v.run(&["erase", "--map", "m", "nobody"]).fails_with(2);
    assert!(r.stderr.contains("nobody"), "{}", r.stderr);

    // sled still holds the old bytes in its files; `compact` rewrites them away, but not
    // while the server holds the store.
    let in_files = |needle: &[u8]| {
        std::fs::read_dir(v.store()).unwrap().flatten().any(|e| {
            e.path().is_file()
                && std::fs::read(e.path())
                    .unwrap()
                    .windows(needle.len())
                    .any(|w| w == needle)
        })
    };
    assert!(in_files(b"Piet Jansen"), "old bytes before compaction");
    {
        let _server = Server::start(&v.store());
        let r = run_env(&v.store(), &["compact"], &[]).fails_with(1);
        assert!(r.stderr.contains("stop `vertoog serve`"), "{}", r.stderr);
    }
    let r = v.run(&["compact"]).ok();
    assert!(r.stdout.contains("compacted"), "{}", r.stdout);
    assert!(!in_files(b"Piet Jansen") && !in_files(b"0612345678"));
    let after = v
        .run(&["export", "--map", "m", "--format", "json"])
        .ok()
        .stdout;
    assert_eq!(after, export, "the map is unchanged");
    assert_eq!(v.run(&["log", "--map", "m", "--json"]).ok().stdout, log);
    let r = run_env(&v.path("nowhere"), &["compact"], &[]).fails_with(2);
    assert!(r.stderr.contains("no store"), "{}", r.stderr);
}
