//! The analysis computed at start (issue 22; docs/decisions.md "Analysis computed at start"):
//! `vertoog serve` analyses the most recently updated maps before anyone asks, so the first
//! `GET .../analysis` finds the answer in the cache.

use crate::common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use vertoog_analysis::{analyse_lang, Lang, Window};
use vertoog_model::Map;
use vertoog_server::{load_demo, AnalysisKey, ServerConfig, WARM_MAPS};
use vertoog_store::Store;

fn default_key(map: &str) -> AnalysisKey {
    AnalysisKey {
        map: map.into(),
        window: Window::default(),
        overrides: "{}".into(),
        lang: Lang::En,
    }
}

#[tokio::test]
async fn the_server_analyses_the_demo_map_at_start_and_answers_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path()).unwrap());
    load_demo(&store).unwrap();
    let mut config = ServerConfig::new("127.0.0.1:0".parse().unwrap(), store.clone());
    config.warm = true;
    let server = vertoog_server::bind(config).await.unwrap();
    let addr = server.local_addr();
    let state = server.state().clone();
    assert_eq!(
        state.cache().len(),
        0,
        "nothing is computed before the start"
    );
    let (tx, handle) = common::run(server);
    // No request is made: the cache fills by itself.
    let start = Instant::now();
    while state.cache().is_empty() || state.cache().memory() == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the demo map was not analysed at start"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let warmed = state
        .cache()
        .get(&store, default_key("demo"), json!({}))
        .await
        .unwrap();
    // The warmed analysis is the full analysis of the stored map.
    let bundle = store.load("demo").unwrap();
    let settings = vertoog_store::with_today(
        bundle.map.settings.with_overrides(&json!({})).unwrap(),
        &bundle,
    );
    let full = serde_json::to_vec(&analyse_lang(
        &bundle,
        &settings,
        Window::default(),
        Lang::En,
    ))
    .unwrap();
    assert!(warmed.json.as_ref() == full.as_slice());
    // The first request is answered with it: same bytes, and no second entry.
    let r = vertoog_testkit::http::request_async(
        addr,
        "GET",
        "/api/v1/maps/demo/analysis",
        &[("x-vertoog-request", "1")],
        &[],
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200);
    assert!(r.body == full);
    assert_eq!(state.cache().len(), 1);
    let again = state
        .cache()
        .get(&store, default_key("demo"), json!({}))
        .await
        .unwrap();
    assert!(Arc::ptr_eq(&warmed, &again), "computed once and kept");
    tx.send(()).unwrap();
    handle.await.unwrap();
}

#[tokio::test]
async fn warming_takes_the_most_recently_updated_maps_and_is_off_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path()).unwrap());
    let n = WARM_MAPS + 2;
    for i in 0..n {
        store.create_map(Map::new(format!("m{i}")), "test").unwrap();
        // Distinct `updated` timestamps (milliseconds).
        std::thread::sleep(Duration::from_millis(5));
    }
    // Off unless asked for: a server started without `warm` computes nothing by itself.
    let config = ServerConfig::new("127.0.0.1:0".parse().unwrap(), store.clone());
    assert!(!config.warm);
    let server = vertoog_server::bind(config).await.unwrap();
    let state = server.state().clone();
    let (tx, handle) = common::run(server);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(state.cache().len(), 0);
    tx.send(()).unwrap();
    handle.await.unwrap();

    let warmed = state.cache().warm(&store).await;
    let expect: Vec<String> = (n - WARM_MAPS..n).rev().map(|i| format!("m{i}")).collect();
    assert_eq!(warmed, expect, "the newest maps first, at most WARM_MAPS");
    assert_eq!(state.cache().len(), WARM_MAPS);
}
