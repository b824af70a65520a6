//! Coalition dynamics (dynamics.md): the coalitions per moving window, their lineages across
//! windows, the events between windows (born, ended, split, merge, joined, left, defected,
//! switched), and `diff(from, to)`, what changed between two dates.
//!
//! Pure like the rest of the crate: no I/O, no clock. The windows are independent and run in
//! parallel (rayon); the lineages and events are then derived in window order, so the result
//! does not depend on the number of threads.
//!
//! Decisions the spec leaves open (docs/decisions.md, "Dynamics"):
//! - coalitions of one present member carry no lineage (`"lineage": null`): a lineage is a
//!   group; an actor whose coalition shrinks to itself `left` its lineage;
//! - polarisation is computed for windows with at most [`POLARIZATION_MAX_ACTORS`] present
//!   actors (its search is quadratic per pass); above that it is null and a note says so;
//! - `born` events start at the second window (the first window's lineages are all new).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

use chrono::Months;
use rayon::prelude::*;
use serde::{Serialize, Serializer};
use serde_json::{json, Value};
use vertoog_model::{Bundle, Date, Settings};

use crate::analyse::{analyse_lang, Analysis};
use crate::coalitions::{detect_coalitions, storyline, StorylineEntry};
use crate::discourse::discourse_network;
use crate::dna::polarization::polarization;
use crate::dna::statements_from_bundle_by_id;
use crate::gaps::Gap;
use crate::graph::structural_graph;
use crate::i18n::Lang;
use crate::metrics::{
    alignment, classify, dominance, narrative_support, set_metrics, MetricInputs,
};
use crate::prepare::{Prepared, Window};
use crate::timeline::Period;

/// Jaccard similarity from which two coalitions of consecutive windows are the same lineage.
pub const MATCH_THRESHOLD: f64 = 0.3;
/// Polarisation is computed only for windows with at most this many present actors.
pub const POLARIZATION_MAX_ACTORS: usize = 1000;

/// The window length: a number of periods, or `all` (cumulative windows of docs/method.md §10-11).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowLength {
    Periods(u32),
    All,
}

impl WindowLength {
    /// dynamics.md's default: 12 months, 4 quarters or 2 years.
    pub fn default_for(period: Period) -> Self {
        WindowLength::Periods(match period {
            Period::Month => 12,
            Period::Quarter => 4,
            Period::Year => 2,
        })
    }

    /// `all` or a positive number of periods.
    pub fn parse(s: &str) -> Option<Self> {
        if s == "all" {
            return Some(WindowLength::All);
        }
        s.parse::<u32>()
            .ok()
            .filter(|&n| n > 0)
            .map(WindowLength::Periods)
    }
}

impl Serialize for WindowLength {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            WindowLength::Periods(n) => s.serialize_u32(*n),
            WindowLength::All => s.serialize_str("all"),
        }
    }
}

/// `dynamics --json` (dynamics.md "Interfaces").
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Dynamics {
    pub map: String,
    pub period: Period,
    pub window: WindowLength,
    pub windows: Vec<DynWindow>,
    pub lineages: Vec<Lineage>,
    /// In window order, and inside a window by type, then actor.
    pub events: Vec<Event>,
    pub notes: Vec<String>,
}

/// The four classes towards the transition among the actors present in a window.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Classes {
    pub supporters: Vec<String>,
    pub opponents: Vec<String>,
    pub undecided: Vec<String>,
    pub silent: Vec<String>,
}

/// One moving window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DynWindow {
    /// The label of the window's last period (`2024-Q3`).
    pub label: String,
    /// First day of the window; null for `--window all`.
    pub start: Option<Date>,
    /// Last day of the window (the period end t_k).
    pub end: Date,
    /// Actors with at least one stance in the window (undated stances included), by id.
    pub actors_present: Vec<String>,
    pub coalitions: Vec<DynCoalition>,
    pub modularity: Option<f64>,
    /// Strength of T in the window.
    pub strength: Option<f64>,
    /// T's metrics (docs/method.md §5).
    pub metrics: crate::metrics::Metrics,
    pub classes: Classes,
    pub dominance: BTreeMap<String, Option<f64>>,
    /// DNA's polarisation with k = 2; null with fewer than 2 present actors or above
    /// [`POLARIZATION_MAX_ACTORS`].
    pub polarization: Option<f64>,
    /// Whether the polarisation is exact (every balanced partition tried).
    pub polarization_exact: Option<bool>,
    /// Whether discourse cohesion (or the coalitions, above `max_pairs`) was estimated.
    pub approximate: bool,
}

