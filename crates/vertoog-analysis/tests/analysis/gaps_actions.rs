//! Gaps, actions, what-if and stakeholder views end to end on a hand-made map in which every
//! gap type and every action kind appears with known subjects (issue 5).
//!
//! The map (core narratives k1 "Digital by default", k2 "Improve after go-live", k3 "Central
//! facilities first"; x1 non-core):
//! - national half: Ministerie van BZK (0.9), Logius (0.5), Ministerie van EZK (0.5), a
//!   triangle of ties; municipal half: VNG (0.8), Gemeente Utrecht (0.35), Gemeente Zaanstad
//!   (0.3), IBD (0.3); the halves are joined only by the tie BZK – VNG (bridge, brokers);
//! - Gemeente Ede (0.3) supports but has no tie (isolated, fragmented coalition);
//! - Ministerie van Financiën (0.8) is silent (swing actor) with a target of +2 (engagement
//!   gap, manage closely); TNO (science, 0.5) is silent: no science in T (missing domain);
//! - municipalities are in T only through actors below 0.4 (weak domain); Gemeente Amsterdam
//!   (0.55) is undecided;
//! - Autoriteit Persoonsgegevens (0.7) opposes (strong opponent); with Burgerrechtenplatform
//!   they make the opposition dominate k2 (negative dominance); nobody influential carries k2
//!   or k3 (unchampioned);
//! - EZK and Zaanstad share the storyline (w = 2/3) at distance 3 (latent allies);
//! - IBD's only dated stance is from 2021 while the map runs to 2024-06-01 (dormant member);
//!   the tie Logius – EZK dates from 2019 (dormant tie).

use vertoog_analysis::gaps::GapType;
use vertoog_analysis::{
    action_changes, analyse, analyse_lang, text_report, timeline, whatif, Action, ActionKind,
    Analysis, Change, Gap, Lang, Period, Quadrant, Salience, Window,
};
use vertoog_model::{Actor, Bundle, Date, Map, Narrative, Settings, Stance, Tie, TieKind};

/// The evidence of a gap as its JSON (what `analyse --json` writes).
fn ev(g: &Gap) -> serde_json::Value {
    serde_json::to_value(&g.evidence).unwrap()
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn actor(id: &str, name: &str, domain: &str, influence: f64) -> Actor {
    Actor::new(id, name)
        .with_domain(domain)
        .with_influence(influence)
}

fn map() -> Bundle {
    let mut b = Bundle::new(Map::new("demo"));
    let mut fin = actor("fin", "Ministerie van Financiën", "ministry", 0.8);
    fin.target_position = Some(2);
    let mut ams = actor("amsterdam", "Gemeente Amsterdam", "municipality", 0.55);
    ams.target_position = Some(1);
    ams.interest = 0.3;
    let mut bzk = actor("bzk", "Ministerie van BZK", "ministry", 0.9);
    bzk.legitimacy = true;
    bzk.urgency = true;
    b.actors = vec![
        bzk,
        actor("logius", "Logius", "agency", 0.5),
        actor("ez", "Ministerie van EZK", "ministry", 0.5),
        actor("vng", "VNG", "vng", 0.8),
        actor("utrecht", "Gemeente Utrecht", "municipality", 0.35),
        actor("zaanstad", "Gemeente Zaanstad", "municipality", 0.3),
        actor("ibd", "IBD", "vng", 0.3),
        actor("ede", "Gemeente Ede", "municipality", 0.3),
        fin,
        actor("tno", "TNO", "science", 0.5),
        ams,
        actor("ap", "Autoriteit Persoonsgegevens", "agency", 0.7),
        actor("burgers", "Burgerrechtenplatform", "civil-society", 0.5),
    ];
    b.narratives = vec![
        Narrative::new("k1", "Digital by default", true),
        Narrative::new("k2", "Improve after go-live", true),
        Narrative::new("k3", "Central facilities first", true),
        Narrative::new("x1", "Privacy risks", false),
    ];
    let st = |i: usize, a: &str, n: &str, p: i8| Stance::new(format!("s{i}"), a, n, p);
    b.stances = vec![
        st(1, "bzk", "k1", 2),
        st(2, "logius", "k1", 2),
        st(3, "ez", "k1", 2),
        st(4, "ez", "x1", 2),
        st(5, "vng", "k1", 2),
        st(6, "utrecht", "k1", 2).dated(d("2024-06-01")),
        st(7, "utrecht", "k2", 1),
        st(8, "utrecht", "k3", 1),
        st(9, "zaanstad", "k1", 2),
        st(10, "zaanstad", "k3", 1),
        st(11, "zaanstad", "x1", 2),
        st(12, "ibd", "k1", 1).dated(d("2021-05-01")),
        st(13, "ede", "k1", 2),
        st(14, "amsterdam", "k1", 1),
        st(15, "amsterdam", "k2", -1),
        st(16, "ap", "k1", -2),
        st(17, "ap", "k2", -2),
        st(18, "burgers", "k2", -2),
        st(19, "burgers", "x1", -1),
        st(20, "tno", "x1", 1),
    ];
    let tie = |i: usize, a: &str, b: &str, kind: TieKind, since: Option<&str>| {
        let mut t = Tie::new(format!("t{i}"), a, b, kind).with_weight(0.6);
        t.since = since.map(d);
        t
    };
    use TieKind::*;
    b.ties = vec![
        tie(1, "bzk", "logius", Collaboration, Some("2024-01-01")),
        tie(2, "ez", "bzk", Collaboration, Some("2024-02-01")),
        tie(3, "logius", "ez", Communication, Some("2019-03-01")),
        tie(4, "vng", "utrecht", Membership, None),
        tie(5, "utrecht", "zaanstad", Collaboration, None),
        tie(6, "zaanstad", "vng", Membership, None),
        tie(7, "ibd", "vng", Membership, None),
        tie(8, "ibd", "utrecht", Communication, None),
        tie(9, "bzk", "vng", Collaboration, None),
        tie(10, "fin", "bzk", Communication, None),
        tie(11, "ap", "bzk", Conflict, None),
        tie(12, "amsterdam", "utrecht", Communication, None),
    ];
    b
}

fn analysis() -> Analysis {
    analyse(&map(), &Settings::default(), Window::default())
}

fn gap<'a>(a: &'a Analysis, kind: GapType, subjects: &[&str]) -> &'a Gap {
    a.gaps
        .iter()
        .find(|g| g.kind == kind && g.subjects == subjects)
        .unwrap_or_else(|| panic!("no {kind:?} gap on {subjects:?}: {:#?}", a.gaps))
}

