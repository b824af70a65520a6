//! Plans: several actions together (docs/method.md §9).
//!
//! Single-action gains do not add up (two convenes across the same bridge overlap), so a plan
//! is simulated as one: the changes of every chosen action are applied, in action-id order
//! (a1 before a2 before a10: the order of the analysis' action list), to one copy, where a
//! later change to the same tie (the unordered pair of actors) or the same stance (actor,
//! narrative) replaces the earlier one ([`joint_changes`]). The copy is the fast path of
//! section 8 ([`crate::simulation::simulate`]): only T's metrics are recomputed.
//!
//! - [`simulate_plan`]: any chosen set of actions; each step is the plan up to that action
//!   (in action-id order), with its marginal gain and the strength after it.
//! - [`best_plan`]: the best plan within an effort budget B (sum of efforts <= B): greedy,
//!   one action per round, each round adding the candidate with the highest marginal gain per
//!   unit of effort, simulated on the copy that holds the actions chosen so far; candidates
//!   are the analysis' actions with a simulated gain (`expected_gain` not null); stop when no
//!   candidate fits the remaining budget or none has a marginal gain > [`GAIN_EPSILON`].
//!   Ties (ratios within 1e-12) go to the smaller action id.
//!
//! Each step also carries what the UI highlights ([`Effects`]): the actors whose alignment
//! group changes with that step, and the ties the step adds.
//!
//! Pure and deterministic: the rounds' simulations run in parallel, but every result is
//! compared in a fixed order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::actions::{Action, GAIN_EPSILON};
use crate::changes::Change;
use crate::context::Context;
use crate::i18n::Lang;
use crate::metrics::Alignment;
use crate::simulation::{simulate, SimBase};

/// The budget of `best_plan` in `analyse --json` (docs/method.md §9: default 6).
pub const DEFAULT_BUDGET: u32 = 6;

/// Ratios of marginal gain per effort closer than this are a tie (broken by action id).
const TIE: f64 = 1e-12;

/// One actor whose alignment group changes: `supporter`, `opponent`, `undecided`, `silent`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorMove {
    pub actor: String,
    pub from: String,
    pub to: String,
}

/// What a step changes that the UI can highlight (beyond docs/method.md §9).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Effects {
    /// Actors whose alignment group changes (by id).
    pub actors_moved: Vec<ActorMove>,
    /// Ties added, as `[a, b]` with a < b, sorted.
    pub ties_added: Vec<[String; 2]>,
    /// Actors whose stance on some narrative is set (by id, sorted).
    pub stances_set: Vec<String>,
}

/// One step of a plan: `{"action", "marginal_gain", "strength_after"}` (docs/method.md §9), plus
/// the action's effort, its single gain and the step's effects.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanStep {
    pub action: String,
    /// strength after this step - strength before it (on the copy holding the earlier steps).
    pub marginal_gain: f64,
    /// The plan's strength of T after this step.
    pub strength_after: f64,
    pub effort: u8,
    /// The action's own expected gain (null when it has none).
    pub single_gain: Option<f64>,
    pub effects: Effects,
}

/// `best_plan` of `analyse --json`: `{"budget", "steps", "plan_gain", "sum_of_single_gains"}`
/// plus the effort used, the strength before and after, and the plan's whole effects.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BestPlan {
    pub budget: u32,
    pub steps: Vec<PlanStep>,
    /// strength after the whole plan - strength now (0 for an empty plan).
    pub plan_gain: f64,
    /// Σ of the chosen actions' single expected gains: how much they overlap is
    /// `sum_of_single_gains - plan_gain`.
    pub sum_of_single_gains: f64,
    /// Σ of the chosen actions' efforts (<= budget).
    pub effort: u32,
    pub strength_before: Option<f64>,
    pub strength_after: Option<f64>,
    /// Everything the whole plan changes (now vs after the last step).
    pub effects: Effects,
}

/// The answer of `POST .../plan/simulate`: `{"plan_gain", "strength_before",
/// "strength_after", "steps"}` (docs/method.md §9), plus the chosen actions, their single gains'
/// sum, effort and effects.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanSimulation {
    /// The chosen action ids, in action-id order, each once.
    pub actions: Vec<String>,
    /// null when the strength is undefined before or after.
    pub plan_gain: Option<f64>,
    pub strength_before: Option<f64>,
    pub strength_after: Option<f64>,
    pub steps: Vec<PlanStep>,
    pub sum_of_single_gains: f64,
    pub effort: u32,
    pub effects: Effects,
}

