//! Reading and writing maps: CSV and JSON bundles (docs/interfaces.md §8), Discourse Network Analyzer
//! databases, and the graph formats for Graphviz and Gephi. Readers never stop at the first
//! error: they return every error of a file, each naming file, line and field.
//!
//! Entry points:
//! - [`read_csv_bundle`], [`read_csv_files`], [`write_csv_bundle`], [`write_csv_dir`]: the
//!   CSV bundle; [`neutralise_formula_cell`] is the spreadsheet formula rule.
//! - [`read_json_bundle`], [`read_json_text`], [`write_json_bundle`]: the JSON bundle.
//! - [`detect_format`]: csv, json or dna from the paths given to `import`.
//! - [`dot::write_dot`], [`dot::render`], [`graphml::write_graphml`],
//!   [`graphml::network_graphml`], [`gexf::write_gexf`]: the graph exports, annotated with
//!   analysis results through [`GraphAnnotations`] (this crate does not depend on the
//!   analysis crate).
//!
//! Architecture invariant: this crate reads and writes bytes and files; it never touches the
//! store, and it knows nothing about HTTP or the CLI.
//!
//! # Decisions where docs/interfaces.md §8 is silent
//! - CSV PATH: a folder (its `actors.csv`, `narratives.csv`, `stances.csv`, `ties.csv`;
//!   absent ones count as empty, a folder with none of them is an error) or files named by
//!   entity: `actors.csv` or `<prefix>-actors.csv` / `<prefix>_actors.csv`, any case. Several
//!   files of one entity are read in turn (duplicate ids across them are errors).
//! - CSV encoding: UTF-8; a leading byte order mark is accepted and stripped (export writes
//!   none); each line with invalid UTF-8 is an error, and the rest of the file is still
//!   checked. Records end with CRLF, LF or CR; export writes LF.
//! - CSV header: names trimmed and compared in lower case; unknown, repeated, empty and
//!   missing required columns are errors. Blank records (empty lines, `,,,`) are skipped.
//! - CSV cells: ids, numbers, booleans, dates and enumerations are trimmed; names, labels
//!   and list items too; other free text is kept exactly. Empty cell = default. Booleans
//!   `true`/`false` in any case. Numbers are finite decimals (`0,5` gets a hint, `NaN` and
//!   `inf` are refused); positions whole numbers.
//! - Lists (`aliases`, `tags`) are `;`-separated; inside an item `\;` is a `;` and `\\` a
//!   backslash, so every list round-trips; items are trimmed, empty items dropped.
//! - Formula rule (docs/interfaces.md §9): on export a free-text cell (name, label, aliases, tags,
//!   notes, description, source, quote, note, owner) starting with `=`, `+`, `-`, `@`, tab,
//!   CR or `'` gets a leading `'`; on import one leading `'` of such a cell is removed. Ids,
//!   numbers, dates and enumerations are never touched. For list cells the rule applies to
//!   the cell as a whole (what a spreadsheet sees).
//! - Export order: fixed columns ([`ACTOR_COLUMNS`], ...), rows by id in natural order
//!   (`s2` before `s10`), optional fields empty when they hold their default.
//! - References (a stance's actor, ...) are not checked by the readers, since an import into
//!   an existing map may refer to its actors: [`Parsed::reference_errors`] does it, and
//!   [`Origins::describe`] turns the store's `BundleError`s into file/line errors.
//! - JSON: unknown fields are errors (like unknown columns); `map` is optional and its `id`
//!   is replaced by the target map's; `format`/`version` must be `vertoog-map`/1 when given;
//!   the export sorts every list by id; nesting deeper than 128 levels is an error.

mod csv_bundle;
mod csv_text;
pub mod dna;
pub mod dot;
mod error;
pub mod gexf;
pub mod gexf_dynamic;
mod graph;
pub mod graphml;
mod json_bundle;
mod xml;

use std::cmp::Ordering;
use std::path::PathBuf;

pub use csv_bundle::{
    csv_bundle_files, csv_bundle_files_with, entity_of_file_name, read_csv_bundle,
    read_csv_bundle_with, read_csv_files, read_csv_files_checked, write_csv_bundle,
    write_csv_concatenated, write_csv_dir, ACTOR_COLUMNS, MAP_FILE, NARRATIVE_COLUMNS,
    PLANTED_FILE, STANCE_COLUMNS, TIE_COLUMNS,
};
pub use csv_text::{join_list, neutralise_formula_cell, restore_formula_cell, split_list};
pub use error::{ImportError, ImportErrors, Origins, Parsed};
pub use graph::{keeps_discourse_edge, CoalitionLabel, GraphAnnotations, GraphOptions, View};
pub use json_bundle::{read_json_bundle, read_json_text, write_json_bundle, MAX_JSON_DEPTH};

