//! The API's routes over HTTP against the real server: the happy path of every route and
//! each error case (issue 7).

use crate::common;

use common::{seed, start, start_with};
use serde_json::json;
use vertoog_server::REQUEST_TIMEOUT;

#[tokio::test]
async fn health_says_local_mode() {
    let s = start().await;
    let r = s.get("/api/v1/health").await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["mode"], "local");
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    s.stop().await;
}

#[tokio::test]
async fn maps_create_list_get_patch_delete() {
    let s = start().await;
    let r = s
        .post(
            "/api/v1/maps",
            json!({"name": "Samen Digitaal", "description": "x"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["id"], "samen-digitaal");
    assert_eq!(
        r.header("location").as_deref(),
        Some("/api/v1/maps/samen-digitaal")
    );

    let r = s
        .post("/api/v1/maps", json!({"id": "samen-digitaal"}))
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(r.code(), "conflict");

    let r = s.post("/api/v1/maps", json!({"id": "Bad Id"})).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "id");

    let r = s
        .post("/api/v1/maps", json!({"id": "x", "colour": "red"}))
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "colour");

    let r = s.get("/api/v1/maps").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["total"], 1);
    assert_eq!(r.json()["items"][0]["name"], "Samen Digitaal");

    let r = s.get("/api/v1/maps/samen-digitaal").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["counts"]["actors"], 0);

    let r = s
        .patch(
            "/api/v1/maps/samen-digitaal",
            json!({"description": "new", "settings": {"threshold": 0.3}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["description"], "new");
    assert_eq!(r.json()["settings"]["threshold"], 0.3);
    assert_eq!(r.json()["name"], "Samen Digitaal");

    let r = s
        .patch(
            "/api/v1/maps/samen-digitaal",
            json!({"settings": {"threshold": 7}}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "settings");

    let r = s.delete("/api/v1/maps/samen-digitaal").await;
    assert_eq!(r.status, 200);
    let r = s.get("/api/v1/maps/samen-digitaal").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.code(), "not_found");
    assert!(r.field().is_null());
    s.stop().await;
}

#[tokio::test]
async fn actors_crud_with_etags() {
    let s = start_with(seed, REQUEST_TIMEOUT).await;
    let r = s
        .post(
            "/api/v1/maps/m/actors",
            json!({"name": "Logius", "domain": "agency", "influence": 0.7}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["id"], "logius");
    assert_eq!(r.json()["kind"], "organisation");
    assert_eq!(
        r.header("location").as_deref(),
        Some("/api/v1/maps/m/actors/logius")
    );
    let created_tag = r.header("etag").unwrap();

    let r = s.get("/api/v1/maps/m/actors/logius").await;
    assert_eq!(r.status, 200);
    let tag = r.header("etag").unwrap();
    assert_eq!(tag, created_tag);

    // PATCH merges the given fields.
    let r = s
        .call(
            "PATCH",
            "/api/v1/maps/m/actors/logius",
            None,
            Some(json!({"notes": "beheert DigiD"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["notes"], "beheert DigiD");
    assert_eq!(r.json()["influence"], 0.7);
    assert_eq!(r.json()["domain"], "agency");
    let new_tag = r.header("etag").unwrap();
    assert_ne!(new_tag, tag);

    // A stale If-Match is refused; the current one passes.
    let stale = s
        .raw(
            "PATCH",
            "/api/v1/maps/m/actors/logius",
            &[
                ("content-type", "application/json"),
                ("if-match", tag.as_str()),
            ],
            br#"{"influence": 0.1}"#.to_vec(),
        )
        .await;
    assert_eq!(stale.status, 412);
    assert_eq!(stale.code(), "precondition_failed");
    let fresh = s
        .raw(
            "PATCH",
            "/api/v1/maps/m/actors/logius",
            &[
                ("content-type", "application/json"),
                ("if-match", new_tag.as_str()),
            ],
            br#"{"influence": 0.1}"#.to_vec(),
        )
        .await;
    assert_eq!(fresh.status, 200, "{}", fresh.text());
    assert_eq!(fresh.json()["influence"], 0.1);

    let r = s
        .patch("/api/v1/maps/m/actors/logius", json!({"id": "other"}))
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "id");
    let r = s
        .patch("/api/v1/maps/m/actors/logius", json!({"influence": "high"}))
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "influence");

    let r = s.get("/api/v1/maps/m/actors?limit=2&offset=1").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["total"], 4);
    let ids: Vec<String> = r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["b", "c"]);

    let r = s
        .raw(
            "DELETE",
            "/api/v1/maps/m/actors/logius",
            &[("if-match", "\"nope\"")],
            vec![],
        )
        .await;
    assert_eq!(r.status, 412);
    let r = s.delete("/api/v1/maps/m/actors/a").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["stances"].as_array().unwrap().len(), 1);
    assert_eq!(r.json()["ties"].as_array().unwrap().len(), 1);
    assert_eq!(s.get("/api/v1/maps/m/actors/a").await.status, 404);
    assert_eq!(s.get("/api/v1/maps/nope/actors").await.status, 404);
    s.stop().await;
}

