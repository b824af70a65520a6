//! Plans (docs/method.md §9) on hand-made maps: joint simulation against the full what-if path,
//! overlap of two convenes across one bridge, budget 0, and the greedy best plan against a
//! brute-force search over every subset of the actions (issue 18).
//!
//! The plan functions take the actions of an analysis; here the actions are written by hand
//! (kind, effort and the simulated change, as `actions::propose` would give them), so that
//! the maps can be small and every subset can be checked by the independent full path
//! (`whatif`: the changed bundle analysed from scratch).

use vertoog_analysis::plans::{best_plan, joint_changes, simulate_plan, DEFAULT_BUDGET};
use vertoog_analysis::{
    context_and_analysis, whatif, Action, ActionKind, Analysis, Change, Lang, Window,
};
use vertoog_model::{Actor, Bundle, Map, Narrative, Settings, Stance, Tie, TieKind};

fn tie(id: &str, a: &str, b: &str) -> Tie {
    Tie::new(id, a, b, TieKind::Collaboration).with_weight(1.0)
}

fn add_tie(a: &str, b: &str) -> Change {
    Change::AddTie {
        source: a.into(),
        target: b.into(),
        kind: TieKind::Collaboration,
        weight: 0.5,
    }
}

fn set(a: &str, n: &str, p: i64) -> Change {
    Change::SetStance {
        actor: a.into(),
        narrative: n.into(),
        position: p,
    }
}

/// Two triangles of supporters, {a, b, c} and {d, e, f}, joined only by the tie c – d (a
/// bridge; c and d are brokers); g and h are undecided (position 0 on the core narrative),
/// u1..u3 silent, each tied to a.
fn bridge_map() -> Bundle {
    let mut b = Bundle::new(Map::new("plans"));
    for id in ["a", "b", "c", "d", "e", "f", "g", "h", "u1", "u2", "u3"] {
        b.actors
            .push(Actor::new(id, format!("Actor {id}")).with_influence(0.5));
    }
    b.narratives = vec![
        Narrative::new("n1", "Digital by default", true),
        Narrative::new("n2", "Privacy first", false),
    ];
    for (i, id) in ["a", "b", "c", "d", "e", "f"].iter().enumerate() {
        b.stances.push(Stance::new(format!("s{i}"), *id, "n1", 2));
    }
    b.stances.push(Stance::new("s10", "g", "n1", 0));
    b.stances.push(Stance::new("s11", "h", "n1", 0));
    b.ties = vec![
        tie("t1", "a", "b"),
        tie("t2", "b", "c"),
        tie("t3", "a", "c"),
        tie("t4", "d", "e"),
        tie("t5", "e", "f"),
        tie("t6", "d", "f"),
        tie("t7", "c", "d"),
        tie("t8", "a", "u1"),
        tie("t9", "a", "u2"),
        tie("t10", "a", "u3"),
        tie("t11", "a", "g"),
        tie("t12", "d", "h"),
    ];
    b
}

/// A hand-made action; its single gain is simulated through the full what-if path.
fn action(
    b: &Bundle,
    now: f64,
    id: &str,
    kind: ActionKind,
    effort: u8,
    changes: Vec<Change>,
) -> Action {
    let gain = full_strength(b, &changes) - now;
    Action {
        id: id.into(),
        kind,
        targets: Vec::new(),
        messenger: None,
        narrative: None,
        gaps: Vec::new(),
        rationale: String::new(),
        lesson: String::new(),
        effort,
        expected_gain: Some(gain),
        priority: gain / f64::from(effort),
        changes,
    }
}

/// strength of T after `changes`, by analysing the changed bundle from scratch.
fn full_strength(b: &Bundle, changes: &[Change]) -> f64 {
    whatif(b, &Settings::default(), Window::default(), changes)
        .unwrap()
        .after
        .transition
        .metrics
        .strength
        .unwrap()
}

fn with_actions(b: &Bundle, make: impl FnOnce(f64) -> Vec<Action>) -> (Analysis, f64) {
    let s = Settings::default();
    let (_, mut a) = context_and_analysis(b, &s, Window::default(), Lang::En);
    let now = a.transition.metrics.strength.unwrap();
    a.actions = make(now);
    (a, now)
}

const EPS: f64 = 1e-9;

