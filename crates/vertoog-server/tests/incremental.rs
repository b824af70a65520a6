//! The server's re-analysis after an edit (issue 22; docs/decisions.md, "Re-analysis after an
//! edit"): what an edit cannot have changed is taken over from the previous version's
//! analysis, and the answer is byte-identical to a full analysis of the edited map.

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

/// The full analysis of the stored map, as the cache would send it.
fn full_json(store: &Store, map: &str, lang: Lang) -> Vec<u8> {
    let bundle = store.load(map).unwrap();
    let settings = bundle.map.settings.with_overrides(&json!({})).unwrap();
    serde_json::to_vec(&analyse_lang(&bundle, &settings, Window::default(), lang)).unwrap()
}

async fn check(
    cache: &AnalysisCache,
    store: &Arc<Store>,
    map: &str,
    lang: Lang,
    step: &str,
) -> Vec<&'static str> {
    let got = cache.get(store, key(map, lang), json!({})).await.unwrap();
    let full = full_json(store, map, lang);
    assert!(
        got.json.as_ref() == full.as_slice(),
        "{step}: the incremental analysis differs from the full one"
    );
    got.reused.clone()
}

#[tokio::test]
async fn incremental_analysis_after_edits_equals_the_full_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path()).unwrap());
    let g = generate(Class::S, 4).bundle;
    store
        .create_map_and_import(
            Map::new("s"),
            g,
            ImportOptions {
                on_duplicate: OnDuplicate::Keep,
                apply_map_fields: false,
            },
            "test",
        )
        .unwrap();
    let cache = AnalysisCache::new();
    let lang = Lang::Nl;

    let first = check(&cache, &store, "s", lang, "first").await;
    assert!(first.is_empty(), "{first:?}");

    // A stance edit: the ties are unchanged, so the structures are taken over.
    let b = store.load("s").unwrap();
    let mut st = b.stances[10].clone();
    st.position = if st.position > 0 { -2 } else { 2 };
    store
        .update_stance("s", &st.id.clone(), st, "test")
        .unwrap();
    let r = check(&cache, &store, "s", lang, "stance edit").await;
    assert!(
        r.contains(&"structure") && !r.contains(&"coalitions"),
        "{r:?}"
    );

    // A tie edit: the stances are unchanged, so the detected coalitions are taken over.
    let t = Tie::new(
        "",
        &b.actors[3].id,
        &b.actors[250].id,
        TieKind::Collaboration,
    );
    let tie = store.create_tie("s", t, "test").unwrap();
    let r = check(&cache, &store, "s", lang, "tie added").await;
    assert_eq!(r, vec!["coalitions"]);

    // Several stance edits in a row, one of them a new stance and one a deletion.
    for (i, a) in [(7usize, 1i8), (120, -1), (299, 2)] {
        let s = Stance::new("", &b.actors[i].id, &b.narratives[i % 40].id, a);
        store.create_stance("s", s, "test").unwrap();
        let r = check(&cache, &store, "s", lang, &format!("stance on {i}")).await;
        assert!(r.contains(&"structure"), "{r:?}");
    }
    store.delete_stance("s", &b.stances[20].id, "test").unwrap();
    let r = check(&cache, &store, "s", lang, "stance deleted").await;
    assert!(r.contains(&"structure"), "{r:?}");

    // An actor edit that touches neither stances nor ties: everything is taken over.
    let mut a = store.load("s").unwrap().actors[5].clone();
    a.influence = 0.99;
    store.update_actor("s", &a.id.clone(), a, "test").unwrap();
    let r = check(&cache, &store, "s", lang, "actor edit").await;
    assert_eq!(r, vec!["structure", "transition.structure", "coalitions"]);

    // A tie removed, then a settings change (nothing may be taken over).
    store.delete_tie("s", &tie.id, "test").unwrap();
    let r = check(&cache, &store, "s", lang, "tie deleted").await;
    assert_eq!(r, vec!["coalitions"]);
    let mut m = store.load("s").unwrap().map;
    m.settings.resolution = 1.2;
    store.update_map(m, "test").unwrap();
    let r = check(&cache, &store, "s", lang, "settings changed").await;
    assert!(r.is_empty(), "{r:?}");
}
