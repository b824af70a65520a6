//! `vertoog plan best` and `vertoog coalition name` through the real binary on the demo map
//! (issue 18): the same plan as `analyse --json`, another budget, the report's plan section
//! in both languages, and a coalition name stored with the map.

mod common;

use common::Vertoog;

fn demo() -> Vertoog {
    let v = Vertoog::new();
    v.import_demo("demo");
    v
}

#[test]
fn plan_best_matches_the_analysis_and_follows_the_budget() {
    let v = demo();
    let a = v.run(&["analyse", "--map", "demo", "--json"]).ok().json();
    let p = v
        .run(&["plan", "best", "--map", "demo", "--json"])
        .ok()
        .json();
    assert_eq!(p, a["best_plan"]);
    assert_eq!(p["budget"], 6);
    assert!(!p["steps"].as_array().unwrap().is_empty());
    let sum: f64 = p["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["marginal_gain"].as_f64().unwrap())
        .sum();
    assert!((sum - p["plan_gain"].as_f64().unwrap()).abs() < 1e-9);
    let zero = v
        .run(&["plan", "best", "--map", "demo", "--budget", "0", "--json"])
        .ok()
        .json();
    assert_eq!(zero["steps"], serde_json::json!([]));
    let one = v
        .run(&["plan", "best", "--map", "demo", "--budget", "1", "--json"])
        .ok()
        .json();
    assert!(one["effort"].as_u64().unwrap() <= 1);
    // Text: the steps and the overlap line, in English and Dutch.
    let text = v.run(&["plan", "best", "--map", "demo"]).ok().stdout;
    assert!(text.contains("Best plan (budget 6)"), "{text}");
    assert!(text.contains("the single gains added up"), "{text}");
    let report = v
        .run(&["analyse", "--map", "demo", "--lang", "nl"])
        .ok()
        .stdout;
    assert!(report.contains("Beste plan (budget 6)"), "{report}");
    assert!(report.contains("voor: "), "{report}");
    v.run(&["plan", "best", "--map", "nope"]).fails_with(2);
}

#[test]
fn coalition_name_is_stored_and_shown() {
    let v = demo();
    let a = v.run(&["analyse", "--map", "demo", "--json"]).ok().json();
    assert!(a["coalitions"][0]["name"]
        .as_str()
        .unwrap()
        .starts_with("for: "));
    v.run(&["coalition", "name", "--map", "demo", "c1", "Kopgroep"])
        .ok();
    let a = v.run(&["analyse", "--map", "demo", "--json"]).ok().json();
    assert_eq!(a["coalitions"][0]["name"], "Kopgroep");
    assert_eq!(a["coalitions"][0]["named_by"], "user");
    let text = v.run(&["analyse", "--map", "demo"]).ok().stdout;
    assert!(text.contains("c1 \"Kopgroep\""), "{text}");
    v.run(&["coalition", "name", "--map", "demo", "c99", "X"])
        .fails_with(2);
}
