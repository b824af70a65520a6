//! The web UI in a real headless Chromium (issues 8 and 11): the real `vertoog` binary serves
//! the demo map, and a minimal W3C WebDriver client (JSON through serde_json over the tests' one
//! HTTP client, `vertoog_testkit::http`) drives Debian's chromium through chromedriver.
//!
//! One browser session at 1366x768 runs named steps, each a function of `Ui` (issue 17 item
//! 8), in the order of `web_ui_in_headless_chromium`:
//! - `load_demo_map`: the demo map loads and the graph shows every actor;
//! - `decision_first` (issue 18): the strength, then "what to do" with the first plan step
//!   visible without scrolling, then the other actions; the lesson once per action kind;
//! - `deep_link` (issue 16 item 13): `#map=` picks that map on load and stays in the address;
//! - `budget_changes_plan`, `simulate_plan` (the changed actors highlighted, the added ties
//!   drawn), `simulate_checked` (check boxes, plan/simulate);
//! - `gap_groups`: grouped by kind with counts, expand to the list, linked to actions, a
//!   click on a gap highlights its subjects;
//! - `simulate_action`: one action's what-if;
//! - `matrix`: every coalition and every core narrative, the actor x narrative table on click;
//! - `rename_coalition`: the name stays after an unrelated edit;
//! - `actor_details`, `add_actor`, `concurrent_edit` (412), `script_name_is_text`, `grid`,
//!   `engagement_plan`, `dutch`, `history_undo`, `no_policy_violation_or_error` (with a
//!   positive control: the watcher sees a blocked inline script).
//!
//! Screenshots under `target/`: `ui-main.png` (the main view as loaded), `ui-plan-simulated.png`,
//! `ui-gaps.png`, `ui-matrix.png`, `ui-actor.png`, `ui-grid.png`, `ui-plan.png`,
//! `ui-main-nl.png` and `ui-history-nl.png`.
//!
//! A second session, `engagement_loop_in_headless_chromium` (issue 19), logs in with an editor's
//! and a viewer's token: adopt the top plan step, log a contact for its target, mark the item
//! done on the action plan board and see the simulated gain beside the measured change, "my
//! contacts" with the most urgent first, and a viewer without the confidential contacts and
//! without write controls (no Edit view, read-only plan fields; simulating still works).
//! Screenshots: `ui-actor-contacts.png`, `ui-plan-board.png`, `ui-my-contacts.png`,
//! `ui-viewer.png`.
//!
//! Without chromium or chromedriver the test is skipped with a message on stderr, unless the
//! environment variable `CI` is set (then it fails: CI installs both).

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The W3C key of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long one wait for the page may take.
const WAIT: Duration = Duration::from_secs(15);

// ---- HTTP: the tests' one client -----------------------------------------------------------

