//! The engagement entities in the real sled store (issue 19): CRUD with the change log and
//! undo, cascades, import with every error at once, backup and restore, erasure of a person
//! (interactions, team, owner) and compaction leaving no byte of the erased name.

use std::path::Path;

use vertoog_model::{
    Actor, ActorKind, Bundle, Commitment, CommitmentStatus, Direction, EntityKind, Interaction,
    Map, Narrative, PlanItem, PlanStatus,
};
use vertoog_store::{compact, ImportOptions, Store, StoreError};

fn d(s: &str) -> vertoog_model::Date {
    s.parse().unwrap()
}

fn contains(dir: &Path, needle: &[u8]) -> bool {
    std::fs::read_dir(dir).unwrap().flatten().any(|e| {
        let p = e.path();
        if p.is_dir() {
            contains(&p, needle)
        } else {
            let bytes = std::fs::read(&p).unwrap();
            bytes.windows(needle.len()).any(|w| w == needle)
        }
    })
}

/// Map `m`: organisation `org`, person `jan` (Jan Jansen), narrative `n`.
fn seeded(dir: &Path) -> Store {
    let s = Store::open(dir).unwrap();
    s.create_map(Map::new("m"), "local").unwrap();
    s.create_actor("m", Actor::new("org", "Gemeente Utrecht"), "local", false)
        .unwrap();
    let mut jan = Actor::new("jan", "Jan Jansen");
    jan.kind = ActorKind::Person;
    s.create_actor("m", jan, "local", false).unwrap();
    s.create_narrative(
        "m",
        Narrative::new("n", "Digitaal eerst", true),
        "local",
        false,
    )
    .unwrap();
    s
}

fn interaction(actors: &[&str], team: &[&str]) -> Interaction {
    let mut i = Interaction::new("", d("2025-03-01"), "Overleg");
    i.actors = actors.iter().map(|a| a.to_string()).collect();
    i.team = team.iter().map(|a| a.to_string()).collect();
    i.narratives = vec!["n".into()];
    i
}

#[test]
fn crud_ids_log_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let s = seeded(dir.path());
    let i = s
        .create("m", interaction(&["org"], &["Anna"]), "local", false)
        .unwrap();
    assert_eq!(i.id, "i1");
    let mut c = Commitment::new(
        "",
        "org",
        Direction::Ours,
        "Notitie sturen",
        d("2025-03-01"),
    );
    c.interaction = Some("i1".into());
    let c = s.create("m", c, "local", false).unwrap();
    assert_eq!(c.id, "k1");
    let p = s
        .create(
            "m",
            PlanItem::new("", "Brief Utrecht", d("2025-03-02")),
            "local",
            false,
        )
        .unwrap();
    assert_eq!(p.id, "p1");
    // done sets done_on; a status back to planned clears it.
    let mut done = p.clone();
    done.status = PlanStatus::Done;
    let done = s.update("m", "p1", done, "local", None).unwrap();
    assert!(done.done_on.is_some());
    let mut closed = c.clone();
    closed.status = CommitmentStatus::Done;
    assert!(s
        .update("m", "k1", closed, "local", None)
        .unwrap()
        .closed_on
        .is_some());
    let b = s.load("m").unwrap();
    assert_eq!(
        (b.interactions.len(), b.commitments.len(), b.plan.len()),
        (1, 1, 1)
    );
    let log = s.log("m").unwrap();
    assert!(log
        .iter()
        .any(|e| e.entity == EntityKind::Interaction && e.id == "i1"));
    // Undo the commitment's update: closed_on is gone again.
    s.undo("m", None, "local").unwrap();
    assert_eq!(
        s.get::<vertoog_model::Commitment>("m", "k1")
            .unwrap()
            .closed_on,
        None
    );
    // Unknown references: every one reported, nothing stored.
    let mut bad = interaction(&["ghost"], &[]);
    bad.narratives = vec!["nope".into()];
    match s.create("m", bad, "local", false) {
        Err(StoreError::Invalid(errs)) => {
            let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, ["actors", "narratives"]);
        }
        other => panic!("{other:?}"),
    }
    // Deleting the interaction removes it from the commitment.
    s.delete::<vertoog_model::Interaction>("m", "i1", "local", None)
        .unwrap();
    assert_eq!(
        s.get::<vertoog_model::Commitment>("m", "k1")
            .unwrap()
            .interaction,
        None
    );
    // Deleting the actor deletes its commitments.
    let report = s.delete_actor("m", "org", "local").unwrap();
    assert_eq!(report.commitments, ["k1"]);
    assert!(s.load("m").unwrap().validate().is_empty());
}

