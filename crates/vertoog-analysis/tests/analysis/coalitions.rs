//! Coalition detection end to end: planted coalitions, the effect of the conflict resolution,
//! Read's highland tribes on the ties basis, determinism and the JSON shape.

use std::collections::BTreeMap;

use vertoog_analysis::prng::SplitMix64;
use vertoog_analysis::{analyse, nmi, Analysis, Window};
use vertoog_model::{
    Actor, Bundle, CoalitionBasis, Map, Narrative, Settings, Stance, Tie, TieKind,
};

/// Each coalition's label per actor id.
fn labels(a: &Analysis) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for (i, c) in a.coalitions.iter().enumerate() {
        for m in &c.members {
            out.insert(m.clone(), i);
        }
    }
    out
}

/// 4 planted groups of 30 actors, 40 narratives. Each group has a random storyline (positions
/// in {-2,-1,1,2}); an actor speaks on each narrative with probability 1/2, takes its group's
/// position, and with probability 0.1 a random position in -2..2 instead (noise).
fn planted(seed: u64) -> (Bundle, Vec<usize>) {
    let mut rng = SplitMix64::new(seed);
    let (groups, per, narratives) = (4, 30, 40);
    let story: Vec<Vec<i8>> = (0..groups)
        .map(|_| {
            (0..narratives)
                .map(|_| [-2i8, -1, 1, 2][rng.below(4) as usize])
                .collect()
        })
        .collect();
    let mut b = Bundle::new(Map::new("planted"));
    b.narratives = (0..narratives)
        .map(|n| Narrative::new(format!("n{n:02}"), format!("Narrative {n}"), n < 6))
        .collect();
    let mut truth = Vec::new();
    for (g, story_g) in story.iter().enumerate() {
        for i in 0..per {
            let id = format!("a{:03}", g * per + i);
            b.actors.push(Actor::new(id.clone(), id.clone()));
            truth.push(g);
            for (n, &pos) in story_g.iter().enumerate() {
                if rng.next_f64() < 0.5 {
                    let p = if rng.next_f64() < 0.1 {
                        rng.below(5) as i8 - 2
                    } else {
                        pos
                    };
                    b.stances.push(Stance::new(
                        format!("s{}", b.stances.len()),
                        id.clone(),
                        format!("n{n:02}"),
                        p,
                    ));
                }
            }
        }
    }
    (b, truth)
}

#[test]
fn planted_coalitions_are_recovered() {
    for seed in [1, 2, 3] {
        let (b, truth) = planted(seed);
        let a = analyse(&b, &Settings::default(), Window::default());
        let lab = labels(&a);
        let found: Vec<usize> = b
            .actors
            .iter()
            .map(|x| lab.get(&x.id).copied().unwrap_or(usize::MAX))
            .collect();
        let score = nmi(&truth, &found).unwrap();
        assert!(
            score >= 0.95,
            "seed {seed}: NMI {score}, {} coalitions",
            a.coalitions.len()
        );
        // Q equals the sum of the shares, and the storyline of c1 covers its group's story.
        let q = a.modularity.unwrap();
        let sum: f64 = a
            .coalitions
            .iter()
            .map(|c| c.modularity_share.unwrap())
            .sum();
        assert!((q - sum).abs() < 1e-9);
        assert!(q > 0.1);
        assert!(a.coalitions[0].storyline.iter().all(|s| s.coverage > 0.0));
    }
}

/// Groups A and B take opposite positions on narratives 0..9, C and D on 10..19; everyone
/// says +1 on the consensus narratives 20 and 21. A and C never conflict, nor B and D, etc.
fn two_axes() -> (Bundle, Vec<usize>) {
    let mut rng = SplitMix64::new(9);
    let mut b = Bundle::new(Map::new("axes"));
    b.narratives = (0..22)
        .map(|n| Narrative::new(format!("n{n:02}"), format!("N{n}"), false))
        .collect();
    let mut truth = Vec::new();
    for g in 0..4usize {
        for i in 0..15 {
            let id = format!("a{:03}", g * 15 + i);
            b.actors.push(Actor::new(id.clone(), id.clone()));
            truth.push(g);
            let (range, sign) = match g {
                0 => (0..10, 2i8),
                1 => (0..10, -2),
                2 => (10..20, 2),
                _ => (10..20, -2),
            };
            for n in range.chain(20..22) {
                if rng.next_f64() < 0.7 {
                    let p = if n >= 20 { 1 } else { sign };
                    b.stances.push(Stance::new(
                        format!("s{}", b.stances.len()),
                        id.clone(),
                        format!("n{n:02}"),
                        p,
                    ));
                }
            }
        }
    }
    (b, truth)
}

