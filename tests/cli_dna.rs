//! The Discourse Network Analyzer checks of docs/method.md §13, through the real binary:
//! import DNA's sample database, then `network` and `polarization`.

mod common;

use common::{test_data, Vertoog};

fn sample() -> Vertoog {
    let v = Vertoog::new();
    let dna = test_data("dna-sample/sample.dna");
    v.run(&["import", "--map", "dna", "--create", dna.to_str().unwrap()])
        .ok();
    v
}

fn matrix(v: &serde_json::Value) -> Vec<Vec<f64>> {
    v["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect()
        })
        .collect()
}

#[test]
fn two_mode_network_matches_dna() {
    let v = sample();
    let net = v
        .run(&["network", "--map", "dna", "--format", "json"])
        .ok()
        .json();
    let m = matrix(&net);
    assert_eq!((m.len(), m[0].len()), (7, 6));
    assert_eq!(m.iter().flatten().sum::<f64>(), 40.0);
    assert_eq!(net["statements"], 40);
    assert_eq!(net["rows"][0], "Alliance to Save Energy");
    assert_eq!(
        net["columns"][0],
        "CO2 legislation will not hurt the economy."
    );
    let rows: Vec<&str> = net["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    let eea = rows
        .iter()
        .position(|r| *r == "Energy and Environmental Analysis, Inc.")
        .unwrap();
    assert_eq!(&m[eea][..2], &[2.0, 0.0]);
    assert_eq!(m.iter().flatten().filter(|x| **x != 0.0).count(), 22);

    // The CSV form: header with an empty first cell, integers without a fraction.
    let csv = v.run(&["network", "--map", "dna"]).ok().stdout;
    assert!(
        csv.starts_with(",\"CO2 legislation will not hurt the economy.\"")
            || csv.starts_with(",CO2 legislation"),
        "{csv}"
    );
    assert!(!csv.contains(".0,"), "{csv}");
}

#[test]
fn one_mode_networks_match_dna() {
    let v = sample();
    let net = v
        .run(&[
            "network", "--map", "dna", "--mode", "onemode", "--format", "json",
        ])
        .ok()
        .json();
    let m = matrix(&net);
    assert_eq!((m.len(), m[0].len()), (7, 7));
    assert_eq!(m.iter().flatten().sum::<f64>(), 276.0);
    let rows: Vec<&str> = net["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    let epa = rows
        .iter()
        .position(|r| *r == "Environmental Protection Agency")
        .unwrap();
    assert_eq!(&m[epa][..2], &[10.0, 2.0]);
    let pairs = (0..7)
        .flat_map(|i| (i + 1..7).map(move |j| (i, j)))
        .filter(|&(i, j)| m[i][j] != 0.0)
        .count();
    assert_eq!(pairs, 21);

    let cong = v
        .run(&[
            "network",
            "--map",
            "dna",
            "--mode",
            "onemode",
            "--aggregation",
            "congruence",
            "--normalization",
            "average",
            "--format",
            "json",
        ])
        .ok()
        .json();
    assert_eq!(matrix(&cong).iter().flatten().sum::<f64>().round(), 26.0);
}

#[test]
fn polarization_matches_dna() {
    let v = sample();
    let p = v
        .run(&["polarization", "--map", "dna", "--json"])
        .ok()
        .json();
    assert!(
        (p["polarization"].as_f64().unwrap() - 0.5342493).abs() < 1e-6,
        "{p}"
    );
    assert_eq!(p["k"], 2);
    assert_eq!(p["exact"], true);
    assert_eq!(p["partition"].as_object().unwrap().len(), 7);
}

#[test]
fn undefined_combinations_and_bad_types_are_input_errors() {
    let v = sample();
    let run = v
        .run(&[
            "network",
            "--map",
            "dna",
            "--mode",
            "twomode",
            "--aggregation",
            "congruence",
        ])
        .fails_with(2);
    assert!(run.stderr.contains("congruence"), "{}", run.stderr);
    let dna = test_data("dna-sample/sample.dna");
    let run = v
        .run(&[
            "import",
            "--map",
            "other",
            "--create",
            "--dna-statement-type",
            "Nope",
            dna.to_str().unwrap(),
        ])
        .fails_with(2);
    assert!(
        run.stderr.contains("DNA Statement"),
        "lists the statement types present: {}",
        run.stderr
    );
    let not_dna = test_data("dna-sample/README.md");
    let run = v
        .run(&[
            "import",
            "--map",
            "x",
            "--create",
            "--format",
            "dna",
            not_dna.to_str().unwrap(),
        ])
        .fails_with(2);
    assert!(run.stderr.to_lowercase().contains("dna"), "{}", run.stderr);
}