fn action<'a>(a: &'a Analysis, kind: ActionKind, targets: &[&str]) -> &'a Action {
    a.actions
        .iter()
        .find(|x| x.kind == kind && x.targets == targets)
        .unwrap_or_else(|| panic!("no {kind:?} action on {targets:?}: {:#?}", a.actions))
}

#[test]
fn every_gap_type_appears_with_its_subjects() {
    let a = analysis();
    use GapType::*;
    let missing = gap(&a, MissingDomain, &["science"]);
    assert_eq!(missing.severity, 3);
    assert_eq!(ev(missing)["actors_in_map"], 1);
    assert_eq!(ev(missing)["candidates"][0], "tno");
    let weak = gap(&a, WeakDomain, &["municipality"]);
    assert_eq!(weak.severity, 2);
    assert_eq!(ev(weak)["max_influence"], 0.35);
    let latent = gap(&a, LatentAlly, &["ez", "zaanstad"]);
    // w = (2·2 + 2·2)/4 / |{k1, k3, x1}| = 2/3.
    assert!((ev(latent)["w"].as_f64().unwrap() - 0.6667).abs() < 1e-9);
    gap(&a, IsolatedSupporter, &["ede"]);
    let bridge = gap(&a, Bridge, &["bzk", "vng"]);
    assert_eq!(bridge.severity, 3);
    assert_eq!(ev(bridge)["side_sizes"], serde_json::json!([3, 4]));
    assert_eq!(
        bridge.message,
        "The coalition hangs on one tie: Ministerie van BZK – VNG. Without it the side of \
         Ministerie van BZK (3 actors) and the side of VNG (4 actors) are apart."
    );
    for broker in ["bzk", "vng"] {
        let g = gap(&a, BrokerDependency, &[broker]);
        assert_eq!(ev(g)["critical"], true);
        assert_eq!(ev(g)["parts"], 2);
    }
    let frag = a
        .gaps
        .iter()
        .find(|g| g.kind == FragmentedCoalition)
        .unwrap();
    assert_eq!(ev(frag)["count"], 2);
    assert_eq!(ev(frag)["components"][1], serde_json::json!(["ede"]));
    assert_eq!(ev(gap(&a, SwingActor, &["fin"]))["group"], "silent");
    assert_eq!(ev(gap(&a, StrongOpponent, &["ap"]))["align"], -1.0);
    // k2: support 0.35·1/2 = 0.175; opposition 0.7 + 0.5 + 0.55·1/2 = 1.475.
    let neg = gap(&a, NegativeDominance, &["k2"]);
    assert_eq!(ev(neg)["support"], 0.175);
    assert_eq!(ev(neg)["opposition"], 1.475);
    assert!(neg.message.contains("Improve after go-live"));
    gap(&a, UnchampionedNarrative, &["k2"]);
    gap(&a, UnchampionedNarrative, &["k3"]);
    assert!(!a
        .gaps
        .iter()
        .any(|g| g.kind == UnchampionedNarrative && g.subjects == ["k1"]));
    let dormant = gap(&a, Dormant, &["ibd"]);
    assert_eq!(dormant.severity, 1);
    assert_eq!(ev(dormant)["last_activity"], "2021-05-01");
    assert_eq!(ev(dormant)["window_end"], "2024-06-01");
    assert_eq!(ev(dormant)["cutoff"], "2023-06-01");
    let dormant_tie = gap(&a, Dormant, &["ez", "logius"]);
    assert_eq!(ev(dormant_tie)["ties"], serde_json::json!(["t3"]));
    // bzk's ties are recent: not dormant.
    assert!(!a
        .gaps
        .iter()
        .any(|g| g.kind == Dormant && g.subjects == ["bzk"]));
    let eg = gap(&a, EngagementGap, &["fin"]);
    assert_eq!(eg.severity, 2, "fin is in manage-closely");
    assert_eq!(ev(eg)["engagement_gap"], 1.0);
    assert_eq!(gap(&a, EngagementGap, &["amsterdam"]).severity, 1);
    // Every type of the spec appears (the engagement types need contacts and commitments,
    // which this map has not: engagement.rs covers them).
    for t in GapType::ALL
        .into_iter()
        .filter(|t| !matches!(t, GapType::OverdueCommitment | GapType::ContactOverdue))
    {
        assert!(a.gaps.iter().any(|g| g.kind == t), "{t:?} missing");
    }
    // Ids follow the order: severity, then influence concerned.
    for (i, g) in a.gaps.iter().enumerate() {
        assert_eq!(g.id, format!("g{}", i + 1));
        assert!(ev(g)["influence"].is_number(), "{g:?}");
    }
    for w in a.gaps.windows(2) {
        assert!(
            w[0].severity > w[1].severity
                || (w[0].severity == w[1].severity && w[0].influence() >= w[1].influence()),
            "{:?} before {:?}",
            w[0].id,
            w[1].id
        );
    }
}

