//! The brief as a pure value (briefs.md): what a director reads, already in words and in the
//! chosen language, built from the analysis, the timeline and the diff. The renderers
//! (`pdf`, `docx`, `html`) only lay it out; they compute nothing.
//!
//! Engagement (plan progress, contacts, commitments, relationship health; engagement.md) is
//! an `Option` field in both briefs: `None` until the engagement log exists (issue 19), and
//! the brief then says that the section is left out. Filling it later is adding a builder
//! that returns `Some(..)`; the renderers already lay out `Some` as a section.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use vertoog_analysis::dynamics::diff_of;
use vertoog_analysis::plans::DEFAULT_BUDGET;
use vertoog_analysis::{
    analyse_lang, best_plan, context_and_analysis, i18n, timeline, Analysis, Context, Lang, Period,
    Window,
};
use vertoog_model::{Bundle, Date, Settings, TieKind};

use crate::text::{self, t, tr};

/// What to brief on and how.
#[derive(Clone, Debug)]
pub struct Options {
    pub lang: Lang,
    /// The brief's date (the caller's today; the brief itself reads no clock).
    pub date: Date,
    /// "What changed since": this date; `None` compares with one year before the latest
    /// dated position in the window.
    pub since: Option<Date>,
    /// Effort budget of the best plan (docs/method.md §9).
    pub budget: u32,
    /// `Some(actor id)` for the actor brief.
    pub actor: Option<String>,
    /// The analysis window.
    pub window: Window,
}

impl Options {
    pub fn new(lang: Lang, date: Date) -> Self {
        Options {
            lang,
            date,
            since: None,
            budget: DEFAULT_BUDGET,
            actor: None,
            window: Window::default(),
        }
    }
}

/// A brief: the coalition brief or the actor brief.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Brief {
    Coalition(Box<CoalitionBrief>),
    Actor(Box<ActorBrief>),
}

/// Why a brief cannot be made.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum BriefError {
    #[error("actor {0:?} is not on the map")]
    UnknownActor(String),
}

/// Title block shared by both briefs.
#[derive(Clone, Debug, Serialize)]
pub struct Header {
    #[serde(skip)]
    pub lang: Lang,
    pub title: String,
    pub map_id: String,
    pub map_name: String,
    /// "Date: 3 December 2026 · Window: the whole history".
    pub subtitle: String,
}

/// One bar of a bar chart or one point of a line chart.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    pub label: String,
    pub value: Option<f64>,
}

/// A chart: bars (0..max) or a line over labelled points.
#[derive(Clone, Debug, Serialize)]
pub struct Chart {
    pub caption: String,
    pub points: Vec<Point>,
    pub min: f64,
    pub max: f64,
    pub line: bool,
}

/// The coalitions graph: positions from `vertoog_layout` in 0..1000.
#[derive(Clone, Debug, Serialize)]
pub struct Picture {
    pub caption: String,
    pub nodes: Vec<PicNode>,
    pub edges: Vec<PicEdge>,
    /// Coalition names by colour index.
    pub legend: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PicNode {
    pub x: f64,
    pub y: f64,
    /// Influence 0..1 (radius).
    pub influence: f64,
    /// Colour index into the legend; `None` grey (no coalition shown).
    pub colour: Option<usize>,
    pub label: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PicEdge {
    pub a: usize,
    pub b: usize,
    pub conflict: bool,
}

/// A table with a caption.
#[derive(Clone, Debug, Serialize)]
pub struct Table {
    pub caption: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Relative column widths.
    pub widths: Vec<f32>,
}

/// One coalition in words.
#[derive(Clone, Debug, Serialize)]
pub struct CoalitionText {
    pub heading: String,
    pub sentences: Vec<String>,
}

/// A group of gaps of one type: a headline and one line of evidence per gap.
#[derive(Clone, Debug, Serialize)]
pub struct GapGroup {
    pub headline: String,
    pub evidence: Vec<String>,
}

/// Plan progress and commitments (engagement.md): filled once the engagement log exists.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Engagement {
    /// Sentences on plan items done, in progress and overdue (with measured effect).
    pub progress: Vec<String>,
    /// Commitments overdue or due within 30 days, both ways.
    pub commitments: Vec<String>,
    /// Actor brief: recent contacts and the relationship health.
    pub contacts: Vec<String>,
}

/// The coalition brief (briefs.md "The coalition brief").
#[derive(Clone, Debug, Serialize)]
pub struct CoalitionBrief {
    pub header: Header,
    /// Section 1: strength, what changed, the one thing to do first.
    pub summary: Vec<String>,
    pub strength: Option<f64>,
    pub strength_text: String,
    pub components: Chart,
    pub trend: Option<Chart>,
    pub trend_text: String,
    pub picture: Picture,
    pub picture_note: Option<String>,
    pub coalitions_intro: String,
    pub coalitions: Vec<CoalitionText>,
    pub coalitions_rest: Option<String>,
    pub gaps: Vec<GapGroup>,
    pub plan_text: String,
    pub plan: Option<Table>,
    pub top_actions: Option<Table>,
    /// `None` until engagement (issue 19) is recorded: the brief then says so.
    pub engagement: Option<Engagement>,
    pub engagement_absent: String,
    pub method: Vec<String>,
}

/// The actor brief (briefs.md "The actor brief").
#[derive(Clone, Debug, Serialize)]
pub struct ActorBrief {
    pub header: Header,
    pub who: String,
    pub positions: Option<Table>,
    pub positions_none: Option<String>,
    pub over_time: Option<Chart>,
    pub over_time_text: String,
    pub coalition: String,
    pub ties: Vec<String>,
    /// `None` until engagement (issue 19) is recorded: the brief then says so.
    pub engagement: Option<Engagement>,
    pub engagement_absent: String,
    pub recommended: Vec<String>,
    pub talking_points: Vec<String>,
}

/// Actors drawn at most in the coalitions graph; above this only the most influential.
pub const MAX_DRAWN: usize = 250;
/// Above this many drawn actors only [`LABELS_LARGE`] of them are named.
pub const LABEL_ALL_UP_TO: usize = 30;
pub const LABELS_LARGE: usize = 16;
/// Coalitions described in words at most.
pub const MAX_COALITIONS: usize = 8;
/// Trend: the last this many years.
pub const TREND_YEARS: usize = 10;

/// Builds the brief of `bundle` with `settings` (pure: the analysis crate's functions only).
pub fn build(bundle: &Bundle, settings: &Settings, opts: &Options) -> Result<Brief, BriefError> {
    // Engagement is judged at the map's `as_of`, else at the brief's date (the analysis has
    // no clock).
    let mut dated = settings.clone();
    if dated.as_of.is_none() && bundle.has_engagement() {
        dated.as_of = Some(opts.date);
    }
    let settings = &dated;
    if let Some(actor) = &opts.actor {
        if !bundle.actors.iter().any(|a| &a.id == actor) {
            return Err(BriefError::UnknownActor(actor.clone()));
        }
        let analysis = analyse_lang(bundle, settings, opts.window, opts.lang);
        return Ok(Brief::Actor(Box::new(actor_brief(
            bundle, &analysis, actor, opts,
        ))));
    }
    Ok(Brief::Coalition(Box::new(coalition_brief(
        bundle, settings, opts,
    ))))
}

struct Names<'a> {
    actors: HashMap<&'a str, &'a str>,
    narratives: HashMap<&'a str, &'a str>,
}

