//! Issue 16 item 5: after a failed flush the server answers 503 with a clear message on
//! every route but health and openapi.json, health says `unhealthy` (503), and no GET shows
//! the write whose flush failed. The failure comes from the store's fault hook
//! (`Store::fail_next_flush`); the real server runs on a random port.

use crate::common;

use common::{seed, start_with};
use serde_json::json;
use vertoog_server::REQUEST_TIMEOUT;

#[tokio::test]
async fn a_failed_flush_makes_the_server_refuse_until_restarted() {
    let s = start_with(seed, REQUEST_TIMEOUT).await;
    let r = s.get("/api/v1/health").await;
    assert_eq!((r.status, r.json()["status"].clone()), (200, json!("ok")));
    let before = s.get("/api/v1/maps/m/stances").await.json()["total"].clone();
    // An acknowledged write before the failure.
    let r = s
        .post(
            "/api/v1/maps/m/stances",
            json!({"actor": "a", "narrative": "n2", "position": -1}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());

    s.store.fail_next_flush(5);
    let r = s
        .post(
            "/api/v1/maps/m/stances",
            json!({"actor": "b", "narrative": "n2", "position": 2, "source": "failed"}),
        )
        .await;
    assert!(
        r.status >= 500,
        "the failed write is not acknowledged: {}",
        r.status
    );
    assert!(
        r.text().contains("cannot read or write the store at"),
        "{}",
        r.text()
    );

    let r = s.get("/api/v1/health").await;
    assert_eq!(r.status, 503, "{}", r.text());
    assert_eq!(r.json()["status"], "unhealthy");
    assert!(r.json()["message"].as_str().unwrap().contains("restart"));

    // Reads do not show the failed write: they are refused, like writes.
    for path in [
        "/api/v1/maps/m/stances",
        "/api/v1/maps/m",
        "/api/v1/maps",
        "/api/v1/maps/m/analysis",
    ] {
        let r = s.get(path).await;
        assert_eq!(r.status, 503, "{path}: {}", r.text());
        assert_eq!(r.code(), "unavailable");
        assert!(!r.text().contains("failed\""), "{path}: {}", r.text());
    }
    let r = s
        .post(
            "/api/v1/maps/m/stances",
            json!({"actor": "c", "narrative": "n2", "position": 1}),
        )
        .await;
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("accepts no more changes"));
    // The OpenAPI document is still served.
    assert_eq!(s.get("/api/v1/openapi.json").await.status, 200);

    assert!(before.as_u64().unwrap() >= 1);
    // No graceful stop: its final flush fails on the poisoned store, as it should (the
    // process exits with that error); the reopened store is checked in the store's tests.
    drop(s);
}