/// A coalition of one window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DynCoalition {
    /// `c1`, `c2`, ... in the window: by size, then smallest member id.
    pub id: String,
    /// `L1`, ...; null for a coalition of one member.
    pub lineage: Option<String>,
    pub members: Vec<String>,
    pub storyline: Vec<StorylineEntry>,
}

/// The same coalition across consecutive windows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lineage {
    pub id: String,
    /// Label of the first and of the last window it is seen in.
    pub first: String,
    pub last: String,
    /// Member count per window from `first` to `last`.
    pub sizes: Vec<usize>,
}

/// Something that changed between window k-1 and window k.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    /// Label of window k.
    pub window: String,
    /// End date of window k.
    pub date: Date,
    #[serde(rename = "type")]
    pub kind: String,
    pub actor: Option<String>,
    /// A lineage (joined/left/defected/split) or class (switched) before.
    pub from: Option<String>,
    /// A lineage (joined/left/defected/merge) or class (switched) after.
    pub to: Option<String>,
    pub lineages: Vec<String>,
    pub evidence: Value,
}

/// The window ends t_1 < ... of docs/method.md §10-11: the period ends from the first dated stance to
/// the last. No dated stance: none.
pub fn period_ends(bundle: &Bundle, period: Period) -> Vec<Date> {
    let mut dates = bundle.stances.iter().filter_map(|s| s.date);
    let Some(d0) = dates.next() else {
        return Vec::new();
    };
    let (first, last) = dates.fold((d0, d0), |(lo, hi), d| (lo.min(d), hi.max(d)));
    let stop = period.end(last);
    let mut end = period.end(first);
    let mut out = vec![end];
    while end < stop {
        match end.succ_opt() {
            Some(next) => end = period.end(next),
            None => break,
        }
        out.push(end);
    }
    out
}

/// The first day of the window of `len` periods that ends on `end` (a period end).
pub fn window_start(period: Period, len: WindowLength, end: Date) -> Option<Date> {
    let WindowLength::Periods(n) = len else {
        return None;
    };
    let per = match period {
        Period::Month => 1,
        Period::Quarter => 3,
        Period::Year => 12,
    };
    period
        .start(end)
        .checked_sub_months(Months::new(per * (n - 1)))
}

/// One window computed in dense indices, before lineages.
struct Raw {
    win: DynWindow,
    /// Actor id → class name, for the present actors.
    class: HashMap<String, &'static str>,
    /// Core-narrative positions per present actor.
    core_positions: HashMap<String, BTreeMap<String, i8>>,
    /// Members (ids) per coalition.
    members: Vec<Vec<String>>,
}

fn class_name(groups: &crate::metrics::Alignment, a: u32) -> &'static str {
    if groups.supporters.binary_search(&a).is_ok() {
        "supporter"
    } else if groups.opponents.binary_search(&a).is_ok() {
        "opponent"
    } else if groups.undecided.binary_search(&a).is_ok() {
        "undecided"
    } else {
        "silent"
    }
}