/// Ids given to [`simulate_plan`] that the analysis has no action for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown action(s): {}", .0.join(", "))]
pub struct UnknownActions(pub Vec<String>);

fn change_key(c: &Change) -> (u8, String, String) {
    match c {
        Change::SetStance {
            actor, narrative, ..
        } => (0, actor.clone(), narrative.clone()),
        Change::AddTie { source, target, .. } | Change::RemoveTie { source, target } => {
            let (a, b) = if source <= target {
                (source, target)
            } else {
                (target, source)
            };
            (1, a.clone(), b.clone())
        }
        Change::AddActor { id, .. } => (2, id.clone(), String::new()),
    }
}

/// The joint changes of `actions` (given in action-id order): every action's changes in turn;
/// a later change to the same tie or stance replaces the earlier one (in its place).
pub fn joint_changes<'a>(actions: impl IntoIterator<Item = &'a Action>) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    let mut at: BTreeMap<(u8, String, String), usize> = BTreeMap::new();
    for a in actions {
        for c in &a.changes {
            let k = change_key(c);
            match at.get(&k) {
                Some(&i) => out[i] = c.clone(),
                None => {
                    at.insert(k, out.len());
                    out.push(c.clone());
                }
            }
        }
    }
    out
}

/// Group label per actor index.
fn group_labels(n: usize, g: &Alignment) -> Vec<&'static str> {
    let mut out = vec!["silent"; n];
    for &a in &g.supporters {
        out[a as usize] = "supporter";
    }
    for &a in &g.opponents {
        out[a as usize] = "opponent";
    }
    for &a in &g.undecided {
        out[a as usize] = "undecided";
    }
    out
}

/// One state of the copy: its strength and groups.
struct State {
    strength: Option<f64>,
    groups: Vec<&'static str>,
}

fn state_after(ctx: &Context<'_>, base: &SimBase, changes: &[Change]) -> Option<State> {
    let sim = simulate(ctx, base, changes).ok()?;
    Some(State {
        strength: sim.metrics.strength,
        groups: group_labels(ctx.prep.n_actors(), &sim.groups),
    })
}

fn effects(ctx: &Context<'_>, before: &State, after: &State, changes: &[&Change]) -> Effects {
    let prep = &ctx.prep;
    let actors_moved = before
        .groups
        .iter()
        .zip(&after.groups)
        .enumerate()
        .filter(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| ActorMove {
            actor: prep.actors[i].id.clone(),
            from: (*x).to_string(),
            to: (*y).to_string(),
        })
        .collect();
    let mut ties_added: Vec<[String; 2]> = Vec::new();
    let mut stances_set: Vec<String> = Vec::new();
    for c in changes {
        match c {
            Change::AddTie { source, target, .. } => {
                let t = if source <= target {
                    [source.clone(), target.clone()]
                } else {
                    [target.clone(), source.clone()]
                };
                ties_added.push(t);
            }
            Change::SetStance { actor, .. } => stances_set.push(actor.clone()),
            _ => {}
        }
    }
    ties_added.sort();
    ties_added.dedup();
    stances_set.sort();
    stances_set.dedup();
    Effects {
        actors_moved,
        ties_added,
        stances_set,
    }
}

fn now_state(ctx: &Context<'_>, strength: Option<f64>) -> State {
    State {
        strength,
        groups: group_labels(ctx.prep.n_actors(), &ctx.groups),
    }
}

/// The plan of the actions `chosen` (indices into `actions`, ascending) as steps:
/// each step the plan up to that action. Also returns the final state.
fn steps_of(
    ctx: &Context<'_>,
    base: &SimBase,
    actions: &[Action],
    strength: Option<f64>,
    chosen: &[usize],
) -> (Vec<PlanStep>, State) {
    let mut prev = now_state(ctx, strength);
    let mut steps = Vec::new();
    for k in 0..chosen.len() {
        let a = &actions[chosen[k]];
        let changes = joint_changes(chosen[..=k].iter().map(|&i| &actions[i]));
        let Some(next) = state_after(ctx, base, &changes) else {
            continue;
        };
        let marginal = match (next.strength, prev.strength) {
            (Some(x), Some(y)) => x - y,
            _ => 0.0,
        };
        steps.push(PlanStep {
            action: a.id.clone(),
            marginal_gain: marginal,
            strength_after: next.strength.unwrap_or(0.0),
            effort: a.effort,
            single_gain: a.expected_gain,
            effects: effects(ctx, &prev, &next, &a.changes.iter().collect::<Vec<_>>()),
        });
        prev = next;
    }
    (steps, prev)
}