#[tokio::test]
async fn validation_errors_name_the_field() {
    let s = start_with(seed, REQUEST_TIMEOUT).await;
    let r = s
        .post(
            "/api/v1/maps/m/actors",
            json!({"id": "x", "name": "X", "influence": 1.5}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "influence");
    assert_eq!(r.json()["errors"][0]["field"], "influence");

    let r = s
        .post(
            "/api/v1/maps/m/actors",
            json!({"id": "x", "name": "X", "domain": "nowhere"}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "domain");

    let r = s.post("/api/v1/maps/m/actors", json!({"id": "x"})).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "name");

    let r = s
        .post(
            "/api/v1/maps/m/actors",
            json!({"id": "x", "name": "X", "nmae": "typo"}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "nmae");

    let r = s
        .post(
            "/api/v1/maps/m/stances",
            json!({"actor": "a", "narrative": "n1", "position": 3}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "position");

    let r = s
        .post("/api/v1/maps/m/ties", json!({"source": "a", "target": "a"}))
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "target");

    // Malformed JSON is a 400; a non-object body a 422; a wrong content type a 415.
    let r = s
        .raw(
            "POST",
            "/api/v1/maps/m/actors",
            &[("content-type", "application/json")],
            b"{\"id\": ".to_vec(),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.code(), "malformed_json");
    let r = s.post("/api/v1/maps/m/actors", json!([1, 2])).await;
    assert_eq!(r.status, 422);
    let r = s
        .raw(
            "POST",
            "/api/v1/maps/m/actors",
            &[("content-type", "text/plain")],
            b"hi".to_vec(),
        )
        .await;
    assert_eq!(r.status, 415);

    // A 10 MB name: a clear error, no crash.
    let big = "x".repeat(10 * 1024 * 1024);
    let r = s
        .post("/api/v1/maps/m/actors", json!({"id": "big", "name": big}))
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "name");
    assert!(r.body.len() < 10_000, "the error must not echo the name");
    s.stop().await;
}

#[tokio::test]
async fn referential_integrity_is_a_422_naming_the_field() {
    let s = start_with(seed, REQUEST_TIMEOUT).await;
    let r = s
        .post(
            "/api/v1/maps/m/stances",
            json!({"actor": "ghost", "narrative": "n1", "position": 1}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(r.field(), "actor");
    let r = s
        .post(
            "/api/v1/maps/m/ties",
            json!({"source": "a", "target": "ghost"}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "target");
    let r = s
        .patch("/api/v1/maps/m/stances/s1", json!({"narrative": "ghost"}))
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "narrative");
    let r = s
        .post(
            "/api/v1/maps/m/actors",
            json!({"id": "kid", "name": "Kid", "parent": "ghost"}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "parent");
    s.stop().await;
}

#[tokio::test]
async fn near_duplicates_409_unless_forced() {
    let s = start_with(seed, REQUEST_TIMEOUT).await;
    let body =
        json!({"id": "bzk", "name": "Ministerie van Binnenlandse Zaken", "domain": "ministry"});
    let body2 = json!({"id": "utrecht", "name": "Gemeente Utrect"});
    let r = s.post("/api/v1/maps/m/actors", body2.clone()).await;
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(r.code(), "near_duplicate");
    let c = &r.json()["candidates"][0];
    assert_eq!(c["id"], "c");
    assert_eq!(c["name"], "Gemeente Utrecht");
    assert!(c["score"].as_f64().unwrap() >= 0.92);
    assert_eq!(s.get("/api/v1/maps/m/actors/utrecht").await.status, 404);

    let mut forced = body2.clone();
    forced["force"] = json!(true);
    let r = s.post("/api/v1/maps/m/actors", forced).await;
    assert_eq!(r.status, 201, "{}", r.text());
    // A distinct name needs no force.
    let _ = body;
    let r = s
        .post(
            "/api/v1/maps/m/narratives",
            json!({"label": "Digital by defaults"}),
        )
        .await;
    assert_eq!(r.status, 409);
    let r = s
        .post(
            "/api/v1/maps/m/narratives",
            json!({"label": "Digital by defaults", "force": true}),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["id"], "digital-by-defaults");
    let r = s
        .post(
            "/api/v1/maps/m/actors",
            json!({"name": "X", "force": "yes"}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "force");
    s.stop().await;
}

#[tokio::test]
async fn stances_and_ties_lists_and_filters() {
    let s = start_with(seed, REQUEST_TIMEOUT).await;
    let r = s
        .post(
            "/api/v1/maps/m/stances",
            json!({"actor": "a", "narrative": "n2", "position": -1, "date": "2024-03-01"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["id"], "s4");
    let r = s.get("/api/v1/maps/m/stances?actor=a").await;
    assert_eq!(r.json()["total"], 2);
    let r = s.get("/api/v1/maps/m/stances?actor=a&narrative=n2").await;
    assert_eq!(r.json()["total"], 1);
    assert_eq!(r.json()["items"][0]["position"], -1);
    let r = s.get("/api/v1/maps/m/stances?narrative=n1&limit=1").await;
    assert_eq!(r.json()["total"], 3);
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 1);
    let r = s.get("/api/v1/maps/m/ties").await;
    assert_eq!(r.json()["total"], 2);
    // The ties of one actor: as source or as target.
    let r = s.get("/api/v1/maps/m/ties?actor=a").await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["total"], 1);
    assert_eq!(r.json()["items"][0]["target"], "b");
    let r = s.get("/api/v1/maps/m/ties?actor=b&limit=1").await;
    assert_eq!(r.json()["total"], 2);
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 1);
    let r = s.get("/api/v1/maps/m/ties?actor=c").await;
    assert_eq!(r.json()["total"], 1);
    assert_eq!(r.json()["items"][0]["source"], "b");
    let r = s.get("/api/v1/maps/m/ties?narrative=n1").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.field(), "narrative");
    let r = s
        .post(
            "/api/v1/maps/m/ties",
            json!({"source": "a", "target": "c", "kind": "funding"}),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["directed"], true);
    let r = s
        .patch("/api/v1/maps/m/ties/t3", json!({"weight": 0.9}))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["weight"], 0.9);
    assert_eq!(r.json()["kind"], "funding");
    let r = s.delete("/api/v1/maps/m/ties/t3").await;
    assert_eq!(r.status, 200);
    let r = s.delete("/api/v1/maps/m/stances/s4").await;
    assert_eq!(r.status, 200);
    s.stop().await;
}

#[tokio::test]
async fn list_limits() {
    let s = start_with(seed, REQUEST_TIMEOUT).await;
    let r = s.get("/api/v1/maps/m/actors?limit=100001").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.field(), "limit");
    let r = s.get("/api/v1/maps/m/actors?limit=100000").await;
    assert_eq!(r.status, 200);
    let r = s.get("/api/v1/maps/m/actors?offset=-1").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.field(), "offset");
    let r = s.get("/api/v1/maps/m/actors?limit=0").await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 0);
    assert_eq!(r.json()["total"], 3);
    let r = s.get("/api/v1/maps?bogus=1").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.field(), "bogus");
    s.stop().await;
}

