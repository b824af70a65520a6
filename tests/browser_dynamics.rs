//! The dynamics view (web/dynamics.js) in real headless Chromium against the real server with
//! the demo map: a band per coalition lineage, the events list, the strength and polarisation
//! series and the "what changed since" diff; a screenshot goes to
//! target/browser-dynamics.png. Chromium renders the page with `--dump-dom` after the page's
//! requests have finished (virtual time), so no WebDriver is needed. Skipped when chromium is
//! missing, except under CI (which installs it).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::Vertoog;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn chromium() -> Option<std::path::PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(name))
                    .find(|c| c.is_file())
            })
        })
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn dynamics_view_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is needed in CI (apt-get install chromium)"
        );
        eprintln!("SKIPPED dynamics_view_in_headless_chromium: chromium is not installed");
        return;
    };
    let v = Vertoog::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_vertoog"))
        .arg("--store")
        .arg(v.path("served"))
        .args(["serve", "--addr", "127.0.0.1:0", "--demo"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start vertoog serve");
    let stdout = child.stdout.take().unwrap();
    let _server = Server(child);
    let mut url = String::new();
    BufReader::new(stdout).read_line(&mut url).unwrap();
    let url = url.trim().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let page = format!("{url}/#map=demo&view=dynamics");
    let profile = v.path("chromium-profile");
    let run = |extra: &[&str]| {
        Command::new(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--virtual-time-budget=30000",
                "--window-size=1400,2400",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(&page)
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .expect("run chromium")
    };
    let out = run(&["--dump-dom"]);
    assert!(out.status.success());
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        dom.contains("id=\"dynamics\" data-testid=\"dynamics\" data-ready=\"true\""),
        "the dynamics view did not finish:\n{}",
        &dom[dom.find("id=\"view-dynamics\"").unwrap_or(0)..][..2000.min(dom.len())]
    );

    // What the page shows against what the API computes (the same demo map).
    v.import_demo("demo");
    let d = v
        .run(&["dynamics", "--map", "demo", "--period", "year", "--json"])
        .ok()
        .json();
    let lineages = d["lineages"].as_array().unwrap().len();
    let events = d["events"].as_array().unwrap();
    assert!(lineages >= 2);
    assert_eq!(count(&dom, "class=\"lineage-band\""), lineages);
    let defections = events.iter().filter(|e| e["type"] == "defected").count();
    assert!(defections > 0);
    assert!(count(&dom, "class=\"defection-flow\"") >= 1);
    assert_eq!(count(&dom, "<li data-type=\""), events.len());
    // Actor events are buttons that show the actor.
    let with_actor = events.iter().filter(|e| e["actor"].is_string()).count();
    assert_eq!(count(&dom, "class=\"link\" data-actor=\""), with_actor);
    for id in [
        "dynamics-strength",
        "dynamics-polarization",
        "dynamics-diff",
        "dynamics-events",
    ] {
        assert!(dom.contains(&format!("data-testid=\"{id}\"")), "{id}");
    }
    // The diff: since the second-to-last window end, to the last.
    let diff_at = dom.find("data-testid=\"dynamics-diff\"").unwrap();
    assert!(dom[diff_at..].contains("<table>"));

    let target = common::root().join("target");
    std::fs::create_dir_all(&target).unwrap();
    let shot = target.join("browser-dynamics.png");
    let _ = std::fs::remove_file(&shot);
    let out = run(&[&format!("--screenshot={}", shot.display())]);
    assert!(out.status.success());
    let png = std::fs::read(&shot).expect("the screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000);
}
