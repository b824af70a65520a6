//! The web UI, compiled into the binary by `build.rs` from `web/`. Only the exact embedded
//! paths are served: a request path is looked up as it is (no decoding, no normalisation),
//! so `..`, `%2e%2e` and the like never reach a file outside the UI: they are simply 404.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

include!(concat!(env!("OUT_DIR"), "/web_files.rs"));

/// The content type of a file from its extension.
fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" | "md" => "text/plain; charset=utf-8",
        "map" => "application/json",
        _ => "application/octet-stream",
    }
}

/// The embedded file at `path` (`/` is `/index.html`).
pub fn lookup(path: &str) -> Option<&'static [u8]> {
    let path = if path == "/" { "/index.html" } else { path };
    WEB_FILES
        .binary_search_by(|(p, _)| (*p).cmp(path))
        .ok()
        .map(|i| WEB_FILES[i].1)
}

/// Serves the UI's files (GET and HEAD only) for every path outside `/api/v1`.
pub async fn serve_file(method: Method, uri: Uri) -> Response {
    let path = uri.path();
    if path.starts_with("/api/") || path == "/api" {
        return ApiError::NotFound(format!("no API route `{path}`")).into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "").into_response();
    }
    match lookup(path) {
        Some(bytes) => {
            let shown = if path == "/" { "/index.html" } else { path };
            (
                [
                    (CONTENT_TYPE, HeaderValue::from_static(content_type(shown))),
                    (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                ],
                bytes,
            )
                .into_response()
        }
        None => ApiError::NotFound(format!("no file `{path}` in the web UI")).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The method page is served, headings rendered as headings, and every section the UI's
    /// "?" links open exists: the literal anchors of the web code, and one per gap type and
    /// action kind (the links built from a type or kind).
    #[test]
    fn the_method_page_has_every_section_the_ui_links_to() {
        let page = std::str::from_utf8(lookup("/docs/method.html").expect("the method page"))
            .expect("UTF-8");
        assert!(page.contains("<h2>5. Coalition metrics and strength</h2>"));
        assert!(!page.contains("## "), "a heading was not rendered");
        let mut anchors: Vec<String> = Vec::new();
        for (path, bytes) in WEB_FILES.iter().filter(|(p, _)| p.ends_with(".js")) {
            let text = std::str::from_utf8(bytes).expect("UTF-8");
            for part in text.split("docLink('").skip(1) {
                anchors.push(part.split('\'').next().unwrap_or_default().to_string());
            }
            if *path == "/charts.js" {
                let table = text
                    .split("COMPONENT_DOCS = {")
                    .nth(1)
                    .expect("the component table");
                let table = table.split('}').next().unwrap_or_default();
                for line in table.lines().filter(|l| l.contains(':')) {
                    anchors.push(line.split('\'').nth(1).unwrap_or_default().to_string());
                }
            }
        }
        assert!(anchors.len() >= 8, "{anchors:?}");
        anchors.extend(
            vertoog_analysis::GapType::ALL
                .iter()
                .map(|g| format!("gap-{}", g.as_str())),
        );
        anchors.extend(
            vertoog_analysis::ActionKind::ALL
                .iter()
                .map(|k| format!("action-{}", k.as_str())),
        );
        for a in &anchors {
            assert!(page.contains(&format!("id=\"{a}\"")), "no section `{a}`");
        }
    }

    #[test]
    fn files_are_sorted_and_rooted() {
        assert!(WEB_FILES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(WEB_FILES
            .iter()
            .all(|(p, _)| p.starts_with('/') && !p.contains("..")));
    }

    #[test]
    fn traversal_finds_nothing() {
        assert!(lookup("/../Cargo.toml").is_none());
        assert!(lookup("/%2e%2e/Cargo.toml").is_none());
        assert!(lookup("/..%2fCargo.toml").is_none());
        assert!(lookup("//etc/passwd").is_none());
    }

    #[test]
    fn types() {
        assert_eq!(content_type("/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("/app.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("/i18n/nl.json"), "application/json");
        assert_eq!(content_type("/x"), "application/octet-stream");
    }
}
