//! The brief as an A4 PDF with krilla: real text (shaped, subset and embedded fonts with a
//! ToUnicode map, so it can be searched and copied), the drawings as vector graphics
//! (krilla-svg), page numbers in the footer.
//!
//! Layout is done here, simply: blocks flow down the page; paragraphs break at spaces
//! (measured with the fonts' advances); a heading is never the last thing on a page; a
//! figure or a table row that does not fit starts a new page. Each line is split into runs of
//! one direction (the Unicode bidirectional algorithm) and of one font (DejaVu Sans, or Noto
//! Emoji where DejaVu has no glyph), each drawn in its visual order.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use krilla::Document;
use krilla_svg::{SurfaceExt, SvgSettings};
use unicode_bidi::BidiInfo;

use crate::doc::{Block, Figure, COLUMN};
use crate::model::{Brief, Table};
use crate::text::{int, t};

pub const PAGE_W: f32 = 595.0;
pub const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.7;
const BOTTOM: f32 = PAGE_H - MARGIN;

#[derive(Clone, Copy, PartialEq)]
enum Face {
    Regular,
    Bold,
}

#[derive(Clone, Copy)]
struct Style {
    size: f32,
    face: Face,
    colour: (u8, u8, u8),
    leading: f32,
}

const BODY: Style = Style {
    size: 9.5,
    face: Face::Regular,
    colour: (29, 36, 48),
    leading: 1.38,
};
const NOTE: Style = Style {
    size: 7.8,
    face: Face::Regular,
    colour: (74, 85, 101),
    leading: 1.35,
};
const TITLE: Style = Style {
    size: 16.0,
    face: Face::Bold,
    colour: (11, 61, 107),
    leading: 1.2,
};
const SUBTITLE: Style = Style {
    size: 9.5,
    face: Face::Regular,
    colour: (74, 85, 101),
    leading: 1.35,
};
const HEADING: Style = Style {
    size: 11.5,
    face: Face::Bold,
    colour: (11, 61, 107),
    leading: 1.3,
};
const SUBHEADING: Style = Style {
    size: 9.5,
    face: Face::Bold,
    colour: (29, 36, 48),
    leading: 1.35,
};
const CELL: Style = Style {
    size: 8.0,
    face: Face::Regular,
    colour: (29, 36, 48),
    leading: 1.3,
};
const CELL_HEAD: Style = Style {
    size: 8.0,
    face: Face::Bold,
    colour: (29, 36, 48),
    leading: 1.3,
};

/// Glyph advances for measuring (ttf-parser), with the emoji fallback.
struct Metrics {
    regular: ttf_parser::Face<'static>,
    bold: ttf_parser::Face<'static>,
    emoji: ttf_parser::Face<'static>,
}

impl Metrics {
    fn new() -> Option<Self> {
        Some(Metrics {
            regular: ttf_parser::Face::parse(crate::fonts::regular(), 0).ok()?,
            bold: ttf_parser::Face::parse(crate::fonts::bold(), 0).ok()?,
            emoji: ttf_parser::Face::parse(crate::fonts::emoji(), 0).ok()?,
        })
    }

    fn main(&self, face: Face) -> &ttf_parser::Face<'static> {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }

    /// Whether `c` is drawn with the emoji font (the main font lacks it, the emoji font has it).
    fn is_emoji(&self, face: Face, c: char) -> bool {
        self.main(face).glyph_index(c).is_none() && self.emoji.glyph_index(c).is_some()
    }

    fn width(&self, s: &str, face: Face, size: f32) -> f32 {
        let mut w = 0.0;
        for c in s.chars() {
            let f = if self.is_emoji(face, c) {
                &self.emoji
            } else {
                self.main(face)
            };
            let g = f.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
            let adv = f.glyph_hor_advance(g).unwrap_or(0) as f32;
            w += adv / f.units_per_em() as f32 * size;
        }
        w
    }
}

/// One thing to draw on a page.
enum Op {
    Text {
        x: f32,
        y: f32,
        style: Style,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        colour: (u8, u8, u8),
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        colour: (u8, u8, u8),
        width: f32,
    },
    Svg {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        svg: String,
    },
}

struct Layout<'m> {
    m: &'m Metrics,
    pages: Vec<Vec<Op>>,
    y: f32,
    /// Text scale: below 1 when the brief is fitted into its page limit.
    k: f32,
}