#[test]
fn a_stance_after_the_engagement_date_does_not_wake_a_dormant_member() {
    // IBD speaks again on 2024-09-01. Without `as_of` that is the map's latest date, E, and
    // IBD is active; with `as_of` 2024-06-01 the stance lies after E and IBD stays dormant
    // with its 2021 stance as its last activity.
    let mut b = map();
    b.stances
        .push(Stance::new("late", "ibd", "k1", 1).dated(d("2024-09-01")));
    let a = analyse(&b, &Settings::default(), Window::default());
    assert!(
        !a.gaps
            .iter()
            .any(|g| g.kind == GapType::Dormant && g.subjects == ["ibd"]),
        "{:#?}",
        a.gaps
    );
    let settings = Settings {
        as_of: Some(d("2024-06-01")),
        ..Settings::default()
    };
    let a = analyse(&b, &settings, Window::default());
    let dormant = gap(&a, GapType::Dormant, &["ibd"]);
    assert_eq!(ev(dormant)["last_activity"], "2021-05-01");
    assert_eq!(ev(dormant)["window_end"], "2024-06-01");
}

#[test]
fn every_action_kind_appears_with_known_targets() {
    let a = analysis();
    let id_of = |kind, subjects: &[&str]| gap(&a, kind, subjects).id.clone();
    use GapType as G;
    let latent = action(&a, ActionKind::Convene, &["ez", "zaanstad"]);
    assert!(latent
        .gaps
        .contains(&id_of(G::LatentAlly, &["ez", "zaanstad"])));
    assert!(latent.gaps.contains(&id_of(G::BrokerDependency, &["vng"])));
    let isolated = action(&a, ActionKind::Convene, &["bzk", "ede"]);
    assert!(isolated
        .gaps
        .contains(&id_of(G::IsolatedSupporter, &["ede"])));
    let frag = a
        .gaps
        .iter()
        .find(|g| g.kind == G::FragmentedCoalition)
        .unwrap();
    assert!(isolated.gaps.contains(&frag.id));
    // The bridge BZK – VNG: the pair across it with the highest w is Logius – VNG (w = 1).
    let across = action(&a, ActionKind::Convene, &["logius", "vng"]);
    assert!(across.gaps.contains(&id_of(G::Bridge, &["bzk", "vng"])));
    assert_eq!(across.effort, 1);

    let recruit = action(&a, ActionKind::RecruitDomain, &["tno"]);
    assert_eq!(recruit.gaps, [id_of(G::MissingDomain, &["science"])]);
    assert!(recruit.rationale.contains("TNO"));
    assert_eq!(recruit.changes.len(), 3, "+1 on the three core narratives");
    let recruit_m = action(&a, ActionKind::RecruitDomain, &["amsterdam"]);
    assert_eq!(recruit_m.gaps, [id_of(G::WeakDomain, &["municipality"])]);
    assert_eq!(recruit_m.messenger.as_deref(), Some("utrecht"));

    let brief = action(&a, ActionKind::Brief, &["fin"]);
    assert_eq!(brief.messenger.as_deref(), Some("bzk"));
    assert!(brief.gaps.contains(&id_of(G::SwingActor, &["fin"])));
    assert!(brief.gaps.contains(&id_of(G::EngagementGap, &["fin"])));
    assert!(brief
        .rationale
        .starts_with("Brief Ministerie van Financiën (influence 0.80, now silent) on the core narratives through Ministerie van BZK."));

    let mobilise = action(&a, ActionKind::Mobilise, &["bzk", "vng"]);
    assert_eq!(mobilise.narrative.as_deref(), Some("k2"));
    assert!(mobilise
        .gaps
        .contains(&id_of(G::NegativeDominance, &["k2"])));
    assert!(mobilise
        .gaps
        .contains(&id_of(G::UnchampionedNarrative, &["k2"])));

    let counter = action(&a, ActionKind::Counter, &["ap"]);
    assert_eq!(counter.effort, 3);
    // AP has no structural tie to T: the messenger is T's most influential agency, Logius.
    assert_eq!(counter.messenger.as_deref(), Some("logius"));

    let maintain = action(&a, ActionKind::Maintain, &["ibd"]);
    assert_eq!(maintain.expected_gain, None);
    assert_eq!(maintain.messenger.as_deref(), Some("vng"));
    assert_eq!(maintain.priority, 1.0);
    action(&a, ActionKind::Maintain, &["ez", "logius"]);

    for k in ActionKind::ALL
        .into_iter()
        .filter(|k| *k != ActionKind::Honour)
    {
        assert!(a.actions.iter().any(|x| x.kind == k), "{k:?} missing");
    }
    // Lessons cite the note.
    assert!(mobilise.lesson.contains("OV-chipkaart"));
    assert!(maintain.lesson.contains("maintenance"));
    assert!(recruit.lesson.contains("broad discourse coalition"));
}

