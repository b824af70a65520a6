//! Helpers shared by the test suites; a dev-dependency only, never part of the product.
//!
//! [`http`] is the one HTTP client of the tests: a small HTTP/1.1 client (`Connection:
//! close`, `Content-Length` or chunked answers) in a blocking form for the end-to-end tests
//! that run the real binary in threads (`tests/crash.rs`) and an async form for the server
//! crate's tokio tests. It has no HTTP library below it, so what a test sends is exactly what
//! goes over the wire, and an answer cut short (a server killed mid-write) is an error rather
//! than a partial success.

pub mod http;

/// Fails unless every `.rs` file of `folder` but `main.rs` is declared in `main_rs` (the text
/// of the folder's `main.rs`) as `mod NAME;`. A crate's integration tests are one binary
/// (`tests/NAME/main.rs` with a module per file); a file no `mod` line names would compile
/// into nothing and never run.
pub fn assert_every_file_is_a_module(folder: &std::path::Path, main_rs: &str) {
    let mut seen = 0;
    let entries = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", folder.display()));
    for entry in entries {
        let name = match entry {
            Ok(e) => e.file_name(),
            Err(e) => panic!("cannot read an entry of {}: {e}", folder.display()),
        };
        let name = name.to_string_lossy();
        let Some(module) = name.strip_suffix(".rs") else {
            continue;
        };
        if module != "main" {
            assert!(
                main_rs.contains(&format!("\nmod {module};\n")),
                "{}/{name} is not a module of main.rs",
                folder.display()
            );
            seen += 1;
        }
    }
    assert!(seen > 0, "no test files found in {}", folder.display());
}
