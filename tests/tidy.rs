//! "Tidy": ARCHITECTURE.md's invariants, checked on the source text so that a change that
//! breaks one fails the build's tests instead of waiting for a reviewer.
//!
//! - sled is visible only inside vertoog-store (no dependency, no `sled::` elsewhere);
//! - the core crates (model, analysis, layout, generate) do no I/O: no files, clock,
//!   environment, processes, sockets or unseeded randomness in their library code, and depend
//!   on no effectful crate;
//! - arrows of the crate graph point one way (the analysis never sees the store or the formats,
//!   the formats and the store never see the analysis);
//! - no `.unwrap()` or `.expect(` in library code (user input must become an error with file,
//!   line and field, never a panic), except the few invariant checks listed in [`ALLOWED`];
//! - at most one `unsafe` block, in vertoog-analysis (Brandes' inner loop).
//!
//! Test code (`#[cfg(test)]` items, files named `*tests.rs`, `tests/`, `benches/`) is exempt.

mod common;

use std::path::{Path, PathBuf};

use common::root;

const CORE: [&str; 5] = [
    "vertoog-model",
    "vertoog-analysis",
    "vertoog-layout",
    "vertoog-generate",
    "vertoog-brief",
];

/// Text that means file, clock, environment, process, network or random access.
const EFFECTS: [&str; 14] = [
    "std::fs",
    "std::env",
    "std::io::stdin",
    "std::process",
    "std::net",
    "File::open",
    "File::create",
    "SystemTime",
    "Instant::now",
    "Utc::now",
    "Local::now",
    "thread_rng",
    "getrandom",
    "env::var",
];

/// Crates the core may not depend on (they do I/O).
const EFFECTFUL_CRATES: [&str; 10] = [
    "sled",
    "rusqlite",
    "tokio",
    "axum",
    "getrandom",
    "rand",
    "vertoog-store",
    "vertoog-formats",
    "vertoog-server",
    "vertoog-app",
];

/// `.unwrap()`/`.expect(` in library code that checks an invariant, not input: (crate, text of
/// the line). Each states why it cannot fail.
const ALLOWED: [(&str, &str); 5] = [
    // A coalition is eligible for matching only after a lineage was given to it.
    (
        "vertoog-analysis",
        ".expect(\"eligible coalitions carry lineages\")",
    ),
    // A slug is sought over an unbounded range of suffixes.
    (
        "vertoog-model",
        ".expect(\"an unbounded range yields a free slug\")",
    ),
    // Settings is a struct of named fields: serde_json makes it an object.
    (
        "vertoog-model",
        ".expect(\"settings serialise to an object\")",
    ),
    // Inside the branch that follows an edge pushed in the same loop.
    ("vertoog-analysis", ".expect(\"a previous edge exists\")"),
    // A constant date.
    ("vertoog-generate", ".expect(\"valid date\")"),
];

