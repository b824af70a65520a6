//! The CSV bundle of docs/interfaces.md §8: `actors.csv`, `narratives.csv`, `stances.csv`, `ties.csv`.
//!
//! Decisions where docs/interfaces.md §8 is silent (also in the crate docs):
//! - A PATH is a folder (its four files are read; absent ones count as empty, but a folder
//!   with none of them is an error) or a file whose name says the entity: `actors.csv` or
//!   `<anything>-actors.csv` / `<anything>_actors.csv` (any case). Several files of one
//!   entity are read one after the other.
//! - A leading UTF-8 byte order mark is accepted and stripped; the export writes none.
//! - Column names are trimmed and compared in lower case. Blank records (an empty line, or
//!   only separators as spreadsheets write for empty rows) are skipped.
//! - Ids, numbers, booleans, dates and enumerations are trimmed; names, labels, aliases and
//!   tags are trimmed; other free text (notes, description, source, quote, note, owner) is
//!   kept exactly.
//! - Booleans are `true`/`false` in any case (spreadsheets write `TRUE`).
//! - Lists are `;`-separated; `\;` is a `;` inside an item and `\\` a backslash.
//! - Export: columns in a fixed order, rows sorted by id (natural order: `s2` before `s10`),
//!   optional fields empty when they hold their default, records ended by `\n`.

use rustc_hash::FxHashMap;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use vertoog_model::{
    parse_date, validate_actor, validate_narrative, validate_stance, validate_tie, Actor,
    ActorKind, Bundle, Capped, Engagement, EntityKind, FieldError, Map, Narrative, Stance, Tie,
    TieKind,
};

use crate::csv_text::{
    join_list, neutralise_formula_cell, push_record, restore_formula_cell, split_list, RecordReader,
};
use crate::error::{ImportError, ImportErrors, Origins, Parsed};
use crate::{clip, natural_cmp};

/// Columns of `actors.csv`, in export order (docs/interfaces.md §8, docs/method.md §12).
pub const ACTOR_COLUMNS: [&str; 15] = [
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
];
/// Columns of `narratives.csv`, in export order.
pub const NARRATIVE_COLUMNS: [&str; 5] = ["id", "label", "description", "core", "tags"];
/// Columns of `stances.csv`, in export order.
pub const STANCE_COLUMNS: [&str; 7] = [
    "id",
    "actor",
    "narrative",
    "position",
    "date",
    "source",
    "quote",
];
/// Columns of `ties.csv`, in export order.
pub const TIE_COLUMNS: [&str; 9] = [
    "id", "source", "target", "kind", "weight", "directed", "since", "until", "note",
];

/// The entities of a CSV bundle, in reading order (interactions before the commitments and
/// plan items that name them).
const ENTITIES: [EntityKind; 7] = [
    EntityKind::Actor,
    EntityKind::Narrative,
    EntityKind::Stance,
    EntityKind::Tie,
    EntityKind::Interaction,
    EntityKind::Commitment,
    EntityKind::PlanItem,
];

#[path = "csv_engagement.rs"]
mod engagement;
pub use engagement::{COMMITMENT_COLUMNS, INTERACTION_COLUMNS, PLAN_COLUMNS};

fn columns(kind: EntityKind) -> &'static [&'static str] {
    match kind {
        EntityKind::Actor => &ACTOR_COLUMNS,
        EntityKind::Narrative => &NARRATIVE_COLUMNS,
        EntityKind::Stance => &STANCE_COLUMNS,
        EntityKind::Tie => &TIE_COLUMNS,
        EntityKind::Interaction => &INTERACTION_COLUMNS,
        EntityKind::Commitment => &COMMITMENT_COLUMNS,
        EntityKind::PlanItem => &PLAN_COLUMNS,
        EntityKind::Map => &[],
    }
}

fn required(kind: EntityKind) -> &'static [&'static str] {
    match kind {
        EntityKind::Actor => &["id", "name"],
        EntityKind::Narrative => &["id", "label"],
        EntityKind::Stance => &["actor", "narrative", "position"],
        EntityKind::Tie => &["source", "target"],
        EntityKind::Interaction => &["date", "title", "actors"],
        EntityKind::Commitment => &["actor", "direction", "text", "made_on"],
        EntityKind::PlanItem => &["title", "adopted_on"],
        EntityKind::Map => &[],
    }
}

/// The entity a CSV file holds, from its name: `actors.csv`, or a name ending in
/// `-actors.csv` or `_actors.csv` (any case); likewise for narratives, stances and ties.
pub fn entity_of_file_name(name: &str) -> Option<EntityKind> {
    let lower = name.to_lowercase();
    ENTITIES.into_iter().find(|k| {
        let base = format!("{}.csv", k.plural());
        lower == base
            || lower.ends_with(&format!("-{base}"))
            || lower.ends_with(&format!("_{base}"))
    })
}

/// The files a CSV import of `paths` reads, with their entity, in reading order (folders
/// first expanded to their existing `actors.csv`, `narratives.csv`, `stances.csv`,
/// `ties.csv`). The CLI sums their sizes as the total of the progress bar.
pub fn csv_bundle_files(paths: &[PathBuf]) -> Result<Vec<(PathBuf, EntityKind)>, ImportErrors> {
    csv_bundle_files_with(paths, false).map(|(files, _)| files)
}

/// The files of a CSV bundle with their entity, in reading order.
pub type BundleFiles = Vec<(PathBuf, EntityKind)>;

