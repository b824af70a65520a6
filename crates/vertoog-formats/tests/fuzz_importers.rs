//! Fuzzing of the importers with proptest (issue 9; docs/interfaces.md §9, reliability: bad input never
//! panics and gets a clear error). CSV bundles (random bytes and CSV-like text), JSON bundles
//! (random JSON values, byte mutations of a valid bundle, deep nesting) and DNA databases
//! (random bytes, and the real sample with random bytes changed).
//!
//! Case counts: `PROPTEST_CASES` (default 256) per test; the DNA tests that open a copy of the
//! 350 KB sample run a tenth of that (at least 16), since each case copies and opens SQLite.

use std::path::PathBuf;

use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::Value;
use vertoog_formats::dna::{read_dna, DnaOptions};
use vertoog_formats::{read_csv_files, read_json_text, write_json_bundle, ImportErrors};
use vertoog_model::{Actor, Bundle, Map, Narrative, Stance, Tie, TieKind};

fn cases(divisor: u32, floor: u32) -> Config {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(256);
    Config {
        cases: (n / divisor).max(floor),
        failure_persistence: None,
        ..Config::default()
    }
}

/// Every error must say something and name its file.
fn assert_clear(errors: &ImportErrors, file_hint: &str) {
    assert!(!errors.0.is_empty(), "an Err without errors");
    for e in &errors.0 {
        let text = e.to_string();
        assert!(
            !e.message.trim().is_empty(),
            "an empty error message: {text}"
        );
        assert!(
            text.contains(file_hint),
            "error does not name the file: {text}"
        );
    }
}

const FILES: [&str; 4] = ["actors.csv", "narratives.csv", "stances.csv", "ties.csv"];

const COLUMNS: [&str; 24] = [
    "id",
    "name",
    "aliases",
    "domain",
    "kind",
    "parent",
    "influence",
    "interest",
    "legitimacy",
    "urgency",
    "target_position",
    "engagement",
    "owner",
    "tags",
    "notes",
    "label",
    "core",
    "actor",
    "narrative",
    "position",
    "date",
    "source",
    "target",
    "weight",
];

/// Cells that exercise every check: numbers in and out of range, bad dates, quotes,
/// separators, formulas, invalid UTF-8 is added separately.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("a".to_string()),
        Just("b".to_string()),
        Just("n1".to_string()),
        Just("2".to_string()),
        Just("-3".to_string()),
        Just("0,5".to_string()),
        Just("NaN".to_string()),
        Just("1e309".to_string()),
        Just("2024-02-30".to_string()),
        Just("2024-01-10".to_string()),
        Just("true".to_string()),
        Just("TRUE".to_string()),
        Just("person".to_string()),
        Just("collaboration".to_string()),
        Just("\"".to_string()),
        Just("\"quoted, with comma\"".to_string()),
        Just("\"unterminated".to_string()),
        Just("=HYPERLINK(\"x\")".to_string()),
        Just("x\\;y;z".to_string()),
        Just("\u{feff}".to_string()),
        Just("Ministerie van BZK".to_string()),
        "[a-z0-9 ;,\"'=\\-\r\n\t\u{e9}\u{2014}]{0,12}",
    ]
}

/// CSV-like text: a header of known and unknown columns, rows of varying width.
fn csv_like() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(COLUMNS.to_vec()).prop_map(str::to_string),
                1 => "[A-Za-z_ ]{0,6}",
            ],
            0..8,
        ),
        prop::collection::vec(prop::collection::vec(cell(), 0..9), 0..12),
        any::<bool>(),
        prop::sample::select(vec!["\n", "\r\n", "\r"]),
        prop::option::of((any::<prop::sample::Index>(), any::<u8>())),
    )
        .prop_map(|(header, rows, bom, eol, poke)| {
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            text.push_str(&header.join(","));
            for r in rows {
                text.push_str(eol);
                text.push_str(&r.join(","));
            }
            let mut bytes = text.into_bytes();
            if let Some((at, b)) = poke {
                if !bytes.is_empty() {
                    let i = at.index(bytes.len());
                    bytes[i] = b; // may make the UTF-8 invalid
                }
            }
            bytes
        })
}

fn check_csv(files: &[(String, Vec<u8>)]) {
    match read_csv_files(files, &Map::new("m"), None) {
        Ok(parsed) => {
            // What the reader accepts passes the model's field checks.
            let field_errors: Vec<_> = parsed
                .bundle
                .validate()
                .into_iter()
                .filter(|e| !e.message.contains("does not exist"))
                .filter(|e| {
                    !matches!(
                        e.field.as_str(),
                        "actor" | "narrative" | "source" | "target" | "parent"
                    )
                })
                .collect();
            assert!(
                field_errors.is_empty(),
                "accepted a bad bundle: {field_errors:?}"
            );
        }
        Err(errors) => assert_clear(&errors, ".csv"),
    }
}

proptest! {
    #![proptest_config(cases(1, 1))]

    #[test]
    fn csv_random_bytes(which in 0usize..4, bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check_csv(&[(FILES[which].to_string(), bytes)]);
    }

    #[test]
    fn csv_like_text(files in prop::collection::vec((0usize..4, csv_like()), 1..4)) {
        let files: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .enumerate()
            .map(|(i, (w, b))| (format!("f{i}-{}", FILES[w]), b))
            .collect();
        check_csv(&files);
    }
}

