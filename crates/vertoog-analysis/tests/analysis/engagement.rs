//! Engagement in the analysis, hand-checked (issue 19): an interaction makes a dormant actor
//! not dormant; a commitment one day past due opens `overdue-commitment` with severity 3
//! (ours) or 2 (theirs) and an `honour` action without gain; the relationship rows; the
//! measured effect of a done plan item equals the timeline's strength at the two dates.

use vertoog_analysis::{analyse, timeline, ActionKind, ContactStatus, GapType, Period, Window};
use vertoog_model::{
    Actor, Bundle, Commitment, Date, Direction, Interaction, Map, Narrative, PlanItem, PlanStatus,
    Settings, Stance, Tie, TieKind,
};

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

/// Supporters bzk (0.9), vng (0.8), ibd (0.3, last stance 2021-01-01); fin (0.8) silent
/// until 2024-09-01, when it takes a supporting position. The map's other dates run to
/// 2024-06-01.
fn map() -> Bundle {
    let mut b = Bundle::new(Map::new("m"));
    let mut fin = Actor::new("fin", "Ministerie van Financiën").with_influence(0.8);
    fin.interest = 0.8;
    let mut ibd = Actor::new("ibd", "IBD").with_influence(0.3);
    ibd.interest = 0.1;
    b.actors = vec![
        Actor::new("bzk", "Ministerie van BZK").with_influence(0.9),
        Actor::new("vng", "VNG").with_influence(0.8),
        ibd,
        fin,
    ];
    b.narratives = vec![Narrative::new("k", "Digitaal eerst", true)];
    b.stances = vec![
        Stance::new("s1", "bzk", "k", 2).dated(d("2024-06-01")),
        Stance::new("s2", "vng", "k", 1).dated(d("2024-03-01")),
        Stance::new("s3", "ibd", "k", 1).dated(d("2021-01-01")),
        Stance::new("s4", "fin", "k", 2).dated(d("2024-09-01")),
    ];
    let mut t = Tie::new("t1", "bzk", "vng", TieKind::Collaboration);
    t.since = Some(d("2023-01-01"));
    b.ties = vec![t, Tie::new("t2", "vng", "ibd", TieKind::Communication)];
    b
}

fn with_as_of(date: &str) -> Settings {
    Settings {
        as_of: Some(d(date)),
        ..Settings::default()
    }
}

#[test]
fn an_interaction_makes_a_dormant_actor_not_dormant() {
    let b = map();
    let w = Window {
        from: None,
        to: Some(d("2024-06-01")),
    };
    let a = analyse(&b, &Settings::default(), w);
    let dormant = |a: &vertoog_analysis::Analysis| {
        a.gaps
            .iter()
            .any(|g| g.kind == GapType::Dormant && g.subjects == ["ibd"])
    };
    assert!(dormant(&a), "ibd is dormant without contacts");
    let mut b2 = b.clone();
    let mut i = Interaction::new("i1", d("2024-02-01"), "Kennismaking");
    i.actors = vec!["ibd".into()];
    b2.interactions = vec![i];
    let a2 = analyse(&b2, &Settings::default(), w);
    assert!(!dormant(&a2), "a contact in the last 12 months is activity");
}

#[test]
fn a_commitment_one_day_past_due_is_overdue_with_the_right_severity() {
    let mut b = map();
    let mut ours = Commitment::new(
        "k1",
        "vng",
        Direction::Ours,
        "Notitie sturen",
        d("2024-05-01"),
    );
    ours.due = Some(d("2024-05-31"));
    ours.owner = "Anna".into();
    let mut theirs = Commitment::new("k2", "bzk", Direction::Theirs, "Cijfers", d("2024-05-01"));
    theirs.due = Some(d("2024-05-31"));
    // Due on E itself: not yet late.
    let mut today = Commitment::new("k3", "bzk", Direction::Ours, "Brief", d("2024-05-01"));
    today.due = Some(d("2024-06-01"));
    b.commitments = vec![ours, theirs, today];
    let w = Window {
        from: None,
        to: Some(d("2024-06-01")),
    };
    let a = analyse(&b, &Settings::default(), w);
    let overdue: Vec<(&str, u8, serde_json::Value)> = a
        .gaps
        .iter()
        .filter(|g| g.kind == GapType::OverdueCommitment)
        .map(|g| {
            (
                g.subjects[0].as_str(),
                g.severity,
                serde_json::to_value(&g.evidence).unwrap(),
            )
        })
        .collect();
    assert_eq!(overdue.len(), 2, "{overdue:?}");
    assert_eq!(overdue[0].0, "vng");
    assert_eq!(overdue[0].1, 3);
    assert_eq!(overdue[0].2["days_late"], 1);
    assert_eq!(overdue[0].2["commitment"], "k1");
    assert_eq!(overdue[0].2["due"], "2024-05-31");
    assert_eq!((overdue[1].0, overdue[1].1), ("bzk", 2));
    let honour: Vec<_> = a
        .actions
        .iter()
        .filter(|x| x.kind == ActionKind::Honour)
        .collect();
    assert_eq!(honour.len(), 2);
    assert!(honour.iter().all(|h| h.expected_gain.is_none()));
    assert!(honour[0].rationale.contains("Notitie sturen") && honour[0].rationale.contains("Anna"));
    // Ranked after every simulated action.
    let first_null = a
        .actions
        .iter()
        .position(|x| x.expected_gain.is_none())
        .unwrap();
    assert!(a.actions[first_null..]
        .iter()
        .all(|x| x.expected_gain.is_none()));
    // The typed evidence reads back from its JSON.
    for g in &a.gaps {
        let json = serde_json::to_string(g).unwrap();
        let back: vertoog_analysis::Gap = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, g);
    }
    // Closed: no gap.
    let mut b2 = b.clone();
    b2.commitments[0].status = vertoog_model::CommitmentStatus::Done;
    b2.commitments[0].closed_on = Some(d("2024-06-01"));
    let a2 = analyse(&b2, &Settings::default(), w);
    assert_eq!(
        a2.gaps
            .iter()
            .filter(|g| g.kind == GapType::OverdueCommitment)
            .count(),
        1
    );
}

