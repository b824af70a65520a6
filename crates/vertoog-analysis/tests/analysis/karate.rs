//! Structure measures against networkx on Zachary's karate club. The reference values are
//! produced by `tests/reference/karate.py` and committed as `tests/data/karate/networkx.json`.

use serde_json::Value;
use vertoog_analysis::centrality::{betweenness, constraint_and_effective_size};
use vertoog_analysis::graph::{average_clustering, cut_structure, Csr};
use vertoog_analysis::{analyse, Window};
use vertoog_model::{Actor, Bundle, Map, Settings, Tie, TieKind};

const REFERENCE: &str = include_str!("../../../../tests/data/karate/networkx.json");

fn reference() -> Value {
    serde_json::from_str(REFERENCE).expect("reference JSON parses")
}

fn edges(r: &Value) -> Vec<(u32, u32, f64)> {
    r["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e[0].as_u64().unwrap() as u32,
                e[1].as_u64().unwrap() as u32,
                e[2].as_f64().unwrap(),
            )
        })
        .collect()
}

fn floats(v: &Value) -> Vec<Option<f64>> {
    v.as_array().unwrap().iter().map(Value::as_f64).collect()
}

fn assert_close(ours: &[Option<f64>], theirs: &[Option<f64>], what: &str) {
    assert_eq!(ours.len(), theirs.len(), "{what}");
    for (i, (a, b)) in ours.iter().zip(theirs).enumerate() {
        match (a, b) {
            (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{what} node {i}: {a} vs {b}"),
            _ => assert_eq!(a, b, "{what} node {i}"),
        }
    }
}

#[test]
fn karate_matches_networkx() {
    let r = reference();
    let n = r["nodes"].as_u64().unwrap() as usize;
    let e = edges(&r);
    assert_eq!(e.len(), 78);
    let unweighted = Csr::from_edges(n, e.iter().map(|&(a, b, _)| (a, b, 1.0)), f64::max);
    let weighted = Csr::from_edges(n, e.iter().copied(), f64::max);

    let bc = betweenness(&unweighted, 5000, 500, 42);
    assert!(bc.exact);
    let ours: Vec<Option<f64>> = bc.values.iter().map(|&v| Some(v)).collect();
    assert_close(&ours, &floats(&r["betweenness"]), "betweenness");

    let (c, es) = constraint_and_effective_size(&unweighted);
    assert_close(&c, &floats(&r["constraint"]), "constraint");
    assert_close(&es, &floats(&r["effective_size"]), "effective size");
    let (c, es) = constraint_and_effective_size(&weighted);
    assert_close(
        &c,
        &floats(&r["constraint_weighted"]),
        "weighted constraint",
    );
    assert_close(
        &es,
        &floats(&r["effective_size_weighted"]),
        "weighted effective size",
    );

    let cl = average_clustering(&unweighted).unwrap();
    assert!((cl - r["average_clustering"].as_f64().unwrap()).abs() < 1e-9);

    let cuts = cut_structure(&unweighted);
    let bridges: Vec<Vec<u64>> = cuts
        .bridges
        .iter()
        .map(|&(a, b)| vec![a as u64, b as u64])
        .collect();
    let expect: Vec<Vec<u64>> = serde_json::from_value(r["bridges"].clone()).unwrap();
    assert_eq!(bridges, expect);
    let aps: Vec<u64> = cuts.articulation_points.iter().map(|&a| a as u64).collect();
    let expect: Vec<u64> = serde_json::from_value(r["articulation_points"].clone()).unwrap();
    assert_eq!(aps, expect);
}

/// The same numbers through `analyse`, with actor ids `k00`..`k33` (so id order = node order).
#[test]
fn karate_through_analyse() {
    let r = reference();
    let mut b = Bundle::new(Map::new("karate"));
    b.actors = (0..34)
        .map(|i| Actor::new(format!("k{i:02}"), format!("Member {i}")))
        .collect();
    b.ties = edges(&r)
        .iter()
        .enumerate()
        .map(|(i, &(u, v, _))| {
            Tie::new(
                format!("t{i}"),
                format!("k{u:02}"),
                format!("k{v:02}"),
                TieKind::Communication,
            )
            .with_weight(1.0)
        })
        .collect();
    let a = analyse(&b, &Settings::default(), Window::default());
    let s = &a.structure;
    assert!(s.betweenness_exact);
    let expect = floats(&r["betweenness"]);
    for (i, x) in expect.iter().enumerate() {
        let ours = s.betweenness[&format!("k{i:02}")];
        assert!((ours - x.unwrap()).abs() < 1e-9);
    }
    let expect = floats(&r["constraint"]);
    for (i, x) in expect.iter().enumerate() {
        let ours = s.constraint[&format!("k{i:02}")].unwrap();
        assert!((ours - x.unwrap()).abs() < 1e-9);
    }
    assert_eq!(s.bridges, vec![["k00".to_string(), "k11".to_string()]]);
    assert_eq!(s.articulation_points, vec!["k00".to_string()]);
    // Removing k00 leaves {k11}, {k04, k05, k06, k10, k16} and the other 27 members (networkx:
    // components of G - 0): two parts of two or more, so k00 is a critical broker.
    assert_eq!(s.critical_brokers, vec!["k00".to_string()]);
    assert_eq!(s.components.len(), 1);
    assert_eq!(s.degree["k00"], 16);
}
