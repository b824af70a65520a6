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

#[cfg(test)]
mod tests {
    use super::*;
    use vertoog_analysis::Lang;
    use vertoog_model::{Actor, Bundle, Map, Narrative, Stance, Tie, TieKind};

    fn bundle() -> Bundle {
        let mut b = Bundle::new(Map::new("t"));
        b.map.name = "Test <map> & \"co\"".into();
        b.actors = vec![
            Actor::new("a", "Ministry A")
                .with_domain("ministry")
                .with_influence(0.9),
            Actor::new("b", "VNG")
                .with_domain("vng")
                .with_influence(0.7),
            Actor::new("c", "City C")
                .with_domain("municipality")
                .with_influence(0.5),
            Actor::new("d", "Critic D")
                .with_domain("civil-society")
                .with_influence(0.6),
        ];
        b.narratives = vec![
            Narrative::new("n1", "Digital first", true),
            Narrative::new("n2", "Privacy", false),
        ];
        let d = |s: &str| vertoog_model::parse_date(s).unwrap();
        b.stances = vec![
            Stance::new("s1", "a", "n1", 2).dated(d("2023-01-01")),
            Stance::new("s2", "b", "n1", 1).dated(d("2024-01-01")),
            Stance::new("s3", "c", "n1", 2).dated(d("2024-06-01")),
            Stance::new("s4", "d", "n1", -2).dated(d("2025-01-01")),
            Stance::new("s5", "d", "n2", 2).dated(d("2025-02-01")),
        ];
        b.ties = vec![
            Tie::new("t1", "a", "b", TieKind::Collaboration),
            Tie::new("t2", "b", "c", TieKind::Collaboration),
            Tie::new("t3", "a", "d", TieKind::Conflict),
        ];
        b
    }

    #[test]
    fn every_text_exists_in_both_languages_and_engagement_is_left_out_with_a_sentence() {
        let b = bundle();
        for lang in [Lang::En, Lang::Nl] {
            let date = vertoog_model::parse_date("2026-12-03").unwrap();
            for actor in [None, Some("d".to_string())] {
                let mut o = Options::new(lang, date);
                o.actor = actor.clone();
                let brief = build(&b, &b.map.settings, &o).unwrap();
                let html = html::render(&brief);
                assert!(!html.contains("[?]"), "a text key is missing: {html}");
                assert!(
                    html.contains("Test &lt;map&gt; &amp; &quot;co&quot;"),
                    "{html}"
                );
                let (absent, engagement) = match &brief {
                    Brief::Coalition(c) => (&c.engagement_absent, &c.engagement),
                    Brief::Actor(a) => (&a.engagement_absent, &a.engagement),
                };
                assert!(engagement.is_none());
                assert!(html.contains(absent.as_str()), "{html}");
                for format in [Format::Pdf, Format::Docx] {
                    let bytes = render(&brief, format).unwrap();
                    assert!(bytes.len() > 1000);
                }
            }
        }
    }

    #[test]
    fn an_unknown_actor_is_an_error_and_file_names_are_safe() {
        let b = bundle();
        let mut o = Options::new(Lang::En, vertoog_model::parse_date("2026-01-01").unwrap());
        o.actor = Some("zz".into());
        assert_eq!(
            build(&b, &b.map.settings, &o).unwrap_err(),
            BriefError::UnknownActor("zz".into())
        );
        assert_eq!(
            file_name("m", Some("a\"b/c"), Lang::Nl, Format::Docx),
            "brief-m-a_b_c-nl.docx"
        );
    }
}
