//! `vertoog plan adopt|list|set` and `vertoog contacts` through the real binary (engagement),
//! on a small map whose contact history is checked by hand: at the engagement date
//! 2026-06-30, Ministerie (manage closely, cadence 60 days) was last met on 2026-01-10, 171
//! days ago: overdue (past the cadence by more than half of it); VNG (keep satisfied, 90
//! days) was called 29 days ago: ok; Gemeente Utrecht (monitor) has no cadence: none; Logius
//! and TNO were never contacted. The
//! promise to the Ministerie was due 2026-02-01: 149 days late.

mod common;

use common::{bundle_dir, Vertoog};

const ACTORS: &str = "id,name,domain,influence,interest
a,Ministerie van BZK,ministry,0.9,0.9
b,Vereniging van Nederlandse Gemeenten,vng,0.8,0.3
c,Gemeente Utrecht,municipality,0.2,0.2
d,TNO,science,0.6,0.6
e,Logius,agency,0.8,0.2
f,Gemeente Zeist,municipality,0.3,0.2
";
const NARRATIVES: &str = "id,label,core
n1,Digitaal als standaard,true
n2,Privacy voorop,false
";
const STANCES: &str = "actor,narrative,position,date
a,n1,2,2025-01-01
b,n1,1,2025-02-01
c,n1,-1,2025-03-01
b,n2,2,2025-03-01
d,n2,-2,2025-04-01
e,n1,0,2025-04-01
f,n1,2,2025-05-01
";
const TIES: &str = "source,target,kind
a,b,collaboration
b,c,collaboration
a,e,authority
";
const INTERACTIONS: &str = "id,date,kind,title,actors,team,narratives,sentiment
i1,2026-01-10,meeting,Kennismaking,a,Ann,n1,1
i2,2026-06-01,call,Afstemming,b,Bob,n1;n2,2
";
const COMMITMENTS: &str = "id,actor,direction,text,owner,made_on,due,status
k1,a,ours,Stuur de agenda,Ann,2026-01-10,2026-02-01,open
k2,b,theirs,Reactie op het voorstel,Bob,2026-06-01,2026-07-15,open
k3,b,ours,Verslag delen,Bob,2026-06-01,2026-06-10,done
";

fn map() -> Vertoog {
    let v = Vertoog::new();
    let dir = bundle_dir(
        &v,
        "bundle",
        &[
            ("actors.csv", ACTORS),
            ("narratives.csv", NARRATIVES),
            ("stances.csv", STANCES),
            ("ties.csv", TIES),
            ("interactions.csv", INTERACTIONS),
            ("commitments.csv", COMMITMENTS),
        ],
    );
    v.run(&["import", "--map", "m", "--create", dir.to_str().unwrap()])
        .ok();
    std::fs::write(v.path("asof.json"), r#"{"as_of": "2026-06-30"}"#).unwrap();
    v
}

/// `args` with `--settings FILE` (the engagement date 2026-06-30).
fn asof<'a>(args: &[&'a str], settings: &'a str) -> Vec<&'a str> {
    let mut a = args.to_vec();
    a.extend(["--settings", settings]);
    a
}

