//! Security and robustness over HTTP (docs/interfaces.md §9, security, issue 7): the auth matrix,
//! refusal to listen on a public address without tokens, body and depth limits, the request
//! timeout, security headers, no CORS, path traversal, the embedded UI, and the OpenAPI
//! document matching the router.

use crate::common;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{seed, start, start_with};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use vertoog_server::{ServerConfig, ServerError, REQUEST_TIMEOUT};
use vertoog_store::{Role, Store};

struct Tokens {
    viewer: String,
    editor: String,
    admin: String,
}

async fn start_with_tokens() -> (common::TestServer, Tokens) {
    let slot: Arc<Mutex<Option<Tokens>>> = Arc::new(Mutex::new(None));
    let s2 = slot.clone();
    let s = start_with(
        move |store: &Store| {
            seed(store);
            let t = Tokens {
                viewer: store.create_token("vera", Role::Viewer).unwrap(),
                editor: store.create_token("eddie", Role::Editor).unwrap(),
                admin: store.create_token("ada", Role::Admin).unwrap(),
            };
            *s2.lock().unwrap() = Some(t);
        },
        REQUEST_TIMEOUT,
    )
    .await;
    let t = slot.lock().unwrap().take().unwrap();
    (s, t)
}

/// The UI asks `/session` what the token may do, to show a viewer no write controls.
#[tokio::test]
async fn the_session_says_who_the_token_is_and_what_it_may_do() {
    let (s, t) = start_with_tokens().await;
    for (token, name, role, edit, administer) in [
        (&t.viewer, "vera", "viewer", false, false),
        (&t.editor, "eddie", "editor", true, false),
        (&t.admin, "ada", "admin", true, true),
    ] {
        let r = s.call("GET", "/api/v1/session", Some(token), None).await;
        assert_eq!(r.status, 200, "{role}");
        assert_eq!(
            r.json(),
            json!({"name": name, "role": role, "can_edit": edit, "can_administer": administer})
        );
    }
    let r = s.get("/api/v1/session").await;
    assert_eq!(r.status, 401, "no token, no session");
    assert_eq!(
        s.call("GET", "/api/v1/session", Some("not-a-token"), None)
            .await
            .status,
        401
    );
    s.stop().await;

    let local = start().await;
    let r = local.get("/api/v1/session").await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        json!({"name": "local", "role": "admin", "can_edit": true, "can_administer": true})
    );
    local.stop().await;
}

#[tokio::test]
async fn auth_matrix() {
    let (s, t) = start_with_tokens().await;
    let actor = |id: &str| json!({"id": id, "name": format!("Actor {id} Zzq{id}"), "force": true});

    // Health and the OpenAPI document need no token and say the mode.
    let h = s.get("/api/v1/health").await;
    assert_eq!(h.status, 200);
    assert_eq!(h.json()["mode"], "tokens");
    assert_eq!(s.get("/api/v1/openapi.json").await.status, 200);

    // No token, a wrong token, a malformed header: 401 with a JSON body.
    let r = s.get("/api/v1/maps").await;
    assert_eq!(r.status, 401);
    assert_eq!(r.code(), "unauthorized");
    assert_eq!(r.header("www-authenticate").as_deref(), Some("Bearer"));
    let r = s
        .call("GET", "/api/v1/maps", Some("not-a-token"), None)
        .await;
    assert_eq!(r.status, 401);
    let r = s
        .raw(
            "GET",
            "/api/v1/maps",
            &[("authorization", t.admin.as_str())],
            vec![],
        )
        .await;
    assert_eq!(r.status, 401, "a token without the Bearer scheme");
    let r = s
        .call("POST", "/api/v1/maps/m/actors", None, Some(actor("x")))
        .await;
    assert_eq!(r.status, 401);

    // Viewer: reads only.
    let v = Some(t.viewer.as_str());
    assert_eq!(s.call("GET", "/api/v1/maps", v, None).await.status, 200);
    assert_eq!(
        s.call("GET", "/api/v1/maps/m/analysis", v, None)
            .await
            .status,
        200
    );
    let r = s
        .call("POST", "/api/v1/maps/m/actors", v, Some(actor("v")))
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(r.code(), "forbidden");
    assert!(!r.text().contains(&t.viewer), "the token is never echoed");
    assert_eq!(
        s.call(
            "PATCH",
            "/api/v1/maps/m/actors/a",
            v,
            Some(json!({"notes": "x"}))
        )
        .await
        .status,
        403
    );
    assert_eq!(
        s.call("POST", "/api/v1/maps/m/undo", v, None).await.status,
        403
    );
    assert_eq!(
        s.call("POST", "/api/v1/maps", v, Some(json!({"id": "v"})))
            .await
            .status,
        403
    );
    assert_eq!(
        s.call("DELETE", "/api/v1/maps/m", v, None).await.status,
        403
    );

    // Editor: reads and writes, no admin actions.
    let e = Some(t.editor.as_str());
    assert_eq!(
        s.call("GET", "/api/v1/maps/m/actors", e, None).await.status,
        200
    );
    let r = s
        .call("POST", "/api/v1/maps/m/actors", e, Some(actor("e")))
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        s.call("POST", "/api/v1/maps", e, Some(json!({"id": "e-map"})))
            .await
            .status,
        201
    );
    let r = s
        .call(
            "POST",
            "/api/v1/maps/m/merge",
            e,
            Some(json!({"keep": "a", "other": "e"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        s.call("DELETE", "/api/v1/maps/e-map", e, None).await.status,
        403
    );
    assert_eq!(
        s.call(
            "POST",
            "/api/v1/maps/m/erase",
            e,
            Some(json!({"actor": "c"}))
        )
        .await
        .status,
        403
    );

    // Admin: everything.
    let a = Some(t.admin.as_str());
    assert_eq!(s.call("GET", "/api/v1/maps", a, None).await.status, 200);
    assert_eq!(
        s.call("POST", "/api/v1/maps/m/actors", a, Some(actor("q")))
            .await
            .status,
        201
    );
    assert_eq!(
        s.call("DELETE", "/api/v1/maps/e-map", a, None).await.status,
        200
    );

    // The change log names the token, never the secret.
    let log = s
        .call("GET", "/api/v1/maps/m/log?order=desc", a, None)
        .await;
    let items = log.json()["items"].as_array().unwrap().clone();
    assert_eq!(items[0]["principal"], "ada");
    assert!(items.iter().any(|i| i["principal"] == "eddie"));
    assert!(!log.text().contains(&t.editor));

    // The UI's static files need no token.
    assert_ne!(s.get("/").await.status, 401);
    s.stop().await;
}

#[tokio::test]
async fn refuses_a_public_address_without_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path()).unwrap());
    let config = ServerConfig::new("0.0.0.0:0".parse().unwrap(), store.clone());
    let err = match vertoog_server::bind(config).await {
        Err(e) => e,
        Ok(_) => panic!("bound 0.0.0.0 without tokens"),
    };
    assert!(matches!(err, ServerError::NoTokens { .. }));
    assert!(err.to_string().contains("token create"), "{err}");
    // With a token it starts, in tokens mode.
    store.create_token("ops", Role::Admin).unwrap();
    let config = ServerConfig::new("0.0.0.0:0".parse().unwrap(), store);
    let server = vertoog_server::bind(config).await.unwrap();
    assert_eq!(server.mode().unwrap(), vertoog_server::Mode::Tokens);
}