/// [`csv_bundle_files`], naming every other CSV file a bundle folder holds (`*.csv` in any
/// case; hidden files, other files such as a README or a script, and subfolders are not
/// bundle files), as unknown columns are named: an error, or
/// with `ignore_unknown_files` a warning (returned), so that a typo in a file name never
/// drops data in silence.
pub fn csv_bundle_files_with(
    paths: &[PathBuf],
    ignore_unknown_files: bool,
) -> Result<(BundleFiles, Vec<String>), ImportErrors> {
    let mut warnings = Vec::new();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    if paths.is_empty() {
        errors.push(ImportError::new(
            "import",
            None,
            None,
            "no file or folder given",
        ));
    }
    for p in paths {
        let shown = p.display().to_string();
        if p.is_dir() {
            let mut found = false;
            for kind in ENTITIES {
                let f = p.join(format!("{}.csv", kind.plural()));
                if f.is_file() {
                    files.push((f, kind));
                    found = true;
                }
            }
            let mut known: Vec<String> = ENTITIES
                .iter()
                .map(|k| format!("{}.csv", k.plural()))
                .collect();
            known.push(MAP_FILE.to_string());
            // `vertoog generate` writes its answer key beside the bundle: known, not imported.
            known.push(PLANTED_FILE.to_string());
            let map_file = p.join(MAP_FILE);
            if map_file.is_file() {
                files.push((map_file, EntityKind::Map));
            }
            let mut unknown: Vec<String> = std::fs::read_dir(p)
                .map(|d| {
                    d.filter_map(|e| e.ok())
                        .filter(|e| e.path().is_file())
                        .map(|e| e.file_name().to_string_lossy().to_string())
                        .filter(|n| {
                            !n.starts_with('.')
                                && n.to_lowercase().ends_with(".csv")
                                && !known.contains(n)
                        })
                        .collect()
                })
                .unwrap_or_default();
            unknown.sort();
            for name in unknown {
                let shown_file = p.join(&name).display().to_string();
                if ignore_unknown_files {
                    warnings.push(format!(
                        "{shown_file}: unknown file in the bundle folder, not imported"
                    ));
                } else {
                    errors.push(ImportError::new(
                        shown_file,
                        None,
                        None,
                        "unknown file in the bundle folder: a CSV bundle holds actors.csv, \
                         narratives.csv, stances.csv, ties.csv, interactions.csv, \
                         commitments.csv, plan.csv and map.csv; rename the file, or import \
                         without it with --ignore-unknown-files",
                    ));
                }
            }
            if !found {
                errors.push(ImportError::new(
                    shown,
                    None,
                    None,
                    "the folder holds none of actors.csv, narratives.csv, stances.csv, ties.csv",
                ));
            }
        } else if !p.exists() {
            errors.push(ImportError::new(
                shown,
                None,
                None,
                "no such file or folder",
            ));
        } else {
            let name = p.file_name().map(|n| n.to_string_lossy().to_string());
            match name.as_deref().and_then(entity_of_file_name) {
                Some(kind) => files.push((p.clone(), kind)),
                None => errors.push(ImportError::new(
                    shown,
                    None,
                    None,
                    "cannot tell which entity the file holds; name it actors.csv, \
                     narratives.csv, stances.csv, ties.csv, interactions.csv, \
                     commitments.csv or plan.csv (a prefix such as 2024-actors.csv is \
                     allowed)",
                )),
            }
        }
    }
    if errors.is_empty() {
        // Actors before narratives before stances before ties, whatever order they came in.
        files.sort_by_key(|(_, k)| ENTITIES.iter().position(|e| e == k));
        Ok((files, warnings))
    } else {
        Err(ImportErrors::all(errors))
    }
}

/// Reads a CSV bundle (docs/interfaces.md §8, file formats) from folders and/or files into a bundle whose
/// map is `target` (whose domain vocabulary the actors are checked against).
///
/// Every error of every file is returned together; each names the file, the 1-based line
/// where the record starts and the column. Checked here: encoding, quoting, header (required,
/// unknown and repeated columns), column counts, every field (with vertoog-model's validation)
/// and duplicate ids. References (a stance's actor, ...) are not checked here, because the
/// target map may already hold them: see [`Parsed::reference_errors`].
///
/// `progress`, when given, is called with the number of bytes read so far over all files
/// (at least every 64 KiB and at the end of each file).
pub fn read_csv_bundle(
    paths: &[PathBuf],
    target: &Map,
    progress: Option<&mut dyn FnMut(u64)>,
) -> Result<Parsed, ImportErrors> {
    read_csv_bundle_with(paths, target, progress, false, None).map(|(p, _)| p)
}

