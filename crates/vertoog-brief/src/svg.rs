//! The brief's drawings as SVG: the bar chart of the strength components, line charts, and
//! the coalitions graph. One drawing serves all formats: inline in the HTML, as vector
//! graphics in the PDF (krilla-svg), rasterised to PNG for the DOCX (resvg).

use std::fmt::Write;

use crate::model::{Chart, Picture};

/// Coalition colours (colour-blind safe, Okabe & Ito, then two more).
pub const PALETTE: [&str; 10] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    "#8C564B", "#7F7F7F",
];

const FONT: &str = "DejaVu Sans, Noto Emoji, sans-serif";

/// Escapes text for XML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn open(w: f32, h: f32) -> String {
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT}">"#
    )
}

/// Shortens a label to `max` characters (with an ellipsis).
fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A chart of `c` in `w` x `h` points: horizontal bars, or a line with its points.
pub fn chart(c: &Chart, w: f32, h: f32) -> String {
    let mut s = open(w, h);
    let span = (c.max - c.min).max(1e-9);
    if !c.line {
        let label_w = w * 0.42;
        let bar_w = w - label_w - 34.0;
        let n = c.points.len().max(1) as f32;
        let row = (h - 14.0) / n;
        for (i, p) in c.points.iter().enumerate() {
            let y = 4.0 + row * i as f32;
            let _ = write!(
                s,
                r##"<text x="{}" y="{}" font-size="8.5" text-anchor="end" fill="#222">{}</text>"##,
                label_w - 6.0,
                y + row * 0.5 + 3.0,
                esc(&short(&p.label, 28))
            );
            let _ = write!(
                s,
                r##"<rect x="{label_w}" y="{}" width="{bar_w}" height="{}" fill="#EEF1F5"/>"##,
                y + row * 0.2,
                row * 0.6
            );
            if let Some(v) = p.value {
                let len = (((v - c.min) / span).clamp(0.0, 1.0) as f32) * bar_w;
                let _ = write!(
                    s,
                    r##"<rect x="{label_w}" y="{}" width="{len}" height="{}" fill="#0072B2"/>"##,
                    y + row * 0.2,
                    row * 0.6
                );
            }
            let value = p.value.map_or("–".to_string(), |v| format!("{v:.2}"));
            let _ = write!(
                s,
                r##"<text x="{}" y="{}" font-size="8" fill="#222">{}</text>"##,
                label_w + bar_w + 3.0,
                y + row * 0.5 + 3.0,
                value
            );
        }
    } else {
        let (left, right, top, bottom) = (26.0_f32, 8.0_f32, 8.0_f32, 20.0_f32);
        let pw = w - left - right;
        let ph = h - top - bottom;
        let n = c.points.len();
        let x_of = |i: usize| {
            left + if n > 1 {
                pw * i as f32 / (n - 1) as f32
            } else {
                pw / 2.0
            }
        };
        let y_of = |v: f64| top + ph * (1.0 - ((v - c.min) / span).clamp(0.0, 1.0) as f32);
        // Grid: min, middle, max.
        for v in [c.min, (c.min + c.max) / 2.0, c.max] {
            let y = y_of(v);
            let _ = write!(
                s,
                r##"<line x1="{left}" y1="{y}" x2="{}" y2="{y}" stroke="#D0D5DD" stroke-width="0.6"/><text x="{}" y="{}" font-size="7.5" text-anchor="end" fill="#555">{}</text>"##,
                left + pw,
                left - 3.0,
                y + 2.5,
                format_tick(v)
            );
        }
        let pts: Vec<(f32, f32)> = c
            .points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.value.map(|v| (x_of(i), y_of(v))))
            .collect();
        if pts.len() >= 2 {
            let d: Vec<String> = pts.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
            let _ = write!(
                s,
                r##"<polyline points="{}" fill="none" stroke="#0072B2" stroke-width="1.6"/>"##,
                d.join(" ")
            );
        }
        for (x, y) in &pts {
            let _ = write!(
                s,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="2" fill="#0072B2"/>"##
            );
        }
        let step = n.div_ceil(8).max(1);
        for (i, p) in c.points.iter().enumerate() {
            if i % step == 0 || i + 1 == n {
                let _ = write!(
                    s,
                    r##"<text x="{}" y="{}" font-size="7.5" text-anchor="middle" fill="#555">{}</text>"##,
                    x_of(i),
                    h - 6.0,
                    esc(&short(&p.label, 10))
                );
            }
        }
    }
    s.push_str("</svg>");
    s
}

fn format_tick(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The coalitions graph in `w` x `h` points with a legend along the bottom.
pub fn picture(p: &Picture, w: f32, h: f32) -> String {
    let mut s = open(w, h);
    let legend_rows = p.legend.len().div_ceil(2) as f32;
    let legend_h = 11.0 * legend_rows + 4.0;
    let (pad, gh) = (14.0_f32, h - legend_h - 8.0);
    // Room on the right for the labels of the rightmost actors.
    let gw = w - 2.0 * pad - 80.0;
    let x_of = |x: f64| pad + (x as f32 / 1000.0) * gw;
    let y_of = |y: f64| pad * 0.5 + (y as f32 / 1000.0) * (gh - pad);
    let _ = write!(
        s,
        r##"<rect x="0" y="0" width="{w}" height="{h}" fill="#FFFFFF" stroke="#D0D5DD" stroke-width="0.6"/>"##
    );
    for e in &p.edges {
        let (a, b) = (&p.nodes[e.a], &p.nodes[e.b]);
        let (colour, width) = if e.conflict {
            ("#D62728", 0.8)
        } else {
            ("#B8BEC8", 0.5)
        };
        let _ = write!(
            s,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="{width}"/>"#,
            x_of(a.x),
            y_of(a.y),
            x_of(b.x),
            y_of(b.y)
        );
    }
    let small = p.nodes.len() > 80;
    for n in &p.nodes {
        let r = if small { 1.5 } else { 2.5 } + 5.0 * n.influence.clamp(0.0, 1.0) as f32;
        let fill = n.colour.map_or("#C8CCD2", |c| PALETTE[c % PALETTE.len()]);
        let _ = write!(
            s,
            r##"<circle cx="{:.1}" cy="{:.1}" r="{r:.1}" fill="{fill}" stroke="#FFFFFF" stroke-width="0.5"/>"##,
            x_of(n.x),
            y_of(n.y)
        );
    }
    for n in &p.nodes {
        if let Some(label) = &n.label {
            let r = 2.5 + 5.0 * n.influence.clamp(0.0, 1.0) as f32;
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{:.1}" font-size="6" fill="#222" stroke="#FFFFFF" stroke-width="1.6" paint-order="stroke">{}</text>"##,
                x_of(n.x) + r + 1.0,
                y_of(n.y) + 2.0,
                esc(&short(label, 32))
            );
        }
    }
    // Legend.
    let y0 = h - legend_h + 2.0;
    for (i, name) in p.legend.iter().enumerate() {
        let col = (i % 2) as f32;
        let row = (i / 2) as f32;
        let x = pad + col * (w / 2.0);
        let y = y0 + row * 11.0;
        let _ = write!(
            s,
            r##"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="7.5" fill="#222">{}</text>"##,
            x + 3.5,
            y + 4.0,
            PALETTE[i % PALETTE.len()],
            x + 10.0,
            y + 6.5,
            esc(&short(name, 60))
        );
    }
    s.push_str("</svg>");
    s
}
