//! Tests of the CSV bundle: every bad-input case of the import rules with its exact message,
//! the formula rule, folders and file names, and a property test of the round trip.

use super::*;
use proptest::prelude::*;
use vertoog_model::DEFAULT_DOMAINS;

fn map() -> Map {
    Map::new("m")
}

fn read(files: &[(&str, &str)]) -> Result<Parsed, Vec<String>> {
    let files: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(n, c)| (n.to_string(), c.as_bytes().to_vec()))
        .collect();
    read_csv_files(&files, &map(), None).map_err(|e| e.messages())
}

fn errors(files: &[(&str, &str)]) -> Vec<String> {
    match read(files) {
        Ok(p) => panic!("expected errors, got {:?}", p.bundle),
        Err(e) => e,
    }
}

fn one(file: &str, text: &str) -> Vec<String> {
    errors(&[(file, text)])
}

#[test]
fn reads_every_column_and_defaults() {
    let p = read(&[
        (
            "actors.csv",
            "id,name,aliases,domain,kind,parent,influence,interest,legitimacy,urgency,target_position,engagement,owner,tags,notes\n\
             bzk,Ministerie van BZK,BZK;Binnenlandse Zaken,ministry,organisation,,0.9,0.7,TRUE,false,2,collaborate,Anna,\"rijk;\"\"digitaal\"\"\",\"Notes, with comma\"\n\
             jan,Jan,,,person,bzk,,,,,,,,,\n",
        ),
        ("narratives.csv", "label,id,core\nDigitaal eerst,digitaal,true\nPrivacy,privacy,\n"),
        (
            "stances.csv",
            "actor,narrative,position,date,source,quote,id\nbzk,digitaal,2,2024-03-01,Kamerbrief,\"\"\"Wij gaan\"\"\",\njan,privacy,-1,,,,s9\n",
        ),
        ("ties.csv", "source,target,kind,weight\nbzk,jan,authority,1\njan,bzk,,\n"),
    ])
    .unwrap();
    let b = &p.bundle;
    let bzk = &b.actors[0];
    assert_eq!(bzk.aliases, ["BZK", "Binnenlandse Zaken"]);
    assert_eq!(bzk.domain, "ministry");
    assert_eq!(bzk.influence, 0.9);
    assert_eq!(bzk.interest, 0.7);
    assert!(bzk.legitimacy && !bzk.urgency);
    assert_eq!(bzk.target_position, Some(2));
    assert_eq!(bzk.engagement, Some(Engagement::Collaborate));
    assert_eq!(bzk.owner, "Anna");
    assert_eq!(bzk.tags, ["rijk", "\"digitaal\""]);
    assert_eq!(bzk.notes, "Notes, with comma");
    let mut jan = Actor::new("jan", "Jan");
    jan.kind = ActorKind::Person;
    jan.parent = Some("bzk".into());
    assert_eq!(b.actors[1], jan);
    assert_eq!(
        b.narratives[0],
        Narrative::new("digitaal", "Digitaal eerst", true)
    );
    assert_eq!(b.narratives[1], Narrative::new("privacy", "Privacy", false));
    assert_eq!(b.stances[0].quote, "\"Wij gaan\"");
    assert_eq!(b.stances[0].id, "");
    assert_eq!(b.stances[0].date.unwrap().to_string(), "2024-03-01");
    assert_eq!(b.stances[1].id, "s9");
    assert_eq!(b.stances[1].position, -1);
    assert!(b.ties[0].directed, "authority defaults to directed");
    assert_eq!(b.ties[0].weight, 1.0);
    assert_eq!(
        b.ties[1],
        Tie::new("", "jan", "bzk", TieKind::Collaboration)
    );
    assert_eq!(b.map, map());
    assert_eq!(
        p.origins.locate(EntityKind::Stance, 1),
        Some(("stances.csv".into(), 3))
    );
}

#[test]
fn header_only_is_empty_and_bom_is_stripped() {
    let p = read(&[
        ("actors.csv", "id,name\n"),
        ("ties.csv", "\u{feff}source,target\r\n"),
    ])
    .unwrap();
    assert!(p.bundle.actors.is_empty() && p.bundle.ties.is_empty());
    let p = read(&[("actors.csv", "\u{feff}id,name\r\na,A\r\n")]).unwrap();
    assert_eq!(p.bundle.actors, [Actor::new("a", "A")]);
}

#[test]
fn empty_file() {
    assert_eq!(
        one("stances.csv", ""),
        ["stances.csv: the file is empty; its first line must name the columns, at least `actor,narrative,position`"]
    );
    assert_eq!(one("actors.csv", "\u{feff}\n\n").len(), 1);
}