impl<'m> Layout<'m> {
    fn new(m: &'m Metrics, k: f32) -> Self {
        Layout {
            m,
            pages: vec![Vec::new()],
            y: MARGIN,
            k,
        }
    }

    fn sc(&self, s: Style) -> Style {
        Style {
            size: s.size * self.k,
            ..s
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    fn ensure(&mut self, h: f32) {
        if self.y + h > BOTTOM && self.y > MARGIN + 1.0 {
            self.new_page();
        }
    }

    /// Breaks `text` into lines of at most `width` points.
    fn wrap(&self, text: &str, style: Style, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            for word in para.split(' ').filter(|w| !w.is_empty()) {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.m.width(&candidate, style.face, style.size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the line is cut by characters.
                let mut part = String::new();
                for c in word.chars() {
                    part.push(c);
                    if self.m.width(&part, style.face, style.size) > width
                        && part.chars().count() > 1
                    {
                        part.pop();
                        lines.push(std::mem::take(&mut part));
                        part.push(c);
                    }
                }
                line = part;
            }
            lines.push(line);
        }
        lines
    }

    fn text(&mut self, text: &str, style: Style, x: f32, width: f32, space_after: f32) {
        let style = self.sc(style);
        let lh = style.size * style.leading;
        for line in self.wrap(text, style, width) {
            self.ensure(lh);
            let y = self.y + style.size;
            self.ops().push(Op::Text {
                x,
                y,
                style,
                text: line,
            });
            self.y += lh;
        }
        self.y += space_after;
    }

    fn heading(&mut self, s: &str, style: Style, before: f32, next: f32) {
        // Keep the heading with what follows (at least three lines, or the next figure).
        self.y += before * self.k;
        self.ensure(
            style.size * style.leading * self.k + next.max(3.0 * BODY.size * BODY.leading * self.k),
        );
        self.text(s, style, MARGIN, COLUMN, 2.0);
    }

    fn table(&mut self, t: &Table) {
        let total: f32 = t.widths.iter().sum::<f32>().max(1e-3);
        let widths: Vec<f32> = t.widths.iter().map(|w| w / total * COLUMN).collect();
        if !t.caption.is_empty() {
            self.heading(
                &t.caption,
                SUBHEADING,
                2.0,
                3.0 * CELL.size * CELL.leading + 12.0,
            );
        }
        let pad = 3.0;
        let draw_row = |lay: &mut Layout<'_>, cells: &[String], style: Style, shade: bool| {
            let wrapped: Vec<Vec<String>> = cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| lay.wrap(c, style, w - 2.0 * pad))
                .collect();
            let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let lh = style.size * style.leading;
            let h = lines as f32 * lh + 2.0 * pad;
            lay.ensure(h);
            let top = lay.y;
            if shade {
                lay.ops().push(Op::Rect {
                    x: MARGIN,
                    y: top,
                    w: COLUMN,
                    h,
                    colour: (238, 241, 245),
                });
            }
            let mut x = MARGIN;
            for (cell, w) in wrapped.iter().zip(&widths) {
                for (i, line) in cell.iter().enumerate() {
                    lay.ops().push(Op::Text {
                        x: x + pad,
                        y: top + pad + style.size + i as f32 * lh,
                        style,
                        text: line.clone(),
                    });
                }
                x += w;
            }
            lay.ops().push(Op::Line {
                x1: MARGIN,
                y1: top + h,
                x2: MARGIN + COLUMN,
                y2: top + h,
                colour: (208, 213, 221),
                width: 0.5,
            });
            lay.y += h;
        };
        let (head, cell) = (self.sc(CELL_HEAD), self.sc(CELL));
        draw_row(self, &t.head, head, true);
        for r in &t.rows {
            draw_row(self, r, cell, false);
        }
        self.y += 6.0;
    }

