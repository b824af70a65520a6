//! Crash safety and concurrent edits through the real binary (issue 9; docs/interfaces.md §9
//! "Reliability").
//!
//! - `kill_9_during_concurrent_writes_loses_no_acknowledged_write`: the server runs on a
//!   temporary store; 8 client threads create actors, then stances and ties on them, and record
//!   every write that was acknowledged (a complete 2xx answer). After a seeded random delay
//!   (50-400 ms) the server gets SIGKILL, is restarted on the same store, and the test checks
//!   that every acknowledged write (of this and every earlier round) is there, that no stance
//!   or tie points at a missing actor or narrative, and that entities and change-log entries
//!   are never half there (each entity has its `create` log entry and each `create` entry its
//!   entity). Rounds: `VERTOOG_CRASH_ROUNDS` (default 20); seed: `VERTOOG_CRASH_SEED`.
//! - `concurrent_edits_of_one_actor`: ETag / If-Match (412 on a stale ETag, no lost update
//!   under a race), and last-write-wins without If-Match (docs/decisions.md).
//!
//! The HTTP client is the tests' one client, `vertoog_testkit::http` (HTTP/1.1 over a fresh
//! `TcpStream` per request, `Connection: close`): an answer cut short is an error.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use vertoog_testkit::http::Resp;

// ---------------------------------------------------------------- HTTP