impl<'a> Names<'a> {
    fn of(bundle: &'a Bundle) -> Self {
        Names {
            actors: bundle
                .actors
                .iter()
                .map(|a| (a.id.as_str(), a.name.as_str()))
                .collect(),
            narratives: bundle
                .narratives
                .iter()
                .map(|n| (n.id.as_str(), n.label.as_str()))
                .collect(),
        }
    }
    fn actor(&self, id: &str) -> String {
        self.actors.get(id).copied().unwrap_or(id).to_string()
    }
    fn narrative(&self, id: &str) -> String {
        self.narratives.get(id).copied().unwrap_or(id).to_string()
    }
}

fn header(bundle: &Bundle, opts: &Options, key: &str, extra: Option<String>) -> Header {
    let l = opts.lang;
    let w = opts.window;
    let window = match (w.from, w.to) {
        (None, None) => tr(l, "whole_history").to_string(),
        (f, to) => format!(
            "{} – {}",
            f.map(|d| text::date(l, d)).unwrap_or_default(),
            to.map(|d| text::date(l, d)).unwrap_or_default()
        ),
    };
    let title = match extra {
        Some(name) => format!("{}: {}", tr(l, key), name),
        None => tr(l, key).to_string(),
    };
    Header {
        lang: l,
        title,
        map_id: bundle.map.id.clone(),
        map_name: bundle.map.name.clone(),
        subtitle: format!(
            "{}: {} · {}: {}",
            tr(l, "date"),
            text::date(l, opts.date),
            tr(l, "window"),
            window
        ),
    }
}

const COMPONENTS: [&str; 5] = [
    "influence_share",
    "breadth",
    "discourse_cohesion",
    "connectedness",
    "narrative_support",
];

fn component_value(m: &vertoog_analysis::Metrics, key: &str) -> Option<f64> {
    match key {
        "influence_share" => m.influence_share,
        "breadth" => m.breadth,
        "discourse_cohesion" => m.discourse_cohesion,
        "connectedness" => m.connectedness,
        _ => m.narrative_support,
    }
}

/// The latest dated position in the window (the default "since" counts back from it).
fn latest_date(bundle: &Bundle, window: Window) -> Option<Date> {
    bundle
        .stances
        .iter()
        .filter_map(|s| s.date)
        .filter(|d| window.contains(Some(*d)))
        .max()
}

/// An action in one line: "Brief: X (through Y)".
fn action_phrase(a: &vertoog_analysis::Action, names: &Names<'_>, lang: Lang) -> String {
    let kind = i18n::text(lang, &format!("kind.{}", a.kind.as_str()));
    let targets: Vec<String> = a.targets.iter().map(|x| names.actor(x)).collect();
    let mut s = kind.to_string();
    if !targets.is_empty() {
        s.push_str(": ");
        s.push_str(&text::list(lang, &targets, 3));
    } else if let Some(n) = &a.narrative {
        s.push_str(&format!(" “{}”", names.narrative(n)));
    }
    if let Some(m) = &a.messenger {
        s.push_str(&t(lang, "rec.via", &[("m", names.actor(m))]));
    }
    s
}

