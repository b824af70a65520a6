//! Input preparation: the time window, dense indices, positions p(a,n) and active ties
//! (docs/method.md sections 2 and 9, docs/interfaces.md §8 "Stance" and "Tie").
//!
//! Actors and narratives are indexed densely in id order (byte order), so every loop of the
//! analysis runs in id order and the output does not depend on the order of the bundle's lists.
//! Bad references are skipped here rather than reported (the bundle is validated by the model
//! crate before it reaches the analysis); nothing in this module panics on bad input.

use rustc_hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};
use vertoog_model::{Bundle, Date, TieKind};

/// The analysed time window `[from, to]`, both ends inclusive and optional (docs/method.md §10-11).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// `Window::default()` is the whole history: no bound on either side.
impl Window {
    /// Whether a stance with this date counts: undated always counts; a dated one counts
    /// when `from <= date <= to`.
    pub fn contains(&self, date: Option<Date>) -> bool {
        match date {
            None => true,
            Some(d) => self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d <= t),
        }
    }
}

/// What the analysis needs of an actor.
#[derive(Clone, Debug, PartialEq)]
pub struct ActorInfo {
    pub id: String,
    pub name: String,
    pub domain: String,
    /// Clamped to [0, 1]; a non-finite value counts as 0.
    pub influence: f64,
}

/// What the analysis needs of a narrative.
#[derive(Clone, Debug, PartialEq)]
pub struct NarrativeInfo {
    pub id: String,
    pub label: String,
    pub core: bool,
}

/// One tie that is active in the window, between dense actor indices `a < b`.
#[derive(Clone, Debug, PartialEq)]
pub struct ActiveTie {
    pub a: u32,
    pub b: u32,
    pub weight: f64,
    pub kind: TieKind,
    /// The tie's id in the bundle (evidence).
    pub id: String,
}

/// The map in the window, densely indexed. Built once per analysis.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// Actors sorted by id; index = dense actor index.
    pub actors: Vec<ActorInfo>,
    /// Narratives sorted by id; index = dense narrative index.
    pub narratives: Vec<NarrativeInfo>,
    /// Per actor, `(narrative, p(a,n))` sorted by narrative: the positions N(a).
    pub positions: Vec<Vec<(u32, i8)>>,
    /// Per narrative, `(actor, p(a,n))` sorted by actor.
    pub by_narrative: Vec<Vec<(u32, i8)>>,
    /// Active ties with known, distinct endpoints and a finite weight > 0, in bundle order.
    pub ties: Vec<ActiveTie>,
    /// Number of stances in the window (every statement, not only the most recent).
    pub stances_in_window: usize,
    /// The latest stance date, tie `since` or interaction date in the whole bundle (for the
    /// engagement date, `relationships`).
    pub(crate) latest_date: Option<Date>,
    /// Per actor, the date of its latest dated stance in the window on a known narrative.
    pub(crate) last_stance: Vec<Option<Date>>,
    actor_index: HashMap<String, u32>,
    narrative_index: HashMap<String, u32>,
}

