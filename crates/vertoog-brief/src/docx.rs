//! The brief as a Word document with docx-rs: real heading styles (Heading 1/2/3, so Word's
//! navigation pane and table of contents see them), real tables, the drawings as embedded
//! PNG pictures (rendered from the same SVG by resvg at 3x), page numbers in the footer.

use docx_rs::{
    AlignmentType, Docx, FieldCharType, Footer, InstrNUMPAGES, InstrPAGE, InstrText, PageMargin,
    Paragraph, Pic, Run, RunFonts, Shading, Style, StyleType, Table, TableCell, TableRow,
    WidthType,
};

use crate::doc::{Block, Figure, COLUMN};
use crate::model::{Brief, Table as BriefTable};

/// Why the DOCX could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("a drawing could not be rendered: {0}")]
    Svg(String),
    #[error("the DOCX could not be written: {0}")]
    Write(String),
}

const EMU_PER_PT: f32 = 12700.0;
const TWIP_PER_PT: f32 = 20.0;
/// Pixels per point of the rasterised drawings.
const SCALE: f32 = 3.0;

/// The PNG of an SVG drawing at [`SCALE`] pixels per point, on white.
pub fn png(svg: &str) -> Result<Vec<u8>, String> {
    let opts = crate::fonts::usvg_options();
    let tree = resvg::usvg::Tree::from_str(svg, &opts).map_err(|e| e.to_string())?;
    let size = tree.size();
    let (w, h) = (
        (size.width() * SCALE).ceil() as u32,
        (size.height() * SCALE).ceil() as u32,
    );
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w.max(1), h.max(1)).ok_or("empty drawing")?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| e.to_string())
}

fn run(text: &str) -> Run {
    Run::new().add_text(text)
}

/// A paragraph in the Normal style (named explicitly: docx-rs marks no style as default).
fn para(text: &str) -> Paragraph {
    Paragraph::new().style("Normal").add_run(run(text))
}

fn table(t: &BriefTable) -> Table {
    let total: f32 = t.widths.iter().sum::<f32>().max(1e-3);
    let widths: Vec<usize> = t
        .widths
        .iter()
        .map(|w| (w / total * COLUMN * TWIP_PER_PT) as usize)
        .collect();
    let cell = |text: &str, w: usize, head: bool| {
        let r = if head { run(text).bold() } else { run(text) };
        let c = TableCell::new()
            .width(w, WidthType::Dxa)
            .add_paragraph(Paragraph::new().style("Normal").add_run(r.size(17)));
        if head {
            c.shading(Shading::new().fill("EEF1F5"))
        } else {
            c
        }
    };
    let mut rows = vec![TableRow::new(
        t.head
            .iter()
            .zip(&widths)
            .map(|(h, w)| cell(h, *w, true))
            .collect(),
    )];
    for r in &t.rows {
        rows.push(TableRow::new(
            r.iter()
                .zip(&widths)
                .map(|(c, w)| cell(c, *w, false))
                .collect(),
        ));
    }
    Table::new(rows).set_grid(widths)
}

fn figure(f: &Figure) -> Result<Paragraph, DocxError> {
    let png = png(&f.svg).map_err(DocxError::Svg)?;
    let pic = Pic::new(&png).size(
        (f.width * EMU_PER_PT) as u32,
        (f.height * EMU_PER_PT) as u32,
    );
    Ok(Paragraph::new()
        .style("Normal")
        .add_run(Run::new().add_image(pic)))
}

