//! End-to-end tests of the foundation (issue 2) through the real binary on a temporary store:
//! import and export round trips, every bad-input rule, near-duplicates, history commands.

mod common;

use common::{bundle_dir, demo_dir, Vertoog};

const ACTORS: &str = "id,name,domain,influence\nbzk,Ministerie van BZK,ministry,0.9\nvng,Vereniging van Nederlandse Gemeenten,vng,0.8\nutrecht,Gemeente Utrecht,municipality,0.6\n";
const NARRATIVES: &str =
    "id,label,core\ndigital,Digitaal als standaard,true\nprivacy,Privacyrisico's,false\n";
const STANCES: &str = "actor,narrative,position,date\nbzk,digital,2,2024-01-10\nvng,digital,1,2024-02-01\nutrecht,privacy,-1,\n";
const TIES: &str =
    "source,target,kind,weight\nbzk,vng,communication,0.7\nvng,utrecht,membership,0.5\n";

fn small(v: &Vertoog, name: &str) -> std::path::PathBuf {
    bundle_dir(
        v,
        name,
        &[
            ("actors.csv", ACTORS),
            ("narratives.csv", NARRATIVES),
            ("stances.csv", STANCES),
            ("ties.csv", TIES),
        ],
    )
}

#[test]
fn csv_round_trip_reproduces_the_demo_map() {
    let v = Vertoog::new();
    v.import_demo("demo");
    let out = v.path("export");
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
    v.run(&["import", "--map", "copy", "--create", out.to_str().unwrap()])
        .ok();
    let (a, b) = (v.content("demo"), v.content("copy"));
    assert_eq!(a["actors"].as_array().unwrap().len(), 49);
    assert_eq!(a["stances"].as_array().unwrap().len(), 220);
    assert_eq!(a, b);
}

#[test]
fn json_round_trip_keeps_map_fields() {
    let v = Vertoog::new();
    v.import_demo("demo");
    let file = v.path("demo.json");
    v.run(&[
        "export",
        "--map",
        "demo",
        "--format",
        "json",
        "--out",
        file.to_str().unwrap(),
    ])
    .ok();
    v.run(&[
        "import",
        "--map",
        "copy",
        "--create",
        file.to_str().unwrap(),
    ])
    .ok();
    assert_eq!(v.content("demo"), v.content("copy"));
}

#[test]
fn a_second_process_sees_what_the_first_stored() {
    let v = Vertoog::new();
    let dir = small(&v, "small");
    v.run(&["import", "--map", "m", "--create", dir.to_str().unwrap()])
        .ok();
    let list = v.run(&["map", "list", "--json"]).ok().json();
    assert_eq!(list[0]["id"], "m");
    let bundle = v
        .run(&["export", "--map", "m", "--format", "json"])
        .ok()
        .json();
    assert_eq!(bundle["actors"].as_array().unwrap().len(), 3);
    assert_eq!(bundle["ties"].as_array().unwrap().len(), 2);
    // Stance ids were assigned.
    assert!(bundle["stances"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| !s["id"].as_str().unwrap().is_empty()));
}

/// Imports `files` into an existing map and checks: exit code 2, every expected message on
/// stderr, and the map unchanged.
#[track_caller]
fn rejected(files: &[(&str, &[u8])], expected: &[&str]) {
    let v = Vertoog::new();
    let base = small(&v, "base");
    v.run(&["import", "--map", "m", "--create", base.to_str().unwrap()])
        .ok();
    let before = v.content("m");
    let dir = v.path("bad");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, content) in files {
        std::fs::write(dir.join(name), content).unwrap();
    }
    let run = v
        .run(&["import", "--map", "m", dir.to_str().unwrap()])
        .fails_with(2);
    for e in expected {
        assert!(
            run.stderr.contains(e),
            "stderr lacks `{e}`:\n{}",
            run.stderr
        );
    }
    assert_eq!(
        v.content("m"),
        before,
        "the map changed after a rejected import"
    );
}

#[test]
fn out_of_range_position_names_file_line_and_field() {
    rejected(
        &[(
            "stances.csv",
            b"actor,narrative,position\nbzk,digital,1\nbzk,privacy,7\n",
        )],
        &[
            "stances.csv line 3: position: 7 is outside -2..2",
            "nothing was imported",
        ],
    );
}