impl Prepared {
    /// Prepares `bundle` for the window.
    ///
    /// p(a,n) is the actor's most recent stance on n in the window (docs/interfaces.md §8): stances are
    /// ordered by date with undated ones oldest; among stances with the same date the one with
    /// the larger stance id (byte order) wins, so the choice is deterministic. Positions are
    /// clamped to [-2, 2]. Duplicate actor or narrative ids keep their first occurrence.
    /// A tie counts when its [since, until] overlaps the window (`Tie::active_in`).
    pub fn new(bundle: &Bundle, window: Window) -> Self {
        let mut actors: Vec<ActorInfo> = bundle
            .actors
            .iter()
            .map(|a| ActorInfo {
                id: a.id.clone(),
                name: a.name.clone(),
                domain: a.domain.clone(),
                influence: if a.influence.is_finite() {
                    a.influence.clamp(0.0, 1.0)
                } else {
                    0.0
                },
            })
            .collect();
        // Stable sort keeps the first of duplicate ids first; dedup keeps it.
        actors.sort_by(|x, y| x.id.cmp(&y.id));
        actors.dedup_by(|later, earlier| later.id == earlier.id);
        let mut narratives: Vec<NarrativeInfo> = bundle
            .narratives
            .iter()
            .map(|n| NarrativeInfo {
                id: n.id.clone(),
                label: n.label.clone(),
                core: n.core,
            })
            .collect();
        narratives.sort_by(|x, y| x.id.cmp(&y.id));
        narratives.dedup_by(|later, earlier| later.id == earlier.id);

        let actor_index: HashMap<String, u32> = actors
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i as u32))
            .collect();
        let narrative_index: HashMap<String, u32> = narratives
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i as u32))
            .collect();

        let (cells, (ties, latest_date)) = rayon::join(
            || latest_positions(bundle, window, actors.len(), &actor_index, &narrative_index),
            || {
                let ties = active_ties(bundle, window, &actor_index);
                (ties, latest_date(bundle))
            },
        );
        let (positions, last_stance, stances_in_window) = cells;
        // In actor order: each narrative's list comes out sorted by actor.
        let mut by_narrative: Vec<Vec<(u32, i8)>> = vec![Vec::new(); narratives.len()];
        for (a, list) in positions.iter().enumerate() {
            for &(n, p) in list {
                by_narrative[n as usize].push((a as u32, p));
            }
        }

        Prepared {
            actors,
            narratives,
            positions,
            by_narrative,
            ties,
            stances_in_window,
            latest_date,
            last_stance,
            actor_index,
            narrative_index,
        }
    }

    /// Number of actors.
    pub fn n_actors(&self) -> usize {
        self.actors.len()
    }

    /// Dense index of an actor id.
    pub fn actor_index(&self, id: &str) -> Option<u32> {
        self.actor_index.get(id).copied()
    }

    /// Dense index of a narrative id.
    pub fn narrative_index(&self, id: &str) -> Option<u32> {
        self.narrative_index.get(id).copied()
    }

    /// p(a,n), when a has a position on n in the window.
    pub fn position(&self, a: u32, n: u32) -> Option<i8> {
        let list = self.positions.get(a as usize)?;
        list.binary_search_by_key(&n, |x| x.0)
            .ok()
            .map(|i| list[i].1)
    }

    /// The ids of a list of dense actor indices, in the same order.
    pub fn ids(&self, members: &[u32]) -> Vec<String> {
        members
            .iter()
            .map(|&i| self.actors[i as usize].id.clone())
            .collect()
    }
}

/// Stances at or above this many are read on all cores.
const PARALLEL_STANCES: usize = 1 << 15;

/// What [`latest_positions`] reads: positions and latest stance date per actor, stances in
/// the window.
type Latest = (Vec<Vec<(u32, i8)>>, Vec<Option<Date>>, usize);