/// One request on a fresh connection. `Err` when the connection fails or the answer is
/// incomplete (a server killed mid-answer): such a write does not count as acknowledged.
fn request(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> Result<Resp, String> {
    vertoog_testkit::http::request_json(addr, method, path, body, headers)
}

fn get(addr: &str, path: &str) -> Resp {
    request(addr, "GET", path, None, &[]).unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

// ---------------------------------------------------------------- the server process

/// The real `vertoog serve` on 127.0.0.1:0.
struct Server {
    child: Child,
    addr: String,
    _stdout: std::process::ChildStdout,
}

impl Server {
    /// Starts the server on `store` and waits for the URL line. Panics (with the server's
    /// stderr) when it does not start: after a crash, that is the failure the test looks for.
    fn start(store: &Path, log: &Path) -> Server {
        let err = std::fs::File::create(log).expect("server log");
        let mut child = Command::new(env!("CARGO_BIN_EXE_vertoog"))
            .arg("--store")
            .arg(store)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(err))
            .spawn()
            .expect("spawn vertoog serve");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        let n = stdout.read_line(&mut line).unwrap_or(0);
        if n == 0 {
            let status = child.wait().ok();
            panic!(
                "the server did not start (status {status:?}); stderr:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        let addr = line
            .trim()
            .strip_prefix("http://")
            .unwrap_or_else(|| panic!("first stdout line is not a URL: {line:?}"))
            .to_string();
        Server {
            child,
            addr,
            _stdout: stdout.into_inner(),
        }
    }

    /// SIGKILL: no shutdown, no flush.
    fn kill9(mut self) {
        self.child.kill().expect("kill -9 the server");
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// xorshift64*: a seeded generator without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

// ---------------------------------------------------------------- the crash test

/// What one writer saw acknowledged, and what it sent without an answer.
#[derive(Default)]
struct Acks {
    actors: BTreeSet<String>,
    /// stance id -> (actor, narrative)
    stances: BTreeMap<String, (String, String)>,
    /// tie id -> (source, target)
    ties: BTreeMap<String, (String, String)>,
    /// Writes sent without a complete answer (the kill came first).
    unanswered: usize,
}

/// Creates actors, and a stance and a tie for each, until the server dies or `stop` is set.
fn writer(addr: String, round: u64, thread: u64, stop: Arc<AtomicBool>) -> Acks {
    let mut acks = Acks::default();
    let mut prev: Option<String> = None;
    let mut i = 0u64;
    while !stop.load(Ordering::Relaxed) {
        let id = format!("r{round}-w{thread}-{i}");
        i += 1;
        let body = json!({"id": id, "name": format!("Crash actor {id}"), "force": true});
        match request(&addr, "POST", "/api/v1/maps/m/actors", Some(&body), &[]) {
            Ok(r) if r.status == 201 => {
                acks.actors.insert(id.clone());
            }
            Ok(r) => panic!(
                "actor {id}: status {} {}",
                r.status,
                String::from_utf8_lossy(&r.body)
            ),
            Err(_) => {
                acks.unanswered += 1;
                break;
            }
        }
        let narrative = if i.is_multiple_of(2) { "n1" } else { "n2" };
        let body = json!({"actor": id, "narrative": narrative, "position": (i % 5) as i64 - 2});
        match request(&addr, "POST", "/api/v1/maps/m/stances", Some(&body), &[]) {
            Ok(r) if r.status == 201 => {
                let sid = r.json()["id"].as_str().expect("stance id").to_string();
                acks.stances
                    .insert(sid, (id.clone(), narrative.to_string()));
            }
            Ok(r) => panic!(
                "stance on {id}: status {} {}",
                r.status,
                String::from_utf8_lossy(&r.body)
            ),
            Err(_) => {
                acks.unanswered += 1;
                break;
            }
        }
        if let Some(p) = &prev {
            let body = json!({"source": p, "target": id, "kind": "collaboration"});
            match request(&addr, "POST", "/api/v1/maps/m/ties", Some(&body), &[]) {
                Ok(r) if r.status == 201 => {
                    let tid = r.json()["id"].as_str().expect("tie id").to_string();
                    acks.ties.insert(tid, (p.clone(), id.clone()));
                }
                Ok(r) => panic!(
                    "tie {p}-{id}: status {} {}",
                    r.status,
                    String::from_utf8_lossy(&r.body)
                ),
                Err(_) => {
                    acks.unanswered += 1;
                    break;
                }
            }
        }
        prev = Some(id);
    }
    acks
}

fn items(addr: &str, path: &str) -> Vec<Value> {
    let r = get(addr, &format!("{path}?limit=100000"));
    assert_eq!(
        r.status,
        200,
        "GET {path}: {}",
        String::from_utf8_lossy(&r.body)
    );
    let v = r.json();
    let items = v["items"].as_array().expect("items").clone();
    assert_eq!(
        v["total"].as_u64(),
        Some(items.len() as u64),
        "{path}: one page"
    );
    items
}

fn ids(list: &[Value]) -> BTreeSet<String> {
    list.iter()
        .map(|e| e["id"].as_str().expect("id").to_string())
        .collect()
}

/// The state after a restart; returns (actors, stances, ties) present.
fn check_store(addr: &str, all: &Acks, round: u64) -> (usize, usize, usize) {
    let actors = items(addr, "/api/v1/maps/m/actors");
    let narratives = items(addr, "/api/v1/maps/m/narratives");
    let stances = items(addr, "/api/v1/maps/m/stances");
    let ties = items(addr, "/api/v1/maps/m/ties");
    let log = items(addr, "/api/v1/maps/m/log");
    let actor_ids = ids(&actors);
    let narrative_ids = ids(&narratives);
    assert!(narrative_ids.contains("n1") && narrative_ids.contains("n2"));
    let stance_by_id: BTreeMap<String, &Value> = stances
        .iter()
        .map(|s| (s["id"].as_str().unwrap().to_string(), s))
        .collect();
    let tie_by_id: BTreeMap<String, &Value> = ties
        .iter()
        .map(|t| (t["id"].as_str().unwrap().to_string(), t))
        .collect();

    // 1. Every acknowledged write is there, unchanged.
    let lost_actors: Vec<&String> = all
        .actors
        .iter()
        .filter(|a| !actor_ids.contains(*a))
        .collect();
    assert!(
        lost_actors.is_empty(),
        "round {round}: acknowledged actors lost: {lost_actors:?}"
    );
    for (sid, (actor, narrative)) in &all.stances {
        let s = stance_by_id
            .get(sid)
            .unwrap_or_else(|| panic!("round {round}: acknowledged stance {sid} lost"));
        assert_eq!(s["actor"], json!(actor), "round {round}: stance {sid}");
        assert_eq!(
            s["narrative"],
            json!(narrative),
            "round {round}: stance {sid}"
        );
    }
    for (tid, (src, tgt)) in &all.ties {
        let t = tie_by_id
            .get(tid)
            .unwrap_or_else(|| panic!("round {round}: acknowledged tie {tid} lost"));
        assert_eq!(
            (t["source"].clone(), t["target"].clone()),
            (json!(src), json!(tgt))
        );
    }

    // 2. Referential integrity.
    for s in &stances {
        let a = s["actor"].as_str().unwrap();
        let n = s["narrative"].as_str().unwrap();
        assert!(
            actor_ids.contains(a),
            "round {round}: stance {} points at missing actor {a}",
            s["id"]
        );
        assert!(
            narrative_ids.contains(n),
            "round {round}: stance {} points at missing narrative {n}",
            s["id"]
        );
    }
    for t in &ties {
        for end in ["source", "target"] {
            let a = t[end].as_str().unwrap();
            assert!(
                actor_ids.contains(a),
                "round {round}: tie {} {end} points at missing actor {a}",
                t["id"]
            );
        }
    }

    // 3. Nothing half there: entity and change-log entry are written together, so each
    //    created entity has its `create` entry and each `create` entry its entity (this test
    //    never deletes). Log seqs run 1..=n without a gap.
    let mut created: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (i, e) in log.iter().enumerate() {
        assert_eq!(
            e["seq"].as_u64(),
            Some(i as u64 + 1),
            "round {round}: log seqs have a gap"
        );
        if e["operation"] == "create" {
            created
                .entry(e["entity"].as_str().unwrap())
                .or_default()
                .insert(e["id"].as_str().unwrap().to_string());
        }
    }
    let empty = BTreeSet::new();
    assert_eq!(
        created.get("actor").unwrap_or(&empty),
        &actor_ids,
        "round {round}: actors vs log"
    );
    assert_eq!(
        created.get("narrative").unwrap_or(&empty),
        &narrative_ids,
        "round {round}: narratives vs log"
    );
    assert_eq!(
        created.get("stance").unwrap_or(&empty),
        &stance_by_id.keys().cloned().collect(),
        "round {round}: stances vs log"
    );
    assert_eq!(
        created.get("tie").unwrap_or(&empty),
        &tie_by_id.keys().cloned().collect(),
        "round {round}: ties vs log"
    );
    (actors.len(), stances.len(), ties.len())
}

#[test]
fn kill_9_during_concurrent_writes_loses_no_acknowledged_write() {
    let rounds = env_u64("VERTOOG_CRASH_ROUNDS", 20);
    let seed = env_u64("VERTOOG_CRASH_SEED", 0x5EED_0009);
    let mut rng = Rng(seed | 1);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    let log = dir.path().join("server.log");
    let started = Instant::now();

    let mut server = Server::start(&store, &log);
    let r = request(
        &server.addr,
        "POST",
        "/api/v1/maps",
        Some(&json!({"id": "m", "name": "Crash test"})),
        &[],
    )
    .unwrap();
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    for (id, label) in [("n1", "Digital by default"), ("n2", "Privacy first")] {
        let body = json!({"id": id, "label": label, "core": id == "n1"});
        let r = request(
            &server.addr,
            "POST",
            "/api/v1/maps/m/narratives",
            Some(&body),
            &[],
        )
        .unwrap();
        assert_eq!(r.status, 201);
    }

    let mut all = Acks::default();
    let (mut total_unanswered, mut landed_unacked) = (0usize, 0usize);
    for round in 0..rounds {
        let stop = Arc::new(AtomicBool::new(false));
        let handles: Vec<_> = (0..8)
            .map(|t| {
                let (addr, stop) = (server.addr.clone(), Arc::clone(&stop));
                std::thread::spawn(move || writer(addr, round, t, stop))
            })
            .collect();
        std::thread::sleep(Duration::from_millis(rng.range(50, 400)));
        server.kill9();
        stop.store(true, Ordering::Relaxed);
        let mut round_acks = 0usize;
        for h in handles {
            let a = h.join().expect("writer thread");
            round_acks += a.actors.len() + a.stances.len() + a.ties.len();
            total_unanswered += a.unanswered;
            all.actors.extend(a.actors);
            all.stances.extend(a.stances);
            all.ties.extend(a.ties);
        }
        server = Server::start(&store, &log);
        let (na, ns, nt) = check_store(&server.addr, &all, round);
        // Writes that landed without their answer reaching the client (allowed: wholly there).
        landed_unacked = (na - all.actors.len()) + (ns - all.stances.len()) + (nt - all.ties.len());
        eprintln!(
            "round {round}: {round_acks} writes acknowledged, store holds {na} actors / {ns} stances / {nt} ties, all acknowledged writes present"
        );
    }
    assert!(
        !all.actors.is_empty() && !all.stances.is_empty(),
        "no write was acknowledged"
    );
    server.kill9();

    // The store also opens offline (no server) after the last kill, and its export is whole.
    let out = Command::new(env!("CARGO_BIN_EXE_vertoog"))
        .arg("--store")
        .arg(&store)
        .args(["export", "--map", "m", "--format", "json"])
        .output()
        .expect("run export");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bundle: Value = serde_json::from_slice(&out.stdout).expect("export is JSON");
    let exported: BTreeSet<String> = ids(bundle["actors"].as_array().unwrap());
    assert!(all.actors.is_subset(&exported));
    eprintln!(
        "crash test: {rounds} rounds in {:.1} s; acknowledged {} actors, {} stances, {} ties, none lost; {} writes were cut off by a kill ({} of them landed whole)",
        started.elapsed().as_secs_f64(),
        all.actors.len(),
        all.stances.len(),
        all.ties.len(),
        total_unanswered,
        landed_unacked
    );
}

// ---------------------------------------------------------------- concurrent edits

fn patch(addr: &str, path: &str, body: Value, if_match: Option<&str>) -> Resp {
    let h: Vec<(&str, &str)> = if_match.map(|t| ("If-Match", t)).into_iter().collect();
    request(addr, "PATCH", path, Some(&body), &h).expect("PATCH")
}

#[test]
fn concurrent_edits_of_one_actor() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(&dir.path().join("store"), &dir.path().join("server.log"));
    let addr = server.addr.clone();
    assert_eq!(
        request(
            &addr,
            "POST",
            "/api/v1/maps",
            Some(&json!({"id": "m"})),
            &[]
        )
        .unwrap()
        .status,
        201
    );
    let r = request(
        &addr,
        "POST",
        "/api/v1/maps/m/actors",
        Some(&json!({"id": "a", "name": "Logius"})),
        &[],
    )
    .unwrap();
    assert_eq!(r.status, 201);
    let created_tag = r.header("etag").expect("ETag on create").to_string();
    let path = "/api/v1/maps/m/actors/a";

    // Two clients read the same version.
    let tag_a = get(&addr, path).header("etag").unwrap().to_string();
    let tag_b = get(&addr, path).header("etag").unwrap().to_string();
    assert_eq!(tag_a, tag_b);
    assert_eq!(tag_a, created_tag);

    // A writes first with If-Match: accepted, new ETag.
    let ra = patch(&addr, path, json!({"influence": 0.8}), Some(&tag_a));
    assert_eq!(ra.status, 200);
    let tag_a2 = ra.header("etag").unwrap().to_string();
    assert_ne!(tag_a2, tag_a);
    // B's If-Match is stale now: 412, nothing written.
    let rb = patch(&addr, path, json!({"influence": 0.3}), Some(&tag_b));
    assert_eq!(rb.status, 412, "{}", String::from_utf8_lossy(&rb.body));
    assert_eq!(
        rb.json()["error"]["code"].as_str().map(|c| !c.is_empty()),
        Some(true)
    );
    let now = get(&addr, path);
    assert_eq!(now.json()["influence"], json!(0.8));
    assert_eq!(now.header("etag"), Some(tag_a2.as_str()));
    // A stale DELETE is refused too.
    let rd = request(&addr, "DELETE", path, None, &[("If-Match", &tag_b)]).unwrap();
    assert_eq!(rd.status, 412);
    // B reads again and writes: accepted.
    let rb2 = patch(&addr, path, json!({"influence": 0.3}), Some(&tag_a2));
    assert_eq!(rb2.status, 200);
    assert_eq!(get(&addr, path).json()["influence"], json!(0.3));

    // Without If-Match the later write wins, whoever read what.
    assert_eq!(
        patch(&addr, path, json!({"notes": "from A"}), None).status,
        200
    );
    assert_eq!(
        patch(&addr, path, json!({"notes": "from B"}), None).status,
        200
    );
    let v = get(&addr, path).json();
    assert_eq!(v["notes"], json!("from B"));
    assert_eq!(
        v["influence"],
        json!(0.3),
        "a PATCH changes only the fields it names"
    );

    // A race of two clients doing read-modify-write with If-Match: no update is lost.
    assert_eq!(patch(&addr, path, json!({"notes": "0"}), None).status, 200);
    let per_client = 15u64;
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let mut conflicts = 0u64;
                let mut done = 0;
                while done < per_client {
                    let r = get(&addr, path);
                    let tag = r.header("etag").unwrap().to_string();
                    let n: u64 = r.json()["notes"].as_str().unwrap().parse().unwrap();
                    let w = patch(
                        &addr,
                        path,
                        json!({"notes": (n + 1).to_string()}),
                        Some(&tag),
                    );
                    match w.status {
                        200 => done += 1,
                        412 => conflicts += 1,
                        s => panic!("unexpected status {s}"),
                    }
                }
                conflicts
            })
        })
        .collect();
    let conflicts: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    let v = get(&addr, path).json();
    assert_eq!(
        v["notes"],
        json!((2 * per_client).to_string()),
        "an update was lost ({conflicts} conflicts)"
    );
    drop(server);
}
