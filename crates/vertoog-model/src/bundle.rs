//! The whole content of one map, as the JSON bundle of docs/interfaces.md §8 carries it.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::engagement::{
    validate_commitment, validate_interaction, validate_plan_item, Commitment, Interaction,
    PlanItem,
};
use crate::entities::{Actor, EntityKind, Map, Narrative, Stance, Tie};
use crate::validate::{
    validate_actor, validate_map, validate_narrative, validate_stance, validate_tie, BundleError,
    FieldError,
};

pub const BUNDLE_FORMAT: &str = "vertoog-map";
/// The version of a bundle without engagement data (interactions, commitments, plan).
pub const BUNDLE_VERSION: u32 = 1;
/// The newest bundle version: version 1 plus `interactions`, `commitments` and `plan`
/// (engagement). A bundle is written as version 2 only when it holds engagement data, so that
/// maps without it export exactly as before; both versions are read.
pub const BUNDLE_VERSION_ENGAGEMENT: u32 = 2;

fn format_name() -> String {
    BUNDLE_FORMAT.to_string()
}
fn version_one() -> u32 {
    BUNDLE_VERSION
}

/// `{"format": "vertoog-map", "version": 1, "map": {...}, "actors": [...], ...}`.
/// Also the in-memory value the analysis takes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    #[serde(default = "format_name")]
    pub format: String,
    #[serde(default = "version_one")]
    pub version: u32,
    pub map: Map,
    #[serde(default)]
    pub actors: Vec<Actor>,
    #[serde(default)]
    pub narratives: Vec<Narrative>,
    #[serde(default)]
    pub stances: Vec<Stance>,
    #[serde(default)]
    pub ties: Vec<Tie>,
    /// Contacts with actors (engagement; version 2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interactions: Vec<Interaction>,
    /// Promises made in the relations with actors (engagement; version 2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commitments: Vec<Commitment>,
    /// The activation plan: adopted actions (engagement; version 2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plan: Vec<PlanItem>,
}

impl Bundle {
    pub fn new(map: Map) -> Self {
        Bundle {
            format: format_name(),
            version: BUNDLE_VERSION,
            map,
            actors: Vec::new(),
            narratives: Vec::new(),
            stances: Vec::new(),
            ties: Vec::new(),
            interactions: Vec::new(),
            commitments: Vec::new(),
            plan: Vec::new(),
        }
    }

    /// Whether the bundle holds interactions, commitments or plan items.
    pub fn has_engagement(&self) -> bool {
        !(self.interactions.is_empty() && self.commitments.is_empty() && self.plan.is_empty())
    }

    /// The version this bundle is written as: 2 with engagement data, else 1.
    pub fn written_version(&self) -> u32 {
        if self.has_engagement() {
            BUNDLE_VERSION_ENGAGEMENT
        } else {
            BUNDLE_VERSION
        }
    }

