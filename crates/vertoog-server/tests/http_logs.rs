//! Issue 16 item 13: the request log has a request id per line and records requests whose
//! client went away before the answer. Its own test binary: it installs a global tracing
//! subscriber that writes into a buffer.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{seed, start_config};
use tokio::io::AsyncWriteExt;

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).to_string()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_lines_have_ids_and_cancelled_requests_are_logged() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .init();
    let s = start_config(seed, |_| {}).await;
    let r = s.get("/api/v1/maps").await;
    let id = r.header("x-request-id").unwrap();
    let log = buffer.text();
    assert!(
        log.lines().any(|l| l.contains(&format!("id={id}"))
            && l.contains("/api/v1/maps")
            && l.contains("status=200")),
        "{log}"
    );

    // A slow import (a large file of bad rows) whose client disconnects while it runs.
    let mut csv = String::from("actor,narrative,position\n");
    let mut i = 0;
    while csv.len() < 4 * 1024 * 1024 {
        csv.push_str(&format!("ghost{i},n1,9\n"));
        i += 1;
    }
    let body = format!(
        "--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"stances.csv\"\r\n\r\n{csv}\r\n--B--\r\n"
    );
    let head = format!(
        "POST /api/v1/maps/m/import HTTP/1.1\r\nHost: {}\r\nContent-Type: multipart/form-data; boundary=B\r\nX-Vertoog-Request: 1\r\nContent-Length: {}\r\n\r\n",
        s.addr,
        body.len()
    );
    let mut conn = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    conn.write_all(head.as_bytes()).await.unwrap();
    conn.write_all(body.as_bytes()).await.unwrap();
    // The whole body is sent; the parse of the rows takes seconds. Go away meanwhile.
    tokio::time::sleep(Duration::from_millis(100)).await;
    drop(conn);
    let start = Instant::now();
    loop {
        let log = buffer.text();
        if let Some(line) = log.lines().find(|l| l.contains("request cancelled")) {
            assert!(line.contains("/api/v1/maps/m/import"), "{line}");
            assert!(line.contains("id="), "{line}");
            assert!(!line.contains('\u{1b}'), "{line}");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no cancelled request in the log:\n{log}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    s.stop().await;
}
