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
        .run(&[
            "dynamics", "--map", "demo", "--lang", "nl", "--period", "year",
        ])
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
        .run(&[
            "diff", "--map", "demo", "--from", from, "--to", to, "--json",
        ])
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
        .run(&[
            "diff", "--map", "demo", "--from", from, "--to", to, "--lang", "nl",
        ])
        .ok()
        .stdout;
    assert!(text.contains("Wat veranderde in demo"));
    let e = v
        .run(&["diff", "--map", "demo", "--from", to, "--to", from])
        .fails_with(2);
    assert!(e.stderr.contains("--from"), "{}", e.stderr);
}

/// Whether `program` runs; without it the test is skipped, except under CI (which installs
/// it: .ci/run).
fn have(program: &str, args: &[&str]) -> bool {
    let ok = std::process::Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs it: `{program} {}` must run",
            args.join(" ")
        );
        eprintln!("skipped: `{program}` is not available");
    }
    ok
}

#[test]
fn dynamic_gexf_is_relaxng_valid_and_read_by_networkx() {
    let v = demo();
    let out = v.path("demo-dynamic.gexf");
    v.run(&[
        "export",
        "--map",
        "demo",
        "--format",
        "gexf",
        "--dynamic",
        "--out",
        out.to_str().unwrap(),
    ])
    .ok();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("mode=\"dynamic\""));
    assert!(text.contains("<spell start="));
    assert!(text.contains("for=\"lineage\""));
    let e = v
        .run(&[
            "export",
            "--map",
            "demo",
            "--format",
            "graphml",
            "--dynamic",
        ])
        .fails_with(2);
    assert!(e.stderr.contains("--dynamic"), "{}", e.stderr);

    if have("xmllint", &["--version"]) {
        let rng = common::test_data("gexf/gexf.rng");
        let r = std::process::Command::new("xmllint")
            .args(["--noout", "--relaxng"])
            .arg(&rng)
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            r.status.success(),
            "not valid GEXF 1.3:\n{}",
            String::from_utf8_lossy(&r.stderr)
        );
        // The schema does reject a broken document (the check is not vacuous).
        let bad = v.path("bad.gexf");
        std::fs::write(&bad, text.replace("<spell start=", "<spel start=")).unwrap();
        let r = std::process::Command::new("xmllint")
            .args(["--noout", "--relaxng"])
            .arg(&rng)
            .arg(&bad)
            .output()
            .unwrap();
        assert!(!r.status.success());
    }
    if have("python3", &["-c", "import networkx"]) {
        let script = common::root().join("tests/read_dynamic_gexf.py");
        let r = std::process::Command::new("python3")
            .arg(&script)
            .arg(&out)
            .output()
            .unwrap();
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        let g: Value = serde_json::from_slice(&r.stdout).unwrap();
        assert_eq!(g["mode"], "dynamic");
        // Cross-check with the dynamics: every actor ever present is a node, with a spell
        // ending at each window end where it is present and in a lineage.
        let d = v.run(&["dynamics", "--map", "demo", "--json"]).ok().json();
        let nodes = g["nodes"].as_object().unwrap();
        let mut present = std::collections::BTreeSet::new();
        for w in d["windows"].as_array().unwrap() {
            let end = w["end"].as_str().unwrap();
            for c in w["coalitions"].as_array().unwrap() {
                for m in c["members"].as_array().unwrap() {
                    let m = m.as_str().unwrap();
                    present.insert(m.to_string());
                    let node = &nodes[m];
                    let covered =
                        node["spells"].as_array().unwrap().iter().any(|s| {
                            s[0].as_str().unwrap() <= end && end <= s[1].as_str().unwrap()
                        });
                    assert!(covered, "{m} at {end}: {node}");
                    if let Some(l) = c["lineage"].as_str() {
                        let has = node["lineage"].as_array().unwrap().iter().any(|x| {
                            x[0] == l
                                && x[1].as_str().unwrap() <= end
                                && end <= x[2].as_str().unwrap()
                        });
                        assert!(has, "{m} in {l} at {end}: {node}");
                    }
                }
            }
        }
        assert_eq!(nodes.len(), present.len());
        assert!(!g["edges"].as_array().unwrap().is_empty());
    }
}