#[test]
fn every_error_of_every_file_is_reported_together() {
    rejected(
        &[
            ("actors.csv", b"id,name,domain,influence\nx1,Nieuwe partij,nope,0.5\nx2,Andere partij,science,1.5\n"),
            ("ties.csv", b"source,target\nbzk,bzk\n"),
            ("stances.csv", b"actor,narrative,position,date\nbzk,digital,1,10-01-2024\n"),
        ],
        &[
            "actors.csv line 2: domain:",
            "actors.csv line 3: influence: 1.5 is outside 0..1",
            "ties.csv line 2: target:",
            "stances.csv line 2: date:",
        ],
    );
}

#[test]
fn unknown_columns_are_named() {
    rejected(
        &[("actors.csv", b"id,name,influense\nx1,Nieuw,0.4\n")],
        &["influense"],
    );
}

#[test]
fn unknown_ids_are_named_with_their_line() {
    rejected(
        &[(
            "stances.csv",
            b"actor,narrative,position\nbzk,digital,1\nghost,digital,1\n",
        )],
        &["stances.csv line 3: actor:", "ghost"],
    );
}

#[test]
fn duplicate_ids_are_rejected() {
    rejected(
        &[("actors.csv", b"id,name\nx1,Een\nx1,Twee\n")],
        &["actors.csv line 3: id:"],
    );
}

#[test]
fn invalid_utf8_bad_quoting_and_column_count_are_rejected() {
    rejected(
        &[("actors.csv", b"id,name\nx1,Caf\xe9 Utrecht\n")],
        &["actors.csv line 2", "UTF-8"],
    );
    rejected(
        &[("actors.csv", b"id,name\nx1,\"Open quote\n")],
        &["actors.csv"],
    );
    rejected(
        &[("actors.csv", b"id,name\nx1,Een,extra\n")],
        &["actors.csv line 2"],
    );
}

#[test]
fn an_empty_file_is_an_error_but_a_bom_is_accepted() {
    rejected(&[("actors.csv", b"")], &["actors.csv"]);
    let v = Vertoog::new();
    let dir = bundle_dir(
        &v,
        "bom",
        &[("actors.csv", "\u{feff}id,name\nx1,Met BOM\n")],
    );
    v.run(&["import", "--map", "m", "--create", dir.to_str().unwrap()])
        .ok();
    assert_eq!(v.content("m")["actors"][0]["name"], "Met BOM");
}

#[test]
fn a_missing_map_without_create_is_a_usage_error() {
    let v = Vertoog::new();
    let dir = small(&v, "small");
    let run = v
        .run(&["import", "--map", "nope", dir.to_str().unwrap()])
        .fails_with(2);
    assert!(run.stderr.contains("--create"), "{}", run.stderr);
}