#[test]
fn conflict_resolution_zero_keeps_the_groups_one_merges_non_conflicting_pairs() {
    let (b, truth) = two_axes();
    let a = analyse(&b, &Settings::default(), Window::default());
    let lab = labels(&a);
    let found: Vec<usize> = b.actors.iter().map(|x| lab[&x.id]).collect();
    assert!(nmi(&truth, &found).unwrap() >= 0.95, "γ- = 0: {found:?}");
    assert_eq!(a.coalitions.len(), 4);

    let s = Settings {
        conflict_resolution: 1.0,
        ..Settings::default()
    };
    let a = analyse(&b, &s, Window::default());
    // γ- = 1 merges groups that merely do not conflict: fewer coalitions than groups, each a
    // union of whole planted groups, never two groups that oppose each other. (Which pairs
    // merge depends on small differences in the sampled data: on this map B and D merge and
    // A and C stay apart; the unit test `leiden::conflict_resolution_merges_...` shows both
    // pairs merging on a symmetric hand-made graph.)
    assert!(a.coalitions.len() < 4, "{} coalitions", a.coalitions.len());
    let mut merged = 0;
    for c in &a.coalitions {
        let groups: std::collections::BTreeSet<usize> = c
            .members
            .iter()
            .map(|m| truth[b.actors.iter().position(|x| &x.id == m).unwrap()])
            .collect();
        let whole: usize = groups
            .iter()
            .map(|g| truth.iter().filter(|t| *t == g).count())
            .sum();
        assert_eq!(whole, c.members.len(), "a coalition splits a planted group");
        assert!(!(groups.contains(&0) && groups.contains(&1)));
        assert!(!(groups.contains(&2) && groups.contains(&3)));
        if groups.len() == 2 {
            merged += 1;
        }
    }
    assert!(merged >= 1);
}

fn tribes() -> Bundle {
    let actors = include_str!("../../../../tests/data/tribes/actors.csv");
    let ties = include_str!("../../../../tests/data/tribes/ties.csv");
    let mut b = Bundle::new(Map::new("tribes"));
    for line in actors.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.trim().split(',').collect();
        b.actors.push(Actor::new(f[0], f[1]));
    }
    for (i, line) in ties
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .enumerate()
    {
        let f: Vec<&str> = line.trim().split(',').collect();
        let kind = TieKind::parse(f[2]).expect("known kind");
        let w: f64 = f[3].parse().expect("weight");
        b.ties
            .push(Tie::new(format!("t{i}"), f[0], f[1], kind).with_weight(w));
    }
    b
}

