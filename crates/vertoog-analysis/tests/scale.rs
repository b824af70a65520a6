//! A map of scale class M (quality.md: 5,000 actors, 500 narratives, 200,000 stances, 50,000
//! ties) with 10 planted coalitions. Ignored by default (slow in debug builds); run with
//! `cargo test --release -p vertoog-analysis --test scale -- --ignored --nocapture`.
//! It checks the result, and prints the time of each stage for information only.

use std::time::Instant;

use vertoog_analysis::prng::SplitMix64;
use vertoog_analysis::{analyse, nmi, Window};
use vertoog_model::{Actor, Bundle, Map, Narrative, Settings, Stance, Tie, TieKind};

fn m_map() -> (Bundle, Vec<usize>) {
    let mut rng = SplitMix64::new(2024);
    let (actors, narratives, groups, per_actor) = (5_000usize, 500usize, 10usize, 40usize);
    let story: Vec<Vec<i8>> = (0..groups)
        .map(|_| {
            (0..narratives)
                .map(|_| [-2i8, -1, 1, 2][rng.below(4) as usize])
                .collect()
        })
        .collect();
    let mut b = Bundle::new(Map::new("m"));
    b.narratives = (0..narratives)
        .map(|n| Narrative::new(format!("n{n:03}"), format!("N{n}"), n < 10))
        .collect();
    let mut truth = Vec::new();
    for a in 0..actors {
        let g = a % groups;
        truth.push(g);
        let id = format!("a{a:04}");
        b.actors.push(Actor::new(id.clone(), id.clone()));
        for n in rng.sample_indices(narratives, per_actor) {
            let p = if rng.next_f64() < 0.1 {
                rng.below(5) as i8 - 2
            } else {
                story[g][n]
            };
            b.stances.push(Stance::new(
                format!("s{}", b.stances.len()),
                id.clone(),
                format!("n{n:03}"),
                p,
            ));
        }
    }
    for i in 0..50_000 {
        let x = rng.below(actors as u64);
        let y = rng.below(actors as u64);
        if x != y {
            b.ties.push(
                Tie::new(
                    format!("t{i}"),
                    format!("a{x:04}"),
                    format!("a{y:04}"),
                    TieKind::Communication,
                )
                .with_weight(0.5),
            );
        }
    }
    (b, truth)
}

#[test]
#[ignore]
fn m_map_is_analysed_exactly_and_finds_the_planted_groups() {
    let (b, truth) = m_map();
    assert_eq!(b.stances.len(), 200_000);
    let s = Settings::default();

    let t = Instant::now();
    let prep = vertoog_analysis::prepare::Prepared::new(&b, Window::all());
    let t_prep = t.elapsed();
    let t = Instant::now();
    let net = vertoog_analysis::discourse::discourse_network(&prep, s.max_pairs, s.knn_k);
    let t_w = t.elapsed();
    assert!(net.exact);

    let t = Instant::now();
    let d = vertoog_analysis::coalitions::detect_coalitions(&prep, &net, &s);
    let t_detect = t.elapsed();
    let t = Instant::now();
    let g = vertoog_analysis::graph::structural_graph(&prep);
    let bc = vertoog_analysis::centrality::betweenness(&g, 5000, 500, 1);
    let t_bc = t.elapsed();
    println!(
        "detect {t_detect:?} ({} coalitions), betweenness {t_bc:?} (exact {})",
        d.coalitions.len(),
        bc.exact
    );
    let t = Instant::now();
    let a = analyse(&b, &s, Window::all());
    let t_all = t.elapsed();
    println!(
        "prepare {t_prep:?}, w {t_w:?} ({} pairs), whole analysis {t_all:?}",
        net.nonzero_pairs
    );
    assert!(a.approximate.is_empty(), "{:?}", a.approximate);
    let mut label = std::collections::HashMap::new();
    for (i, c) in a.coalitions.iter().enumerate() {
        for m in &c.members {
            label.insert(m.clone(), i);
        }
    }
    let found: Vec<usize> = b.actors.iter().map(|x| label[&x.id]).collect();
    let score = nmi(&truth, &found).unwrap();
    println!("{} coalitions, NMI {score}", a.coalitions.len());
    assert!(score >= 0.95, "NMI {score}");
}