    fn figures(&mut self, figs: &[Figure]) {
        let note = self.sc(NOTE);
        let h = figs.iter().map(|f| f.height).fold(0.0, f32::max);
        let caption_h: f32 = figs
            .iter()
            .map(|f| self.wrap(&f.caption, note, f.width).len() as f32 * note.size * note.leading)
            .fold(0.0, f32::max);
        self.ensure(h + caption_h + 4.0);
        let top = self.y + 2.0;
        let gap = if figs.len() > 1 {
            (COLUMN - figs.iter().map(|f| f.width).sum::<f32>()) / (figs.len() - 1) as f32
        } else {
            0.0
        };
        let mut x = MARGIN;
        for f in figs {
            self.ops().push(Op::Svg {
                x,
                y: top,
                w: f.width,
                h: f.height,
                svg: f.svg.clone(),
            });
            let lines = self.wrap(&f.caption, note, f.width);
            for (i, line) in lines.iter().enumerate() {
                let y = top + f.height + 2.0 + note.size + i as f32 * note.size * note.leading;
                self.ops().push(Op::Text {
                    x,
                    y,
                    style: note,
                    text: line.clone(),
                });
            }
            x += f.width + gap;
        }
        self.y = top + h + caption_h + 8.0;
    }
}

/// Why the PDF could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("an embedded font could not be read")]
    Font,
    #[error("a drawing could not be read: {0}")]
    Svg(String),
    #[error("the PDF could not be written: {0:?}")]
    Write(String),
}

struct Fonts {
    regular: Font,
    bold: Font,
    emoji: Font,
}

/// Draws `text` at (x, baseline y): runs of one direction in visual order, each split into
/// runs of one font.
fn draw_line(
    surface: &mut krilla::surface::Surface<'_>,
    m: &Metrics,
    fonts: &Fonts,
    x: f32,
    y: f32,
    style: Style,
    text: &str,
) {
    let (r, g, b) = style.colour;
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
    let main = match style.face {
        Face::Regular => &fonts.regular,
        Face::Bold => &fonts.bold,
    };
    let bidi = BidiInfo::new(text, None);
    let mut cx = x;
    for para in &bidi.paragraphs {
        let line = para.range.clone();
        let (levels, runs) = bidi.visual_runs(para, line);
        for run in runs {
            let rtl = levels[run.start].is_rtl();
            let piece = &text[run.clone()];
            // Split the run by font, keeping the logical order inside each piece.
            let mut segs: Vec<(bool, String)> = Vec::new();
            for c in piece.chars() {
                let e = m.is_emoji(style.face, c);
                match segs.last_mut() {
                    Some((le, s)) if *le == e => s.push(c),
                    _ => segs.push((e, c.to_string())),
                }
            }
            if rtl {
                segs.reverse();
            }
            let dir = if rtl {
                TextDirection::RightToLeft
            } else {
                TextDirection::LeftToRight
            };
            for (e, s) in segs {
                let (font, face) = if e {
                    (&fonts.emoji, None)
                } else {
                    (main, Some(style.face))
                };
                surface.draw_text(
                    Point::from_xy(cx, y),
                    font.clone(),
                    style.size,
                    &s,
                    false,
                    dir,
                );
                cx += match face {
                    Some(f) => m.width(&s, f, style.size),
                    None => m.width(&s, style.face, style.size),
                };
            }
        }
    }
}

/// Pages a brief may have (briefs.md): the actor brief one, the coalition brief three.
pub fn page_limit(brief: &Brief) -> usize {
    match brief {
        Brief::Actor(_) => 1,
        Brief::Coalition(_) => 3,
    }
}

/// Lays the brief out at text scale 1, and smaller (down to 0.8) while it has more pages
/// than its limit; a brief that does not fit even then keeps the smallest scale's pages.
fn fit<'m>(brief: &Brief, m: &'m Metrics) -> Layout<'m> {
    let blocks = brief.blocks();
    let mut k = 1.0;
    loop {
        let lay = lay_out(&blocks, m, k);
        if lay.pages.len() <= page_limit(brief) || k <= 0.81 {
            return lay;
        }
        k -= 0.05;
    }
}

