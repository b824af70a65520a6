//! A generated map of scale class M (docs/interfaces.md §9: 5,000 actors, 500 narratives, 200,000
//! stances, 50,000 ties) with planted coalitions: analysed exactly, the planted coalitions are
//! found, and the result is the same on a second run. Ignored by default (slow in a debug
//! build); run with `cargo test --release -p vertoog-analysis --test analysis scale -- --ignored`.
//! Timings are in the benchmarks (`cargo bench -p vertoog-analysis`), not here.

use vertoog_analysis::{analyse, nmi, Window};
use vertoog_generate::{generate, Class};

#[test]
#[ignore]
fn m_map_is_analysed_exactly_and_finds_the_planted_groups() {
    let g = generate(Class::M, 1);
    let b = &g.bundle;
    assert_eq!(b.stances.len(), 200_000);
    let s = &b.map.settings;
    let a = analyse(b, s, Window::default());
    assert!(a.approximate.is_empty(), "{:?}", a.approximate);
    assert!(a.structure.betweenness_exact);
    let mut label = std::collections::HashMap::new();
    for (i, c) in a.coalitions.iter().enumerate() {
        for m in &c.members {
            label.insert(m.as_str(), i);
        }
    }
    let found: Vec<usize> = g.planted.iter().map(|(id, _)| label[id.as_str()]).collect();
    let truth: Vec<usize> = g.planted.iter().map(|(_, group)| *group).collect();
    let score = nmi(&truth, &found).unwrap();
    assert!(score >= 0.95, "NMI {score}");
    assert!(!a.gaps.is_empty() && !a.actions.is_empty());
    assert_eq!(
        analyse(b, s, Window::default()),
        a,
        "a second run gives the same analysis"
    );
}
