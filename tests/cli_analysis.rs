//! End-to-end tests of `analyse`, `whatif`, `timeline` and the graph exports through the real
//! binary: the JSON contract of docs/interfaces.md, the demo map's gaps and actions, the reference
//! data sets (DNA sample, Read's highland tribes).

mod common;

use std::collections::BTreeSet;

use common::{test_data, Vertoog};
use serde_json::Value;

const METRICS: [&str; 14] = [
    "size",
    "influence",
    "influence_share",
    "breadth",
    "evenness",
    "discourse_cohesion",
    "connectedness",
    "weighted_density",
    "clustering",
    "components",
    "bridges",
    "articulation_points",
    "narrative_support",
    "strength",
];

fn demo() -> Vertoog {
    let v = Vertoog::new();
    v.import_demo("demo");
    v
}

fn has_keys(v: &Value, keys: &[&str], what: &str) {
    for k in keys {
        assert!(v.get(k).is_some(), "{what} lacks `{k}`: {v}");
    }
}

#[test]
fn analyse_json_has_the_shape_of_interfaces_md() {
    let v = demo();
    let a = v.run(&["analyse", "--map", "demo", "--json"]).ok().json();
    has_keys(
        &a,
        &[
            "map",
            "window",
            "settings",
            "coalitions",
            "modularity",
            "transition",
            "structure",
            "gaps",
            "actions",
        ],
        "analysis",
    );
    assert_eq!(a["map"], "demo");
    assert!(a["window"]["from"].is_null() && a["window"]["to"].is_null());
    let c = &a["coalitions"][0];
    has_keys(
        c,
        &["id", "members", "modularity_share", "storyline", "metrics"],
        "coalition",
    );
    assert_eq!(c["id"], "c1");
    has_keys(
        &c["storyline"][0],
        &["narrative", "mean_position", "coverage", "sd"],
        "storyline",
    );
    has_keys(&c["metrics"], &METRICS, "coalition metrics");
    let t = &a["transition"];
    has_keys(
        t,
        &[
            "supporters",
            "opponents",
            "undecided",
            "silent",
            "metrics",
            "dominance",
        ],
        "transition",
    );
    has_keys(&t["metrics"], &METRICS, "transition metrics");
    assert!(t["metrics"]["strength"].as_f64().unwrap() > 0.0);
    has_keys(
        &a["structure"],
        &[
            "bridges",
            "articulation_points",
            "betweenness",
            "betweenness_exact",
            "constraint",
            "effective_size",
            "components",
        ],
        "structure",
    );
    let g = &a["gaps"][0];
    has_keys(
        g,
        &["id", "type", "severity", "subjects", "evidence", "message"],
        "gap",
    );
    let act = &a["actions"][0];
    has_keys(
        act,
        &[
            "id",
            "kind",
            "targets",
            "messenger",
            "narrative",
            "gaps",
            "rationale",
            "lesson",
            "effort",
            "expected_gain",
            "priority",
        ],
        "action",
    );
    assert!(a["actions"].as_array().unwrap().len() <= 20);
    // Lists are sorted: supporters by id.
    let sup: Vec<&str> = t["supporters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let mut sorted = sup.clone();
    sorted.sort();
    assert_eq!(sup, sorted);
}

#[test]
fn the_demo_map_exercises_every_gap_type() {
    let v = demo();
    let a = v.run(&["analyse", "--map", "demo", "--json"]).ok().json();
    let types: BTreeSet<&str> = a["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["type"].as_str().unwrap())
        .collect();
    for t in [
        "missing-domain",
        "weak-domain",
        "latent-ally",
        "isolated-supporter",
        "bridge",
        "broker-dependency",
        "fragmented-coalition",
        "swing-actor",
        "strong-opponent",
        "negative-dominance",
        "unchampioned-narrative",
        "dormant",
    ] {
        assert!(
            types.contains(t),
            "the demo map has no `{t}` gap: {types:?}"
        );
    }
    let missing = a["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["type"] == "missing-domain")
        .unwrap();
    assert_eq!(missing["subjects"][0], "science");
    let negative = a["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["type"] == "negative-dominance")
        .unwrap();
    assert_eq!(negative["subjects"][0], "central-facilities");
}

#[test]
fn analysis_is_identical_on_repeated_runs() {
    let v = demo();
    let a = v.run(&["analyse", "--map", "demo", "--json"]).ok().stdout;
    let b = v.run(&["analyse", "--map", "demo", "--json"]).ok().stdout;
    assert_eq!(a, b);
}

#[test]
fn the_text_report_reads_in_english_and_dutch() {
    let v = demo();
    let en = v.run(&["analyse", "--map", "demo"]).ok().stdout;
    for s in [
        "Transition coalition",
        "Strength",
        "Gaps",
        "Actions",
        "Logius – VNG Realisatie",
    ] {
        assert!(en.contains(s), "English report lacks `{s}`");
    }
    let nl = v
        .run(&["analyse", "--map", "demo", "--lang", "nl"])
        .ok()
        .stdout;
    assert_ne!(en, nl);
    assert!(
        nl.contains("Sterkte") || nl.contains("sterkte"),
        "Dutch report: {}",
        &nl[..nl.len().min(400)]
    );
}

#[test]
fn settings_file_and_flags_override_the_map_settings() {
    let v = demo();
    let file = v.path("settings.json");
    std::fs::write(
        &file,
        r#"{"required_domains": ["ministry", "municipality"], "weights": {"breadth": 0.5}}"#,
    )
    .unwrap();
    let a = v
        .run(&[
            "analyse",
            "--map",
            "demo",
            "--json",
            "--settings",
            file.to_str().unwrap(),
            "--resolution",
            "0.5",
        ])
        .ok()
        .json();
    assert_eq!(
        a["settings"]["required_domains"],
        serde_json::json!(["ministry", "municipality"])
    );
    assert_eq!(a["settings"]["weights"]["breadth"], 0.5);
    assert_eq!(a["settings"]["resolution"], 0.5);
    assert_eq!(a["transition"]["metrics"]["breadth"], 1.0);
    std::fs::write(&file, r#"{"treshold": 0.3}"#).unwrap();
    let run = v
        .run(&[
            "analyse",
            "--map",
            "demo",
            "--settings",
            file.to_str().unwrap(),
        ])
        .fails_with(2);
    assert!(run.stderr.contains("treshold"), "{}", run.stderr);
    let run = v
        .run(&["analyse", "--map", "demo", "--from", "2024-13-01"])
        .fails_with(2);
    assert!(run.stderr.contains("--from"), "{}", run.stderr);
}

#[test]
fn an_actions_expected_gain_equals_the_whatif_difference() {
    let v = demo();
    let a = v.run(&["analyse", "--map", "demo", "--json"]).ok().json();
    let mut checked = BTreeSet::new();
    for action in a["actions"].as_array().unwrap() {
        let Some(gain) = action["expected_gain"].as_f64() else {
            continue;
        };
        let kind = action["kind"].as_str().unwrap().to_string();
        if !checked.insert(kind) {
            continue;
        }
        let file = v.path("changes.json");
        std::fs::write(
            &file,
            serde_json::json!({"changes": action["changes"]}).to_string(),
        )
        .unwrap();
        let w = v
            .run(&["whatif", "--map", "demo", file.to_str().unwrap(), "--json"])
            .ok()
            .json();
        let diff = w["difference"]["strength"].as_f64().unwrap();
        assert!(
            (diff - gain).abs() < 1e-9,
            "action {}: gain {gain} but what-if {diff}",
            action["id"]
        );
        assert!(w["after"]["transition"]["metrics"]["strength"].is_number());
    }
    assert!(
        checked.len() >= 2,
        "at least two kinds of action were checked: {checked:?}"
    );
    // Nothing was stored.
    let b = v.run(&["analyse", "--map", "demo", "--json"]).ok().json();
    assert_eq!(a["transition"], b["transition"]);
}

#[test]
fn a_bad_whatif_change_names_its_index_and_field() {
    let v = demo();
    let file = v.path("bad.json");
    std::fs::write(&file, r#"{"changes": [{"op": "add_tie", "source": "min-bzk", "target": "vng"}, {"op": "set_stance", "actor": "vng", "narrative": "digital-by-default", "position": 5}]}"#).unwrap();
    let run = v
        .run(&["whatif", "--map", "demo", file.to_str().unwrap()])
        .fails_with(2);
    assert!(run.stderr.contains("changes[1].position"), "{}", run.stderr);
}

#[test]
fn the_timeline_grows_with_the_dates_and_ends_at_the_analysis() {
    let v = demo();
    let t = v
        .run(&["timeline", "--map", "demo", "--period", "year", "--json"])
        .ok()
        .json();
    let points = t["points"].as_array().unwrap();
    assert_eq!(points.first().unwrap()["label"], "2015");
    assert_eq!(points.last().unwrap()["label"], "2026");
    let counts: Vec<usize> = points
        .iter()
        .map(|p| {
            p["supporters"].as_array().unwrap().len() + p["opponents"].as_array().unwrap().len()
        })
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] <= w[1]),
        "positioned actors only grow: {counts:?}"
    );
    let last = points.last().unwrap();
    let end = last["end"].as_str().unwrap();
    let a = v
        .run(&["analyse", "--map", "demo", "--to", end, "--json"])
        .ok()
        .json();
    assert_eq!(last["metrics"], a["transition"]["metrics"]);
    assert_eq!(last["supporters"], a["transition"]["supporters"]);
    let q = v
        .run(&["timeline", "--map", "demo", "--period", "quarter", "--json"])
        .ok()
        .json();
    assert!(q["points"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["label"] == "2024-Q3"));
    let csv = v.run(&["timeline", "--map", "demo", "--csv"]).ok().stdout;
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .starts_with("label,end,strength"),
        "{csv}"
    );
}

#[test]
fn the_dna_sample_splits_along_its_two_camps() {
    let v = Vertoog::new();
    let dna = test_data("dna-sample/sample.dna");
    v.run(&["import", "--map", "dna", "--create", dna.to_str().unwrap()])
        .ok();
    let pro: BTreeSet<&str> = [
        "alliance-to-save-energy",
        "sierra-club",
        "u-s-public-interest-research-group",
    ]
    .into();
    let camp = |c: &Value| -> BTreeSet<bool> {
        c["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| pro.contains(m.as_str().unwrap()))
            .collect()
    };
    // With the defaults the coalitions never mix the two camps ...
    let a = v.run(&["analyse", "--map", "dna", "--json"]).ok().json();
    for c in a["coalitions"].as_array().unwrap() {
        assert_eq!(camp(c).len(), 1, "coalition {} mixes the camps", c["id"]);
    }
    // ... and with conflict resolution 1 (Gómez et al.) they are exactly the two camps.
    let a = v
        .run(&[
            "analyse",
            "--map",
            "dna",
            "--conflict-resolution",
            "1",
            "--json",
        ])
        .ok()
        .json();
    let coalitions = a["coalitions"].as_array().unwrap();
    assert_eq!(coalitions.len(), 2, "{coalitions:?}");
    assert_eq!(
        coalitions[1]["members"],
        serde_json::json!([
            "alliance-to-save-energy",
            "sierra-club",
            "u-s-public-interest-research-group"
        ])
    );
}

#[test]
fn highland_tribes_fall_into_their_three_alliances() {
    let v = Vertoog::new();
    let tribes = test_data("tribes");
    // "Nagad" and "Nagam" are two different tribes: keep both.
    v.run(&[
        "import",
        "--map",
        "tribes",
        "--create",
        "--on-duplicate",
        "keep",
        tribes.to_str().unwrap(),
    ])
    .ok();
    let a = v
        .run(&[
            "analyse",
            "--map",
            "tribes",
            "--coalition-basis",
            "ties",
            "--json",
        ])
        .ok()
        .json();
    let coalitions = a["coalitions"].as_array().unwrap();
    assert_eq!(coalitions.len(), 3, "{coalitions:?}");
    let group: std::collections::HashMap<String, usize> = coalitions
        .iter()
        .enumerate()
        .flat_map(|(i, c)| {
            c["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |m| (m.as_str().unwrap().to_string(), i))
        })
        .collect();
    assert_eq!(group.len(), 16);
    let ties = std::fs::read_to_string(tribes.join("ties.csv")).unwrap();
    for line in ties.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f[2] == "conflict" {
            assert_ne!(
                group[f[0]], group[f[1]],
                "enemies {} and {} in one coalition",
                f[0], f[1]
            );
        }
    }
}

#[test]
fn graph_exports_are_well_formed() {
    let v = demo();
    for view in ["structure", "discourse", "coalitions"] {
        let dot = v
            .run(&["export", "--map", "demo", "--format", "dot", "--view", view])
            .ok()
            .stdout;
        assert!(
            dot.contains("charset=\"UTF-8\"") || dot.contains("charset=UTF-8"),
            "{view}: {}",
            &dot[..200.min(dot.len())]
        );
        assert!(dot.contains("\"Gemeente Utrecht\""), "{view}");
    }
    let dot = v
        .run(&[
            "export",
            "--map",
            "demo",
            "--format",
            "dot",
            "--view",
            "coalitions",
        ])
        .ok()
        .stdout;
    assert!(
        dot.contains("subgraph cluster_c1") || dot.contains("subgraph \"cluster_c1\""),
        "coalition clusters"
    );
    let graphml = v
        .run(&["export", "--map", "demo", "--format", "graphml"])
        .ok()
        .stdout;
    assert_eq!(graphml.matches("<node ").count(), 49);
    assert!(graphml.contains("edgedefault="));
    let gexf = v
        .run(&["export", "--map", "demo", "--format", "gexf"])
        .ok()
        .stdout;
    assert_eq!(gexf.matches("<node ").count(), 49);
    let png = v
        .run(&["export", "--map", "demo", "--format", "png"])
        .fails_with(2);
    assert!(png.stderr.contains("--out"));
}

#[test]
fn svg_export_runs_graphviz_or_says_how_to_install_it() {
    let v = demo();
    let run = v.run(&[
        "export",
        "--map",
        "demo",
        "--format",
        "svg",
        "--view",
        "coalitions",
    ]);
    let have_dot = std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if have_dot {
        let run = run.ok();
        assert!(run.stdout.contains("<svg"), "SVG output");
        assert!(run.stdout.contains("Gemeente Utrecht"));
    } else {
        assert!(
            std::env::var("CI").is_err(),
            "CI installs graphviz: `dot` must be there"
        );
        let run = run.fails_with(1);
        assert!(
            run.stderr.contains("apt-get install graphviz"),
            "{}",
            run.stderr
        );
    }
}