/// Per actor, the most recent position on each narrative it has a stance on in the window,
/// sorted by narrative, and the date of its latest dated stance there; and how many stances
/// are in the window. "Most recent" is the larger
/// (date, stance id), undated oldest; of two stances with equal date and id (a bundle the
/// model would reject) the earlier in the bundle wins.
fn latest_positions(
    bundle: &Bundle,
    window: Window,
    n_actors: usize,
    actor_index: &HashMap<String, u32>,
    narrative_index: &HashMap<String, u32>,
) -> Latest {
    use rayon::prelude::*;
    use std::cmp::Reverse;
    /// (narrative, date, stance id, bundle position reversed), p; and the actor.
    type Keyed<'b> = ((u32, Option<Date>, &'b str, Reverse<usize>), i8);
    let resolve = |(k, s): (usize, &'_ vertoog_model::Stance)| {
        if !window.contains(s.date) {
            return None;
        }
        let a = *actor_index.get(s.actor.as_str())?;
        let n = *narrative_index.get(s.narrative.as_str())?;
        Some((a, k as u32, n))
    };
    let big = bundle.stances.len() >= PARALLEL_STANCES;
    // (actor, index in the bundle, narrative) of each stance that counts, in bundle order.
    let found: Vec<(u32, u32, u32)> = if big {
        bundle
            .stances
            .par_iter()
            .enumerate()
            .filter_map(resolve)
            .collect()
    } else {
        bundle
            .stances
            .iter()
            .enumerate()
            .filter_map(resolve)
            .collect()
    };
    // Grouped by actor (a counting sort), then each actor's stances sorted on their own.
    let mut start = vec![0usize; n_actors + 1];
    for &(a, ..) in &found {
        start[a as usize + 1] += 1;
    }
    for a in 0..n_actors {
        start[a + 1] += start[a];
    }
    let mut next = start.clone();
    let mut grouped: Vec<Keyed<'_>> = vec![((0, None, "", Reverse(0)), 0); found.len()];
    for &(a, k, n) in &found {
        let s = &bundle.stances[k as usize];
        grouped[next[a as usize]] = (
            (n, s.date, s.id.as_str(), Reverse(k as usize)),
            s.position.clamp(-2, 2),
        );
        next[a as usize] += 1;
    }
    let mut lists: Vec<&mut [Keyed<'_>]> = Vec::with_capacity(n_actors);
    let mut rest = &mut grouped[..];
    for a in 0..n_actors {
        let (list, tail) = std::mem::take(&mut rest).split_at_mut(start[a + 1] - start[a]);
        lists.push(list);
        rest = tail;
    }
    let latest = |list: &mut [Keyed<'_>]| -> (Vec<(u32, i8)>, Option<Date>) {
        list.sort_unstable_by(|x, y| x.0.cmp(&y.0));
        // The last of each narrative's run is the most recent.
        let mut out: Vec<(u32, i8)> = Vec::with_capacity(list.len());
        for (i, &((n, ..), p)) in list.iter().enumerate() {
            if list.get(i + 1).is_none_or(|x| x.0 .0 != n) {
                out.push((n, p));
            }
        }
        (out, list.iter().filter_map(|x| x.0 .1).max())
    };
    let (positions, last): (Vec<_>, Vec<_>) = if big {
        lists.into_par_iter().map(latest).unzip()
    } else {
        lists.into_iter().map(latest).unzip()
    };
    (positions, last, found.len())
}

/// The latest stance date, tie `since` or interaction date in the bundle.
pub(crate) fn latest_date(bundle: &Bundle) -> Option<Date> {
    let s = bundle.stances.iter().filter_map(|s| s.date).max();
    let t = bundle.ties.iter().filter_map(|t| t.since).max();
    let i = bundle.interactions.iter().map(|i| i.date).max();
    s.max(t).max(i)
}

/// The ties active in the window with known, distinct endpoints and a finite weight > 0, in
/// bundle order.
fn active_ties(
    bundle: &Bundle,
    window: Window,
    actor_index: &HashMap<String, u32>,
) -> Vec<ActiveTie> {
    let mut ties = Vec::new();
    for t in &bundle.ties {
        if !t.active_in(window.from, window.to) || !t.weight.is_finite() || t.weight <= 0.0 {
            continue;
        }
        let (Some(&s), Some(&d)) = (
            actor_index.get(t.source.as_str()),
            actor_index.get(t.target.as_str()),
        ) else {
            continue;
        };
        if s == d {
            continue;
        }
        ties.push(ActiveTie {
            a: s.min(d),
            b: s.max(d),
            weight: t.weight,
            kind: t.kind,
            id: t.id.clone(),
        });
    }
    ties
}

#[cfg(test)]
mod tests {
    use super::*;
    use vertoog_model::{Actor, Map, Narrative, Stance, Tie};

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn most_recent_stance_in_window_wins() {
        let mut b = Bundle::new(Map::new("m"));
        b.actors = vec![Actor::new("b", "B"), Actor::new("a", "A")];
        b.narratives = vec![Narrative::new("n", "N", true)];
        b.stances = vec![
            Stance::new("s1", "a", "n", 2), // undated: oldest
            Stance::new("s2", "a", "n", -1).dated(d("2020-01-01")),
            Stance::new("s3", "a", "n", 1).dated(d("2021-01-01")),
            Stance::new("s4", "b", "n", 1).dated(d("2020-05-05")),
            Stance::new("s5", "b", "n", -2).dated(d("2020-05-05")), // same date, larger id wins
            Stance::new("s6", "ghost", "n", 2),                     // unknown actor: skipped
        ];
        let p = Prepared::new(&b, Window::default());
        assert_eq!(p.actors[0].id, "a");
        assert_eq!(p.position(0, 0), Some(1));
        assert_eq!(p.position(1, 0), Some(-2));
        assert_eq!(p.stances_in_window, 5);
        let w = Window {
            from: None,
            to: Some(d("2020-12-31")),
        };
        let p = Prepared::new(&b, w);
        assert_eq!(p.position(0, 0), Some(-1));
        let w = Window {
            from: Some(d("2022-01-01")),
            to: None,
        };
        let p = Prepared::new(&b, w);
        assert_eq!(p.position(0, 0), Some(2), "only the undated stance is left");
        assert_eq!(p.position(1, 0), None);
        assert_eq!(p.by_narrative[0], vec![(0, 2)]);
    }

