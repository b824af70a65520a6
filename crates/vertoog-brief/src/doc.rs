//! The brief as a sequence of blocks in reading order: one layout description that the three
//! renderers (PDF, DOCX, HTML) draw each in their own way, so the formats never drift apart.

use crate::model::{ActorBrief, Brief, Chart, CoalitionBrief, Picture, Table};
use crate::text::tr;

/// A figure: an SVG drawing (charts, the coalitions graph) with its size in points.
#[derive(Clone, Debug)]
pub struct Figure {
    pub svg: String,
    pub width: f32,
    pub height: f32,
    pub caption: String,
}

#[derive(Clone, Debug)]
pub enum Block {
    Title(String),
    Subtitle(String),
    Heading(String),
    /// A smaller heading inside a section (a coalition, a gap group).
    Subheading(String),
    Para(String),
    Bullets(Vec<String>),
    Table(Table),
    /// Figures side by side (one or two).
    Figures(Vec<Figure>),
    /// Small print.
    Note(String),
}

/// Width of the text column of an A4 page with 2 cm margins, in points.
pub const COLUMN: f32 = 595.0 - 2.0 * 56.7;

fn chart_figure(c: &Chart, width: f32, height: f32) -> Figure {
    Figure {
        svg: crate::svg::chart(c, width, height),
        width,
        height,
        caption: c.caption.clone(),
    }
}

fn picture_figure(p: &Picture, width: f32, height: f32) -> Figure {
    Figure {
        svg: crate::svg::picture(p, width, height),
        width,
        height,
        caption: p.caption.clone(),
    }
}

impl Brief {
    /// The blocks of the brief in reading order.
    pub fn blocks(&self) -> Vec<Block> {
        match self {
            Brief::Coalition(b) => coalition_blocks(b),
            Brief::Actor(b) => actor_blocks(b),
        }
    }

    pub fn header(&self) -> &crate::model::Header {
        match self {
            Brief::Coalition(b) => &b.header,
            Brief::Actor(b) => &b.header,
        }
    }
}

fn title_blocks(h: &crate::model::Header, out: &mut Vec<Block>) {
    out.push(Block::Title(h.title.clone()));
    out.push(Block::Subtitle(format!(
        "{}: {}",
        tr(h.lang, "map"),
        h.map_name
    )));
    out.push(Block::Subtitle(h.subtitle.clone()));
}

fn coalition_blocks(b: &CoalitionBrief) -> Vec<Block> {
    let l = b.header.lang;
    let mut out = Vec::new();
    title_blocks(&b.header, &mut out);
    out.push(Block::Heading(tr(l, "h.summary").into()));
    for p in &b.summary {
        out.push(Block::Para(p.clone()));
    }
    out.push(Block::Heading(tr(l, "h.strength").into()));
    out.push(Block::Para(b.strength_text.clone()));
    let mut figs = vec![chart_figure(&b.components, COLUMN * 0.48, 120.0)];
    if let Some(tc) = &b.trend {
        figs.push(chart_figure(tc, COLUMN * 0.48, 120.0));
    }
    out.push(Block::Figures(figs));
    out.push(Block::Para(b.trend_text.clone()));
    out.push(Block::Heading(tr(l, "h.picture").into()));
    out.push(Block::Figures(vec![picture_figure(
        &b.picture, COLUMN, 255.0,
    )]));
    if let Some(n) = &b.picture_note {
        out.push(Block::Note(n.clone()));
    }
    out.push(Block::Heading(tr(l, "h.coalitions").into()));
    out.push(Block::Para(b.coalitions_intro.clone()));
    for c in &b.coalitions {
        out.push(Block::Subheading(c.heading.clone()));
        out.push(Block::Para(c.sentences.join(" ")));
    }
    if let Some(r) = &b.coalitions_rest {
        out.push(Block::Para(r.clone()));
    }
    out.push(Block::Heading(tr(l, "h.gaps").into()));
    if b.gaps.is_empty() {
        out.push(Block::Para(tr(l, "gaps.none").into()));
    }
    for g in &b.gaps {
        out.push(Block::Subheading(g.headline.clone()));
        out.push(Block::Bullets(g.evidence.clone()));
    }
    out.push(Block::Heading(tr(l, "h.actions").into()));
    out.push(Block::Para(b.plan_text.clone()));
    if let Some(t) = &b.plan {
        out.push(Block::Table(t.clone()));
    }
    if let Some(t) = &b.top_actions {
        out.push(Block::Table(t.clone()));
    }
    match &b.engagement {
        Some(e) => {
            out.push(Block::Heading(tr(l, "h.progress").into()));
            out.push(Block::Bullets(e.progress.clone()));
            out.push(Block::Heading(tr(l, "h.commitments").into()));
            out.push(Block::Bullets(e.commitments.clone()));
            out.push(Block::Heading(tr(l, "h.overdue_contacts").into()));
            out.push(Block::Bullets(e.contacts.clone()));
        }
        None => {
            out.push(Block::Heading(tr(l, "h.progress").into()));
            out.push(Block::Para(b.engagement_absent.clone()));
        }
    }
    out.push(Block::Heading(tr(l, "h.method").into()));
    for m in &b.method {
        out.push(Block::Note(m.clone()));
    }
    out
}

fn actor_blocks(b: &ActorBrief) -> Vec<Block> {
    let l = b.header.lang;
    let mut out = Vec::new();
    title_blocks(&b.header, &mut out);
    out.push(Block::Heading(tr(l, "h.who").into()));
    out.push(Block::Para(b.who.clone()));
    out.push(Block::Heading(tr(l, "h.positions").into()));
    if let Some(t) = &b.positions {
        out.push(Block::Table(t.clone()));
    }
    if let Some(n) = &b.positions_none {
        out.push(Block::Para(n.clone()));
    }
    out.push(Block::Heading(tr(l, "h.over_time").into()));
    match &b.over_time {
        Some(c) => {
            let mut f = chart_figure(c, COLUMN * 0.5, 62.0);
            f.caption = format!("{} {}", f.caption, b.over_time_text);
            out.push(Block::Figures(vec![f]));
        }
        None => out.push(Block::Para(b.over_time_text.clone())),
    }
    out.push(Block::Heading(tr(l, "h.coalition").into()));
    out.push(Block::Para(b.coalition.clone()));
    out.push(Block::Heading(tr(l, "h.ties").into()));
    out.push(Block::Para(b.ties.join(" ")));
    out.push(Block::Heading(tr(l, "h.contacts").into()));
    match &b.engagement {
        Some(e) => {
            let mut all = e.contacts.clone();
            all.extend(e.commitments.iter().cloned());
            out.push(Block::Bullets(all));
        }
        None => out.push(Block::Para(b.engagement_absent.clone())),
    }
    out.push(Block::Heading(tr(l, "h.recommended").into()));
    out.push(Block::Bullets(b.recommended.clone()));
    out.push(Block::Heading(tr(l, "h.talking").into()));
    out.push(Block::Bullets(b.talking_points.clone()));
    out
}
