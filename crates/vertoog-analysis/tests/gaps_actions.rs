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
    analyse, analyse_lang, text_report, whatif, ActionKind, Analysis, Lang, Quadrant, Salience,
    Window,
};
use vertoog_model::{Actor, Bundle, Date, Map, Narrative, Settings, Stance, Tie, TieKind};

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn actor(id: &str, name: &str, domain: &str, influence: f64) -> Actor {
    Actor::new(id, name)
        .with_domain(domain)
        .with_influence(influence)
}

pub fn map() -> Bundle {
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
    ];
    b
}

fn analysis() -> Analysis {
    analyse(&map(), &Settings::default(), Window::all())
}

#[test]
fn explore() {
    let a = analysis();
    println!("{}", serde_json::to_string_pretty(&a.gaps).unwrap());
    println!("{}", serde_json::to_string_pretty(&a.actions).unwrap());
    println!("{}", text_report(&a, &map(), Lang::En));
    println!(
        "{}",
        text_report(
            &analyse_lang(&map(), &Settings::default(), Window::all(), Lang::Nl),
            &map(),
            Lang::Nl
        )
    );
}