/// [`read_csv_bundle`]; unknown files in a folder are errors, or with
/// `ignore_unknown_files` warnings (returned): see [`csv_bundle_files_with`]; `existing`:
/// see [`read_csv_files_checked`].
pub fn read_csv_bundle_with(
    paths: &[PathBuf],
    target: &Map,
    progress: Option<&mut dyn FnMut(u64)>,
    ignore_unknown_files: bool,
    existing: Option<&mut dyn FnMut() -> Option<Bundle>>,
) -> Result<(Parsed, Vec<String>), ImportErrors> {
    let (files, warnings) = csv_bundle_files_with(paths, ignore_unknown_files)?;
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for (path, _) in &files {
        match std::fs::read(path) {
            Ok(bytes) => inputs.push((path.display().to_string(), bytes)),
            Err(e) => errors.push(ImportError::new(
                path.display().to_string(),
                None,
                None,
                format!("cannot read the file: {e}"),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(ImportErrors::all(errors));
    }
    read_csv_files_checked(&inputs, target, progress, existing).map(|p| (p, warnings))
}

/// Like [`read_csv_bundle`], for files already in memory (e.g. a multipart upload): each
/// is `(file name, content)`, and the entity follows from the name as in
/// [`entity_of_file_name`].
pub fn read_csv_files(
    files: &[(String, Vec<u8>)],
    target: &Map,
    progress: Option<&mut dyn FnMut(u64)>,
) -> Result<Parsed, ImportErrors> {
    read_csv_files_checked(files, target, progress, None)
}

/// [`read_csv_files`]; when the files have field errors and `existing` is given, the
/// reference errors of the rows read (references that resolve neither in the files nor in
/// `existing()`, the map's stored content) are reported with them, in one report sorted by
/// file and line, rather than only after the field errors are fixed. A reference whose field
/// already has an error is not reported twice. (Without field errors the store checks the
/// references, against what it holds.)
pub fn read_csv_files_checked(
    files: &[(String, Vec<u8>)],
    target: &Map,
    mut progress: Option<&mut dyn FnMut(u64)>,
    existing: Option<&mut dyn FnMut() -> Option<Bundle>>,
) -> Result<Parsed, ImportErrors> {
    let mut st = State {
        bundle: Bundle::new(target.clone()),
        origins: Origins::default(),
        errors: Capped::new(),
        seen: FxHashMap::default(),
    };
    let mut ordered: Vec<(&String, &Vec<u8>, EntityKind)> = Vec::new();
    for (name, bytes) in files {
        let base = Path::new(name)
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| name.clone());
        if base.eq_ignore_ascii_case(MAP_FILE) {
            read_map_file(&mut st, name, bytes);
            continue;
        }
        match entity_of_file_name(&base) {
            Some(kind) => ordered.push((name, bytes, kind)),
            None => st.errors.push(ImportError::new(
                name.clone(),
                None,
                None,
                "cannot tell which entity the file holds; name it actors.csv, \
                 narratives.csv, stances.csv, ties.csv, interactions.csv, commitments.csv \
                 or plan.csv",
            )),
        }
    }
    ordered.sort_by_key(|(_, _, k)| ENTITIES.iter().position(|e| e == k));
    let mut done = 0u64;
    // Entities are checked against the map's own fields of the bundle (map.csv) if it has
    // them, else against the target map.
    let map = st.bundle.map.clone();
    for (k, &(name, bytes, kind)) in ordered.iter().enumerate() {
        // Ids are kept for the duplicate check of a later file of the same entity.
        let keep_ids = ordered[k + 1..].iter().any(|(_, _, other)| *other == kind);
        read_one(
            &mut st,
            File { name, keep_ids },
            bytes,
            kind,
            &map,
            done,
            &mut progress,
        );
        done += bytes.len() as u64;
        if let Some(p) = progress.as_mut() {
            p(done);
        }
    }
    if st.errors.is_empty() {
        return Ok(Parsed {
            bundle: st.bundle,
            origins: st.origins,
        });
    }
    let Some(existing) = existing else {
        return Err(st.errors.into());
    };
    let stored = existing();
    let parsed = Parsed {
        bundle: st.bundle,
        origins: st.origins,
    };
    let (mut list, more) = st.errors.into_parts();
    let taken: HashSet<(String, Option<u64>, Option<String>)> = list
        .iter()
        .map(|e| (e.file.clone(), e.line, e.field.clone()))
        .collect();
    let mut all: Capped<ImportError> = Capped::new();
    // Reference errors come in file order: beyond the first MAX_ERRORS of them none can be
    // listed, so they are only counted.
    let mut ref_more = 0usize;
    let mut refs = Vec::new();
    parsed.each_reference_error(stored.as_ref(), |e| {
        if taken.contains(&(e.file.clone(), e.line, e.field.clone())) {
            return;
        }
        if refs.len() < vertoog_model::MAX_ERRORS {
            refs.push(e);
        } else {
            ref_more += 1;
        }
    });
    list.extend(refs);
    // One report in file and line order (stable: a line's errors keep their order).
    let order = |f: &str| files.iter().position(|(n, _)| n == f).unwrap_or(usize::MAX);
    list.sort_by_key(|e| (entity_rank(&e.file), order(&e.file), e.line));
    all.extend(list);
    let (list, more2) = all.into_parts();
    Err(ImportErrors(list, more + more2 + ref_more))
}

/// The reading order of a file by its entity (actors first), for sorting a report.
fn entity_rank(file: &str) -> usize {
    let base = Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    entity_of_file_name(&base)
        .and_then(|k| ENTITIES.iter().position(|e| *e == k))
        .unwrap_or(ENTITIES.len())
}

struct State {
    bundle: Bundle,
    origins: Origins,
    errors: Capped<ImportError>,
    /// First (file, line) of every id per entity, for duplicate detection.
    /// Only of files followed by another of the same entity.
    seen: FxHashMap<EntityKind, FxHashMap<String, (std::rc::Rc<str>, u64)>>,
}

/// Decodes UTF-8 (stripping a BOM); every line with invalid bytes is reported and the rest is
/// read with replacement characters so that other errors are found too.
fn decode(file: &str, bytes: &[u8], errors: &mut Capped<ImportError>) -> (String, usize) {
    let (bytes, skipped) = match bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()) {
        Some(rest) => (rest, 3),
        None => (bytes, 0),
    };
    let mut pos = 0;
    let mut line = 1u64;
    let mut counted = 0;
    let mut last_reported = 0;
    while pos < bytes.len() {
        match std::str::from_utf8(&bytes[pos..]) {
            Ok(_) => break,
            Err(e) => {
                let bad = pos + e.valid_up_to();
                line += bytes[counted..bad].iter().filter(|b| **b == b'\n').count() as u64;
                counted = bad;
                if line != last_reported {
                    errors.push(ImportError::new(
                        file,
                        Some(line),
                        None,
                        format!(
                            "invalid UTF-8 (byte 0x{:02X} at offset {}); save the file as UTF-8",
                            bytes[bad],
                            bad + skipped
                        ),
                    ));
                    last_reported = line;
                }
                pos = bad + e.error_len().unwrap_or(bytes.len() - bad);
            }
        }
    }
    (String::from_utf8_lossy(bytes).into_owned(), skipped)
}

/// A file to read: its name, and whether another of the same entity follows.
struct File<'a> {
    name: &'a str,
    keep_ids: bool,
}

