//! Embeds the web UI (`web/` at the workspace root) in the binary: writes `$OUT_DIR/web_files.rs`
//! with one `(url path, include_bytes!(...))` entry per file, sorted by path. Nothing is read
//! from disk at run time, and only these exact paths can ever be served (no path traversal).
//! `docs/method.md` is rendered to `/docs/method.html` here too: the page the UI's "how is
//! this computed" links open at the section of each number.

use std::fs;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, base: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        // Hidden files (editor swap files, .DS_Store) are never served.
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(&path, base, out);
        } else if path.is_file() {
            let rel = path
                .strip_prefix(base)
                .expect("a walked file lies under its base")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().to_string())
                .collect::<Vec<_>>()
                .join("/");
            out.push((format!("/{rel}"), path));
        }
    }
}

/// docs/method.md as a page of its own, styled by the UI's style sheet. A line holding only an
/// anchor (`<a id="x"></a>`) gets a blank line after it, so that the heading below it is
/// still read as a heading.
fn method_page(markdown: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let mut source = String::with_capacity(markdown.len() + 1024);
    for line in markdown.lines() {
        source.push_str(line);
        source.push('\n');
        let t = line.trim();
        if t.starts_with("<a id=") && t.ends_with("</a>") {
            source.push('\n');
        }
    }
    let mut body = String::new();
    html::push_html(&mut body, Parser::new_ext(&source, Options::ENABLE_TABLES));
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Vertoog: how every number is computed</title>\
         <link rel=\"stylesheet\" href=\"/style.css\"></head>\
         <body class=\"doc-page\"><main class=\"doc\">\n{body}</main></body></html>\n"
    )
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let web = manifest.join("../../web");
    println!("cargo:rerun-if-changed={}", web.display());
    let mut files = Vec::new();
    if web.is_dir() {
        collect(&web, &web, &mut files);
    }
    let method = manifest.join("../../docs/method.md");
    println!("cargo:rerun-if-changed={}", method.display());
    if let Ok(text) = fs::read_to_string(&method) {
        let page =
            PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("method.html");
        fs::write(&page, method_page(&text)).expect("OUT_DIR is writable");
        files.push(("/docs/method.html".to_string(), page));
    }
    files.sort();
    let mut code = String::from("/// The embedded web UI: (URL path, content), sorted by path.\n");
    code.push_str("pub static WEB_FILES: &[(&str, &[u8])] = &[\n");
    for (url, path) in &files {
        let abs = fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        code.push_str(&format!(
            "    ({:?}, include_bytes!({:?})),\n",
            url,
            abs.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("web_files.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