#[test]
fn actions_are_ordered_and_cut_as_the_spec_says() {
    let a = analysis();
    assert!(a.actions.len() <= 20);
    let mut seen_null = false;
    let mut last_priority = f64::INFINITY;
    for (i, x) in a.actions.iter().enumerate() {
        assert_eq!(x.id, format!("a{}", i + 1));
        assert!((1..=3).contains(&x.effort));
        match x.expected_gain {
            Some(g) => {
                assert!(!seen_null, "gain actions come first");
                assert!(g > 0.0, "no action without gain: {x:?}");
                assert!((x.priority - g / f64::from(x.effort)).abs() < 1e-12);
                assert!(x.priority <= last_priority + 1e-12);
                last_priority = x.priority;
            }
            None => seen_null = true,
        }
        assert!(!x.gaps.is_empty());
        for g in &x.gaps {
            assert!(a.gaps.iter().any(|y| &y.id == g), "{g} unknown");
        }
    }
    let s = Settings {
        max_actions: 3,
        ..Settings::default()
    };
    let few = analyse(&map(), &s, Window::default());
    assert_eq!(few.actions.len(), 3);
    assert_eq!(few.actions[0].targets, a.actions[0].targets);
    // Deterministic.
    assert_eq!(analysis(), a);
}

#[test]
fn expected_gain_equals_the_whatif_difference() {
    let b = map();
    let s = Settings::default();
    let a = analyse(&b, &s, Window::default());
    let mut kinds = std::collections::BTreeSet::new();
    for x in &a.actions {
        let changes = action_changes(&a, &x.id).unwrap();
        assert_eq!(changes, x.changes);
        let Some(gain) = x.expected_gain else {
            assert!(changes.is_empty());
            continue;
        };
        let w = whatif(&b, &s, Window::default(), &changes).unwrap();
        let diff = w.difference.strength.unwrap();
        assert!(
            (diff - gain).abs() < 1e-9,
            "{} {:?}: gain {gain} vs whatif {diff}",
            x.id,
            x.kind
        );
        kinds.insert(x.kind);
    }
    for k in [
        ActionKind::Convene,
        ActionKind::RecruitDomain,
        ActionKind::Brief,
        ActionKind::Mobilise,
        ActionKind::Counter,
    ] {
        assert!(kinds.contains(&k), "{k:?} not checked");
    }
    assert!(action_changes(&a, "a999").is_none());
    // Recruiting TNO brings science in: breadth 3/4 -> 1.
    let tno = action(&a, ActionKind::RecruitDomain, &["tno"]);
    let w = whatif(&b, &s, Window::default(), &tno.changes).unwrap();
    assert_eq!(w.difference.supporters_added, ["tno"]);
    assert!((w.difference.breadth.unwrap() - 0.25).abs() < 1e-12);
    assert!(!w
        .after
        .gaps
        .iter()
        .any(|g| g.kind == GapType::MissingDomain));
}