fn lay_out<'m>(blocks: &[Block], m: &'m Metrics, k: f32) -> Layout<'m> {
    let mut lay = Layout::new(m, k);
    for (i, b) in blocks.iter().cloned().enumerate() {
        // What a heading must keep with it: the next figure whole, else a few lines.
        let next = match blocks.get(i + 1) {
            Some(Block::Figures(f)) => f.iter().map(|f| f.height).fold(0.0, f32::max) + 20.0,
            _ => 0.0,
        };
        match b {
            Block::Title(s) => lay.text(&s, TITLE, MARGIN, COLUMN, 4.0),
            Block::Subtitle(s) => lay.text(&s, SUBTITLE, MARGIN, COLUMN, 1.0),
            Block::Heading(s) => lay.heading(&s, HEADING, 5.0, next),
            Block::Subheading(s) => lay.heading(&s, SUBHEADING, 3.0, next),
            Block::Para(s) => lay.text(&s, BODY, MARGIN, COLUMN, 4.0),
            Block::Note(s) => lay.text(&s, NOTE, MARGIN, COLUMN, 3.0),
            Block::Bullets(items) => {
                for i in items {
                    let body = lay.sc(BODY);
                    lay.ensure(body.size * body.leading);
                    let y = lay.y + body.size;
                    lay.ops().push(Op::Text {
                        x: MARGIN + 2.0,
                        y,
                        style: body,
                        text: "•".into(),
                    });
                    lay.text(&i, BODY, MARGIN + 12.0, COLUMN - 12.0, 1.5);
                }
                lay.y += 3.0;
            }
            Block::Table(t) => lay.table(&t),
            Block::Figures(figs) => lay.figures(&figs),
        }
    }
    lay
}

/// The PDF of `brief`.
pub fn render(brief: &Brief) -> Result<Vec<u8>, PdfError> {
    let m = Metrics::new().ok_or(PdfError::Font)?;
    let lay = fit(brief, &m);

    let fonts = Fonts {
        regular: Font::new(crate::fonts::regular().into(), 0).ok_or(PdfError::Font)?,
        bold: Font::new(crate::fonts::bold().into(), 0).ok_or(PdfError::Font)?,
        emoji: Font::new(crate::fonts::emoji().into(), 0).ok_or(PdfError::Font)?,
    };
    let opts = crate::fonts::usvg_options();
    let header = brief.header();
    let lang = header.lang;
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(format!("{} – {}", header.title, header.map_name))
            .language(lang.code().to_string())
            .creator("Vertoog".to_string()),
    );
    let n = lay.pages.len();
    for (i, ops) in lay.pages.iter().enumerate() {
        let settings =
            PageSettings::from_wh(PAGE_W, PAGE_H).ok_or(PdfError::Write("page size".into()))?;
        let mut page = doc.start_page_with(settings);
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text { x, y, style, text } => {
                    draw_line(&mut surface, &m, &fonts, *x, *y, *style, text)
                }
                Op::Rect {
                    x,
                    y,
                    w,
                    h,
                    colour: (r, g, b),
                } => {
                    let mut pb = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                        pb.push_rect(rect);
                    }
                    if let Some(path) = pb.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(Fill {
                            paint: rgb::Color::new(*r, *g, *b).into(),
                            opacity: NormalizedF32::ONE,
                            rule: Default::default(),
                        }));
                        surface.draw_path(&path);
                    }
                }
                Op::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    colour: (r, g, b),
                    width,
                } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(*x1, *y1);
                    pb.line_to(*x2, *y2);
                    if let Some(path) = pb.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: rgb::Color::new(*r, *g, *b).into(),
                            width: *width,
                            ..Default::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
                Op::Svg { x, y, w, h, svg } => {
                    let tree = resvg::usvg::Tree::from_str(svg, &opts)
                        .map_err(|e| PdfError::Svg(e.to_string()))?;
                    let size = Size::from_wh(*w, *h).ok_or(PdfError::Svg("size".into()))?;
                    surface.push_transform(&Transform::from_translate(*x, *y));
                    surface.draw_svg(&tree, size, SvgSettings::default());
                    surface.pop();
                }
            }
        }
        // Footer: map name left, page number right.
        let footer = t(
            lang,
            "page",
            &[
                ("n", int(lang, (i + 1) as i64)),
                ("of", int(lang, n as i64)),
            ],
        );
        let fy = PAGE_H - MARGIN * 0.5;
        let name = format!("Vertoog · {}", header.map_name);
        draw_line(&mut surface, &m, &fonts, MARGIN, fy, NOTE, &name);
        let w = m.width(&footer, NOTE.face, NOTE.size);
        draw_line(
            &mut surface,
            &m,
            &fonts,
            PAGE_W - MARGIN - w,
            fy,
            NOTE,
            &footer,
        );
        surface.finish();
        page.finish();
    }
    doc.finish().map_err(|e| PdfError::Write(format!("{e:?}")))
}