#[test]
fn invalid_utf8_names_line_and_goes_on() {
    let mut bytes = b"id,name\na,A\nb,Caf".to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(b"\nc,C,extra\n");
    let e = read_csv_files(&[("actors.csv".into(), bytes)], &map(), None)
        .unwrap_err()
        .messages();
    assert_eq!(
        e,
        [
            "actors.csv line 3: invalid UTF-8 (byte 0xE9 at offset 17); save the file as UTF-8",
            "actors.csv line 4: the record has 3 fields but the header has 2",
        ]
    );
}

#[test]
fn header_errors() {
    assert_eq!(
        one("actors.csv", "id,nmae,Name,colour\na,A,A,red\n"),
        [
            "actors.csv line 1: unknown column `nmae`; the columns of actors.csv are id, name, aliases, domain, kind, parent, influence, interest, legitimacy, urgency, target_position, engagement, owner, tags, notes",
            "actors.csv line 1: unknown column `colour`; the columns of actors.csv are id, name, aliases, domain, kind, parent, influence, interest, legitimacy, urgency, target_position, engagement, owner, tags, notes",
        ]
    );
    assert_eq!(
        one("ties.csv", "source,weight\na,1\n"),
        ["ties.csv line 1: missing required column `target`"]
    );
    assert_eq!(
        one("narratives.csv", "id,label,label\nn,N,N\n"),
        ["narratives.csv line 1: column `label` appears twice"]
    );
    assert_eq!(
        one("narratives.csv", "id,,label\n"),
        ["narratives.csv line 1: the header has an empty column name"]
    );
    // Unknown columns do not stop the rows from being checked.
    assert_eq!(one("actors.csv", "id,name,x\nA,ok,1\n").len(), 2);
}

#[test]
fn column_count_and_quoting() {
    assert_eq!(
        one("actors.csv", "id,name\na,A,B\nb\n"),
        [
            "actors.csv line 2: the record has 3 fields but the header has 2",
            "actors.csv line 3: the record has 1 fields but the header has 2",
        ]
    );
    assert_eq!(
        one("actors.csv", "id,name\na,Say \"hi\"\nb,\"B\"x\nc,\"never closed\nd,D\n"),
        [
            "actors.csv line 2: name: a quote (\") inside an unquoted field; put the whole field in quotes and double each quote inside it (\"\")",
            "actors.csv line 3: name: text after the closing quote of a field; inside a quoted field write each quote twice (\"\")",
            "actors.csv line 4: name: the quote that opens on line 4 is never closed",
        ]
    );
    assert_eq!(
        one("actors.csv", "id,\"na\"me\"\n"),
        ["actors.csv line 1: header: text after the closing quote of a field; inside a quoted field write each quote twice (\"\")"]
    );
}

#[test]
fn blank_lines_are_skipped_and_lines_count_physically() {
    let p = read(&[(
        "actors.csv",
        "id,name,notes\n\na,A,\"two\nlines\"\n,,\nb,B,\n",
    )])
    .unwrap();
    assert_eq!(p.bundle.actors.len(), 2);
    assert_eq!(
        p.origins.locate(EntityKind::Actor, 0),
        Some(("actors.csv".into(), 3))
    );
    assert_eq!(
        p.origins.locate(EntityKind::Actor, 1),
        Some(("actors.csv".into(), 6))
    );
}

#[test]
fn positions() {
    assert_eq!(
        one(
            "stances.csv",
            "actor,narrative,position\na,n,1\na,n,7\na,n,300\na,n,1.5\na,n,\na,n,two\n"
        ),
        [
            "stances.csv line 3: position: 7 is outside -2..2",
            "stances.csv line 4: position: 300 is outside -2..2",
            "stances.csv line 5: position: `1.5` is not a whole number from -2 to 2",
            "stances.csv line 6: position: is required: a whole number from -2 to 2",
            "stances.csv line 7: position: `two` is not a whole number from -2 to 2",
        ]
    );
    assert_eq!(
        one("actors.csv", "id,name,target_position\na,A,-3\n"),
        ["actors.csv line 2: target_position: -3 is outside -2..2"]
    );
}

#[test]
fn numbers() {
    assert_eq!(
        one(
            "actors.csv",
            "id,name,influence,interest\na,A,abc,1.5\nb,B,\"0,5\",NaN\nc,C,-0.1,inf\nd,D,1e-1,.5\n"
        ),
        [
            "actors.csv line 2: influence: `abc` is not a number",
            "actors.csv line 2: interest: 1.5 is outside 0..1",
            "actors.csv line 3: influence: `0,5` is not a number; use a decimal point (0.5)",
            "actors.csv line 3: interest: `NaN` is not a number",
            "actors.csv line 4: interest: `inf` is not a number",
            "actors.csv line 4: influence: -0.1 is outside 0..1",
        ]
    );
    assert_eq!(
        one("ties.csv", "source,target,weight\na,b,0\na,b,2\n"),
        [
            "ties.csv line 2: weight: 0 is outside (0, 1]",
            "ties.csv line 3: weight: 2 is outside (0, 1]",
        ]
    );
}

