//! The analysis crate's integration tests as one test binary (one binary per file linked the
//! crate and its test dependencies a dozen times over).

mod carried;
mod coalition_names;
mod coalitions;
mod dynamics;
mod engagement;
mod gaps_actions;
mod karate;
mod layers;
mod plans;
mod scale;
mod vocabulary;

/// A file in this folder that no `mod` line names would compile into nothing and never run.
#[test]
fn every_file_of_the_folder_is_a_module() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/analysis");
    let main = include_str!("main.rs");
    let mut seen = 0;
    for entry in std::fs::read_dir(&folder).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let Some(module) = name.strip_suffix(".rs") else {
            continue;
        };
        if module != "main" {
            assert!(
                main.contains(&format!("\nmod {module};\n")),
                "tests/analysis/{name} is not a module of main.rs"
            );
            seen += 1;
        }
    }
    assert!(seen > 0, "no test files found in {}", folder.display());
}
