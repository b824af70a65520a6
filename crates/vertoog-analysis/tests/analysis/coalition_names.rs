//! Coalition names a person can use and the coalition x narrative matrix (issue 18): the
//! storyline name, a user's name following its coalition while the members stay (Jaccard >=
//! 0.5) and dropped when they change a lot, and the matrix with the narratives nobody
//! carries.

use vertoog_analysis::coalition_view::{jaccard, rename};
use vertoog_analysis::{analyse, analyse_lang, Analysis, Lang, NameSource, Window};
use vertoog_model::{Actor, Bundle, CoalitionName, Map, Narrative, Settings, Stance};

/// Two camps: a..d hold n1 +2 and n2 -2; e..h hold n1 -2 and n2 +2; a also holds n3 -1.
fn camps() -> Bundle {
    let mut b = Bundle::new(Map::new("camps"));
    for id in ["a", "b", "c", "d", "e", "f", "g", "h"] {
        b.actors.push(Actor::new(id, format!("Actor {id}")));
    }
    b.narratives = vec![
        Narrative::new("n1", "Digital by default", true),
        Narrative::new("n2", "Privacy first", false),
        Narrative::new("n3", "Central facilities", false),
    ];
    let mut k = 0;
    let mut st = |b: &mut Bundle, a: &str, n: &str, p: i8| {
        k += 1;
        b.stances.push(Stance::new(format!("s{k}"), a, n, p));
    };
    for a in ["a", "b", "c", "d"] {
        st(&mut b, a, "n1", 2);
        st(&mut b, a, "n2", -2);
    }
    for a in ["e", "f", "g", "h"] {
        st(&mut b, a, "n1", -2);
        st(&mut b, a, "n2", 2);
    }
    st(&mut b, "a", "n3", -1);
    b
}

fn run(b: &Bundle) -> Analysis {
    analyse(b, &Settings::default(), Window::default())
}

fn coalition_of<'a>(a: &'a Analysis, member: &str) -> &'a vertoog_analysis::Coalition {
    a.coalitions
        .iter()
        .find(|c| c.members.iter().any(|m| m == member))
        .unwrap()
}

#[test]
fn coalitions_are_named_by_their_storyline() {
    let b = camps();
    let a = run(&b);
    assert_eq!(a.coalitions.len(), 2, "{:?}", a.coalitions);
    let pro = coalition_of(&a, "a");
    assert_eq!(pro.members, vec!["a", "b", "c", "d"]);
    assert_eq!(pro.name, "for: Digital by default");
    assert_eq!(pro.storyline_narrative.as_deref(), Some("n1"));
    assert_eq!(pro.named_by, NameSource::Storyline);
    assert_eq!(coalition_of(&a, "e").name, "for: Privacy first");
    let nl = analyse_lang(&b, &Settings::default(), Window::default(), Lang::Nl);
    assert_eq!(coalition_of(&nl, "a").name, "voor: Digital by default");
}

#[test]
fn the_matrix_has_every_coalition_and_narrative_and_who_carries_nothing() {
    let a = run(&camps());
    let m = &a.coalition_matrix;
    let ids: Vec<&str> = m.narratives.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["n1", "n2", "n3"]);
    assert_eq!(m.rows.len(), a.coalitions.len());
    let pro = m
        .rows
        .iter()
        .find(|r| r.coalition == coalition_of(&a, "a").id)
        .unwrap();
    assert_eq!(pro.size, 4);
    assert_eq!(pro.cells[0].mean_position, Some(2.0));
    assert_eq!(pro.cells[0].coverage, 1.0);
    assert_eq!(pro.cells[1].mean_position, Some(-2.0));
    // n3: only a (of 4) holds it, at -1.
    assert_eq!(pro.cells[2].mean_position, Some(-1.0));
    assert_eq!(pro.cells[2].coverage, 0.25);
    let contra = m
        .rows
        .iter()
        .find(|r| r.coalition != pro.coalition)
        .unwrap();
    assert_eq!(contra.cells[2].mean_position, None);
    assert_eq!(contra.cells[2].coverage, 0.0);
    // Nobody supports n3.
    assert_eq!(m.uncarried, vec!["n3"]);
}