#[test]
fn whatif_with_a_new_actor() {
    let b = map();
    let s = Settings::default();
    let changes = [
        Change::AddActor {
            id: "uva".into(),
            name: "Universiteit van Amsterdam".into(),
            domain: "science".into(),
            influence: 0.6,
        },
        Change::SetStance {
            actor: "uva".into(),
            narrative: "k1".into(),
            position: 2,
        },
        Change::AddTie {
            source: "uva".into(),
            target: "vng".into(),
            kind: TieKind::Collaboration,
            weight: 0.5,
        },
    ];
    let w = whatif(&b, &s, Window::default(), &changes).unwrap();
    assert_eq!(w.difference.supporters_added, ["uva"]);
    assert!((w.difference.breadth.unwrap() - 0.25).abs() < 1e-12);
    let json = serde_json::to_value(&w).unwrap();
    assert!(json["after"]["transition"]["metrics"]["strength"].is_number());
    assert!(json["difference"]["strength"].is_number());
    assert!(json["difference"]["connectedness"].is_number());
    // Nothing stored: the map is as before.
    assert_eq!(b, map());
}

#[test]
fn a_domain_without_actors_gets_an_action_without_gain() {
    let mut b = map();
    b.actors.retain(|x| x.id != "tno");
    b.stances.retain(|x| x.actor != "tno");
    let a = analyse(&b, &Settings::default(), Window::default());
    let g = gap(&a, GapType::MissingDomain, &["science"]);
    assert_eq!(ev(g)["actors_in_map"], 0);
    assert!(
        g.message.contains("no actor of that domain at all"),
        "{}",
        g.message
    );
    let x = a
        .actions
        .iter()
        .find(|x| x.kind == ActionKind::RecruitDomain && x.gaps == [g.id.clone()])
        .unwrap();
    assert!(x.targets.is_empty());
    assert_eq!(x.expected_gain, None);
    assert_eq!(x.priority, 1.0, "severity 3 / effort 3");
}

#[test]
fn stakeholder_views() {
    let a = analysis();
    let row = |id: &str| a.stakeholders.iter().find(|s| s.actor == id).unwrap();
    assert_eq!(a.stakeholders.len(), 13);
    assert_eq!(row("fin").quadrant, Quadrant::ManageClosely);
    assert_eq!(row("fin").salience, Salience::Dormant);
    assert_eq!(row("fin").engagement_gap, Some(1.0));
    assert_eq!(row("amsterdam").quadrant, Quadrant::Monitor);
    assert_eq!(row("amsterdam").engagement_gap, Some(0.5));
    assert_eq!(row("bzk").salience, Salience::Definitive);
    assert_eq!(row("bzk").engagement_gap, None);
    assert_eq!(row("logius").quadrant, Quadrant::KeepInformed);
    assert_eq!(row("logius").salience, Salience::NonStakeholder);
    assert_eq!(a.transition.targets_met, Some(0.0));
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["stakeholders"][0]["actor"], "amsterdam");
    assert_eq!(json["stakeholders"][0]["quadrant"], "monitor");
    assert!(json["transition"]["targets_met"].is_number());
}