#[test]
fn relationships_and_contact_overdue() {
    let mut b = map();
    let mut bzk = Interaction::new("i1", d("2024-04-02"), "Overleg");
    bzk.actors = vec!["bzk".into(), "vng".into()];
    bzk.sentiment = Some(1);
    let mut vng = Interaction::new("i2", d("2023-01-01"), "Oud");
    vng.actors = vec!["vng".into()];
    b.interactions = vec![bzk, vng];
    let a = analyse(&b, &with_as_of("2024-06-01"), Window::default());
    /// actor, last contact, contacts in 90 days, cadence, status.
    type Row<'a> = (&'a str, Option<Date>, usize, Option<u32>, ContactStatus);
    let rows: Vec<Row> = a
        .relationships
        .iter()
        .map(|r| {
            (
                r.actor.as_str(),
                r.last_contact,
                r.contacts_90d,
                r.cadence_days,
                r.status,
            )
        })
        .collect();
    // bzk: influence 0.9, interest 0.5: manage closely (60 days); 60 days before E: ok.
    // fin: 0.8/0.8 manage closely, never contacted. ibd: monitor (no cadence).
    assert_eq!(
        rows,
        [
            ("bzk", Some(d("2024-04-02")), 1, Some(60), ContactStatus::Ok),
            ("fin", None, 0, Some(60), ContactStatus::Never),
            ("ibd", None, 0, None, ContactStatus::None),
            ("vng", Some(d("2024-04-02")), 1, Some(60), ContactStatus::Ok),
        ]
    );
    let contact: Vec<(&str, u8)> = a
        .gaps
        .iter()
        .filter(|g| g.kind == GapType::ContactOverdue)
        .map(|g| (g.subjects[0].as_str(), g.severity))
        .collect();
    assert_eq!(contact, [("fin", 3)]);
    assert!(a
        .actions
        .iter()
        .any(|x| x.kind == ActionKind::Maintain && x.targets == ["fin"]));
    // A map without engagement data has no relationship rows or plan rows in its JSON.
    let plain = analyse(&map(), &Settings::default(), Window::default());
    let json = serde_json::to_string(&plain).unwrap();
    assert!(!json.contains("\"relationships\"") && !json.contains("\"plan\""));
}

#[test]
fn measured_effect_equals_the_timeline_at_the_two_dates() {
    let mut b = map();
    let mut p = PlanItem::new("p1", "Brief Financiën", d("2024-06-30"));
    p.kind = "brief".into();
    p.targets = vec!["fin".into()];
    p.status = PlanStatus::Done;
    p.done_on = Some(d("2024-07-31"));
    p.simulated_gain = Some(0.05);
    let mut open = PlanItem::new("p2", "Later", d("2024-07-01"));
    open.kind = "custom".into();
    b.plan = vec![p, open];
    let settings = with_as_of("2024-12-31");
    let a = analyse(&b, &settings, Window::default());
    let e = &a.plan[0];
    // After = done_on + 90 days = 2024-10-29 (before E).
    let tl = timeline(&b, &settings, Period::Month);
    let at = |end: &str| {
        tl.points
            .iter()
            .find(|p| p.end == d(end))
            .and_then(|p| p.metrics.strength)
    };
    // Month ends equal the two dates: 2024-06-30 and ... the after date is 2024-10-29, not a
    // month end; compare with the point computed for it directly.
    let before = at("2024-06-30").unwrap();
    let after = vertoog_analysis::effect::transition_at(&b, &settings, d("2024-10-29"))
        .metrics
        .strength
        .unwrap();
    let r4 = |x: f64| (x * 10_000.0).round() / 10_000.0;
    assert_eq!(e.strength_before, Some(r4(before)));
    assert_eq!(e.strength_after, Some(r4(after)));
    assert_eq!(e.measured_gain, Some(r4(after - before)));
    assert!(
        e.measured_gain.unwrap() > 0.0,
        "fin joined T after the adoption"
    );
    // The timeline's last point (2024-09-30, after the last dated stance) sees the same data
    // as 2024-10-29.
    assert_eq!(at("2024-09-30").map(r4), Some(r4(after)));
    assert_eq!(e.simulated_gain, Some(0.05));
    // fin had no alignment before (silent): the change is null.
    assert_eq!(e.alignment_change.get("fin"), Some(&None));
    // An item not done is not measured.
    assert_eq!(a.plan[1].strength_before, None);
    assert_eq!(a.plan[1].status, PlanStatus::Planned);
}