fn compute_window(
    bundle: &Bundle,
    settings: &Settings,
    statements: &[crate::dna::Statement],
    period: Period,
    len: WindowLength,
    end: Date,
) -> Raw {
    let start = window_start(period, len, end);
    let prep = Prepared::new(
        bundle,
        Window {
            from: start,
            to: Some(end),
        },
    );
    let present: Vec<u32> = (0..prep.n_actors() as u32)
        .filter(|&a| !prep.positions[a as usize].is_empty())
        .collect();
    let is_present: Vec<bool> = prep.positions.iter().map(|p| !p.is_empty()).collect();
    let (discourse, structural) = rayon::join(
        || discourse_network(&prep, settings.max_pairs, settings.knn_k),
        || structural_graph(&prep),
    );
    let detected = detect_coalitions(&prep, &discourse, settings);
    let mut groups: Vec<Vec<u32>> = detected
        .coalitions
        .iter()
        .map(|c| {
            c.iter()
                .copied()
                .filter(|&a| is_present[a as usize])
                .collect::<Vec<u32>>()
        })
        .filter(|c| !c.is_empty())
        .collect();
    groups.sort_by(|x, y| y.len().cmp(&x.len()).then_with(|| x[0].cmp(&y[0])));

    let align = alignment(&prep);
    let cls = classify(&align, settings.threshold);
    let dom = dominance(&prep);
    let inputs = MetricInputs {
        prep: &prep,
        structural: &structural,
        discourse: &discourse,
        settings,
    };
    let (metrics, _, sampled) = set_metrics(&inputs, &cls.supporters, narrative_support(&dom));
    let only_present = |v: &[u32]| -> Vec<String> {
        prep.ids(
            &v.iter()
                .copied()
                .filter(|&a| is_present[a as usize])
                .collect::<Vec<u32>>(),
        )
    };
    let classes = Classes {
        supporters: prep.ids(&cls.supporters),
        opponents: prep.ids(&cls.opponents),
        undecided: prep.ids(&cls.undecided),
        silent: only_present(&cls.silent),
    };
    let (pol, pol_exact) = if present.len() < 2 || present.len() > POLARIZATION_MAX_ACTORS {
        (None, None)
    } else {
        match polarization(statements, 2, settings.seed, start, Some(end)) {
            Ok(r) => (Some(r.polarization), Some(r.exact)),
            Err(_) => (None, None),
        }
    };
    let mut class = HashMap::new();
    let mut core_positions = HashMap::new();
    for &a in &present {
        let id = prep.actors[a as usize].id.clone();
        class.insert(id.clone(), class_name(&cls, a));
        let core: BTreeMap<String, i8> = prep.positions[a as usize]
            .iter()
            .filter(|(n, _)| prep.narratives[*n as usize].core)
            .map(|&(n, p)| (prep.narratives[n as usize].id.clone(), p))
            .collect();
        core_positions.insert(id, core);
    }
    let members: Vec<Vec<String>> = groups.iter().map(|g| prep.ids(g)).collect();
    let coalitions = groups
        .iter()
        .zip(&members)
        .enumerate()
        .map(|(i, (g, m))| DynCoalition {
            id: format!("c{}", i + 1),
            lineage: None,
            members: m.clone(),
            storyline: storyline(&prep, g),
        })
        .collect();
    Raw {
        win: DynWindow {
            label: period.label(end),
            start,
            end,
            actors_present: prep.ids(&present),
            coalitions,
            modularity: detected.modularity,
            strength: metrics.strength,
            metrics,
            classes,
            dominance: dom
                .iter()
                .map(|(&n, d)| (prep.narratives[n as usize].id.clone(), *d))
                .collect(),
            polarization: pol,
            polarization_exact: pol_exact,
            approximate: sampled || !discourse.exact,
        },
        class,
        core_positions,
        members,
    }
}

/// Greedy one-to-one matching of dynamics.md between coalition member sets `prev` and `cur`
/// (ids), over the actors in `common`: pairs with Jaccard >= 0.3, highest first, ties by the
/// coalition indices (= ids). Returns (matches (prev, cur), all pairs >= 0.3 with their
/// similarity).
#[allow(clippy::type_complexity)]
pub fn match_coalitions(
    prev: &[Vec<String>],
    cur: &[Vec<String>],
    common: &BTreeSet<&str>,
) -> (Vec<(usize, usize)>, Vec<(usize, usize, f64)>) {
    fn restrict<'s>(sets: &'s [Vec<String>], common: &BTreeSet<&str>) -> Vec<BTreeSet<&'s str>> {
        sets.iter()
            .map(|s| {
                s.iter()
                    .map(String::as_str)
                    .filter(|a| common.contains(a))
                    .collect()
            })
            .collect()
    }
    let (p, c) = (restrict(prev, common), restrict(cur, common));
    let mut where_cur: HashMap<&str, usize> = HashMap::new();
    for (j, s) in c.iter().enumerate() {
        for a in s {
            where_cur.insert(a, j);
        }
    }
    let mut pairs = Vec::new();
    for (i, s) in p.iter().enumerate() {
        let mut inter: BTreeMap<usize, usize> = BTreeMap::new();
        for a in s {
            if let Some(&j) = where_cur.get(a) {
                *inter.entry(j).or_default() += 1;
            }
        }
        for (j, x) in inter {
            let union = s.len() + c[j].len() - x;
            let sim = x as f64 / union as f64;
            if sim >= MATCH_THRESHOLD {
                pairs.push((i, j, sim));
            }
        }
    }
    pairs.sort_by(|x, y| {
        y.2.total_cmp(&x.2)
            .then_with(|| x.0.cmp(&y.0))
            .then_with(|| x.1.cmp(&y.1))
    });
    let (mut used_p, mut used_c) = (BTreeSet::new(), BTreeSet::new());
    let mut matches = Vec::new();
    for &(i, j, _) in &pairs {
        if !used_p.contains(&i) && !used_c.contains(&j) {
            used_p.insert(i);
            used_c.insert(j);
            matches.push((i, j));
        }
    }
    (matches, pairs)
}

