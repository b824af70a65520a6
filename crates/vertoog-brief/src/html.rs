//! The brief as one self-contained HTML file: inline CSS (with print rules for A4), inline
//! SVG drawings, no script, no external reference of any kind.

use std::fmt::Write;

use crate::doc::Block;
use crate::model::{Brief, Table};
use crate::svg::esc;

const CSS: &str = r#"
@page { size: A4; margin: 20mm; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #1d2430; max-width: 48em; margin: 2em auto; padding: 0 1em; font-size: 11pt; line-height: 1.45; }
h1 { font-size: 20pt; margin: 0 0 .2em; color: #0b3d6b; }
.sub { color: #4a5565; margin: 0; }
h2 { font-size: 13pt; color: #0b3d6b; border-bottom: 1px solid #d0d5dd; padding-bottom: .15em; margin: 1.2em 0 .4em; }
h3 { font-size: 11pt; margin: .8em 0 .2em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; font-size: 9.5pt; }
caption { text-align: left; font-weight: bold; padding-bottom: .3em; }
th, td { border: 1px solid #d0d5dd; padding: .25em .4em; text-align: left; vertical-align: top; }
th { background: #eef1f5; }
.figs { display: flex; gap: 1em; flex-wrap: wrap; margin: .5em 0; }
figure { margin: 0; }
figcaption { font-size: 8.5pt; color: #4a5565; }
svg { max-width: 100%; height: auto; }
.note { font-size: 8.5pt; color: #4a5565; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2, h3 { break-after: avoid; }
  figure, table, tr { break-inside: avoid; }
}
"#;

fn table(out: &mut String, t: &Table) {
    if t.caption.is_empty() {
        out.push_str("<table><thead><tr>");
    } else {
        let _ = write!(
            out,
            "<table><caption>{}</caption><thead><tr>",
            esc(&t.caption)
        );
    }
    for h in &t.head {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for r in &t.rows {
        out.push_str("<tr>");
        for c in r {
            let _ = write!(out, "<td dir=\"auto\">{}</td>", esc(c));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
}

/// The HTML document of `brief`.
pub fn render(brief: &Brief) -> String {
    let h = brief.header();
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} – {}</title><style>{CSS}</style></head><body>\n",
        h.lang.code(),
        esc(&h.title),
        esc(&h.map_name)
    );
    for b in brief.blocks() {
        match b {
            Block::Title(s) => {
                let _ = writeln!(out, "<h1 dir=\"auto\">{}</h1>", esc(&s));
            }
            Block::Subtitle(s) => {
                let _ = writeln!(out, "<p class=\"sub\" dir=\"auto\">{}</p>", esc(&s));
            }
            Block::Heading(s) => {
                let _ = writeln!(out, "<h2>{}</h2>", esc(&s));
            }
            Block::Subheading(s) => {
                let _ = writeln!(out, "<h3 dir=\"auto\">{}</h3>", esc(&s));
            }
            Block::Para(s) => {
                let _ = writeln!(out, "<p dir=\"auto\">{}</p>", esc(&s));
            }
            Block::Note(s) => {
                let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(&s));
            }
            Block::Bullets(items) => {
                out.push_str("<ul>");
                for i in items {
                    let _ = write!(out, "<li dir=\"auto\">{}</li>", esc(&i));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(t) => table(&mut out, &t),
            Block::Figures(figs) => {
                out.push_str("<div class=\"figs\">");
                for f in figs {
                    let _ = write!(
                        out,
                        "<figure role=\"img\" aria-label=\"{}\">{}<figcaption>{}</figcaption></figure>",
                        esc(&f.caption),
                        // The SVG's xmlns names a namespace, not a resource: nothing is fetched.
                        f.svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1),
                        esc(&f.caption)
                    );
                }
                out.push_str("</div>\n");
            }
        }
    }
    out.push_str("</body></html>\n");
    out
}