fn read_one(
    st: &mut State,
    File {
        name: file,
        keep_ids,
    }: File<'_>,
    bytes: &[u8],
    kind: EntityKind,
    target: &Map,
    base: u64,
    progress: &mut Option<&mut dyn FnMut(u64)>,
) {
    let (text, skipped) = decode(file, bytes, &mut st.errors);
    let known = columns(kind);
    let mut records = RecordReader::new(&text);
    let header = loop {
        match records.next() {
            None => {
                st.errors.push(ImportError::new(
                    file,
                    None,
                    None,
                    format!(
                        "the file is empty; its first line must name the columns, at least `{}`",
                        required(kind).join(",")
                    ),
                ));
                return;
            }
            Some(r) if r.is_blank() && r.fields.len() == 1 => continue,
            Some(r) => break r,
        }
    };
    let line = Some(header.line);
    if let Some((_, msg)) = &header.error {
        st.errors
            .push(ImportError::new(file, line, None, format!("header: {msg}")));
        return;
    }
    // Column index -> known column name (None for an unknown column).
    let mut names: Vec<Option<&'static str>> = Vec::new();
    let mut header_ok = true;
    for raw in &header.fields {
        let name = raw.trim().to_lowercase();
        if name.is_empty() {
            st.errors.push(ImportError::new(
                file,
                line,
                None,
                "the header has an empty column name",
            ));
            header_ok = false;
            names.push(None);
        } else if let Some(k) = known.iter().find(|k| **k == name) {
            if names.contains(&Some(*k)) {
                st.errors.push(ImportError::new(
                    file,
                    line,
                    None,
                    format!("column `{k}` appears twice"),
                ));
                header_ok = false;
            }
            names.push(Some(*k));
        } else {
            st.errors.push(ImportError::new(
                file,
                line,
                None,
                format!(
                    "unknown column `{}`; the columns of {}.csv are {}",
                    clip(raw.trim()),
                    kind.plural(),
                    known.join(", ")
                ),
            ));
            names.push(None);
        }
    }
    for req in required(kind) {
        if !names.contains(&Some(*req)) {
            st.errors.push(ImportError::new(
                file,
                line,
                None,
                format!("missing required column `{req}`"),
            ));
            header_ok = false;
        }
    }
    // About one record per line: size the duplicate-id map once instead of rehashing it
    // while it grows (an M import's stances: 200,000 ids).
    let lines = text.bytes().filter(|&b| b == b'\n').count();
    if keep_ids {
        st.seen.entry(kind).or_default().reserve(lines);
    }
    st.origins.reserve(kind, lines);
    if !header_ok {
        // Only the progress: no row can be read without its columns.
        if let Some(p) = progress.as_mut() {
            p(base + (text.len() + skipped) as u64);
        }
        return;
    }
    let ctx = RowCtx {
        file,
        kind,
        names: &names,
        target,
    };
    let body = records.cursor();
    let mut tick = |end: usize| {
        if let Some(p) = progress.as_mut() {
            p(base + (end + skipped) as u64);
        }
    };
    let chunks = match split_point(&text, body.0) {
        None => {
            let mut rows = Rows::new(target, lines);
            read_rows(&ctx, &mut records, text.len(), &mut rows, &mut tick);
            vec![rows]
        }
        Some((mid, mid_line)) => {
            // Two halves on the two cores. The second starts at `mid` as if a record ended
            // there on line `mid_line`; the first reads on from the start and checks that
            // one does (else, e.g. `mid` inside a quoted field, it reads the rest itself and
            // the second half's work is dropped). Either way the rows are exactly the
            // sequential reader's.
            let text = text.as_str();
            std::thread::scope(|scope| {
                let second = scope.spawn(|| {
                    let mut rows = Rows::new(target, count_lines(&text[mid..]));
                    let mut rest = RecordReader::at(text, mid, mid_line);
                    read_rows(&ctx, &mut rest, text.len(), &mut rows, &mut |_| {});
                    rows
                });
                // Room for both halves: the second is appended to it.
                let mut rows = Rows::new(target, lines);
                read_rows(&ctx, &mut records, mid, &mut rows, &mut tick);
                let second = second.join();
                match second {
                    Ok(second) if records.cursor() == (mid, mid_line) => {
                        #[cfg(test)]
                        HALVES.with(|h| h.set(h.get() + 1));
                        vec![rows, second]
                    }
                    _ => {
                        read_rows(&ctx, &mut records, text.len(), &mut rows, &mut tick);
                        vec![rows]
                    }
                }
            })
        }
    };
    merge_rows(st, &ctx, chunks, keep_ids);
}

/// Makes room for `n` more entities of `kind` in `bundle`.
fn reserve(bundle: &mut Bundle, kind: EntityKind, n: usize) {
    let b = bundle;
    match kind {
        EntityKind::Actor => b.actors.reserve(n),
        EntityKind::Narrative => b.narratives.reserve(n),
        EntityKind::Stance => b.stances.reserve(n),
        EntityKind::Tie => b.ties.reserve(n),
        EntityKind::Interaction => b.interactions.reserve(n),
        EntityKind::Commitment => b.commitments.reserve(n),
        EntityKind::PlanItem => b.plan.reserve(n),
        EntityKind::Map => {}
    }
}

fn count_lines(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count()
}

/// Below this many bytes of records a file is read on one core.
const SPLIT_BYTES: usize = 1 << 20;

#[cfg(test)]
thread_local! {
    /// Tests: read every file on one core, to compare with the halves.
    static NO_SPLIT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Tests: how many files were read in two halves.
    static HALVES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Where to split the records of `text` (from byte `body`) for reading in two halves: the
/// start of the line after the middle, with its line number as the reader counts lines
/// (`None` for a small file, or when the first half has an odd number of quotes or a lone
/// CR, where the count would need the reader's own parse). The reader of the first half
/// confirms that a record ends there.
fn split_point(text: &str, body: usize) -> Option<(usize, u64)> {
    let bytes = text.as_bytes();
    #[cfg(test)]
    if NO_SPLIT.with(|n| n.get()) {
        return None;
    }
    if bytes.len().saturating_sub(body) < SPLIT_BYTES {
        return None;
    }
    let middle = body + (bytes.len() - body) / 2;
    let mid = middle + bytes[middle..].iter().position(|&b| b == b'\n')? + 1;
    if mid >= bytes.len() {
        return None;
    }
    let head = &bytes[..mid];
    let quotes = head.iter().filter(|&&b| b == b'"').count();
    let lone_cr = head
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\r' && head.get(i + 1) != Some(&b'\n'));
    if quotes % 2 == 1 || lone_cr {
        return None;
    }
    Some((mid, 1 + head.iter().filter(|&&b| b == b'\n').count() as u64))
}

/// What the rows of one file need to know.
struct RowCtx<'a> {
    file: &'a str,
    kind: EntityKind,
    /// Column index -> known column name.
    names: &'a [Option<&'static str>],
    target: &'a Map,
}