#[test]
fn a_user_name_is_kept_after_an_unrelated_edit_and_dropped_when_members_change_a_lot() {
    let mut b = camps();
    let a = run(&b);
    let id = coalition_of(&a, "a").id.clone();
    b.map.coalition_names = rename(&a.coalitions, &b.map.coalition_names, &id, "Kernteam").unwrap();
    assert_eq!(
        b.map.coalition_names,
        vec![CoalitionName {
            name: "Kernteam".into(),
            members: vec!["a".into(), "b".into(), "c".into(), "d".into()]
        }]
    );
    let named = run(&b);
    let c = coalition_of(&named, "a");
    assert_eq!(c.name, "Kernteam");
    assert_eq!(c.named_by, NameSource::User);
    assert_eq!(c.storyline_name, "for: Digital by default");
    assert_eq!(coalition_of(&named, "e").named_by, NameSource::Storyline);
    // The matrix row carries the name too.
    assert!(named
        .coalition_matrix
        .rows
        .iter()
        .any(|r| r.name == "Kernteam"));

    // Unrelated edit: a new actor who joins the camp (Jaccard 4/5) and a new narrative.
    b.actors.push(Actor::new("i", "Actor i"));
    b.narratives
        .push(Narrative::new("n4", "Open source", false));
    b.stances.push(Stance::new("s100", "i", "n1", 2));
    b.stances.push(Stance::new("s101", "i", "n2", -2));
    let after = run(&b);
    let c = coalition_of(&after, "a");
    assert_eq!(c.members.len(), 5);
    assert_eq!(c.name, "Kernteam");

    // The camp changes a lot: b, c and d change sides (Jaccard of {a, i} or {a..h minus
    // b, c, d} with the stored {a, b, c, d} is below 0.5): the storyline name returns.
    for s in b.stances.iter_mut() {
        if ["b", "c", "d"].contains(&s.actor.as_str()) {
            s.position = -s.position;
        }
    }
    let moved = run(&b);
    for c in &moved.coalitions {
        assert_eq!(c.named_by, NameSource::Storyline, "{c:?}");
        assert_ne!(c.name, "Kernteam");
    }
}

#[test]
fn one_stored_name_goes_to_one_coalition_and_renaming_replaces_it() {
    let mut b = camps();
    let a = run(&b);
    let pro = coalition_of(&a, "a").id.clone();
    let contra = coalition_of(&a, "e").id.clone();
    b.map.coalition_names = rename(&a.coalitions, &[], &pro, "Pro").unwrap();
    b.map.coalition_names =
        rename(&a.coalitions, &b.map.coalition_names, &contra, "Contra").unwrap();
    b.map.coalition_names =
        rename(&a.coalitions, &b.map.coalition_names, &pro, "Voorhoede").unwrap();
    assert_eq!(b.map.coalition_names.len(), 2);
    let x = run(&b);
    assert_eq!(coalition_of(&x, "a").name, "Voorhoede");
    assert_eq!(coalition_of(&x, "e").name, "Contra");
    // An empty name removes the user's name.
    b.map.coalition_names = rename(&x.coalitions, &b.map.coalition_names, &pro, " ").unwrap();
    assert_eq!(b.map.coalition_names.len(), 1);
    assert_eq!(coalition_of(&run(&b), "a").named_by, NameSource::Storyline);
    assert!(rename(&x.coalitions, &[], "c9", "X")
        .unwrap_err()
        .contains("c9"));
    // Jaccard by hand.
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(jaccard(&s(&["a", "b", "c"]), &s(&["b", "c", "d"])), 0.5);
    assert_eq!(jaccard(&s(&[]), &s(&[])), 0.0);
}

#[test]
fn names_and_matrix_are_deterministic() {
    let b = camps();
    let x = serde_json::to_string(&run(&b)).unwrap();
    let y = serde_json::to_string(&run(&b)).unwrap();
    assert_eq!(x, y);
}
