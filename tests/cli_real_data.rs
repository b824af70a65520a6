//! Issue 15 and issue 16 item 10 through the real binary, on data of the shapes real users
//! bring: DNA databases built here with rusqlite (similar organisation names; a second study
//! with overlapping statement ids), the highland tribes and a numbered club, bundle folders
//! with unknown files, and a large CSV of bad rows.

mod common;

use common::{test_data, Vertoog};
use std::path::{Path, PathBuf};

/// A DNA 3 database: DNA's sample with its organisations renamed and its first document
/// retitled (so `title` makes another study).
fn study(dir: &Path, name: &str, title: &str, orgs: &[(i64, &str)]) -> PathBuf {
    let p = dir.join(name);
    std::fs::copy(test_data("dna-sample/sample.dna"), &p).unwrap();
    let c = rusqlite::Connection::open(&p).unwrap();
    for (id, value) in orgs {
        c.execute(
            "UPDATE ENTITIES SET Value = ?1 WHERE ID = ?2 AND VariableId = 2",
            rusqlite::params![value, id],
        )
        .unwrap();
    }
    c.execute(
        "UPDATE DOCUMENTS SET Title = ?1 WHERE ID = 1",
        rusqlite::params![title],
    )
    .unwrap();
    p
}

const FIRST: &[(i64, &str)] = &[
    (9, "Muncipality of Amsterdam"),
    (10, "Muncipality of Aalsmeer"),
    (11, "Municpality of Heerenveen"),
    (12, "Muncipality of Heerenveen"),
    (13, "University of Wageningen"),
    (14, "University of Groningen"),
    (15, "Muncipality of Rotterdam"),
];

const SECOND: &[(i64, &str)] = &[
    (9, "Gemeente Leeuwarden"),
    (10, "Muncipality of Aalsmeer"),
    (11, "Gemeente Heerenveen"),
    (12, "Provincie Friesland"),
    (13, "Universiteit Utrecht"),
    (14, "Gemeente Amsterdam"),
    (15, "Municipality of Almere"),
];

fn stance_count(v: &Vertoog, map: &str) -> usize {
    v.content(map)["stances"].as_array().unwrap().len()
}

#[test]
fn dna_studies_import_as_they_are_and_never_collide() {
    let v = Vertoog::new();
    let a = study(v.dir.path(), "ow.dna", "Omgevingswet 1", FIRST);
    let b = study(v.dir.path(), "ow2.dna", "Omgevingswet 2", SECOND);
    // The similar names of one database do not stop its import; each pair is reported once,
    // with "in this import", both places and the merge command.
    let r = v
        .run(&["import", "--map", "ow", "--create", a.to_str().unwrap()])
        .ok();
    assert!(!r.stderr.contains("resembles existing"), "{}", r.stderr);
    let similar: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("in this import"))
        .collect();
    assert_eq!(similar.len(), 1, "{}", r.stderr);
    assert!(
        similar[0].contains("Muncipality of Heerenveen"),
        "{}",
        similar[0]
    );
    assert!(
        similar[0].contains("Municpality of Heerenveen"),
        "{}",
        similar[0]
    );
    assert!(
        similar[0].contains(
            "`vertoog merge --map ow municpality-of-heerenveen muncipality-of-heerenveen`"
        ) || similar[0].contains(
            "`vertoog merge --map ow muncipality-of-heerenveen municpality-of-heerenveen`"
        ),
        "{}",
        similar[0]
    );
    // Each warning once.
    let mut lines: Vec<&str> = r.stderr.lines().collect();
    let n = lines.len();
    lines.sort();
    lines.dedup();
    assert_eq!(lines.len(), n, "{}", r.stderr);
    let first = stance_count(&v, "ow");
    assert!(first >= 40, "{first}");
    let actors = v.content("ow")["actors"].as_array().unwrap().len();
    assert_eq!(actors, 7);

    // Re-importing the same database changes nothing.
    let r = v.run(&["import", "--map", "ow", a.to_str().unwrap()]).ok();
    assert!(r.stdout.contains("0 stances"), "{}", r.stdout);
    assert!(r.stdout.contains("; 0 updated"), "{}", r.stdout);
    assert_eq!(stance_count(&v, "ow"), first);

    // The second study has the same statement ids: its stances are added, none overwritten.
    // Its "Gemeente Heerenveen" and "Gemeente Amsterdam" resemble stored actors: stop
    // ("Muncipality of Aalsmeer" is the stored actor itself: same name, same id).
    let r = v
        .run(&["import", "--map", "ow", b.to_str().unwrap()])
        .fails_with(2);
    let hits: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("resembles existing actor"))
        .collect();
    assert_eq!(hits.len(), 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("Gemeente Heerenveen") && r.stderr.contains("Gemeente Amsterdam"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("Almere") && !r.stderr.contains("Leeuwarden"),
        "{}",
        r.stderr
    );
    // Merge: one to one into stored actors only.
    let r = v
        .run(&[
            "import",
            "--map",
            "ow",
            "--on-duplicate",
            "merge",
            b.to_str().unwrap(),
        ])
        .ok();
    assert_eq!(stance_count(&v, "ow"), 2 * first, "{}", r.stdout);
    let merged: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.contains("merged actor"))
        .collect();
    assert_eq!(merged.len(), 2, "{}", r.stdout);
    let content = v.content("ow");
    let aalsmeer = content["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Muncipality of Aalsmeer")
        .unwrap();
    // Nothing else was merged into Aalsmeer.
    assert!(
        aalsmeer["aliases"].as_array().is_none_or(|a| a.is_empty()),
        "{aalsmeer}"
    );
}