/// Read's Gahuku-Gama tribes: 16 tribes, 29 alliances, 29 enmities. No partition puts every
/// alliance inside and every enmity between groups; the three-group partition of the
/// literature (Hage & Harary 1983; Doreian & Mrvar 1996) leaves only two alliances between
/// groups and no enmity inside. Signed modularity on the ties basis finds exactly it.
#[test]
fn highland_tribes_three_alliance_groups() {
    let b = tribes();
    assert_eq!(b.actors.len(), 16);
    assert_eq!(b.ties.len(), 58);
    let s = Settings {
        coalition_basis: CoalitionBasis::Ties,
        ..Settings::default()
    };
    let a = analyse(&b, &s, Window::default());
    let groups: Vec<Vec<&str>> = a
        .coalitions
        .iter()
        .map(|c| c.members.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(
        groups,
        vec![
            vec!["alika", "asaro", "gahuk", "geham", "masil", "ove", "ukudz"],
            vec!["kohik", "nagam", "notoh", "seuve", "uheto"],
            vec!["gama", "gavev", "kotun", "nagad"],
        ]
    );
    assert!(a.unpositioned.is_empty());
    // No enmity inside a group; count alliances across groups.
    let lab = labels(&a);
    let mut across = 0;
    for t in &b.ties {
        let same = lab[&t.source] == lab[&t.target];
        if t.kind == TieKind::Conflict {
            assert!(!same, "enmity inside: {} - {}", t.source, t.target);
        } else if !same {
            across += 1;
        }
    }
    assert_eq!(across, 2);
}

#[test]
fn repeated_runs_give_identical_output() {
    let (mut b, _) = planted(4);
    for (i, pair) in b.actors.clone().windows(2).enumerate().step_by(3) {
        b.ties.push(
            Tie::new(
                format!("t{i}"),
                &pair[0].id,
                &pair[1].id,
                TieKind::Collaboration,
            )
            .with_weight(0.5),
        );
    }
    let s = Settings::default();
    let first = serde_json::to_string(&analyse(&b, &s, Window::default())).unwrap();
    for _ in 0..3 {
        assert_eq!(
            serde_json::to_string(&analyse(&b, &s, Window::default())).unwrap(),
            first
        );
    }
    // The order of the bundle's lists does not matter either.
    let mut shuffled = b.clone();
    shuffled.actors.reverse();
    shuffled.stances.reverse();
    shuffled.ties.reverse();
    shuffled.narratives.reverse();
    assert_eq!(
        serde_json::to_string(&analyse(&shuffled, &s, Window::default())).unwrap(),
        first
    );
}

#[test]
fn approximate_path_above_max_pairs_is_flagged() {
    let (b, truth) = planted(5);
    let s = Settings {
        max_pairs: 1000,
        knn_k: 15,
        betweenness_exact_limit: 10,
        betweenness_samples: 5,
        ..Settings::default()
    };
    let a = analyse(&b, &s, Window::default());
    assert!(a.approximate.contains(&"coalitions".to_string()));
    assert!(a.approximate.contains(&"modularity".to_string()));
    let lab = labels(&a);
    let found: Vec<usize> = b.actors.iter().map(|x| lab[&x.id]).collect();
    let score = nmi(&truth, &found).unwrap();
    assert!(score >= 0.9, "kNN NMI {score}");
}

#[test]
fn json_shape_matches_interfaces() {
    let (mut b, _) = planted(6);
    b.actors[0].domain = "ministry".into();
    b.ties
        .push(Tie::new("t1", "a000", "a001", TieKind::Collaboration));
    let v = serde_json::to_value(analyse(&b, &Settings::default(), Window::default())).unwrap();
    for key in [
        "map",
        "window",
        "settings",
        "coalitions",
        "modularity",
        "transition",
        "structure",
        "gaps",
        "actions",
        "approximate",
        "unpositioned",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["window"], serde_json::json!({"from": null, "to": null}));
    let c = &v["coalitions"][0];
    assert_eq!(c["id"], "c1");
    for key in ["members", "modularity_share", "storyline", "metrics"] {
        assert!(c.get(key).is_some(), "coalition {key}");
    }
    for key in ["narrative", "mean_position", "coverage", "sd"] {
        assert!(c["storyline"][0].get(key).is_some(), "storyline {key}");
    }
    let metrics = [
        "size",
        "influence",
        "influence_share",
        "breadth",
        "evenness",
        "discourse_cohesion",
        "connectedness",
        "weighted_density",
        "clustering",
        "components",
        "bridges",
        "articulation_points",
        "narrative_support",
        "strength",
    ];
    for key in metrics {
        assert!(c["metrics"].get(key).is_some(), "coalition metric {key}");
        assert!(
            v["transition"]["metrics"].get(key).is_some(),
            "T metric {key}"
        );
    }
    assert!(c["metrics"]["narrative_support"].is_null());
    for key in [
        "supporters",
        "opponents",
        "undecided",
        "silent",
        "dominance",
    ] {
        assert!(v["transition"].get(key).is_some(), "transition {key}");
    }
    for key in [
        "bridges",
        "articulation_points",
        "betweenness",
        "betweenness_exact",
        "constraint",
        "effective_size",
        "components",
    ] {
        assert!(v["structure"].get(key).is_some(), "structure {key}");
    }
    // An actor without ties: constraint null; the tie a000-a001 is a bridge.
    assert!(v["structure"]["constraint"]["a002"].is_null());
    assert_eq!(
        v["structure"]["bridges"],
        serde_json::json!([["a000", "a001"]])
    );
    // Gaps and actions carry the fields of docs/interfaces.md.
    for g in v["gaps"].as_array().unwrap() {
        for key in ["id", "type", "severity", "subjects", "evidence", "message"] {
            assert!(g.get(key).is_some(), "gap {key}");
        }
    }
    for a in v["actions"].as_array().unwrap() {
        for key in [
            "id",
            "kind",
            "targets",
            "messenger",
            "narrative",
            "gaps",
            "rationale",
            "lesson",
            "effort",
            "expected_gain",
            "priority",
        ] {
            assert!(a.get(key).is_some(), "action {key}");
        }
    }
    // Every core narrative has a dominance entry.
    assert_eq!(v["transition"]["dominance"].as_object().unwrap().len(), 6);
}

/// On the discourse basis the detection runs on w itself, the actors without a position
/// (isolated in w) left out afterwards: the coalitions, their shares and Q must be bit for bit
/// those of the detection on the basis network (w without those actors), which was what it
/// ran on before. Maps with silent actors: S `sparse` (10 %) and `skewed` (20 %), two seeds.
#[test]
fn detection_on_w_equals_detection_on_the_basis_network_without_the_silent_actors() {
    use vertoog_analysis::coalitions::{basis_network, detect_coalitions};
    use vertoog_analysis::discourse::discourse_network;
    use vertoog_analysis::leiden::{detect_with_shares, Resolution};
    use vertoog_analysis::prepare::Prepared;
    use vertoog_generate::{generate_shaped, Class, Shape};
    let settings = Settings::default();
    let res = Resolution {
        positive: settings.resolution,
        negative: settings.conflict_resolution,
    };
    for shape in ["sparse", "skewed"] {
        for seed in [1, 2] {
            let bundle = generate_shaped(Class::S, Shape::named(shape).unwrap(), seed, None).bundle;
            let prep = Prepared::new(&bundle, Window::default());
            let silent = prep.positions.iter().filter(|p| p.is_empty()).count();
            assert!(silent > 10, "{shape} {seed}: {silent} silent actors");
            let net = discourse_network(&prep, settings.max_pairs, settings.knn_k);
            let detected = detect_coalitions(&prep, &net, &settings);
            let basis = basis_network(&prep, &net, CoalitionBasis::Discourse);
            assert_eq!(basis.nodes.len(), prep.n_actors() - silent);
            let (labels, scored) = detect_with_shares(&basis.graph, res);
            let (q, shares) = scored.unwrap();
            // The basis detection's coalitions in the order detect_coalitions gives them.
            let mut groups: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
            for (&a, &l) in basis.nodes.iter().zip(&labels) {
                groups.entry(l).or_default().push(a);
            }
            let mut expected: Vec<(Vec<u32>, f64)> = groups
                .into_iter()
                .map(|(l, m)| (m, shares[l as usize]))
                .collect();
            expected.sort_by(|x, y| y.0.len().cmp(&x.0.len()).then(x.0[0].cmp(&y.0[0])));
            assert_eq!(detected.modularity.map(f64::to_bits), Some(q.to_bits()));
            assert_eq!(detected.coalitions.len(), expected.len());
            for (i, (members, share)) in expected.iter().enumerate() {
                assert_eq!(
                    &detected.coalitions[i], members,
                    "{shape} {seed} coalition {i}"
                );
                assert_eq!(detected.shares[i].map(f64::to_bits), Some(share.to_bits()));
            }
            assert_eq!(detected.unpositioned.len(), silent);
        }
    }
}
