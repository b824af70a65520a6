//! Interactions, commitments and plan items over HTTP (engagement): the same conventions as
//! the other entities, confidential interactions hidden from viewers, and adopting an action
//! of the current analysis into the plan. The real server on a random port, the real store.

use crate::common;

use common::{seed, seed_engagement, start_config};
use serde_json::json;
use vertoog_store::Role;

struct Tokens {
    admin: String,
    viewer: String,
}

async fn server() -> (common::TestServer, Tokens) {
    let tokens = std::sync::Mutex::new(None);
    let s = start_config(
        |store| {
            seed(store);
            seed_engagement(store);
            let admin = store.create_token("ann", Role::Admin).unwrap();
            let viewer = store.create_token("vic", Role::Viewer).unwrap();
            *tokens.lock().unwrap() = Some(Tokens { admin, viewer });
        },
        |_| {},
    )
    .await;
    let t = tokens.lock().unwrap().take().unwrap();
    (s, t)
}

#[tokio::test]
async fn interactions_follow_the_entity_conventions_and_hide_confidential_ones() {
    let (s, t) = server().await;
    let admin = Some(t.admin.as_str());
    let viewer = Some(t.viewer.as_str());

    // Create without id: `i2` assigned, 201 with Location and ETag.
    let r = s
        .call(
            "POST",
            "/api/v1/maps/m/interactions",
            admin,
            Some(
                json!({"date": "2026-03-02", "title": "Vertrouwelijk overleg",
                        "actors": ["b"], "team": ["Ann"], "confidential": true}),
            ),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["id"], "i2");
    assert_eq!(
        r.header("location").unwrap(),
        "/api/v1/maps/m/interactions/i2"
    );
    assert!(r.header("etag").is_some());

    // The admin sees both; a viewer only the open one, and gets 404 for the other.
    let all = s
        .call("GET", "/api/v1/maps/m/interactions", admin, None)
        .await;
    assert_eq!(all.json()["total"], 2);
    let seen = s
        .call("GET", "/api/v1/maps/m/interactions", viewer, None)
        .await;
    assert_eq!(seen.status, 200);
    assert_eq!(seen.json()["total"], 1);
    assert_eq!(seen.json()["items"][0]["id"], "i1");
    assert!(!seen.text().contains("Vertrouwelijk"));
    let hidden = s
        .call("GET", "/api/v1/maps/m/interactions/i2", viewer, None)
        .await;
    assert_eq!(hidden.status, 404);
    assert!(!hidden.text().contains("Vertrouwelijk"));
    // A viewer may not write.
    let r = s
        .call(
            "POST",
            "/api/v1/maps/m/interactions",
            viewer,
            Some(json!({"date": "2026-03-02", "title": "x", "actors": ["a"]})),
        )
        .await;
    assert_eq!(r.status, 403);

    // Filters: by actor and by team member.
    let r = s
        .call("GET", "/api/v1/maps/m/interactions?actor=b", admin, None)
        .await;
    assert_eq!(r.json()["total"], 1);
    assert_eq!(r.json()["items"][0]["id"], "i2");
    let r = s
        .call("GET", "/api/v1/maps/m/interactions?owner=Ann", admin, None)
        .await;
    assert_eq!(r.json()["total"], 1);
    // A filter the kind does not have is a 400 naming it.
    let r = s
        .call(
            "GET",
            "/api/v1/maps/m/interactions?status=open",
            admin,
            None,
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("status"));

    // Every field error at once, each named; a missing actor is a broken reference.
    let r = s
        .call(
            "POST",
            "/api/v1/maps/m/interactions",
            admin,
            Some(
                json!({"date": "2026-03-02", "title": "", "actors": ["ghost"],
                        "narratives": ["nowhere"]}),
            ),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    let fields: Vec<String> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    for f in ["title", "actors", "narratives"] {
        assert!(
            fields.iter().any(|x| x.starts_with(f)),
            "{f} not in {fields:?}"
        );
    }
    // An unknown field is refused, naming it.
    let r = s
        .call(
            "PATCH",
            "/api/v1/maps/m/interactions/i1",
            admin,
            Some(json!({"mood": "good"})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("mood"));
    s.stop().await;
}

#[tokio::test]
async fn commitments_and_plan_items_update_with_if_match_and_settle_their_dates() {
    let (s, t) = server().await;
    let admin = Some(t.admin.as_str());

    // Closing a commitment sets closed_on; the ETag changes.
    let k1 = s
        .call("GET", "/api/v1/maps/m/commitments/k1", admin, None)
        .await;
    let tag = k1.header("etag").unwrap();
    let r = s
        .call(
            "PATCH",
            "/api/v1/maps/m/commitments/k1",
            admin,
            Some(json!({"status": "done"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["closed_on"].is_string());
    assert_ne!(r.header("etag").unwrap(), tag);
    // The stale tag is refused by the store at the moment of writing.
    let stale = s
        .raw(
            "PATCH",
            "/api/v1/maps/m/commitments/k1",
            &[
                ("content-type", "application/json"),
                ("if-match", tag.as_str()),
                ("authorization", &format!("Bearer {}", t.admin)),
            ],
            br#"{"status": "open"}"#.to_vec(),
        )
        .await;
    assert_eq!(stale.status, 412, "{}", stale.text());
    assert_eq!(stale.code(), "precondition_failed");
    let r = s
        .call("GET", "/api/v1/maps/m/commitments?status=done", admin, None)
        .await;
    assert_eq!(r.json()["total"], 1);
    let r = s
        .call(
            "GET",
            "/api/v1/maps/m/commitments?status=finished",
            admin,
            None,
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.text());

    // A plan item marked done gets done_on; an unknown status names the field.
    let r = s
        .call(
            "PATCH",
            "/api/v1/maps/m/plan/p1",
            admin,
            Some(json!({"status": "done"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["done_on"].is_string());
    let r = s
        .call(
            "PATCH",
            "/api/v1/maps/m/plan/p1",
            admin,
            Some(json!({"status": "finished"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(r.field(), "status");
    // Deleting an interaction removes it from the commitments naming it.
    let r = s
        .call(
            "PATCH",
            "/api/v1/maps/m/commitments/k1",
            admin,
            Some(json!({"interaction": "i1"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = s
        .call("DELETE", "/api/v1/maps/m/interactions/i1", admin, None)
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let k1 = s
        .call("GET", "/api/v1/maps/m/commitments/k1", admin, None)
        .await;
    assert!(k1.json()["interaction"].is_null(), "{}", k1.text());
    s.stop().await;
}

#[tokio::test]
async fn adopting_an_action_copies_its_gain_and_strength() {
    let (s, t) = server().await;
    let admin = Some(t.admin.as_str());
    let analysis = s
        .call("GET", "/api/v1/maps/m/analysis", admin, None)
        .await
        .json();
    let action = analysis["actions"][0].clone();
    let id = action["id"].as_str().unwrap();
    let r = s
        .call(
            "POST",
            "/api/v1/maps/m/plan/adopt",
            admin,
            Some(json!({"action": id, "owner": "Ann", "due": "2026-06-01"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let item = r.json();
    assert_eq!(item["id"], "p2");
    assert_eq!(item["status"], "planned");
    assert_eq!(item["owner"], "Ann");
    assert_eq!(item["due"], "2026-06-01");
    assert_eq!(item["kind"], action["kind"]);
    assert_eq!(item["targets"], action["targets"]);
    assert_eq!(item["simulated_gain"], action["expected_gain"]);
    assert_eq!(item["rationale"], action["rationale"]);
    assert_eq!(
        item["strength_at_adoption"],
        analysis["transition"]["metrics"]["strength"]
    );
    assert_eq!(r.header("location").unwrap(), "/api/v1/maps/m/plan/p2");
    // The plan lists it; the next analysis reports it.
    let plan = s.call("GET", "/api/v1/maps/m/plan", admin, None).await;
    assert_eq!(plan.json()["total"], 2);
    let after = s
        .call("GET", "/api/v1/maps/m/analysis", admin, None)
        .await
        .json();
    assert!(after["plan"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == "p2"));

    // Unknown action, bad date: 422 naming the field.
    let r = s
        .call(
            "POST",
            "/api/v1/maps/m/plan/adopt",
            admin,
            Some(json!({"action": "a999"})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "action");
    let r = s
        .call(
            "POST",
            "/api/v1/maps/m/plan/adopt",
            admin,
            Some(json!({"action": id, "due": "next week"})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), "due");
    // A viewer may not adopt.
    let r = s
        .call(
            "POST",
            "/api/v1/maps/m/plan/adopt",
            Some(t.viewer.as_str()),
            Some(json!({"action": id})),
        )
        .await;
    assert_eq!(r.status, 403);
    s.stop().await;
}