#[test]
fn two_convenes_across_one_bridge_overlap() {
    let b = bridge_map();
    let (analysis, now) = with_actions(&b, |now| {
        vec![
            action(
                &b,
                now,
                "a1",
                ActionKind::Convene,
                1,
                vec![add_tie("a", "e")],
            ),
            action(
                &b,
                now,
                "a2",
                ActionKind::Convene,
                1,
                vec![add_tie("b", "f")],
            ),
        ]
    });
    let s = Settings::default();
    let (ctx, _) = context_and_analysis(&b, &s, Window::default(), Lang::En);
    let g1 = analysis.actions[0].expected_gain.unwrap();
    let g2 = analysis.actions[1].expected_gain.unwrap();
    assert!(g1 > EPS && g2 > EPS, "each convene alone helps: {g1} {g2}");
    let sim = simulate_plan(
        &ctx,
        &analysis.actions,
        analysis.transition.metrics.strength,
        &["a2".into(), "a1".into()],
    )
    .unwrap();
    // The joint simulation is the full analysis of both changes together.
    let both = full_strength(&b, &[add_tie("a", "e"), add_tie("b", "f")]);
    let plan_gain = sim.plan_gain.unwrap();
    assert!(
        (plan_gain - (both - now)).abs() < 1e-9,
        "{plan_gain} vs {}",
        both - now
    );
    assert!((sim.strength_before.unwrap() - now).abs() < EPS);
    assert!((sim.strength_after.unwrap() - both).abs() < 1e-9);
    // Steps in action-id order, whatever the order asked.
    assert_eq!(sim.actions, vec!["a1", "a2"]);
    assert_eq!(sim.steps[0].action, "a1");
    assert!((sim.steps[0].marginal_gain - g1).abs() < 1e-9);
    let m2 = sim.steps[1].marginal_gain;
    println!("single gains {g1} {g2}, together {plan_gain}, second step {m2}");
    assert!((g1 + m2 - plan_gain).abs() < 1e-9);
    // The overlap: both close the same bridge, so the second adds less than alone.
    assert!((sim.sum_of_single_gains - (g1 + g2)).abs() < EPS);
    assert!(
        plan_gain < g1 + g2 - 1e-6,
        "plan {plan_gain} should be below the single gains' sum {}",
        g1 + g2
    );
    assert!(m2 < g2 - 1e-6);
    // Effects: the ties the steps add.
    assert_eq!(
        sim.steps[0].effects.ties_added,
        vec![["a".to_string(), "e".to_string()]]
    );
    assert_eq!(sim.effects.ties_added.len(), 2);
    // The best plan within budget 2: the two convenes tie on gain per effort, so a1 goes
    // first (action id); a2 then adds nothing the bridge's closing has not given already
    // (marginal gain not > 0), so the plan stops after a1.
    let plan = best_plan(
        &ctx,
        &analysis.actions,
        analysis.transition.metrics.strength,
        2,
    );
    assert_eq!(plan.steps.len(), 1, "{plan:?}");
    assert_eq!(plan.steps[0].action, "a1");
    assert!((plan.plan_gain - g1).abs() < 1e-9);
    assert!((plan.sum_of_single_gains - g1).abs() < EPS);
    assert_eq!(plan.effort, 1);
}

#[test]
fn budget_zero_gives_an_empty_plan() {
    let b = bridge_map();
    let (analysis, now) = with_actions(&b, |now| {
        vec![action(
            &b,
            now,
            "a1",
            ActionKind::Convene,
            1,
            vec![add_tie("a", "e")],
        )]
    });
    let (ctx, _) = context_and_analysis(&b, &analysis.settings, Window::default(), Lang::En);
    let plan = best_plan(
        &ctx,
        &analysis.actions,
        analysis.transition.metrics.strength,
        0,
    );
    assert_eq!(plan.budget, 0);
    assert!(plan.steps.is_empty());
    assert_eq!(plan.plan_gain, 0.0);
    assert_eq!(plan.sum_of_single_gains, 0.0);
    assert_eq!(plan.strength_after, Some(now));
    // Budget 1 takes it.
    assert_eq!(
        best_plan(
            &ctx,
            &analysis.actions,
            analysis.transition.metrics.strength,
            1
        )
        .steps
        .len(),
        1
    );
}