#[test]
fn contacts_lists_overdue_first_with_open_commitments_and_filters_by_owner() {
    let v = map();
    let s = v.path("asof.json");
    let s = s.to_str().unwrap();
    let out = v
        .run(&asof(&["contacts", "--map", "m", "--json"], s))
        .ok()
        .json();
    assert_eq!(out["as_of"], "2026-06-30");
    let rows = out["contacts"].as_array().unwrap();
    let order: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["actor"].as_str().unwrap(), r["status"].as_str().unwrap()))
        .collect();
    // a overdue; the never-contacted Logius (keep satisfied) and TNO (manage closely) next,
    // by name; b ok; the two municipalities without cadence (monitor) last, by name.
    assert_eq!(
        order,
        [
            ("a", "overdue"),
            ("e", "never"),
            ("d", "never"),
            ("b", "ok"),
            ("c", "none"),
            ("f", "none")
        ]
    );
    let a = &rows[0];
    assert_eq!(a["last_contact"], "2026-01-10");
    assert_eq!(a["days_since"], 171);
    assert_eq!(a["cadence_days"], 60);
    assert_eq!(a["name"], "Ministerie van BZK");
    assert_eq!(a["open_commitments"][0]["id"], "k1");
    assert_eq!(a["open_commitments"][0]["days_late"], 149);
    let b = &rows[3];
    assert_eq!(b["cadence_days"], 90);
    assert_eq!(b["contacts_90d"], 1);
    // k3 is done: not open. k2 is not due yet.
    let open: Vec<&str> = b["open_commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(open, ["k2"]);
    assert!(b["open_commitments"][0]["days_late"].is_null());

    // Bob's contacts: only VNG (his call and his commitments).
    let bob = v
        .run(&asof(
            &["contacts", "--map", "m", "--owner", "Bob", "--json"],
            s,
        ))
        .ok()
        .json();
    let ids: Vec<&str> = bob["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["actor"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["b"]);

    // The text form says the same in words.
    let text = v.run(&asof(&["contacts", "--map", "m"], s)).ok().stdout;
    let first = text.lines().nth(1).unwrap();
    assert!(
        first.contains("overdue") && first.contains("Ministerie"),
        "{text}"
    );
    assert!(
        text.contains("k1 ours \"Stuur de agenda\", due 2026-02-01, 149 days late, owner Ann"),
        "{text}"
    );
}

#[test]
fn adopt_list_and_set_keep_the_simulated_gain_and_mark_overdue_items() {
    let v = map();
    let s = v.path("asof.json");
    let s = s.to_str().unwrap();
    let analysis = v
        .run(&asof(&["analyse", "--map", "m", "--json"], s))
        .ok()
        .json();
    // The first action with a simulated gain (maintain and honour have none).
    let action = analysis["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["expected_gain"].is_number())
        .unwrap();
    let id = action["id"].as_str().unwrap();
    let adopted = v
        .run(&asof(
            &[
                "plan",
                "adopt",
                "--map",
                "m",
                id,
                "--owner",
                "Ann",
                "--due",
                "2026-06-15",
            ],
            s,
        ))
        .ok();
    assert_eq!(adopted.stdout.trim(), "p1");

    let list = v
        .run(&asof(&["plan", "list", "--map", "m", "--json"], s))
        .ok()
        .json();
    let p1 = &list[0];
    assert_eq!(p1["id"], "p1");
    assert_eq!(p1["kind"], action["kind"]);
    assert_eq!(p1["simulated_gain"], action["expected_gain"]);
    assert_eq!(
        p1["strength_at_adoption"],
        analysis["transition"]["metrics"]["strength"]
    );
    assert_eq!(p1["adopted_on"], "2026-06-30");
    assert_eq!(p1["owner"], "Ann");
    // Due 2026-06-15, still planned on 2026-06-30: overdue.
    assert_eq!(p1["overdue"], true);
    let text = v.run(&asof(&["plan", "list", "--map", "m"], s)).ok().stdout;
    assert!(text.contains("OVERDUE"), "{text}");

    // Done on a given date: no longer overdue; the list shows both gains.
    let set = v
        .run(&[
            "plan",
            "set",
            "--map",
            "m",
            "p1",
            "--status",
            "done",
            "--on",
            "2026-06-30",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(set["status"], "done");
    assert_eq!(set["done_on"], "2026-06-30");
    let list = v
        .run(&asof(&["plan", "list", "--map", "m", "--json"], s))
        .ok()
        .json();
    assert_eq!(list[0]["overdue"], false);
    let text = v.run(&asof(&["plan", "list", "--map", "m"], s)).ok().stdout;
    assert!(text.contains("simulated gain +"), "{text}");
    assert!(text.contains("not proof of cause"), "{text}");
    // Filters.
    let none = v
        .run(&[
            "plan", "list", "--map", "m", "--status", "planned", "--json",
        ])
        .ok()
        .json();
    assert_eq!(none, serde_json::json!([]));

    // Bad input: exit 2 with the reason.
    let r = v
        .run(&["plan", "adopt", "--map", "m", "a999"])
        .fails_with(2);
    assert!(r.stderr.contains("no action `a999`"), "{}", r.stderr);
    let r = v
        .run(&["plan", "adopt", "--map", "m", id, "--due", "next week"])
        .fails_with(2);
    assert!(r.stderr.contains("--due"), "{}", r.stderr);
    let r = v
        .run(&["plan", "set", "--map", "m", "p9", "--status", "done"])
        .fails_with(2);
    assert!(r.stderr.contains("p9"), "{}", r.stderr);
    v.run(&["plan", "set", "--map", "m", "p1"]).fails_with(2);
    v.run(&["plan", "set", "--map", "m", "p1", "--status", "finished"])
        .fails_with(2);
}