/// The rows of a stretch of a file: its entities (in a bundle's list of their kind), the
/// line of each, and its errors in line order.
struct Rows {
    bundle: Bundle,
    lines: Vec<u64>,
    errors: Capped<ImportError>,
}

impl Rows {
    fn new(target: &Map, capacity: usize) -> Self {
        Rows {
            bundle: Bundle::new(Map::new(target.id.clone())),
            lines: Vec::with_capacity(capacity),
            errors: Capped::new(),
        }
    }
}

/// Reads the records of `records` that start before byte `limit` into `rows`; `tick` gets
/// the byte offset reached now and then.
fn read_rows(
    ctx: &RowCtx,
    records: &mut RecordReader<'_>,
    limit: usize,
    rows: &mut Rows,
    tick: &mut dyn FnMut(usize),
) {
    let RowCtx {
        file,
        kind,
        names,
        target,
    } = *ctx;
    if rows.lines.capacity() > 0 {
        reserve(&mut rows.bundle, kind, rows.lines.capacity());
    }
    let mut last_progress = records.cursor().0;
    while records.cursor().0 < limit {
        let Some(rec) = records.next() else { break };
        if rec.end - last_progress >= 64 * 1024 {
            last_progress = rec.end;
            tick(rec.end);
        }
        if let Some((index, msg)) = &rec.error {
            let field = names.get(*index).copied().flatten();
            rows.errors
                .push(ImportError::new(file, Some(rec.line), field, msg.clone()));
            continue;
        }
        if rec.is_blank() {
            continue;
        }
        if rec.fields.len() != names.len() {
            rows.errors.push(ImportError::new(
                file,
                Some(rec.line),
                None,
                format!(
                    "the record has {} fields but the header has {}",
                    rec.fields.len(),
                    names.len()
                ),
            ));
            continue;
        }
        let mut row = Row {
            cells: names
                .iter()
                .zip(&rec.fields)
                .filter_map(|(n, v)| n.map(|n| (n, v.as_ref())))
                .collect(),
            errors: Vec::new(),
        };
        let field_errors = match kind {
            EntityKind::Actor => {
                let a = row.actor();
                let mut errs = std::mem::take(&mut row.errors);
                errs.extend(validate_actor(&a, target));
                rows.bundle.actors.push(a);
                errs
            }
            EntityKind::Narrative => {
                let n = row.narrative();
                let mut errs = std::mem::take(&mut row.errors);
                errs.extend(validate_narrative(&n));
                rows.bundle.narratives.push(n);
                errs
            }
            EntityKind::Stance => {
                let s = row.stance();
                let mut errs = std::mem::take(&mut row.errors);
                errs.extend(validate_stance(&s));
                rows.bundle.stances.push(s);
                errs
            }
            EntityKind::Tie => {
                let t = row.tie();
                let mut errs = std::mem::take(&mut row.errors);
                errs.extend(validate_tie(&t));
                rows.bundle.ties.push(t);
                errs
            }
            EntityKind::Interaction => {
                let i = row.interaction();
                let mut errs = std::mem::take(&mut row.errors);
                errs.extend(vertoog_model::validate_interaction(&i));
                rows.bundle.interactions.push(i);
                errs
            }
            EntityKind::Commitment => {
                let c = row.commitment();
                let mut errs = std::mem::take(&mut row.errors);
                errs.extend(vertoog_model::validate_commitment(&c));
                rows.bundle.commitments.push(c);
                errs
            }
            EntityKind::PlanItem => {
                let p = row.plan_item();
                let mut errs = std::mem::take(&mut row.errors);
                errs.extend(vertoog_model::validate_plan_item(&p));
                rows.bundle.plan.push(p);
                errs
            }
            EntityKind::Map => continue,
        };
        rows.lines.push(rec.line);
        // A cell that does not parse is reported by the row and replaced by its default,
        // which the model's validation accepts: no field is reported twice.
        for e in field_errors {
            rows.errors.push(ImportError::new(
                file,
                Some(rec.line),
                Some(&e.field),
                e.message,
            ));
        }
    }
}

/// The ids of the entities of `kind` in `bundle`, in list order.
fn ids_of(bundle: &Bundle, kind: EntityKind) -> Vec<&str> {
    let b = bundle;
    match kind {
        EntityKind::Actor => b.actors.iter().map(|e| e.id.as_str()).collect(),
        EntityKind::Narrative => b.narratives.iter().map(|e| e.id.as_str()).collect(),
        EntityKind::Stance => b.stances.iter().map(|e| e.id.as_str()).collect(),
        EntityKind::Tie => b.ties.iter().map(|e| e.id.as_str()).collect(),
        EntityKind::Interaction => b.interactions.iter().map(|e| e.id.as_str()).collect(),
        EntityKind::Commitment => b.commitments.iter().map(|e| e.id.as_str()).collect(),
        EntityKind::PlanItem => b.plan.iter().map(|e| e.id.as_str()).collect(),
        EntityKind::Map => Vec::new(),
    }
}