/// A split or merge found while matching: (window, kind, provisional lineage of the one
/// side, those of the other side, their similarities).
type StructuralEvent = (usize, &'static str, usize, Vec<usize>, Vec<f64>);

/// The dynamics of `bundle` (dynamics.md): windows of `len` periods ending at each period end.
pub fn dynamics(
    bundle: &Bundle,
    settings: &Settings,
    period: Period,
    len: WindowLength,
) -> Dynamics {
    let ends = period_ends(bundle, period);
    let statements = statements_from_bundle_by_id(bundle);
    let raws: Vec<Raw> = ends
        .par_iter()
        .map(|&end| compute_window(bundle, settings, &statements, period, len, end))
        .collect();

    // Lineages: provisional numbers in order of creation.
    struct Prov {
        birth: usize,
        first_member: String,
        last: usize,
        sizes: Vec<usize>,
    }
    let mut provs: Vec<Prov> = Vec::new();
    let mut lin: Vec<Vec<Option<usize>>> = Vec::with_capacity(raws.len());
    // (window, kind, provisional lineage of the one side, the others, similarities)
    let mut structural_events: Vec<StructuralEvent> = Vec::new();
    for (k, raw) in raws.iter().enumerate() {
        let eligible: Vec<usize> = (0..raw.members.len())
            .filter(|&i| raw.members[i].len() >= 2)
            .collect();
        let mut assigned: Vec<Option<usize>> = vec![None; raw.members.len()];
        if k > 0 {
            let prev = &raws[k - 1];
            let prev_elig: Vec<usize> = (0..prev.members.len())
                .filter(|&i| prev.members[i].len() >= 2)
                .collect();
            let present_now: BTreeSet<&str> =
                raw.win.actors_present.iter().map(String::as_str).collect();
            let common: BTreeSet<&str> = prev
                .win
                .actors_present
                .iter()
                .map(String::as_str)
                .filter(|a| present_now.contains(a))
                .collect();
            let p_sets: Vec<Vec<String>> =
                prev_elig.iter().map(|&i| prev.members[i].clone()).collect();
            let c_sets: Vec<Vec<String>> =
                eligible.iter().map(|&i| raw.members[i].clone()).collect();
            let (matches, pairs) = match_coalitions(&p_sets, &c_sets, &common);
            for (pi, ci) in matches {
                let l = lin[k - 1][prev_elig[pi]].expect("eligible coalitions carry lineages");
                assigned[eligible[ci]] = Some(l);
            }
            // Births first, so that split/merge can name the new lineages.
            for &ci in &eligible {
                if assigned[ci].is_none() {
                    provs.push(Prov {
                        birth: k,
                        first_member: raw.members[ci][0].clone(),
                        last: k,
                        sizes: Vec::new(),
                    });
                    assigned[ci] = Some(provs.len() - 1);
                }
            }
            for (pi, &p) in prev_elig.iter().enumerate() {
                let to: Vec<(usize, f64)> = pairs
                    .iter()
                    .filter(|x| x.0 == pi)
                    .map(|x| (eligible[x.1], x.2))
                    .collect();
                if to.len() >= 2 {
                    structural_events.push((
                        k,
                        "split",
                        lin[k - 1][p].unwrap_or(0),
                        to.iter().filter_map(|x| assigned[x.0]).collect(),
                        to.iter().map(|x| x.1).collect(),
                    ));
                }
            }
            for (ci, &c) in eligible.iter().enumerate() {
                let from: Vec<(usize, f64)> = pairs
                    .iter()
                    .filter(|x| x.1 == ci)
                    .map(|x| (prev_elig[x.0], x.2))
                    .collect();
                if from.len() >= 2 {
                    structural_events.push((
                        k,
                        "merge",
                        assigned[c].unwrap_or(0),
                        from.iter().filter_map(|x| lin[k - 1][x.0]).collect(),
                        from.iter().map(|x| x.1).collect(),
                    ));
                }
            }
        } else {
            for &ci in &eligible {
                provs.push(Prov {
                    birth: 0,
                    first_member: raw.members[ci][0].clone(),
                    last: 0,
                    sizes: Vec::new(),
                });
                assigned[ci] = Some(provs.len() - 1);
            }
        }
        for (ci, l) in assigned.iter().enumerate() {
            if let Some(l) = *l {
                provs[l].last = k;
                provs[l].sizes.push(raw.members[ci].len());
            }
        }
        lin.push(assigned);
    }
    let mut order: Vec<usize> = (0..provs.len()).collect();
    order.sort_by(|&a, &b| {
        (provs[a].birth, &provs[a].first_member).cmp(&(provs[b].birth, &provs[b].first_member))
    });
    let mut name = vec![String::new(); provs.len()];
    for (rank, &p) in order.iter().enumerate() {
        name[p] = format!("L{}", rank + 1);
    }
    let lineages: Vec<Lineage> = order
        .iter()
        .map(|&p| Lineage {
            id: name[p].clone(),
            first: raws[provs[p].birth].win.label.clone(),
            last: raws[provs[p].last].win.label.clone(),
            sizes: provs[p].sizes.clone(),
        })
        .collect();

    // Events.
    let mut events = Vec::new();
    for k in 1..raws.len() {
        let (prev, raw) = (&raws[k - 1], &raws[k]);
        let label = &raw.win.label;
        let date = raw.win.end;
        let mut ev = |kind: &str,
                      actor: Option<String>,
                      from: Option<String>,
                      to: Option<String>,
                      lineages: Vec<String>,
                      evidence: Value| {
            events.push(Event {
                window: label.clone(),
                date,
                kind: kind.to_string(),
                actor,
                from,
                to,
                lineages,
                evidence,
            });
        };
        for &p in &order {
            if provs[p].birth == k {
                ev(
                    "born",
                    None,
                    None,
                    None,
                    vec![name[p].clone()],
                    json!({"size": provs[p].sizes[0]}),
                );
            }
            if provs[p].last == k - 1 {
                ev(
                    "ended",
                    None,
                    None,
                    None,
                    vec![name[p].clone()],
                    json!({"size": provs[p].sizes.last().copied().unwrap_or(0)}),
                );
            }
        }
        for (w, kind, one, others, sims) in &structural_events {
            if *w != k {
                continue;
            }
            let others: Vec<String> = others.iter().map(|&l| name[l].clone()).collect();
            let (from, to, lineages) = if *kind == "split" {
                let mut ls = vec![name[*one].clone()];
                ls.extend(others.iter().cloned());
                (Some(name[*one].clone()), None, ls)
            } else {
                let mut ls = others.clone();
                ls.push(name[*one].clone());
                (None, Some(name[*one].clone()), ls)
            };
            ev(
                kind,
                None,
                from,
                to,
                lineages,
                json!({"similarities": sims, "with": others}),
            );
        }
        let lineage_of = |kk: usize, r: &Raw| -> HashMap<String, String> {
            let mut m = HashMap::new();
            for (ci, members) in r.members.iter().enumerate() {
                if let Some(l) = lin[kk][ci] {
                    for a in members {
                        m.insert(a.clone(), name[l].clone());
                    }
                }
            }
            m
        };
        let (before, after) = (lineage_of(k - 1, prev), lineage_of(k, raw));
        let mut actor_events = Vec::new();
        for a in &raw.win.actors_present {
            let was_present = prev.class.contains_key(a.as_str());
            // Built only for the actors with an event.
            let evidence = || {
                json!({
                    "before": prev.core_positions.get(a.as_str()),
                    "after": raw.core_positions.get(a.as_str()),
                })
            };
            let x = before.get(a.as_str()).cloned();
            let y = after.get(a.as_str()).cloned();
            match (&x, &y) {
                (Some(x), Some(y)) if x != y && was_present => actor_events.push((
                    "defected",
                    a.clone(),
                    Some(x.clone()),
                    Some(y.clone()),
                    vec![x.clone(), y.clone()],
                    evidence(),
                )),
                (None, Some(y)) => actor_events.push((
                    "joined",
                    a.clone(),
                    None,
                    Some(y.clone()),
                    vec![y.clone()],
                    evidence(),
                )),
                (Some(x), None) if was_present => actor_events.push((
                    "left",
                    a.clone(),
                    Some(x.clone()),
                    None,
                    vec![x.clone()],
                    evidence(),
                )),
                _ => {}
            }
            if let (Some(c0), Some(c1)) = (prev.class.get(a.as_str()), raw.class.get(a.as_str())) {
                if c0 != c1 {
                    actor_events.push((
                        "switched",
                        a.clone(),
                        Some(c0.to_string()),
                        Some(c1.to_string()),
                        y.iter().cloned().collect(),
                        evidence(),
                    ));
                }
            }
        }
        actor_events.sort_by(|x, y| (x.0, &x.1).cmp(&(y.0, &y.1)));
        for (kind, a, from, to, ls, evid) in actor_events {
            ev(kind, Some(a), from, to, ls, evid);
        }
    }

    // Lineage names into the coalitions.
    let mut windows: Vec<DynWindow> = Vec::with_capacity(raws.len());
    for (k, raw) in raws.into_iter().enumerate() {
        let mut w = raw.win;
        for (ci, c) in w.coalitions.iter_mut().enumerate() {
            c.lineage = lin[k][ci].map(|l| name[l].clone());
        }
        windows.push(w);
    }
    let mut notes = vec![
        "Undated stances and undated ties count in every window (analysis.md 9).".to_string(),
        "An actor without a stance in a window is absent from that window's coalitions, classes and polarisation.".to_string(),
        "Coalitions of one present member carry no lineage.".to_string(),
    ];
    if windows
        .iter()
        .any(|w| w.polarization.is_none() && w.actors_present.len() > POLARIZATION_MAX_ACTORS)
    {
        notes.push(format!(
            "Polarisation is not computed for windows with more than {POLARIZATION_MAX_ACTORS} present actors."
        ));
    }
    if windows.iter().any(|w| w.polarization_exact == Some(false)) {
        notes.push(
            "Polarisation above 16 present actors comes from a seeded local search (approximate)."
                .to_string(),
        );
    }
    if windows.is_empty() {
        notes.push("No dated stance: no windows.".to_string());
    }
    Dynamics {
        map: bundle.map.id.clone(),
        period,
        window: len,
        windows,
        lineages,
        events,
        notes,
    }
}

/// Before, after and the change (after - before; null when either is undefined).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub change: Option<f64>,
}