/// issue 19: erase of a person who is an interaction's only actor removes the interaction; a
/// person named in `team` disappears from it; compact leaves no byte of the name.
#[test]
fn erase_and_compact_leave_no_byte_of_the_person() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("store");
    let s = seeded(&root);
    let only = s
        .create("m", interaction(&["jan"], &["Anna"]), "local", false)
        .unwrap();
    let shared = s
        .create(
            "m",
            interaction(&["org", "jan"], &["Jan Jansen", "Anna"]),
            "local",
            false,
        )
        .unwrap();
    let mut c = Commitment::new("", "org", Direction::Theirs, "Cijfers", d("2025-03-01"));
    c.owner = "Jan Jansen".into();
    s.create("m", c, "local", false).unwrap();
    let mut p = PlanItem::new("", "Bel Utrecht", d("2025-03-01"));
    p.targets = vec!["org".into(), "jan".into()];
    p.owner = "Jan Jansen".into();
    s.create("m", p, "local", false).unwrap();
    s.erase_actor("m", "jan", "local").unwrap();
    let b = s.load("m").unwrap();
    assert!(b.interactions.iter().all(|i| i.id != only.id));
    let kept = b.interactions.iter().find(|i| i.id == shared.id).unwrap();
    assert_eq!(kept.actors, ["org"]);
    assert_eq!(kept.team, ["Anna"]);
    assert_eq!(b.commitments[0].owner, "");
    assert_eq!(b.plan[0].owner, "");
    assert_eq!(b.plan[0].targets, ["org"]);
    let snapshot = s.export_all().unwrap();
    let text = serde_json::to_string(&snapshot).unwrap();
    assert!(
        !text.contains("Jan Jansen"),
        "the backup holds the erased name"
    );
    drop(s);
    compact(&root).unwrap();
    assert!(
        !contains(&root, b"Jan Jansen"),
        "a byte of the name is left"
    );
    let s = Store::open(&root).unwrap();
    assert_eq!(s.load("m").unwrap().interactions.len(), 1);
}

#[test]
fn backup_restore_and_import_cover_the_engagement_lists() {
    let tmp = tempfile::tempdir().unwrap();
    let s = seeded(&tmp.path().join("a"));
    let mut incoming = Bundle::new(Map::new("m"));
    incoming.interactions = vec![interaction(&["org"], &["Anna"])];
    incoming.interactions[0].id = "i1".into();
    let mut c = Commitment::new("", "org", Direction::Ours, "Sturen", d("2025-03-01"));
    c.due = Some(d("2025-03-15"));
    incoming.commitments = vec![c];
    let mut p = PlanItem::new("p7", "Convene", d("2025-03-01"));
    p.kind = "convene".into();
    p.interactions = vec!["i1".into()];
    incoming.plan = vec![p];
    let report = s
        .import("m", incoming.clone(), ImportOptions::default(), "local")
        .unwrap();
    assert_eq!(report.created.interactions, 1);
    assert_eq!(report.created.commitments, 1);
    assert_eq!(report.created.plan, 1);
    // The next plan item id comes after the imported p7.
    let next = s
        .create(
            "m",
            PlanItem::new("", "Next", d("2025-04-01")),
            "local",
            false,
        )
        .unwrap();
    assert_eq!(next.id, "p8");
    // Bad input: every problem at once, nothing imported.
    let mut bad = Bundle::new(Map::new("m"));
    bad.interactions = vec![interaction(&["ghost"], &[])];
    let mut c = Commitment::new("", "org", Direction::Ours, "X", d("2025-03-01"));
    c.status = CommitmentStatus::Done;
    c.closed_on = Some(d("2025-02-01"));
    bad.commitments = vec![c];
    match s.import("m", bad, ImportOptions::default(), "local") {
        Err(StoreError::Invalid(errs)) => {
            let got: Vec<(EntityKind, usize, &str)> = errs
                .iter()
                .map(|e| (e.kind, e.index, e.field.as_str()))
                .collect();
            assert_eq!(
                got,
                [
                    (EntityKind::Interaction, 0, "actors"),
                    (EntityKind::Commitment, 0, "closed_on"),
                ]
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.load("m").unwrap().interactions.len(), 1);
    // Backup and restore into an empty store: the same lists, and ids go on.
    let snapshot = s.export_all().unwrap();
    let before = s.load("m").unwrap();
    let t = Store::open(&tmp.path().join("b")).unwrap();
    t.import_all(snapshot).unwrap();
    let after = t.load("m").unwrap();
    assert_eq!(after.interactions, before.interactions);
    assert_eq!(after.commitments, before.commitments);
    assert_eq!(after.plan, before.plan);
    let i = t
        .create("m", interaction(&["org"], &[]), "local", false)
        .unwrap();
    assert_eq!(i.id, "i2");
}