#[tokio::test]
async fn analysis_is_cached_and_invalidated_by_writes() {
    let s = start_with(seed, REQUEST_TIMEOUT).await;
    let r = s.get("/api/v1/maps/m/analysis").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["map"], "m");
    assert_eq!(v["transition"]["supporters"], json!(["a", "b"]));
    assert_eq!(v["transition"]["opponents"], json!(["c"]));
    assert!(v["window"]["from"].is_null());
    // The same answer again (from the cache).
    let again = s.get("/api/v1/maps/m/analysis").await;
    assert_eq!(again.body, r.body);
    // A write changes the analysis.
    let w = s
        .patch("/api/v1/maps/m/stances/s3", json!({"position": 2}))
        .await;
    assert_eq!(w.status, 200);
    let after = s.get("/api/v1/maps/m/analysis").await.json();
    assert_eq!(after["transition"]["supporters"], json!(["a", "b", "c"]));
    assert_eq!(after["transition"]["opponents"], json!([]));

    let r = s.get("/api/v1/maps/m/analysis?from=2024-13-01").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.field(), "from");
    let r = s
        .get("/api/v1/maps/m/analysis?from=2024-02-01&to=2024-01-01")
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.field(), "from");
    let r = s
        .get("/api/v1/maps/m/analysis?to=2024-01-01&coalition_basis=ties")
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["window"]["to"], "2024-01-01");
    assert_eq!(r.json()["settings"]["coalition_basis"], "ties");
    let r = s.get("/api/v1/maps/m/analysis?resolution=-1").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.field(), "resolution");
    assert_eq!(s.get("/api/v1/maps/zzz/analysis").await.status, 404);
    s.stop().await;
}