fn action_row(
    a: &vertoog_analysis::Action,
    names: &Names<'_>,
    lang: Lang,
    gain: Option<f64>,
) -> Vec<String> {
    let kind = i18n::text(lang, &format!("kind.{}", a.kind.as_str())).to_string();
    let targets: Vec<String> = a.targets.iter().map(|x| names.actor(x)).collect();
    let target = if targets.is_empty() {
        a.narrative
            .as_deref()
            .map(|n| names.narrative(n))
            .unwrap_or_else(|| tr(lang, "nobody").into())
    } else {
        text::list(lang, &targets, 3)
    };
    vec![
        kind,
        target,
        a.messenger
            .as_deref()
            .map(|m| names.actor(m))
            .unwrap_or_else(|| tr(lang, "nobody").into()),
        text::gain(lang, gain),
        tr(lang, &format!("effort.{}", a.effort.clamp(1, 3))).to_string(),
    ]
}

fn coalition_brief(bundle: &Bundle, settings: &Settings, opts: &Options) -> CoalitionBrief {
    let l = opts.lang;
    let names = Names::of(bundle);
    let window = opts.window;
    let latest = latest_date(bundle, window);
    let since = opts
        .since
        .or_else(|| latest.and_then(|d| d.checked_sub_days(chrono::Days::new(365))));
    // The main analysis, beside the timeline and the analysis at `since` (both cheap next to
    // the coalition detection of the main one).
    let ((ctx_analysis, tl), before) = rayon_join3(
        || context_and_analysis(bundle, settings, window, l),
        || timeline(bundle, settings, Period::Year),
        || {
            since.map(|s| {
                analyse_lang(
                    bundle,
                    settings,
                    Window {
                        from: window.from,
                        to: Some(s),
                    },
                    l,
                )
            })
        },
    );
    let (ctx, analysis) = ctx_analysis;
    let plan = if opts.budget == analysis.best_plan.budget {
        analysis.best_plan.clone()
    } else {
        best_plan(
            &ctx,
            &analysis.actions,
            analysis.transition.metrics.strength,
            opts.budget,
        )
    };
    let tr_m = &analysis.transition.metrics;
    let strength = tr_m.strength;

    // 1. Summary.
    let mut summary = Vec::new();
    let mut first = if analysis.transition.dominance.is_empty() {
        tr(l, "sum.no_core").to_string()
    } else {
        t(
            l,
            "sum.strength",
            &[
                ("words", text::strength_words(l, strength).to_string()),
                ("strength", text::strength(l, strength)),
                (
                    "supporters",
                    text::count(l, "n.supporters", analysis.transition.supporters.len()),
                ),
                (
                    "opponents",
                    text::count(l, "n.opponents", analysis.transition.opponents.len()),
                ),
                (
                    "undecided",
                    text::count(l, "n.undecided", analysis.transition.undecided.len()),
                ),
            ],
        )
    };
    if let (Some(s), Some(before)) = (since, &before) {
        let to = window.to.or(latest).unwrap_or(s).max(s);
        let d = diff_of(bundle, before, &analysis, s, to);
        let mut parts = Vec::new();
        parts.push(match d.strength.change {
            Some(c) if c >= 0.5 => t(l, "chg.strength_up", &[("points", text::points(l, c))]),
            Some(c) if c <= -0.5 => t(l, "chg.strength_down", &[("points", text::points(l, c))]),
            Some(_) => tr(l, "chg.strength_same").to_string(),
            None if d.strength.after.is_some() => tr(l, "chg.strength_new").to_string(),
            None => tr(l, "chg.strength_same").to_string(),
        });
        match d.class_changes.len() {
            0 => {}
            1 => {
                let c = &d.class_changes[0];
                parts.push(t(
                    l,
                    "chg.class_one",
                    &[
                        ("name", names.actor(&c.actor)),
                        (
                            "from",
                            i18n::text(l, &format!("group.{}", c.from)).to_string(),
                        ),
                        ("to", i18n::text(l, &format!("group.{}", c.to)).to_string()),
                    ],
                ))
            }
            n => parts.push(t(l, "chg.classes", &[("n", text::int(l, n as i64))])),
        }
        if !d.gaps_opened.is_empty() || !d.gaps_closed.is_empty() {
            parts.push(t(
                l,
                "chg.gaps",
                &[
                    ("opened", text::int(l, d.gaps_opened.len() as i64)),
                    ("closed", text::int(l, d.gaps_closed.len() as i64)),
                ],
            ));
        }
        if d.stances_added > 0 {
            parts.push(t(
                l,
                "chg.stances",
                &[("n", text::int(l, d.stances_added as i64))],
            ));
        }
        let mut sentence = t(l, "chg.intro", &[("since", text::date(l, s))]);
        sentence.push_str(&text::list(l, &parts, 6));
        sentence.push('.');
        if opts.since.is_none() {
            sentence.push(' ');
            sentence.push_str(tr(l, "chg.default"));
        }
        first.push(' ');
        first.push_str(&sentence);
    }
    summary.push(first);
    let first_action = plan
        .steps
        .first()
        .and_then(|s| analysis.actions.iter().find(|a| a.id == s.action))
        .or_else(|| analysis.actions.first());
    summary.push(match first_action {
        Some(a) => t(l, "sum.first", &[("action", action_phrase(a, &names, l))]),
        None => tr(l, "sum.no_action").to_string(),
    });

    // 2. Strength and trend.
    let comps: Vec<(String, Option<f64>)> = COMPONENTS
        .iter()
        .map(|k| {
            (
                tr(l, &format!("comp.{k}")).to_string(),
                component_value(tr_m, k),
            )
        })
        .collect();
    let defined: Vec<&(String, Option<f64>)> = comps.iter().filter(|c| c.1.is_some()).collect();
    let strength_text = match (
        defined
            .iter()
            .min_by(|a, b| a.1.unwrap_or(0.0).total_cmp(&b.1.unwrap_or(0.0))),
        defined
            .iter()
            .max_by(|a, b| a.1.unwrap_or(0.0).total_cmp(&b.1.unwrap_or(0.0))),
    ) {
        (Some(w), Some(s)) => t(
            l,
            "strength.components",
            &[
                ("weakest", w.0.to_lowercase()),
                ("value", text::dec2(l, w.1.unwrap_or(0.0))),
                ("strongest", s.0.to_lowercase()),
                ("svalue", text::dec2(l, s.1.unwrap_or(0.0))),
            ],
        ),
        _ => String::new(),
    };
    let components = Chart {
        caption: tr(l, "fig.components").to_string(),
        points: comps
            .iter()
            .map(|(label, v)| Point {
                label: label.clone(),
                value: *v,
            })
            .collect(),
        min: 0.0,
        max: 1.0,
        line: false,
    };
    let pts: Vec<Point> = tl
        .points
        .iter()
        .filter(|p| {
            window.to.is_none_or(|to| {
                p.end <= to || p.end.format("%Y").to_string() == to.format("%Y").to_string()
            })
        })
        .map(|p| Point {
            label: p.label.clone(),
            value: p.metrics.strength,
        })
        .collect();
    let pts: Vec<Point> = pts[pts.len().saturating_sub(TREND_YEARS)..].to_vec();
    let (trend, trend_text) = if pts.len() < 2 {
        (None, tr(l, "trend.none").to_string())
    } else {
        let (a, b) = (&pts[0], &pts[pts.len() - 1]);
        let text = t(
            l,
            "trend.text",
            &[
                ("first", a.label.clone()),
                ("a", text::strength(l, a.value)),
                ("last", b.label.clone()),
                ("b", text::strength(l, b.value)),
            ],
        );
        (
            Some(Chart {
                caption: tr(l, "fig.trend").to_string(),
                points: pts,
                min: 0.0,
                max: 100.0,
                line: true,
            }),
            text,
        )
    };

    // 3. The picture.
    let (picture, picture_note) = picture(bundle, &ctx, &analysis, l);

    // 4. Coalitions.
    let multi: Vec<&vertoog_analysis::Coalition> = analysis
        .coalitions
        .iter()
        .filter(|c| c.members.len() >= 2)
        .collect();
    let singles = analysis.coalitions.len() - multi.len();
    let influence: HashMap<&str, f64> = bundle
        .actors
        .iter()
        .map(|a| (a.id.as_str(), a.influence))
        .collect();
    let coalitions: Vec<CoalitionText> = multi
        .iter()
        .take(MAX_COALITIONS)
        .map(|c| coalition_text(c, &names, &influence, l))
        .collect();
    let coalitions_rest = if multi.len() > MAX_COALITIONS {
        Some(t(
            l,
            "coal.more",
            &[
                ("n", text::int(l, (multi.len() - MAX_COALITIONS) as i64)),
                ("s", text::int(l, singles as i64)),
            ],
        ))
    } else if singles > 0 {
        Some(t(l, "coal.singles", &[("s", text::int(l, singles as i64))]))
    } else {
        None
    };

    // 5. Gaps: the five most serious, grouped by type.
    let gaps = gap_groups(&analysis, l);

    // 6. Actions.
    let by_id: HashMap<&str, &vertoog_analysis::Action> = analysis
        .actions
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();
    let head = |first: &str| {
        vec![
            first.to_string(),
            tr(l, "col.action").to_string(),
            tr(l, "col.target").to_string(),
            tr(l, "col.messenger").to_string(),
            tr(l, "col.gain").to_string(),
            tr(l, "col.effort").to_string(),
        ]
    };
    let (plan_text, plan_table) = if plan.steps.is_empty() {
        (
            t(l, "plan.none", &[("budget", plan.budget.to_string())]),
            None,
        )
    } else {
        let rows: Vec<Vec<String>> = plan
            .steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let a = by_id.get(s.action.as_str())?;
                let mut row = vec![(i + 1).to_string()];
                row.extend(action_row(a, &names, l, Some(s.marginal_gain)));
                Some(row)
            })
            .collect();
        (
            t(
                l,
                "plan.intro",
                &[
                    ("budget", plan.budget.to_string()),
                    ("steps", text::int(l, plan.steps.len() as i64)),
                    ("before", text::strength(l, plan.strength_before)),
                    ("after", text::strength(l, plan.strength_after)),
                    ("gain", text::points(l, plan.plan_gain)),
                ],
            ),
            Some(Table {
                caption: tr(l, "plan.table").to_string(),
                head: head(tr(l, "col.step")),
                rows,
                widths: vec![0.6, 2.0, 3.2, 2.4, 1.0, 1.2],
            }),
        )
    };
    let in_plan: Vec<&str> = plan.steps.iter().map(|s| s.action.as_str()).collect();
    let top_rows: Vec<Vec<String>> = analysis
        .actions
        .iter()
        .filter(|a| !in_plan.contains(&a.id.as_str()))
        .take(3)
        .enumerate()
        .map(|(i, a)| {
            let mut row = vec![(i + 1).to_string()];
            row.extend(action_row(a, &names, l, a.expected_gain));
            row
        })
        .collect();
    let top_actions = (!top_rows.is_empty()).then(|| Table {
        caption: tr(l, "top.table").to_string(),
        head: head("#"),
        rows: top_rows,
        widths: vec![0.6, 2.0, 3.2, 2.4, 1.0, 1.2],
    });

    // 8. Method.
    let w = analysis.window;
    let window_words = match (w.from, w.to) {
        (None, None) => tr(l, "whole_history").to_string(),
        (f, to) => format!(
            "{} – {}",
            f.map(|d| text::date(l, d)).unwrap_or_default(),
            to.map(|d| text::date(l, d)).unwrap_or_default()
        ),
    };
    let mut method = vec![t(
        l,
        "method",
        &[
            ("window", window_words),
            ("actors", text::int(l, bundle.actors.len() as i64)),
            ("narratives", text::int(l, bundle.narratives.len() as i64)),
            ("stances", text::int(l, ctx.prep.stances_in_window as i64)),
            ("ties", text::int(l, ctx.prep.ties.len() as i64)),
        ],
    )];
    if !analysis.approximate.is_empty() {
        method.push(tr(l, "approximate").to_string());
    }

    CoalitionBrief {
        header: header(bundle, opts, "title.coalition", None),
        summary,
        strength,
        strength_text,
        components,
        trend,
        trend_text,
        picture,
        picture_note,
        coalitions_intro: t(l, "coal.intro", &[("n", text::int(l, multi.len() as i64))]),
        coalitions,
        coalitions_rest,
        gaps,
        plan_text,
        plan: plan_table,
        top_actions,
        engagement: crate::engagement::coalition(
            l,
            bundle,
            &analysis,
            engagement_today(bundle, settings, window),
        ),
        engagement_absent: tr(l, "engagement.absent").to_string(),
        method,
    }
}