/// Simulates the actions `ids` of `actions` (the analysis' actions) together; `strength` is T's strength now (module doc). Duplicates count once;
/// the order given does not matter. Unknown ids are an error naming all of them.
pub fn simulate_plan(
    ctx: &Context<'_>,
    actions: &[Action],
    strength: Option<f64>,
    ids: &[String],
) -> Result<PlanSimulation, UnknownActions> {
    let unknown: Vec<String> = ids
        .iter()
        .filter(|id| !actions.iter().any(|a| &a.id == *id))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(UnknownActions(unknown));
    }
    let chosen: Vec<usize> = (0..actions.len())
        .filter(|&i| ids.contains(&actions[i].id))
        .collect();
    let base = SimBase::new(ctx);
    let now = now_state(ctx, strength);
    let (steps, last) = steps_of(ctx, &base, actions, strength, &chosen);
    let all: Vec<Change> = joint_changes(chosen.iter().map(|&i| &actions[i]));
    let before = now.strength;
    let after = last.strength;
    Ok(PlanSimulation {
        actions: chosen.iter().map(|&i| actions[i].id.clone()).collect(),
        plan_gain: match (after, before) {
            (Some(x), Some(y)) => Some(x - y),
            _ => None,
        },
        strength_before: before,
        strength_after: after,
        sum_of_single_gains: chosen
            .iter()
            .filter_map(|&i| actions[i].expected_gain)
            .sum(),
        effort: chosen.iter().map(|&i| u32::from(actions[i].effort)).sum(),
        effects: effects(ctx, &now, &last, &all.iter().collect::<Vec<_>>()),
        steps,
    })
}

/// The best plan within `budget` (module doc). `actions` and `strength` must be those of the analysis of `ctx`.
pub fn best_plan(
    ctx: &Context<'_>,
    actions: &[Action],
    strength: Option<f64>,
    budget: u32,
) -> BestPlan {
    best_plan_with(ctx, &SimBase::new(ctx), actions, strength, budget)
}

/// [`best_plan`] on a [`SimBase`] of `ctx` made by the caller (the analysis shares one with
/// the actions).
pub(crate) fn best_plan_with(
    ctx: &Context<'_>,
    base: &SimBase,
    actions: &[Action],
    strength: Option<f64>,
    budget: u32,
) -> BestPlan {
    let now = now_state(ctx, strength);
    let mut plan = BestPlan {
        budget,
        strength_before: now.strength,
        strength_after: now.strength,
        ..BestPlan::default()
    };
    let Some(before) = now.strength else {
        return plan;
    };
    let mut chosen: Vec<usize> = Vec::new();
    let mut left = budget;
    let mut current = now;
    loop {
        let cands: Vec<usize> = (0..actions.len())
            .filter(|&i| {
                !chosen.contains(&i)
                    && actions[i].expected_gain.is_some()
                    && !actions[i].changes.is_empty()
                    && u32::from(actions[i].effort) <= left
            })
            .collect();
        if cands.is_empty() {
            break;
        }
        let results: Vec<Option<State>> = {
            use rayon::prelude::*;
            cands
                .par_iter()
                .map(|&c| {
                    let mut with = chosen.clone();
                    with.push(c);
                    with.sort_unstable();
                    let changes = joint_changes(with.iter().map(|&i| &actions[i]));
                    state_after(ctx, base, &changes)
                })
                .collect()
        };
        let cur = current.strength.unwrap_or(before);
        let mut best: Option<(usize, f64, f64, State)> = None;
        for (&c, st) in cands.iter().zip(results) {
            let Some(st) = st else { continue };
            let Some(s) = st.strength else { continue };
            let gain = s - cur;
            let ratio = gain / f64::from(actions[c].effort.max(1));
            if best.as_ref().is_none_or(|b| ratio > b.2 + TIE) {
                best = Some((c, gain, ratio, st));
            }
        }
        let Some((c, gain, _, st)) = best else { break };
        if gain <= GAIN_EPSILON {
            break;
        }
        let a = &actions[c];
        plan.steps.push(PlanStep {
            action: a.id.clone(),
            marginal_gain: gain,
            strength_after: st.strength.unwrap_or(cur),
            effort: a.effort,
            single_gain: a.expected_gain,
            effects: effects(ctx, &current, &st, &a.changes.iter().collect::<Vec<_>>()),
        });
        chosen.push(c);
        left -= u32::from(a.effort);
        current = st;
    }
    chosen.sort_unstable();
    let all = joint_changes(chosen.iter().map(|&i| &actions[i]));
    let start = now_state(ctx, strength);
    plan.effects = effects(ctx, &start, &current, &all.iter().collect::<Vec<_>>());
    plan.strength_after = current.strength;
    plan.plan_gain = current.strength.map_or(0.0, |s| s - before);
    plan.sum_of_single_gains = chosen
        .iter()
        .filter_map(|&i| actions[i].expected_gain)
        .sum();
    plan.effort = chosen.iter().map(|&i| u32::from(actions[i].effort)).sum();
    plan
}

