//! Fuzzing of request decoding with proptest (issue 9; docs/interfaces.md §9, reliability): random
//! bodies (bytes, JSON values, entity-shaped objects with random values, what-if changes,
//! import bundles, deep nesting) go through the whole router (`tower::ServiceExt::oneshot`,
//! no socket) to the entity, map, what-if, merge and import routes. No body may panic a
//! handler or give a 5xx; every 4xx has a JSON error body with a code and a message.
//!
//! Case counts: `PROPTEST_CASES` (default 256) per test.

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Method, Request};
use axum::Router;
use http_body_util::BodyExt;
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{json, Value};
use tower::ServiceExt;
use vertoog_model::{Actor, Map, Narrative, Stance, Tie, TieKind};
use vertoog_server::{router, AppState};
use vertoog_store::Store;

fn cases() -> Config {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(256);
    Config {
        cases: n.max(1),
        failure_persistence: None,
        ..Config::default()
    }
}

struct Fixture {
    runtime: tokio::runtime::Runtime,
    app: Router,
    _dir: tempfile::TempDir,
}

/// One server state for all cases: map `m` with actors a, b, narrative n1, stance s1, tie t1.
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path()).expect("store");
        store.create_map(Map::new("m"), "local").unwrap();
        store
            .create_actor("m", Actor::new("a", "Ministerie van BZK"), "local", false)
            .unwrap();
        store
            .create_actor("m", Actor::new("b", "Logius"), "local", false)
            .unwrap();
        store
            .create_narrative(
                "m",
                Narrative::new("n1", "Digital by default", true),
                "local",
                false,
            )
            .unwrap();
        store
            .create_stance("m", Stance::new("", "a", "n1", 2), "local")
            .unwrap();
        store
            .create_tie("m", Tie::new("", "a", "b", TieKind::Collaboration), "local")
            .unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let app = router(AppState::new(Arc::new(store), true));
        Fixture {
            runtime,
            app,
            _dir: dir,
        }
    })
}

const TARGETS: [(&str, &str); 14] = [
    ("POST", "/api/v1/maps/m/actors"),
    ("POST", "/api/v1/maps/m/narratives"),
    ("POST", "/api/v1/maps/m/stances"),
    ("POST", "/api/v1/maps/m/ties"),
    ("PATCH", "/api/v1/maps/m/actors/a"),
    ("PATCH", "/api/v1/maps/m/narratives/n1"),
    ("PATCH", "/api/v1/maps/m/stances/s1"),
    ("PATCH", "/api/v1/maps/m/ties/t1"),
    ("PATCH", "/api/v1/maps/m"),
    ("POST", "/api/v1/maps"),
    ("POST", "/api/v1/maps/m/whatif"),
    ("POST", "/api/v1/maps/m/import"),
    ("POST", "/api/v1/maps/m/merge"),
    ("POST", "/api/v1/maps/fuzz/import?create=true"),
];

/// Sends `body` and checks the answer: no 5xx, and a clear JSON error for a 4xx.
fn check(target: usize, body: Vec<u8>, json_type: bool) {
    let (method, path) = TARGETS[target % TARGETS.len()];
    let f = fixture();
    let mut req = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).unwrap())
        .uri(path);
    if json_type {
        req = req.header("content-type", "application/json");
    }
    let req = req.body(Body::from(body.clone())).unwrap();
    let (status, bytes) = f.runtime.block_on(async {
        let resp = f.app.clone().oneshot(req).await.expect("infallible");
        let status = resp.status();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        (status, bytes)
    });
    let shown = || String::from_utf8_lossy(&body[..body.len().min(300)]).to_string();
    assert!(
        !status.is_server_error(),
        "{method} {path} gave {status} for body {}: {}",
        shown(),
        String::from_utf8_lossy(&bytes)
    );
    if status.is_client_error() {
        let v: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!(
                "{method} {path} {status}: error body is not JSON ({e}) for body {}",
                shown()
            )
        });
        let code = v["error"]["code"].as_str().unwrap_or_default();
        let message = v["error"]["message"].as_str().unwrap_or_default();
        assert!(
            !code.is_empty() && !message.trim().is_empty(),
            "{method} {path} {status}: unclear error {v} for body {}",
            shown()
        );
    }
}