/// The date engagement is judged at (the analysis' engagement date E; the brief's settings
/// carry `as_of`).
fn engagement_today(bundle: &Bundle, settings: &Settings, window: Window) -> Date {
    vertoog_analysis::relationships::engagement_end(bundle, settings, window).unwrap_or_default()
}

/// Three computations side by side (the analysis crate already uses rayon's pool).
fn rayon_join3<A: Send, B: Send, C: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
    c: impl FnOnce() -> C + Send,
) -> ((A, B), C) {
    rayon::join(|| rayon::join(a, b), c)
}

fn coalition_text(
    c: &vertoog_analysis::Coalition,
    names: &Names<'_>,
    influence: &HashMap<&str, f64>,
    l: Lang,
) -> CoalitionText {
    let mut story: Vec<&vertoog_analysis::StorylineEntry> = c.storyline.iter().collect();
    story.sort_by(|x, y| {
        (y.coverage * y.mean_position.abs())
            .total_cmp(&(x.coverage * x.mean_position.abs()))
            .then_with(|| x.narrative.cmp(&y.narrative))
    });
    let quoted = |ids: Vec<&str>| -> Vec<String> {
        ids.into_iter()
            .map(|n| format!("“{}”", names.narrative(n)))
            .collect()
    };
    // A side is taken when the mean position is at least 0.5 away from neutral.
    let supports = quoted(
        story
            .iter()
            .filter(|s| s.mean_position >= 0.5)
            .map(|s| s.narrative.as_str())
            .collect(),
    );
    let opposes = quoted(
        story
            .iter()
            .filter(|s| s.mean_position <= -0.5)
            .map(|s| s.narrative.as_str())
            .collect(),
    );
    let mut sentences = Vec::new();
    if let Some(n) = &c.storyline_narrative {
        sentences.push(t(l, "coal.story", &[("narrative", names.narrative(n))]));
    }
    if !supports.is_empty() {
        sentences.push(t(
            l,
            "coal.supports",
            &[("list", text::list(l, &supports, 4))],
        ));
    }
    if !opposes.is_empty() {
        sentences.push(t(
            l,
            "coal.opposes",
            &[("list", text::list(l, &opposes, 4))],
        ));
    }
    if supports.is_empty() && opposes.is_empty() {
        sentences.push(tr(l, "coal.neither").to_string());
    }
    let mut members: Vec<&String> = c.members.iter().collect();
    members.sort_by(|a, b| {
        influence
            .get(b.as_str())
            .unwrap_or(&0.0)
            .total_cmp(influence.get(a.as_str()).unwrap_or(&0.0))
            .then_with(|| a.cmp(b))
    });
    let member_names: Vec<String> = members.iter().map(|m| names.actor(m)).collect();
    sentences.push(t(
        l,
        "coal.members",
        &[("list", text::list(l, &member_names, 5))],
    ));
    CoalitionText {
        heading: t(
            l,
            "coal.head",
            &[
                ("name", c.name.clone()),
                ("size", text::int(l, c.members.len() as i64)),
                ("strength", text::strength(l, c.metrics.strength)),
            ],
        ),
        sentences,
    }
}