impl Change {
    fn of(before: Option<f64>, after: Option<f64>) -> Self {
        Change {
            before,
            after,
            change: before.zip(after).map(|(b, a)| a - b),
        }
    }
}

/// An actor whose class towards the transition changed (`supporter`, `opponent`,
/// `undecided`, `silent`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClassChange {
    pub actor: String,
    pub from: String,
    pub to: String,
}

/// An actor whose coalition (matched across the two dates as the lineages are) changed; a
/// coalition id of the `from` analysis, then one of the `to` analysis; null when none.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CoalitionMove {
    pub actor: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// `diff --json` (dynamics.md "Interfaces").
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diff {
    pub map: String,
    pub from: Date,
    pub to: Date,
    pub strength: Change,
    /// The components of strength: influence_share, breadth, discourse_cohesion,
    /// connectedness, narrative_support.
    pub components: BTreeMap<String, Change>,
    pub class_changes: Vec<ClassChange>,
    pub coalition_moves: Vec<CoalitionMove>,
    /// Tie ids current at `to` but not at `from` (a tie is current at d when since <= d <=
    /// until, open ends open).
    pub ties_added: Vec<String>,
    pub ties_removed: Vec<String>,
    /// Stances dated in (from, to].
    pub stances_added: usize,
    /// Gaps of the `to` analysis without a gap of the same type and subjects at `from`.
    pub gaps_opened: Vec<Gap>,
    /// Gaps of the `from` analysis without one of the same type and subjects at `to`.
    pub gaps_closed: Vec<Gap>,
    /// Plan items done in between (engagement.md); empty until plans are recorded.
    pub plan_done: Vec<Value>,
    pub notes: Vec<String>,
}