#[test]
fn tribes_and_numbered_members_import_without_near_duplicates() {
    let v = Vertoog::new();
    v.run(&[
        "import",
        "--map",
        "tribes",
        "--create",
        test_data("tribes").to_str().unwrap(),
    ])
    .ok();
    assert_eq!(v.content("tribes")["actors"].as_array().unwrap().len(), 16);
    let dir = v.dir.path().join("club");
    std::fs::create_dir(&dir).unwrap();
    let mut csv = String::from("id,name\n");
    for i in 1..=34 {
        csv.push_str(&format!("m{i},Member {i}\n"));
    }
    std::fs::write(dir.join("actors.csv"), csv).unwrap();
    let r = v
        .run(&["import", "--map", "club", "--create", dir.to_str().unwrap()])
        .ok();
    assert!(!r.stderr.contains("resembles"), "{}", r.stderr);
    assert_eq!(v.content("club")["actors"].as_array().unwrap().len(), 34);
}

#[test]
fn dna_1_and_2_files_say_what_they_are() {
    let v = Vertoog::new();
    let p = v.dir.path().join("old.dna");
    std::fs::write(
        &p,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<dna></dna>\n",
    )
    .unwrap();
    let r = v
        .run(&["import", "--map", "x", "--create", p.to_str().unwrap()])
        .fails_with(2);
    assert!(
        r.stderr.contains("DNA 1 files are not supported"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_large_file_of_bad_rows_lists_a_thousand_errors_and_counts_the_rest() {
    let v = Vertoog::new();
    let dir = v.dir.path().join("bad");
    std::fs::create_dir(&dir).unwrap();
    let mut text = String::from("actor,narrative,position\n");
    for i in 0..200_000 {
        text.push_str(&format!("a{i},n1,9\n"));
    }
    std::fs::write(dir.join("stances.csv"), text).unwrap();
    let r = v
        .run(&["import", "--map", "m", "--create", dir.to_str().unwrap()])
        .fails_with(2);
    let error_lines = r
        .stderr
        .lines()
        .filter(|l| l.contains("stances.csv line"))
        .count();
    assert_eq!(error_lines, 1000, "{}", &r.stderr[..500]);
    // Each row: the position, and its unknown actor and narrative (one report).
    assert!(
        r.stderr
            .contains("and 599,000 more errors (only the first 1,000 are listed)"),
        "{}",
        &r.stderr[r.stderr.len().saturating_sub(400)..]
    );
    assert!(
        r.stderr.contains("600000 errors found"),
        "{}",
        &r.stderr[r.stderr.len().saturating_sub(400)..]
    );
}

/// The karate club as a CSV bundle: members `m1`..`m34`, ties from networkx's karate graph
/// (tests/data/karate), those of member 1 directed (source to target), the rest not.
fn karate_bundle(dir: &Path) -> (PathBuf, Vec<serde_json::Value>) {
    let k: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(test_data("karate/networkx.json")).unwrap())
            .unwrap();
    let n = k["nodes"].as_u64().unwrap();
    let folder = dir.join("karate");
    std::fs::create_dir_all(&folder).unwrap();
    let mut actors = String::from("id,name\n");
    for i in 1..=n {
        actors.push_str(&format!("m{i},Member {i}\n"));
    }
    let mut ties = String::from("id,source,target,kind,weight,directed\n");
    let mut expect = Vec::new();
    for (i, e) in k["edges"].as_array().unwrap().iter().enumerate() {
        let (u, v, w) = (
            e[0].as_u64().unwrap() + 1,
            e[1].as_u64().unwrap() + 1,
            // Weights 1..7 scaled into (0, 1].
            e[2].as_f64().unwrap() / 7.0,
        );
        let directed = u == 1;
        // Member 1's ties point at member 1 (target), so source-to-target order matters.
        let (s, t) = if directed { (v, u) } else { (u, v) };
        ties.push_str(&format!(
            "t{},m{s},m{t},communication,{w},{directed}\n",
            i + 1
        ));
        expect.push(serde_json::json!({
            "tie_id": format!("t{}", i + 1), "source": format!("m{s}"),
            "target": format!("m{t}"), "directed": directed,
        }));
    }
    std::fs::write(folder.join("actors.csv"), actors).unwrap();
    std::fs::write(folder.join("ties.csv"), ties).unwrap();
    (folder, expect)
}

/// Runs tests/readers/check_readers.py; without python3, networkx or igraph it skips, except
/// under CI=true, where it fails.
fn check_readers(expect: &Path) {
    let script = common::root().join("tests/readers/check_readers.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(expect)
        .output();
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    match out {
        Err(e) => {
            assert!(
                !ci,
                "CI=true: python3 is required for the reader checks: {e}"
            );
            eprintln!("skipped: python3 not found ({e})");
        }
        Ok(o) if o.status.code() == Some(77) => {
            let why = String::from_utf8_lossy(&o.stderr);
            assert!(
                !ci,
                "CI=true: networkx and python-igraph are required: {why}"
            );
            eprintln!("skipped: {why}");
        }
        Ok(o) => assert!(
            o.status.success(),
            "reader checks failed:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    }
}

#[test]
fn graphml_and_gexf_are_read_by_networkx_and_igraph_with_directions() {
    let v = Vertoog::new();
    let (folder, edges) = karate_bundle(v.dir.path());
    v.run(&[
        "import",
        "--map",
        "karate",
        "--create",
        folder.to_str().unwrap(),
    ])
    .ok();
    let graphml = v.path("karate.graphml");
    let gexf = v.path("karate.gexf");
    for (fmt, out) in [("graphml", &graphml), ("gexf", &gexf)] {
        v.run(&[
            "export",
            "--map",
            "karate",
            "--format",
            fmt,
            "--out",
            out.to_str().unwrap(),
        ])
        .ok();
    }
    // A two-mode DNA network for igraph's bipartite projection.
    let dna = v.dir.path().join("sample.dna");
    std::fs::copy(test_data("dna-sample/sample.dna"), &dna).unwrap();
    v.run(&["import", "--map", "dna", "--create", dna.to_str().unwrap()])
        .ok();
    let net = v
        .run(&[
            "network", "--map", "dna", "--mode", "twomode", "--format", "graphml",
        ])
        .ok();
    let two_mode = v.path("two-mode.graphml");
    std::fs::write(&two_mode, &net.stdout).unwrap();
    let rows = net
        .stdout
        .matches("<data key=\"type\">false</data>")
        .count();
    let columns = net.stdout.matches("<data key=\"type\">true</data>").count();
    assert!(
        rows > 0 && columns > 0,
        "{}",
        &net.stdout[..net.stdout.len().min(2000)]
    );
    assert!(net
        .stdout
        .contains("<data key=\"variable\">organization</data>"));
    assert!(net.stdout.contains("<data key=\"frequency\">"));
    let expect = serde_json::json!({
        "graphml": graphml, "gexf": gexf, "nodes": 34, "edges": edges,
        "bipartite": two_mode, "bipartite_rows": rows, "bipartite_columns": columns,
    });
    let expect_path = v.path("expect.json");
    std::fs::write(&expect_path, expect.to_string()).unwrap();
    check_readers(&expect_path);

    // --mixed-direction keeps today's form: each GraphML edge says its direction.
    let mixed = v
        .run(&[
            "export",
            "--map",
            "karate",
            "--format",
            "graphml",
            "--mixed-direction",
        ])
        .ok();
    assert_eq!(mixed.stdout.matches(" directed=\"true\"").count(), 16);
    let gexf_mixed = v
        .run(&[
            "export",
            "--map",
            "karate",
            "--format",
            "gexf",
            "--mixed-direction",
        ])
        .ok();
    assert_eq!(gexf_mixed.stdout.matches(" type=\"directed\"").count(), 16);
}

#[test]
fn the_discourse_threshold_is_one_rule_for_every_format() {
    let v = Vertoog::new();
    let dna = v.dir.path().join("sample.dna");
    std::fs::copy(test_data("dna-sample/sample.dna"), &dna).unwrap();
    v.run(&["import", "--map", "dna", "--create", dna.to_str().unwrap()])
        .ok();
    let count = |fmt: &str, threshold: &str| -> usize {
        let r = v
            .run(&[
                "export",
                "--map",
                "dna",
                "--format",
                fmt,
                "--view",
                "discourse",
                "--threshold",
                threshold,
            ])
            .ok();
        match fmt {
            "dot" => r.stdout.lines().filter(|l| l.contains(" -- ")).count(),
            _ => r.stdout.matches("<edge ").count(),
        }
    };
    let all = count("graphml", "0");
    let some = count("graphml", "0.5");
    assert!(all > some, "{all} edges at 0, {some} at 0.5");
    for t in ["0", "0.3", "0.5"] {
        let d = count("dot", t);
        assert_eq!(count("graphml", t), d, "graphml vs dot at {t}");
        assert_eq!(count("gexf", t), d, "gexf vs dot at {t}");
    }
}

#[test]
fn unknown_files_in_a_bundle_folder_are_named() {
    let v = Vertoog::new();
    let dir = v.dir.path().join("bundle");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("actors.csv"), "id,name\na,A\nb,B\n").unwrap();
    std::fs::write(dir.join("ties.csv"), "source,target,kind\na,b,conflict\n").unwrap();
    std::fs::write(dir.join("contacts.csv"), "source,target\na,b\n").unwrap();
    std::fs::write(dir.join("README.md"), "notes\n").unwrap();
    let r = v
        .run(&["import", "--map", "m", "--create", dir.to_str().unwrap()])
        .fails_with(2);
    assert!(
        r.stderr
            .contains("contacts.csv: unknown file in the bundle folder"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("README"), "{}", r.stderr);
    let r = v
        .run(&[
            "import",
            "--map",
            "m",
            "--create",
            "--ignore-unknown-files",
            dir.to_str().unwrap(),
        ])
        .ok();
    assert!(
        r.stderr.contains("warning:")
            && r.stderr
                .contains("contacts.csv: unknown file in the bundle folder, not imported"),
        "{}",
        r.stderr
    );
    assert_eq!(v.content("m")["ties"].as_array().unwrap().len(), 1);
}

#[test]
fn field_and_reference_errors_come_in_one_report() {
    let v = Vertoog::new();
    let dir = v.dir.path().join("b");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("actors.csv"), "id,name\na,A\n").unwrap();
    std::fs::write(dir.join("narratives.csv"), "id,label\nn1,N1\n").unwrap();
    std::fs::write(
        dir.join("stances.csv"),
        "actor,narrative,position,date\na,n1,7,2024-01-01\nghost,n1,1,2024-01-01\na,n1,1,2024-13-45\n",
    )
    .unwrap();
    let r = v
        .run(&["import", "--map", "m", "--create", dir.to_str().unwrap()])
        .fails_with(2);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("stances.csv line"))
        .collect();
    assert_eq!(errors.len(), 3, "{}", r.stderr);
    assert!(errors[0].contains("line 2: position"), "{}", r.stderr);
    assert!(
        errors[1].contains("line 3: actor: unknown actor `ghost`"),
        "{}",
        r.stderr
    );
    assert!(errors[2].contains("line 4: date"), "{}", r.stderr);
    // Into an existing map, its stored actors count as known.
    v.run(&["map", "create", "m2"]).ok();
    std::fs::write(dir.join("actors.csv"), "id,name\nghost,Ghost\n").unwrap();
    v.run(&["import", "--map", "m2", dir.to_str().unwrap()])
        .fails_with(2);
    std::fs::write(dir.join("actors.csv"), "id,name\na,A\n").unwrap();
    let dir2 = v.dir.path().join("g");
    std::fs::create_dir(&dir2).unwrap();
    std::fs::write(dir2.join("actors.csv"), "id,name\nghost,Ghost\n").unwrap();
    v.run(&["import", "--map", "m2", dir2.to_str().unwrap()])
        .ok();
    let r = v
        .run(&["import", "--map", "m2", dir.to_str().unwrap()])
        .fails_with(2);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("stances.csv line"))
        .collect();
    assert_eq!(errors.len(), 2, "{}", r.stderr);
    assert!(!r.stderr.contains("ghost"), "{}", r.stderr);
}

#[test]
fn the_svg_legend_survives_every_layout_and_discourse_fits_a_page() {
    let v = Vertoog::new();
    let have_dot = std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_dot {
        assert!(std::env::var("CI").is_err(), "CI installs graphviz");
        return;
    }
    v.run(&[
        "import",
        "--map",
        "tribes",
        "--create",
        test_data("tribes").to_str().unwrap(),
    ])
    .ok();
    for layout in ["dot", "neato", "sfdp"] {
        let r = v
            .run(&[
                "export",
                "--map",
                "tribes",
                "--format",
                "svg",
                "--view",
                "coalitions",
                "--layout",
                layout,
            ])
            .ok();
        // The legend is the graph's label: no legend nodes or clusters among the actors.
        assert_eq!(r.stdout.matches("class=\"node\"").count(), 16, "{layout}");
        for key in [
            "domains",
            "rounded box: organisation",
            "conflict (dashed)",
            "bridge (bold orange)",
        ] {
            assert!(r.stdout.contains(key), "{layout}: legend lacks {key}");
        }
    }
    let dna = v.dir.path().join("sample.dna");
    std::fs::copy(test_data("dna-sample/sample.dna"), &dna).unwrap();
    v.run(&["import", "--map", "dna", "--create", dna.to_str().unwrap()])
        .ok();
    let r = v
        .run(&[
            "export",
            "--map",
            "dna",
            "--format",
            "svg",
            "--view",
            "discourse",
        ])
        .ok();
    let width: f64 = r
        .stdout
        .split("<svg width=\"")
        .nth(1)
        .and_then(|s| s.split("pt").next())
        .and_then(|w| w.parse().ok())
        .expect("svg width");
    assert!(width <= 792.0, "discourse SVG is {width} pt wide");
    assert!(r.stdout.contains("agreement"));
}

#[test]
fn a_csv_round_trip_keeps_what_a_json_round_trip_keeps() {
    let v = Vertoog::new();
    v.import_demo("demo");
    // A source map with its own name, description, vocabulary and settings.
    let mut b = v
        .run(&["export", "--map", "demo", "--format", "json"])
        .ok()
        .json();
    b["map"]["name"] = "Basisregistraties, 2024".into();
    b["map"]["description"] = "=the demo; with \"quotes\"".into();
    b["map"]["settings"]["threshold"] = 0.3.into();
    let src = v.path("src.json");
    std::fs::write(&src, b.to_string()).unwrap();
    v.run(&["import", "--map", "src", "--create", src.to_str().unwrap()])
        .ok();
    let out = v.path("csv");
    v.run(&[
        "export",
        "--map",
        "src",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ])
    .ok();
    // Every cell of the value columns is explicit (pandas sees no empty `directed`).
    let ties = std::fs::read_to_string(out.join("ties.csv")).unwrap();
    for line in ties.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        assert!(
            !cells[3].is_empty() && !cells[4].is_empty() && !cells[5].is_empty(),
            "{line}"
        );
    }
    v.run(&["import", "--map", "copy", "--create", out.to_str().unwrap()])
        .ok();
    let json = v.path("src-out.json");
    v.run(&[
        "export",
        "--map",
        "src",
        "--format",
        "json",
        "--out",
        json.to_str().unwrap(),
    ])
    .ok();
    v.run(&[
        "import",
        "--map",
        "copy-json",
        "--create",
        json.to_str().unwrap(),
    ])
    .ok();
    assert_eq!(v.content("copy"), v.content("copy-json"));
    let raw = v
        .run(&["export", "--map", "copy", "--format", "json"])
        .ok()
        .json();
    assert_eq!(raw["map"]["name"], "Basisregistraties, 2024");
    assert_eq!(raw["map"]["description"], "=the demo; with \"quotes\"");
    assert_eq!(raw["map"]["settings"]["threshold"], 0.3);
}