/// The five most serious gaps (the analysis orders them most serious first), grouped by
/// type in the order of their first gap; each with its message as one line of evidence.
fn gap_groups(analysis: &Analysis, l: Lang) -> Vec<GapGroup> {
    let mut order: Vec<vertoog_analysis::GapType> = Vec::new();
    let mut by_type: BTreeMap<vertoog_analysis::GapType, Vec<&vertoog_analysis::Gap>> =
        BTreeMap::new();
    for g in analysis.gaps.iter().take(5) {
        if !by_type.contains_key(&g.kind) {
            order.push(g.kind);
        }
        by_type.entry(g.kind).or_default().push(g);
    }
    order
        .into_iter()
        .map(|k| {
            let gaps = &by_type[&k];
            let sev = gaps.iter().map(|g| g.severity).max().unwrap_or(1);
            GapGroup {
                headline: format!(
                    "{} ({})",
                    t(
                        l,
                        &if gaps.len() == 1 {
                            format!("gaps.group.{}.1", k.as_str())
                        } else {
                            format!("gaps.group.{}", k.as_str())
                        },
                        &[("n", text::int(l, gaps.len() as i64))]
                    ),
                    t(l, "gaps.severity", &[("s", sev.to_string())])
                ),
                evidence: gaps.iter().map(|g| g.message.clone()).collect(),
            }
        })
        .collect()
}