#[tokio::test]
async fn graph_views_have_layout() {
    let s = start_with(seed, REQUEST_TIMEOUT).await;
    for view in ["structure", "discourse", "coalitions"] {
        let r = s.get(&format!("/api/v1/maps/m/graph?view={view}")).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json();
        assert_eq!(v["view"], view);
        let nodes = v["nodes"].as_array().unwrap();
        assert_eq!(nodes.len(), 3);
        for n in nodes {
            let (x, y) = (n["x"].as_f64().unwrap(), n["y"].as_f64().unwrap());
            assert!((0.0..=1000.0).contains(&x) && (0.0..=1000.0).contains(&y));
            assert!(n["name"].is_string() && n["domain"].is_string());
        }
        assert_eq!(nodes[0]["id"], "a");
        assert_eq!(nodes[0]["group"], "supporter");
        assert_eq!(nodes[2]["group"], "opponent");
        // Deterministic.
        let again = s.get(&format!("/api/v1/maps/m/graph?view={view}")).await;
        assert_eq!(again.body, r.body);
    }
    let v = s.get("/api/v1/maps/m/graph").await.json();
    assert_eq!(v["edges"].as_array().unwrap().len(), 2);
    assert_eq!(v["edges"][0]["kind"], "collaboration");
    assert_eq!(v["edges"][0]["sign"], 1);
    let d = s.get("/api/v1/maps/m/graph?view=discourse").await.json();
    let signs: Vec<i64> = d["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["sign"].as_i64().unwrap())
        .collect();
    assert!(signs.contains(&-1) && signs.contains(&1), "{d}");
    let r = s.get("/api/v1/maps/m/graph?view=circles").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.field(), "view");
    s.stop().await;
}

#[tokio::test]
async fn network_route() {
    let s = start_with(seed, REQUEST_TIMEOUT).await;
    let r = s.get("/api/v1/maps/m/network").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["statements"], 3);
    assert_eq!(v["rows"].as_array().unwrap().len(), 3);
    let r = s
        .get("/api/v1/maps/m/network?mode=onemode&aggregation=congruence&normalization=average")
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = s.get("/api/v1/maps/m/network?format=csv").await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    let r = s.get("/api/v1/maps/m/network?format=sparse").await;
    assert_eq!(r.status, 200);
    assert!(r.json()["edges"].is_array());
    let r = s
        .get("/api/v1/maps/m/network?mode=twomode&aggregation=congruence")
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.field(), "aggregation");
    let r = s.get("/api/v1/maps/m/network?mode=threemode").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.field(), "mode");
    s.stop().await;
}

