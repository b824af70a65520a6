//! What-if (docs/method.md §10-11, docs/interfaces.md "What-if changes"): hypothetical changes applied to a
//! copy of the map, the whole analysis after them, and the difference to now. Nothing is
//! stored.
//!//!
//! The analysis after the changes comes from [`apply_changes`] and a complete
//! [`crate::analyse`]; the expected gain of an action reaches the same number faster through
//! [`crate::simulation::simulate`] (a test below checks that both agree).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use vertoog_model::{Bundle, Settings};

use crate::analyse::{analyse_lang, Analysis};
use crate::changes::{apply_changes, Change, ChangeError};
use crate::i18n::Lang;
use crate::prepare::Window;

/// `{"after": ANALYSIS, "difference": {...}}` (docs/interfaces.md).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WhatIf {
    pub after: Analysis,
    pub difference: Difference,
}

/// The difference after − now of T: its strength and each strength component (null when
/// undefined on either side), the share of engagement targets met, and who joined or left
/// the supporters and opponents (ids, sorted).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    pub strength: Option<f64>,
    pub supporters_added: Vec<String>,
    pub supporters_removed: Vec<String>,
    pub opponents_added: Vec<String>,
    pub opponents_removed: Vec<String>,
    pub influence_share: Option<f64>,
    pub breadth: Option<f64>,
    pub discourse_cohesion: Option<f64>,
    pub connectedness: Option<f64>,
    pub narrative_support: Option<f64>,
    pub targets_met: Option<f64>,
}

fn delta(after: Option<f64>, before: Option<f64>) -> Option<f64> {
    Some(after? - before?)
}

fn added(after: &[String], before: &[String]) -> Vec<String> {
    let b: HashSet<&str> = before.iter().map(String::as_str).collect();
    let mut out: Vec<String> = after
        .iter()
        .filter(|x| !b.contains(x.as_str()))
        .cloned()
        .collect();
    out.sort();
    out
}

impl Difference {
    /// after − before of the transition coalition of two analyses.
    pub fn between(before: &Analysis, after: &Analysis) -> Difference {
        let (b, a) = (&before.transition, &after.transition);
        let (bm, am) = (&b.metrics, &a.metrics);
        Difference {
            strength: delta(am.strength, bm.strength),
            supporters_added: added(&a.supporters, &b.supporters),
            supporters_removed: added(&b.supporters, &a.supporters),
            opponents_added: added(&a.opponents, &b.opponents),
            opponents_removed: added(&b.opponents, &a.opponents),
            influence_share: delta(am.influence_share, bm.influence_share),
            breadth: delta(am.breadth, bm.breadth),
            discourse_cohesion: delta(am.discourse_cohesion, bm.discourse_cohesion),
            connectedness: delta(am.connectedness, bm.connectedness),
            narrative_support: delta(am.narrative_support, bm.narrative_support),
            targets_met: delta(a.targets_met, b.targets_met),
        }
    }
}

/// The analysis after `changes` and its difference to now (docs/method.md §10-11), in English.
pub fn whatif(
    bundle: &Bundle,
    settings: &Settings,
    window: Window,
    changes: &[Change],
) -> Result<WhatIf, ChangeError> {
    whatif_lang(bundle, settings, window, changes, Lang::En)
}

/// [`whatif`] with gap messages and rationales in `lang`.
pub fn whatif_lang(
    bundle: &Bundle,
    settings: &Settings,
    window: Window,
    changes: &[Change],
    lang: Lang,
) -> Result<WhatIf, ChangeError> {
    let changed = apply_changes(bundle, window, changes)?;
    let before = analyse_lang(bundle, settings, window, lang);
    let after = analyse_lang(&changed, settings, window, lang);
    let difference = Difference::between(&before, &after);
    Ok(WhatIf { after, difference })
}