#[test]
fn booleans_dates_and_enumerations() {
    assert_eq!(
        one("narratives.csv", "id,label,core\nn,N,yes\nm,M,TRUE\n"),
        ["narratives.csv line 2: core: `yes` is not a boolean; use true or false"]
    );
    assert_eq!(
        one(
            "ties.csv",
            "source,target,kind,directed,since,until\na,b,friendship,1,2024-13-01,01-02-2024\nc,d,conflict,,2024-05-01,2024-01-01\n"
        ),
        [
            "ties.csv line 2: kind: `friendship` is not a tie kind; use collaboration, communication, funding, authority, membership or conflict",
            "ties.csv line 2: directed: `1` is not a boolean; use true or false",
            "ties.csv line 2: since: `2024-13-01` is not a date in the form YYYY-MM-DD",
            "ties.csv line 2: until: `01-02-2024` is not a date in the form YYYY-MM-DD",
            "ties.csv line 3: until: 2024-01-01 is before since (2024-05-01)",
        ]
    );
    assert_eq!(
        one(
            "actors.csv",
            "id,name,kind,domain,engagement\na,A,robot,ministery,tell\n"
        ),
        [
            "actors.csv line 2: kind: `robot` is not an actor kind; use organisation or person",
            "actors.csv line 2: engagement: `tell` is not an engagement level; use inform, consult, involve, collaborate or empower",
            "actors.csv line 2: domain: `ministery` is not in the map's domain vocabulary (ministry, vng, municipality, province, water-board, agency, science, business, civil-society, media, other)",
        ]
    );
}

#[test]
fn ids_duplicates_and_self_ties() {
    assert_eq!(
        one("actors.csv", "id,name\na,A\nBad Id,B\na,Again\n,Blank\n"),
        [
            "actors.csv line 3: id: `Bad Id` is not a valid id: use a-z, 0-9 and -, starting with a letter or digit, at most 63 characters",
            "actors.csv line 4: id: duplicate actor id `a` (first on line 2)",
            "actors.csv line 5: id: `` is not a valid id: use a-z, 0-9 and -, starting with a letter or digit, at most 63 characters",
        ]
    );
    assert_eq!(
        one("ties.csv", "id,source,target\nt1,a,a\nt1,a,b\n"),
        [
            "ties.csv line 2: target: a tie needs two different actors; both ends are `a`",
            "ties.csv line 3: id: duplicate tie id `t1` (first on line 2)",
        ]
    );
    // Stances without id may repeat (ids are assigned later).
    assert!(read(&[("stances.csv", "actor,narrative,position\na,n,1\na,n,1\n")]).is_ok());
    assert_eq!(
        errors(&[
            ("actors.csv", "id,name\na,A\n"),
            ("more-actors.csv", "id,name\na,A2\n"),
        ]),
        ["more-actors.csv line 2: id: duplicate actor id `a` (first in actors.csv line 2)"]
    );
}

#[test]
fn huge_name_is_refused_without_echo() {
    let text = format!("id,name\na,{}\n", "x".repeat(10_000_000));
    let e = one("actors.csv", &text);
    assert_eq!(
        e,
        ["actors.csv line 2: name: is 10000000 characters long; at most 200 are allowed"]
    );
    let text = format!("id,name,influence\na,A,{}\n", "9".repeat(1_000));
    let e = one("actors.csv", &text);
    assert!(e[0].len() < 200, "{}", e[0]);
}

#[test]
fn errors_of_all_files_come_together() {
    let e = errors(&[
        ("ties.csv", "source,target\na,a\n"),
        ("actors.csv", "id,name\na,\n"),
        ("stances.csv", "actor,narrative,position\na,n,9\n"),
        ("narratives.csv", ""),
        ("notes.csv", "x\n"),
    ]);
    assert_eq!(
        e,
        [
            "notes.csv: cannot tell which entity the file holds; name it actors.csv, narratives.csv, stances.csv, ties.csv, interactions.csv, commitments.csv or plan.csv",
            "actors.csv line 2: name: must not be blank",
            "narratives.csv: the file is empty; its first line must name the columns, at least `id,label`",
            "stances.csv line 2: position: 9 is outside -2..2",
            "ties.csv line 2: target: a tie needs two different actors; both ends are `a`",
        ]
    );
}