#[tokio::test]
async fn exports_in_every_format() {
    let s = start_with(seed, REQUEST_TIMEOUT).await;
    let r = s.get("/api/v1/maps/m/export?format=json").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["format"], "vertoog-map");
    assert_eq!(r.json()["actors"].as_array().unwrap().len(), 3);
    assert!(r.header("content-disposition").unwrap().contains("m.json"));

    let r = s.get("/api/v1/maps/m/export?format=csv").await;
    assert_eq!(r.status, 200);
    let t = r.text();
    for f in [
        "# actors.csv",
        "# narratives.csv",
        "# stances.csv",
        "# ties.csv",
    ] {
        assert!(t.contains(f), "{t}");
    }
    let r = s.get("/api/v1/maps/m/export?format=csv&entity=ties").await;
    assert!(r.text().starts_with("id,source,target"), "{}", r.text());
    assert!(!r.text().contains('#'));

    let r = s
        .get("/api/v1/maps/m/export?format=dot&view=coalitions")
        .await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("graph") && r.text().contains("Ministerie van BZK"));
    let r = s.get("/api/v1/maps/m/export?format=graphml").await;
    assert!(r.text().contains("<graphml"));
    let r = s
        .get("/api/v1/maps/m/export?format=gexf&view=discourse")
        .await;
    assert!(r.text().contains("<gexf"));
    let r = s.get("/api/v1/maps/m/export?format=svg").await;
    if vertoog_formats::dot::graphviz_available() {
        assert_eq!(r.status, 200);
        assert!(r.text().contains("<svg"));
        assert_eq!(r.header("content-type").as_deref(), Some("image/svg+xml"));
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs graphviz: `dot` must be there"
        );
        assert_eq!(r.status, 501);
    }
    let r = s.get("/api/v1/maps/m/export?format=xlsx").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.field(), "format");
    let r = s
        .get("/api/v1/maps/m/export?format=json&entity=actors")
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.field(), "entity");
    s.stop().await;
}

#[tokio::test]
async fn merge_log_and_undo() {
    let s = start_with(seed, REQUEST_TIMEOUT).await;
    let r = s
        .post("/api/v1/maps/m/merge", json!({"keep": "a", "other": "b"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["stances_moved"], 1);
    assert_eq!(s.get("/api/v1/maps/m/actors/b").await.status, 404);
    let a = s.get("/api/v1/maps/m/actors/a").await.json();
    assert!(a["aliases"]
        .as_array()
        .unwrap()
        .contains(&json!("Vereniging van Nederlandse Gemeenten")));

    let log = s.get("/api/v1/maps/m/log").await.json();
    let total = log["total"].as_u64().unwrap();
    assert!(total >= 9);
    let last = &log["items"][total as usize - 1];
    assert_eq!(last["operation"], "merge");
    assert_eq!(last["principal"], "local");
    let desc = s.get("/api/v1/maps/m/log?order=desc&limit=1").await.json();
    assert_eq!(desc["items"][0]["operation"], "merge");

    let r = s.call("POST", "/api/v1/maps/m/undo", None, None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["reverted"], json!([last["seq"]]));
    assert_eq!(s.get("/api/v1/maps/m/actors/b").await.status, 200);

    let r = s.post("/api/v1/maps/m/undo", json!({"to": "x"})).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "to");
    let r = s
        .post(
            "/api/v1/maps/m/merge",
            json!({"keep": "a", "other": "ghost"}),
        )
        .await;
    assert!(r.status == 404 || r.status == 422, "{}", r.status);
    let r = s.post("/api/v1/maps/m/merge", json!({"keep": "a"})).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "other");
    s.stop().await;
}