    /// Every field error, duplicate id and dangling reference, in list order.
    /// Empty stance and tie ids are allowed (assigned later); duplicates among given ids are not.
    pub fn validate(&self) -> Vec<BundleError> {
        // At most MAX_ERRORS listed, then one `BundleError::more` entry with the rest's count.
        let mut out = crate::Capped::new();
        let mut push = |kind, index, id: &str, errs: Vec<FieldError>| {
            for e in errs {
                out.push(BundleError {
                    kind,
                    index,
                    id: id.to_string(),
                    field: e.field,
                    message: e.message,
                });
            }
        };
        push(EntityKind::Map, 0, &self.map.id, validate_map(&self.map));

        let mut actor_ids = HashSet::new();
        for (i, a) in self.actors.iter().enumerate() {
            let mut errs = validate_actor(a, &self.map);
            if !actor_ids.insert(a.id.as_str()) {
                errs.push(FieldError::new(
                    "id",
                    format!("duplicate actor id `{}`", a.id),
                ));
            }
            push(EntityKind::Actor, i, &a.id, errs);
        }
        for (i, a) in self.actors.iter().enumerate() {
            if let Some(p) = &a.parent {
                if !actor_ids.contains(p.as_str()) {
                    push(
                        EntityKind::Actor,
                        i,
                        &a.id,
                        vec![FieldError::new("parent", format!("unknown actor `{p}`"))],
                    );
                }
            }
        }
        let mut narrative_ids = HashSet::new();
        for (i, n) in self.narratives.iter().enumerate() {
            let mut errs = validate_narrative(n);
            if !narrative_ids.insert(n.id.as_str()) {
                errs.push(FieldError::new(
                    "id",
                    format!("duplicate narrative id `{}`", n.id),
                ));
            }
            push(EntityKind::Narrative, i, &n.id, errs);
        }
        let mut stance_ids = HashSet::new();
        for (i, s) in self.stances.iter().enumerate() {
            let mut errs = validate_stance(s);
            if !s.id.is_empty() && !stance_ids.insert(s.id.as_str()) {
                errs.push(FieldError::new(
                    "id",
                    format!("duplicate stance id `{}`", s.id),
                ));
            }
            if !actor_ids.contains(s.actor.as_str()) {
                errs.push(FieldError::new(
                    "actor",
                    format!("unknown actor `{}`", s.actor),
                ));
            }
            if !narrative_ids.contains(s.narrative.as_str()) {
                errs.push(FieldError::new(
                    "narrative",
                    format!("unknown narrative `{}`", s.narrative),
                ));
            }
            push(EntityKind::Stance, i, &s.id, errs);
        }
        let mut tie_ids = HashSet::new();
        for (i, t) in self.ties.iter().enumerate() {
            let mut errs = validate_tie(t);
            if !t.id.is_empty() && !tie_ids.insert(t.id.as_str()) {
                errs.push(FieldError::new(
                    "id",
                    format!("duplicate tie id `{}`", t.id),
                ));
            }
            for (field, id) in [("source", &t.source), ("target", &t.target)] {
                if !actor_ids.contains(id.as_str()) {
                    errs.push(FieldError::new(field, format!("unknown actor `{id}`")));
                }
            }
            push(EntityKind::Tie, i, &t.id, errs);
        }
        check_engagement(self, &actor_ids, &narrative_ids, &mut |k, i, id, errs| {
            push(k, i, id, errs)
        });
        crate::capped_bundle_errors(out)
    }

    /// Gives every interaction, commitment and plan item without an id the next free
    /// `i<N>` / `k<N>` / `p<N>`.
    pub fn assign_engagement_ids(&mut self) {
        fn assign<'a>(prefix: char, ids: impl Iterator<Item = &'a mut String>) {
            let mut slots: Vec<&'a mut String> = ids.collect();
            let used: HashSet<String> = slots.iter().map(|s| s.to_string()).collect();
            let mut n = 0u64;
            for s in slots.iter_mut().filter(|s| s.is_empty()) {
                loop {
                    n += 1;
                    let id = format!("{prefix}{n}");
                    if !used.contains(&id) {
                        **s = id;
                        break;
                    }
                }
            }
        }
        assign('i', self.interactions.iter_mut().map(|x| &mut x.id));
        assign('k', self.commitments.iter_mut().map(|x| &mut x.id));
        assign('p', self.plan.iter_mut().map(|x| &mut x.id));
    }

    /// Gives every stance and tie without an id the next free `s<N>` / `t<N>`.
    pub fn assign_ids(&mut self) {
        fn next_free(prefix: char, used: &HashSet<String>, counter: &mut u64) -> String {
            loop {
                *counter += 1;
                let id = format!("{prefix}{counter}");
                if !used.contains(&id) {
                    return id;
                }
            }
        }
        let mut used: HashSet<String> = self.stances.iter().map(|s| s.id.clone()).collect();
        let mut n = 0;
        for s in self.stances.iter_mut().filter(|s| s.id.is_empty()) {
            s.id = next_free('s', &used, &mut n);
            used.insert(s.id.clone());
        }
        let mut used: HashSet<String> = self.ties.iter().map(|t| t.id.clone()).collect();
        let mut n = 0;
        for t in self.ties.iter_mut().filter(|t| t.id.is_empty()) {
            t.id = next_free('t', &used, &mut n);
            used.insert(t.id.clone());
        }
    }

    pub fn actor(&self, id: &str) -> Option<&Actor> {
        self.actors.iter().find(|a| a.id == id)
    }
}