fn classes_of(a: &Analysis) -> BTreeMap<&str, &'static str> {
    let t = &a.transition;
    let mut m = BTreeMap::new();
    for (list, name) in [
        (&t.supporters, "supporter"),
        (&t.opponents, "opponent"),
        (&t.undecided, "undecided"),
        (&t.silent, "silent"),
    ] {
        for x in list {
            m.insert(x.as_str(), name);
        }
    }
    m
}

fn current_at(since: Option<Date>, until: Option<Date>, d: Date) -> bool {
    since.is_none_or(|s| s <= d) && until.is_none_or(|u| u >= d)
}

/// The difference between the cumulative analyses up to `from` and up to `to`.
pub fn diff(bundle: &Bundle, settings: &Settings, from: Date, to: Date, lang: Lang) -> Diff {
    let upto = |d: Date| Window {
        from: None,
        to: Some(d),
    };
    let (a, b) = rayon::join(
        || analyse_lang(bundle, settings, upto(from), lang),
        || analyse_lang(bundle, settings, upto(to), lang),
    );
    diff_of(bundle, &a, &b, from, to)
}

/// [`diff`] from the two analyses (`a` up to `from`, `b` up to `to`).
pub fn diff_of(bundle: &Bundle, a: &Analysis, b: &Analysis, from: Date, to: Date) -> Diff {
    let (ma, mb) = (&a.transition.metrics, &b.transition.metrics);
    let mut components = BTreeMap::new();
    components.insert(
        "influence_share".to_string(),
        Change::of(ma.influence_share, mb.influence_share),
    );
    components.insert("breadth".to_string(), Change::of(ma.breadth, mb.breadth));
    components.insert(
        "discourse_cohesion".to_string(),
        Change::of(ma.discourse_cohesion, mb.discourse_cohesion),
    );
    components.insert(
        "connectedness".to_string(),
        Change::of(ma.connectedness, mb.connectedness),
    );
    components.insert(
        "narrative_support".to_string(),
        Change::of(ma.narrative_support, mb.narrative_support),
    );
    let (ca, cb) = (classes_of(a), classes_of(b));
    let class_changes = cb
        .iter()
        .filter_map(|(actor, to)| {
            let from = ca.get(actor)?;
            (from != to).then(|| ClassChange {
                actor: actor.to_string(),
                from: from.to_string(),
                to: to.to_string(),
            })
        })
        .collect();

    let sets = |x: &Analysis| -> Vec<Vec<String>> {
        x.coalitions.iter().map(|c| c.members.clone()).collect()
    };
    let (sa, sb) = (sets(a), sets(b));
    let in_a: BTreeSet<&str> = sa.iter().flatten().map(String::as_str).collect();
    let common: BTreeSet<&str> = sb
        .iter()
        .flatten()
        .map(String::as_str)
        .filter(|x| in_a.contains(x))
        .collect();
    let (matches, _) = match_coalitions(&sa, &sb, &common);
    let matched: HashMap<usize, usize> = matches.into_iter().collect();
    let coalition_index = |sets: &[Vec<String>]| -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for (i, s) in sets.iter().enumerate() {
            for x in s {
                m.insert(x.clone(), i);
            }
        }
        m
    };
    let (ia, ib) = (coalition_index(&sa), coalition_index(&sb));
    let actors: BTreeSet<&String> = ia.keys().chain(ib.keys()).collect();
    let mut coalition_moves = Vec::new();
    for actor in actors {
        let x = ia.get(actor).copied();
        let y = ib.get(actor).copied();
        let same = match (x, y) {
            (Some(x), Some(y)) => matched.get(&x) == Some(&y),
            _ => false,
        };
        if !same {
            coalition_moves.push(CoalitionMove {
                actor: actor.clone(),
                from: x.map(|i| a.coalitions[i].id.clone()),
                to: y.map(|i| b.coalitions[i].id.clone()),
            });
        }
    }

    let mut ties_added = Vec::new();
    let mut ties_removed = Vec::new();
    for t in &bundle.ties {
        let (x, y) = (
            current_at(t.since, t.until, from),
            current_at(t.since, t.until, to),
        );
        if y && !x {
            ties_added.push(t.id.clone());
        } else if x && !y {
            ties_removed.push(t.id.clone());
        }
    }
    ties_added.sort();
    ties_removed.sort();
    let stances_added = bundle
        .stances
        .iter()
        .filter(|s| s.date.is_some_and(|d| d > from && d <= to))
        .count();
    let key = |g: &Gap| (g.kind.as_str(), g.subjects.clone());
    let ka: BTreeSet<_> = a.gaps.iter().map(key).collect();
    let kb: BTreeSet<_> = b.gaps.iter().map(key).collect();
    let gaps_opened = b
        .gaps
        .iter()
        .filter(|g| !ka.contains(&key(g)))
        .cloned()
        .collect();
    let gaps_closed = a
        .gaps
        .iter()
        .filter(|g| !kb.contains(&key(g)))
        .cloned()
        .collect();
    Diff {
        map: bundle.map.id.clone(),
        from,
        to,
        strength: Change::of(ma.strength, mb.strength),
        components,
        class_changes,
        coalition_moves,
        ties_added,
        ties_removed,
        stances_added,
        gaps_opened,
        gaps_closed,
        plan_done: Vec::new(),
        notes: vec![
            "Both sides are cumulative analyses: everything dated up to the date, undated data always.".to_string(),
            "plan_done stays empty: plans with done dates (engagement.md) are not recorded yet.".to_string(),
        ],
    }
}

fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{v:.1}"))
}

fn signed(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{v:+.1}"))
}

/// The readable report of `dynamics`: the series as a table, then the events, most recent
/// first.
pub fn dynamics_text(d: &Dynamics, lang: Lang) -> String {
    let nl = lang == Lang::Nl;
    let mut out = String::new();
    let window = match d.window {
        WindowLength::All => {
            if nl {
                "cumulatief".to_string()
            } else {
                "cumulative".to_string()
            }
        }
        WindowLength::Periods(n) => format!("{n} x {}", d.period.as_str()),
    };
    let _ = writeln!(
        out,
        "{} {} ({} {window})\n",
        if nl {
            "Coalitiedynamiek van"
        } else {
            "Coalition dynamics of"
        },
        d.map,
        if nl { "venster" } else { "window" }
    );
    let _ = writeln!(
        out,
        "{:<10} {:>8} {:>10} {:>8} {:>11} {:>8} {:>10}",
        if nl { "venster" } else { "window" },
        if nl { "actoren" } else { "actors" },
        if nl { "coalities" } else { "coalitions" },
        "Q",
        if nl { "sterkte" } else { "strength" },
        if nl { "voor" } else { "support" },
        if nl { "polarisatie" } else { "polarization" },
    );
    for w in &d.windows {
        let _ = writeln!(
            out,
            "{:<10} {:>8} {:>10} {:>8} {:>11} {:>8} {:>10}",
            w.label,
            w.actors_present.len(),
            w.coalitions.len(),
            w.modularity.map_or("-".to_string(), |q| format!("{q:.3}")),
            num(w.strength),
            w.classes.supporters.len(),
            w.polarization
                .map_or("-".to_string(), |q| format!("{q:.3}")),
        );
    }
    let _ = writeln!(
        out,
        "\n{}",
        if nl {
            "Gebeurtenissen (nieuwste eerst):"
        } else {
            "Events (most recent first):"
        }
    );
    if d.events.is_empty() {
        let _ = writeln!(out, "  {}", if nl { "geen" } else { "none" });
    }
    for e in d.events.iter().rev() {
        let kind = if nl {
            match e.kind.as_str() {
                "born" => "ontstaan",
                "ended" => "opgeheven",
                "split" => "gesplitst",
                "merge" => "samengegaan",
                "joined" => "toegetreden",
                "left" => "vertrokken",
                "defected" => "overgelopen",
                "switched" => "van klasse gewisseld",
                x => x,
            }
        } else {
            e.kind.as_str()
        };
        let mut line = format!("  {} {kind}", e.window);
        if let Some(a) = &e.actor {
            let _ = write!(line, " {a}");
        }
        if e.from.is_some() || e.to.is_some() {
            let _ = write!(
                line,
                ": {} -> {}",
                e.from.as_deref().unwrap_or("-"),
                e.to.as_deref().unwrap_or("-")
            );
        }
        if !e.lineages.is_empty() {
            let _ = write!(line, " [{}]", e.lineages.join(", "));
        }
        let _ = writeln!(out, "{line}");
    }
    for n in &d.notes {
        let _ = writeln!(out, "\n* {n}");
    }
    out
}