    #[test]
    fn positions_on_all_cores_equal_the_rule_stance_by_stance() {
        // Above and below the parallel threshold: many stances per (actor, narrative), equal
        // dates, undated ones, unknown actors and narratives, a window. The reference applies
        // the rule of `Prepared::new` one stance at a time.
        let mut r = crate::prng::SplitMix64::new(3);
        for (stances, from) in [
            (PARALLEL_STANCES + 5_000, None),
            (3_000, Some(d("2020-03-01"))),
        ] {
            let mut b = Bundle::new(Map::new("m"));
            b.actors = (0..300).map(|i| Actor::new(format!("a{i}"), "A")).collect();
            b.narratives = (0..30)
                .map(|i| Narrative::new(format!("n{i}"), "N", i < 5))
                .collect();
            for k in 0..stances {
                let mut s = Stance::new(
                    format!("s{}", r.below(stances as u64 / 2)),
                    format!("a{}", r.below(310)),
                    format!("n{}", r.below(32)),
                    r.below(7) as i8 - 3,
                );
                if k % 5 != 0 {
                    s = s.dated(d("2020-01-01") + chrono::Days::new(r.below(120)));
                }
                // Now and then the same stance id and date twice: the earlier counts.
                if k % 50 == 0 {
                    let mut twin = s.clone();
                    twin.position = -s.position - 1;
                    b.stances.push(s);
                    b.stances.push(twin);
                    continue;
                }
                b.stances.push(s);
            }
            let window = Window { from, to: None };
            let p = Prepared::new(&b, window);
            let mut latest: std::collections::BTreeMap<(u32, u32), (Option<Date>, String, i8)> =
                Default::default();
            let mut counted = 0;
            for s in &b.stances {
                let (Some(a), Some(n)) = (p.actor_index(&s.actor), p.narrative_index(&s.narrative))
                else {
                    continue;
                };
                if !window.contains(s.date) {
                    continue;
                }
                counted += 1;
                let cand = (s.date, s.id.clone(), s.position.clamp(-2, 2));
                let e = latest.entry((a, n)).or_insert(cand.clone());
                if (&cand.0, &cand.1) > (&e.0, &e.1) {
                    *e = cand;
                }
            }
            assert_eq!(p.stances_in_window, counted);
            let mut positions = vec![Vec::new(); p.n_actors()];
            let mut by_narrative = vec![Vec::new(); p.narratives.len()];
            for (&(a, n), (_, _, x)) in &latest {
                positions[a as usize].push((n, *x));
                by_narrative[n as usize].push((a, *x));
            }
            assert_eq!(p.positions, positions, "{stances} stances");
            assert_eq!(p.by_narrative, by_narrative);
            assert_eq!(p.latest_date, b.stances.iter().filter_map(|s| s.date).max());
        }
    }

    #[test]
    fn ties_filtered_by_window_and_sanity() {
        let mut b = Bundle::new(Map::new("m"));
        b.actors = vec![Actor::new("a", "A"), Actor::new("b", "B")];
        let mut old = Tie::new("t1", "b", "a", TieKind::Collaboration);
        old.until = Some(d("2019-12-31"));
        b.ties = vec![
            old,
            Tie::new("t2", "b", "a", TieKind::Conflict),
            Tie::new("t3", "a", "a", TieKind::Collaboration),
            Tie::new("t4", "a", "zz", TieKind::Collaboration),
        ];
        let p = Prepared::new(&b, Window::default());
        assert_eq!(p.ties.len(), 2);
        assert_eq!((p.ties[0].a, p.ties[0].b), (0, 1));
        let p = Prepared::new(
            &b,
            Window {
                from: Some(d("2020-01-01")),
                to: None,
            },
        );
        assert_eq!(p.ties.len(), 1);
        assert_eq!(p.ties[0].id, "t2");
    }
}