/// Field errors, duplicate ids and dangling references of the engagement lists; every one.
/// Interactions are checked against the bundle's actors and narratives, commitments and plan
/// items also against its interactions.
#[allow(clippy::type_complexity)]
fn check_engagement(
    b: &Bundle,
    actor_ids: &HashSet<&str>,
    narrative_ids: &HashSet<&str>,
    push: &mut dyn FnMut(EntityKind, usize, &str, Vec<FieldError>),
) {
    let mut interaction_ids = HashSet::new();
    for i in &b.interactions {
        if !i.id.is_empty() {
            interaction_ids.insert(i.id.as_str());
        }
    }
    let mut seen = HashSet::new();
    for (n, i) in b.interactions.iter().enumerate() {
        let mut errs = validate_interaction(i);
        if !i.id.is_empty() && !seen.insert(i.id.as_str()) {
            errs.push(FieldError::new(
                "id",
                format!("duplicate interaction id `{}`", i.id),
            ));
        }
        for a in &i.actors {
            if !actor_ids.contains(a.as_str()) {
                errs.push(FieldError::new("actors", format!("unknown actor `{a}`")));
            }
        }
        for x in &i.narratives {
            if !narrative_ids.contains(x.as_str()) {
                errs.push(FieldError::new(
                    "narratives",
                    format!("unknown narrative `{x}`"),
                ));
            }
        }
        push(EntityKind::Interaction, n, &i.id, errs);
    }
    let mut seen = HashSet::new();
    for (n, c) in b.commitments.iter().enumerate() {
        let mut errs = validate_commitment(c);
        if !c.id.is_empty() && !seen.insert(c.id.as_str()) {
            errs.push(FieldError::new(
                "id",
                format!("duplicate commitment id `{}`", c.id),
            ));
        }
        if !actor_ids.contains(c.actor.as_str()) {
            errs.push(FieldError::new(
                "actor",
                format!("unknown actor `{}`", c.actor),
            ));
        }
        if let Some(i) = &c.interaction {
            if !interaction_ids.contains(i.as_str()) {
                errs.push(FieldError::new(
                    "interaction",
                    format!("unknown interaction `{i}`"),
                ));
            }
        }
        push(EntityKind::Commitment, n, &c.id, errs);
    }
    let mut seen = HashSet::new();
    for (n, p) in b.plan.iter().enumerate() {
        let mut errs = validate_plan_item(p);
        if !p.id.is_empty() && !seen.insert(p.id.as_str()) {
            errs.push(FieldError::new(
                "id",
                format!("duplicate plan item id `{}`", p.id),
            ));
        }
        for t in &p.targets {
            if !actor_ids.contains(t.as_str()) {
                errs.push(FieldError::new("targets", format!("unknown actor `{t}`")));
            }
        }
        if let Some(m) = &p.messenger {
            if !actor_ids.contains(m.as_str()) {
                errs.push(FieldError::new("messenger", format!("unknown actor `{m}`")));
            }
        }
        if let Some(x) = &p.narrative {
            if !narrative_ids.contains(x.as_str()) {
                errs.push(FieldError::new(
                    "narrative",
                    format!("unknown narrative `{x}`"),
                ));
            }
        }
        for i in &p.interactions {
            if !interaction_ids.contains(i.as_str()) {
                errs.push(FieldError::new(
                    "interactions",
                    format!("unknown interaction `{i}`"),
                ));
            }
        }
        push(EntityKind::PlanItem, n, &p.id, errs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TieKind;

    fn sample() -> Bundle {
        let mut b = Bundle::new(Map::new("m"));
        b.actors = vec![Actor::new("a", "A"), Actor::new("b", "B")];
        b.narratives = vec![Narrative::new("n", "N", true)];
        b.stances = vec![
            Stance::new("", "a", "n", 2),
            Stance::new("s1", "b", "n", -1),
        ];
        b.ties = vec![Tie::new("", "a", "b", TieKind::Communication)];
        b
    }

    #[test]
    fn valid_bundle_and_id_assignment() {
        let mut b = sample();
        assert!(b.validate().is_empty(), "{:?}", b.validate());
        b.assign_ids();
        assert_eq!(b.stances[0].id, "s2");
        assert_eq!(b.ties[0].id, "t1");
    }

    #[test]
    fn references_and_duplicates_are_reported_together() {
        let mut b = sample();
        b.actors.push(Actor::new("a", "Again"));
        b.stances.push(Stance::new("s1", "zz", "n", 1));
        b.ties.push(Tie::new("", "a", "ghost", TieKind::Conflict));
        let errs = b.validate();
        let summary: Vec<(EntityKind, usize, &str)> = errs
            .iter()
            .map(|e| (e.kind, e.index, e.field.as_str()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (EntityKind::Actor, 2, "id"),
                (EntityKind::Stance, 2, "id"),
                (EntityKind::Stance, 2, "actor"),
                (EntityKind::Tie, 1, "target"),
            ]
        );
    }

    #[test]
    fn json_round_trip() {
        let b = sample();
        let text = serde_json::to_string(&b).unwrap();
        let back: Bundle = serde_json::from_str(&text).unwrap();
        assert_eq!(b, back);
        assert!(text.starts_with("{\"format\":\"vertoog-map\",\"version\":1"));
    }
}