/// Adds the rows of the stretches of a file to `st` in file order: the entities with their
/// origins, and the errors of each row followed by its duplicate-id check against every id
/// read before it (so the errors come in the order of a reading row by row).
fn merge_rows(st: &mut State, ctx: &RowCtx, mut chunks: Vec<Rows>, keep_ids: bool) {
    let RowCtx { file, kind, .. } = *ctx;
    for rows in &chunks {
        st.origins.extend(kind, file, &rows.lines);
    }
    let errors: Vec<(Vec<ImportError>, usize)> = chunks
        .iter_mut()
        .map(|r| std::mem::take(&mut r.errors).into_parts())
        .collect();
    let ids: Vec<&str> = chunks
        .iter()
        .flat_map(|r| ids_of(&r.bundle, kind))
        .collect();
    let lines: Vec<u64> = chunks
        .iter()
        .flat_map(|r| r.lines.iter().copied())
        .collect();
    let mut repeats = vertoog_model::repeated_ids(&ids).into_iter().peekable();
    let shared_file: std::rc::Rc<str> = std::rc::Rc::from(file);
    let mut seen = st.seen.remove(&kind).unwrap_or_default();
    let mut row = 0;
    for ((errors, more), rows) in errors.into_iter().zip(&chunks) {
        let last = errors.last().cloned();
        let mut errors = errors.into_iter().peekable();
        for &line in &rows.lines {
            while let Some(e) = errors.next_if(|e| e.line.is_none_or(|l| l <= line)) {
                st.errors.push(e);
            }
            let id = ids[row];
            let repeat = repeats.next_if(|(r, _)| *r == row).map(|(_, first)| first);
            row += 1;
            if id.is_empty() {
                continue;
            }
            let first = match (seen.get(id), repeat) {
                // In an earlier file of the same entity.
                (Some((f, l)), _) => Some(if &**f == file {
                    format!("on line {l}")
                } else {
                    format!("in {f} line {l}")
                }),
                (None, Some(first)) => Some(format!("on line {}", lines[first])),
                (None, None) => None,
            };
            match first {
                Some(first) => st.errors.push(ImportError::new(
                    file,
                    Some(line),
                    Some("id"),
                    format!("duplicate {} id `{}` (first {first})", kind, clip(id)),
                )),
                None if keep_ids => {
                    seen.insert(id.to_string(), (shared_file.clone(), line));
                }
                None => {}
            }
        }
        st.errors.extend(errors);
        // The errors of the stretch beyond the kept ones: `st.errors` is full by now (it
        // took every kept one), so these only count.
        if let Some(e) = last {
            for _ in 0..more {
                st.errors.push(e.clone());
            }
        }
    }
    drop(ids);
    if !seen.is_empty() {
        st.seen.insert(kind, seen);
    }
    for mut rows in chunks {
        let (b, from) = (&mut st.bundle, &mut rows.bundle);
        append(&mut b.actors, &mut from.actors);
        append(&mut b.narratives, &mut from.narratives);
        append(&mut b.stances, &mut from.stances);
        append(&mut b.ties, &mut from.ties);
        append(&mut b.interactions, &mut from.interactions);
        append(&mut b.commitments, &mut from.commitments);
        append(&mut b.plan, &mut from.plan);
    }
}

/// Moves `src` to the end of `dst`, taking over its buffer when `dst` is empty.
fn append<T>(dst: &mut Vec<T>, src: &mut Vec<T>) {
    if dst.is_empty() && dst.capacity() <= src.capacity() {
        std::mem::swap(dst, src);
    } else {
        dst.append(src);
    }
}

/// One record as (column, raw cell) pairs, and the parse errors of its fields.
struct Row<'a> {
    cells: Vec<(&'static str, &'a str)>,
    errors: Vec<FieldError>,
}