fn page_footer(label: &str) -> Footer {
    // "Page {PAGE} of {NUMPAGES}" as Word fields, whatever the language's words around them.
    let (before, rest) = label.split_once("{n}").unwrap_or((label, ""));
    let (middle, after) = rest.split_once("{of}").unwrap_or((rest, ""));
    let field = |instr: InstrText| {
        vec![
            Run::new().add_field_char(FieldCharType::Begin, false),
            Run::new().add_instr_text(instr),
            Run::new().add_field_char(FieldCharType::Separate, false),
            Run::new().add_text("1"),
            Run::new().add_field_char(FieldCharType::End, false),
        ]
    };
    let mut p = Paragraph::new()
        .style("Normal")
        .align(AlignmentType::Right)
        .add_run(run(before).size(15));
    for r in field(InstrText::PAGE(InstrPAGE::new())) {
        p = p.add_run(r.size(15));
    }
    p = p.add_run(run(middle).size(15));
    for r in field(InstrText::NUMPAGES(InstrNUMPAGES::new())) {
        p = p.add_run(r.size(15));
    }
    p = p.add_run(run(after).size(15));
    Footer::new().add_paragraph(p)
}

/// The DOCX of `brief`.
pub fn render(brief: &Brief) -> Result<Vec<u8>, DocxError> {
    let lang = brief.header().lang;
    let fonts = RunFonts::new()
        .ascii(crate::fonts::FAMILY)
        .hi_ansi(crate::fonts::FAMILY)
        .cs(crate::fonts::FAMILY)
        .east_asia(crate::fonts::FAMILY);
    let margin = (56.7 * TWIP_PER_PT) as i32;
    let mut d = Docx::new()
        .page_size(11906, 16838)
        .page_margin(PageMargin {
            top: margin,
            left: margin,
            bottom: margin,
            right: margin,
            header: 400,
            footer: 400,
            gutter: 0,
        })
        .default_fonts(fonts)
        .default_size(19)
        .add_style(Style::new("Normal", StyleType::Paragraph).name("Normal"))
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .size(36)
                .bold()
                .color("0B3D6B"),
        )
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("Heading 1")
                .size(26)
                .bold()
                .color("0B3D6B")
                .outline_lvl(0),
        )
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("Heading 2")
                .size(20)
                .bold()
                .outline_lvl(1),
        )
        .add_style(
            Style::new("Subtitle", StyleType::Paragraph)
                .name("Subtitle")
                .size(19)
                .color("4A5565"),
        )
        .add_style(
            Style::new("Caption", StyleType::Paragraph)
                .name("Caption")
                .size(15)
                .color("4A5565"),
        )
        .footer(page_footer(crate::text::tr(lang, "page")));
    for b in brief.blocks() {
        d = match b {
            Block::Title(s) => d.add_paragraph(para(&s).style("Title")),
            Block::Subtitle(s) => d.add_paragraph(para(&s).style("Subtitle")),
            Block::Heading(s) => d.add_paragraph(para(&s).style("Heading1").keep_next(true)),
            Block::Subheading(s) => d.add_paragraph(para(&s).style("Heading2").keep_next(true)),
            Block::Para(s) => d.add_paragraph(para(&s)),
            Block::Note(s) => d.add_paragraph(para(&s).style("Caption")),
            Block::Bullets(items) => {
                let mut d = d;
                for i in items {
                    d = d.add_paragraph(para(&format!("•\t{i}")).indent(
                        Some(360),
                        Some(docx_rs::SpecialIndentType::Hanging(360)),
                        None,
                        None,
                    ));
                }
                d
            }
            Block::Table(t) if t.caption.is_empty() => d.add_table(table(&t)),
            Block::Table(t) => d
                .add_paragraph(para(&t.caption).style("Heading2").keep_next(true))
                .add_table(table(&t)),
            Block::Figures(figs) => {
                let mut d = d;
                for f in &figs {
                    d = d
                        .add_paragraph(figure(f)?.keep_next(true))
                        .add_paragraph(para(&f.caption).style("Caption"));
                }
                d
            }
        };
    }
    let mut out = std::io::Cursor::new(Vec::new());
    d.build()
        .pack(&mut out)
        .map_err(|e| DocxError::Write(e.to_string()))?;
    Ok(out.into_inner())
}