#[tokio::test]
async fn erase_a_person() {
    let s = start_with(seed, REQUEST_TIMEOUT).await;
    let r = s
        .post(
            "/api/v1/maps/m/actors",
            json!({"id": "jan", "name": "Jan Jansen", "kind": "person", "parent": "a"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let r = s
        .post("/api/v1/maps/m/erase", json!({"actor": "jan"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(s.get("/api/v1/maps/m/actors/jan").await.status, 404);
    let log = s.get("/api/v1/maps/m/log").await.text();
    assert!(!log.contains("Jan Jansen"), "{log}");
    s.stop().await;
}

#[tokio::test]
async fn import_json_and_csv() {
    let s = start_with(seed, REQUEST_TIMEOUT).await;
    // JSON bundle into a new map.
    let bundle = json!({
        "format": "vertoog-map", "version": 1,
        "map": {"id": "whatever", "name": "Imported"},
        "actors": [{"id": "x", "name": "Xylofoon BV", "domain": "business"},
                   {"id": "y", "name": "Yoghurt Coöperatie"}],
        "narratives": [{"id": "n", "label": "Nieuw", "core": true}],
        "stances": [{"actor": "x", "narrative": "n", "position": 2}],
        "ties": [{"source": "x", "target": "y"}]
    });
    let r = s.post("/api/v1/maps/new/import", bundle.clone()).await;
    assert_eq!(r.status, 404, "{}", r.text());
    let r = s.post("/api/v1/maps/new/import?create=true", bundle).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["created"]["actors"], 2);
    let m = s.get("/api/v1/maps/new").await.json();
    assert_eq!(m["name"], "Imported");
    assert_eq!(m["counts"]["stances"], 1);

    // CSV files as multipart into the existing map.
    let boundary = "XyZ123";
    let mut body = String::new();
    for (name, content) in [
        (
            "actors.csv",
            "id,name,domain\nd,Provincie Zeeland,province\n",
        ),
        ("stances.csv", "actor,narrative,position\nd,n1,2\n"),
    ] {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n{content}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let ct = format!("multipart/form-data; boundary={boundary}");
    let r = s
        .raw(
            "POST",
            "/api/v1/maps/m/import",
            &[("content-type", ct.as_str()), ("x-vertoog-request", "1")],
            body.into_bytes(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["created"]["actors"], 1);
    assert_eq!(r.json()["created"]["stances"], 1);
    let log = s.get("/api/v1/maps/m/log?order=desc&limit=1").await.json();
    assert_eq!(log["items"][0]["operation"], "import");

    // Every problem at once, with file, line and field; nothing stored.
    let mut bad = String::new();
    bad.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"stances.csv\"\r\n\r\nactor,narrative,position\nd,n1,7\nghost,n1,1\nd,n2,x\r\n--{boundary}--\r\n"
    ));
    let r = s
        .raw(
            "POST",
            "/api/v1/maps/m/import",
            &[("content-type", ct.as_str()), ("x-vertoog-request", "1")],
            bad.into_bytes(),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(r.code(), "invalid_import");
    let errors = r.json()["errors"].as_array().unwrap().clone();
    assert!(errors.len() >= 2, "{errors:?}");
    assert!(errors
        .iter()
        .all(|e| e["file"] == "stances.csv" && e["line"].is_u64()));
    assert!(errors.iter().any(|e| e["field"] == "position"));
    // Field and reference errors in one report: the unknown actor of line 3 is named beside
    // the bad position of line 2 and the bad number of line 4 (issue 15 item 8).
    assert!(
        errors.iter().any(|e| e["line"] == 3
            && e["field"] == "actor"
            && e["message"].as_str().unwrap().contains("ghost")),
        "{errors:?}"
    );
    assert_eq!(
        s.get("/api/v1/maps/m/stances?actor=d").await.json()["total"],
        1
    );

    // References are checked against the map: a dangling one is reported with its line.
    let mut dangling = String::new();
    dangling.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"stances.csv\"\r\n\r\nactor,narrative,position\nghost,n1,1\r\n--{boundary}--\r\n"
    ));
    let r = s
        .raw(
            "POST",
            "/api/v1/maps/m/import",
            &[("content-type", ct.as_str()), ("x-vertoog-request", "1")],
            dangling.into_bytes(),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(r.json()["errors"][0]["field"], "actor");
    assert_eq!(r.json()["errors"][0]["line"], 2);

    // Near-duplicates stop the import unless on_duplicate says otherwise.
    let dup =
        json!({"map": {"id": "m"}, "actors": [{"id": "bzk2", "name": "Ministerie van BZK."}]});
    let r = s.post("/api/v1/maps/m/import", dup.clone()).await;
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(r.json()["candidates"][0]["id"], "a");
    let r = s
        .post("/api/v1/maps/m/import?on_duplicate=merge", dup)
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["merged"][0]["into"], "a");
    let r = s
        .post("/api/v1/maps/m/import?on_duplicate=maybe", json!({}))
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.field(), "on_duplicate");
    s.stop().await;
}

#[tokio::test]
async fn undo_reverts_an_import_as_a_whole() {
    let s = start_with(seed, REQUEST_TIMEOUT).await;
    let bundle = json!({"map": {"id": "m"},
        "actors": [{"id": "p", "name": "Provincie Gelderland", "domain": "province"}],
        "stances": [{"actor": "p", "narrative": "n1", "position": 1}]});
    let r = s.post("/api/v1/maps/m/import", bundle).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let seq = r.json()["log_seq"].as_u64().unwrap();
    let r = s.post("/api/v1/maps/m/undo", json!({"to": seq - 1})).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(s.get("/api/v1/maps/m/actors/p").await.status, 404);
    assert_eq!(s.get("/api/v1/maps/m/stances").await.json()["total"], 3);
    s.stop().await;
}

#[tokio::test]
async fn unknown_routes_and_methods_are_json() {
    let s = start().await;
    let r = s.get("/api/v1/nothing").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.code(), "not_found");
    let r = s.call("PUT", "/api/v1/maps", None, None).await;
    assert_eq!(r.status, 405);
    assert_eq!(r.code(), "method_not_allowed");
    s.stop().await;
}

#[tokio::test]
async fn whatif_simulates_without_storing() {
    let s = start_with(seed, REQUEST_TIMEOUT).await;
    let body = json!({"changes": [
        {"op": "set_stance", "actor": "c", "narrative": "n1", "position": 2},
        {"op": "add_tie", "source": "a", "target": "c", "kind": "collaboration", "weight": 0.5}
    ]});
    let r = s.post("/api/v1/maps/m/whatif", body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(
        v["after"]["transition"]["supporters"],
        json!(["a", "b", "c"])
    );
    assert_eq!(v["difference"]["supporters_added"], json!(["c"]));
    assert_eq!(v["difference"]["opponents_removed"], json!(["c"]));
    // Nothing was stored.
    let now = s.get("/api/v1/maps/m/analysis").await.json();
    assert_eq!(now["transition"]["opponents"], json!(["c"]));
    assert_eq!(s.get("/api/v1/maps/m/ties").await.json()["total"], 2);

    let r = s
        .post(
            "/api/v1/maps/m/whatif",
            json!({"changes": [{"op": "set_stance", "actor": "c", "narrative": "n1", "position": 5}]}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(r.field(), "changes[0].position");
    let r = s
        .post(
            "/api/v1/maps/m/whatif",
            json!({"changes": [{"op": "teleport"}]}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(
        r.field().as_str().unwrap().starts_with("changes"),
        "{}",
        r.text()
    );
    let r = s
        .post("/api/v1/maps/m/whatif", json!({"action": "a999"}))
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "action");
    let r = s.post("/api/v1/maps/m/whatif", json!({})).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "changes");
    s.stop().await;
}

#[tokio::test]
async fn whatif_of_an_action_and_the_timeline_on_the_demo_map() {
    let s = start_with(
        |store| {
            assert!(vertoog_server::load_demo(store).unwrap());
        },
        REQUEST_TIMEOUT,
    )
    .await;
    let a = s.get("/api/v1/maps/demo/analysis").await;
    assert_eq!(a.status, 200);
    let actions = a.json()["actions"].as_array().cloned().unwrap_or_default();
    assert!(!actions.is_empty(), "the demo map has actions");
    if let Some(first) = actions.first() {
        let id = first["id"].as_str().unwrap();
        let r = s
            .post("/api/v1/maps/demo/whatif", json!({"action": id}))
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        if let (Some(gain), Some(diff)) = (
            first["expected_gain"].as_f64(),
            r.json()["difference"]["strength"].as_f64(),
        ) {
            assert!(
                (gain - diff).abs() < 1e-9,
                "expected gain {gain}, what-if {diff}"
            );
        }
    }
    let r = s.get("/api/v1/maps/demo/timeline?period=year").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let t = r.json();
    assert_eq!(t["map"], "demo");
    assert_eq!(t["period"], "year");
    let points = t["points"].as_array().unwrap();
    assert!(points.len() >= 2);
    assert!(points[0]["label"].as_str().unwrap().len() == 4);
    let r = s.get("/api/v1/maps/demo/timeline?period=decade").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.field(), "period");
    // Dutch gap messages when the browser asks for Dutch.
    let nl = s
        .raw(
            "GET",
            "/api/v1/maps/demo/analysis",
            &[("accept-language", "nl-NL,nl;q=0.9")],
            vec![],
        )
        .await;
    assert_eq!(nl.status, 200);
    let en = s.get("/api/v1/maps/demo/analysis?lang=en").await;
    if !a.json()["gaps"].as_array().unwrap().is_empty() {
        assert_ne!(
            nl.json()["gaps"][0]["message"],
            en.json()["gaps"][0]["message"]
        );
    }
    s.stop().await;
}
