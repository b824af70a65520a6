//! Hypothetical changes (docs/interfaces.md "What-if changes"): their JSON shape, their validation
//! against a map, and their application to a copy of the bundle. Both the what-if operation
//! ([`crate::whatif`]) and the simulation of an action's gain ([`crate::simulation`]) give
//! every change the same meaning:
//! Meaning of the changes:
//! - `add_tie`: a new undated tie (active in every window), directed by its kind's default;
//! - `remove_tie`: removes every tie between the two actors, of every kind and direction;
//! - `set_stance`: p(actor, narrative) becomes `position` in the window: the actor's stances on
//!   the narrative inside the window are replaced by one stance dated like the latest of them
//!   (undated when none was dated);
//! - `add_actor`: a new actor without stances or ties (domain default `other`, influence
//!   default 0.5).

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use vertoog_model::{validate_actor, validate_tie, Actor, Bundle, Date, Stance, Tie, TieKind};

use crate::prepare::Window;

fn half() -> f64 {
    0.5
}
fn other_domain() -> String {
    "other".to_string()
}

/// One hypothetical change (docs/interfaces.md): `{"op": "add_tie", ...}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// A new tie (kind default `collaboration`, weight default 0.5).
    AddTie {
        source: String,
        target: String,
        #[serde(default)]
        kind: TieKind,
        #[serde(default = "half")]
        weight: f64,
    },
    /// Removes every tie between the two actors.
    RemoveTie { source: String, target: String },
    /// p(actor, narrative) becomes `position` (-2..2).
    SetStance {
        actor: String,
        narrative: String,
        position: i64,
    },
    /// A new actor without stances or ties.
    AddActor {
        id: String,
        name: String,
        #[serde(default = "other_domain")]
        domain: String,
        #[serde(default = "half")]
        influence: f64,
    },
}

impl Change {
    /// The `op` name of docs/interfaces.md.
    pub fn op(&self) -> &'static str {
        match self {
            Change::AddTie { .. } => "add_tie",
            Change::RemoveTie { .. } => "remove_tie",
            Change::SetStance { .. } => "set_stance",
            Change::AddActor { .. } => "add_actor",
        }
    }
}

/// The CLI file and the API body: `{"changes": [...]}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Changes {
    pub changes: Vec<Change>,
}

/// A change that cannot be applied: which one (0-based index in the list), its op, the field
/// and why. Displays as `changes[2].position (set_stance): 5 is outside -2..2`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("changes[{index}].{field} ({op}): {message}")]
pub struct ChangeError {
    pub index: usize,
    pub op: String,
    pub field: String,
    pub message: String,
}

fn err(index: usize, change: &Change, field: &str, message: impl Into<String>) -> ChangeError {
    ChangeError {
        index,
        op: change.op().to_string(),
        field: field.to_string(),
        message: message.into(),
    }
}

/// Checks the changes in order against the bundle (and the actors and ties earlier changes
/// add or remove): unknown ids, a position outside -2..2, a self-tie, a weight outside (0, 1],
/// a duplicate or invalid new actor, removing a tie that does not exist.
pub fn validate_changes(bundle: &Bundle, changes: &[Change]) -> Result<(), ChangeError> {
    let actors: HashSet<&str> = bundle.actors.iter().map(|a| a.id.as_str()).collect();
    let narratives: HashSet<&str> = bundle.narratives.iter().map(|n| n.id.as_str()).collect();
    validate_with(
        bundle,
        |a| actors.contains(a),
        |n| narratives.contains(n),
        changes,
    )
}

