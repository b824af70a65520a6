//! `vertoog brief` through the real binary (issue 21, briefs.md): the PDF read back with
//! poppler's pdftotext, pdfinfo and pdffonts, the DOCX with python-docx, the HTML as text;
//! both languages; a map with hostile names (quotes, `<`, `&`, right-to-left text, emoji) in
//! every format. The first page of each PDF is rendered to PNG (pdftoppm) under
//! `target/tmp/brief-pages/` to be looked at.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{demo_dir, test_data, Vertoog};

const DEMO_NAME: &str = "Samen Digitaal Loket";
const HOSTILE_NAME: &str = "Kaart \"<Hostile>\" & שלום 🚀";

/// Runs a program of the test machine; with CI set a missing program fails the test, else the
/// test is skipped (None).
fn tool(program: &str, args: &[&str]) -> Option<String> {
    match Command::new(program).args(args).output() {
        Ok(out) => {
            assert!(
                out.status.success(),
                "{program} {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            Some(String::from_utf8_lossy(&out.stdout).into_owned())
        }
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "{program} is needed (poppler-utils, python3-docx): {e}"
            );
            eprintln!("skipped: {program} missing ({e})");
            None
        }
    }
}

/// The PDF's text with every run of white space made one space (lines wrap anywhere).
fn pdf_text(pdf: &Path) -> Option<String> {
    let raw = tool("pdftotext", &[pdf.to_str().unwrap(), "-"])?;
    Some(raw.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn pages(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]).unwrap_or_default();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .unwrap_or(0)
}

/// Every font of the PDF is embedded (pdffonts' `emb` column).
fn assert_fonts_embedded(pdf: &Path) {
    let Some(list) = tool("pdffonts", &[pdf.to_str().unwrap()]) else {
        return;
    };
    let fonts: Vec<&str> = list.lines().skip(2).collect();
    assert!(!fonts.is_empty(), "no fonts in {}", pdf.display());
    for f in fonts {
        let cols: Vec<&str> = f.split_whitespace().collect();
        // name type [type2] encoding emb sub uni object ID: emb is the 5th field from the end.
        assert_eq!(cols[cols.len() - 5], "yes", "not embedded: {f}");
    }
}

/// The first page as PNG under target/tmp/brief-pages/NAME-1.png.
fn first_page_png(pdf: &Path, name: &str) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("brief-pages");
    std::fs::create_dir_all(&dir).unwrap();
    let prefix = dir.join(name);
    if tool(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    )
    .is_some()
    {
        assert!(dir.join(format!("{name}.png")).exists());
    }
}

fn is_rtl(c: char) -> bool {
    ('\u{0590}'..='\u{08FF}').contains(&c)
}

/// `text` holds `s`: exactly when `s` is left-to-right; for right-to-left text (which
/// pdftotext gives in visual order, and Arabic with ligatures decomposed) every word of three
/// or more letters without a lam-alef ligature.
fn holds(text: &str, s: &str) -> bool {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if !s.chars().any(is_rtl) {
        return text.contains(&s);
    }
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && !w.contains("لا") && !w.contains("لأ"))
        .all(|w| text.contains(w))
}

fn demo() -> Vertoog {
    let v = Vertoog::new();
    v.run(&["map", "create", "demo", "--name", DEMO_NAME]).ok();
    v.run(&["import", "--map", "demo", demo_dir().to_str().unwrap()])
        .ok();
    v
}

fn hostile(v: &Vertoog) {
    v.run(&["map", "create", "hostile", "--name", HOSTILE_NAME])
        .ok();
    v.run(&[
        "import",
        "--map",
        "hostile",
        test_data("brief-hostile").to_str().unwrap(),
    ])
    .ok();
}

