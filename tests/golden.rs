//! Golden (expected-output) tests: the real binary's output on the demo map and on DNA's sample
//! database, byte for byte, against the files under `tests/golden/`.
//!
//! The output is deterministic, so any difference is a change of behaviour: either a bug, or a
//! change on purpose. For the latter, regenerate every file with one command and review the
//! diff before committing it:
//!
//! ```sh
//! just golden        # = UPDATE_GOLDEN=1 cargo test -p vertoog-cli --test golden
//! ```
//!
//! Not covered: SVG and PNG, which Graphviz writes with its version and platform-dependent
//! coordinates (the SVG path is tested in `cli_analysis.rs`).

mod common;

use std::path::PathBuf;

use common::{demo_dir, root, test_data, Vertoog};

/// Compares `actual` with `tests/golden/<name>`; writes it instead when `UPDATE_GOLDEN` (or
/// `UPDATE_EXPECT`) is set to anything but `0`.
#[track_caller]
fn golden(name: &str, actual: &str) {
    let path: PathBuf = root().join("tests/golden").join(name);
    let update = ["UPDATE_GOLDEN", "UPDATE_EXPECT"]
        .iter()
        .any(|k| std::env::var(k).is_ok_and(|v| !v.is_empty() && v != "0"));
    if update {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}\nwrite it with `just golden` (UPDATE_GOLDEN=1 cargo test -p vertoog-cli --test golden)",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        let at = |s: &str| s.lines().nth(line).unwrap_or("<end of output>").to_string();
        panic!(
            "{} differs from the output, first at line {}:\n  expected: {}\n  actual:   {}\n\
             ({} vs {} bytes). If the change is on purpose, run `just golden` and review the diff.",
            path.display(),
            line + 1,
            at(&expected),
            at(actual),
            expected.len(),
            actual.len()
        );
    }
}

fn demo() -> Vertoog {
    let v = Vertoog::new();
    let dir = demo_dir();
    v.run(&["import", "--map", "demo", "--create", dir.to_str().unwrap()])
        .ok();
    v
}

fn dna() -> Vertoog {
    let v = Vertoog::new();
    let dna = test_data("dna-sample/sample.dna");
    v.run(&["import", "--map", "dna", "--create", dna.to_str().unwrap()])
        .ok();
    v
}

#[test]
fn analyse_json_of_the_demo_map() {
    let v = demo();
    let out = v.run(&["analyse", "--map", "demo", "--json"]).ok().stdout;
    golden("demo/analyse.json", &out);
}

#[test]
fn text_report_of_the_demo_map_in_both_languages() {
    let v = demo();
    for lang in ["en", "nl"] {
        let out = v
            .run(&["analyse", "--map", "demo", "--lang", lang])
            .ok()
            .stdout;
        golden(&format!("demo/report.{lang}.txt"), &out);
    }
}

#[test]
fn text_exports_of_the_demo_map() {
    let v = demo();
    for view in ["structure", "discourse", "coalitions"] {
        let out = v
            .run(&["export", "--map", "demo", "--format", "dot", "--view", view])
            .ok()
            .stdout;
        golden(&format!("demo/export.{view}.dot"), &out);
    }
    for format in ["graphml", "gexf"] {
        let out = v
            .run(&["export", "--map", "demo", "--format", format])
            .ok()
            .stdout;
        golden(&format!("demo/export.{format}"), &out);
    }
}

#[test]
fn json_bundle_export_of_the_demo_map() {
    let v = demo();
    let mut bundle = v
        .run(&["export", "--map", "demo", "--format", "json"])
        .ok()
        .json();
    // The map's creation and update times are the only values that differ between runs.
    let map = bundle["map"].as_object_mut().expect("map object");
    for k in ["created", "updated"] {
        assert!(map.contains_key(k), "the bundle's map has {k}");
        map.insert(k.into(), "<time>".into());
    }
    let out = serde_json::to_string_pretty(&bundle).unwrap() + "\n";
    golden("demo/export.json", &out);
}

#[test]
fn csv_bundle_export_of_the_demo_map() {
    let v = demo();
    let out = v.path("csv");
    v.run(&[
        "export",
        "--map",
        "demo",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ])
    .ok();
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.contains(&"actors.csv".to_string()), "{names:?}");
    for name in names {
        let text = std::fs::read_to_string(out.join(&name)).unwrap();
        golden(&format!("demo/export.csv/{name}"), &text);
    }
}

#[test]
fn dna_networks_of_the_sample() {
    let v = dna();
    let runs: &[(&str, &[&str])] = &[
        ("twomode.csv", &[]),
        (
            "twomode-subtract.json",
            &["--aggregation", "subtract", "--format", "json"],
        ),
        (
            "onemode-congruence-average.json",
            &[
                "--mode",
                "onemode",
                "--aggregation",
                "congruence",
                "--normalization",
                "average",
                "--format",
                "json",
            ],
        ),
        (
            "onemode-conflict.csv",
            &["--mode", "onemode", "--aggregation", "conflict"],
        ),
        (
            "onemode-subtract-jaccard.csv",
            &[
                "--mode",
                "onemode",
                "--aggregation",
                "subtract",
                "--normalization",
                "jaccard",
            ],
        ),
        (
            "onemode-congruence.graphml",
            &[
                "--mode",
                "onemode",
                "--aggregation",
                "congruence",
                "--format",
                "graphml",
            ],
        ),
    ];
    for (name, args) in runs {
        let mut all = vec!["network", "--map", "dna"];
        all.extend_from_slice(args);
        let out = v.run(&all).ok().stdout;
        golden(&format!("dna/network.{name}"), &out);
    }
    let out = v
        .run(&["polarization", "--map", "dna", "--json"])
        .ok()
        .stdout;
    golden("dna/polarization.json", &out);
}
