//! The server's re-analysis after an edit (issue 22; docs/decisions.md, "Re-analysis after an
//! edit"): what an edit cannot have changed is taken over from the previous version's
//! analysis, and the answer is byte-identical to a full analysis of the edited map.

use crate::common;

use std::sync::Arc;

use serde_json::json;
use vertoog_analysis::{analyse_lang, Lang, Window};
use vertoog_generate::{generate, Class};
use vertoog_model::{Map, Stance, Tie, TieKind};
use vertoog_server::{AnalysisCache, AnalysisKey};
use vertoog_store::{ImportOptions, OnDuplicate, Store};

fn key(map: &str, lang: Lang) -> AnalysisKey {
    AnalysisKey {
        map: map.into(),
        window: Window::default(),
        overrides: "{}".into(),
        lang,
    }
}

/// Imports the generated S map of `seed` as map `s`.
fn import_s(store: &Store, seed: u64) {
    let options = ImportOptions {
        on_duplicate: OnDuplicate::Keep,
        apply_map_fields: false,
    };
    store
        .create_map_and_import(
            Map::new("s"),
            generate(Class::S, seed).bundle,
            options,
            "test",
        )
        .unwrap();
}

/// The full analysis of the stored map, as the cache would send it.
fn full_json(store: &Store, map: &str, lang: Lang) -> Vec<u8> {
    let bundle = store.load(map).unwrap();
    let settings = bundle.map.settings.with_overrides(&json!({})).unwrap();
    serde_json::to_vec(&analyse_lang(&bundle, &settings, Window::default(), lang)).unwrap()
}

/// The analysis right after an edit (what `GET .../analysis` answers at once), then the full
/// one, which must be byte-identical to a full analysis of the stored map. Returns the parts
/// the first answer took over and whether it was provisional.
async fn check(
    cache: &AnalysisCache,
    store: &Arc<Store>,
    map: &str,
    lang: Lang,
    step: &str,
) -> (Vec<&'static str>, Vec<String>) {
    let now = cache.get(store, key(map, lang), json!({})).await.unwrap();
    let settled = cache
        .get_settled(store, key(map, lang), json!({}))
        .await
        .unwrap();
    let full = full_json(store, map, lang);
    assert!(
        settled.json.as_ref() == full.as_slice(),
        "{step}: the incremental analysis differs from the full one"
    );
    assert!(settled.analysis.provisional.is_empty(), "{step}");
    // Once settled, `get` answers the full analysis too.
    let again = cache.get(store, key(map, lang), json!({})).await.unwrap();
    assert!(again.json == settled.json, "{step}");
    let provisional = now.analysis.provisional.clone();
    let v: serde_json::Value = serde_json::from_slice(&now.json).unwrap();
    assert_eq!(
        v.get("provisional").is_some(),
        !provisional.is_empty(),
        "{step}"
    );
    if provisional.is_empty() {
        assert!(now.json == settled.json, "{step}");
    } else {
        // A provisional answer is a whole analysis of the edited map: T and the stakeholders
        // are computed on it; only the coalitions or the betweenness may differ.
        let f: serde_json::Value = serde_json::from_slice(&full).unwrap();
        assert_eq!(
            v["transition"]["supporters"], f["transition"]["supporters"],
            "{step}"
        );
        assert_eq!(v["stakeholders"], f["stakeholders"], "{step}");
    }
    (now.reused.clone(), provisional)
}

