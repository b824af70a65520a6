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
