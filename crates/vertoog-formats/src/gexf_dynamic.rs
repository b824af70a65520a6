//! Dynamic GEXF 1.3 (dynamics.md "Interfaces": `export --format gexf --dynamic`): a graph with
//! `mode="dynamic"` and `timeformat="date"` that Gephi's timeline plays. Each node has the
//! spells in which its actor is present, and its coalition lineage as a dynamic attribute
//! (one `attvalue` per run of equal lineage); each edge has the spells in which the tie is
//! active and both its actors are present.
//!
//! The caller gives the time slices: one per window, from the day after the previous
//! window's end to the window's end (the first from its own period start), so that slices
//! never overlap although moving windows do. Consecutive slices with the same value are
//! merged into one spell. A map with a directed tie gives a directed graph whose undirected
//! ties are `mutual` edges.

use std::fmt::Write;

use vertoog_model::{Bundle, Date};

use crate::xml;

/// One time slice: [start, end], both inclusive, and who is present with which lineage.
#[derive(Clone, Debug, PartialEq)]
pub struct Slice {
    pub start: Date,
    pub end: Date,
    /// Actor id → lineage (None: present outside every lineage), for the present actors.
    pub present: std::collections::BTreeMap<String, Option<String>>,
}

/// Runs of consecutive slices for which `value` is `Some`, merged while the value stays the
/// same: (start, end, value).
fn runs<T: PartialEq + Clone>(
    slices: &[Slice],
    value: impl Fn(&Slice) -> Option<T>,
) -> Vec<(Date, Date, T)> {
    let mut out: Vec<(Date, Date, T)> = Vec::new();
    let mut prev_present = false;
    for s in slices {
        match value(s) {
            Some(v) => {
                match out.last_mut() {
                    Some(last) if prev_present && last.2 == v => last.1 = s.end,
                    _ => out.push((s.start, s.end, v)),
                }
                prev_present = true;
            }
            None => prev_present = false,
        }
    }
    out
}

