//! Issue 16 item 13: tokens can be created, listed and revoked while `vertoog serve` holds
//! the store: `vertoog token ... --server URL` goes through the server's admin token routes,
//! and the change works at once. Without `--server` the CLI says to pass it.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::{Run, Vertoog};

fn run_env(store: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vertoog"));
    cmd.arg("--store")
        .arg(store)
        .args(args)
        .stdin(Stdio::null());
    cmd.env_remove("VERTOOG_TOKEN");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run vertoog");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `vertoog serve` on 127.0.0.1:0; killed on drop.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(store: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vertoog"))
            .arg("--store")
            .arg(store)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn vertoog serve");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().expect("stdout"))
            .read_line(&mut line)
            .expect("URL line");
        let url = line.trim().to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "{url:?}");
        Server { child, url }
    }

    /// The status of `GET /api/v1/maps` with an optional token.
    fn maps_status(&self, token: Option<&str>) -> u16 {
        let host = self.url.trim_start_matches("http://");
        let auth = token.map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> = auth
            .as_deref()
            .map(|a| vec![("Authorization", a)])
            .unwrap_or_default();
        vertoog_testkit::http::request(host, "GET", "/api/v1/maps", &headers, b"")
            .expect("an answer")
            .status
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn tokens_are_managed_through_the_running_server() {
    let v = Vertoog::new();
    let store = v.store();
    run_env(&store, &["map", "create", "m"], &[]).ok();
    let server = Server::start(&store);
    assert_eq!(server.maps_status(None), 200, "local mode");

    // Without --server: the store is locked, and the message says what to do.
    let r = run_env(
        &store,
        &["token", "create", "--name", "ops", "--role", "admin"],
        &[],
    );
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("--server"), "{}", r.stderr);

    // The first token, made in local mode through the server: from now on tokens count.
    let r = run_env(
        &store,
        &[
            "token",
            "create",
            "--name",
            "ops",
            "--role",
            "admin",
            "--server",
            &server.url,
        ],
        &[],
    )
    .ok();
    let ops = r.stdout.trim().to_string();
    assert!(ops.len() >= 20, "{ops:?}");
    assert_eq!(server.maps_status(None), 401);
    assert_eq!(server.maps_status(Some(&ops)), 200);

    // A second one needs the admin token.
    let r = run_env(
        &store,
        &[
            "token",
            "create",
            "--name",
            "reader",
            "--role",
            "viewer",
            "--server",
            &server.url,
        ],
        &[],
    );
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains("401") && r.stderr.contains("VERTOOG_TOKEN"),
        "{}",
        r.stderr
    );
    let env = [("VERTOOG_TOKEN", ops.as_str())];
    let reader = run_env(
        &store,
        &[
            "token",
            "create",
            "--name",
            "reader",
            "--role",
            "viewer",
            "--server",
            &server.url,
        ],
        &env,
    )
    .ok()
    .stdout
    .trim()
    .to_string();
    assert_eq!(server.maps_status(Some(&reader)), 200);
    let list = run_env(
        &store,
        &["token", "list", "--json", "--server", &server.url],
        &env,
    )
    .ok()
    .json();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{list}");
    assert!(names.contains(&"ops") && names.contains(&"reader"));

    // Revoked: refused at once by the running server.
    run_env(
        &store,
        &["token", "revoke", "reader", "--server", &server.url],
        &env,
    )
    .ok();
    assert_eq!(server.maps_status(Some(&reader)), 401);
    let r = run_env(
        &store,
        &["token", "revoke", "reader", "--server", &server.url],
        &env,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    drop(server);
}

/// Issue 16 item 13: a name with a terminal escape is refused (exit 2, naming the field and
/// the code point), and the CLI never prints the raw control character, even when echoing
/// what the user gave.
#[test]
fn control_characters_are_refused_and_never_printed_raw() {
    let v = Vertoog::new();
    let store = v.store();
    let r = run_env(
        &store,
        &["map", "create", "m", "--name", "Kaart\u{1b}]0;pwned\u{7}"],
        &[],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("name") && r.stderr.contains("U+001B"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains('\u{1b}') && !r.stderr.contains('\u{7}'));
    let r = run_env(&store, &["map", "create", "bad\u{1b}[31mred"], &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("<U+001B>"), "{}", r.stderr);
    assert!(!r.stderr.contains('\u{1b}'), "{:?}", r.stderr);
    let r = run_env(
        &store,
        &["map", "create", "m", "--name", "Gemeente \u{202E}thcertU"],
        &[],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("U+202E"), "{}", r.stderr);
    assert!(!r.stderr.contains('\u{202E}'));
}

/// Issue 16 item 13: `vertoog serve` logs to a file (not a terminal) without colour codes,
/// each request line with its id.
#[test]
fn the_server_log_has_no_colour_codes_and_request_ids() {
    let v = Vertoog::new();
    let store = v.store();
    let log_path = store.with_extension("log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_vertoog"))
        .arg("--store")
        .arg(&store)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("spawn vertoog serve");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().expect("stdout"))
        .read_line(&mut line)
        .expect("URL line");
    let server = Server {
        child,
        url: line.trim().to_string(),
    };
    assert_eq!(server.maps_status(None), 200);
    let start = std::time::Instant::now();
    let text = loop {
        let text = std::fs::read_to_string(&log_path).unwrap();
        if text.contains("/api/v1/maps") || start.elapsed().as_secs() > 10 {
            break text;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    drop(server);
    let request = text
        .lines()
        .find(|l| l.contains("/api/v1/maps"))
        .unwrap_or_else(|| panic!("no request line in the log:\n{text}"));
    assert!(request.contains("id="), "{request}");
    assert!(
        !text.contains('\u{1b}'),
        "colour codes in the log: {text:?}"
    );
}