#[tokio::test]
async fn incremental_analysis_after_edits_equals_the_full_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path()).unwrap());
    import_s(&store, 4);
    let cache = AnalysisCache::new();
    let lang = Lang::Nl;

    let (first, provisional) = check(&cache, &store, "s", lang, "first").await;
    assert!(first.is_empty() && provisional.is_empty(), "{first:?}");

    // A stance edit: the ties are unchanged, so the structures are taken over.
    let b = store.load("s").unwrap();
    let mut st = b.stances[10].clone();
    st.position = if st.position > 0 { -2 } else { 2 };
    store
        .update_stance("s", &st.id.clone(), st, "test")
        .unwrap();
    // The first answer is provisional: the detection starts from the previous coalitions and
    // the discourse network is updated in the edited actor's row only.
    let (r, provisional) = check(&cache, &store, "s", lang, "stance edit").await;
    assert_eq!(provisional, vec!["coalitions"]);
    assert_eq!(
        r,
        vec![
            "structure",
            "transition.structure",
            "coalitions.start",
            "discourse",
            "facts"
        ]
    );

    // A tie edit: the stances are unchanged, so the detected coalitions are taken over.
    let t = Tie::new(
        "",
        &b.actors[3].id,
        &b.actors[250].id,
        TieKind::Collaboration,
    );
    let tie = store.create_tie("s", t, "test").unwrap();
    let (r, provisional) = check(&cache, &store, "s", lang, "tie added").await;
    // A tie edit: w and the coalitions are taken over; the betweenness of the whole map is
    // taken from before the edit in the first answer (provisional) and computed in the full.
    // The simulations' facts of induced member sets are taken over where the edit left their
    // subgraph alone (the settled answer equals the full analysis all the same).
    assert_eq!(
        r,
        vec!["coalitions", "discourse", "facts", "structure.betweenness"]
    );
    assert_eq!(provisional, vec!["structure.betweenness"]);

    // Several stance edits in a row, one of them a new stance and one a deletion.
    for (i, a) in [(7usize, 1i8), (120, -1), (299, 2)] {
        let s = Stance::new("", &b.actors[i].id, &b.narratives[i % 40].id, a);
        store.create_stance("s", s, "test").unwrap();
        let (r, provisional) = check(&cache, &store, "s", lang, &format!("stance on {i}")).await;
        assert!(
            r.contains(&"structure") && r.contains(&"coalitions.start"),
            "{r:?}"
        );
        assert_eq!(provisional, vec!["coalitions"]);
    }
    store.delete_stance("s", &b.stances[20].id, "test").unwrap();
    let (r, provisional) = check(&cache, &store, "s", lang, "stance deleted").await;
    assert!(r.contains(&"structure") && !provisional.is_empty(), "{r:?}");

    // An actor edit that touches neither stances nor ties: everything is taken over.
    let mut a = store.load("s").unwrap().actors[5].clone();
    a.influence = 0.99;
    store.update_actor("s", &a.id.clone(), a, "test").unwrap();
    let (r, _) = check(&cache, &store, "s", lang, "actor edit").await;
    assert_eq!(
        r,
        vec![
            "structure",
            "transition.structure",
            "coalitions",
            "discourse",
            "facts"
        ]
    );

    // A tie removed, then a settings change (nothing may be taken over).
    store.delete_tie("s", &tie.id, "test").unwrap();
    let (r, _) = check(&cache, &store, "s", lang, "tie deleted").await;
    assert_eq!(
        r,
        vec!["coalitions", "discourse", "facts", "structure.betweenness"]
    );
    let mut m = store.load("s").unwrap().map;
    m.settings.resolution = 1.2;
    store.update_map(m, "test").unwrap();
    let (r, provisional) = check(&cache, &store, "s", lang, "settings changed").await;
    assert!(r.is_empty() && provisional.is_empty(), "{r:?}");
}

/// Edits in a burst: each answer right after an edit starts from the one before (provisional
/// or not), the full analyses of versions already replaced are skipped, and the last one
/// settles to the full analysis of the stored map.
#[tokio::test]
async fn a_burst_of_edits_settles_to_the_full_analysis_of_the_last_version() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path()).unwrap());
    import_s(&store, 3);
    let cache = AnalysisCache::new();
    cache
        .get(&store, key("s", Lang::En), json!({}))
        .await
        .unwrap();
    let b = store.load("s").unwrap();
    for (k, i) in [5usize, 50, 95, 140].into_iter().enumerate() {
        let mut st = b.stances[i].clone();
        st.position = if st.position > 0 { -1 } else { 1 };
        store
            .update_stance("s", &st.id.clone(), st, "test")
            .unwrap();
        if k == 2 {
            // A tie edit in between: the betweenness is provisional too.
            let t = Tie::new("", &b.actors[1].id, &b.actors[200].id, TieKind::Funding);
            store.create_tie("s", t, "test").unwrap();
        }
        let now = cache
            .get(&store, key("s", Lang::En), json!({}))
            .await
            .unwrap();
        assert!(!now.analysis.provisional.is_empty(), "edit {k}");
    }
    let (_, provisional) = check(&cache, &store, "s", Lang::En, "after the burst").await;
    assert!(!provisional.is_empty());
}

/// Over HTTP: right after a stance edit `GET .../analysis` answers a provisional analysis at
/// once, and polling ends in the full analysis,
/// byte-identical to a fresh analysis of the stored map.
#[tokio::test]
async fn over_http_the_answer_after_an_edit_is_provisional_then_full() {
    let s = common::start_config(
        |store| {
            import_s(store, 2);
        },
        |_| {},
    )
    .await;
    let first = s.call("GET", "/api/v1/maps/s/analysis", None, None).await;
    assert_eq!(first.status, 200);
    assert!(first.json().get("provisional").is_none());

    let stance = s.store.load("s").unwrap().stances[3].clone();
    let flipped = if stance.position > 0 { -2 } else { 2 };
    let r = s
        .call(
            "PATCH",
            &format!("/api/v1/maps/s/stances/{}", stance.id),
            None,
            Some(json!({ "position": flipped })),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let now = s.call("GET", "/api/v1/maps/s/analysis", None, None).await;
    assert_eq!(now.status, 200);
    assert_eq!(
        now.json()["provisional"],
        json!(["coalitions"]),
        "the first answer after the edit"
    );

    let full = full_json(&s.store, "s", Lang::En);
    let mut settled = None;
    for _ in 0..600 {
        let r = s.call("GET", "/api/v1/maps/s/analysis", None, None).await;
        if r.json().get("provisional").is_none() {
            settled = Some(r.body);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let settled = settled.expect("the full analysis arrives");
    assert!(
        settled == full,
        "the settled answer differs from a full analysis"
    );
}