#[test]
fn file_names() {
    assert_eq!(entity_of_file_name("actors.csv"), Some(EntityKind::Actor));
    assert_eq!(
        entity_of_file_name("2024-Stances.CSV"),
        Some(EntityKind::Stance)
    );
    assert_eq!(entity_of_file_name("map_ties.csv"), Some(EntityKind::Tie));
    assert_eq!(entity_of_file_name("factors.csv"), None);
    assert_eq!(entity_of_file_name("actors.txt"), None);
}

#[test]
fn folders_and_paths() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("bundle");
    std::fs::create_dir(&bundle).unwrap();
    std::fs::write(bundle.join("actors.csv"), "id,name\na,A\nb,B\n").unwrap();
    std::fs::write(bundle.join("ties.csv"), "source,target\na,b\n").unwrap();
    let mut seen = Vec::new();
    let mut progress = |n: u64| seen.push(n);
    let p = read_csv_bundle(std::slice::from_ref(&bundle), &map(), Some(&mut progress)).unwrap();
    assert_eq!(p.bundle.actors.len(), 2);
    assert_eq!(p.bundle.ties.len(), 1);
    assert_eq!(seen.last(), Some(&(16 + 18)));
    let shown = bundle.join("ties.csv").display().to_string();
    assert_eq!(p.origins.locate(EntityKind::Tie, 0), Some((shown, 2)));

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let e = read_csv_bundle(&[empty.clone(), dir.path().join("nope.csv")], &map(), None)
        .unwrap_err()
        .messages();
    assert_eq!(
        e,
        [
            format!(
                "{}: the folder holds none of actors.csv, narratives.csv, stances.csv, ties.csv",
                empty.display()
            ),
            format!(
                "{}: no such file or folder",
                dir.path().join("nope.csv").display()
            ),
        ]
    );
    // A file named directly; the written export reads back.
    let out = dir.path().join("out");
    write_csv_dir(&p.bundle, &out).unwrap();
    let again = read_csv_bundle(
        &[out.join("actors.csv"), out.join("ties.csv")],
        &map(),
        None,
    )
    .unwrap();
    assert_eq!(again.bundle.actors, p.bundle.actors);
}

#[test]
fn references_are_reported_with_file_and_line() {
    let p = read(&[
        ("actors.csv", "id,name,parent\na,A,\nb,B,ghost\n"),
        ("stances.csv", "actor,narrative,position\na,n,1\nzz,n,1\n"),
        ("ties.csv", "source,target\na,b\nb,zz\n"),
    ])
    .unwrap();
    let mut existing = Bundle::new(map());
    existing.narratives.push(Narrative::new("n", "N", true));
    let e: Vec<String> = p
        .reference_errors(Some(&existing))
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        e,
        [
            "actors.csv line 3: parent: unknown actor `ghost`",
            "stances.csv line 3: actor: unknown actor `zz`",
            "ties.csv line 3: target: unknown actor `zz`",
        ]
    );
    assert_eq!(p.reference_errors(None).len(), 5);
    // The store's own errors are described the same way.
    let store_errors = p.bundle.validate();
    let described: Vec<String> = store_errors
        .iter()
        .map(|e| p.describe(e).to_string())
        .collect();
    assert!(described.contains(&"stances.csv line 2: narrative: unknown narrative `n`".to_string()));
}

#[test]
fn formula_rule_on_export_and_import() {
    let mut b = Bundle::new(map());
    let mut a = Actor::new("a", "=HYPERLINK(\"x\")");
    a.aliases = vec!["+31 6".into(), "@home".into()];
    a.tags = vec!["'quoted".into()];
    a.notes = "-1 is not a number here".into();
    a.owner = "@anna".into();
    a.target_position = Some(-2);
    b.actors.push(a);
    let mut n = Narrative::new("n", "-geen-", false);
    n.description = "=1+1".into();
    b.narratives.push(n);
    let mut s = Stance::new("s1", "a", "n", -2);
    s.source = "=cmd|' /C calc'!A0".into();
    s.quote = "@SUM(1)".into();
    b.stances.push(s);
    let mut t = Tie::new("t1", "a", "b", TieKind::Conflict);
    t.note = "+x".into();
    b.ties.push(t);
    let files = write_csv_bundle(&b);
    assert_eq!(
        files[0].1,
        "id,name,aliases,domain,kind,parent,influence,interest,legitimacy,urgency,target_position,engagement,owner,tags,notes\n\
         a,\"'=HYPERLINK(\"\"x\"\")\",'+31 6;@home,other,organisation,,0.5,0.5,false,false,-2,,'@anna,''quoted,'-1 is not a number here\n"
    );
    assert_eq!(
        files[1].1,
        "id,label,description,core,tags\nn,'-geen-,'=1+1,false,\n"
    );
    assert_eq!(
        files[2].1,
        "id,actor,narrative,position,date,source,quote\ns1,a,n,-2,,'=cmd|' /C calc'!A0,'@SUM(1)\n"
    );
    assert_eq!(
        files[3].1,
        "id,source,target,kind,weight,directed,since,until,note\nt1,a,b,conflict,0.5,false,,,'+x\n"
    );
    // No text cell of the export starts with a formula character.
    for (_, content) in &files {
        for rec in RecordReader::new(content) {
            for f in rec.fields {
                if f.parse::<f64>().is_err() {
                    assert!(!f.starts_with(['=', '+', '-', '@']), "{f}");
                }
            }
        }
    }
    let inputs: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(n, c)| (n.to_string(), c.clone().into_bytes()))
        .collect();
    let back = read_csv_files(&inputs, &map(), None).unwrap();
    assert_eq!(back.bundle, b);
}

