//! The server's integration tests as one test binary. Each binary links the whole server
//! (axum, tokio, sled, the brief writers): one binary per file took over a gigabyte of disk in
//! a test build. `tests/http_logs.rs` stays a binary of its own because it installs a global
//! tracing subscriber.

#[path = "../common/mod.rs"]
mod common;

mod fuzz_bodies;
mod http_api;
mod http_brief;
mod http_dynamics;
mod http_engagement;
mod http_hardening;
mod http_plans;
mod http_security;
mod incremental;
mod store_failure;
mod ui_i18n;
mod warm;

/// A file in this folder that no `mod` line names would compile into nothing and never run.
#[test]
fn every_file_of_the_folder_is_a_module() {
    vertoog_testkit::assert_every_file_is_a_module(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/server"),
        include_str!("main.rs"),
    );
}
