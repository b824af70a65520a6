//! Briefs (briefs.md): the coalition brief (one to three A4 pages) and the actor brief (one
//! page), in Dutch or English, as PDF, DOCX or self-contained HTML.
//!
//! Two steps: [`build`] makes a pure [`Brief`] value from the analysis (sentences in the
//! chosen language, rounded numbers, charts as data); [`render`] lays it out in a format.
//! Both are pure: no file, clock or network (the caller passes the date), so the same map
//! gives the same brief. The fonts (DejaVu Sans, Noto Emoji) are compiled in.
//!
//! Layout is shared: [`Brief::blocks`](model::Brief) gives the blocks in reading order
//! (`doc.rs`), and each renderer draws those blocks; the drawings are SVG (`svg.rs`), used
//! inline in the HTML, as vector graphics in the PDF and as PNG in the DOCX.

pub mod doc;
pub mod docx;
pub mod fonts;
pub mod html;
pub mod model;
pub mod pdf;
pub mod svg;
pub mod text;

pub use model::{build, ActorBrief, Brief, BriefError, CoalitionBrief, Engagement, Options};

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Docx,
    Html,
}

impl Format {
    /// `pdf`, `docx` or `html`.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            "html" => Some(Format::Html),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Html => "html",
        }
    }

    /// The media type of a download.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Html => "text/html; charset=utf-8",
        }
    }
}

/// Why a brief could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Pdf(#[from] pdf::PdfError),
    #[error(transparent)]
    Docx(#[from] docx::DocxError),
}

/// The bytes of `brief` in `format`.
pub fn render(brief: &Brief, format: Format) -> Result<Vec<u8>, RenderError> {
    Ok(match format {
        Format::Pdf => pdf::render(brief)?,
        Format::Docx => docx::render(brief)?,
        Format::Html => html::render(brief).into_bytes(),
    })
}

/// The download's file name: `brief-MAP[-ACTOR]-LANG.EXT`, reduced to safe characters.
pub fn file_name(
    map: &str,
    actor: Option<&str>,
    lang: vertoog_analysis::Lang,
    format: Format,
) -> String {
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let mut name = format!("brief-{}", safe(map));
    if let Some(a) = actor {
        name.push('-');
        name.push_str(&safe(a));
    }
    format!("{name}-{}.{}", lang.code(), format.extension())
}