#[test]
fn export_sorts_naturally_and_writes_every_value() {
    let mut b = Bundle::new(map());
    b.actors = vec![
        Actor::new("b", "B"),
        Actor::new("a10", "A10"),
        Actor::new("a9", "A9"),
    ];
    b.ties = vec![
        Tie::new("t10", "a9", "b", TieKind::Funding),
        Tie::new("t2", "a9", "b", TieKind::Funding),
    ];
    b.ties[0].directed = false;
    let files = write_csv_bundle(&b);
    let ids: Vec<&str> = files[0]
        .1
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ids, ["a9", "a10", "b"]);
    assert_eq!(
        files[3].1,
        "id,source,target,kind,weight,directed,since,until,note\n\
         t2,a9,b,funding,0.5,true,,,\nt10,a9,b,funding,0.5,false,,,\n"
    );
}

// ---- round trip over random bundles ----

fn hostile_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Z0-9 =+@'\",;\\\\\n\r\tée ëĳ<>&-]{0,24}").unwrap()
}

/// A one-line name: hostile text without line breaks and tabs (refused in names).
fn name() -> impl Strategy<Value = String> {
    hostile_text().prop_map(|s| {
        let t = s.replace(['\n', '\r', '\t'], " ").trim().to_string();
        if t.is_empty() {
            "x".into()
        } else {
            t
        }
    })
}

fn slug() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9-]{0,10}"
}

fn date() -> impl Strategy<Value = Option<vertoog_model::Date>> {
    proptest::option::of((1900i32..2100, 1u32..13, 1u32..29))
        .prop_map(|o| o.map(|(y, m, d)| parse_date(&format!("{y:04}-{m:02}-{d:02}")).unwrap()))
}

fn actor() -> impl Strategy<Value = Actor> {
    (
        (
            slug(),
            name(),
            proptest::collection::vec(name(), 0..3),
            0usize..11,
            any::<bool>(),
        ),
        (
            proptest::option::of(slug()),
            0.0..=1.0f64,
            0.0..=1.0f64,
            any::<bool>(),
            any::<bool>(),
        ),
        (
            proptest::option::of(-2i8..=2),
            proptest::option::of(0usize..5),
            hostile_text(),
            proptest::collection::vec(name(), 0..3),
            hostile_text(),
        ),
    )
        .prop_map(
            |(
                (id, nm, aliases, d, person),
                (parent, infl, inter, leg, urg),
                (tp, eng, owner, tags, notes),
            )| {
                let mut a = Actor::new(id, nm);
                a.aliases = aliases;
                a.domain = DEFAULT_DOMAINS[d].to_string();
                if person {
                    a.kind = ActorKind::Person;
                }
                a.parent = parent;
                a.influence = infl;
                a.interest = inter;
                a.legitimacy = leg;
                a.urgency = urg;
                a.target_position = tp;
                a.engagement = eng.map(|i| Engagement::ALL[i]);
                a.owner = owner;
                a.tags = tags;
                a.notes = notes;
                a
            },
        )
}

fn narrative() -> impl Strategy<Value = Narrative> {
    (
        slug(),
        name(),
        hostile_text(),
        any::<bool>(),
        proptest::collection::vec(name(), 0..3),
    )
        .prop_map(|(id, label, description, core, tags)| {
            let mut n = Narrative::new(id, label, core);
            n.description = description;
            n.tags = tags;
            n
        })
}

fn stance() -> impl Strategy<Value = Stance> {
    (
        slug(),
        slug(),
        -2i8..=2,
        date(),
        hostile_text(),
        hostile_text(),
    )
        .prop_map(|(actor, narrative, pos, date, source, quote)| {
            let mut s = Stance::new("", actor, narrative, pos);
            s.date = date;
            s.source = source;
            s.quote = quote;
            s
        })
}

