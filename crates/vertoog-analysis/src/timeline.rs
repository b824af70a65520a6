//! The timeline (docs/method.md §10-11, docs/interfaces.md `timeline --json`): the transition coalition at
//! the end of each month, quarter or year from the first dated stance to the last, each
//! computed from everything dated up to that end (undated data always counts), cumulative.
//! The monitoring view of the note: monitor progress, use benchmarks.
//!
//! Per point only T is computed (alignment, dominance, T's metrics), not the coalitions, so a
//! timeline costs a few analyses' worth of T, not of everything. Discourse cohesion is summed
//! over the pairs of T directly (in the order `analyse` sums them, so the last point equals
//! `analyse` with `to` = its end exactly); when the map is above `max_pairs` (docs/method.md §14)
//! it is computed as `analyse` does there (pair merging, sampled above 10^6 pairs) and the
//! point says `approximate`.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{Datelike, Months};
use serde::{Deserialize, Serialize};
use vertoog_model::{Bundle, Date, Settings};

use crate::metrics::Metrics;
use crate::stakeholders::{targets_by_index, targets_met};

/// The length of a timeline period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Month,
    #[default]
    Quarter,
    Year,
}

impl Period {
    /// `month`, `quarter` or `year`.
    pub fn parse(s: &str) -> Option<Period> {
        match s {
            "month" => Some(Period::Month),
            "quarter" => Some(Period::Quarter),
            "year" => Some(Period::Year),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }

    /// The first day of the period that contains `d`.
    pub fn start(self, d: Date) -> Date {
        let (y, m) = (d.year(), d.month());
        let m0 = match self {
            Period::Month => m,
            Period::Quarter => (m - 1) / 3 * 3 + 1,
            Period::Year => 1,
        };
        Date::from_ymd_opt(y, m0, 1).unwrap_or(d)
    }

    /// The last day of the period that contains `d`.
    pub fn end(self, d: Date) -> Date {
        let months = match self {
            Period::Month => 1,
            Period::Quarter => 3,
            Period::Year => 12,
        };
        self.start(d)
            .checked_add_months(Months::new(months))
            .and_then(|x| x.pred_opt())
            .unwrap_or(d)
    }

    /// `2024`, `2024-Q3` or `2024-07`.
    pub fn label(self, d: Date) -> String {
        match self {
            Period::Month => format!("{:04}-{:02}", d.year(), d.month()),
            Period::Quarter => format!("{:04}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
            Period::Year => format!("{:04}", d.year()),
        }
    }
}

/// `{"map", "period", "points": [...]}` (docs/interfaces.md).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    pub map: String,
    pub period: Period,
    pub points: Vec<TimelinePoint>,
}

/// T at the end of one period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelinePoint {
    pub label: String,
    /// The last day of the period.
    pub end: Date,
    pub supporters: Vec<String>,
    pub opponents: Vec<String>,
    pub undecided: Vec<String>,
    pub silent: Vec<String>,
    pub metrics: Metrics,
    pub dominance: BTreeMap<String, Option<f64>>,
    /// Share of the engagement targets met (docs/method.md §12); null without targets.
    pub targets_met: Option<f64>,
    /// Whether discourse cohesion (and so strength) was estimated from a sample.
    pub approximate: bool,
}

/// The point of T at `end` (everything dated up to `end`, undated always): the T of
/// [`crate::effect::transition_at`], which the measured effect of plan items reads too.
fn point(bundle: &Bundle, settings: &Settings, period: Period, end: Date) -> TimelinePoint {
    let at = crate::effect::transition_at(bundle, settings, end);
    let prep = &at.prep;
    TimelinePoint {
        label: period.label(end),
        end,
        supporters: prep.ids(&at.groups.supporters),
        opponents: prep.ids(&at.groups.opponents),
        undecided: prep.ids(&at.groups.undecided),
        silent: prep.ids(&at.groups.silent),
        metrics: at.metrics,
        dominance: at
            .dominance
            .iter()
            .map(|(&n, d)| (prep.narratives[n as usize].id.clone(), *d))
            .collect(),
        targets_met: targets_met(&targets_by_index(bundle, prep), &at.align),
        approximate: at.approximate,
    }
}

/// The timeline of `bundle`: one point per period from the period of the first dated stance
/// to the period of the last, in time order, each ending on the period's last day. No dated
/// stance: no points.
pub fn timeline(bundle: &Bundle, settings: &Settings, period: Period) -> Timeline {
    let dates = bundle.stances.iter().filter_map(|s| s.date);
    let (first, last) = dates.fold((None::<Date>, None::<Date>), |(lo, hi), d| {
        (
            Some(lo.map_or(d, |x| x.min(d))),
            Some(hi.map_or(d, |x| x.max(d))),
        )
    });
    let mut points = Vec::new();
    if let (Some(first), Some(last)) = (first, last) {
        let stop = period.end(last);
        let mut end = period.end(first);
        loop {
            points.push(point(bundle, settings, period, end));
            if end >= stop {
                break;
            }
            match end.succ_opt() {
                Some(next) => end = period.end(next),
                None => break,
            }
        }
    }
    Timeline {
        map: bundle.map.id.clone(),
        period,
        points,
    }
}

fn cell(x: Option<f64>) -> String {
    x.map_or_else(String::new, |v| format!("{v}"))
}

