//! Defences against other web sites (issue 16 items 8 and 9), one middleware in front of
//! every route, the web UI's files included:
//!
//! - **DNS rebinding** (the `Host` check): in local mode the server answers only requests
//!   whose `Host` is `127.0.0.1`, `localhost` or `[::1]` with the server's port (or a name
//!   given with `--allowed-host`); any other `Host` gets 421 `misdirected_request`. With
//!   tokens, a server started with `--allowed-host` answers only those names and the loopback
//!   names; without `--allowed-host` it answers any `Host` (every request needs a token, which
//!   a rebinding page cannot read). A request without `Host` (HTTP/1.0 tools) is served: a
//!   browser always sends one.
//! - **Cross-site request forgery** (the `Origin` check): every request with a method other
//!   than GET/HEAD/OPTIONS whose `Origin` (or, absent that, `Referer`) is not the server's
//!   own origin (`http://HOST` or `https://HOST` with the request's own `Host`) gets 403
//!   `cross_origin`. `Origin: null` is refused too. A request with neither header (the CLI,
//!   curl, scripts) is allowed in both modes: browsers send `Origin` with every cross-origin
//!   POST, PATCH and DELETE, so only non-browser clients lack both. The content-type rules
//!   (JSON routes take exactly `application/json`; the multipart import needs
//!   `X-Vertoog-Request: 1`) live with the body readers (`input.rs`, `routes/history.rs`).

use axum::extract::{Request, State};
use axum::http::header::{HOST, ORIGIN, REFERER};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::state::{AppState, Mode};

/// The header the web UI sends with every request and the multipart import requires: an
/// HTML form cannot set it, and a cross-origin script cannot without a CORS preflight, which
/// this server never grants.
pub const REQUEST_HEADER: &str = "x-vertoog-request";

/// Which `Host` values the server answers.
#[derive(Clone, Debug, Default)]
pub struct HostPolicy {
    /// The port the server listens on; `None` accepts the loopback names on any port (a
    /// router used without [`crate::bind`]).
    port: Option<u16>,
    /// `--allowed-host` values, lower case: `name` (any port) or `name:port`.
    extra: Vec<String>,
}

impl HostPolicy {
    /// The policy of a server listening on `port` with the `--allowed-host` values `extra`.
    pub fn new(port: Option<u16>, extra: &[String]) -> Self {
        HostPolicy {
            port,
            extra: extra
                .iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .filter(|h| !h.is_empty())
                .collect(),
        }
    }

    /// Whether `host` (a `Host` header value) is served in `mode`.
    pub fn allows(&self, host: &str, mode: Mode) -> bool {
        let host = host.trim().to_ascii_lowercase();
        if mode != Mode::Local && self.extra.is_empty() {
            return true;
        }
        let (name, port) = split_host(&host);
        let port_ok = match (self.port, port) {
            (None, _) => true,
            (Some(p), Some(q)) => p == q,
            (Some(p), None) => p == 80,
        };
        if port_ok && matches!(name, "127.0.0.1" | "localhost" | "[::1]") {
            return true;
        }
        self.extra.iter().any(|e| {
            let (en, ep) = split_host(e);
            en == name && (ep.is_none() || ep == port)
        })
    }
}

/// `name:port` → (`name`, Some(port)); `[::1]:8080` → (`[::1]`, Some(8080)); `name` →
/// (`name`, None). A port that is not a number leaves the whole value as the name.
fn split_host(host: &str) -> (&str, Option<u16>) {
    let colon = if host.starts_with('[') {
        host.find(']')
            .and_then(|i| host[i..].find(':').map(|j| i + j))
    } else {
        host.rfind(':')
    };
    match colon {
        Some(i) => match host[i + 1..].parse::<u16>() {
            Ok(p) => (&host[..i], Some(p)),
            Err(_) => (host, None),
        },
        None => (host, None),
    }
}

/// The `scheme://host[:port]` of an `Origin` or `Referer` value, lower case.
fn origin_of(value: &str) -> Option<String> {
    let v = value.trim().to_ascii_lowercase();
    let (scheme, rest) = v.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?;
    if authority.is_empty() {
        return None;
    }
    Some(format!("{scheme}://{authority}"))
}

