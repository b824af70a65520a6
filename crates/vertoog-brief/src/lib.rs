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
mod engagement;
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

    /// A map with engagement: plan items, commitments and contacts, judged on 2025-06-01.
    fn engaged() -> Bundle {
        use vertoog_model::{Commitment, Direction, Interaction, PlanItem, PlanStatus};
        let d = |s: &str| vertoog_model::parse_date(s).unwrap();
        let mut b = bundle();
        b.map.settings.as_of = Some(d("2025-06-01"));
        // Critic D softens after the adoption: data to measure the effect with.
        b.stances
            .push(Stance::new("s6", "d", "n1", 0).dated(d("2025-03-01")));
        let mut done = PlanItem::new("p1", "Talk Critic D round", d("2025-01-15"));
        done.kind = "brief".into();
        done.targets = vec!["d".into()];
        done.owner = "Anouk".into();
        done.status = PlanStatus::Done;
        done.done_on = Some(d("2025-02-01"));
        done.simulated_gain = Some(3.0);
        let mut late = PlanItem::new("p2", "Bring VNG and City C together", d("2025-01-20"));
        late.targets = vec!["b".into(), "c".into()];
        late.owner = "Bram".into();
        late.due = Some(d("2025-03-01"));
        b.plan = vec![done, late];
        let mut ours = Commitment::new(
            "k1",
            "b",
            Direction::Ours,
            "Send the cost model",
            d("2025-01-10"),
        );
        ours.owner = "Daan".into();
        ours.due = Some(d("2025-05-01"));
        let mut theirs = Commitment::new(
            "k2",
            "d",
            Direction::Theirs,
            "Share their survey",
            d("2025-04-01"),
        );
        theirs.due = Some(d("2025-06-20"));
        let mut kept = Commitment::new("k3", "a", Direction::Ours, "Kept promise", d("2025-01-01"));
        kept.status = vertoog_model::CommitmentStatus::Done;
        kept.closed_on = Some(d("2025-02-01"));
        b.commitments = vec![ours, theirs, kept];
        let mut open = Interaction::new("i1", d("2025-04-01"), "Open talk with D");
        open.actors = vec!["d".into()];
        let mut secret = Interaction::new("i2", d("2025-05-25"), "Secret talk with D");
        secret.actors = vec!["d".into()];
        secret.confidential = true;
        b.interactions = vec![open, secret];
        b
    }

    #[test]
    fn the_engagement_section_lists_plan_progress_commitments_and_overdue_contacts() {
        let b = engaged();
        let analysis = vertoog_analysis::analyse(&b, &b.map.settings, Default::default());
        let effect = analysis.plan.iter().find(|p| p.id == "p1").unwrap();
        let measured = effect
            .measured_gain
            .expect("measurable: a stance after the adoption");
        for (lang, words) in [
            (
                Lang::En,
                [
                    "Progress of the activation plan",
                    "Done: Talk Critic D round (Critic D; owner Anouk).",
                    "Simulated gain +3; measured change",
                    "not proof of what caused it",
                    "Planned: Bring VNG and City C together",
                    "92 days late",
                    "We promised VNG “Send the cost model”.",
                    "31 days late. Owner: Daan.",
                    "Critic D promised us “Share their survey”.",
                    "Contacts overdue",
                ],
            ),
            (
                Lang::Nl,
                [
                    "Voortgang van het activeringsplan",
                    "Gedaan: Talk Critic D round (Critic D; eigenaar Anouk).",
                    "Gesimuleerde winst +3; gemeten verandering",
                    "geen bewijs van wat haar veroorzaakte",
                    "Gepland: Bring VNG and City C together",
                    "92 dagen te laat",
                    "Wij beloofden VNG “Send the cost model”.",
                    "31 dagen te laat. Eigenaar: Daan.",
                    "Critic D beloofde ons “Share their survey”.",
                    "Achterstallige contacten",
                ],
            ),
        ] {
            let o = Options::new(lang, vertoog_model::parse_date("2026-12-03").unwrap());
            let brief = build(&b, &b.map.settings, &o).unwrap();
            let Brief::Coalition(c) = &brief else {
                panic!("a coalition brief")
            };
            let e = c.engagement.as_ref().expect("the section is filled");
            let html = html::render(&brief)
                .replace("&ldquo;", "“")
                .replace("&rdquo;", "”");
            for w in words {
                let w = w.replace('&', "&amp;");
                assert!(html.contains(&w), "{lang:?}: `{w}` missing from {html}");
            }
            let shown = text::signed1(lang, measured);
            assert!(
                e.progress[1].contains(&shown)
                    && e.progress[0].contains("92 days late") == (lang == Lang::En),
                "the measured change {shown}: {:?}",
                e.progress
            );
            // The kept promise is not listed; the contacts never made are.
            assert!(!html.contains("Kept promise"));
            assert_eq!(e.commitments.len(), 2, "{:?}", e.commitments);
            assert!(
                e.contacts.iter().any(|s| s.contains("Ministry A")),
                "{:?}",
                e.contacts
            );
            assert!(!html.contains(&c.engagement_absent));
            for format in [Format::Pdf, Format::Docx] {
                assert!(render(&brief, format).unwrap().len() > 1000);
            }
        }
    }

    #[test]
    fn the_actor_brief_shows_its_contacts_but_never_a_confidential_one() {
        let b = engaged();
        let mut o = Options::new(Lang::En, vertoog_model::parse_date("2026-12-03").unwrap());
        o.actor = Some("d".into());
        let brief = build(&b, &b.map.settings, &o).unwrap();
        let html = html::render(&brief)
            .replace("&ldquo;", "“")
            .replace("&rdquo;", "”");
        assert!(html.contains("Open talk with D"), "{html}");
        assert!(!html.contains("Secret talk"), "{html}");
        assert!(
            html.contains("Critic D promised us “Share their survey”."),
            "{html}"
        );
        assert!(
            !html.contains("Send the cost model"),
            "another actor's promise"
        );
    }
}
