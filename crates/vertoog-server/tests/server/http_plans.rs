//! Plans and coalition names over HTTP on the demo map (issue 18): the best plan in the
//! analysis, `plan/best` with another budget, `plan/simulate` of any chosen set (422 naming
//! unknown ids), and a user's coalition name stored with the map and kept after an unrelated
//! edit.

use crate::common;

use common::start_with;
use serde_json::{json, Value};
use vertoog_server::REQUEST_TIMEOUT;

async fn demo() -> common::TestServer {
    start_with(
        |store| {
            assert!(vertoog_server::load_demo(store).unwrap());
        },
        REQUEST_TIMEOUT,
    )
    .await
}

fn demo_map(s: &common::TestServer) -> String {
    s.store.list_maps().unwrap()[0].id.clone()
}

#[tokio::test]
async fn best_plan_and_simulate_agree() {
    let s = demo().await;
    let m = demo_map(&s);
    let a = s.get(&format!("/api/v1/maps/{m}/analysis")).await;
    assert_eq!(a.status, 200, "{}", a.text());
    let a = a.json();
    let plan = &a["best_plan"];
    assert_eq!(plan["budget"], 6);
    let steps = plan["steps"].as_array().unwrap();
    assert!(!steps.is_empty(), "{plan}");
    let effort: u64 = steps.iter().map(|x| x["effort"].as_u64().unwrap()).sum();
    assert!(effort <= 6);
    let ids: Vec<Value> = steps.iter().map(|x| x["action"].clone()).collect();

    // Simulating the plan's actions gives the plan's gain.
    let r = s
        .post(
            &format!("/api/v1/maps/{m}/plan/simulate"),
            json!({ "actions": ids }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let sim = r.json();
    let g = |v: &Value| v.as_f64().unwrap();
    assert!(
        (g(&sim["plan_gain"]) - g(&plan["plan_gain"])).abs() < 1e-9,
        "{sim}"
    );
    assert!((g(&sim["strength_before"]) - g(&a["transition"]["metrics"]["strength"])).abs() < 1e-9);
    assert!(
        (g(&sim["strength_after"]) - g(&sim["strength_before"]) - g(&sim["plan_gain"])).abs()
            < 1e-9
    );
    assert_eq!(sim["steps"].as_array().unwrap().len(), steps.len());
    assert!((g(&sim["sum_of_single_gains"]) - g(&plan["sum_of_single_gains"])).abs() < 1e-9);
    for st in sim["steps"].as_array().unwrap() {
        assert!(st["effects"]["ties_added"].is_array());
        assert!(st["effects"]["actors_moved"].is_array());
    }

    // Unknown ids: 422 naming each of them.
    let r = s
        .post(
            &format!("/api/v1/maps/{m}/plan/simulate"),
            json!({"actions": ["a1", "a99", "zz"]}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(r.field(), "actions");
    let text = r.text();
    assert!(text.contains("a99") && text.contains("zz"), "{text}");
    let r = s
        .post(
            &format!("/api/v1/maps/{m}/plan/simulate"),
            json!({"actions": "a1"}),
        )
        .await;
    assert_eq!(r.status, 422);
    let r = s
        .post(
            &format!("/api/v1/maps/{m}/plan/simulate"),
            json!({"actions": ["a1"], "extra": 1}),
        )
        .await;
    assert_eq!(r.status, 422);

    // plan/best: the analysis' plan for the default budget; budget 0 is empty; a bad budget
    // is a 400.
    let r = s.get(&format!("/api/v1/maps/{m}/plan/best")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), *plan);
    let r = s.get(&format!("/api/v1/maps/{m}/plan/best?budget=0")).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["steps"], json!([]));
    assert_eq!(r.json()["plan_gain"], 0.0);
    let r = s.get(&format!("/api/v1/maps/{m}/plan/best?budget=2")).await;
    let two = r.json();
    assert_eq!(two["budget"], 2);
    assert!(two["effort"].as_u64().unwrap() <= 2);
    assert!(g(&two["plan_gain"]) <= g(&plan["plan_gain"]) + 1e-9);
    let r = s.get(&format!("/api/v1/maps/{m}/plan/best?budget=x")).await;
    assert_eq!(r.status, 400);
    s.stop().await;
}

#[tokio::test]
async fn a_coalition_name_is_stored_and_kept_after_an_unrelated_edit() {
    let s = demo().await;
    let m = demo_map(&s);
    let a = s.get(&format!("/api/v1/maps/{m}/analysis")).await.json();
    let c1 = &a["coalitions"][0];
    assert!(c1["name"].as_str().unwrap().starts_with("for: "), "{c1}");
    assert_eq!(c1["named_by"], "storyline");
    let n = a["coalition_matrix"]["narratives"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(
        a["coalition_matrix"]["rows"].as_array().unwrap().len(),
        a["coalitions"].as_array().unwrap().len()
    );
    assert_eq!(
        a["coalition_matrix"]["rows"][0]["cells"]
            .as_array()
            .unwrap()
            .len(),
        n
    );

    let r = s
        .call(
            "PUT",
            &format!("/api/v1/maps/{m}/coalitions/c1/name"),
            None,
            Some(json!({"name": "De kopgroep"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["members"], c1["members"]);
    let a = s.get(&format!("/api/v1/maps/{m}/analysis")).await.json();
    assert_eq!(a["coalitions"][0]["name"], "De kopgroep");
    assert_eq!(a["coalitions"][0]["named_by"], "user");
    // Stored with the map.
    let map = s.get(&format!("/api/v1/maps/{m}")).await.json();
    assert_eq!(map["coalition_names"][0]["name"], "De kopgroep");

    // An unrelated edit: a new narrative nobody holds.
    let r = s
        .post(
            &format!("/api/v1/maps/{m}/narratives"),
            json!({"id": "unrelated", "label": "Something else entirely", "core": false}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let a = s.get(&format!("/api/v1/maps/{m}/analysis")).await.json();
    assert_eq!(a["coalitions"][0]["name"], "De kopgroep");
    assert!(a["coalition_matrix"]["uncarried"]
        .as_array()
        .unwrap()
        .contains(&json!("unrelated")));

    // Unknown coalition: 404; a too long name: 422.
    let r = s
        .call(
            "PUT",
            &format!("/api/v1/maps/{m}/coalitions/c99/name"),
            None,
            Some(json!({"name": "X"})),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.text());
    let r = s
        .call(
            "PUT",
            &format!("/api/v1/maps/{m}/coalitions/c1/name"),
            None,
            Some(json!({"name": "x".repeat(1000)})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    // An empty name gives the storyline name back.
    let r = s
        .call(
            "PUT",
            &format!("/api/v1/maps/{m}/coalitions/c1/name"),
            None,
            Some(json!({"name": ""})),
        )
        .await;
    assert_eq!(r.status, 200);
    let a = s.get(&format!("/api/v1/maps/{m}/analysis")).await.json();
    assert_eq!(a["coalitions"][0]["named_by"], "storyline");
    s.stop().await;
}