fn tie() -> impl Strategy<Value = Tie> {
    (
        slug(),
        slug(),
        0usize..6,
        0.001..=1.0f64,
        any::<bool>(),
        date(),
        date(),
        hostile_text(),
    )
        .prop_map(|(s, t, k, w, directed, d1, d2, note)| {
            let mut tie = Tie::new("", format!("{s}-a"), format!("{t}-b"), TieKind::ALL[k]);
            tie.weight = w;
            tie.directed = directed;
            let (since, until) = match (d1, d2) {
                (Some(a), Some(b)) if b < a => (Some(b), Some(a)),
                other => other,
            };
            tie.since = since;
            tie.until = until;
            tie.note = note;
            tie
        })
}

/// A random valid bundle: ids made unique by a numbered prefix.
fn bundle() -> impl Strategy<Value = Bundle> {
    (
        proptest::collection::vec(actor(), 0..6),
        proptest::collection::vec(narrative(), 0..4),
        proptest::collection::vec(stance(), 0..6),
        proptest::collection::vec(tie(), 0..6),
    )
        .prop_map(|(actors, narratives, stances, ties)| {
            let mut b = Bundle::new(map());
            b.actors = actors
                .into_iter()
                .enumerate()
                .map(|(i, mut a)| {
                    a.id = format!("a{i}-{}", a.id);
                    if a.parent.as_deref() == Some(a.id.as_str()) {
                        a.parent = None;
                    }
                    a
                })
                .collect();
            b.narratives = narratives
                .into_iter()
                .enumerate()
                .map(|(i, mut n)| {
                    n.id = format!("n{i}-{}", n.id);
                    n
                })
                .collect();
            b.stances = stances
                .into_iter()
                .enumerate()
                .map(|(i, mut s)| {
                    s.id = format!("s{i}");
                    s
                })
                .collect();
            b.ties = ties
                .into_iter()
                .enumerate()
                .map(|(i, mut t)| {
                    t.id = format!("t{i}");
                    t
                })
                .collect();
            b
        })
}

fn sorted(mut b: Bundle) -> Bundle {
    b.actors.sort_by(|x, y| natural_cmp(&x.id, &y.id));
    b.narratives.sort_by(|x, y| natural_cmp(&x.id, &y.id));
    b.stances.sort_by(|x, y| natural_cmp(&x.id, &y.id));
    b.ties.sort_by(|x, y| natural_cmp(&x.id, &y.id));
    b
}

proptest! {
    #[test]
    fn csv_round_trip(b in bundle()) {
        let b = sorted(b);
        for (kind, errs) in b.validate().iter().map(|e| (e.kind, e)) {
            // Only references may dangle in these random bundles.
            prop_assert!(
                errs.message.starts_with("unknown "),
                "{kind}: {errs:?}"
            );
        }
        let files: Vec<(String, Vec<u8>)> = write_csv_bundle(&b)
            .into_iter()
            .map(|(n, c)| (n.to_string(), c.into_bytes()))
            .collect();
        let back = read_csv_files(&files, &map(), None);
        prop_assert!(back.is_ok(), "{}", back.unwrap_err());
        prop_assert_eq!(back.unwrap().bundle, b);
    }

    #[test]
    fn json_round_trip(b in bundle()) {
        let b = sorted(b);
        let text = crate::write_json_bundle(&b);
        let back = crate::read_json_text("bundle.json", &text, "m");
        prop_assert!(back.is_ok(), "{}", back.unwrap_err());
        prop_assert_eq!(back.unwrap().bundle, b);
    }

    #[test]
    fn reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        for file in ["actors.csv", "ties.csv"] {
            // Never a panic; every error names the file it is about.
            if let Err(errors) = read_csv_files(&[(file.into(), bytes.clone())], &map(), None) {
                prop_assert!(!errors.is_empty());
                prop_assert!(errors.iter().all(|e| e.file == file), "{errors}");
            }
        }
    }

    #[test]
    fn reader_never_panics_on_csv_like_text(text in "[a-z,\"\n\r;'=0-9.-]{0,80}") {
        let header = format!("id,name,influence,tags\n{text}");
        match read_csv_files(&[("actors.csv".into(), header.into_bytes())], &map(), None) {
            // What is read is valid; what is not names file, line and a message.
            Ok(parsed) => prop_assert!(parsed.bundle.validate().is_empty()),
            Err(errors) => prop_assert!(errors
                .iter()
                .all(|e| e.file == "actors.csv" && e.line.is_some() && !e.message.is_empty()), "{errors}"),
        }
    }
}

