//! Issue 16 ("The HTTP server, under attack"), items 8, 9, 11, 12 and 13, against the real
//! server on a random port: cross-site requests, DNS rebinding, Graphviz children and the
//! heavy-work bound, slow clients, and the smaller points (empty `If-Match`, chunked
//! multipart over the limit, request ids).

use crate::common;

use std::time::{Duration, Instant};

use common::{seed, seed_engagement, start, start_config, TestServer};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use vertoog_model::{Actor, Bundle, Map, Tie, TieKind};
use vertoog_store::{ImportOptions, OnDuplicate, Role, Store};

/// A raw HTTP/1.1 request over a fresh connection; the whole answer as text.
async fn raw_http(addr: std::net::SocketAddr, request: &str) -> String {
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    conn.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), conn.read_to_end(&mut out))
        .await
        .expect("the server answers")
        .unwrap();
    String::from_utf8_lossy(&out).to_string()
}

fn get_with_host(path: &str, host: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
}

// ---- item 8: cross-site request forgery ----

#[tokio::test]
async fn writes_from_another_origin_are_refused() {
    let s = start_config(seed, |_| {}).await;
    let own = format!("http://{}", s.addr);
    let body = serde_json::to_vec(&json!({"id": "x", "name": "X"})).unwrap();
    let ct = ("content-type", "application/json");
    for headers in [
        vec![ct, ("origin", "http://evil.example")],
        vec![ct, ("origin", "null")],
        vec![ct, ("referer", "http://evil.example/page.html")],
        vec![ct, ("origin", "http://127.0.0.1:1")],
    ] {
        let r = s.raw("POST", "/api/v1/maps", &headers, body.clone()).await;
        assert_eq!(r.status, 403, "{headers:?}: {}", r.text());
        assert_eq!(r.code(), "cross_origin");
    }
    // Nothing was created; bodiless and other state-changing routes are refused too.
    assert_eq!(s.get("/api/v1/maps/x").await.status, 404);
    let evil = [("origin", "http://evil.example")];
    let before = s.get("/api/v1/maps/m/log").await.json()["total"].clone();
    assert_eq!(
        s.raw("POST", "/api/v1/maps/m/undo", &evil, vec![])
            .await
            .status,
        403
    );
    assert_eq!(
        s.raw("DELETE", "/api/v1/maps/m/actors/a", &evil, vec![])
            .await
            .status,
        403
    );
    assert_eq!(s.get("/api/v1/maps/m/log").await.json()["total"], before);
    assert_eq!(s.get("/api/v1/maps/m/actors/a").await.status, 200);
    // Reads from anywhere are fine (no CORS header lets the other site see them).
    assert_eq!(
        s.raw("GET", "/api/v1/maps", &evil, vec![]).await.status,
        200
    );
    // The server's own pages, and clients that send neither header (CLI, curl), may write.
    let r = s
        .raw(
            "POST",
            "/api/v1/maps",
            &[ct, ("origin", own.as_str())],
            body.clone(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let referer = format!("{own}/index.html#map=m");
    let r = s
        .raw(
            "POST",
            "/api/v1/maps",
            &[ct, ("referer", referer.as_str())],
            serde_json::to_vec(&json!({"id": "y", "name": "Y"})).unwrap(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let r = s
        .raw(
            "POST",
            "/api/v1/maps",
            &[ct],
            serde_json::to_vec(&json!({"id": "z", "name": "Z"})).unwrap(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    s.stop().await;
}

#[tokio::test]
async fn json_routes_take_exactly_application_json() {
    let s = start().await;
    let body = serde_json::to_vec(&json!({"id": "x", "name": "X"})).unwrap();
    for headers in [
        vec![],
        vec![("content-type", "text/plain; x=+json")],
        vec![("content-type", "text/plain")],
        vec![("content-type", "application/x-www-form-urlencoded")],
        vec![("content-type", "application/vnd.evil+json")],
    ] {
        let r = s.raw("POST", "/api/v1/maps", &headers, body.clone()).await;
        assert_eq!(r.status, 415, "{headers:?}: {}", r.text());
    }
    assert_eq!(s.get("/api/v1/maps/x").await.status, 404);
    let r = s
        .raw(
            "POST",
            "/api/v1/maps",
            &[("content-type", "application/json; charset=utf-8")],
            body,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    // Undo with a body needs JSON too; without a body it needs no content type.
    let r = s
        .raw(
            "POST",
            "/api/v1/maps/x/undo",
            &[("content-type", "text/plain")],
            br#"{"to": 0}"#.to_vec(),
        )
        .await;
    assert_eq!(r.status, 415, "{}", r.text());
    // An import as text/plain or without a content type is refused.
    for headers in [vec![], vec![("content-type", "text/plain")]] {
        let r = s
            .raw(
                "POST",
                "/api/v1/maps/x/import",
                &headers,
                br#"{"map": {"id": "x"}, "actors": [{"id": "a", "name": "A"}]}"#.to_vec(),
            )
            .await;
        assert_eq!(r.status, 415, "{headers:?}: {}", r.text());
    }
    s.stop().await;
}

#[tokio::test]
async fn multipart_import_needs_the_request_header() {
    let s = start_config(seed, |_| {}).await;
    let boundary = "XyZ";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"actors.csv\"\r\n\r\nid,name\nform,Formed By A Form\r\n--{boundary}--\r\n"
    );
    let ct = format!("multipart/form-data; boundary={boundary}");
    let r = s
        .raw(
            "POST",
            "/api/v1/maps/m/import",
            &[("content-type", ct.as_str())],
            body.clone().into_bytes(),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(s.get("/api/v1/maps/m/actors/form").await.status, 404);
    let r = s
        .raw(
            "POST",
            "/api/v1/maps/m/import",
            &[("content-type", ct.as_str()), ("x-vertoog-request", "1")],
            body.into_bytes(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(s.get("/api/v1/maps/m/actors/form").await.status, 200);
    s.stop().await;
}

#[test]
fn the_web_ui_sends_the_request_header() {
    let api = include_str!("../../../../web/api.js");
    assert!(
        api.contains("'X-Vertoog-Request'] = '1'"),
        "web/api.js must send X-Vertoog-Request: 1"
    );
}

// ---- item 9: DNS rebinding ----

#[tokio::test]
async fn local_mode_answers_only_loopback_hosts() {
    let s = start_config(seed, |_| {}).await;
    let port = s.addr.port();
    for path in ["/api/v1/backup", "/api/v1/maps", "/"] {
        let r = raw_http(
            s.addr,
            &get_with_host(path, &format!("evil.example:{port}")),
        )
        .await;
        assert!(r.starts_with("HTTP/1.1 421"), "{path}: {r}");
        assert!(r.contains("misdirected_request"), "{r}");
    }
    let r = raw_http(
        s.addr,
        &format!("DELETE /api/v1/maps/m HTTP/1.1\r\nHost: evil.example:{port}\r\nConnection: close\r\n\r\n"),
    )
    .await;
    assert!(r.starts_with("HTTP/1.1 421"), "{r}");
    assert_eq!(s.get("/api/v1/maps/m").await.status, 200);
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let r = raw_http(s.addr, &get_with_host("/api/v1/maps", &host)).await;
        assert!(r.starts_with("HTTP/1.1 200"), "{host}: {r}");
    }
    // The loopback names on another port are another origin.
    let r = raw_http(s.addr, &get_with_host("/api/v1/maps", "localhost:1")).await;
    assert!(r.starts_with("HTTP/1.1 421"), "{r}");
    s.stop().await;
}

#[tokio::test]
async fn allowed_hosts_with_tokens() {
    let token = std::sync::Mutex::new(String::new());
    let s = start_config(
        |store| {
            seed(store);
            *token.lock().unwrap() = store.create_token("ops", Role::Admin).unwrap();
        },
        |c| c.allowed_hosts = vec!["vertoog.example".into()],
    )
    .await;
    let token = token.lock().unwrap().clone();
    let req = |host: &str| {
        format!(
            "GET /api/v1/maps HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
        )
    };
    assert!(raw_http(s.addr, &req("vertoog.example"))
        .await
        .starts_with("HTTP/1.1 200"));
    assert!(raw_http(s.addr, &req("vertoog.example:443"))
        .await
        .starts_with("HTTP/1.1 200"));
    assert!(raw_http(s.addr, &req("evil.example"))
        .await
        .starts_with("HTTP/1.1 421"));
    s.stop().await;
}

// ---- item 11: Graphviz children and the heavy-work bound ----

/// A map whose structure drawing keeps `dot` busy for many seconds: 450 actors, 4,000 ties.
fn slow_map(store: &Store) {
    seed(store);
    store.create_map(Map::new("big"), "local").unwrap();
    let mut b = Bundle::new(Map::new("big"));
    let n = 450usize;
    for i in 0..n {
        b.actors.push(Actor::new(
            format!("x{i}"),
            format!("Organisation number {i} of the test"),
        ));
    }
    let mut x: u64 = 7;
    for t in 0..4_000 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let a = (x >> 33) as usize % n;
        let c = (a + 1 + (x >> 13) as usize % (n - 1)) % n;
        b.ties.push(Tie::new(
            format!("t{t}"),
            format!("x{a}"),
            format!("x{c}"),
            TieKind::Collaboration,
        ));
    }
    store
        .import(
            "big",
            b,
            ImportOptions {
                on_duplicate: OnDuplicate::Keep,
                ..Default::default()
            },
            "local",
        )
        .unwrap();
}

/// Running (not zombie) `dot` processes whose parent is this test process.
fn dot_children() -> Vec<u32> {
    let me = std::process::id();
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // pid (comm) state ppid ...
        let Some(close) = stat.rfind(')') else {
            continue;
        };
        let comm = &stat[stat.find('(').unwrap_or(0) + 1..close];
        let rest: Vec<&str> = stat[close + 1..].split_whitespace().collect();
        if comm == "dot" && rest.len() > 1 && rest[0] != "Z" && rest[1] == me.to_string() {
            found.push(pid);
        }
    }
    found
}

async fn wait_until(what: &str, secs: u64, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "waited {secs} s for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

// One test for the whole Graphviz part: the tests of this file run in parallel in one
// process, and the /proc checks count the children of that process.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn graphviz_children_die_with_their_request_and_renders_are_bounded() {
    if !vertoog_formats::dot::graphviz_available() {
        eprintln!("Graphviz is not installed; skipped");
        return;
    }
    let s = start_config(slow_map, |c| c.request_timeout = Duration::from_secs(3)).await;
    // Warm the analysis cache so that the requests below go straight to Graphviz.
    assert_eq!(s.get("/api/v1/maps/big/analysis").await.status, 200);
    let path = "/api/v1/maps/big/export?format=svg&view=structure";

    // 1. A request that times out (408) leaves no `dot` behind.
    let r = s.get(path).await;
    assert_eq!(r.status, 408, "{}", r.text());
    wait_until("the dot child to be killed after the timeout", 10, || {
        dot_children().is_empty()
    })
    .await;

    // 2. A client that goes away: its `dot` is killed too.
    let addr = s.addr;
    let client =
        tokio::spawn(async move { raw_http(addr, &get_with_host(path, &addr.to_string())).await });
    wait_until("a dot child to start", 10, || !dot_children().is_empty()).await;
    client.abort();
    let _ = client.await;
    wait_until(
        "the dot child to be killed after the disconnect",
        10,
        || dot_children().is_empty(),
    )
    .await;

    // 3. Two renders run; a third heavy request is refused with 503 and Retry-After.
    let mut running = Vec::new();
    for _ in 0..vertoog_server::MAX_HEAVY {
        running.push(tokio::spawn(async move {
            raw_http(addr, &get_with_host(path, &addr.to_string())).await
        }));
    }
    wait_until("two dot children", 10, || {
        dot_children().len() >= vertoog_server::MAX_HEAVY
    })
    .await;
    let r = s.get(path).await;
    assert_eq!(r.status, 503, "{}", r.text());
    assert_eq!(r.code(), "busy");
    assert_eq!(r.header("retry-after").as_deref(), Some("5"));
    // Analyses have their own permits: one still runs while the renders are busy.
    assert_eq!(
        s.get("/api/v1/maps/big/analysis?to=2030-01-01")
            .await
            .status,
        200
    );
    for h in running {
        let text = h.await.unwrap();
        assert!(
            text.starts_with("HTTP/1.1 408"),
            "{}",
            &text[..text.len().min(200)]
        );
    }
    wait_until("no dot child", 10, || dot_children().is_empty()).await;
    s.stop().await;
}

#[tokio::test]
async fn discourse_image_says_its_layout_and_threshold() {
    if !vertoog_formats::dot::graphviz_available() {
        return;
    }
    let s = start_config(seed, |_| {}).await;
    let r = s
        .get("/api/v1/maps/m/export?format=svg&view=discourse")
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    // The one rule of `export.rs`, the CLI's too: threshold 0.1 and dot on a small map.
    assert_eq!(r.header("x-vertoog-layout").as_deref(), Some("dot"));
    assert_eq!(r.header("x-vertoog-threshold").as_deref(), Some("0.1"));
    s.stop().await;
}

#[tokio::test]
async fn the_analysis_cache_is_bounded_by_memory() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    seed(&store);
    let cache = vertoog_server::AnalysisCache::new();
    let key = |to: &str| vertoog_server::AnalysisKey {
        map: "m".into(),
        window: vertoog_analysis::Window {
            from: None,
            to: Some(vertoog_model::parse_date(to).unwrap()),
        },
        overrides: "{}".into(),
        lang: vertoog_analysis::Lang::En,
    };
    let one = cache
        .get(&store, key("2030-01-01"), json!({}))
        .await
        .unwrap();
    let size = one.estimated_bytes();
    assert!(size > 0);
    assert_eq!(cache.memory(), size);
    // Room for two entries of this size: the third evicts the least recently used.
    cache.set_memory_budget(2 * size + size / 2);
    cache
        .get(&store, key("2031-01-01"), json!({}))
        .await
        .unwrap();
    cache
        .get(&store, key("2030-01-01"), json!({}))
        .await
        .unwrap(); // used again
    cache
        .get(&store, key("2032-01-01"), json!({}))
        .await
        .unwrap();
    assert_eq!(cache.len(), 2);
    assert!(cache.memory() <= 2 * size + size / 2);
    // The entry used last before the third is still there (no recomputation: same Arc).
    let again = cache
        .get(&store, key("2030-01-01"), json!({}))
        .await
        .unwrap();
    assert!(std::sync::Arc::ptr_eq(&one, &again));
    // An entry larger than the budget alone is kept (the one just computed), others go.
    cache.set_memory_budget(1);
    cache
        .get(&store, key("2033-01-01"), json!({}))
        .await
        .unwrap();
    assert_eq!(cache.len(), 1);
}

#[tokio::test]
async fn analyses_beyond_the_bound_wait_then_get_503() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    seed(&store);
    let cache = vertoog_server::AnalysisCache::new();
    cache.set_analysis_wait(Duration::from_millis(200));
    let key = vertoog_server::AnalysisKey {
        map: "m".into(),
        window: vertoog_analysis::Window::default(),
        overrides: "{}".into(),
        lang: vertoog_analysis::Lang::En,
    };
    // Every permit taken (analyses running elsewhere): a miss waits, then is refused.
    let held = cache
        .analysis_permits()
        .clone()
        .acquire_many_owned(vertoog_server::MAX_HEAVY as u32)
        .await
        .unwrap();
    let e = match cache.get(&store, key.clone(), json!({})).await {
        Err(e) => e,
        Ok(_) => panic!("an analysis ran without a permit"),
    };
    assert_eq!(e.status().as_u16(), 503);
    assert_eq!(e.body()["error"]["code"], "busy");
    assert!(cache.is_empty() || cache.memory() == 0);
    // A permit freed while it waits: the analysis runs.
    cache.set_analysis_wait(Duration::from_secs(30));
    let release = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        drop(held);
    });
    cache.get(&store, key, json!({})).await.unwrap();
    release.await.unwrap();
}

// ---- item 12: slow clients ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_open_connections_do_not_lock_out_a_normal_client() {
    let s = start_config(seed, |c| {
        c.header_timeout = Duration::from_millis(500);
        c.max_connections = 8;
    })
    .await;
    // Twice the connection limit, each stuck in the middle of its headers.
    let mut stuck = Vec::new();
    for _ in 0..16 {
        let mut c = tokio::net::TcpStream::connect(s.addr).await.unwrap();
        c.write_all(b"GET /api/v1/maps HTTP/1.1\r\nHost: 127.0.0.1")
            .await
            .unwrap();
        stuck.push(c);
    }
    // A normal client still gets its answer (once the stuck ones time out).
    let r = tokio::time::timeout(Duration::from_secs(15), s.get("/api/v1/maps"))
        .await
        .expect("a normal client is served despite half-open connections");
    assert_eq!(r.status, 200);
    // The stuck connections were closed by the server (header-read timeout).
    for mut c in stuck.into_iter().take(4) {
        let mut buf = Vec::new();
        tokio::time::timeout(Duration::from_secs(10), c.read_to_end(&mut buf))
            .await
            .expect("the server closes a connection that never finishes its headers")
            .ok();
    }
    s.stop().await;
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let s = start_config(seed, |c| c.header_timeout = Duration::from_millis(300)).await;
    let mut c = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    c.write_all(format!("GET /api/v1/health HTTP/1.1\r\nHost: {}\r\n\r\n", s.addr).as_bytes())
        .await
        .unwrap();
    let mut buf = Vec::new();
    // The answer, then (no further request) the server closes the idle connection.
    tokio::time::timeout(Duration::from_secs(10), c.read_to_end(&mut buf))
        .await
        .expect("the idle connection is closed")
        .unwrap();
    assert!(String::from_utf8_lossy(&buf).starts_with("HTTP/1.1 200"));
}

// ---- item 13 (server part) ----

#[tokio::test]
async fn an_empty_if_match_is_a_bad_request() {
    let s = start_config(seed, |_| {}).await;
    let r = s
        .raw(
            "PATCH",
            "/api/v1/maps/m/actors/a",
            &[("content-type", "application/json"), ("if-match", "")],
            br#"{"name": "Ministerie van BZK (nieuw)"}"#.to_vec(),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(r.field(), "If-Match");
    let r = s
        .raw(
            "DELETE",
            "/api/v1/maps/m/actors/a",
            &[("if-match", "  ")],
            vec![],
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(s.get("/api/v1/maps/m/actors/a").await.status, 200);
    s.stop().await;
}

#[tokio::test]
async fn a_chunked_multipart_over_the_limit_is_413() {
    let s = start_config(seed, |_| {}).await;
    let mut conn = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    let head = format!(
        "POST /api/v1/maps/m/import HTTP/1.1\r\nHost: {}\r\nContent-Type: multipart/form-data; boundary=B\r\nX-Vertoog-Request: 1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        s.addr
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    let part = b"--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"actors.csv\"\r\n\r\nid,name\n";
    let _ = conn
        .write_all(format!("{:x}\r\n", part.len()).as_bytes())
        .await;
    let _ = conn.write_all(part).await;
    let _ = conn.write_all(b"\r\n").await;
    let row = "a,".to_string() + &"x".repeat(1020) + "\n";
    let chunk: String = row.repeat(1024); // ~1 MiB
    for _ in 0..18 {
        let frame = format!("{:x}\r\n{chunk}\r\n", chunk.len());
        if conn.write_all(frame.as_bytes()).await.is_err() {
            break;
        }
    }
    let _ = conn.write_all(b"\r\n--B--\r\n").await;
    let _ = conn.write_all(b"0\r\n\r\n").await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), conn.read_to_end(&mut out)).await;
    let text = String::from_utf8_lossy(&out);
    assert!(
        text.starts_with("HTTP/1.1 413"),
        "{}",
        &text[..text.len().min(300)]
    );
    s.stop().await;
}

#[tokio::test]
async fn every_answer_has_a_request_id() {
    let s: TestServer = start().await;
    let a = s
        .get("/api/v1/health")
        .await
        .header("x-request-id")
        .unwrap();
    let b = s.get("/api/v1/nope").await.header("x-request-id").unwrap();
    assert_ne!(a, b);
    assert!(a.parse::<u64>().is_ok());
    s.stop().await;
}

// ---- item 13: tokens while the server runs ----

#[tokio::test]
async fn tokens_can_be_created_and_revoked_while_serving() {
    // Local mode: the first token is made over HTTP, and from then on tokens are required.
    let s = start_config(seed, |_| {}).await;
    let r = s
        .post("/api/v1/tokens", json!({"name": "ops", "role": "admin"}))
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let ops = r.json()["token"].as_str().unwrap().to_string();
    assert_eq!(r.json()["role"], "admin");
    assert_eq!(s.get("/api/v1/maps").await.status, 401);
    assert_eq!(
        s.call("GET", "/api/v1/maps", Some(&ops), None).await.status,
        200
    );
    let r = s
        .call(
            "POST",
            "/api/v1/tokens",
            Some(&ops),
            Some(json!({"name": "reader", "role": "viewer"})),
        )
        .await;
    assert_eq!(r.status, 201);
    let reader = r.json()["token"].as_str().unwrap().to_string();
    assert_eq!(
        s.call("GET", "/api/v1/maps", Some(&reader), None)
            .await
            .status,
        200
    );
    // A viewer may not manage tokens; listing shows names and roles, never secrets.
    assert_eq!(
        s.call("GET", "/api/v1/tokens", Some(&reader), None)
            .await
            .status,
        403
    );
    let list = s.call("GET", "/api/v1/tokens", Some(&ops), None).await;
    assert_eq!(list.json()["total"], 2);
    assert!(!list.text().contains(&reader));
    // Revoked: the token stops working at once.
    let r = s
        .call("DELETE", "/api/v1/tokens/reader", Some(&ops), None)
        .await;
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(
        s.call("GET", "/api/v1/maps", Some(&reader), None)
            .await
            .status,
        401
    );
    assert_eq!(
        s.call("DELETE", "/api/v1/tokens/reader", Some(&ops), None)
            .await
            .status,
        404
    );
    s.stop().await;
}

// ---- item 13: the OpenAPI document agrees with the server ----

/// Every operation of the OpenAPI document, run with its documented examples (path
/// parameters' `example`, the request body's `example`) against the real server, answers the
/// first 2xx status the document gives it. The order: reads, creates, changes, the other
/// POSTs (import before the merge that uses the imported actor), then deletions.
#[tokio::test]
async fn every_documented_example_gives_the_documented_status() {
    let token = std::sync::Mutex::new(String::new());
    let s = start_config(
        |store| {
            seed(store);
            seed_engagement(store);
            *token.lock().unwrap() = store.create_token("ops", Role::Admin).unwrap();
        },
        |_| {},
    )
    .await;
    let token = token.lock().unwrap().clone();
    let doc: serde_json::Value =
        serde_json::from_str(include_str!("../../src/openapi.json")).unwrap();
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if !["get", "post", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            let rank = match method.as_str() {
                "get" => 0,
                "post"
                    if !path.contains("{map}/")
                        || path.ends_with('s')
                        || path.ends_with("/plan") =>
                {
                    1
                }
                "patch" => 2,
                "post" => match path.rsplit('/').next().unwrap() {
                    "import" => 3,
                    "whatif" => 4,
                    "merge" => 5,
                    "undo" => 6,
                    _ => 7,
                },
                _ => {
                    if path == "/api/v1/maps/{map}" {
                        11
                    } else if path.contains("tokens") {
                        10
                    } else if path.contains("/actors/") {
                        // Last of the entities: deleting an actor removes its stances and ties.
                        9
                    } else {
                        8
                    }
                }
            };
            ops.push((rank, path.clone(), method.clone(), op.clone()));
        }
    }
    ops.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut checked = 0;
    for (_, path, method, op) in ops {
        let mut url = path.clone();
        let mut query: Vec<String> = Vec::new();
        for p in op["parameters"].as_array().cloned().unwrap_or_default() {
            let name = p["name"].as_str().unwrap();
            if p["in"] == "path" {
                let ex = p["example"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{method} {path}: path parameter without example"));
                url = url.replace(&format!("{{{name}}}"), ex);
            } else if p["in"] == "query" && p["required"] == true {
                let ex = p["example"].as_str().unwrap_or_else(|| {
                    panic!("{method} {path}: required query parameter {name} without example")
                });
                query.push(format!("{name}={ex}"));
            }
        }
        if !query.is_empty() {
            url = format!("{url}?{}", query.join("&"));
        }
        let body = op["requestBody"]["content"]["application/json"]
            .get("example")
            .cloned();
        if op["requestBody"]["required"] == true {
            assert!(
                body.is_some(),
                "{method} {path}: request body without example"
            );
        }
        let expected: u16 = op["responses"]
            .as_object()
            .unwrap()
            .keys()
            .filter_map(|k| k.parse::<u16>().ok())
            .filter(|c| (200..300).contains(c))
            .min()
            .unwrap_or_else(|| panic!("{method} {path}: no 2xx response documented"));
        let r = s
            .call(&method.to_uppercase(), &url, Some(&token), body.clone())
            .await;
        assert_eq!(
            r.status,
            expected,
            "{} {url} with {body:?}: {}",
            method.to_uppercase(),
            r.text()
        );
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} operations");
    s.stop().await;
}

// ---- item 10 (server part): the request timeout holds for imports ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_timeout_holds_for_a_large_bad_import() {
    let timeout = Duration::from_secs(1);
    let s = start_config(seed, |c| c.request_timeout = timeout).await;
    // ~4 MiB of stances, every one wrong twice (unknown actor, position out of range).
    let mut csv = String::from("actor,narrative,position\n");
    let mut i = 0;
    while csv.len() < 4 * 1024 * 1024 {
        csv.push_str(&format!("ghost{i},n1,9\n"));
        i += 1;
    }
    let boundary = "BOUNDARY";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"stances.csv\"\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    let ct = format!("multipart/form-data; boundary={boundary}");
    let start = Instant::now();
    let r = s
        .raw(
            "POST",
            "/api/v1/maps/m/import",
            &[("content-type", ct.as_str()), ("x-vertoog-request", "1")],
            body.into_bytes(),
        )
        .await;
    let took = start.elapsed();
    assert!(
        r.status == 408 || r.status == 422,
        "{}: {}",
        r.status,
        &r.text()[..r.text().len().min(300)]
    );
    // The answer comes at the timeout (plus the time to send a capped error list), not
    // after the whole list of millions of errors was built and sent.
    assert!(
        took < timeout + Duration::from_secs(10),
        "answered after {took:?}"
    );
    assert!(r.body.len() < 8 * 1024 * 1024, "{} bytes", r.body.len());
    assert_eq!(s.get("/api/v1/maps/m/stances").await.json()["total"], 3);
    s.stop().await;
}