/// The coalitions graph: at most [`MAX_DRAWN`] actors (the most influential), laid out by
/// `vertoog_layout` over the ties (not conflicts) and, within a coalition, the positive
/// discourse pairs, as the UI's coalitions view does.
fn picture(
    bundle: &Bundle,
    ctx: &Context<'_>,
    analysis: &Analysis,
    l: Lang,
) -> (Picture, Option<String>) {
    let prep = &ctx.prep;
    let n = prep.actors.len();
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_by(|&a, &b| {
        prep.actors[b as usize]
            .influence
            .total_cmp(&prep.actors[a as usize].influence)
            .then_with(|| prep.actors[a as usize].id.cmp(&prep.actors[b as usize].id))
    });
    order.truncate(MAX_DRAWN);
    let mut slot: Vec<Option<usize>> = vec![None; n];
    for (i, &a) in order.iter().enumerate() {
        slot[a as usize] = Some(i);
    }
    // Colour per coalition: the coalitions of two or more, largest first, up to 10 colours.
    let mut colour_of: HashMap<&str, usize> = HashMap::new();
    let mut legend = Vec::new();
    for c in analysis
        .coalitions
        .iter()
        .filter(|c| c.members.len() >= 2)
        .take(crate::svg::PALETTE.len())
    {
        for m in &c.members {
            colour_of.insert(m.as_str(), legend.len());
        }
        legend.push(c.name.clone());
    }
    let mut coalition_of: HashMap<&str, &str> = HashMap::new();
    for c in &analysis.coalitions {
        for m in &c.members {
            coalition_of.insert(m.as_str(), c.id.as_str());
        }
    }
    let mut layout_edges = Vec::new();
    let mut edges = Vec::new();
    for tie in &prep.ties {
        if let (Some(a), Some(b)) = (slot[tie.a as usize], slot[tie.b as usize]) {
            let conflict = tie.kind == TieKind::Conflict;
            edges.push(PicEdge { a, b, conflict });
            if !conflict {
                layout_edges.push((a, b, tie.weight.abs().max(0.05)));
            }
        }
    }
    for (a, b, w) in ctx.discourse.graph.edges() {
        if a >= b || w <= 0.0 {
            continue;
        }
        if let (Some(x), Some(y)) = (slot[a as usize], slot[b as usize]) {
            let (ia, ib) = (
                prep.actors[a as usize].id.as_str(),
                prep.actors[b as usize].id.as_str(),
            );
            if matches!((coalition_of.get(ia), coalition_of.get(ib)), (Some(p), Some(q)) if p == q)
            {
                layout_edges.push((x, y, w));
            }
        }
    }
    let positions = vertoog_layout::layout(order.len(), &layout_edges, ctx.settings.seed);
    let labelled = if order.len() <= LABEL_ALL_UP_TO {
        order.len()
    } else {
        LABELS_LARGE
    };
    let nodes = order
        .iter()
        .enumerate()
        .map(|(i, &a)| {
            let info = &prep.actors[a as usize];
            PicNode {
                x: positions[i].0,
                y: positions[i].1,
                influence: info.influence,
                colour: colour_of.get(info.id.as_str()).copied(),
                label: (i < labelled).then(|| info.name.clone()),
            }
        })
        .collect();
    let note = if n > MAX_DRAWN {
        Some(t(
            l,
            "fig.graph_large",
            &[
                ("shown", text::int(l, order.len() as i64)),
                ("total", text::int(l, bundle.actors.len() as i64)),
                ("named", text::int(l, labelled as i64)),
            ],
        ))
    } else if n > LABEL_ALL_UP_TO {
        Some(t(
            l,
            "fig.graph_named",
            &[("named", text::int(l, labelled as i64))],
        ))
    } else {
        None
    };
    (
        Picture {
            caption: tr(l, "fig.graph").to_string(),
            nodes,
            edges,
            legend,
        },
        note,
    )
}

fn position_word(l: Lang, p: i8) -> &'static str {
    tr(l, &format!("pos.{}", p.clamp(-2, 2)))
}