/// [`whatif_lang`] with the analysis of now already at hand (e.g. cached by the server).
pub fn whatif_from(
    before: &Analysis,
    bundle: &Bundle,
    settings: &Settings,
    window: Window,
    changes: &[Change],
    lang: Lang,
) -> Result<WhatIf, ChangeError> {
    let changed = apply_changes(bundle, window, changes)?;
    let after = analyse_lang(&changed, settings, window, lang);
    let difference = Difference::between(before, &after);
    Ok(WhatIf { after, difference })
}

/// The changes simulated for the action `action_id` of `analysis` (`None` for an unknown id),
/// so that a what-if of `{"action": "a3"}` reports exactly the action's expected gain.
pub fn action_changes(analysis: &Analysis, action_id: &str) -> Option<Vec<Change>> {
    analysis
        .actions
        .iter()
        .find(|a| a.id == action_id)
        .map(|a| a.changes.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse;
    use crate::changes::Changes;
    use crate::context::Context;
    use crate::graph::Csr;
    use crate::simulation::{simulate, SimBase};
    use vertoog_model::{Actor, Stance, Tie, TieKind};
    use vertoog_model::{Map, Narrative};

    fn bundle() -> Bundle {
        let mut b = Bundle::new(Map::new("m"));
        b.actors = vec![
            Actor::new("a", "A").with_domain("ministry"),
            Actor::new("b", "B").with_domain("vng"),
            Actor::new("c", "C").with_domain("science"),
        ];
        b.narratives = vec![Narrative::new("k", "K", true)];
        b.stances = vec![
            Stance::new("s1", "a", "k", 2),
            Stance::new("s2", "b", "k", 1),
            Stance::new("s3", "c", "k", -1).dated("2024-01-01".parse().unwrap()),
        ];
        b.ties = vec![Tie::new("t1", "a", "b", TieKind::Collaboration)];
        b
    }

    #[test]
    fn changes_parse_from_the_interface_shape() {
        let text = r#"{"changes": [
            {"op": "add_tie", "source": "a", "target": "c", "kind": "collaboration", "weight": 0.5},
            {"op": "remove_tie", "source": "a", "target": "b"},
            {"op": "set_stance", "actor": "c", "narrative": "k", "position": 1},
            {"op": "add_actor", "id": "d", "name": "D", "domain": "science", "influence": 0.5}]}"#;
        let c: Changes = serde_json::from_str(text).unwrap();
        assert_eq!(c.changes.len(), 4);
        assert_eq!(c.changes[2].op(), "set_stance");
        assert!(serde_json::from_str::<Changes>(r#"{"changes":[{"op":"fly"}]}"#).is_err());
    }

    #[test]
    fn bad_changes_name_index_and_field() {
        let b = bundle();
        let cases = [
            (
                Change::SetStance {
                    actor: "a".into(),
                    narrative: "k".into(),
                    position: 3,
                },
                "position",
            ),
            (
                Change::SetStance {
                    actor: "zz".into(),
                    narrative: "k".into(),
                    position: 1,
                },
                "actor",
            ),
            (
                Change::SetStance {
                    actor: "a".into(),
                    narrative: "zz".into(),
                    position: 1,
                },
                "narrative",
            ),
            (
                Change::AddTie {
                    source: "a".into(),
                    target: "a".into(),
                    kind: TieKind::Collaboration,
                    weight: 0.5,
                },
                "target",
            ),
            (
                Change::AddTie {
                    source: "a".into(),
                    target: "c".into(),
                    kind: TieKind::Collaboration,
                    weight: 1.5,
                },
                "weight",
            ),
            (
                Change::RemoveTie {
                    source: "a".into(),
                    target: "c".into(),
                },
                "target",
            ),
            (
                Change::AddActor {
                    id: "a".into(),
                    name: "Again".into(),
                    domain: "other".into(),
                    influence: 0.5,
                },
                "id",
            ),
            (
                Change::AddActor {
                    id: "d".into(),
                    name: "D".into(),
                    domain: "mars".into(),
                    influence: 0.5,
                },
                "domain",
            ),
        ];
        for (c, field) in cases {
            let ok = Change::AddTie {
                source: "b".into(),
                target: "c".into(),
                kind: TieKind::Communication,
                weight: 0.5,
            };
            let e = whatif(
                &b,
                &Settings::default(),
                Window::default(),
                &[ok, c.clone()],
            )
            .unwrap_err();
            assert_eq!((e.index, e.field.as_str()), (1, field), "{c:?}: {e}");
            assert!(e.to_string().starts_with("changes[1]."), "{e}");
        }
        // A tie to an actor added earlier in the list is fine.
        let ok = [
            Change::AddActor {
                id: "d".into(),
                name: "D".into(),
                domain: "science".into(),
                influence: 0.9,
            },
            Change::AddTie {
                source: "a".into(),
                target: "d".into(),
                kind: TieKind::Collaboration,
                weight: 0.5,
            },
        ];
        assert!(whatif(&b, &Settings::default(), Window::default(), &ok).is_ok());
    }

    #[test]
    fn whatif_reports_the_difference_and_stores_nothing() {
        let b = bundle();
        let s = Settings::default();
        let before = analyse(&b, &s, Window::default());
        // c moves from -1 to +2: joins T, leaves the opponents; a tie a-c keeps T connected.
        let changes = [
            Change::SetStance {
                actor: "c".into(),
                narrative: "k".into(),
                position: 2,
            },
            Change::AddTie {
                source: "c".into(),
                target: "a".into(),
                kind: TieKind::Collaboration,
                weight: 0.5,
            },
        ];
        let w = whatif(&b, &s, Window::default(), &changes).unwrap();
        assert_eq!(w.difference.supporters_added, vec!["c".to_string()]);
        assert_eq!(w.difference.opponents_removed, vec!["c".to_string()]);
        assert!(w.difference.supporters_removed.is_empty());
        // breadth 2/4 -> 3/4.
        assert!((w.difference.breadth.unwrap() - 0.25).abs() < 1e-12);
        let gain = w.after.transition.metrics.strength.unwrap()
            - before.transition.metrics.strength.unwrap();
        assert!((w.difference.strength.unwrap() - gain).abs() < 1e-12);
        assert!(gain > 0.0);
        // The bundle is unchanged and the replaced stance keeps its date.
        assert_eq!(b, bundle());
        let changed = apply_changes(&b, Window::default(), &changes).unwrap();
        let s3: Vec<_> = changed.stances.iter().filter(|x| x.actor == "c").collect();
        assert_eq!(s3.len(), 1);
        assert_eq!(s3[0].position, 2);
        assert_eq!(s3[0].date, Some("2024-01-01".parse().unwrap()));
        // The fast path gives the same T.
        let ctx = Context::new(&b, &s, Window::default());
        let base = SimBase::new(&ctx);
        let sim = simulate(&ctx, &base, &changes).unwrap();
        assert_eq!(sim.metrics.size, 3);
        assert!(
            (sim.metrics.strength.unwrap() - w.after.transition.metrics.strength.unwrap()).abs()
                < 1e-9
        );
        assert_eq!(
            sim.metrics.discourse_cohesion,
            w.after.transition.metrics.discourse_cohesion
        );
    }

    #[test]
    fn changed_edges_add_merge_and_remove() {
        let g = Csr::from_edges(4, [(0, 1, 0.5), (1, 3, 0.2)], f64::max);
        let g2 = g.with_changed_edges(&[(1, 2, Some(0.7))]);
        assert_eq!(
            g2,
            Csr::from_edges(4, [(0, 1, 0.5), (1, 3, 0.2), (1, 2, 0.7)], f64::max)
        );
        let g3 = g2.with_changed_edges(&[(0, 1, Some(0.9))]);
        assert_eq!(g3.weight(0, 1), Some(0.9));
        let g4 = g3.with_changed_edges(&[(0, 1, None)]);
        assert_eq!(g4.weight(1, 0), None);
        assert_eq!(g4.n_edges(), 2);
        let g5 = g.with_changed_edges(&[(0, 3, Some(0.1))]);
        assert_eq!(g5.neighbours(0), &[1, 3]);
        assert_eq!(g5.neighbours(3), &[0, 1]);
    }
}
