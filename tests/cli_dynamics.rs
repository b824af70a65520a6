//! `vertoog dynamics` and `vertoog diff` end to end on the demo map (dynamics.md).

mod common;

use common::Vertoog;
use serde_json::Value;

fn demo() -> Vertoog {
    let v = Vertoog::new();
    v.import_demo("demo");
    v
}

#[test]
fn the_demo_map_shows_a_defection_and_a_class_switch() {
    let v = demo();
    let d = v.run(&["dynamics", "--map", "demo", "--json"]).ok().json();
    assert_eq!(d["map"], "demo");
    assert_eq!(d["period"], "quarter");
    assert_eq!(d["window"], 4);
    let events = d["events"].as_array().unwrap();
    for kind in ["defected", "switched", "joined", "born"] {
        let e = events
            .iter()
            .find(|e| e["type"] == kind)
            .unwrap_or_else(|| panic!("no {kind} event"));
        assert!(e["window"].as_str().unwrap().starts_with("20"));
    }
    let first = d["windows"][0]["label"].as_str().unwrap();
    let last = d["windows"].as_array().unwrap().last().unwrap()["label"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(first.starts_with("2015"), "{first}");
    assert!(last.starts_with("2026"), "{last}");
    // Readable reports in both languages; events most recent first.
    let en = v.run(&["dynamics", "--map", "demo"]).ok().stdout;
    assert!(en.contains("Events (most recent first)"));
    assert!(en.contains("defected"));
    let nl = v
        .run(&["dynamics", "--map", "demo", "--lang", "nl", "--period", "year"])
        .ok()
        .stdout;
    assert!(nl.contains("Gebeurtenissen"));
    assert!(nl.contains("overgelopen"));
    let e = v
        .run(&["dynamics", "--map", "demo", "--window", "zero"])
        .fails_with(2);
    assert!(e.stderr.contains("--window"), "{}", e.stderr);
}

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

#[test]
fn diff_equals_the_difference_of_two_analyses() {
    let v = demo();
    let (from, to) = ("2019-06-30", "2025-03-31");
    let d = v
        .run(&["diff", "--map", "demo", "--from", from, "--to", to, "--json"])
        .ok()
        .json();
    let a = v
        .run(&["analyse", "--map", "demo", "--to", from, "--json"])
        .ok()
        .json();
    let b = v
        .run(&["analyse", "--map", "demo", "--to", to, "--json"])
        .ok()
        .json();
    assert_eq!(d["from"], from);
    assert_eq!(d["to"], to);
    let (ma, mb) = (&a["transition"]["metrics"], &b["transition"]["metrics"]);
    assert_eq!(d["strength"]["before"], ma["strength"]);
    assert_eq!(d["strength"]["after"], mb["strength"]);
    let change = num(&mb["strength"]).unwrap() - num(&ma["strength"]).unwrap();
    assert!((num(&d["strength"]["change"]).unwrap() - change).abs() < 1e-12);
    for k in [
        "influence_share",
        "breadth",
        "discourse_cohesion",
        "connectedness",
        "narrative_support",
    ] {
        assert_eq!(d["components"][k]["before"], ma[k], "{k}");
        assert_eq!(d["components"][k]["after"], mb[k], "{k}");
    }
    // Class changes: exactly the actors in different lists.
    let class_of = |x: &Value| -> std::collections::BTreeMap<String, String> {
        let mut m = std::collections::BTreeMap::new();
        for (list, name) in [
            ("supporters", "supporter"),
            ("opponents", "opponent"),
            ("undecided", "undecided"),
            ("silent", "silent"),
        ] {
            for id in x["transition"][list].as_array().unwrap() {
                m.insert(id.as_str().unwrap().to_string(), name.to_string());
            }
        }
        m
    };
    let (ca, cb) = (class_of(&a), class_of(&b));
    let expected: Vec<(String, String, String)> = cb
        .iter()
        .filter_map(|(id, c)| {
            let before = ca.get(id)?;
            (before != c).then(|| (id.clone(), before.clone(), c.clone()))
        })
        .collect();
    let got: Vec<(String, String, String)> = d["class_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["actor"].as_str().unwrap().into(),
                c["from"].as_str().unwrap().into(),
                c["to"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    assert!(!got.is_empty());
    // Gaps: opened = in b, not in a (by type and subjects); closed the other way.
    let key = |g: &Value| (g["type"].to_string(), g["subjects"].to_string());
    let ka: Vec<_> = a["gaps"].as_array().unwrap().iter().map(key).collect();
    let kb: Vec<_> = b["gaps"].as_array().unwrap().iter().map(key).collect();
    let opened: Vec<_> = kb.iter().filter(|k| !ka.contains(k)).cloned().collect();
    let closed: Vec<_> = ka.iter().filter(|k| !kb.contains(k)).cloned().collect();
    let g = |f: &str| -> Vec<_> { d[f].as_array().unwrap().iter().map(key).collect() };
    assert_eq!(g("gaps_opened"), opened);
    assert_eq!(g("gaps_closed"), closed);
    assert!(d["stances_added"].as_u64().unwrap() > 0);
    assert_eq!(d["plan_done"], serde_json::json!([]));
    for k in ["coalition_moves", "ties_added", "ties_removed"] {
        assert!(d[k].is_array(), "{k}");
    }
    let text = v
        .run(&["diff", "--map", "demo", "--from", from, "--to", to, "--lang", "nl"])
        .ok()
        .stdout;
    assert!(text.contains("Wat veranderde in demo"));
    let e = v
        .run(&["diff", "--map", "demo", "--from", to, "--to", from])
        .fails_with(2);
    assert!(e.stderr.contains("--from"), "{}", e.stderr);
}
