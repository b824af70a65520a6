//! `GET /maps/{map}/dynamics` and `GET /maps/{map}/diff` on the demo map (dynamics.md): the
//! same bodies as the library (and so as the CLI's `--json`), and 400s that name the
//! parameter.

use crate::common;

use common::start_with;
use vertoog_analysis::dynamics::{diff, dynamics, WindowLength};
use vertoog_analysis::{Lang, Period};
use vertoog_server::REQUEST_TIMEOUT;

#[tokio::test]
async fn dynamics_and_diff_of_the_demo_map() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = {
        let store = vertoog_store::Store::open(&dir.path().join("s")).unwrap();
        assert!(vertoog_server::load_demo(&store).unwrap());
        store.load("demo").unwrap()
    };
    let s = start_with(
        |store| {
            assert!(vertoog_server::load_demo(store).unwrap());
        },
        REQUEST_TIMEOUT,
    )
    .await;
    let r = s
        .get("/api/v1/maps/demo/dynamics?period=year&window=2")
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let want = dynamics(
        &bundle,
        &bundle.map.settings,
        Period::Year,
        WindowLength::Periods(2),
    );
    assert_eq!(r.json(), serde_json::to_value(&want).unwrap());
    assert_eq!(r.json()["window"], 2);
    let r = s.get("/api/v1/maps/demo/dynamics?window=all").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["window"], "all");
    assert_eq!(r.json()["period"], "quarter");
    let r = s.get("/api/v1/maps/demo/dynamics?window=0").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.field(), "window");

    let r = s
        .get("/api/v1/maps/demo/diff?from=2020-01-01&to=2025-06-30&lang=nl")
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let want = diff(
        &bundle,
        &bundle.map.settings,
        "2020-01-01".parse().unwrap(),
        "2025-06-30".parse().unwrap(),
        Lang::Nl,
    );
    assert_eq!(r.json(), serde_json::to_value(&want).unwrap());
    let r = s.get("/api/v1/maps/demo/diff?from=2020-01-01").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.field(), "to");
    let r = s
        .get("/api/v1/maps/demo/diff?from=2024-01-01&to=2020-01-01")
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.field(), "from");
    let r = s
        .get("/api/v1/maps/nope/diff?from=2020-01-01&to=2021-01-01")
        .await;
    assert_eq!(r.status, 404);
    s.stop().await;
}
