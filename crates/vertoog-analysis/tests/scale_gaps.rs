//! Timing of gaps and actions (with every action's simulated what-if) on generated maps of
//! scale classes S and M (quality.md: full analysis of S under 50 ms, of M under 2 s, release
//! build). Ignored by default; run with
//! `cargo test --release -p vertoog-analysis --test scale_gaps -- --ignored --nocapture`.
//! Prints the time of the analysis without and with gaps and actions; asserts only the
//! results (timings are for information, quality.md).

use std::time::{Duration, Instant};

use vertoog_analysis::prng::SplitMix64;
use vertoog_analysis::{actions, analyse_context, gaps, Context, Lang, Window};
use vertoog_model::{
    Actor, Bundle, Map, Narrative, Settings, Stance, Tie, TieKind, DEFAULT_DOMAINS,
};

/// `actors` actors in `groups` planted groups with random storylines, `per_actor` stances
/// each, `ties` random ties (a tenth of them inside a group's neighbourhood), random
/// influence and domain, the first `core` narratives core; half the stances dated in
/// 2022-2024.
fn generated(
    actors: usize,
    narratives: usize,
    per_actor: usize,
    ties: usize,
    core: usize,
) -> Bundle {
    let mut rng = SplitMix64::new(7);
    let groups = 6;
    let story: Vec<Vec<i8>> = (0..groups)
        .map(|g| {
            (0..narratives)
                .map(|n| {
                    if n < core && g < 3 {
                        [1i8, 2][rng.below(2) as usize]
                    } else {
                        [-2i8, -1, 1, 2][rng.below(4) as usize]
                    }
                })
                .collect()
        })
        .collect();
    let mut b = Bundle::new(Map::new("scale"));
    b.narratives = (0..narratives)
        .map(|n| Narrative::new(format!("n{n:04}"), format!("N{n}"), n < core))
        .collect();
    for a in 0..actors {
        let g = a % groups;
        let id = format!("a{a:05}");
        let domain = DEFAULT_DOMAINS[rng.below(DEFAULT_DOMAINS.len() as u64) as usize];
        b.actors.push(
            Actor::new(id.clone(), id.clone())
                .with_domain(domain)
                .with_influence((rng.next_f64() * 100.0).round() / 100.0),
        );
        for n in rng.sample_indices(narratives, per_actor) {
            let p = if rng.next_f64() < 0.1 {
                rng.below(5) as i8 - 2
            } else {
                story[g][n]
            };
            let mut s = Stance::new(
                format!("s{}", b.stances.len()),
                id.clone(),
                format!("n{n:04}"),
                p,
            );
            if rng.next_f64() < 0.5 {
                let day = rng.below(3 * 365) as i64;
                s.date = Some(
                    "2022-01-01".parse::<vertoog_model::Date>().unwrap()
                        + chrono::Duration::days(day),
                );
            }
            b.stances.push(s);
        }
    }
    for i in 0..ties {
        let x = rng.below(actors as u64) as usize;
        let y = if i % 10 == 0 {
            rng.below(actors as u64) as usize
        } else {
            // mostly inside the same group
            let k = rng.below((actors / groups) as u64) as usize;
            (k * groups + x % groups).min(actors - 1)
        };
        if x != y {
            b.ties.push(
                Tie::new(
                    format!("t{i}"),
                    format!("a{x:05}"),
                    format!("a{y:05}"),
                    TieKind::Communication,
                )
                .with_weight(0.5),
            );
        }
    }
    b
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn run(name: &str, b: &Bundle, repeats: usize) {
    let s = Settings::default();
    let mut total = Vec::new();
    let mut base = Vec::new();
    let mut gap_t = Vec::new();
    let mut act_t = Vec::new();
    let mut last = None;
    for _ in 0..repeats {
        let t = Instant::now();
        let ctx = Context::new(b, &s, Window::all());
        let a = analyse_context(&ctx);
        total.push(t.elapsed());
        let t = Instant::now();
        let g = gaps::detect(&ctx, &a, Lang::En);
        gap_t.push(t.elapsed());
        let mut with_gaps = a.clone();
        with_gaps.gaps = g;
        let t = Instant::now();
        let acts = actions::propose(&ctx, &with_gaps, Lang::En);
        act_t.push(t.elapsed());
        base.push(
            total
                .last()
                .unwrap()
                .saturating_sub(*gap_t.last().unwrap() + *act_t.last().unwrap()),
        );
        assert_eq!(acts, a.actions);
        last = Some(a);
    }
    let a = last.unwrap();
    println!(
        "{name}: {} actors, {} stances, {} ties; T has {} members; {} gaps, {} actions",
        b.actors.len(),
        b.stances.len(),
        b.ties.len(),
        a.transition.supporters.len(),
        a.gaps.len(),
        a.actions.len()
    );
    println!(
        "{name}: full analysis {:?} (median of {repeats}); without gaps and actions ~{:?}; gaps {:?}; actions with what-ifs {:?}",
        median(total),
        median(base),
        median(gap_t),
        median(act_t)
    );
    assert!(!a.gaps.is_empty());
    assert!(!a.actions.is_empty());
    assert!(a.actions.iter().any(|x| x.expected_gain.is_some()));
}

#[test]
#[ignore]
fn s_map_gaps_and_actions_timing() {
    let b = generated(300, 40, 10, 1_500, 6);
    run("S", &b, 9);
}

#[test]
#[ignore]
fn m_map_gaps_and_actions_timing() {
    let b = generated(5_000, 500, 40, 50_000, 10);
    run("M", &b, 1);
}
