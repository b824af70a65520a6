//! The store's integration tests as one test binary (one binary per file linked sled and the
//! store each time). `tests/quiet_open.rs` stays a binary of its own: it installs a panic hook
//! that must be the process's first.

mod engagement;
mod hardening;

/// A file in this folder that no `mod` line names would compile into nothing and never run.
#[test]
fn every_file_of_the_folder_is_a_module() {
    vertoog_testkit::assert_every_file_is_a_module(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/store"),
        include_str!("main.rs"),
    );
}