#[test]
fn unknown_actions_are_named() {
    let b = bridge_map();
    let (analysis, _) = with_actions(&b, |now| {
        vec![action(
            &b,
            now,
            "a1",
            ActionKind::Convene,
            1,
            vec![add_tie("a", "e")],
        )]
    });
    let (ctx, _) = context_and_analysis(&b, &analysis.settings, Window::default(), Lang::En);
    let e = simulate_plan(
        &ctx,
        &analysis.actions,
        analysis.transition.metrics.strength,
        &["a1".into(), "a7".into(), "x".into()],
    )
    .unwrap_err();
    assert_eq!(e.0, vec!["a7", "x"]);
}

#[test]
fn later_change_to_the_same_stance_replaces_the_earlier() {
    let b = bridge_map();
    let (analysis, _) = with_actions(&b, |now| {
        vec![
            action(
                &b,
                now,
                "a1",
                ActionKind::Brief,
                2,
                vec![set("g", "n1", 2), set("h", "n1", 1)],
            ),
            action(
                &b,
                now,
                "a2",
                ActionKind::Counter,
                3,
                vec![set("g", "n1", -1)],
            ),
        ]
    });
    let joint = joint_changes(&analysis.actions);
    assert_eq!(joint, vec![set("g", "n1", -1), set("h", "n1", 1)]);
}

/// Every subset of `actions` within `budget`: (bit mask, effort, gain by the full path).
fn brute_force(b: &Bundle, analysis: &Analysis, now: f64, budget: u32) -> Vec<(usize, u32, f64)> {
    let n = analysis.actions.len();
    (0..1usize << n)
        .filter_map(|mask| {
            let chosen: Vec<&Action> = (0..n)
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| &analysis.actions[i])
                .collect();
            let effort: u32 = chosen.iter().map(|a| u32::from(a.effort)).sum();
            (effort <= budget).then(|| {
                let gain = if chosen.is_empty() {
                    0.0
                } else {
                    full_strength(b, &joint_changes(chosen)) - now
                };
                (mask, effort, gain)
            })
        })
        .collect()
}

/// The greedy order and marginal gains, recomputed from the brute-force table of subset
/// gains: each round the candidate with the best (gain(S + c) - gain(S)) / effort.
fn greedy_from_table(
    analysis: &Analysis,
    table: &[(usize, u32, f64)],
    budget: u32,
) -> Vec<(String, f64)> {
    let gain = |mask: usize| table.iter().find(|t| t.0 == mask).map(|t| t.2);
    let mut mask = 0usize;
    let mut left = budget;
    let mut out = Vec::new();
    loop {
        let mut best: Option<(usize, f64, f64)> = None;
        for (i, a) in analysis.actions.iter().enumerate() {
            if mask & (1 << i) != 0 || u32::from(a.effort) > left {
                continue;
            }
            let Some(g) = gain(mask | (1 << i)) else {
                continue;
            };
            let m = g - gain(mask).unwrap();
            let r = m / f64::from(a.effort);
            if best.is_none_or(|b| r > b.2 + 1e-12) {
                best = Some((i, m, r));
            }
        }
        let Some((i, m, _)) = best else { break };
        if m <= 1e-9 {
            break;
        }
        mask |= 1 << i;
        left -= u32::from(analysis.actions[i].effort);
        out.push((analysis.actions[i].id.clone(), m));
    }
    out
}

/// Convenes, a brief and a mobilisation on the bridge map; budget 4.
fn greedy_optimal_actions(b: &Bundle, now: f64) -> Vec<Action> {
    vec![
        action(
            b,
            now,
            "a1",
            ActionKind::Convene,
            1,
            vec![add_tie("a", "e")],
        ),
        action(
            b,
            now,
            "a2",
            ActionKind::Convene,
            1,
            vec![add_tie("b", "f")],
        ),
        action(b, now, "a3", ActionKind::Brief, 2, vec![set("g", "n1", 1)]),
        action(b, now, "a4", ActionKind::Brief, 2, vec![set("h", "n1", 1)]),
        action(
            b,
            now,
            "a5",
            ActionKind::Convene,
            1,
            vec![add_tie("c", "e")],
        ),
    ]
}

