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
    vertoog_testkit::assert_every_file_is_a_module(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/analysis"),
        include_str!("main.rs"),
    );
}