#[test]
fn near_duplicates_stop_keep_and_merge() {
    let v = Vertoog::new();
    let base = small(&v, "base");
    v.run(&["import", "--map", "m", "--create", base.to_str().unwrap()])
        .ok();
    let dup = bundle_dir(
        &v,
        "dup",
        &[
            ("actors.csv", "id,name,domain\nmin-bzk,Min. BZK,ministry\n"),
            (
                "stances.csv",
                "actor,narrative,position\nmin-bzk,digital,1\n",
            ),
        ],
    );
    let stop = v
        .run(&["import", "--map", "m", dup.to_str().unwrap()])
        .fails_with(2);
    assert!(
        stop.stderr.contains("bzk") && stop.stderr.contains("Ministerie van BZK"),
        "{}",
        stop.stderr
    );
    assert_eq!(v.content("m")["actors"].as_array().unwrap().len(), 3);

    v.run(&[
        "import",
        "--map",
        "m",
        "--on-duplicate",
        "merge",
        dup.to_str().unwrap(),
    ])
    .ok();
    let merged = v.content("m");
    let actors = merged["actors"].as_array().unwrap();
    assert_eq!(actors.len(), 3);
    let bzk = actors.iter().find(|a| a["id"] == "bzk").unwrap();
    assert!(bzk["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "Min. BZK"));
    assert_eq!(
        merged["stances"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["actor"] == "bzk")
            .count(),
        2
    );

    v.run(&[
        "import",
        "--map",
        "m",
        "--on-duplicate",
        "keep",
        dup.to_str().unwrap(),
    ])
    .ok();
    assert_eq!(v.content("m")["actors"].as_array().unwrap().len(), 4);
}

#[test]
fn merge_log_and_undo() {
    let v = Vertoog::new();
    let base = small(&v, "base");
    v.run(&["import", "--map", "m", "--create", base.to_str().unwrap()])
        .ok();
    let before = v.content("m");
    v.run(&["merge", "--map", "m", "bzk", "vng"]).ok();
    let after = v.content("m");
    assert_eq!(after["actors"].as_array().unwrap().len(), 2);
    let log = v.run(&["log", "--map", "m", "--json"]).ok().json();
    let ops: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert!(ops.ends_with(&["import", "merge"]), "{ops:?}");
    v.run(&["undo", "--map", "m"]).ok();
    assert_eq!(v.content("m"), before);
}

#[test]
fn a_store_of_a_newer_format_is_refused() {
    let v = Vertoog::new();
    v.run(&["map", "create", "m"]).ok();
    vertoog_store::Store::write_format_version(&v.store(), 999).unwrap();
    let run = v.run(&["map", "list"]).fails_with(1);
    assert!(run.stderr.contains("999"), "{}", run.stderr);
}

#[test]
fn formula_cells_are_neutralised_in_csv_and_restored_on_import() {
    let v = Vertoog::new();
    let dir = bundle_dir(
        &v,
        "f",
        &[
            (
                "actors.csv",
                "id,name,notes\nx1,\"=HYPERLINK(\"\"x\"\")\",@SUM(A1)\n",
            ),
            ("narratives.csv", "id,label\nn1,-1 is no number\n"),
            ("stances.csv", "actor,narrative,position\nx1,n1,-1\n"),
        ],
    );
    v.run(&["import", "--map", "m", "--create", dir.to_str().unwrap()])
        .ok();
    let out = v.path("out");
    v.run(&[
        "export",
        "--map",
        "m",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ])
    .ok();
    let actors = std::fs::read_to_string(out.join("actors.csv")).unwrap();
    assert!(
        actors.contains("'=HYPERLINK") && actors.contains("'@SUM"),
        "{actors}"
    );
    let stances = std::fs::read_to_string(out.join("stances.csv")).unwrap();
    assert!(
        stances.contains(",-1"),
        "numbers are never touched: {stances}"
    );
    assert!(!stances.contains("'-1"), "{stances}");
    v.run(&["import", "--map", "copy", "--create", out.to_str().unwrap()])
        .ok();
    assert_eq!(v.content("m"), v.content("copy"));
}

#[test]
fn demo_map_is_valid_and_large_enough() {
    let v = Vertoog::new();
    v.run(&[
        "import",
        "--map",
        "demo",
        "--create",
        demo_dir().to_str().unwrap(),
    ])
    .ok();
    let b = v.content("demo");
    assert!(b["actors"].as_array().unwrap().len() >= 40);
    assert!(b["narratives"].as_array().unwrap().len() >= 10);
    assert!(
        b["narratives"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["core"] == true)
            .count()
            >= 3
    );
    assert!(b["stances"].as_array().unwrap().len() >= 150);
    assert!(b["ties"].as_array().unwrap().len() >= 80);
    let domains: std::collections::BTreeSet<&str> = b["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["domain"].as_str().unwrap())
        .collect();
    assert_eq!(
        domains.len(),
        11,
        "every default domain is used: {domains:?}"
    );
}

#[test]
fn an_import_undoes_as_a_whole_and_the_undo_can_be_undone() {
    let v = Vertoog::new();
    let base = small(&v, "base");
    v.run(&["import", "--map", "m", "--create", base.to_str().unwrap()])
        .ok();
    let before = v.content("m");
    v.import_demo_into("m");
    let after = v.content("m");
    assert_ne!(before, after);
    v.run(&["undo", "--map", "m"]).ok();
    assert_eq!(
        v.content("m"),
        before,
        "undo of an import restores the map exactly"
    );
    v.run(&["undo", "--map", "m"]).ok();
    assert_eq!(
        v.content("m"),
        after,
        "undo of the undo brings the import back"
    );
    let log = v.run(&["log", "--map", "m", "--json"]).ok().json();
    let ops: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert!(
        ops.ends_with(&["import", "import", "undo", "undo"]),
        "{ops:?}"
    );
}