fn crates() -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(root().join("crates"))
        .expect("crates/")
        .map(|e| e.expect("crates/ entry").path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    assert!(out.len() >= 8, "found the crates: {out:?}");
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries {
        let p = e.expect("dir entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out.sort();
}

/// The library source files of a crate (`src/`, without test-only files).
fn library_files(krate: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    rust_files(&krate.join("src"), &mut files);
    files.retain(|p| {
        let name = p.file_name().unwrap().to_string_lossy();
        !name.ends_with("tests.rs") && !p.components().any(|c| c.as_os_str() == "tests")
    });
    files
}

/// The lines of `text` outside `#[cfg(test)]` items and outside comments, with their numbers.
fn code_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut skipping = false;
    let mut depth: i64 = 0;
    let mut opened = false;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if !skipping && trimmed.starts_with("#[cfg(test)]") {
            skipping = true;
            depth = 0;
            opened = false;
            continue;
        }
        if skipping {
            for c in line.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            let item_ended = (opened && depth <= 0) || (!opened && trimmed.ends_with(';'));
            if item_ended {
                skipping = false;
            }
            continue;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        let code = match line.find("//") {
            // Keep `//` inside strings (URLs): cut only at a comment after code.
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        };
        out.push((i + 1, code.to_string()));
    }
    out
}

/// The names in the `[dependencies]` table of a Cargo.toml (not dev- or build-dependencies).
fn dependencies(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).expect("Cargo.toml");
    let mut in_deps = false;
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_deps = t == "[dependencies]";
            continue;
        }
        if in_deps && !t.is_empty() && !t.starts_with('#') {
            if let Some(name) = t.split(['=', '.', ' ']).next() {
                out.push(name.trim().to_string());
            }
        }
    }
    out
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root())
        .unwrap_or(p)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn sled_is_visible_only_inside_the_store() {
    let mut found = Vec::new();
    for (name, dir) in crates() {
        if name == "vertoog-store" {
            continue;
        }
        if dependencies(&dir.join("Cargo.toml"))
            .iter()
            .any(|d| d == "sled")
        {
            found.push(format!("{name}/Cargo.toml depends on sled"));
        }
        let mut files = Vec::new();
        rust_files(&dir.join("src"), &mut files);
        rust_files(&dir.join("tests"), &mut files);
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for (n, line) in code_lines(&text) {
                if line.contains("sled::") || line.contains("use sled") {
                    found.push(format!("{}:{n}: {}", rel(&f), line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "sled outside vertoog-store:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_core_crates_do_no_io() {
    let mut found = Vec::new();
    for (name, dir) in crates() {
        if !CORE.contains(&name.as_str()) {
            continue;
        }
        for d in dependencies(&dir.join("Cargo.toml")) {
            if EFFECTFUL_CRATES.contains(&d.as_str()) {
                found.push(format!("{name}/Cargo.toml depends on {d}"));
            }
        }
        for f in library_files(&dir) {
            let text = std::fs::read_to_string(&f).unwrap();
            for (n, line) in code_lines(&text) {
                for e in EFFECTS {
                    if line.contains(e) {
                        found.push(format!("{}:{n}: `{e}` in {}", rel(&f), line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "file, clock, environment or other effects in a core crate \
         (ARCHITECTURE.md: the core is values in, values out):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_crate_graph_points_one_way() {
    // (crate, crates it must not depend on)
    let rules: [(&str, &[&str]); 8] = [
        (
            "vertoog-model",
            &[
                "vertoog-analysis",
                "vertoog-formats",
                "vertoog-store",
                "vertoog-server",
                "vertoog-layout",
                "vertoog-generate",
            ],
        ),
        (
            "vertoog-analysis",
            &["vertoog-formats", "vertoog-store", "vertoog-server"],
        ),
        (
            "vertoog-formats",
            &["vertoog-analysis", "vertoog-store", "vertoog-server"],
        ),
        (
            "vertoog-store",
            &[
                "vertoog-analysis",
                "vertoog-formats",
                "vertoog-server",
                "vertoog-app",
            ],
        ),
        (
            "vertoog-layout",
            &["vertoog-store", "vertoog-server", "vertoog-formats"],
        ),
        ("vertoog-server", &["vertoog-cli"]),
        // The use cases sit below both front ends and above the data crates.
        (
            "vertoog-app",
            &["vertoog-server", "vertoog-cli", "vertoog-analysis"],
        ),
        (
            "vertoog-brief",
            &["vertoog-store", "vertoog-server", "vertoog-formats"],
        ),
    ];
    let all = crates();
    let mut found = Vec::new();
    for (name, forbidden) in rules {
        let (_, dir) = all
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("crate {name} exists"));
        for d in dependencies(&dir.join("Cargo.toml")) {
            if forbidden.contains(&d.as_str()) {
                found.push(format!("{name} depends on {d}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "an arrow points back:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_unwrap_or_expect_in_library_code() {
    let mut found = Vec::new();
    let mut used = vec![false; ALLOWED.len()];
    for (name, dir) in crates() {
        for f in library_files(&dir) {
            let text = std::fs::read_to_string(&f).unwrap();
            for (n, line) in code_lines(&text) {
                if !(line.contains(".unwrap()") || line.contains(".expect(")) {
                    continue;
                }
                match ALLOWED
                    .iter()
                    .position(|(c, t)| *c == name && line.contains(t))
                {
                    Some(i) => used[i] = true,
                    None => found.push(format!("{}:{n}: {}", rel(&f), line.trim())),
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "unwrap/expect in library code: return an error naming file, line and field instead, \
         or (for an invariant that cannot fail) add the line to ALLOWED in tests/tidy.rs \
         with the reason:\n{}",
        found.join("\n")
    );
    let stale: Vec<_> = ALLOWED
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(a, _)| format!("{a:?}"))
        .collect();
    assert!(
        stale.is_empty(),
        "ALLOWED entries that match nothing any more (remove them):\n{}",
        stale.join("\n")
    );
}

#[test]
fn at_most_one_unsafe_block_in_the_analysis() {
    let mut found = Vec::new();
    for (name, dir) in crates() {
        for f in library_files(&dir) {
            let text = std::fs::read_to_string(&f).unwrap();
            for (n, line) in code_lines(&text) {
                if line.contains("unsafe ") || line.contains("unsafe{") {
                    found.push((name.clone(), format!("{}:{n}", rel(&f))));
                }
            }
        }
    }
    assert!(
        found.len() <= 1 && found.iter().all(|(c, _)| c == "vertoog-analysis"),
        "ARCHITECTURE.md allows one unsafe block (Brandes' inner loop in vertoog-analysis): {found:?}"
    );
}

#[test]
fn the_scanner_sees_library_code_only() {
    let text = "use std::fs; // files\n\
                // std::env in a comment\n\
                fn f() -> u8 { g().unwrap() }\n\
                #[cfg(test)]\n\
                mod tests {\n    fn h() { std::env::var(\"X\").unwrap(); }\n}\n\
                #[cfg(test)]\n\
                mod more_tests;\n\
                fn after() { Instant::now(); }\n";
    let lines: Vec<(usize, String)> = code_lines(text);
    let numbers: Vec<usize> = lines.iter().map(|(n, _)| *n).collect();
    assert_eq!(numbers, vec![1, 3, 10], "{lines:?}");
    assert!(lines[0].1.contains("std::fs") && !lines[0].1.contains("files"));
    assert!(lines[1].1.contains(".unwrap()"));
    assert!(lines[2].1.contains("Instant::now"));
    let deps = std::env::temp_dir().join(format!("tidy-{}.toml", std::process::id()));
    std::fs::write(
        &deps,
        "[package]\nname = \"x\"\n[dependencies]\nsled.workspace = true\nserde = \"1\"\n\
         [dev-dependencies]\ntempfile = \"3\"\n",
    )
    .unwrap();
    assert_eq!(dependencies(&deps), vec!["sled", "serde"]);
    std::fs::remove_file(&deps).unwrap();
}