fn brief(v: &Vertoog, map: &str, extra: &[&str], file: &str) -> PathBuf {
    let out = v.path(file);
    let mut args = vec!["brief", "--map", map, "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    v.run(&args).ok();
    assert!(out.exists());
    out
}

#[test]
fn coalition_brief_pdf_holds_strength_plan_and_every_storyline_in_both_languages() {
    let v = demo();
    let a = v.run(&["analyse", "--map", "demo", "--json"]).ok().json();
    let bundle = v
        .run(&["export", "--map", "demo", "--format", "json"])
        .ok()
        .json();
    let name_of = |id: &str, kind: &str, field: &str| -> String {
        bundle[kind]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .map(|x| x[field].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{id} not in {kind}"))
    };
    let strength = a["transition"]["metrics"]["strength"]
        .as_f64()
        .unwrap()
        .round() as i64;
    let first = a["best_plan"]["steps"][0]["action"].as_str().unwrap();
    let action = a["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["action"] == first || x["id"] == first)
        .unwrap();
    let target = name_of(action["targets"][0].as_str().unwrap(), "actors", "name");
    for (lang, strength_words) in [
        ("en", format!("{strength} out of 100")),
        ("nl", format!("{strength} van de 100")),
    ] {
        let pdf = brief(&v, "demo", &["--lang", lang], &format!("demo-{lang}.pdf"));
        first_page_png(&pdf, &format!("coalition-{lang}"));
        let n = pages(&pdf);
        assert!((1..=3).contains(&n) || n == 0, "{n} pages");
        assert_fonts_embedded(&pdf);
        let Some(text) = pdf_text(&pdf) else { return };
        assert!(text.contains(DEMO_NAME), "{text}");
        assert!(text.contains(&strength_words), "{strength_words}: {text}");
        assert!(
            text.contains(&target),
            "first plan step's target {target}: {text}"
        );
        let mut checked = 0;
        for c in a["coalitions"].as_array().unwrap() {
            if c["members"].as_array().unwrap().len() < 2 {
                continue;
            }
            let n = c["storyline_narrative"].as_str().unwrap();
            let label = name_of(n, "narratives", "label");
            assert!(
                text.contains(&label),
                "storyline {label} of {}: {text}",
                c["id"]
            );
            checked += 1;
        }
        assert!(checked >= 2, "{checked} coalitions");
        let (summary, engagement, caveat) = match lang {
            "en" => (
                "In short",
                "Progress of the activation plan",
                "not proof of what caused it",
            ),
            _ => (
                "In het kort",
                "Voortgang van het activeringsplan",
                "geen bewijs van wat haar veroorzaakte",
            ),
        };
        assert!(text.contains(summary), "{text}");
        let supporters = a["transition"]["supporters"].as_array().unwrap().len();
        let word = if lang == "en" {
            "supporters"
        } else {
            "voorstanders"
        };
        assert!(text.contains(&format!("{supporters} {word}")), "{text}");
        // Engagement (issue 19): the demo's plan items, the done ones with what followed.
        assert!(text.contains(engagement), "{text}");
        assert!(text.contains(caveat), "{text}");
        assert!(text.contains("Win TNO through EZK"), "{text}");
        let page_word = if lang == "en" {
            "Page 1 of"
        } else {
            "Pagina 1 van"
        };
        assert!(text.contains(page_word), "page numbers: {text}");
    }
}

#[test]
fn actor_brief_is_one_page_with_every_position_and_its_latest_quote() {
    let v = demo();
    hostile(&v);
    for (map, actor) in [
        ("demo", "min-bzk"),
        ("demo", "vng"),
        ("demo", "ap"),
        ("hostile", "quote-co"),
        ("hostile", "rtl-org"),
        ("hostile", "rocket"),
        ("hostile", "ministry"),
    ] {
        let file = format!("{map}-{actor}.pdf");
        let pdf = brief(&v, map, &["--actor", actor], &file);
        let n = pages(&pdf);
        assert!(n == 1 || n == 0, "{actor}: {n} pages");
        assert_fonts_embedded(&pdf);
        if actor == "min-bzk" || actor == "quote-co" {
            first_page_png(&pdf, &format!("actor-{map}-{actor}"));
        }
        let Some(text) = pdf_text(&pdf) else { return };
        // Every narrative with a position, and the latest stance's quote (or source).
        let bundle = v
            .run(&["export", "--map", map, "--format", "json"])
            .ok()
            .json();
        let mut latest: std::collections::BTreeMap<String, &serde_json::Value> = Default::default();
        for s in bundle["stances"].as_array().unwrap() {
            if s["actor"] != actor {
                continue;
            }
            let n = s["narrative"].as_str().unwrap().to_string();
            let newer = latest.get(&n).is_none_or(|old| {
                (s["date"].as_str(), s["id"].as_str()) >= (old["date"].as_str(), old["id"].as_str())
            });
            if newer {
                latest.insert(n, s);
            }
        }
        assert!(!latest.is_empty(), "{actor} has positions");
        for (n, s) in &latest {
            let label = bundle["narratives"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["id"] == n.as_str())
                .unwrap()["label"]
                .as_str()
                .unwrap();
            assert!(holds(&text, label), "{actor}: narrative {label}: {text}");
            let quote = s["quote"].as_str().unwrap_or_default();
            let source = s["source"].as_str().unwrap_or_default();
            if !quote.is_empty() {
                assert!(holds(&text, quote), "{actor}: quote {quote}: {text}");
            } else if !source.is_empty() {
                assert!(holds(&text, source), "{actor}: source {source}: {text}");
            }
        }
    }
    v.run(&[
        "brief",
        "--map",
        "demo",
        "--actor",
        "nobody",
        "--out",
        v.path("x.pdf").to_str().unwrap(),
    ])
    .fails_with(2);
}

fn python_docx(path: &Path) -> Option<serde_json::Value> {
    let script = r#"
import json, sys
import docx
d = docx.Document(sys.argv[1])
print(json.dumps({
    "headings": [p.text for p in d.paragraphs if p.style is not None and p.style.name.startswith("Heading")],
    "title": [p.text for p in d.paragraphs if p.style is not None and p.style.name == "Title"],
    "unstyled": sum(1 for p in d.paragraphs if p.style is None),
    "text": "\n".join(p.text for p in d.paragraphs),
    "tables": [[[c.text for c in r.cells] for r in t.rows] for t in d.tables],
    "images": len(d.inline_shapes),
}))
"#;
    let out = Command::new("python3")
        .args(["-c", script, path.to_str().unwrap()])
        .output()
        .ok()?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains("No module named 'docx'") || std::env::var_os("CI").is_none(),
            "python-docx is needed: {err}"
        );
        assert!(
            err.contains("No module named 'docx'"),
            "python-docx failed: {err}"
        );
        eprintln!("skipped: python-docx missing");
        return None;
    }
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn docx_opens_with_headings_tables_and_pictures() {
    let v = demo();
    hostile(&v);
    for lang in ["en", "nl"] {
        let file = brief(
            &v,
            "demo",
            &["--format", "docx", "--lang", lang],
            &format!("demo-{lang}.docx"),
        );
        let Some(d) = python_docx(&file) else { return };
        let headings: Vec<&str> = d["headings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_str().unwrap())
            .collect();
        let (summary, actions) = if lang == "en" {
            ("In short", "What to do")
        } else {
            ("In het kort", "Wat te doen")
        };
        assert!(headings.contains(&summary), "{headings:?}");
        assert!(headings.contains(&actions), "{headings:?}");
        assert!(!d["tables"].as_array().unwrap().is_empty(), "no table");
        // The charts and the coalitions graph are pictures.
        assert!(d["images"].as_u64().unwrap() >= 3, "{}", d["images"]);
        assert!(d["text"].as_str().unwrap().contains(DEMO_NAME));
        assert_eq!(d["unstyled"], 0, "every paragraph has a style");
    }
    // Hostile names come through as text, not markup.
    let file = brief(
        &v,
        "hostile",
        &["--format", "docx", "--actor", "quote-co"],
        "hostile.docx",
    );
    let Some(d) = python_docx(&file) else { return };
    let all = format!("{} {}", d["title"], d["text"]);
    assert!(all.contains("The \\\"Quote\\\" & <Co> Ltd"), "{all}");
    assert!(d["text"].as_str().unwrap().contains(HOSTILE_NAME), "{all}");
    let table = d["tables"][0].to_string();
    assert!(table.contains("Still <yes> & \\\"faster\\\" 🚀"), "{table}");
    assert!(table.contains("שלום & <privacy>"), "{table}");
}

#[test]
fn html_is_one_file_without_external_references_and_escapes_hostile_names() {
    let v = demo();
    hostile(&v);
    for (map, extra, lang) in [
        ("demo", vec![], "en"),
        ("demo", vec!["--lang", "nl"], "nl"),
        ("hostile", vec![], "en"),
        ("hostile", vec!["--actor", "quote-co"], "en"),
        ("hostile", vec!["--actor", "rtl-org", "--lang", "nl"], "nl"),
    ] {
        let mut args = vec!["--format", "html"];
        args.extend(extra.iter());
        let file = brief(&v, map, &args, "brief.html");
        let html = std::fs::read_to_string(&file).unwrap();
        let lower = html.to_lowercase();
        for bad in [
            "src=", "href=", "url(", "@import", "http://", "https://", "<script", "<link",
        ] {
            assert!(!lower.contains(bad), "{map}: {bad} in the HTML");
        }
        assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{map}");
        assert!(html.contains("@media print"), "print CSS");
        if !extra.contains(&"--actor") {
            assert!(html.contains("<svg"), "inline drawings");
        }
        if map == "hostile" {
            assert!(
                html.contains("Kaart &quot;&lt;Hostile&gt;&quot; &amp; שלום 🚀"),
                "{html}"
            );
            assert!(
                !html.contains("<Hostile>") && !html.contains("<Co>"),
                "unescaped name"
            );
        }
    }
}

#[test]
fn hostile_map_in_every_format_and_both_briefs() {
    let v = Vertoog::new();
    hostile(&v);
    for actor in [None, Some("quote-co")] {
        for format in ["pdf", "docx", "html"] {
            for lang in ["en", "nl"] {
                let mut extra = vec!["--format", format, "--lang", lang];
                if let Some(a) = actor {
                    extra.extend(["--actor", a]);
                }
                let file = brief(&v, "hostile", &extra, &format!("h.{format}"));
                let bytes = std::fs::read(&file).unwrap();
                assert!(bytes.len() > 1000, "{format}: {} bytes", bytes.len());
                if format == "pdf" {
                    assert!(bytes.starts_with(b"%PDF-"));
                    if actor.is_none() && lang == "en" {
                        first_page_png(&file, "coalition-hostile");
                    }
                    let Some(text) = pdf_text(&file) else {
                        continue;
                    };
                    assert!(text.contains("Kaart \"<Hostile>\" &"), "{text}");
                    assert!(text.contains("🚀") && text.contains("שלום"), "{text}");
                    if actor.is_some() {
                        assert!(text.contains("The \"Quote\" & <Co> Ltd"), "{text}");
                    }
                }
                if format == "docx" {
                    assert!(bytes.starts_with(b"PK"), "a zip");
                }
            }
        }
    }
}