#[tokio::test]
async fn body_limit_is_a_json_413() {
    let s = start_with(seed, REQUEST_TIMEOUT).await;
    let mut big = b"{\"id\": \"x\", \"name\": \"".to_vec();
    big.extend(std::iter::repeat_n(b'a', 17 * 1024 * 1024));
    big.extend(b"\"}");
    let r = s
        .raw(
            "POST",
            "/api/v1/maps/m/actors",
            &[("content-type", "application/json")],
            big.clone(),
        )
        .await;
    assert_eq!(r.status, 413);
    assert_eq!(r.code(), "payload_too_large");
    let r = s
        .raw(
            "POST",
            "/api/v1/maps/m/import",
            &[("content-type", "application/json")],
            big,
        )
        .await;
    assert_eq!(r.status, 413);
    // Nothing was stored; the server still answers.
    assert_eq!(s.get("/api/v1/maps/m/actors").await.json()["total"], 3);
    s.stop().await;
}

#[tokio::test]
async fn deep_json_is_a_400_before_parsing() {
    let s = start_with(seed, REQUEST_TIMEOUT).await;
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for path in [
        "/api/v1/maps/m/actors",
        "/api/v1/maps/m/import",
        "/api/v1/maps",
    ] {
        let r = s
            .raw(
                "POST",
                path,
                &[("content-type", "application/json")],
                deep.clone().into_bytes(),
            )
            .await;
        assert_eq!(r.status, 400, "{path}: {}", r.text());
        assert_eq!(r.code(), "too_deep");
    }
    let ok_depth = format!(
        "{{\"id\": \"d\", \"name\": \"D\", \"tags\": {}\"t\"{}}}",
        "[", "]"
    );
    let r = s
        .raw(
            "POST",
            "/api/v1/maps/m/actors",
            &[("content-type", "application/json")],
            ok_depth.into_bytes(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    s.stop().await;
}

#[tokio::test]
async fn slow_requests_time_out() {
    let s = start_with(seed, Duration::from_millis(500)).await;
    let mut conn = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    // Headers promise a body that never comes.
    conn.write_all(
        format!("POST /api/v1/maps/m/actors HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{", s.addr).as_bytes(),
    )
    .await
    .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(10), conn.read(&mut buf))
        .await
        .expect("the server answers within the timeout")
        .unwrap();
    let text = String::from_utf8_lossy(&buf[..n]).to_string();
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("\"timeout\""), "{text}");
    s.stop().await;
}