const FIELDS: [&str; 40] = [
    "id",
    "name",
    "aliases",
    "domain",
    "kind",
    "parent",
    "influence",
    "interest",
    "legitimacy",
    "urgency",
    "target_position",
    "engagement",
    "owner",
    "tags",
    "notes",
    "label",
    "core",
    "description",
    "actor",
    "narrative",
    "position",
    "date",
    "source",
    "quote",
    "target",
    "weight",
    "directed",
    "since",
    "until",
    "note",
    "force",
    "changes",
    "op",
    "keep",
    "other",
    "settings",
    "format",
    "version",
    "map",
    "action",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(vec![-3i64, -2, 0, 1, 2, 3]).prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(vec![
            "a",
            "b",
            "n1",
            "s1",
            "t1",
            "",
            "m",
            "person",
            "organisation",
            "collaboration",
            "add_tie",
            "remove_tie",
            "set_stance",
            "add_actor",
            "vertoog-map",
            "2024-01-10",
            "2024-13-01",
            "ministry",
            "x\u{0}y",
            "<script>",
            "=1+1",
        ])
        .prop_map(|s| Value::String(s.to_string())),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        4 => prop::sample::select(FIELDS.to_vec()).prop_map(str::to_string),
                        1 => "[a-z_]{0,8}",
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Objects with known field names and random values: these get past the JSON parser and
/// exercise the typed decoding and validation.
fn entity_like() -> impl Strategy<Value = Value> {
    prop::collection::vec((prop::sample::select(FIELDS.to_vec()), json_value()), 0..10)
        .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()))
}

/// What-if bodies: a list of changes with real op names and random fields.
fn whatif_like() -> impl Strategy<Value = Value> {
    prop::collection::vec(
        (
            prop::sample::select(vec![
                "add_tie",
                "remove_tie",
                "set_stance",
                "add_actor",
                "nope",
            ]),
            entity_like(),
        ),
        0..5,
    )
    .prop_map(|changes| {
        let list: Vec<Value> = changes
            .into_iter()
            .map(|(op, mut v)| {
                v["op"] = json!(op);
                v
            })
            .collect();
        json!({ "changes": list })
    })
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn random_bytes(target in 0usize..TARGETS.len(), body in prop::collection::vec(any::<u8>(), 0..512), json_type in prop::bool::weighted(0.9)) {
        check(target, body, json_type);
    }

    #[test]
    fn random_json(target in 0usize..TARGETS.len(), v in json_value()) {
        check(target, v.to_string().into_bytes(), true);
    }

    #[test]
    fn entity_shaped_objects(target in 0usize..TARGETS.len(), v in entity_like()) {
        check(target, v.to_string().into_bytes(), true);
    }

    #[test]
    fn whatif_changes(v in whatif_like()) {
        check(10, v.to_string().into_bytes(), true);
    }

    #[test]
    fn import_bundles(
        actors in prop::collection::vec(entity_like(), 0..4),
        stances in prop::collection::vec(entity_like(), 0..4),
        create in any::<bool>(),
    ) {
        let body = json!({"format": "vertoog-map", "version": 1, "actors": actors, "stances": stances});
        check(if create { 13 } else { 11 }, body.to_string().into_bytes(), true);
    }

    #[test]
    fn deep_nesting(target in 0usize..TARGETS.len(), depth in 1usize..20_000, open in prop::sample::select(vec!["[", "{\"a\":"])) {
        let mut text = String::from("{\"name\": ");
        text.push_str(&open.repeat(depth));
        check(target, text.into_bytes(), true);
    }
}