/// The dynamic GEXF document of `bundle` over `slices`.
pub fn write_dynamic_gexf(bundle: &Bundle, slices: &[Slice]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n",
    );
    let _ = writeln!(
        out,
        "  <meta>\n    <creator>Vertoog</creator>\n    <description>{} (coalition dynamics)</description>\n  </meta>",
        xml::text(if bundle.map.name.is_empty() {
            &bundle.map.id
        } else {
            &bundle.map.name
        })
    );
    let (start, end) = match (slices.first(), slices.last()) {
        (Some(a), Some(b)) => (a.start.to_string(), b.end.to_string()),
        _ => (String::new(), String::new()),
    };
    // A map with a directed tie is a directed graph whose undirected ties are `mutual`
    // (readers such as networkx refuse mixed graphs).
    let any_directed = bundle.ties.iter().any(|t| t.directed);
    let default = if any_directed {
        "directed"
    } else {
        "undirected"
    };
    if slices.is_empty() {
        let _ = writeln!(
            out,
            "  <graph mode=\"dynamic\" defaultedgetype=\"{default}\" timeformat=\"date\">"
        );
    } else {
        let _ = writeln!(
            out,
            "  <graph mode=\"dynamic\" defaultedgetype=\"{default}\" timeformat=\"date\" start=\"{start}\" end=\"{end}\">"
        );
    }
    out.push_str(
        "    <attributes class=\"node\" mode=\"static\">\n      <attribute id=\"domain\" title=\"domain\" type=\"string\"/>\n    </attributes>\n",
    );
    out.push_str(
        "    <attributes class=\"node\" mode=\"dynamic\">\n      <attribute id=\"lineage\" title=\"lineage\" type=\"string\"/>\n    </attributes>\n",
    );
    out.push_str(
        "    <attributes class=\"edge\" mode=\"static\">\n      <attribute id=\"kind\" title=\"kind\" type=\"string\"/>\n    </attributes>\n",
    );
    let mut actors: Vec<&vertoog_model::Actor> = bundle.actors.iter().collect();
    actors.sort_by(|a, b| a.id.cmp(&b.id));
    out.push_str("    <nodes>\n");
    let mut seen = std::collections::BTreeSet::new();
    for a in actors {
        let presence = runs(slices, |s| s.present.get(&a.id).map(|_| ()));
        if presence.is_empty() || !seen.insert(a.id.clone()) {
            continue;
        }
        let _ = writeln!(
            out,
            "      <node id=\"{}\" label=\"{}\">",
            xml::attr(&a.id),
            xml::attr(&a.name)
        );
        out.push_str("        <attvalues>\n");
        let _ = writeln!(
            out,
            "          <attvalue for=\"domain\" value=\"{}\"/>",
            xml::attr(&a.domain)
        );
        for (s, e, l) in runs(slices, |s| s.present.get(&a.id).cloned().flatten()) {
            let _ = writeln!(
                out,
                "          <attvalue for=\"lineage\" value=\"{}\" start=\"{s}\" end=\"{e}\"/>",
                xml::attr(&l)
            );
        }
        out.push_str("        </attvalues>\n        <spells>\n");
        for (s, e, ()) in presence {
            let _ = writeln!(out, "          <spell start=\"{s}\" end=\"{e}\"/>");
        }
        out.push_str("        </spells>\n      </node>\n");
    }
    out.push_str("    </nodes>\n    <edges>\n");
    let mut ties: Vec<&vertoog_model::Tie> = bundle.ties.iter().collect();
    ties.sort_by(|a, b| a.id.cmp(&b.id));
    for t in ties {
        if t.source == t.target || !seen.contains(&t.source) || !seen.contains(&t.target) {
            continue;
        }
        let spells = runs(slices, |s| {
            (s.present.contains_key(&t.source)
                && s.present.contains_key(&t.target)
                && t.active_in(Some(s.start), Some(s.end)))
            .then_some(())
        });
        if spells.is_empty() {
            continue;
        }
        let weight = if t.weight.is_finite() && t.weight > 0.0 {
            t.weight
        } else {
            1.0
        };
        let _ = writeln!(
            out,
            "      <edge id=\"{}\" source=\"{}\" target=\"{}\" type=\"{}\" weight=\"{weight}\">",
            xml::attr(&t.id),
            xml::attr(&t.source),
            xml::attr(&t.target),
            match (t.directed, any_directed) {
                (true, _) => "directed",
                (false, true) => "mutual",
                (false, false) => "undirected",
            }
        );
        let _ = writeln!(
            out,
            "        <attvalues>\n          <attvalue for=\"kind\" value=\"{}\"/>\n        </attvalues>\n        <spells>",
            xml::attr(t.kind.as_str())
        );
        for (s, e, ()) in spells {
            let _ = writeln!(out, "          <spell start=\"{s}\" end=\"{e}\"/>");
        }
        out.push_str("        </spells>\n      </edge>\n");
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use vertoog_model::{Actor, Map, Tie, TieKind};

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn slice(start: &str, end: &str, present: &[(&str, Option<&str>)]) -> Slice {
        Slice {
            start: d(start),
            end: d(end),
            present: present
                .iter()
                .map(|(a, l)| (a.to_string(), l.map(str::to_string)))
                .collect::<BTreeMap<_, _>>(),
        }
    }

    #[test]
    fn spells_merge_runs_and_lineages_change_per_spell() {
        let mut b = Bundle::new(Map::new("m"));
        b.actors = vec![Actor::new("a", "A & co"), Actor::new("b", "B")];
        b.ties = vec![Tie::new("t1", "a", "b", TieKind::Collaboration)];
        let slices = [
            slice(
                "2020-01-01",
                "2020-03-31",
                &[("a", Some("L1")), ("b", None)],
            ),
            slice("2020-04-01", "2020-06-30", &[("a", Some("L1"))]),
            slice(
                "2020-07-01",
                "2020-09-30",
                &[("a", Some("L2")), ("b", None)],
            ),
        ];
        let x = write_dynamic_gexf(&b, &slices);
        assert!(x.contains("mode=\"dynamic\""));
        assert!(x.contains("label=\"A &amp; co\""));
        // a: one spell over all three slices, lineage L1 then L2.
        assert!(x.contains("<spell start=\"2020-01-01\" end=\"2020-09-30\"/>"));
        assert!(x.contains("value=\"L1\" start=\"2020-01-01\" end=\"2020-06-30\""));
        assert!(x.contains("value=\"L2\" start=\"2020-07-01\" end=\"2020-09-30\""));
        // b: absent in the second slice, so two spells; the tie follows b.
        assert_eq!(
            x.matches("<spell start=\"2020-01-01\" end=\"2020-03-31\"/>")
                .count(),
            2
        );
        assert_eq!(
            x.matches("<spell start=\"2020-07-01\" end=\"2020-09-30\"/>")
                .count(),
            2
        );
        assert!(x.contains("type=\"undirected\""));
    }
}