/// [`validate_changes`] with the id look-ups given (the fast path uses the prepared indices).
pub(crate) fn validate_with<'c>(
    bundle: &Bundle,
    known_actor: impl Fn(&str) -> bool,
    known_narrative: impl Fn(&str) -> bool,
    changes: &'c [Change],
) -> Result<(), ChangeError> {
    let mut added: HashSet<&'c str> = HashSet::new();
    let has_actor = |id: &str, added: &HashSet<&str>| known_actor(id) || added.contains(id);
    // Pairs whose presence an earlier change decided (true = a tie exists).
    let mut pair_state: HashMap<(String, String), bool> = HashMap::new();
    let key = |a: &str, b: &str| {
        if a <= b {
            (a.to_string(), b.to_string())
        } else {
            (b.to_string(), a.to_string())
        }
    };
    for (i, c) in changes.iter().enumerate() {
        match c {
            Change::AddTie {
                source,
                target,
                kind,
                weight,
            } => {
                for (field, id) in [("source", source), ("target", target)] {
                    if !has_actor(id, &added) {
                        return Err(err(i, c, field, format!("unknown actor `{id}`")));
                    }
                }
                let t = Tie::new("", source.clone(), target.clone(), *kind).with_weight(*weight);
                if let Some(e) = validate_tie(&t).into_iter().next() {
                    return Err(err(i, c, &e.field, e.message));
                }
                pair_state.insert(key(source, target), true);
            }
            Change::RemoveTie { source, target } => {
                for (field, id) in [("source", source), ("target", target)] {
                    if !has_actor(id, &added) {
                        return Err(err(i, c, field, format!("unknown actor `{id}`")));
                    }
                }
                let k = key(source, target);
                let exists = *pair_state.entry(k.clone()).or_insert_with(|| {
                    bundle.ties.iter().any(|t| {
                        (t.source == k.0 && t.target == k.1) || (t.source == k.1 && t.target == k.0)
                    })
                });
                if !exists {
                    return Err(err(
                        i,
                        c,
                        "target",
                        format!("there is no tie between `{source}` and `{target}`"),
                    ));
                }
                pair_state.insert(k, false);
            }
            Change::SetStance {
                actor,
                narrative,
                position,
            } => {
                if !has_actor(actor, &added) {
                    return Err(err(i, c, "actor", format!("unknown actor `{actor}`")));
                }
                if !known_narrative(narrative) {
                    return Err(err(
                        i,
                        c,
                        "narrative",
                        format!("unknown narrative `{narrative}`"),
                    ));
                }
                if !(-2..=2).contains(position) {
                    return Err(err(
                        i,
                        c,
                        "position",
                        format!("{position} is outside -2..2"),
                    ));
                }
            }
            Change::AddActor {
                id,
                name,
                domain,
                influence,
            } => {
                let a = Actor::new(id.clone(), name.clone())
                    .with_domain(domain)
                    .with_influence(*influence);
                if let Some(e) = validate_actor(&a, &bundle.map).into_iter().next() {
                    return Err(err(i, c, &e.field, e.message));
                }
                if has_actor(id, &added) || !added.insert(id.as_str()) {
                    return Err(err(i, c, "id", format!("actor `{id}` exists already")));
                }
            }
        }
    }
    Ok(())
}

/// A copy of `bundle` with the changes applied in order (module doc), after
/// [`validate_changes`]. New stances and ties get ids `whatif-s1`, `whatif-t1`, ... (made
/// unique against the bundle's ids).
pub fn apply_changes(
    bundle: &Bundle,
    window: Window,
    changes: &[Change],
) -> Result<Bundle, ChangeError> {
    validate_changes(bundle, changes)?;
    let mut out = bundle.clone();
    let stance_ids: HashSet<String> = out.stances.iter().map(|s| s.id.clone()).collect();
    let tie_ids: HashSet<String> = out.ties.iter().map(|t| t.id.clone()).collect();
    let fresh = |prefix: &str, used: &HashSet<String>, n: &mut usize| loop {
        *n += 1;
        let id = format!("whatif-{prefix}{n}");
        if !used.contains(&id) {
            return id;
        }
    };
    let (mut ns, mut nt) = (0usize, 0usize);
    for c in changes {
        match c {
            Change::AddTie {
                source,
                target,
                kind,
                weight,
            } => {
                let id = fresh("t", &tie_ids, &mut nt);
                out.ties
                    .push(Tie::new(id, source.clone(), target.clone(), *kind).with_weight(*weight));
            }
            Change::RemoveTie { source, target } => {
                out.ties.retain(|t| {
                    !((&t.source == source && &t.target == target)
                        || (&t.source == target && &t.target == source))
                });
            }
            Change::SetStance {
                actor,
                narrative,
                position,
            } => {
                let mut latest: Option<Date> = None;
                out.stances.retain(|s| {
                    let replaced =
                        &s.actor == actor && &s.narrative == narrative && window.contains(s.date);
                    if replaced {
                        latest = latest.max(s.date);
                    }
                    !replaced
                });
                let id = fresh("s", &stance_ids, &mut ns);
                let mut s = Stance::new(id, actor.clone(), narrative.clone(), *position as i8);
                s.date = latest;
                out.stances.push(s);
            }
            Change::AddActor {
                id,
                name,
                domain,
                influence,
            } => {
                out.actors.push(
                    Actor::new(id.clone(), name.clone())
                        .with_domain(domain)
                        .with_influence(*influence),
                );
            }
        }
    }
    Ok(out)
}