impl<'a> Row<'a> {
    /// The raw cell of `col`, or None when the column is absent.
    fn raw(&self, col: &str) -> Option<&'a str> {
        self.cells.iter().find(|(c, _)| *c == col).map(|(_, v)| *v)
    }

    /// A trimmed structural cell (id, number, enum, date); None when absent or empty.
    fn plain(&self, col: &str) -> Option<&'a str> {
        self.raw(col).map(str::trim).filter(|s| !s.is_empty())
    }

    /// An id cell (trimmed); empty when absent.
    fn id(&self, col: &str) -> String {
        self.plain(col).unwrap_or("").to_string()
    }

    /// A free-text cell, kept exactly but for the formula rule.
    fn text(&self, col: &str) -> String {
        self.raw(col)
            .map(|v| restore_formula_cell(v).to_string())
            .unwrap_or_default()
    }

    /// A name or label: the formula rule, then trimmed.
    fn name(&self, col: &str) -> String {
        self.raw(col)
            .map(|v| restore_formula_cell(v).trim().to_string())
            .unwrap_or_default()
    }

    fn list(&self, col: &str) -> Vec<String> {
        self.raw(col)
            .map(|v| split_list(restore_formula_cell(v)))
            .unwrap_or_default()
    }

    fn fail(&mut self, col: &str, message: String) {
        self.errors.push(FieldError::new(col, message));
    }

    fn number(&mut self, col: &str, default: f64) -> f64 {
        let Some(v) = self.plain(col) else {
            return default;
        };
        match parse_number(v) {
            Ok(x) => x,
            Err(m) => {
                self.fail(col, m);
                default
            }
        }
    }

    fn boolean(&mut self, col: &str) -> Option<bool> {
        let v = self.plain(col)?;
        match v.to_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                let m = format!("`{}` is not a boolean; use true or false", clip(v));
                self.fail(col, m);
                None
            }
        }
    }

    fn position(&mut self, col: &str) -> Option<i8> {
        let v = self.plain(col)?;
        match v.parse::<i64>() {
            Ok(x) if i8::try_from(x).is_ok() => i8::try_from(x).ok(),
            Ok(x) => {
                self.fail(col, format!("{x} is outside -2..2"));
                None
            }
            Err(_) => {
                let m = format!("`{}` is not a whole number from -2 to 2", clip(v));
                self.fail(col, m);
                None
            }
        }
    }

    fn date(&mut self, col: &str) -> Option<vertoog_model::Date> {
        let v = self.plain(col)?;
        match parse_date(v) {
            Ok(d) => Some(d),
            Err(_) => {
                let m = format!("`{}` is not a date in the form YYYY-MM-DD", clip(v));
                self.fail(col, m);
                None
            }
        }
    }

    fn actor(&mut self) -> Actor {
        let mut a = Actor::new(self.id("id"), self.name("name"));
        a.aliases = self.list("aliases");
        if let Some(d) = self.plain("domain") {
            a.domain = d.to_string();
        }
        if let Some(k) = self.plain("kind") {
            match ActorKind::parse(&k.to_lowercase()) {
                Some(k) => a.kind = k,
                None => {
                    let m = format!(
                        "`{}` is not an actor kind; use organisation or person",
                        clip(k)
                    );
                    self.fail("kind", m);
                }
            }
        }
        a.parent = self.plain("parent").map(str::to_string);
        a.influence = self.number("influence", 0.5);
        a.interest = self.number("interest", 0.5);
        a.legitimacy = self.boolean("legitimacy").unwrap_or(false);
        a.urgency = self.boolean("urgency").unwrap_or(false);
        a.target_position = self.position("target_position");
        if let Some(e) = self.plain("engagement") {
            match Engagement::parse(&e.to_lowercase()) {
                Some(e) => a.engagement = Some(e),
                None => {
                    let m = format!(
                        "`{}` is not an engagement level; use inform, consult, involve, collaborate or empower",
                        clip(e)
                    );
                    self.fail("engagement", m);
                }
            }
        }
        a.owner = self.text("owner");
        a.tags = self.list("tags");
        a.notes = self.text("notes");
        a
    }

    fn narrative(&mut self) -> Narrative {
        let mut n = Narrative::new(self.id("id"), self.name("label"), false);
        n.description = self.text("description");
        n.core = self.boolean("core").unwrap_or(false);
        n.tags = self.list("tags");
        n
    }

    fn stance(&mut self) -> Stance {
        let position = match self.plain("position") {
            Some(_) => self.position("position").unwrap_or(0),
            None => {
                self.fail(
                    "position",
                    "is required: a whole number from -2 to 2".into(),
                );
                0
            }
        };
        let mut s = Stance::new(
            self.id("id"),
            self.id("actor"),
            self.id("narrative"),
            position,
        );
        s.date = self.date("date");
        s.source = self.text("source");
        s.quote = self.text("quote");
        s
    }

    fn tie(&mut self) -> Tie {
        let kind = match self.plain("kind") {
            None => TieKind::default(),
            Some(k) => TieKind::parse(&k.to_lowercase()).unwrap_or_else(|| {
                let m = format!(
                    "`{}` is not a tie kind; use collaboration, communication, funding, authority, membership or conflict",
                    clip(k)
                );
                self.fail("kind", m);
                TieKind::default()
            }),
        };
        let mut t = Tie::new(self.id("id"), self.id("source"), self.id("target"), kind);
        t.weight = self.number("weight", 0.5);
        if let Some(d) = self.boolean("directed") {
            t.directed = d;
        }
        t.since = self.date("since");
        t.until = self.date("until");
        t.note = self.text("note");
        t
    }
}

/// Parses a finite decimal number strictly (`0.5`, `1`, `.5`, `1e-3`); `0,5` gets a hint to
/// use a decimal point; `NaN` and `inf` are refused.
pub(crate) fn parse_number(v: &str) -> Result<f64, String> {
    let looks_numeric = v
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    match v.parse::<f64>() {
        Ok(x) if x.is_finite() && looks_numeric => Ok(x),
        _ if v.contains(',') && v.replace(',', ".").parse::<f64>().is_ok() => Err(format!(
            "`{}` is not a number; use a decimal point ({})",
            clip(v),
            v.replace(',', ".")
        )),
        _ => Err(format!("`{}` is not a number", clip(v))),
    }
}

fn opt_text(value: &str) -> String {
    neutralise_formula_cell(value).into_owned()
}

/// The file of a CSV bundle that holds the map's own fields.
pub const MAP_FILE: &str = "map.csv";

/// The planted groups `vertoog generate` writes beside the bundle (actor, group): the answer
/// key of benchmarks, skipped by the reader (docs/interfaces.md, `generate`).
pub const PLANTED_FILE: &str = "planted.csv";

/// Reads `map.csv`: a `field,value` header, then one row per field: `name`, `description`,
/// `domains` (a `;` list, the vocabulary), `settings` (the settings as JSON). A field left
/// out keeps the target map's value; an unknown field or a bad value is an error naming the
/// line.
fn read_map_file(st: &mut State, file: &str, bytes: &[u8]) {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let err =
        |line: Option<u64>, field: Option<&str>, m: String| ImportError::new(file, line, field, m);
    match rdr.headers() {
        Ok(h) => {
            let h: Vec<String> = h
                .iter()
                .map(|c| c.trim().trim_start_matches('\u{feff}').to_lowercase())
                .collect();
            if h != ["field", "value"] {
                st.errors.push(err(
                    Some(1),
                    None,
                    "header: map.csv has the columns field,value".into(),
                ));
                return;
            }
        }
        Err(e) => {
            st.errors.push(err(Some(1), None, format!("header: {e}")));
            return;
        }
    }
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                st.errors
                    .push(err(e.position().map(|p| p.line()), None, e.to_string()));
                continue;
            }
        };
        let line = rec.position().map(|p| p.line());
        let field = rec.get(0).unwrap_or("").trim().to_lowercase();
        let value = restore_formula_cell(rec.get(1).unwrap_or("")).to_string();
        let m = &mut st.bundle.map;
        match field.as_str() {
            "name" => m.name = value,
            "description" => m.description = value,
            "domains" => m.domains = split_list(&value),
            "settings" => match serde_json::from_str::<vertoog_model::Settings>(&value) {
                Ok(v) => m.settings = v,
                Err(e) => st.errors.push(err(line, Some("settings"), e.to_string())),
            },
            "" => {}
            other => st.errors.push(err(
                line,
                Some("field"),
                format!(
                    "unknown map field `{}`; map.csv holds name, description, domains, settings",
                    clip(other)
                ),
            )),
        }
    }
    for e in vertoog_model::validate_map(&st.bundle.map) {
        st.errors.push(err(None, Some(&e.field), e.message));
    }
}