/// One HTTP exchange on a fresh connection through `vertoog_testkit::http` (the tests' one
/// client), as the web UI sends it (`X-Vertoog-Request: 1`): (status, body).
fn http(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> Result<(u16, Vec<u8>), String> {
    let mut h = vec![("Accept", "application/json"), ("X-Vertoog-Request", "1")];
    h.extend_from_slice(headers);
    let addr = format!("127.0.0.1:{port}");
    vertoog_testkit::http::request_json(&addr, method, path, body, &h)
        .map(|r| (r.status, r.body))
        .map_err(|e| format!("{method} {path}: {e}"))
}

/// Standard base64 (screenshots), padding and whitespace allowed.
fn base64_decode(text: &str) -> Vec<u8> {
    fn value(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some((c - b'A') as u32),
            b'a'..=b'z' => Some((c - b'a') as u32 + 26),
            b'0'..=b'9' => Some((c - b'0') as u32 + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes().filter_map(value) {
        acc = (acc << 6) | c;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

// ---- the processes -------------------------------------------------------------------------

/// Kills the server and chromedriver (after closing the browser session) however the test
/// ends.
struct Harness {
    server: Option<Child>,
    driver: Option<Child>,
    driver_port: u16,
    session: Option<String>,
    _dir: tempfile::TempDir,
}

impl Drop for Harness {
    fn drop(&mut self) {
        if let Some(s) = self.session.take() {
            let _ = http(
                self.driver_port,
                "DELETE",
                &format!("/session/{s}"),
                None,
                &[],
            );
        }
        for child in [self.driver.take(), self.server.take()]
            .into_iter()
            .flatten()
        {
            let mut child = child;
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Polls `f` until it gives `Some`, or panics with `what` after `timeout`.
fn wait_for<T>(what: &str, timeout: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        if start.elapsed() > timeout {
            panic!("timed out after {timeout:?} waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

// ---- the WebDriver client ------------------------------------------------------------------

struct Driver<'a> {
    h: &'a Harness,
}

impl Driver<'_> {
    fn session(&self) -> &str {
        self.h.session.as_deref().expect("a session")
    }

    /// A WebDriver command: its `value`, or the error's text.
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let full = format!("/session/{}{path}", self.session());
        let (status, bytes) = http(self.h.driver_port, method, &full, body.as_ref(), &[])?;
        let v: Value = serde_json::from_slice(&bytes).map_err(|e| {
            format!(
                "WebDriver answered non-JSON to {method} {path} ({e}): {}",
                String::from_utf8_lossy(&bytes)
            )
        })?;
        let value = v.get("value").cloned().unwrap_or(Value::Null);
        if status >= 400 {
            return Err(format!(
                "{} ({method} {path}): {}",
                value["error"].as_str().unwrap_or("error"),
                value["message"].as_str().unwrap_or("")
            ));
        }
        Ok(value)
    }

    #[track_caller]
    fn ok(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.cmd(method, path, body)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn goto(&self, url: &str) {
        self.ok("POST", "/url", Some(json!({ "url": url })));
    }

    /// Runs a script (its `return` value); `args` may hold element references.
    #[track_caller]
    fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.ok(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    fn find_all(&self, css: &str) -> Vec<Value> {
        let v = self.ok(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_array().cloned().unwrap_or_default()
    }

    fn count(&self, css: &str) -> usize {
        self.js(
            "return document.querySelectorAll(arguments[0]).length;",
            vec![json!(css)],
        )
        .as_u64()
        .unwrap_or(0) as usize
    }

    #[track_caller]
    fn find(&self, css: &str) -> Value {
        wait_for(&format!("an element `{css}`"), WAIT, || {
            self.find_all(css).into_iter().next()
        })
    }

    fn id(el: &Value) -> String {
        el[ELEMENT]
            .as_str()
            .expect("an element reference")
            .to_string()
    }

    /// Clicks the first element matching `css`, finding it again when a redraw replaced it.
    #[track_caller]
    fn click_css(&self, css: &str) {
        let start = Instant::now();
        loop {
            let el = self.find(css);
            match self.cmd(
                "POST",
                &format!("/element/{}/click", Self::id(&el)),
                Some(json!({})),
            ) {
                Ok(_) => return,
                Err(e) if e.starts_with("stale element") && start.elapsed() < WAIT => {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => panic!("click `{css}`: {e}"),
            }
        }
    }

    /// The text of the first element matching `css` ("" when there is none), read in one
    /// script so that a redraw in between cannot leave a stale reference.
    fn text(&self, css: &str) -> String {
        self.js(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
            vec![json!(css)],
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// Clears a field and types into it, finding it again when a redraw replaced it.
    #[track_caller]
    fn type_into(&self, css: &str, text: &str) {
        let start = Instant::now();
        loop {
            let el = self.find(css);
            let id = Self::id(&el);
            let r = self
                .cmd("POST", &format!("/element/{id}/clear"), Some(json!({})))
                .and_then(|_| {
                    self.cmd(
                        "POST",
                        &format!("/element/{id}/value"),
                        Some(json!({ "text": text })),
                    )
                });
            match r {
                Ok(_) => return,
                Err(e) if e.starts_with("stale element") && start.elapsed() < WAIT => {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => panic!("type into `{css}`: {e}"),
            }
        }
    }

    /// Waits until `css` has `text` (trimmed) as its text.
    #[track_caller]
    fn wait_text(&self, css: &str, text: &str) {
        let mut last = String::new();
        let start = Instant::now();
        while start.elapsed() < WAIT {
            last = self.text(css);
            if last.trim() == text {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("`{css}` shows `{last}`, expected `{text}`");
    }

    #[track_caller]
    fn wait_count(&self, css: &str, n: usize) {
        let mut last = 0;
        let start = Instant::now();
        while start.elapsed() < WAIT {
            last = self.count(css);
            if last == n {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let why = self.js(
            "return [(document.getElementById('message') || {}).textContent || '', \
             window.__errors || [], \
             [...document.querySelectorAll('.form-status')].map((e) => e.textContent).join(' | ')];",
            vec![],
        );
        panic!("{last} elements match `{css}`, expected {n} (message, errors, forms: {why})");
    }

    fn screenshot(&self, path: &Path) {
        self.js("window.scrollTo(0, 0);", vec![]);
        let v = self.ok("GET", "/screenshot", None);
        let png = base64_decode(v.as_str().expect("a base64 screenshot"));
        assert!(png.starts_with(b"\x89PNG"), "the screenshot is a PNG");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("the target folder");
        }
        std::fs::write(path, png).expect("write the screenshot");
    }

    /// The text of an open alert, if any (the alert endpoint answers `no such alert`).
    fn alert(&self) -> Option<String> {
        self.cmd("GET", "/alert/text", None)
            .ok()
            .map(|v| v.as_str().unwrap_or("").to_string())
    }

    /// Waits for the UI to settle after a reload: the ready flag and no pending status text.
    /// On a timeout the panic shows the ready flag, the message box and the script errors.
    fn settle(&self) {
        let start = Instant::now();
        loop {
            let r = self.js(
                "return document.body.dataset.ready === 'true' && \
                 !document.getElementById('graph-status').textContent.endsWith('…');",
                vec![],
            );
            if r.as_bool() == Some(true) {
                return;
            }
            if start.elapsed() > WAIT {
                let why = self.js(
                    "return [document.body.dataset.ready || '', \
                     (document.getElementById('message') || {}).textContent || '', \
                     window.__errors || []];",
                    vec![],
                );
                panic!("the page is not ready after {WAIT:?}: {why}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Where a program is: the Debian path, else the first match on PATH.
fn program(path: &str) -> Option<PathBuf> {
    let p = PathBuf::from(path);
    if p.is_file() {
        return Some(p);
    }
    let name = p.file_name()?.to_os_string();
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(&name))
            .find(|c| c.is_file())
    })
}

/// The catalogue of one UI language.
fn catalogue(lang: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../web/i18n/{lang}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("the catalogue")).expect("JSON")
}

/// Installed in every page before its own scripts: records CSP violations and script errors.
const WATCH: &str = "window.__csp = []; window.__errors = [];\
    document.addEventListener('securitypolicyviolation', (e) => \
      window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));\
    window.addEventListener('error', (e) => window.__errors.push(String(e.message)));\
    window.addEventListener('unhandledrejection', (e) => \
      window.__errors.push('unhandled: ' + String(e.reason && e.reason.message || e.reason)));";

/// The page and the API of one test run, and what the steps learn for later steps.
struct Ui<'a> {
    d: Driver<'a>,
    url: String,
    port: u16,
    target: PathBuf,
    en: Value,
    nl: Value,
    actors: Vec<Value>,
    total: usize,
    scripts_before: Value,
    gap_id: String,
    english_gap_message: String,
    big_id: String,
    big_name: String,
}

impl Ui<'_> {
    #[track_caller]
    fn get(&self, path: &str) -> Value {
        let (status, body) = http(self.port, "GET", path, None, &[]).expect("the API answers");
        assert_eq!(
            status,
            200,
            "GET {path}: {}",
            String::from_utf8_lossy(&body)
        );
        serde_json::from_slice(&body).expect("JSON")
    }

    #[track_caller]
    fn send(&self, method: &str, path: &str, body: &Value) -> Value {
        let (status, bytes) =
            http(self.port, method, path, Some(body), &[]).expect("the API answers");
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {}",
            String::from_utf8_lossy(&bytes)
        );
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    }

    fn en(&self, key: &str) -> String {
        self.en[key]
            .as_str()
            .unwrap_or_else(|| panic!("en.json has {key}"))
            .to_string()
    }

    fn shot(&self, name: &str) {
        self.d.screenshot(&self.target.join(name));
    }

    /// A number shown as `+1.2` / `-0.4` / `3.0`.
    fn number(&self, css: &str) -> f64 {
        let t = self.d.text(css);
        t.trim()
            .trim_start_matches('+')
            .parse()
            .unwrap_or_else(|_| panic!("`{css}` shows a number, not `{t}`"))
    }

    /// The action ids of the plan steps shown.
    fn shown_plan(&self) -> Vec<String> {
        let v = self.d.js(
            "return [...document.querySelectorAll('#plan-steps li.plan-step')].map((li) => li.dataset.action);",
            vec![],
        );
        serde_json::from_value(v).unwrap_or_default()
    }

    fn highlighted(&self) -> Vec<String> {
        let v = self.d.js(
            "return document.getElementById('graph').dataset.highlighted || '';",
            vec![],
        );
        v.as_str()
            .unwrap_or("")
            .split_whitespace()
            .map(str::to_string)
            .collect()
    }

    /// The bounding box of an element: (top, bottom) in the viewport.
    fn rect(&self, css: &str) -> (f64, f64) {
        let v = self.d.js(
            "const e = document.querySelector(arguments[0]); if (!e) return null;\
             const r = e.getBoundingClientRect(); return [r.top, r.bottom];",
            vec![json!(css)],
        );
        let a = v.as_array().unwrap_or_else(|| panic!("an element `{css}`"));
        (a[0].as_f64().unwrap(), a[1].as_f64().unwrap())
    }

    /// Loads the page anew (not a same-document move to another `#`).
    fn reload(&self, hash: &str) {
        self.d.goto("about:blank");
        self.d.goto(&format!("{}/{hash}", self.url));
        self.d.settle();
        self.d.wait_count("#graph circle.node", self.total);
    }

    /// Waits until the actor form has saved and the map has been reloaded ("saved" shows
    /// before the reload; the form is new again after it).
    fn saved(&self) {
        wait_for("the actor form to finish saving", WAIT, || {
            (self.d.js(
                "const f = document.getElementById('actor-form'); \
                 return f.dataset.saving === undefined && f.dataset.editing === '';",
                vec![],
            ) == json!(true))
            .then_some(())
        });
    }

    // ---- the steps ----------------------------------------------------------------------

    fn load_demo_map(&mut self) {
        let d = &self.d;
        assert_eq!(
            d.js("return [window.innerWidth, window.innerHeight];", vec![]),
            json!([1366, 768]),
            "the screen is 1366x768"
        );
        assert_eq!(
            d.js(
                "return document.getElementById('map-picker').value;",
                vec![]
            ),
            json!("demo"),
            "the demo map is picked"
        );
        d.wait_count("#graph circle.node", self.total);
        // The local-mode notice shows and the header stays one line at 1366 wide: the
        // language selector beside the map picker, not pushed below it.
        assert_eq!(shown(d, "#mode-notice"), 1, "the local-mode notice");
        let (picker, _) = self.rect("#map-picker");
        let (lang, _) = self.rect("#lang-switch");
        assert!(
            (picker - lang).abs() < 8.0,
            "one header line: map picker at {picker}, language at {lang}"
        );
        // No two actor names in the graph overlap or touch, and none covers another node.
        let overlaps = overlapping_names(d);
        assert!(
            overlaps[0].as_u64().unwrap_or(0) >= 5,
            "the graph names its main actors: {overlaps}"
        );
        assert_eq!(overlaps[1], json!([]), "overlapping names in the graph");
        self.scripts_before = d.js("return document.querySelectorAll('script').length;", vec![]);
        assert_eq!(d.text("#strength-title"), self.en("strength.title"));
        let strength = d.text("#strength-value");
        assert!(
            strength.parse::<f64>().is_ok(),
            "the strength is a number: `{strength}`"
        );
        assert_eq!(
            d.count("#strength li[data-component]"),
            5,
            "the five components"
        );
    }

    fn decision_first(&mut self) {
        let d = &self.d;
        let plan = self.get("/api/v1/maps/demo/plan/best");
        let want: Vec<String> = plan["steps"]
            .as_array()
            .expect("plan steps")
            .iter()
            .map(|s| s["action"].as_str().unwrap().to_string())
            .collect();
        assert!(!want.is_empty(), "the demo map has a plan");
        wait_for("the plan steps", WAIT, || {
            (self.shown_plan() == want).then_some(())
        });
        assert_eq!(
            d.js("return document.getElementById('budget').value;", vec![]),
            json!(plan["budget"].to_string())
        );
        // In order, and the first step on screen without scrolling.
        assert_eq!(d.js("return window.scrollY;", vec![]), json!(0));
        let strength = self.rect("#strength-panel");
        let decision = self.rect("#decision-panel");
        let step = self.rect("#plan-steps li.plan-step");
        let others = self.rect("#actions-panel");
        let gaps = self.rect("#gaps");
        assert!(
            strength.1 <= decision.0,
            "the strength comes before what to do"
        );
        assert!(
            decision.1 <= others.0,
            "the plan comes before the other actions"
        );
        assert!(others.1 <= gaps.0, "the actions come before the gaps");
        assert!(
            step.0 >= 0.0 && step.1 <= 768.0,
            "the first plan step is on screen: {step:?}"
        );
        // Each step: target, marginal gain, effort; the plan's gain beside the single gains.
        let first = &plan["steps"][0];
        let shown_gain = self.number("#plan-steps li.plan-step .step-gain");
        assert!((shown_gain - first["marginal_gain"].as_f64().unwrap()).abs() < 0.051);
        assert!(!d.text("#plan-steps li.plan-step .targets").is_empty());
        assert!(!d.text("#plan-steps li.plan-step .effort").is_empty());
        assert!(d.text("#plan-total").contains(&format!(
            "{:.1}",
            plan["sum_of_single_gains"].as_f64().unwrap()
        )));
        // The other actions: not in the plan; the lesson once per kind.
        let others: Vec<String> = serde_json::from_value(d.js(
            "return [...document.querySelectorAll('#actions li[data-action]')].map((li) => li.dataset.action);",
            vec![],
        ))
        .unwrap();
        assert!(!others.is_empty() && others.iter().all(|a| !want.contains(a)));
        let lessons = d.js(
            "return [...document.querySelectorAll('#decision-panel details.lesson, #actions details.lesson')].map((x) => x.dataset.kind);",
            vec![],
        );
        let lessons: Vec<String> = serde_json::from_value(lessons).unwrap();
        let mut unique = lessons.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            lessons.len(),
            unique.len(),
            "one lesson per kind: {lessons:?}"
        );
        assert!(!lessons.is_empty(), "the lessons are shown");
        self.shot("ui-main.png");
    }

    fn deep_link(&mut self) {
        self.send(
            "POST",
            "/api/v1/maps",
            &json!({"id": "second", "name": "Second map"}),
        );
        self.d.goto("about:blank");
        self.d.goto(&format!("{}/#map=second&view=grid", self.url));
        self.d.settle();
        wait_for("the deep-linked map", WAIT, || {
            (self.d.js(
                "return document.getElementById('map-picker').value;",
                vec![],
            ) == json!("second"))
            .then_some(())
        });
        let hash = self.d.js("return window.location.hash;", vec![]);
        assert_eq!(hash, json!("#map=second&view=grid"), "the deep link stays");
        assert_eq!(
            self.d.count("#view-grid:not([hidden])"),
            1,
            "the grid view is open"
        );
        self.reload("#map=demo");
        assert_eq!(
            self.d.js("return window.location.hash;", vec![]),
            json!("#map=demo")
        );
    }

    fn budget_changes_plan(&mut self) {
        let before = self.shown_plan();
        let plan1 = self.get("/api/v1/maps/demo/plan/best?budget=1");
        let want: Vec<String> = plan1["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["action"].as_str().unwrap().to_string())
            .collect();
        assert_ne!(want, before, "a budget of 1 gives another plan");
        self.d.type_into("#budget", "1\u{E007}");
        wait_for("the plan of budget 1", WAIT, || {
            (self.shown_plan() == want).then_some(())
        });
        assert_eq!(
            self.d
                .text("#plan-steps li.plan-step .effort")
                .chars()
                .filter(|c| *c == '●')
                .count(),
            1
        );
        self.d.click_css("#budget-up");
        let plan2 = self.get("/api/v1/maps/demo/plan/best?budget=2");
        let want2: Vec<String> = plan2["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["action"].as_str().unwrap().to_string())
            .collect();
        wait_for("the plan of budget 2", WAIT, || {
            (self.shown_plan() == want2).then_some(())
        });
        self.d.type_into("#budget", "6\u{E007}");
        wait_for("the default plan", WAIT, || {
            (self.shown_plan() == before).then_some(())
        });
    }

    fn simulate_plan(&mut self) {
        let d = &self.d;
        let ids = self.shown_plan();
        let sim = self.send(
            "POST",
            "/api/v1/maps/demo/plan/simulate",
            &json!({ "actions": ids }),
        );
        d.click_css("#simulate-plan");
        wait_for("the plan's simulation", WAIT, || {
            (!d.text("#whatif-delta").is_empty()).then_some(())
        });
        let gain = self.number("#whatif-delta");
        assert!(
            (gain - sim["plan_gain"].as_f64().unwrap()).abs() < 0.051,
            "plan gain {gain}"
        );
        assert!(
            (self.number("#whatif-after") - sim["strength_after"].as_f64().unwrap()).abs() < 0.051
        );
        let moved: Vec<String> = sim["effects"]["actors_moved"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["actor"].as_str().unwrap().to_string())
            .collect();
        let shown_moved = d.js(
            "return document.getElementById('graph').dataset.moved;",
            vec![],
        );
        let shown_moved: Vec<&str> = shown_moved
            .as_str()
            .unwrap_or("")
            .split_whitespace()
            .collect();
        assert_eq!(shown_moved, moved, "the actors that would move");
        assert_eq!(d.count("#graph circle.node.moved"), moved.len());
        let highlighted = self.highlighted();
        for id in &moved {
            assert!(highlighted.contains(id), "{id} is highlighted");
        }
        let ties = sim["effects"]["ties_added"].as_array().unwrap().len();
        assert!(
            d.count("#graph line.whatif-edge") >= ties.min(1),
            "the added ties are drawn"
        );
        for t in sim["effects"]["ties_added"].as_array().unwrap() {
            for end in t.as_array().unwrap() {
                assert!(highlighted.contains(&end.as_str().unwrap().to_string()));
            }
        }
        assert_eq!(d.count("circle.node.highlight"), highlighted.len());
        self.shot("ui-plan-simulated.png");
        d.click_css("#whatif-reset");
        d.wait_count("#whatif-panel:not([hidden])", 0);
        assert_eq!(d.count("#graph circle.node.moved, #graph g.overlay > *"), 0);
    }

    fn simulate_checked(&mut self) {
        let d = &self.d;
        let picked: Vec<String> = serde_json::from_value(d.js(
            "return [...document.querySelectorAll('#actions li[data-action]')].slice(0, 2).map((li) => li.dataset.action);",
            vec![],
        ))
        .unwrap();
        assert_eq!(picked.len(), 2);
        for id in &picked {
            d.click_css(&format!("#actions li[data-action=\"{id}\"] input.pick"));
        }
        d.wait_text(
            "#simulate-picked",
            &self.en("plan.simulatePicked").replace("{n}", "2"),
        );
        let sim = self.send(
            "POST",
            "/api/v1/maps/demo/plan/simulate",
            &json!({ "actions": picked }),
        );
        d.click_css("#simulate-picked");
        wait_for("the simulation of the checked actions", WAIT, || {
            (d.js(
                "return document.getElementById('graph').dataset.whatif || '';",
                vec![],
            ) == json!(picked.join(" ")))
            .then_some(())
        });
        let gain = self.number("#whatif-delta");
        assert!((gain - sim["plan_gain"].as_f64().unwrap()).abs() < 0.051);
        assert_eq!(d.count("#whatif-result .sim-steps li"), 2);
        d.click_css("#whatif-reset");
        for id in &picked {
            d.click_css(&format!("#actions li[data-action=\"{id}\"] input.pick"));
        }
    }

    fn gap_groups(&mut self) {
        let d = &self.d;
        let analysis = self.get("/api/v1/maps/demo/analysis");
        let gaps = analysis["gaps"].as_array().unwrap();
        let count = |ty: &str| gaps.iter().filter(|g| g["type"] == ty).count();
        let headline = d.text("#gaps-headline");
        let want = self.en("gaps.hangsOn").replace(
            "{what}",
            &format!(
                "{} and {}",
                self.en("gaps.brokers")
                    .replace("{n}", &count("broker-dependency").to_string()),
                self.en("gaps.bridges")
                    .replace("{n}", &count("bridge").to_string())
            ),
        );
        assert!(
            headline.starts_with(&want),
            "`{headline}` starts with `{want}`"
        );
        let mut types: Vec<&str> = gaps.iter().map(|g| g["type"].as_str().unwrap()).collect();
        types.sort();
        types.dedup();
        assert_eq!(
            d.count("#gaps li.gap-group"),
            types.len(),
            "one group per kind"
        );
        for ty in &types {
            assert_eq!(
                d.text(&format!("#gaps li[data-gap-type=\"{ty}\"] .gap-count")),
                count(ty).to_string()
            );
        }
        // The worst first: severities do not rise down the list.
        let worst: Vec<u64> = serde_json::from_value(d.js(
            "return [...document.querySelectorAll('#gaps li.gap-group > button .severity')].map((s) => Number(s.className.match(/sev-(\\d)/)[1]));",
            vec![],
        ))
        .unwrap();
        assert!(
            worst.windows(2).all(|w| w[0] >= w[1]),
            "worst first: {worst:?}"
        );
        assert_eq!(d.count("#gaps li[data-gap]:not([hidden])"), gaps.len());
        assert_eq!(
            d.js(
                "return [...document.querySelectorAll('#gaps .gap-list')].every((u) => u.hidden);",
                vec![]
            ),
            json!(true),
            "closed at first"
        );
        // A gap about actors: its group expands, a click highlights its subjects.
        let ids: Vec<&str> = self
            .actors
            .iter()
            .map(|a| a["id"].as_str().unwrap())
            .collect();
        let gap = gaps
            .iter()
            .find(|g| {
                g["subjects"]
                    .as_array()
                    .is_some_and(|s| s.iter().any(|x| ids.contains(&x.as_str().unwrap_or(""))))
            })
            .expect("a gap about actors");
        let ty = gap["type"].as_str().unwrap();
        self.gap_id = gap["id"].as_str().unwrap().to_string();
        d.click_css(&format!(
            "#gaps li[data-gap-type=\"{ty}\"] .gap-group-toggle"
        ));
        d.wait_count(
            &format!("#gaps li[data-gap-type=\"{ty}\"] .gap-list:not([hidden]) li[data-gap]"),
            count(ty),
        );
        assert!(
            d.text(&format!(
                "#gaps li[data-gap-type=\"{ty}\"] .gap-group-toggle"
            ))
            .contains(&count(ty).to_string()),
            "the group shows its count"
        );
        self.english_gap_message = d.text(&format!(
            "#gaps li[data-gap=\"{}\"] .gap-message",
            self.gap_id
        ));
        d.click_css(&format!("#gaps li[data-gap=\"{}\"] button", self.gap_id));
        let highlighted = self.highlighted();
        assert!(
            !highlighted.is_empty(),
            "the gap's subjects are highlighted"
        );
        for s in gap["subjects"].as_array().unwrap() {
            if let Some(id) = s.as_str().filter(|id| ids.contains(id)) {
                assert!(
                    highlighted.iter().any(|h| h == id),
                    "subject {id} is highlighted"
                );
                assert_eq!(
                    d.count(&format!("circle.node.highlight[data-actor=\"{id}\"]")),
                    1
                );
            }
        }
        assert_eq!(d.count("circle.node.highlight"), highlighted.len());
        self.shot("ui-gaps.png");
        d.click_css("#clear-highlight");
        assert_eq!(d.count("circle.node.highlight"), 0);
        // The group links to the actions that answer it.
        let answering: Vec<&str> = analysis["actions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| {
                a["gaps"].as_array().is_some_and(|g| {
                    g.iter()
                        .any(|x| gaps.iter().any(|y| y["id"] == *x && y["type"] == ty))
                })
            })
            .map(|a| a["id"].as_str().unwrap())
            .collect();
        if let Some(first) = answering.first() {
            d.click_css(&format!(
                "#gaps li[data-gap-type=\"{ty}\"] .gap-action-link[data-action=\"{first}\"]"
            ));
            d.wait_count(&format!("li.flash[data-action=\"{first}\"]"), 1);
        }
        d.click_css(&format!(
            "#gaps li[data-gap-type=\"{ty}\"] .gap-group-toggle"
        ));
        d.wait_count(
            &format!("#gaps li[data-gap-type=\"{ty}\"] .gap-list[hidden]"),
            1,
        );
    }

    fn simulate_action(&mut self) {
        let d = &self.d;
        d.click_css("#actions li[data-action] button.simulate:not([disabled])");
        let delta = wait_for("the what-if result", WAIT, || {
            let t = d.text("#whatif-delta");
            (!t.is_empty()).then_some(t)
        });
        assert!(
            d.text("#whatif-after").parse::<f64>().is_ok(),
            "strength after is shown"
        );
        let analysis = self.get("/api/v1/maps/demo/analysis");
        let simulated = d.js(
            "return document.getElementById('graph').dataset.whatif;",
            vec![],
        );
        let action = analysis["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == simulated)
            .expect("the simulated action is in the analysis");
        let drawn = action["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["op"] == "add_tie" || c["op"] == "set_stance");
        if drawn {
            assert!(d.count("#graph g.overlay > *") > 0, "the change is drawn");
        }
        let gain = action["expected_gain"].as_f64().expect("a gain");
        let shown: f64 = delta.trim_start_matches('+').parse().unwrap();
        assert!(
            (shown - gain).abs() < 0.051,
            "shown {shown}, expected gain {gain}"
        );
        d.click_css("#whatif-reset");
        d.wait_count("#whatif-panel:not([hidden])", 0);
        assert_eq!(
            d.count("#graph g.overlay > *"),
            0,
            "the simulation is cleared"
        );
    }

    fn matrix(&mut self) {
        let d = &self.d;
        let analysis = self.get("/api/v1/maps/demo/analysis");
        let coalitions = analysis["coalitions"].as_array().unwrap();
        let narratives = self.get("/api/v1/maps/demo/narratives");
        let narratives = narratives["items"].as_array().unwrap();
        for c in coalitions {
            let id = c["id"].as_str().unwrap();
            assert_eq!(
                d.count(&format!("#matrix th[data-coalition=\"{id}\"]")),
                1,
                "{id}"
            );
        }
        let core: Vec<&Value> = narratives
            .iter()
            .filter(|n| n["core"] == json!(true))
            .collect();
        assert!(!core.is_empty());
        for n in &core {
            let id = n["id"].as_str().unwrap();
            assert_eq!(
                d.count(&format!("#matrix tr.core[data-narrative=\"{id}\"]")),
                1,
                "{id}"
            );
            assert_eq!(
                d.count(&format!(
                    "#matrix tr[data-narrative=\"{id}\"] td.matrix-cell"
                )),
                coalitions.len()
            );
        }
        // A cell's mean position and coverage are the coalition's storyline numbers.
        let c1 = &coalitions[0];
        for s in c1["storyline"].as_array().unwrap() {
            let css = format!(
                "#matrix td[data-coalition=\"{}\"][data-narrative=\"{}\"]",
                c1["id"].as_str().unwrap(),
                s["narrative"].as_str().unwrap()
            );
            let cov = d.js(
                "return Number(document.querySelector(arguments[0]).dataset.coverage);",
                vec![json!(css)],
            );
            let want = s["coverage"].as_f64().unwrap();
            assert!(
                (cov.as_f64().unwrap() - want).abs() < 0.006,
                "{css}: {cov} for {want}"
            );
        }
        // A click on a coalition opens its actor x narrative table.
        let id = c1["id"].as_str().unwrap();
        d.click_css(&format!("#matrix th[data-coalition=\"{id}\"] button"));
        d.wait_count(
            "#coalition-table tbody tr[data-actor]",
            c1["members"].as_array().unwrap().len(),
        );
        assert!(d.count("#coalition-table td.pos-cell[data-narrative]") > 0);
        self.shot("ui-matrix.png");
        d.click_css("#coalition-table-close");
        d.wait_count("#coalition-table-panel[hidden]", 1);
    }

    fn rename_coalition(&mut self) {
        let d = &self.d;
        let analysis = self.get("/api/v1/maps/demo/analysis");
        let c = &analysis["coalitions"][1];
        let id = c["id"].as_str().unwrap().to_string();
        let storyline_name = c["name"].as_str().unwrap().to_string();
        assert!(!storyline_name.is_empty(), "coalitions have a name");
        assert_eq!(
            d.text(&format!(
                "#coalitions li[data-coalition=\"{id}\"] .coalition-name"
            )),
            storyline_name,
            "named by its storyline"
        );
        d.click_css(&format!(
            "#coalitions li[data-coalition=\"{id}\"] button.rename"
        ));
        d.type_into(
            &format!("#coalitions li[data-coalition=\"{id}\"] input.coalition-name-input"),
            "Qwzx kopgroep\u{E007}",
        );
        d.wait_text(
            &format!("#coalitions li[data-coalition=\"{id}\"] .coalition-name"),
            "Qwzx kopgroep",
        );
        assert_eq!(
            self.get("/api/v1/maps/demo/analysis")["coalitions"][1]["name"],
            json!("Qwzx kopgroep")
        );
        // An unrelated edit (another actor's notes), then the page anew: the name stays, in
        // the list, the legend and the matrix.
        let other = self.actors[0]["id"].as_str().unwrap().to_string();
        self.send(
            "PATCH",
            &format!("/api/v1/maps/demo/actors/{other}"),
            &json!({"notes": "an unrelated edit"}),
        );
        self.reload("#map=demo");
        let d = &self.d;
        d.wait_text(
            &format!("#coalitions li[data-coalition=\"{id}\"] .coalition-name"),
            "Qwzx kopgroep",
        );
        assert_eq!(
            d.text(&format!("#legend li[data-key=\"{id}\"]")).trim(),
            "Qwzx kopgroep"
        );
        assert_eq!(
            d.js(
                "return document.querySelector(`#matrix th[data-coalition=\"${arguments[0]}\"]`).title;",
                vec![json!(id)]
            ),
            json!("Qwzx kopgroep")
        );
    }

    fn actor_details(&mut self) {
        let d = &self.d;
        let biggest = self
            .actors
            .iter()
            .max_by(|a, b| {
                a["influence"]
                    .as_f64()
                    .unwrap()
                    .total_cmp(&b["influence"].as_f64().unwrap())
            })
            .unwrap();
        self.big_id = biggest["id"].as_str().unwrap().to_string();
        self.big_name = biggest["name"].as_str().unwrap().to_string();
        d.click_css(&format!(
            "#graph circle.node[data-actor=\"{}\"]",
            self.big_id
        ));
        d.wait_text("#details-name", &self.big_name);
        wait_for("the actor's stances and ties", WAIT, || {
            (d.count("#actor-stances tbody tr") > 0 && d.count("#actor-ties li") > 0).then_some(())
        });
        assert!(!d
            .text("#actor-details [data-field=\"quadrant\"]")
            .is_empty());
        assert!(!d
            .text("#actor-details [data-field=\"salience\"]")
            .is_empty());
        assert_eq!(d.count("#actor-plan"), 1, "the engagement plan is shown");
        self.shot("ui-actor.png");
    }

    fn add_actor(&mut self) {
        let d = &self.d;
        d.click_css("#view-switch button[data-view=\"edit\"]");
        d.type_into("#actor-form-name", "Qwzx Browsertest Stichting");
        d.click_css("#actor-form button.save");
        d.wait_count(
            "#graph circle.node[data-actor=\"qwzx-browsertest-stichting\"]",
            1,
        );
        d.wait_count("#graph circle.node", self.total + 1);
        self.saved();
    }

    /// Two people edit one actor: the form reads the actor's version (ETag); someone else
    /// changes the actor; saving the form is refused (412) and shows the other version; saved
    /// again, the change goes through and keeps the other person's edit.
    fn concurrent_edit(&mut self) {
        let d = &self.d;
        let qwzx = "qwzx-browsertest-stichting";
        let path = format!("/api/v1/maps/demo/actors/{qwzx}");
        d.js(
            "const s = document.getElementById('actor-form-pick'); s.value = arguments[0];\
             s.dispatchEvent(new Event('change')); return true;",
            vec![json!(qwzx)],
        );
        wait_for("the form to read the actor's version", WAIT, || {
            let v = d.js(
                "return document.getElementById('actor-form').dataset.version || null;",
                vec![],
            );
            v.as_str().filter(|v| !v.is_empty()).map(str::to_string)
        });
        self.send(
            "PATCH",
            &path,
            &json!({ "notes": "changed by a colleague" }),
        );
        d.type_into("#actor-form-name", "Qwzx Renamed Stichting");
        d.click_css("#actor-form button.save");
        let changed = self
            .en("form.changed")
            .replace("{name}", "Qwzx Browsertest Stichting");
        d.wait_text("#actor-form .form-status", &changed);
        assert_eq!(
            self.get(&path)["name"],
            "Qwzx Browsertest Stichting",
            "not overwritten"
        );
        wait_for("the form to show the other version", WAIT, || {
            (d.js(
                "return document.getElementById('actor-form-notes').value;",
                vec![],
            ) == json!("changed by a colleague"))
            .then_some(())
        });
        d.type_into("#actor-form-name", "Qwzx Renamed Stichting");
        d.click_css("#actor-form button.save");
        d.wait_text("#actor-form .form-status", &self.en("form.saved"));
        let renamed = self.get(&path);
        assert_eq!(renamed["name"], "Qwzx Renamed Stichting");
        assert_eq!(
            renamed["notes"], "changed by a colleague",
            "the colleague's edit is kept"
        );
        self.saved();
    }

    fn script_name_is_text(&mut self) {
        let d = &self.d;
        let evil = "<script>alert(1)</script>";
        d.type_into("#actor-form-name", evil);
        d.click_css("#actor-form button.save");
        d.wait_count("#graph circle.node", self.total + 2);
        let evil_id = self.get("/api/v1/maps/demo/actors")["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == evil)
            .map(|a| a["id"].as_str().unwrap().to_string())
            .expect("the actor was created");
        d.click_css("#view-switch button[data-view=\"map\"]");
        d.click_css(&format!("#graph circle.node[data-actor=\"{evil_id}\"]"));
        d.wait_text("#details-name", evil);
        assert_eq!(d.alert(), None, "no alert opened");
        assert_eq!(
            d.js("return document.querySelectorAll('script').length;", vec![]),
            self.scripts_before
        );
        assert_eq!(d.count("#actor-details script, #graph script"), 0);
    }

    fn grid(&mut self) {
        let d = &self.d;
        d.click_css("#view-switch button[data-view=\"grid\"]");
        d.wait_count("#grid circle.grid-node", self.total + 2);
        for a in &self.actors {
            let id = a["id"].as_str().unwrap();
            assert_eq!(
                d.count(&format!("#grid circle.grid-node[data-actor=\"{id}\"]")),
                1,
                "{id}"
            );
        }
        assert_eq!(d.count("#grid rect.quadrant"), 4, "four quadrants");
        d.click_css(&format!(
            "#grid circle.grid-node[data-actor=\"{}\"]",
            self.big_id
        ));
        d.wait_text("#details-name", &self.big_name);
        assert_eq!(
            d.count("#view-grid #details-panel"),
            1,
            "the details open beside the grid"
        );
        self.shot("ui-grid.png");
    }

    fn engagement_plan(&mut self) {
        let d = &self.d;
        let big = self.big_id.clone();
        let actor = format!("/api/v1/maps/demo/actors/{big}");
        d.click_css("#view-switch button[data-view=\"plan\"]");
        d.wait_count("#plan-table tbody tr", self.total + 2);
        let sorted_by_name = |dir: i32| {
            d.js(
                "const n = [...document.querySelectorAll('#plan-table tbody th .linklike')]\
                   .map((x) => x.textContent.toLowerCase());\
                 return n.length > 1 && n.every((x, i) => i === 0 || arguments[0] * n[i - 1].localeCompare(x) <= 0);",
                vec![json!(dir)],
            ) == json!(true)
        };
        d.click_css("#plan-table button.sort[data-sort=\"name\"]");
        assert!(sorted_by_name(1), "sorted by name, ascending");
        assert_eq!(
            d.text("#plan-table th[aria-sort=\"ascending\"] button"),
            format!("{} ▲", self.en("field.name"))
        );
        d.click_css("#plan-table button.sort[data-sort=\"name\"]");
        assert!(sorted_by_name(-1), "sorted by name, descending");
        let row = format!("#plan-table tr[data-actor=\"{big}\"]");
        d.click_css(&format!("{row} select.plan-target option[value=\"2\"]"));
        wait_for("the target to be stored", WAIT, || {
            (self.get(&actor)["target_position"] == json!(2)).then_some(())
        });
        d.wait_text(&format!("{row} .row-status"), &self.en("form.saved"));
        d.click_css(&format!(
            "{row} select.plan-engagement option[value=\"collaborate\"]"
        ));
        wait_for("the engagement level to be stored", WAIT, || {
            (self.get(&actor)["engagement"] == json!("collaborate")).then_some(())
        });
        d.wait_text(&format!("{row} .row-status"), &self.en("form.saved"));
        d.type_into(&format!("{row} input.plan-owner"), "Team Rijk\u{E007}");
        wait_for("the owner to be stored", WAIT, || {
            (self.get(&actor)["owner"] == json!("Team Rijk")).then_some(())
        });
        d.wait_text("#actor-plan dd[data-field=\"owner\"]", "Team Rijk");
        d.click_css("#plan-table button.sort[data-sort=\"target_position\"]");
        assert_eq!(
            d.js(
                "return document.querySelector('#plan-table tbody tr').dataset.actor;",
                vec![]
            ),
            json!(big)
        );
        self.shot("ui-plan.png");
    }

    fn dutch(&mut self) {
        let d = &self.d;
        d.click_css("#lang-switch option[value=\"nl\"]");
        d.wait_text(
            "#view-switch button[data-view=\"grid\"]",
            self.nl["view.grid"].as_str().unwrap(),
        );
        for (css, key) in [
            ("#strength-title", "strength.title"),
            ("#gaps-title", "gaps.title"),
            ("#decision-title", "plan.whatToDo"),
            ("#matrix-title", "matrix.title"),
            ("#simulate-plan", "plan.simulate"),
            ("#view-switch button[data-view=\"history\"]", "view.history"),
            ("#plan-title", "plan.title"),
        ] {
            let want = self.nl[key].as_str().unwrap();
            assert_ne!(want, self.en(key), "{key} differs in Dutch");
            d.wait_text(css, want);
        }
        assert_eq!(
            d.js("return document.documentElement.lang;", vec![]),
            json!("nl")
        );
        d.click_css("#view-switch button[data-view=\"map\"]");
        let css = format!("#gaps li[data-gap=\"{}\"] .gap-message", self.gap_id);
        let dutch = wait_for("a Dutch gap message", WAIT, || {
            let t = d.text(&css);
            (!t.is_empty() && t != self.english_gap_message).then_some(t)
        });
        assert_ne!(dutch, self.english_gap_message);
        assert!(d
            .text("#gaps-headline")
            .starts_with("De coalitie hangt aan"));
        d.js(
            "document.getElementById('right-panel').scrollTop = 0;",
            vec![],
        );
        // The names were placed again in the map view's size after the views changed.
        assert_eq!(
            overlapping_names(d)[1],
            json!([]),
            "overlapping names in the Dutch graph"
        );
        self.shot("ui-main-nl.png");
    }

    /// Undo from the added actor's creation removes both added actors; undoing the undo
    /// brings them back.
    fn history_undo(&mut self) {
        let d = &self.d;
        d.click_css("#view-switch button[data-view=\"history\"]");
        let log = self.get("/api/v1/maps/demo/log?order=desc");
        let created = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["operation"] == "create" && e["id"] == "qwzx-browsertest-stichting")
            .expect("the creation is logged");
        let seq = created["seq"].as_u64().unwrap();
        d.click_css(&format!("#history li[data-entry=\"{seq}\"] button.undo-to"));
        d.wait_count("#graph circle.node", self.total);
        assert_eq!(
            d.count("#graph circle.node[data-actor=\"qwzx-browsertest-stichting\"]"),
            0
        );
        assert_eq!(
            self.get("/api/v1/maps/demo/actors")["total"],
            json!(self.total)
        );
        d.wait_count(&format!("#history li.undone[data-entry=\"{seq}\"]"), 1);
        self.shot("ui-history-nl.png");
        d.click_css("#undo-last");
        d.wait_count("#graph circle.node", self.total + 2);
        assert_eq!(
            self.get("/api/v1/maps/demo/actors")["total"],
            json!(self.total + 2)
        );
    }

    /// Nothing broke the Content-Security-Policy or threw; the control: an inline script is
    /// blocked and the watcher sees it (so the empty list means something).
    fn no_policy_violation_or_error(&mut self) {
        let d = &self.d;
        assert_eq!(
            d.js("return window.__csp || [];", vec![]),
            json!([]),
            "CSP violations"
        );
        assert_eq!(
            d.js("return window.__errors || [];", vec![]),
            json!([]),
            "script errors"
        );
        if let Ok(log) = d.cmd("POST", "/se/log", Some(json!({"type": "browser"}))) {
            let bad: Vec<String> = log
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .filter_map(|e| e["message"].as_str().map(str::to_string))
                .filter(|m| m.contains("Content Security Policy") || m.contains("Uncaught"))
                .collect();
            assert!(bad.is_empty(), "browser log: {bad:?}");
        }
        assert_eq!(d.alert(), None, "no alert at the end");
        d.js(
            "const s = document.createElement('script'); s.textContent = 'window.__ran = 1;'; \
             document.head.append(s);",
            vec![],
        );
        wait_for("the CSP violation of the control", WAIT, || {
            (d.js("return window.__csp.length;", vec![]) == json!(1)).then_some(())
        });
        assert_eq!(
            d.js("return window.__ran === undefined;", vec![]),
            json!(true)
        );
    }
}

/// Starts the server (demo map) and chromedriver; the harness ends both.
fn start(dir: tempfile::TempDir, chromedriver: &Path) -> (Harness, String, u16) {
    let server_log = std::fs::File::create(dir.path().join("server.log")).expect("log file");
    let mut server = Command::new(env!("CARGO_BIN_EXE_vertoog"))
        .arg("--store")
        .arg(dir.path().join("store"))
        .args(["serve", "--addr", "127.0.0.1:0", "--demo"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(server_log)
        .spawn()
        .expect("start vertoog serve");
    let stdout = server.stdout.take().expect("the server's stdout");
    let driver_port = free_port();
    let driver = Command::new(chromedriver)
        .arg(format!("--port={driver_port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let h = Harness {
        server: Some(server),
        driver: Some(driver),
        driver_port,
        session: None,
        _dir: dir,
    };
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("the server's first line");
    let url = first.trim().to_string();
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "the first line is the URL: `{url}`"
    );
    let port: u16 = url
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("a port");
    (h, url, port)
}

/// A browser session at 1366x768 with the watcher installed before every page's scripts.
fn open_session(h: &mut Harness, chromium: &Path) -> bool {
    let driver_port = h.driver_port;
    wait_for("chromedriver", WAIT, || {
        http(driver_port, "GET", "/status", None, &[])
            .ok()
            .and_then(|(_, b)| serde_json::from_slice::<Value>(&b).ok())
            .filter(|v| v["value"]["ready"].as_bool() == Some(true))
    });
    let profile = h._dir.path().join("chromium-profile");
    let caps = json!({"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium.to_string_lossy(),
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--window-size=1366,768",
                     "--hide-scrollbars",
                     "--lang=en-GB", format!("--user-data-dir={}", profile.display())],
            "prefs": {"intl.accept_languages": "en-GB,en"}
        },
        "goog:loggingPrefs": {"browser": "ALL"}
    }}});
    let (status, body) =
        http(driver_port, "POST", "/session", Some(&caps), &[]).expect("a session");
    let v: Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(status, 200, "new session: {v}");
    h.session = Some(
        v["value"]["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string(),
    );
    let d = Driver { h: &*h };
    d.ok(
        "POST",
        "/timeouts",
        Some(json!({"script": 30000, "pageLoad": 30000, "implicit": 0})),
    );
    // The page itself 1366x768: the window is that plus what the browser's frame takes.
    let inner = d.js("return [window.innerWidth, window.innerHeight];", vec![]);
    let (w, hh) = (
        inner[0].as_i64().unwrap_or(1366),
        inner[1].as_i64().unwrap_or(768),
    );
    d.ok(
        "POST",
        "/window/rect",
        Some(json!({"width": 1366 + (1366 - w), "height": 768 + (768 - hh)})),
    );
    d.cmd(
        "POST",
        "/goog/cdp/execute",
        Some(json!({"cmd": "Page.addScriptToEvaluateOnNewDocument", "params": {"source": WATCH}})),
    )
    .is_ok()
}

#[test]
fn web_ui_in_headless_chromium() {
    let (Some(chromium), Some(chromedriver)) = (program(CHROMIUM), program(CHROMEDRIVER)) else {
        if std::env::var_os("CI").is_some() {
            panic!("chromium and chromedriver are needed in CI (apt-get install chromium chromium-driver)");
        }
        eprintln!(
            "SKIPPED web_ui_in_headless_chromium: chromium or chromedriver is not installed \
             (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let started = Instant::now();
    let (mut h, url, port) = start(tempfile::tempdir().expect("a temp dir"), &chromedriver);
    let watched = open_session(&mut h, &chromium);
    let d = Driver { h: &h };
    let (status, body) = http(port, "GET", "/api/v1/maps/demo/actors", None, &[]).expect("API");
    assert_eq!(status, 200);
    let actors: Value = serde_json::from_slice(&body).expect("JSON");
    let total = actors["total"].as_u64().expect("total") as usize;
    assert_eq!(total, 49, "the demo map has 49 actors");
    d.goto(&url);
    if !watched {
        d.js(WATCH, vec![]);
    }
    d.settle();
    let mut ui = Ui {
        d,
        url: url.trim_end_matches('/').to_string(),
        port,
        target: Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
        en: catalogue("en"),
        nl: catalogue("nl"),
        actors: actors["items"].as_array().cloned().unwrap_or_default(),
        total,
        scripts_before: Value::Null,
        gap_id: String::new(),
        english_gap_message: String::new(),
        big_id: String::new(),
        big_name: String::new(),
    };
    // The steps, in order; each names itself on stderr and how long it took.
    macro_rules! steps {
        ($($name:ident),* $(,)?) => {
            $(
                let t = Instant::now();
                eprintln!("step {}", stringify!($name));
                ui.$name();
                eprintln!("step {}: ok ({:.1} s)", stringify!($name), t.elapsed().as_secs_f64());
            )*
        };
    }
    steps!(
        load_demo_map,
        decision_first,
        budget_changes_plan,
        simulate_plan,
        simulate_checked,
        gap_groups,
        simulate_action,
        matrix,
        rename_coalition,
        deep_link,
        actor_details,
        add_actor,
        concurrent_edit,
        script_name_is_text,
        grid,
        engagement_plan,
        dutch,
        history_undo,
        no_policy_violation_or_error,
    );
    eprintln!(
        "browser test took {:.1} s (watcher installed {})",
        started.elapsed().as_secs_f64(),
        if watched {
            "before the page's scripts"
        } else {
            "after loading"
        }
    );
}

// ---- issue 19: the engagement loop -------------------------------------------------------

/// A token made with `vertoog token create` on the store before the server starts.
fn create_token(store: &Path, name: &str, role: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_vertoog"))
        .arg("--store")
        .arg(store)
        .args(["token", "create", "--name", name, "--role", role])
        .output()
        .expect("run vertoog token create");
    assert!(
        out.status.success(),
        "token create: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The API as one token holder: (method, path, body) -> the parsed answer; panics on non-2xx.
struct As {
    port: u16,
    auth: String,
}

impl As {
    #[track_caller]
    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let (status, bytes) = http(
            self.port,
            method,
            path,
            body,
            &[("Authorization", self.auth.as_str())],
        )
        .expect("the API answers");
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {}",
            String::from_utf8_lossy(&bytes)
        );
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    }
}

/// Loads the page with `token` in the session (as the token form stores it).
fn log_in(d: &Driver, url: &str, token: &str, watched: bool) {
    d.goto(url);
    // After the page has settled: its own answer to a 401 forgets a rejected token.
    d.settle();
    d.js(
        "sessionStorage.setItem('vertoog.token', arguments[0]);",
        vec![json!(token)],
    );
    d.goto("about:blank");
    d.goto(url);
    if !watched {
        d.js(WATCH, vec![]);
    }
    d.settle();
}

/// `[number of names, problems]` of the graph: two names whose boxes as drawn (with the
/// white halo) overlap or touch, and a name that covers any part of another actor's node.
fn overlapping_names(d: &Driver) -> Value {
    d.js(
        "const boxes = [...document.querySelectorAll('#graph text.label')].map((e) => {\
               const r = e.getBoundingClientRect();\
               return [e.textContent, e.dataset.actor, r.left - 1.5, r.right + 1.5, r.top, r.bottom]; });\
             const out = [];\
             for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {\
               const [a, , al, ar, at, ab] = boxes[i]; const [b, , bl, br, bt, bb] = boxes[j];\
               if (al < br && bl < ar && at < bb && bt < ab) out.push(a + ' / ' + b); }\
             for (const c of document.querySelectorAll('#graph circle.node')) {\
               const r = c.getBoundingClientRect();\
               for (const [a, id, l, rt, t, b] of boxes)\
                 if (id !== c.dataset.actor && l < r.right && r.left < rt && t < r.bottom && r.top < b)\
                   out.push(a + ' covers the node of ' + c.dataset.actor); }\
             return [boxes.length, out];",
        vec![],
    )
}

/// How many elements matching `css` are rendered (not inside anything hidden).
fn shown(d: &Driver, css: &str) -> u64 {
    d.js(
        "return [...document.querySelectorAll(arguments[0])].filter((e) => e.getClientRects().length > 0).length;",
        vec![json!(css)],
    )
    .as_u64()
    .expect("a count")
}

/// How many write controls (class `needs-edit`) are rendered.
fn shown_write_controls(d: &Driver) -> u64 {
    shown(d, ".needs-edit")
}

/// The number shown as `+1.2` / `-0.4` in `css`, if it is one.
fn shown_number(d: &Driver, css: &str) -> Option<f64> {
    d.text(css).trim().trim_start_matches('+').parse().ok()
}

/// Issue 19 in a real browser, with an editor's and a viewer's token: adopt the top plan
/// step (owner and due date inline), log a contact for its target in the actor panel, mark
/// the plan item done on the board, and see it there with the simulated gain beside the
/// measured change once data after the adoption exists; a viewer does not see a confidential
/// interaction in the actor panel. Screenshots: `target/ui-plan-board.png`,
/// `target/ui-actor-contacts.png`.
#[test]
fn engagement_loop_in_headless_chromium() {
    let (Some(chromium), Some(chromedriver)) = (program(CHROMIUM), program(CHROMEDRIVER)) else {
        if std::env::var_os("CI").is_some() {
            panic!("chromium and chromedriver are needed in CI (apt-get install chromium chromium-driver)");
        }
        eprintln!("SKIPPED engagement_loop_in_headless_chromium: chromium or chromedriver is not installed");
        return;
    };
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = dir.path().join("store");
    let editor = create_token(&store, "ed", "editor");
    let viewer = create_token(&store, "vic", "viewer");
    let (mut h, url, port) = start(dir, &chromedriver);
    let watched = open_session(&mut h, &chromium);
    let d = Driver { h: &h };
    let target_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target");
    let en = catalogue("en");
    let en = |k: &str| {
        en[k]
            .as_str()
            .unwrap_or_else(|| panic!("en.json has {k}"))
            .to_string()
    };
    let ed = As {
        port,
        auth: format!("Bearer {editor}"),
    };
    let url = url.trim_end_matches('/').to_string();
    log_in(&d, &url, &editor, watched);

    // 1. Adopt the top step of "what to do", with an owner and a due date asked inline.
    wait_for("the plan's steps", WAIT, || {
        (d.count("#plan-steps li.plan-step .adopt-open") > 0).then_some(())
    });
    let top = d
        .js(
            "return document.querySelector('#plan-steps li.plan-step').dataset.action;",
            vec![],
        )
        .as_str()
        .expect("the top step's action")
        .to_string();
    let analysis = ed.call("GET", "/api/v1/maps/demo/analysis", None);
    let action = analysis["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == json!(top))
        .expect("the top step is an action of the analysis")
        .clone();
    let items_before = ed.call("GET", "/api/v1/maps/demo/plan", None)["total"]
        .as_u64()
        .unwrap();
    assert_eq!(items_before, 5, "the demo's five plan items");
    let step = format!("#plan-steps li.plan-step[data-action=\"{top}\"]");
    assert_eq!(
        d.count(&format!("{step} form.adopt-form:not([hidden])")),
        0,
        "the form opens on demand"
    );
    d.click_css(&format!("{step} button.adopt-open"));
    d.type_into(&format!("{step} input.adopt-owner"), "Anouk");
    d.js(
        "document.querySelector(arguments[0]).value = '2026-08-15';",
        vec![json!(format!("{step} input.adopt-due"))],
    );
    d.click_css(&format!("{step} button.adopt-submit"));
    let item = wait_for("the adopted plan item", WAIT, || {
        let list = ed.call("GET", "/api/v1/maps/demo/plan", None);
        (list["total"].as_u64() == Some(items_before + 1)).then(|| {
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["id"] == json!(format!("p{}", items_before + 1)))
                .expect("the new item is p6")
                .clone()
        })
    });
    let id = item["id"].as_str().unwrap().to_string();
    assert_eq!(item["kind"], action["kind"]);
    assert_eq!(item["owner"], json!("Anouk"));
    assert_eq!(item["due"], json!("2026-08-15"));
    assert_eq!(item["status"], json!("planned"));
    assert_eq!(item["adopted_on"], json!("2026-06-30"), "the demo's today");
    assert_eq!(item["targets"], action["targets"]);
    let simulated = item["simulated_gain"].as_f64().expect("a simulated gain");
    assert!((simulated - action["expected_gain"].as_f64().unwrap()).abs() < 1e-9);
    d.wait_text(
        &format!("{step} .adopt .form-status"),
        &en("adopt.done").replace("{id}", &id),
    );

    // 2. Log a contact for its target in the actor panel (the actor preset, today's date).
    let target = item["targets"][0].as_str().unwrap().to_string();
    let target_name = ed.call("GET", &format!("/api/v1/maps/demo/actors/{target}"), None)["name"]
        .as_str()
        .unwrap()
        .to_string();
    d.click_css(&format!("#graph circle.node[data-actor=\"{target}\"]"));
    d.wait_text("#details-name", &target_name);
    wait_for("the log form", WAIT, || {
        (d.count("#log-contact #contact-title") == 1).then_some(())
    });
    assert_eq!(
        d.js(
            "return document.getElementById('contact-date').value;",
            vec![]
        ),
        json!("2026-06-30"),
        "the date defaults to the map's today"
    );
    let history_before = d.count("#actor-contacts li");
    let title = "Browser test: follow-up of the adopted action";
    d.type_into("#contact-title", title);
    let narratives = d.count("#log-contact input.contact-narrative");
    assert!(narratives > 0, "the actor's own narratives to pick from");
    d.click_css("#log-contact input.contact-narrative");
    d.click_css("#contact-sentiment option[value=\"1\"]");
    d.type_into(
        "#contact-outcome",
        "Agreed to speak at the next programme board.",
    );
    d.click_css("#contact-save");
    wait_for("the contact at the top of the history", WAIT, || {
        (d.text("#actor-contacts li:first-child strong") == title).then_some(())
    });
    assert_eq!(d.count("#actor-contacts li"), history_before + 1);
    let logged = ed.call(
        "GET",
        &format!("/api/v1/maps/demo/interactions?actor={target}"),
        None,
    );
    let logged = logged["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == json!(title))
        .expect("the contact is stored")
        .clone();
    assert_eq!(logged["actors"], json!([target]));
    assert_eq!(logged["date"], json!("2026-06-30"));
    assert_eq!(logged["sentiment"], json!(1));
    assert_eq!(logged["narratives"].as_array().map(Vec::len), Some(1));
    // The contact carried out the adopted item (its only open plan item, checked by default).
    wait_for("the plan item to name the contact", WAIT, || {
        (ed.call("GET", &format!("/api/v1/maps/demo/plan/{id}"), None)["interactions"]
            == json!([logged["id"]]))
        .then_some(())
    });
    // The relationship follows the new contact.
    wait_for("the relationship to show the new contact", WAIT, || {
        d.text("#actor-relationship")
            .contains("2026-06-30")
            .then_some(())
    });
    d.js(
        "document.getElementById('actor-engagement').scrollIntoView({block: 'start'});",
        vec![],
    );
    d.screenshot(&target_dir.join("ui-actor-contacts.png"));

    // 3. Mark it done on the board.
    d.click_css("#view-switch button[data-view=\"board\"]");
    let card = format!("li.board-card[data-item=\"{id}\"]");
    d.wait_count(&format!("#plan-board .col-planned {card}"), 1);
    assert_eq!(
        d.count(&format!("{card} .badge-overdue")),
        0,
        "due after today"
    );
    assert_eq!(
        d.count("#plan-board .col-planned li.late .badge-overdue"),
        1,
        "the demo's late item (p4, due 2026-05-01) has its badge"
    );
    d.click_css(&format!("{card} button.move-done"));
    d.wait_count(&format!("#plan-board .col-done {card}"), 1);
    assert_eq!(
        ed.call("GET", &format!("/api/v1/maps/demo/plan/{id}"), None)["status"],
        json!("done")
    );
    assert_eq!(
        shown_number(&d, &format!("{card} .simulated-gain")).map(|x| (x * 10.0).round()),
        Some((simulated * 10.0).round()),
        "the simulated gain"
    );
    // Adopted on the map's today: nothing dated after the adoption yet.
    d.wait_text(
        &format!("{card} .measured-gain"),
        &en("board.notMeasurable"),
    );

    // Time passes: the target states its support after the adoption, and the map's today
    // moves on. The measured change appears beside the simulated gain.
    for narrative in [
        "digital-by-default",
        "central-facilities",
        "improve-after-golive",
    ] {
        ed.call(
            "POST",
            "/api/v1/maps/demo/stances",
            Some(
                &json!({"actor": target, "narrative": narrative, "position": 2,
                         "date": "2026-08-01", "source": "Browser test"}),
            ),
        );
    }
    ed.call(
        "PATCH",
        "/api/v1/maps/demo",
        Some(&json!({"settings": {"as_of": "2026-09-30"}})),
    );
    log_in(&d, &url, &editor, watched);
    d.click_css("#view-switch button[data-view=\"board\"]");
    d.wait_count(&format!("#plan-board .col-done {card}"), 1);
    let effect = ed.call("GET", "/api/v1/maps/demo/analysis", None)["plan"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == json!(id))
        .cloned()
        .expect("the item's effect");
    let measured = effect["measured_gain"]
        .as_f64()
        .expect("measurable now: data after the adoption");
    assert_eq!(
        shown_number(&d, &format!("{card} .measured-gain")).map(|x| (x * 10.0).round()),
        Some((measured * 10.0).round()),
        "the measured change"
    );
    assert!(shown_number(&d, &format!("{card} .simulated-gain")).is_some());
    assert_eq!(
        d.text(&format!("{card} .effect-caveat")),
        en("board.caveat")
    );
    // The demo's two done items show both numbers too.
    for done in ["p1", "p2"] {
        let c = format!("#plan-board .col-done li[data-item=\"{done}\"]");
        assert!(
            shown_number(&d, &format!("{c} .simulated-gain")).is_some(),
            "{done}"
        );
        assert!(
            shown_number(&d, &format!("{c} .measured-gain")).is_some(),
            "{done}"
        );
    }
    d.screenshot(&target_dir.join("ui-plan-board.png"));

    // "My contacts": overdue first, filtered by owner.
    d.click_css("#view-switch button[data-view=\"contacts\"]");
    wait_for("the contacts table", WAIT, || {
        (d.count("#contacts-table tbody tr") > 0).then_some(())
    });
    let first = d.js(
        "return document.querySelector('#contacts-table tbody tr').dataset.status;",
        vec![],
    );
    assert_eq!(first, json!("overdue"), "the most urgent first");
    d.screenshot(&target_dir.join("ui-my-contacts.png"));
    d.click_css("#contacts-owner option[value=\"Daan\"]");
    wait_for("the owner filter", WAIT, || {
        let owners: Vec<String> = serde_json::from_value(d.js(
            "return [...document.querySelectorAll('#contacts-commitments li')].map((li) => li.textContent);",
            vec![],
        ))
        .unwrap_or_default();
        (!owners.is_empty() && owners.iter().all(|o| o.contains("Daan"))).then_some(())
    });

    // 4. A viewer does not see a confidential interaction in the actor panel.
    let secret = "Staatssecretaris: progress";
    d.click_css("#view-switch button[data-view=\"map\"]");
    d.click_css("#graph circle.node[data-actor=\"staatssecretaris\"]");
    wait_for("the editor's contact history", WAIT, || {
        (d.count("#actor-contacts li.confidential") > 0).then_some(())
    });
    let editor_sees = d.count("#actor-contacts li");
    let confidential = d.count("#actor-contacts li.confidential");
    assert!(d.text("#actor-contacts").contains(secret));
    // The editor has the write controls (the positive control of the viewer's check below).
    assert!(
        shown_write_controls(&d) > 0,
        "an editor sees write controls"
    );
    assert_eq!(shown(&d, "#view-switch button[data-view=\"edit\"]"), 1);
    log_in(&d, &url, &viewer, watched);
    d.click_css("#graph circle.node[data-actor=\"staatssecretaris\"]");
    d.wait_text("#details-name", "Staatssecretaris Digitalisering");
    wait_for("the viewer's contact history", WAIT, || {
        (d.count("#actor-contacts li") > 0).then_some(())
    });
    assert_eq!(d.count("#actor-contacts li.confidential"), 0);
    assert_eq!(d.count("#actor-contacts li"), editor_sees - confidential);
    assert!(
        !d.text("#actor-details").contains(secret),
        "the confidential contact stays hidden"
    );

    // 5. A viewer sees no control of a write the server would refuse: no Edit view, no edit,
    // adopt, rename, log-a-contact or undo buttons, the plan's fields read-only; the notice
    // says why. Simulating an action still works (through plan/simulate, a viewer's route).
    assert!(
        d.js(
            "return document.body.classList.contains('read-only');",
            vec![]
        ) == json!(true),
        "the viewer's page is read-only"
    );
    let notice = d.text("#mode-notice");
    assert!(
        notice.contains("vic"),
        "the notice names the viewer: {notice}"
    );
    assert!(
        d.count(".needs-edit") > 5,
        "the write controls are on the page, hidden"
    );
    assert_eq!(
        shown_write_controls(&d),
        0,
        "a viewer sees no write control"
    );
    assert_eq!(shown(&d, "#view-switch button[data-view=\"edit\"]"), 0);
    assert_eq!(shown(&d, "#edit-actor"), 0);
    assert_eq!(shown(&d, "#actor-details .log-contact-box"), 0);
    d.screenshot(&target_dir.join("ui-viewer.png"));
    d.click_css("#view-switch button[data-view=\"plan\"]");
    wait_for("the viewer's engagement plan", WAIT, || {
        (d.count("#plan-table tr[data-actor]") > 0).then_some(())
    });
    assert!(d.count("#plan-table select.plan-target") > 0);
    assert_eq!(
        d.count("#plan-table select.plan-target:not([disabled])")
            + d.count("#plan-table input.plan-owner:not([disabled])"),
        0,
        "the plan's fields are read-only for a viewer"
    );
    d.goto(&format!("{url}#map=demo&view=edit"));
    d.settle();
    assert_eq!(
        shown(&d, "#view-edit"),
        0,
        "a link to the Edit view opens the map for a viewer"
    );
    assert_eq!(shown(&d, "#view-map"), 1);
    let first = "#actions li[data-action] button.simulate:not([disabled])";
    // The action's expected gain, read with the viewer's token.
    let gain = d.js(
        "const id = document.querySelector(arguments[0]).closest('li[data-action]').dataset.action;\
         const x = new XMLHttpRequest(); x.open('GET', '/api/v1/maps/demo/analysis', false);\
         x.setRequestHeader('Authorization', 'Bearer ' + sessionStorage.getItem('vertoog.token'));\
         x.send(); return JSON.parse(x.responseText).actions.find((a) => a.id === id).expected_gain;",
        vec![json!(first)],
    );
    let gain = gain.as_f64().expect("the action's expected gain");
    d.click_css(first);
    let delta = wait_for("the viewer's simulation", WAIT, || {
        let t = d.text("#whatif-delta");
        (!t.is_empty()).then_some(t)
    });
    let shown: f64 = delta
        .trim_start_matches('+')
        .parse()
        .expect("a simulated gain");
    assert!(
        (shown - gain).abs() < 0.051,
        "the viewer's simulation shows {shown}, the action's gain is {gain}"
    );
    let errors = d.js("return window.__errors || [];", vec![]);
    assert_eq!(errors, json!([]), "no script error");
}
