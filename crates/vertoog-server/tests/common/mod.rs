//! Test harness: the real server on 127.0.0.1:0 over a temporary store, talked to through
//! the tests' one HTTP client (`vertoog_testkit::http`).
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use vertoog_server::{ServerConfig, REQUEST_TIMEOUT};
use vertoog_store::Store;

pub struct TestServer {
    pub addr: SocketAddr,
    pub store: Arc<Store>,
    _dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<()>>,
}

pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {}: body is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }
    /// The `field` of a JSON error body.
    pub fn field(&self) -> Value {
        self.json()["error"]["field"].clone()
    }
    pub fn code(&self) -> Value {
        self.json()["error"]["code"].clone()
    }
}

/// A server over an empty store.
pub async fn start() -> TestServer {
    start_with(|_| {}, REQUEST_TIMEOUT).await
}

/// A server over a store prepared by `setup`, with a request timeout.
pub async fn start_with(setup: impl FnOnce(&Store), timeout: Duration) -> TestServer {
    start_config(setup, |c| c.request_timeout = timeout).await
}

/// A server over a store prepared by `setup`, with a configuration changed by `configure`.
pub async fn start_config(
    setup: impl FnOnce(&Store),
    configure: impl FnOnce(&mut ServerConfig),
) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path()).unwrap());
    setup(&store);
    let mut config = ServerConfig::new("127.0.0.1:0".parse().unwrap(), store.clone());
    configure(&mut config);
    let server = vertoog_server::bind(config).await.unwrap();
    let addr = server.local_addr();
    let (tx, handle) = run(server);
    TestServer {
        addr,
        store,
        _dir: dir,
        stop: Some(tx),
        handle: Some(handle),
    }
}

/// Runs a bound server on the test's runtime until the sender is used (or dropped).
pub fn run(
    server: vertoog_server::Server,
) -> (
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(async move {
        server
            .run(async {
                let _ = rx.await;
            })
            .await
            .unwrap();
    });
    (tx, handle)
}

impl TestServer {
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Resp {
        let r = vertoog_testkit::http::request_async(self.addr, method, path, headers, &body)
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        Resp {
            status: r.status,
            headers: r.headers,
            body: r.body,
        }
    }

    /// A request with an optional bearer token and an optional JSON body.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers: Vec<(&str, &str)> = Vec::new();
        if let Some(a) = &auth {
            headers.push(("authorization", a.as_str()));
        }
        let bytes = match &body {
            Some(v) => {
                headers.push(("content-type", "application/json"));
                serde_json::to_vec(v).unwrap()
            }
            None => Vec::new(),
        };
        self.raw(method, path, &headers, bytes).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.call("GET", path, None, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.call("POST", path, None, Some(body)).await
    }
    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        self.call("PATCH", path, None, Some(body)).await
    }
    pub async fn delete(&self, path: &str) -> Resp {
        self.call("DELETE", path, None, None).await
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            h.await.unwrap();
        }
    }
}

/// A map `m` with actors a (ministry), b (vng), c (municipality), narratives n1 (core), n2,
/// stances a n1 +2, b n1 +1, c n1 -2, and ties a-b, b-c.
/// One interaction `i1` (with `a`), one commitment `k1` (ours, to `b`), one plan item `p1`
/// (targets `c`), on top of [`seed`].
#[allow(dead_code)]
pub fn seed_engagement(store: &Store) {
    use vertoog_model::{Commitment, Direction, Interaction, PlanItem};
    let day = vertoog_model::parse_date("2026-02-01").unwrap();
    let mut i = Interaction::new("i1", day, "Kennismaking");
    i.actors = vec!["a".into()];
    store.create("m", i, "local", false).unwrap();
    let c = Commitment::new("k1", "b", Direction::Ours, "Send the agenda", day);
    store.create("m", c, "local", false).unwrap();
    let mut p = PlanItem::new("p1", "Werkbezoek", day);
    p.targets = vec!["c".into()];
    store.create("m", p, "local", false).unwrap();
}

pub fn seed(store: &Store) {
    use vertoog_model::{Actor, Map, Narrative, Stance, Tie, TieKind};
    store.create_map(Map::new("m"), "local").unwrap();
    for (id, name, domain) in [
        ("a", "Ministerie van BZK", "ministry"),
        ("b", "Vereniging van Nederlandse Gemeenten", "vng"),
        ("c", "Gemeente Utrecht", "municipality"),
    ] {
        store
            .create_actor(
                "m",
                Actor::new(id, name).with_domain(domain),
                "local",
                false,
            )
            .unwrap();
    }
    store
        .create_narrative(
            "m",
            Narrative::new("n1", "Digital by default", true),
            "local",
            false,
        )
        .unwrap();
    store
        .create_narrative(
            "m",
            Narrative::new("n2", "Privacy first", false),
            "local",
            false,
        )
        .unwrap();
    for (a, n, p) in [("a", "n1", 2), ("b", "n1", 1), ("c", "n1", -2)] {
        store
            .create_stance("m", Stance::new("", a, n, p), "local")
            .unwrap();
    }
    store
        .create_tie("m", Tie::new("", "a", "b", TieKind::Collaboration), "local")
        .unwrap();
    store
        .create_tie("m", Tie::new("", "b", "c", TieKind::Communication), "local")
        .unwrap();
}