/// The import formats of `vertoog import --format` (docs/interfaces.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Csv,
    Json,
    Dna,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Dna => "dna",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "dna" => Some(Format::Dna),
            _ => None,
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The format of an import from its paths (docs/interfaces.md, `import`): a folder is CSV (or JSON
/// when it holds no `.csv` file and exactly one `.json` file, a lone bundle), `.csv` is CSV,
/// `.json` JSON, `.dna` DNA (extensions in any case). JSON and DNA take exactly one path;
/// mixed formats are an error, as is an unknown extension (the message suggests `--format`).
pub fn detect_format(paths: &[PathBuf]) -> Result<Format, String> {
    if paths.is_empty() {
        return Err("no file or folder given to import".into());
    }
    let mut found: Vec<Format> = Vec::new();
    for p in paths {
        let f = if p.is_dir() {
            let entries: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| format!("{}: cannot read the folder: {e}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            let count = |ext: &str| entries.iter().filter(|e| has_ext(e, ext)).count();
            if count("csv") == 0 && count("json") == 1 {
                Format::Json
            } else {
                Format::Csv
            }
        } else if has_ext(p, "csv") {
            Format::Csv
        } else if has_ext(p, "json") {
            Format::Json
        } else if has_ext(p, "dna") {
            Format::Dna
        } else {
            return Err(format!(
                "cannot tell the format of `{}` from its name; use --format csv|json|dna",
                p.display()
            ));
        };
        found.push(f);
    }
    let first = found[0];
    if found.iter().any(|f| *f != first) {
        return Err("the paths mix formats; import one format at a time".into());
    }
    if first != Format::Csv && paths.len() > 1 {
        return Err(format!(
            "a {first} import takes exactly one file; {} were given",
            paths.len()
        ));
    }
    Ok(first)
}

fn has_ext(p: &std::path::Path, ext: &str) -> bool {
    p.extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case(ext))
}

/// A value shortened to 40 characters for an error message (a 10 MB cell must not come back
/// whole in every error).
pub(crate) fn clip(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Natural order of ids: runs of digits compare as numbers, so `s2` < `s10`; ties broken by
/// plain string order so the order is total.
pub(crate) fn natural_cmp(a: &str, b: &str) -> Ordering {
    fn chunks(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = s.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                out.push((bytes[start].is_ascii_digit(), &s[start..i]));
                start = i;
            }
        }
        out
    }
    let (ca, cb) = (chunks(a), chunks(b));
    for ((da, xa), (db, xb)) in ca.iter().zip(&cb) {
        let ord = if *da && *db {
            let (ta, tb) = (xa.trim_start_matches('0'), xb.trim_start_matches('0'));
            ta.len().cmp(&tb.len()).then(ta.cmp(tb))
        } else {
            xa.cmp(xb)
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    ca.len().cmp(&cb.len()).then(a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut ids = vec!["s10", "s2", "a", "s1", "", "b-2", "b-10", "s02"];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(ids, ["", "a", "b-2", "b-10", "s1", "s02", "s2", "s10"]);
    }

    #[test]
    fn formats_from_paths() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("bundle");
        std::fs::create_dir(&csv).unwrap();
        std::fs::write(csv.join("actors.csv"), "id,name\n").unwrap();
        let json_dir = dir.path().join("j");
        std::fs::create_dir(&json_dir).unwrap();
        std::fs::write(json_dir.join("map.json"), "{}").unwrap();
        assert_eq!(detect_format(std::slice::from_ref(&csv)), Ok(Format::Csv));
        assert_eq!(detect_format(&[json_dir]), Ok(Format::Json));
        assert_eq!(detect_format(&["x/Map.JSON".into()]), Ok(Format::Json));
        assert_eq!(detect_format(&["x.dna".into()]), Ok(Format::Dna));
        assert_eq!(
            detect_format(&["a-actors.csv".into(), "ties.csv".into()]),
            Ok(Format::Csv)
        );
        assert_eq!(
            detect_format(&["a.csv".into(), "b.json".into()]),
            Err("the paths mix formats; import one format at a time".into())
        );
        assert_eq!(
            detect_format(&["a.json".into(), "b.json".into()]),
            Err("a json import takes exactly one file; 2 were given".into())
        );
        assert_eq!(
            detect_format(&["data.xlsx".into()]),
            Err(
                "cannot tell the format of `data.xlsx` from its name; use --format csv|json|dna"
                    .into()
            )
        );
        assert!(detect_format(&[]).is_err());
    }
}