#[test]
fn error_lists_stop_at_a_thousand_with_the_total_counted() {
    // 300,000 stance rows, each with a bad position: 300,000 errors counted, 1,000 listed.
    let mut text = String::from("actor,narrative,position\n");
    for i in 0..300_000 {
        text.push_str(&format!("a{i},n1,7\n"));
    }
    let files = vec![("stances.csv".to_string(), text.into_bytes())];
    let e = read_csv_files(&files, &map(), None).unwrap_err();
    assert_eq!(e.0.len(), vertoog_model::MAX_ERRORS);
    assert_eq!(e.more(), 299_000);
    assert_eq!(e.len(), 300_000);
    assert_eq!(e.0[999].line, Some(1001));
    let shown = e.to_string();
    assert!(
        shown.ends_with("and 299,000 more errors (only the first 1,000 are listed)"),
        "{}",
        &shown[shown.len() - 200..]
    );
}

const ENGAGEMENT_ACTORS: &str = "id,name\na,Gemeente A\nb,Provincie B\n";
const ENGAGEMENT_NARRATIVES: &str = "id,label\nn,Digitaal eerst\n";

#[test]
fn engagement_files_round_trip() {
    let files = [
        ("actors.csv", ENGAGEMENT_ACTORS),
        ("narratives.csv", ENGAGEMENT_NARRATIVES),
        (
            "interactions.csv",
            "id,date,kind,title,actors,team,narratives,outcome,sentiment,next_step,next_contact,source,confidential\n\
             i1,2025-01-10,call,Eerste gesprek,a;b,Anna;Bob,n,\"Positief, vervolg\",2,Notitie sturen,2025-02-10,mail 12,TRUE\n\
             ,2025-03-01,,Tweede,a,,,,,,,,\n",
        ),
        (
            "commitments.csv",
            "id,actor,direction,text,owner,made_on,due,status,interaction,closed_on\n\
             k1,a,ours,Notitie sturen,Anna,2025-01-10,2025-01-31,done,i1,2025-01-30\n\
             ,b,theirs,Cijfers leveren,,2025-01-10,,,,\n",
        ),
        (
            "plan.csv",
            "id,kind,title,targets,messenger,narrative,owner,due,status,adopted_on,done_on,strength_at_adoption,simulated_gain,rationale,interactions\n\
             p1,brief,Brief B,b,a,n,Anna,2025-04-01,done,2025-01-05,2025-03-01,0.41,0.03,Waarom,i1\n",
        ),
    ];
    let p = read(&files).unwrap();
    let b = &p.bundle;
    assert_eq!(b.interactions.len(), 2);
    let i = &b.interactions[0];
    assert_eq!(i.kind, vertoog_model::InteractionKind::Call);
    assert_eq!(i.actors, ["a", "b"]);
    assert_eq!(i.team, ["Anna", "Bob"]);
    assert_eq!(i.sentiment, Some(2));
    assert!(i.confidential);
    assert_eq!(
        b.interactions[1].kind,
        vertoog_model::InteractionKind::Meeting
    );
    assert_eq!(
        b.commitments[1].status,
        vertoog_model::CommitmentStatus::Open
    );
    assert_eq!(b.plan[0].simulated_gain, Some(0.03));
    assert_eq!(b.plan[0].interactions, ["i1"]);
    assert!(b.validate().is_empty(), "{:?}", b.validate());
    let mut with_ids = b.clone();
    with_ids.assign_engagement_ids();
    let written = write_csv_bundle(&with_ids);
    let names: Vec<&str> = written.iter().map(|(n, _)| *n).collect();
    assert!(names.contains(&"plan.csv") && names.contains(&"interactions.csv"));
    let again: Vec<(String, Vec<u8>)> = written
        .iter()
        .map(|(n, c)| (n.to_string(), c.as_bytes().to_vec()))
        .collect();
    let back = read_csv_files(&again, &map(), None).unwrap().bundle;
    assert_eq!(back.interactions, with_ids.interactions);
    assert_eq!(back.commitments, with_ids.commitments);
    assert_eq!(back.plan, with_ids.plan);
    // A map without engagement data writes the files it always did.
    let plain = write_csv_bundle(&Bundle::new(map()));
    assert_eq!(plain.len(), 5);
}

/// issue 19, "Bad input": an interaction naming an unknown actor or narrative, a commitment
/// closed before it was made, a plan item with an unknown status: one report with file, line
/// and field.
#[test]
fn engagement_bad_input_is_one_report() {
    let files = [
        ("actors.csv", ENGAGEMENT_ACTORS),
        ("narratives.csv", ENGAGEMENT_NARRATIVES),
        (
            "interactions.csv",
            "date,title,actors,narratives\n2025-01-10,Gesprek,a;ghost,n;nope\n",
        ),
        (
            "commitments.csv",
            "actor,direction,text,made_on,status,closed_on\na,ours,Sturen,2025-03-01,done,2025-02-01\n",
        ),
        ("plan.csv", "title,adopted_on,status\nBel B,2025-01-01,finished\n"),
    ];
    let owned: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(n, c)| (n.to_string(), c.as_bytes().to_vec()))
        .collect();
    let mut existing = || None;
    let e = read_csv_files_checked(&owned, &map(), None, Some(&mut existing))
        .unwrap_err()
        .messages();
    assert_eq!(
        e,
        [
            "interactions.csv line 2: actors: unknown actor `ghost`",
            "interactions.csv line 2: narratives: unknown narrative `nope`",
            "commitments.csv line 2: closed_on: 2025-02-01 is before made_on (2025-03-01)",
            "plan.csv line 2: status: `finished` is not a plan item status; use planned, in-progress, done, dropped",
        ]
    );
}