/// The readable report of `diff`.
pub fn diff_text(d: &Diff, lang: Lang) -> String {
    let nl = lang == Lang::Nl;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}: {} -> {}\n",
        if nl {
            "Wat veranderde in"
        } else {
            "What changed in"
        },
        d.map,
        d.from,
        d.to
    );
    let _ = writeln!(
        out,
        "{:<20} {:>8} {:>8} {:>8}",
        "",
        if nl { "voor" } else { "before" },
        if nl { "na" } else { "after" },
        if nl { "verschil" } else { "change" }
    );
    let mut row = |name: &str, c: &Change, scale: f64| {
        let s = |x: Option<f64>| x.map(|v| v * scale);
        let _ = writeln!(
            out,
            "{name:<20} {:>8} {:>8} {:>8}",
            num(s(c.before)),
            num(s(c.after)),
            signed(s(c.change))
        );
    };
    row(if nl { "sterkte" } else { "strength" }, &d.strength, 1.0);
    for (k, c) in &d.components {
        row(k, c, 100.0);
    }
    let _ = writeln!(
        out,
        "\n{}: {}",
        if nl {
            "Nieuwe standpunten"
        } else {
            "Stances added"
        },
        d.stances_added
    );
    let list = |v: &[String]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.join(", ")
        }
    };
    let _ = writeln!(
        out,
        "{}: {}",
        if nl { "Relaties erbij" } else { "Ties added" },
        list(&d.ties_added)
    );
    let _ = writeln!(
        out,
        "{}: {}",
        if nl { "Relaties weg" } else { "Ties removed" },
        list(&d.ties_removed)
    );
    let _ = writeln!(
        out,
        "\n{}:",
        if nl {
            "Klasse gewijzigd"
        } else {
            "Class changes"
        }
    );
    for c in &d.class_changes {
        let _ = writeln!(out, "  {}: {} -> {}", c.actor, c.from, c.to);
    }
    let _ = writeln!(
        out,
        "\n{}:",
        if nl {
            "Coalitiewisselingen"
        } else {
            "Coalition moves"
        }
    );
    for m in &d.coalition_moves {
        let _ = writeln!(
            out,
            "  {}: {} -> {}",
            m.actor,
            m.from.as_deref().unwrap_or("-"),
            m.to.as_deref().unwrap_or("-")
        );
    }
    for (title, gaps) in [
        (
            if nl { "Gaten geopend" } else { "Gaps opened" },
            &d.gaps_opened,
        ),
        (
            if nl { "Gaten gesloten" } else { "Gaps closed" },
            &d.gaps_closed,
        ),
    ] {
        let _ = writeln!(out, "\n{title}:");
        for g in gaps {
            let _ = writeln!(out, "  [{}] {}", g.kind.as_str(), g.message);
        }
    }
    for n in &d.notes {
        let _ = writeln!(out, "\n* {n}");
    }
    out
}