#[tokio::test]
async fn security_headers_on_every_response_and_no_cors() {
    let s = start_with(seed, REQUEST_TIMEOUT).await;
    let responses = [
        s.get("/api/v1/health").await,
        s.get("/api/v1/maps/m/analysis").await,
        s.get("/api/v1/maps/nope").await,
        s.get("/").await,
        s.get("/no/such/file.js").await,
        s.raw(
            "OPTIONS",
            "/api/v1/maps",
            &[
                ("origin", "https://evil.example"),
                ("access-control-request-method", "POST"),
            ],
            vec![],
        )
        .await,
        s.raw(
            "GET",
            "/api/v1/maps",
            &[("origin", "https://evil.example")],
            vec![],
        )
        .await,
    ];
    for r in &responses {
        let csp = r.header("content-security-policy").unwrap_or_default();
        assert_eq!(csp, vertoog_server::CONTENT_SECURITY_POLICY);
        assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"));
        assert_eq!(
            r.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );
        assert_eq!(r.header("referrer-policy").as_deref(), Some("no-referrer"));
        assert_eq!(r.header("x-frame-options").as_deref(), Some("DENY"));
        assert!(r.header("access-control-allow-origin").is_none());
        assert!(r.header("access-control-allow-methods").is_none());
    }
    s.stop().await;
}

#[tokio::test]
async fn path_traversal_finds_nothing() {
    let s = start().await;
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2e%2e%2fCargo.toml",
        "/..%2fCargo.toml",
        "/..%5cCargo.toml",
        "/web/../../Cargo.toml",
        "/./index.html/../../Cargo.toml",
        "//etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/api/../Cargo.toml",
        "/crates/vertoog-server/Cargo.toml",
        "/build.rs",
    ] {
        let r = s.get(path).await;
        assert_eq!(r.status, 404, "{path}: {}", r.text());
        assert!(!r.text().contains("[package]"), "{path}");
        assert!(!r.text().contains("root:"), "{path}");
    }
    s.stop().await;
}

#[tokio::test]
async fn serves_the_embedded_ui() {
    let s = start().await;
    let web = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web");
    let mut checked = 0;
    for entry in std::fs::read_dir(&web).into_iter().flatten().flatten() {
        let p = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if !p.is_file() || name.starts_with('.') {
            continue;
        }
        let r = s.get(&format!("/{name}")).await;
        assert_eq!(r.status, 200, "/{name}");
        assert_eq!(r.body, std::fs::read(&p).unwrap(), "/{name}");
        let ct = r.header("content-type").unwrap();
        if name.ends_with(".js") {
            assert_eq!(ct, "text/javascript; charset=utf-8");
        }
        if name.ends_with(".html") {
            assert_eq!(ct, "text/html; charset=utf-8");
        }
        if name.ends_with(".css") {
            assert_eq!(ct, "text/css; charset=utf-8");
        }
        checked += 1;
    }
    assert!(checked > 0, "web/ holds files");
    let index = web.join("index.html");
    let r = s.get("/").await;
    if index.is_file() {
        assert_eq!(r.status, 200);
        assert_eq!(r.body, std::fs::read(index).unwrap());
    } else {
        assert_eq!(r.status, 404);
    }
    let r = s.call("POST", "/index.html", None, Some(json!({}))).await;
    assert_eq!(r.status, 405);
    s.stop().await;
}

#[tokio::test]
async fn openapi_lists_exactly_the_routes() {
    let s = start().await;
    let doc = s.get("/api/v1/openapi.json").await.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.0"));
    let mut documented = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let served: BTreeSet<(String, String)> = vertoog_server::route_table().into_iter().collect();
    let missing: Vec<_> = served.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&served).collect();
    assert!(
        missing.is_empty(),
        "routes not in openapi.json: {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "openapi.json lists routes the server lacks: {extra:?}"
    );
    // Every documented route is really routed (not the 404 of an unknown route).
    for (method, path) in &served {
        let concrete = path.replace("{map}", "m").replace("{id}", "x");
        let r = s.call(method, &concrete, None, None).await;
        assert!(
            !(r.status == 404 && r.text().contains("no API route")) && r.status != 405,
            "{method} {concrete}: {} {}",
            r.status,
            r.text()
        );
    }
    s.stop().await;
}

#[tokio::test]
async fn shutdown_is_graceful_and_writes_are_durable() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Arc::new(Store::open(dir.path()).unwrap());
        seed(&store);
        let config = ServerConfig::new("127.0.0.1:0".parse().unwrap(), store);
        let server = vertoog_server::bind(config).await.unwrap();
        let addr = server.local_addr();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let handle = tokio::spawn(server.run(async {
            let _ = rx.await;
        }));
        let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
        let body = br#"{"id": "late", "name": "Late Arrival Foundation"}"#;
        let req = format!(
            "POST /api/v1/maps/m/actors HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        conn.write_all(req.as_bytes()).await.unwrap();
        conn.write_all(body).await.unwrap();
        let mut out = Vec::new();
        conn.read_to_end(&mut out).await.unwrap();
        assert!(String::from_utf8_lossy(&out).starts_with("HTTP/1.1 201"));
        tx.send(()).unwrap();
        handle.await.unwrap().unwrap();
    }
    // Give sled's background thread a moment to release the lock of the dropped store.
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(
        store.get_actor("m", "late").unwrap().name,
        "Late Arrival Foundation"
    );
}
