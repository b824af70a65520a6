//! An analysis that takes over parts of the one before an edit (the server's re-analysis:
//! the discourse network updated in the edited rows, the structures, the metrics of the
//! coalitions that kept their members, the facts of the member sets the simulations met)
//! equals a fresh analysis of the edited map, byte for byte, when the coalitions are
//! detected from scratch.

use vertoog_analysis::analyse::{context_and_analysis_carrying, Carried};
use vertoog_analysis::{analyse_lang, Lang, Window};
use vertoog_generate::{generate, Class};
use vertoog_model::Settings;

#[test]
fn taking_over_after_stance_edits_equals_a_fresh_analysis() {
    let mut bundle = generate(Class::S, 3).bundle;
    let settings = Settings::default();
    let (_, _, mut carried, _) = context_and_analysis_carrying(
        &bundle,
        &settings,
        Window::default(),
        Lang::En,
        Carried::default(),
    );
    // Even rounds soften or sharpen one stance (its actor usually stays in its coalition,
    // whose cohesion changes); odd rounds flip every stance of one actor (it usually moves).
    // The later rounds take over from the earlier.
    for round in 0..8 {
        let i = 37 * round + 5;
        if round % 2 == 0 {
            let s = &mut bundle.stances[i];
            s.position = match s.position {
                2 => 1,
                1 => 2,
                -1 => -2,
                -2 => -1,
                _ => 1,
            };
        } else {
            let actor = bundle.stances[i].actor.clone();
            for s in bundle.stances.iter_mut().filter(|s| s.actor == actor) {
                s.position = -s.position;
            }
        }
        let take = Carried {
            structure: carried.structure.take(),
            transition: carried.transition.take(),
            discourse: carried.discourse.take(),
            facts: carried.facts.take(),
            ..Carried::default()
        };
        let memo = take.facts.clone().expect("the memo of the analysis before");
        assert!(
            !memo.is_empty(),
            "round {round}: simulations filled the memo"
        );
        let (_, analysis, next, taken) =
            context_and_analysis_carrying(&bundle, &settings, Window::default(), Lang::En, take);
        assert!(taken.contains(&"discourse"), "round {round}: {taken:?}");
        assert!(analysis.provisional.is_empty());
        let fresh = analyse_lang(&bundle, &settings, Window::default(), Lang::En);
        assert_eq!(
            serde_json::to_string(&analysis).unwrap(),
            serde_json::to_string(&fresh).unwrap(),
            "round {round}"
        );
        carried = next;
    }
}

/// After an edit of the ties the facts of member sets are taken over too, but only those
/// whose induced subgraph the edit left alone ([`vertoog_analysis::simulation::FactsMemo::over`]):
/// a tie added, reweighted or removed between two supporters changes G_T, whose facts every
/// simulation starts from, so keeping them would change the analysis.
#[test]
fn taking_the_memo_over_after_tie_edits_equals_a_fresh_analysis() {
    let mut bundle = generate(Class::S, 3).bundle;
    let settings = Settings::default();
    let (_, mut before, mut carried, _) = context_and_analysis_carrying(
        &bundle,
        &settings,
        Window::default(),
        Lang::En,
        Carried::default(),
    );
    for round in 0..6 {
        let t = &before.transition.supporters;
        assert!(t.len() > 20, "round {round}: a transition coalition");
        let (a, b) = (t[3 * round].clone(), t[3 * round + 7].clone());
        match round % 3 {
            // A new tie between two supporters.
            0 => {
                let mut tie = bundle.ties[0].clone();
                tie.id = format!("new-{round}");
                tie.source = a;
                tie.target = b;
                tie.weight = 1.0;
                bundle.ties.push(tie);
            }
            // A tie inside T with another weight.
            1 => {
                let inside = bundle
                    .ties
                    .iter_mut()
                    .find(|x| t.contains(&x.source) && t.contains(&x.target))
                    .expect("a tie between two supporters");
                inside.weight = if inside.weight > 0.5 { 0.2 } else { 0.9 };
            }
            // A tie inside T removed.
            _ => {
                let i = bundle
                    .ties
                    .iter()
                    .rposition(|x| t.contains(&x.source) && t.contains(&x.target))
                    .expect("a tie between two supporters");
                bundle.ties.remove(i);
            }
        }
        let take = Carried {
            discourse: carried.discourse.take(),
            facts: carried.facts.take(),
            ..Carried::default()
        };
        assert!(take.facts.as_ref().is_some_and(|m| !m.is_empty()));
        let (_, analysis, next, taken) =
            context_and_analysis_carrying(&bundle, &settings, Window::default(), Lang::En, take);
        assert!(taken.contains(&"facts"), "round {round}: {taken:?}");
        assert!(analysis.provisional.is_empty());
        let fresh = analyse_lang(&bundle, &settings, Window::default(), Lang::En);
        assert!(
            serde_json::to_string(&analysis).unwrap() == serde_json::to_string(&fresh).unwrap(),
            "round {round}: the analysis differs from a fresh one"
        );
        before = analysis;
        carried = next;
    }
}