#[test]
fn greedy_equals_brute_force_where_greedy_is_optimal() {
    let b = bridge_map();
    let budget = 4;
    let (analysis, now) = with_actions(&b, |now| greedy_optimal_actions(&b, now));
    let (ctx, _) = context_and_analysis(&b, &analysis.settings, Window::default(), Lang::En);
    let plan = best_plan(
        &ctx,
        &analysis.actions,
        analysis.transition.metrics.strength,
        budget,
    );
    let table = brute_force(&b, &analysis, now, budget);
    // The greedy order and marginal gains from the table of subset gains.
    let expected = greedy_from_table(&analysis, &table, budget);
    let got: Vec<(String, f64)> = plan
        .steps
        .iter()
        .map(|s| (s.action.clone(), s.marginal_gain))
        .collect();
    assert_eq!(got.len(), expected.len(), "{got:?} vs {expected:?}");
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(g.0, e.0, "{got:?} vs {expected:?}");
        assert!((g.1 - e.1).abs() < 1e-9, "{got:?} vs {expected:?}");
    }
    // And here greedy reaches the optimum over all subsets within the budget.
    let best = table.iter().map(|t| t.2).fold(f64::MIN, f64::max);
    assert!(
        (plan.plan_gain - best).abs() < 1e-9,
        "greedy {} vs optimum {best}",
        plan.plan_gain
    );
    assert!(plan.effort <= budget);
}

#[test]
fn greedy_can_miss_the_optimum_and_the_test_documents_the_gap() {
    // One small step (brief g, effort 1 here) has the best gain per effort; the one large
    // step (recruit g, h and u1 together, effort 3) gains more but no longer fits after it.
    let b = bridge_map();
    let budget = 3;
    let (analysis, now) = with_actions(&b, |now| {
        vec![
            action(&b, now, "a1", ActionKind::Brief, 1, vec![set("g", "n1", 2)]),
            action(
                &b,
                now,
                "a2",
                ActionKind::RecruitDomain,
                3,
                ["g", "h", "u1"].iter().map(|x| set(x, "n1", 2)).collect(),
            ),
        ]
    });
    let (ctx, _) = context_and_analysis(&b, &analysis.settings, Window::default(), Lang::En);
    let g1 = analysis.actions[0].expected_gain.unwrap();
    let g2 = analysis.actions[1].expected_gain.unwrap();
    let plan = best_plan(
        &ctx,
        &analysis.actions,
        analysis.transition.metrics.strength,
        budget,
    );
    let table = brute_force(&b, &analysis, now, budget);
    let best = table.iter().map(|t| t.2).fold(f64::MIN, f64::max);
    assert!(
        g1 > g2 / 3.0,
        "the small step has the better ratio: {g1} vs {g2}/3"
    );
    assert!(g2 > g1, "the large step gains more: {g2} vs {g1}");
    assert_eq!(plan.steps.len(), 1);
    assert_eq!(plan.steps[0].action, "a1");
    assert!((best - g2).abs() < 1e-9);
    let gap = best - plan.plan_gain;
    assert!(gap > 1e-6, "greedy {} vs optimum {best}", plan.plan_gain);
    println!(
        "greedy plan gain {:.3} (a1), optimum {:.3} (a2): gap {:.3}",
        plan.plan_gain, best, gap
    );
}

#[test]
fn best_plan_is_deterministic_and_in_the_analysis() {
    let b = bridge_map();
    let s = Settings::default();
    let (_, x) = context_and_analysis(&b, &s, Window::default(), Lang::En);
    let (_, y) = context_and_analysis(&b, &s, Window::default(), Lang::Nl);
    assert_eq!(x.best_plan, y.best_plan);
    assert_eq!(x.best_plan.budget, DEFAULT_BUDGET);
    let (ctx, _) = context_and_analysis(&b, &s, Window::default(), Lang::En);
    assert_eq!(
        best_plan(
            &ctx,
            &x.actions,
            x.transition.metrics.strength,
            DEFAULT_BUDGET
        ),
        x.best_plan
    );
    assert_eq!(
        serde_json::to_string(&best_plan(
            &ctx,
            &x.actions,
            x.transition.metrics.strength,
            4
        ))
        .unwrap(),
        serde_json::to_string(&best_plan(
            &ctx,
            &x.actions,
            x.transition.metrics.strength,
            4
        ))
        .unwrap()
    );
}