/// Whether `origin` (from `Origin` or `Referer`) is this server's origin for `host`.
fn same_origin(origin: &str, host: Option<&str>) -> bool {
    let (Some(o), Some(h)) = (origin_of(origin), host) else {
        return false;
    };
    let h = h.trim().to_ascii_lowercase();
    o == format!("http://{h}") || o == format!("https://{h}")
}

fn refuse(status: StatusCode, code: &str, message: String) -> Response {
    (
        status,
        axum::Json(json!({"error": {"code": code, "message": message, "field": null}})),
    )
        .into_response()
}

/// The middleware: the `Host` check, then the `Origin` check of state-changing requests.
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(HOST)
        .map(|v| v.to_str().unwrap_or("\u{fffd}").to_string());
    if let Some(h) = &host {
        let mode = match state.mode() {
            Ok(m) => m,
            Err(e) => return e.into_response(),
        };
        if !state.hosts().allows(h, mode) {
            return refuse(
                StatusCode::MISDIRECTED_REQUEST,
                "misdirected_request",
                format!(
                    "this server does not answer for the host `{h}`; open it as \
                     http://127.0.0.1:PORT or http://localhost:PORT, or start it with \
                     `--allowed-host {}`",
                    split_host(h).0
                ),
            );
        }
    }
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let header = |name| {
            req.headers()
                .get(name)
                .map(|v: &axum::http::HeaderValue| v.to_str().unwrap_or("").to_string())
        };
        let claimed = header(ORIGIN)
            .map(|o| ("Origin", o))
            .or_else(|| header(REFERER).map(|r| ("Referer", r)));
        if let Some((which, value)) = claimed {
            if !same_origin(&value, host.as_deref()) {
                return refuse(
                    StatusCode::FORBIDDEN,
                    "cross_origin",
                    format!(
                        "refused a {} from another web site ({which}: {value}): only this \
                         server's own pages may change data",
                        req.method()
                    ),
                );
            }
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_in_local_mode() {
        let p = HostPolicy::new(Some(8080), &[]);
        assert!(p.allows("127.0.0.1:8080", Mode::Local));
        assert!(p.allows("LOCALHOST:8080", Mode::Local));
        assert!(p.allows("[::1]:8080", Mode::Local));
        assert!(!p.allows("localhost:8081", Mode::Local));
        assert!(!p.allows("evil.example:8080", Mode::Local));
        assert!(!p.allows("localhost", Mode::Local));
        assert!(!p.allows("127.0.0.1.evil.example:8080", Mode::Local));
        // With tokens and no list: any host.
        assert!(p.allows("evil.example:8080", Mode::Tokens));
        let p = HostPolicy::new(
            Some(8080),
            &["vertoog.example".into(), "x.example:9".into()],
        );
        assert!(p.allows("vertoog.example", Mode::Tokens));
        assert!(p.allows("vertoog.example:443", Mode::Tokens));
        assert!(p.allows("x.example:9", Mode::Tokens));
        assert!(!p.allows("x.example:10", Mode::Tokens));
        assert!(!p.allows("evil.example:8080", Mode::Tokens));
        assert!(p.allows("localhost:8080", Mode::Tokens));
    }

    #[test]
    fn origins() {
        assert!(same_origin("http://127.0.0.1:8080", Some("127.0.0.1:8080")));
        assert!(same_origin(
            "http://127.0.0.1:8080/index.html?x#y",
            Some("127.0.0.1:8080")
        ));
        assert!(!same_origin(
            "http://127.0.0.1:8081",
            Some("127.0.0.1:8080")
        ));
        assert!(!same_origin("http://evil.example", Some("127.0.0.1:8080")));
        assert!(!same_origin("null", Some("127.0.0.1:8080")));
        assert!(!same_origin("http://127.0.0.1:8080", None));
        assert_eq!(split_host("[::1]:80"), ("[::1]", Some(80)));
        assert_eq!(split_host("[::1]"), ("[::1]", None));
    }
}
