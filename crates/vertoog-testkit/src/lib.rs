//! Helpers shared by the test suites; a dev-dependency only, never part of the product.
//!
//! [`http`] is the one HTTP client of the tests: a small HTTP/1.1 client (`Connection:
//! close`, `Content-Length` or chunked answers) in a blocking form for the end-to-end tests
//! that run the real binary in threads (`tests/crash.rs`) and an async form for the server
//! crate's tokio tests. It has no HTTP library below it, so what a test sends is exactly what
//! goes over the wire, and an answer cut short (a server killed mid-write) is an error rather
//! than a partial success.

pub mod http;