/// Reads `files` in halves (as for a large file) and on one core: the same bundle, origins
/// and errors.
fn read_both_ways(files: &[(&str, String)]) -> Result<Parsed, ImportErrors> {
    let files: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(n, c)| (n.to_string(), c.as_bytes().to_vec()))
        .collect();
    let before = HALVES.with(|h| h.get());
    let halves = read_csv_files(&files, &map(), None);
    SPLIT_SEEN.with(|s| s.set(HALVES.with(|h| h.get()) > before));
    NO_SPLIT.with(|n| n.set(true));
    let whole = read_csv_files(&files, &map(), None);
    NO_SPLIT.with(|n| n.set(false));
    assert_eq!(halves, whole);
    halves
}

thread_local! {
    /// Whether the last `read_both_ways` read a file in halves.
    static SPLIT_SEEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn big_stances(rows: usize, row: impl Fn(usize) -> String) -> String {
    let mut text = String::from("id,actor,narrative,position,date,source,quote\n");
    for i in 0..rows {
        text.push_str(&row(i));
        text.push('\n');
    }
    assert!(text.len() > SPLIT_BYTES + SPLIT_BYTES / 4);
    text
}

#[test]
fn a_large_file_read_in_halves_gives_the_rows_and_errors_of_one_reading() {
    let actors = ("actors.csv", "id,name\na,A\nb,B\n".to_string());
    let n = 60_000;
    // Clean, with CRLF line ends and quoted fields: every row, each on its line.
    let clean = big_stances(n, |i| {
        format!("s{i},a,n1,1,2020-01-01,\"src, {i}\",\"he said \"\"no\"\"\"\r")
    });
    let p = read_both_ways(&[actors.clone(), ("stances.csv", clean)]).unwrap();
    assert!(SPLIT_SEEN.with(|s| s.get()));
    assert_eq!(p.bundle.stances.len(), n);
    assert_eq!(p.bundle.stances[n - 1].quote, "he said \"no\"");
    assert_eq!(
        p.origins.locate(EntityKind::Stance, n - 1),
        Some(("stances.csv".to_string(), n as u64 + 1))
    );
    // Errors in both halves, a duplicate in the second half of an id of the first, a
    // record with a quote never closed at the end.
    let mut bad = big_stances(n, |i| match i {
        7 => "s7,a,n1,9,2020-01-01,,".into(),
        40_000 => "s5,a,n1,1,2020-01-01,,".into(),
        50_000 => "s50000,a,n1,1,2020-13-01,,".into(),
        _ => format!("s{i},a,n1,1,2020-01-01,,"),
    });
    bad.push_str("s_end,a,n1,1,,,\"open\n");
    let e = read_both_ways(&[actors.clone(), ("stances.csv", bad)]).unwrap_err();
    let lines: Vec<(Option<u64>, Option<String>)> =
        e.0.iter().map(|e| (e.line, e.field.clone())).collect();
    assert_eq!(
        lines,
        [
            (Some(9), Some("position".to_string())),
            (Some(40_002), Some("id".to_string())),
            (Some(50_002), Some("date".to_string())),
            (Some(60_002), Some("quote".to_string())),
        ]
    );
    assert!(SPLIT_SEEN.with(|s| s.get()));
    assert!(
        e.0[1].message.contains("first on line 7"),
        "{}",
        e.0[1].message
    );
    // A quoted field with line breaks across the middle: read as one record either way.
    let long = big_stances(n, |i| {
        if i == n / 2 {
            format!("s{i},a,n1,1,2020-01-01,,\"{}\"", "line\n".repeat(20_000))
        } else {
            format!("s{i},a,n1,1,2020-01-01,,")
        }
    });
    let p = read_both_ways(&[actors, ("stances.csv", long)]).unwrap();
    assert!(!SPLIT_SEEN.with(|s| s.get()));
    assert_eq!(p.bundle.stances.len(), n);
    assert_eq!(
        p.origins.locate(EntityKind::Stance, n - 1),
        Some(("stances.csv".to_string(), n as u64 + 1 + 20_000))
    );
}