#[test]
fn messages_and_report_in_dutch_and_english() {
    let b = map();
    let nl = analyse_lang(&b, &Settings::default(), Window::default(), Lang::Nl);
    let en = analysis();
    assert_eq!(nl.gaps.len(), en.gaps.len());
    assert_eq!(nl.actions.len(), en.actions.len());
    let bridge = gap(&nl, GapType::Bridge, &["bzk", "vng"]);
    assert!(
        bridge
            .message
            .starts_with("De coalitie hangt aan één band: Ministerie van BZK – VNG."),
        "{}",
        bridge.message
    );
    for (x, y) in nl.actions.iter().zip(&en.actions) {
        assert_eq!(x.targets, y.targets);
        assert_eq!(x.expected_gain, y.expected_gain);
        assert_ne!(x.rationale, y.rationale);
        assert!(x.lesson.starts_with("Les "), "{}", x.lesson);
    }
    let text = text_report(&en, &b, Lang::En);
    assert!(text.contains("== Gaps (23) =="), "{text}");
    assert!(text.contains("== Actions ("), "{text}");
    assert!(text.contains("Brief: Ministerie van Financiën"), "{text}");
    assert!(text.contains("messenger: Ministerie van BZK"), "{text}");
    let tekst = text_report(&nl, &b, Lang::Nl);
    assert!(tekst.contains("== Gaten (23) =="), "{tekst}");
    assert!(
        tekst.contains("Informeren: Ministerie van Financiën"),
        "{tekst}"
    );
    assert!(
        tekst.contains("boodschapper: Ministerie van BZK"),
        "{tekst}"
    );
}

#[test]
fn timeline_of_the_map_ends_at_analyse() {
    let b = map();
    let s = Settings::default();
    let tl = timeline(&b, &s, Period::Year);
    let labels: Vec<&str> = tl.points.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["2021", "2022", "2023", "2024"]);
    let last = tl.points.last().unwrap();
    let a = analyse(
        &b,
        &s,
        Window {
            from: None,
            to: Some(last.end),
        },
    );
    assert_eq!(last.metrics, a.transition.metrics);
    assert_eq!(last.supporters, a.transition.supporters);
    // IBD's 2021 stance counts from 2021 on; Utrecht's k1 stance only in 2024.
    assert!(tl.points[0].supporters.contains(&"ibd".to_string()));
    let t2023 = &tl.points[2];
    assert!(t2023.supporters.contains(&"utrecht".to_string()));
}

#[test]
fn a_map_without_core_narratives_has_no_gaps() {
    let mut b = map();
    for n in &mut b.narratives {
        n.core = false;
    }
    let a = analyse(&b, &Settings::default(), Window::default());
    assert!(a.gaps.is_empty());
    assert!(a.actions.is_empty());
}

/// The analysis runs its parts side by side on rayon's pool; with one thread it is the same,
/// on this map and on a generated one with planted coalitions.
#[test]
fn the_analysis_does_not_depend_on_the_thread_count() {
    let s = Settings::default();
    let generated = vertoog_generate::generate(vertoog_generate::Class::S, 3).bundle;
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    for b in [map(), generated] {
        let parallel = analyse(&b, &s, Window::default());
        let sequential = one.install(|| analyse(&b, &s, Window::default()));
        assert_eq!(parallel, sequential);
        assert!(!parallel.coalitions.is_empty() && !parallel.actions.is_empty());
    }
}

/// The typed evidence reads back from its JSON into the same variant (untagged: each JSON
/// object fits exactly one evidence struct), so the gaps survive a JSON round trip.
#[test]
fn typed_evidence_round_trips_through_json() {
    let a = analysis();
    let kinds: std::collections::BTreeSet<GapType> = a.gaps.iter().map(|g| g.kind).collect();
    assert_eq!(
        kinds.len(),
        GapType::ALL.len() - 2,
        "the fixture has every gap type but the two of engagement"
    );
    let text = serde_json::to_string(&a).unwrap();
    let back: Analysis = serde_json::from_str(&text).unwrap();
    assert_eq!(back.gaps, a.gaps);
    for g in &a.gaps {
        assert_eq!(
            g.influence(),
            ev(g)["influence"].as_f64().unwrap(),
            "{}",
            g.id
        );
    }
}