fn map_csv(map: &Map) -> String {
    let mut out = String::new();
    push_record(&mut out, &["field".to_string(), "value".to_string()]);
    push_record(&mut out, &["name".to_string(), opt_text(&map.name)]);
    push_record(
        &mut out,
        &["description".to_string(), opt_text(&map.description)],
    );
    push_record(&mut out, &["domains".to_string(), list_cell(&map.domains)]);
    push_record(
        &mut out,
        &[
            "settings".to_string(),
            serde_json::to_string(&map.settings).unwrap_or_default(),
        ],
    );
    out
}

/// Numbers and booleans are written out even when they hold the default, so that a reader
/// without Vertoog's defaults (pandas, R) sees the value, not an empty cell.
fn number_cell(x: f64) -> String {
    format!("{x}")
}

fn bool_cell(b: bool) -> String {
    b.to_string()
}

fn date_cell(d: Option<vertoog_model::Date>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn list_cell(items: &[String]) -> String {
    opt_text(&join_list(items))
}

/// The files of [`write_csv_bundle`] in one text, each after a `# FILE` line and ending with a
/// line break (`vertoog export --format csv` without `--out`, and the HTTP CSV export without
/// `entity`).
pub fn write_csv_concatenated(bundle: &Bundle) -> String {
    let mut out = String::new();
    for (name, text) in write_csv_bundle(bundle) {
        out.push_str("# ");
        out.push_str(name);
        out.push('\n');
        out.push_str(&text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// Writes the four files of a CSV bundle: `(file name, content)` for `actors.csv`,
/// `narratives.csv`, `stances.csv`, `ties.csv` (each with its header even when empty).
///
/// Columns are in the order of [`ACTOR_COLUMNS`] etc.; rows sorted by id (natural order);
/// every number and boolean is written out (also a default: pandas must not see an empty
/// `directed`), and only absent optional values (None, empty text) are empty; every free-text cell
/// passes the spreadsheet formula rule ([`neutralise_formula_cell`]), numbers, ids and dates
/// never do. Reading the result back gives the same entities (round trip, docs/interfaces.md §8).
pub fn write_csv_bundle(bundle: &Bundle) -> Vec<(&'static str, String)> {
    let mut actors = bundle.actors.iter().collect::<Vec<_>>();
    actors.sort_by(|a, b| natural_cmp(&a.id, &b.id));
    let mut out = String::new();
    push_record(&mut out, &ACTOR_COLUMNS);
    for a in actors {
        push_record(
            &mut out,
            &[
                a.id.clone(),
                opt_text(&a.name),
                list_cell(&a.aliases),
                a.domain.clone(),
                a.kind.as_str().to_string(),
                a.parent.clone().unwrap_or_default(),
                number_cell(a.influence),
                number_cell(a.interest),
                bool_cell(a.legitimacy),
                bool_cell(a.urgency),
                a.target_position.map(|t| t.to_string()).unwrap_or_default(),
                a.engagement
                    .map(|e| e.as_str().to_string())
                    .unwrap_or_default(),
                opt_text(&a.owner),
                list_cell(&a.tags),
                opt_text(&a.notes),
            ],
        );
    }
    let actors_csv = out;

    let mut narratives = bundle.narratives.iter().collect::<Vec<_>>();
    narratives.sort_by(|a, b| natural_cmp(&a.id, &b.id));
    let mut out = String::new();
    push_record(&mut out, &NARRATIVE_COLUMNS);
    for n in narratives {
        push_record(
            &mut out,
            &[
                n.id.clone(),
                opt_text(&n.label),
                opt_text(&n.description),
                bool_cell(n.core),
                list_cell(&n.tags),
            ],
        );
    }
    let narratives_csv = out;

    let mut stances = bundle.stances.iter().collect::<Vec<_>>();
    stances.sort_by(|a, b| natural_cmp(&a.id, &b.id));
    let mut out = String::new();
    push_record(&mut out, &STANCE_COLUMNS);
    for s in stances {
        push_record(
            &mut out,
            &[
                s.id.clone(),
                s.actor.clone(),
                s.narrative.clone(),
                s.position.to_string(),
                date_cell(s.date),
                opt_text(&s.source),
                opt_text(&s.quote),
            ],
        );
    }
    let stances_csv = out;

    let mut ties = bundle.ties.iter().collect::<Vec<_>>();
    ties.sort_by(|a, b| natural_cmp(&a.id, &b.id));
    let mut out = String::new();
    push_record(&mut out, &TIE_COLUMNS);
    for t in ties {
        push_record(
            &mut out,
            &[
                t.id.clone(),
                t.source.clone(),
                t.target.clone(),
                t.kind.as_str().to_string(),
                number_cell(t.weight),
                bool_cell(t.directed),
                date_cell(t.since),
                date_cell(t.until),
                opt_text(&t.note),
            ],
        );
    }
    let ties_csv = out;

    let mut files = vec![
        ("actors.csv", actors_csv),
        ("narratives.csv", narratives_csv),
        ("stances.csv", stances_csv),
        ("ties.csv", ties_csv),
    ];
    // The engagement files only when there is engagement data: a map without it exports
    // exactly the files it always did.
    if bundle.has_engagement() {
        files.extend(engagement::write_engagement(
            &bundle.interactions,
            &bundle.commitments,
            &bundle.plan,
        ));
    }
    files.push((MAP_FILE, map_csv(&bundle.map)));
    files
}

/// Writes [`write_csv_bundle`]'s four files into `dir` (created when missing).
pub fn write_csv_dir(bundle: &Bundle, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, content) in write_csv_bundle(bundle) {
        std::fs::write(dir.join(name), content)?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "csv_bundle_tests.rs"]
mod tests;
