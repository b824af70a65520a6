//! The layering of vertoog-analysis (lib.rs, "Layers"; ARCHITECTURE.md): every module uses
//! only modules of a lower layer or its own. This test reads the crate's sources, takes every
//! `crate::MODULE` path outside comments and outside `#[cfg(test)]` code, and fails on a use
//! of a module of the same or a higher layer. It also fails when a module is not in the table
//! (a new module must be given a layer).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The layers, bottom first. Keep in step with lib.rs and ARCHITECTURE.md.
const LAYERS: &[&[&str]] = &[
    &["prng", "nmi", "i18n"],
    &["prepare", "dna"],
    &["graph"],
    &["centrality", "discourse", "leiden"],
    &["metrics", "stakeholders", "structure"],
    &["coalitions", "relationships"],
    &["context", "coalition_view"],
    &["gaps", "changes"],
    &["simulation"],
    &["actions"],
    &["plans", "effect"],
    &["analyse"],
    &["whatif", "timeline", "report"],
    &["dynamics"],
];

fn layer_of() -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for (i, layer) in LAYERS.iter().enumerate() {
        for &name in *layer {
            m.insert(name, i);
        }
    }
    m
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// (top-level module, file) for every source file but lib.rs.
fn module_files() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(src()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            let mut stack = vec![path.clone()];
            while let Some(dir) = stack.pop() {
                for e in fs::read_dir(&dir).unwrap() {
                    let p = e.unwrap().path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == "rs") {
                        out.push((name.clone(), p));
                    }
                }
            }
        } else if path.extension().is_some_and(|x| x == "rs") && name != "lib" {
            out.push((name, path));
        }
    }
    out.sort();
    out
}

/// The code of a file without comments and without its `#[cfg(test)]` module (by convention
/// the last item of a file).
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules a piece of code names as `crate::NAME`, including the names inside a
/// `use crate::{a, b::c}` group.
fn used_modules(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a::x, b}`: the first path segment after `{` and after each top-level comma.
            let mut depth = 0;
            let mut start = true;
            for (k, ch) in group.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        rest = &group[k..];
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && (c.is_alphabetic() || c == '_') => {
                        let name: String = group[k..]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        out.push(name);
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out
}

#[test]
fn every_module_uses_only_lower_layers() {
    let layers = layer_of();
    // The crate root's re-exports (`crate::analyse` is the function, `crate::Window` a type)
    // are not modules; a use of them counts as a use of the module they come from, which the
    // root names below.
    let lib = fs::read_to_string(src().join("lib.rs")).unwrap();
    let mut reexport: BTreeMap<String, String> = BTreeMap::new();
    for line in lib.lines() {
        if let Some(rest) = line.strip_prefix("pub use ") {
            let (module, names) = rest.split_once("::").unwrap();
            for n in names.trim_matches(|c| "{};".contains(c)).split(',') {
                reexport.insert(n.trim().to_string(), module.to_string());
            }
        }
    }
    let mut errors = Vec::new();
    for (module, file) in module_files() {
        let Some(&own) = layers.get(module.as_str()) else {
            errors.push(format!(
                "{}: module `{module}` has no layer",
                file.display()
            ));
            continue;
        };
        let text = fs::read_to_string(&file).unwrap();
        for used in used_modules(&code(&text)) {
            let target = reexport.get(&used).cloned().unwrap_or(used.clone());
            if target == module {
                continue;
            }
            match layers.get(target.as_str()) {
                Some(&l) if l < own => {}
                Some(&l) => errors.push(format!(
                    "{}: `{module}` (layer {own}) uses `crate::{used}` (`{target}`, layer {l})",
                    file.display()
                )),
                None => errors.push(format!(
                    "{}: `crate::{used}` is neither a module with a layer nor a re-export",
                    file.display()
                )),
            }
        }
    }
    assert!(errors.is_empty(), "layering broken:\n{}", errors.join("\n"));
}

#[test]
fn the_layer_table_names_every_module_of_lib_rs() {
    let lib = fs::read_to_string(src().join("lib.rs")).unwrap();
    let declared: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';'))
        .collect();
    let layers = layer_of();
    let mut in_table: Vec<&str> = layers.keys().copied().collect();
    let mut declared_sorted = declared.clone();
    declared_sorted.sort();
    in_table.sort();
    assert_eq!(declared_sorted, in_table);
}

#[test]
fn the_parser_sees_grouped_and_inline_paths() {
    let code = code(
        "use crate::graph::{Csr, x};\nuse crate::{metrics::{a, b}, prepare};\n\
         let t = crate::stakeholders::targets(); // crate::whatif in a comment\n\
         #[cfg(test)]\nmod tests { use crate::analyse; }",
    );
    assert_eq!(
        used_modules(&code),
        ["graph", "metrics", "prepare", "stakeholders"]
    );
}