fn actor_brief(bundle: &Bundle, analysis: &Analysis, actor_id: &str, opts: &Options) -> ActorBrief {
    let l = opts.lang;
    let names = Names::of(bundle);
    let actor = bundle.actors.iter().find(|a| a.id == actor_id);
    let name = names.actor(actor_id);
    let window = opts.window;
    let tr_a = &analysis.transition;
    let group_key = if tr_a.supporters.iter().any(|x| x == actor_id) {
        "group.supporter"
    } else if tr_a.opponents.iter().any(|x| x == actor_id) {
        "group.opponent"
    } else if tr_a.undecided.iter().any(|x| x == actor_id) {
        "group.undecided"
    } else {
        "group.silent"
    };
    let sh = analysis.stakeholders.iter().find(|s| s.actor == actor_id);
    let serde_name = |v: serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let quadrant = sh
        .map(|s| {
            tr(
                l,
                &format!(
                    "quadrant.{}",
                    serde_name(serde_json::to_value(s.quadrant).unwrap_or_default())
                ),
            )
            .to_string()
        })
        .unwrap_or_default();
    let salience = sh
        .map(|s| serde_name(serde_json::to_value(s.salience).unwrap_or_default()).replace('-', " "))
        .unwrap_or_default();
    let who = t(
        l,
        "who.line",
        &[
            ("name", name.clone()),
            (
                "domain",
                actor
                    .map(|a| i18n::text(l, &format!("domain.{}", a.domain)).to_string())
                    .filter(|s| !s.is_empty() && !s.starts_with("domain."))
                    .unwrap_or_else(|| actor.map(|a| a.domain.clone()).unwrap_or_default()),
            ),
            (
                "influence",
                text::dec2(l, actor.map_or(0.0, |a| a.influence)),
            ),
            ("interest", text::dec2(l, actor.map_or(0.0, |a| a.interest))),
            ("quadrant", quadrant),
            ("salience", salience),
            ("group", i18n::text(l, group_key).to_string()),
        ],
    );

    // Positions: per narrative the latest stance in the window (dated after undated), the
    // emphasis (number of stances) and the latest quote with its source.
    struct Pos<'b> {
        narrative: &'b str,
        latest: &'b vertoog_model::Stance,
        count: usize,
    }
    let mut per: BTreeMap<&str, Pos<'_>> = BTreeMap::new();
    for s in bundle
        .stances
        .iter()
        .filter(|s| s.actor == actor_id && window.contains(s.date))
    {
        let e = per.entry(s.narrative.as_str()).or_insert(Pos {
            narrative: s.narrative.as_str(),
            latest: s,
            count: 0,
        });
        e.count += 1;
        if (s.date, &s.id) >= (e.latest.date, &e.latest.id) {
            e.latest = s;
        }
    }
    let mut positions: Vec<&Pos<'_>> = per.values().collect();
    positions.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.narrative.cmp(b.narrative))
    });
    let quote_of = |s: &vertoog_model::Stance| -> String {
        let mut q = if s.quote.trim().is_empty() {
            tr(l, "quote.none").to_string()
        } else {
            format!("“{}”", s.quote.trim())
        };
        let src: Vec<String> = [
            (!s.source.trim().is_empty()).then(|| s.source.trim().to_string()),
            s.date.map(|d| text::date(l, d)),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !src.is_empty() {
            q.push_str(&format!(" ({})", src.join(", ")));
        }
        q
    };
    let (positions_table, positions_none) = if positions.is_empty() {
        (None, Some(t(l, "pos.none", &[("name", name.clone())])))
    } else {
        (
            Some(Table {
                // The section heading says it already.
                caption: String::new(),
                head: vec![
                    tr(l, "col.narrative").to_string(),
                    tr(l, "col.position").to_string(),
                    tr(l, "col.quote").to_string(),
                ],
                rows: positions
                    .iter()
                    .map(|p| {
                        vec![
                            names.narrative(p.narrative),
                            position_word(l, p.latest.position).to_string(),
                            quote_of(p.latest),
                        ]
                    })
                    .collect(),
                widths: vec![2.2, 1.2, 4.6],
            }),
            None,
        )
    };

    // Position over time: mean position on the core narratives of the stances dated each year.
    let core: std::collections::HashSet<&str> = bundle
        .narratives
        .iter()
        .filter(|n| n.core)
        .map(|n| n.id.as_str())
        .collect();
    let mut years: BTreeMap<i32, (f64, usize)> = BTreeMap::new();
    for s in bundle
        .stances
        .iter()
        .filter(|s| s.actor == actor_id && core.contains(s.narrative.as_str()))
    {
        if let Some(d) = s.date.filter(|d| window.contains(Some(*d))) {
            use chrono::Datelike;
            let e = years.entry(d.year()).or_insert((0.0, 0));
            e.0 += f64::from(s.position);
            e.1 += 1;
        }
    }
    let pts: Vec<Point> = years
        .iter()
        .map(|(y, (sum, n))| Point {
            label: y.to_string(),
            value: Some(sum / *n as f64),
        })
        .collect();
    let (over_time, over_time_text) = match pts.len() {
        0 => (None, tr(l, "over_time.none").to_string()),
        _ => {
            let (a, b) = (&pts[0], &pts[pts.len() - 1]);
            let text = t(
                l,
                "over_time.text",
                &[
                    ("a", text::signed1(l, a.value.unwrap_or(0.0))),
                    ("first", a.label.clone()),
                    ("b", text::signed1(l, b.value.unwrap_or(0.0))),
                    ("last", b.label.clone()),
                ],
            );
            let chart = (pts.len() >= 2).then(|| Chart {
                caption: tr(l, "fig.over_time").to_string(),
                points: pts,
                min: -2.0,
                max: 2.0,
                line: true,
            });
            (chart, text)
        }
    };

    // Coalition.
    let coalition = match analysis
        .coalitions
        .iter()
        .find(|c| c.members.iter().any(|m| m == actor_id))
    {
        Some(c) if c.members.len() >= 2 => {
            let influence: HashMap<&str, f64> = bundle
                .actors
                .iter()
                .map(|a| (a.id.as_str(), a.influence))
                .collect();
            let ct = coalition_text(c, &names, &influence, l);
            let story: Vec<String> = ct.sentences.iter().take(2).cloned().collect();
            t(
                l,
                "coalition.member",
                &[
                    ("name", name.clone()),
                    ("coalition", c.name.clone()),
                    ("story", story.join(" ")),
                ],
            )
        }
        _ => t(l, "coalition.none", &[("name", name.clone())]),
    };

    // Ties: the strongest five (not conflicts), and the conflicts.
    let mut mine: Vec<&vertoog_model::Tie> = bundle
        .ties
        .iter()
        .filter(|x| {
            (x.source == actor_id || x.target == actor_id) && x.active_in(window.from, window.to)
        })
        .collect();
    mine.sort_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| a.id.cmp(&b.id)));
    let other = |x: &vertoog_model::Tie| {
        if x.source == actor_id {
            names.actor(&x.target)
        } else {
            names.actor(&x.source)
        }
    };
    let strongest: Vec<String> = mine
        .iter()
        .filter(|x| x.kind != TieKind::Conflict)
        .take(5)
        .map(|x| {
            format!(
                "{} ({}, {})",
                other(x),
                x.kind.as_str(),
                text::dec2(l, x.weight)
            )
        })
        .collect();
    let conflicts: Vec<String> = mine
        .iter()
        .filter(|x| x.kind == TieKind::Conflict)
        .map(|x| other(x))
        .collect();
    let mut ties = Vec::new();
    if strongest.is_empty() && conflicts.is_empty() {
        ties.push(t(l, "ties.none", &[("name", name.clone())]));
    }
    if !strongest.is_empty() {
        ties.push(t(l, "ties.strongest", &[("list", strongest.join("; "))]));
    }
    if !conflicts.is_empty() {
        ties.push(t(
            l,
            "ties.conflicts",
            &[("list", text::list(l, &conflicts, 6))],
        ));
    }

    // Recommended: actions naming the actor as target or messenger.
    let mut recommended = Vec::new();
    for a in &analysis.actions {
        let kind = i18n::text(l, &format!("kind.{}", a.kind.as_str())).to_string();
        let effort = tr(l, &format!("effort.{}", a.effort.clamp(1, 3))).to_string();
        if a.targets.iter().any(|x| x == actor_id) {
            recommended.push(t(
                l,
                "rec.target",
                &[
                    ("action", action_phrase(a, &names, l)),
                    ("gain", text::gain(l, a.expected_gain)),
                    ("effort", effort),
                ],
            ));
        } else if a.messenger.as_deref() == Some(actor_id) {
            let targets: Vec<String> = a.targets.iter().map(|x| names.actor(x)).collect();
            recommended.push(t(
                l,
                "rec.messenger",
                &[
                    ("kind", kind),
                    ("name", name.clone()),
                    ("targets", text::list(l, &targets, 3)),
                    ("gain", text::gain(l, a.expected_gain)),
                    ("effort", effort),
                ],
            ));
        }
        recommended.dedup();
        if recommended.len() >= 3 {
            break;
        }
    }
    if recommended.is_empty() {
        recommended.push(t(l, "rec.none", &[("name", name.clone())]));
    }

    // Talking points: the transition's side is + on core narratives, and on the others the
    // sign of the supporters' mean position; ordered by the actor's emphasis.
    let supporters: std::collections::HashSet<&str> =
        tr_a.supporters.iter().map(String::as_str).collect();
    let mut side: HashMap<&str, f64> = HashMap::new();
    for n in &bundle.narratives {
        if n.core {
            side.insert(n.id.as_str(), 1.0);
        }
    }
    let mut sums: HashMap<&str, (f64, usize)> = HashMap::new();
    for s in bundle
        .stances
        .iter()
        .filter(|s| supporters.contains(s.actor.as_str()) && window.contains(s.date))
    {
        let e = sums.entry(s.narrative.as_str()).or_insert((0.0, 0));
        e.0 += f64::from(s.position);
        e.1 += 1;
    }
    for (n, (sum, c)) in sums {
        side.entry(n).or_insert_with(|| {
            let m = sum / c as f64;
            if m >= 0.5 {
                1.0
            } else if m <= -0.5 {
                -1.0
            } else {
                0.0
            }
        });
    }
    let mut build_on = Vec::new();
    let mut address = Vec::new();
    for p in &positions {
        let s = side.get(p.narrative).copied().unwrap_or(0.0);
        if s == 0.0 {
            continue;
        }
        let agree = f64::from(p.latest.position) * s;
        let label = format!("“{}”", names.narrative(p.narrative));
        if agree > 0.0 {
            build_on.push(label);
        } else {
            address.push(label);
        }
    }
    let mut talking_points = Vec::new();
    if !build_on.is_empty() {
        talking_points.push(t(l, "talk.build", &[("list", text::list(l, &build_on, 5))]));
    }
    if !address.is_empty() {
        talking_points.push(t(
            l,
            "talk.address",
            &[("list", text::list(l, &address, 5))],
        ));
    }
    if talking_points.is_empty() {
        talking_points.push(tr(l, "talk.none").to_string());
    }

    ActorBrief {
        header: header(bundle, opts, "title.actor", Some(name)),
        who,
        positions: positions_table,
        positions_none,
        over_time,
        over_time_text,
        coalition,
        ties,
        engagement: crate::engagement::actor(
            l,
            bundle,
            analysis,
            actor_id,
            engagement_today(bundle, &analysis.settings, window),
        ),
        engagement_absent: tr(l, "engagement.absent.actor").to_string(),
        recommended,
        talking_points,
    }
}