/// The plan item that adopting `action` creates (engagement: adopting `aN`): its kind,
/// targets, messenger, narrative and rationale, and, copied now and never recomputed, the
/// strength of T (`strength`) and the action's expected gain. The title is the action's kind
/// and its targets' names in `lang` (e.g. "Brief: Gemeente Utrecht"). The id is left empty
/// for the store to assign; status `planned`, adopted on `adopted_on`.
pub fn adopt(
    action: &Action,
    strength: Option<f64>,
    bundle: &vertoog_model::Bundle,
    lang: Lang,
    adopted_on: vertoog_model::Date,
) -> vertoog_model::PlanItem {
    let name = |id: &String| {
        bundle
            .actors
            .iter()
            .find(|a| &a.id == id)
            .map_or_else(|| id.clone(), |a| a.name.clone())
    };
    let kind = action.kind.as_str();
    let label = crate::i18n::text(lang, &format!("kind.{kind}"));
    let targets: Vec<String> = action.targets.iter().map(name).collect();
    let mut title = if targets.is_empty() {
        label.to_string()
    } else {
        format!("{label}: {}", targets.join(", "))
    };
    if title.chars().count() > 200 {
        title = title.chars().take(199).collect::<String>() + "…";
    }
    let mut item = vertoog_model::PlanItem::new("", title, adopted_on);
    item.kind = kind.to_string();
    item.targets = action.targets.clone();
    item.messenger = action.messenger.clone();
    item.narrative = action.narrative.clone();
    item.strength_at_adoption = strength;
    item.simulated_gain = action.expected_gain;
    item.rationale = action.rationale.clone();
    item
}

/// The plan paragraph of the text report (both languages): the steps with their marginal
/// gains, and the plan's gain beside the sum of the single gains.
pub fn report_lines(plan: &BestPlan, lang: Lang) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let nl = lang == Lang::Nl;
    let _ = writeln!(
        out,
        "\n== {} (budget {}) ==",
        if nl { "Beste plan" } else { "Best plan" },
        plan.budget
    );
    if plan.steps.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            if nl {
                "Geen combinatie van acties binnen het budget versterkt de coalitie."
            } else {
                "No combination of actions within the budget strengthens the coalition."
            }
        );
        return out;
    }
    for (i, s) in plan.steps.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}. {}: {} {:+.1}, {} {:.1} ({} {})",
            i + 1,
            s.action,
            if nl {
                "marginale winst"
            } else {
                "marginal gain"
            },
            s.marginal_gain,
            if nl {
                "sterkte daarna"
            } else {
                "strength after"
            },
            s.strength_after,
            if nl { "inspanning" } else { "effort" },
            s.effort
        );
    }
    let _ = writeln!(
        out,
        "{} {:+.1} {} {}; {} {:+.1} ({}).",
        if nl {
            "Het plan samen:"
        } else {
            "The plan together:"
        },
        plan.plan_gain,
        if nl { "voor inspanning" } else { "for effort" },
        plan.effort,
        if nl {
            "de losse winsten opgeteld"
        } else {
            "the single gains added up"
        },
        plan.sum_of_single_gains,
        if nl {
            "het verschil is hun overlap"
        } else {
            "the difference is their overlap"
        }
    );
    out
}