/// The timeline as CSV: `label,end,strength,influence_share,breadth,discourse_cohesion,
/// connectedness,narrative_support,supporters,opponents,undecided,silent,targets_met`, the
/// four groups as counts; an undefined number is an empty cell.
pub fn timeline_csv(t: &Timeline) -> String {
    let mut out = String::from(
        "label,end,strength,influence_share,breadth,discourse_cohesion,connectedness,narrative_support,supporters,opponents,undecided,silent,targets_met\n",
    );
    for p in &t.points {
        let m = &p.metrics;
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{}",
            p.label,
            p.end,
            cell(m.strength),
            cell(m.influence_share),
            cell(m.breadth),
            cell(m.discourse_cohesion),
            cell(m.connectedness),
            cell(m.narrative_support),
            p.supporters.len(),
            p.opponents.len(),
            p.undecided.len(),
            p.silent.len(),
            cell(p.targets_met)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse;
    use crate::prepare::Window;
    use vertoog_model::{Actor, Map, Narrative, Stance, Tie, TieKind};

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn period_bounds_and_labels() {
        assert_eq!(Period::Month.end(d("2024-02-10")), d("2024-02-29"));
        assert_eq!(Period::Quarter.start(d("2024-08-10")), d("2024-07-01"));
        assert_eq!(Period::Quarter.end(d("2024-08-10")), d("2024-09-30"));
        assert_eq!(Period::Year.end(d("2024-08-10")), d("2024-12-31"));
        assert_eq!(Period::Month.label(d("2024-07-03")), "2024-07");
        assert_eq!(Period::Quarter.label(d("2024-07-03")), "2024-Q3");
        assert_eq!(Period::Year.label(d("2024-07-03")), "2024");
        assert_eq!(Period::parse("quarter"), Some(Period::Quarter));
        assert_eq!(Period::parse("week"), None);
    }

    /// a supports from the start (undated), b joins in March 2024, c in August 2024 (with a
    /// tie to a from then), d turns against in June 2024; targets: b aims at +2.
    fn dated() -> Bundle {
        let mut b = Bundle::new(Map::new("m"));
        let mut bb = Actor::new("b", "B").with_domain("vng");
        bb.target_position = Some(2);
        b.actors = vec![
            Actor::new("a", "A").with_domain("ministry"),
            bb,
            Actor::new("c", "C").with_domain("science"),
            Actor::new("d", "D").with_domain("municipality"),
        ];
        b.narratives = vec![
            Narrative::new("k", "K", true),
            Narrative::new("x", "X", false),
        ];
        b.stances = vec![
            Stance::new("s1", "a", "k", 2),
            Stance::new("s2", "a", "x", 1),
            Stance::new("s3", "b", "k", 1).dated(d("2024-03-15")),
            Stance::new("s4", "c", "k", 2).dated(d("2024-08-01")),
            Stance::new("s5", "c", "x", 1).dated(d("2024-08-01")),
            Stance::new("s6", "d", "k", -2).dated(d("2024-06-30")),
            Stance::new("s7", "b", "k", 2).dated(d("2024-09-01")),
        ];
        let mut t = Tie::new("t1", "a", "c", TieKind::Collaboration);
        t.since = Some(d("2024-08-01"));
        b.ties = vec![t, Tie::new("t2", "a", "b", TieKind::Communication)];
        b
    }

    #[test]
    fn timeline_grows_as_the_dates_say_and_ends_at_analyse() {
        let b = dated();
        let s = Settings::default();
        let tl = timeline(&b, &s, Period::Quarter);
        let labels: Vec<&str> = tl.points.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2024-Q1", "2024-Q2", "2024-Q3"]);
        let sup: Vec<usize> = tl.points.iter().map(|p| p.supporters.len()).collect();
        assert_eq!(sup, [2, 2, 3]);
        assert_eq!(tl.points[0].opponents.len(), 0);
        assert_eq!(tl.points[1].opponents, ["d"]);
        assert_eq!(tl.points[2].end, d("2024-09-30"));
        // b's target (+2 -> 1.0) is met only once b says +2 in September.
        let met: Vec<Option<f64>> = tl.points.iter().map(|p| p.targets_met).collect();
        assert_eq!(met, [Some(0.0), Some(0.0), Some(1.0)]);

        let months = timeline(&b, &s, Period::Month);
        assert_eq!(months.points.len(), 7); // March .. September
        assert_eq!(months.points[0].label, "2024-03");
        let years = timeline(&b, &s, Period::Year);
        assert_eq!(years.points.len(), 1);

        for tl in [&tl, &months, &years] {
            let last = tl.points.last().unwrap();
            let a = analyse(
                &b,
                &s,
                Window {
                    from: None,
                    to: Some(last.end),
                },
            );
            assert_eq!(last.metrics, a.transition.metrics);
            assert_eq!(last.supporters, a.transition.supporters);
            assert_eq!(last.dominance, a.transition.dominance);
            assert_eq!(last.targets_met, a.transition.targets_met);
        }
        // Every point equals analyse at its end.
        for p in &months.points {
            let a = analyse(
                &b,
                &s,
                Window {
                    from: None,
                    to: Some(p.end),
                },
            );
            assert_eq!(p.metrics, a.transition.metrics, "{}", p.label);
        }

        let csv = timeline_csv(&tl);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[0].starts_with("label,end,strength,influence_share"));
        assert!(lines[3].starts_with("2024-Q3,2024-09-30,"));
        assert!(lines[3].ends_with(",3,1,0,0,1"), "{}", lines[3]);
        let json = serde_json::to_value(&tl).unwrap();
        assert_eq!(json["period"], "quarter");
        assert!(json["points"][0]["metrics"]["strength"].is_number());
    }

    #[test]
    fn no_dates_no_points() {
        let mut b = dated();
        for s in &mut b.stances {
            s.date = None;
        }
        assert!(timeline(&b, &Settings::default(), Period::Month)
            .points
            .is_empty());
    }
}