// ---------------------------------------------------------------------------- JSON

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(vec![
            "a",
            "b",
            "n1",
            "",
            "vertoog-map",
            "2024-01-10",
            "person",
            "collaboration",
            "x\u{0}y"
        ])
        .prop_map(|s| Value::String(s.to_string())),
        ".{0,10}".prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        3 => prop::sample::select(COLUMNS.to_vec()).prop_map(str::to_string),
                        1 => "[a-z_]{0,8}",
                    ],
                    inner
                ),
                0..8
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Bundle-shaped documents: the top-level keys right, the contents random.
fn bundle_like() -> impl Strategy<Value = Value> {
    (
        prop::option::of(json_value()),
        prop::option::of(json_value()),
        prop::collection::vec(json_value(), 0..4),
        prop::collection::vec(json_value(), 0..4),
        prop::collection::vec(json_value(), 0..4),
        prop::collection::vec(json_value(), 0..4),
        prop::option::of(prop_oneof![Just(Value::from(1)), json_value()]),
    )
        .prop_map(|(format, map, a, n, s, t, version)| {
            let mut o = serde_json::Map::new();
            if let Some(f) = format {
                o.insert("format".into(), f);
            }
            if let Some(v) = version {
                o.insert("version".into(), v);
            }
            if let Some(m) = map {
                o.insert("map".into(), m);
            }
            o.insert("actors".into(), Value::Array(a));
            o.insert("narratives".into(), Value::Array(n));
            o.insert("stances".into(), Value::Array(s));
            o.insert("ties".into(), Value::Array(t));
            Value::Object(o)
        })
}

fn check_json(text: &str) {
    match read_json_text("bundle.json", text, "m") {
        Ok(parsed) => {
            assert_eq!(parsed.bundle.map.id, "m");
        }
        Err(errors) => assert_clear(&errors, "bundle.json"),
    }
}

fn valid_bundle_text() -> String {
    let mut b = Bundle::new(Map::new("m"));
    b.actors.push(Actor::new("a", "Ministerie van BZK"));
    b.actors.push(Actor::new("b", "Logius"));
    b.narratives
        .push(Narrative::new("n1", "Digital by default", true));
    b.stances.push(Stance::new("s1", "a", "n1", 2));
    b.ties
        .push(Tie::new("t1", "a", "b", TieKind::Collaboration));
    write_json_bundle(&b)
}

proptest! {
    #![proptest_config(cases(1, 1))]

    #[test]
    fn json_random_values(v in json_value()) {
        check_json(&v.to_string());
    }

    #[test]
    fn json_bundle_shaped(v in bundle_like()) {
        check_json(&v.to_string());
    }

    #[test]
    fn json_valid_bundle_with_bytes_changed(
        pokes in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6)
    ) {
        let mut bytes = valid_bundle_text().into_bytes();
        for (at, b) in pokes {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        // The reader takes text; invalid UTF-8 is the file reader's business (checked below).
        let text = String::from_utf8_lossy(&bytes);
        check_json(&text);
    }

    #[test]
    fn json_deep_nesting(depth in 1usize..5000, open in prop::sample::select(vec!["[", "{\"a\":"]), close in any::<bool>()) {
        let mut text = String::from("{\"actors\": ");
        text.push_str(&open.repeat(depth));
        text.push('1');
        if close {
            let closer = if open == "[" { "]" } else { "}" };
            text.push_str(&closer.repeat(depth));
            text.push('}');
        }
        check_json(&text);
    }
}

#[test]
fn json_file_with_invalid_utf8_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bundle.json");
    std::fs::write(&p, b"{\n\"actors\": [\xff]}").unwrap();
    let e = vertoog_formats::read_json_bundle(&p, "m").unwrap_err();
    assert_eq!(e.0.len(), 1);
    assert!(e.0[0].to_string().contains("UTF-8"), "{}", e.0[0]);
}

// ---------------------------------------------------------------------------- DNA

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/dna-sample/sample.dna")
}

fn check_dna(path: &std::path::Path) {
    match read_dna(path, &DnaOptions::default()) {
        Ok(import) => {
            // Any problem would be a reader defect. (The 1,000,000-case run found a damaged
            // database that repeats a statement id; the reader now refuses it.)
            let errors = import.bundle.validate();
            assert!(
                errors.is_empty(),
                "a DNA import gave an invalid bundle: {errors:?}"
            );
        }
        Err(e) => {
            let text = e.to_string();
            assert!(
                text.contains(&path.display().to_string()),
                "error does not name the file: {text}"
            );
        }
    }
}

#[test]
fn dna_sample_reads() {
    let import = read_dna(&sample(), &DnaOptions::default()).expect("the sample reads");
    assert!(!import.bundle.stances.is_empty());
}

proptest! {
    #![proptest_config(cases(1, 1))]

    #[test]
    fn dna_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..4096), sqlite_header in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("random.dna");
        let mut content = Vec::new();
        if sqlite_header {
            content.extend_from_slice(b"SQLite format 3\0");
        }
        content.extend_from_slice(&bytes);
        std::fs::write(&p, content).unwrap();
        check_dna(&p);
    }
}

proptest! {
    #![proptest_config(cases(10, 16))]

    #[test]
    fn dna_sample_with_bytes_changed(
        pokes in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..40),
        cut in prop::option::weighted(0.1, any::<prop::sample::Index>()),
    ) {
        let mut bytes = std::fs::read(sample()).unwrap();
        for (at, b) in pokes {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        if let Some(at) = cut {
            let keep = at.index(bytes.len());
            bytes.truncate(keep);
        }
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sample.dna");
        std::fs::write(&p, bytes).unwrap();
        check_dna(&p);
    }
}
