//! GEXF 1.3 export for Gephi (issue 6): attributes declared with their types in
//! `<attributes>` before the nodes and edges, `defaultedgetype` explicit and each edge's
//! `type` given, the domain colour and influence as `viz:color` and `viz:size`.

use std::fmt::Write;

use vertoog_model::Bundle;

use crate::graph::{domain_colour, num, rgb, AnnIndex, GraphAnnotations, GraphOptions, View};
use crate::graphml::export_edges;
use crate::xml;

const NODE_ATTRS: [(&str, &str); 7] = [
    ("name", "string"),
    ("domain", "string"),
    ("influence", "double"),
    ("coalition", "string"),
    ("alignment", "double"),
    ("betweenness", "double"),
    ("articulation_point", "boolean"),
];
const EDGE_ATTRS: [(&str, &str); 8] = [
    ("kind", "string"),
    ("weight", "double"),
    ("bridge", "boolean"),
    ("signed_weight", "double"),
    ("directed", "boolean"),
    ("tie_id", "string"),
    ("tie_source", "string"),
    ("tie_target", "string"),
];

fn attvalue(out: &mut String, key: &str, value: &str) {
    let _ = writeln!(
        out,
        "          <attvalue for=\"{key}\" value=\"{}\"/>",
        xml::attr(value)
    );
}

/// The GEXF 1.3 document of a map in a view. Nodes: id = actor id, `label` = name,
/// attributes `name`, `domain`, `influence`, and from the annotations `coalition`,
/// `alignment`, `betweenness`, `articulation_point` (absent values are left out);
/// `viz:color` = domain colour, `viz:size` = `10 + 40 * influence`. Edges: as the GraphML
/// export (ties, or the discourse network with weight |w|), with the GEXF `weight` and
/// `type` (`directed` | `undirected`) and the attributes `kind`, `weight`, `bridge`,
/// `signed_weight`, `directed` (source to target) and `tie_id`. `defaultedgetype=
/// "undirected"`; only with `mixed_direction` does each edge give its own `type`
/// (`directed` | `undirected`), which networkx refuses in an undirected graph. Boolean
/// attributes declare `<default>false</default>`. The discourse threshold applies.
pub fn write_gexf_with(bundle: &Bundle, ann: &GraphAnnotations, opts: &GraphOptions) -> String {
    let view = opts.view;
    let idx = AnnIndex::new(ann);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" \
         version=\"1.3\">\n",
    );
    let _ = writeln!(
        out,
        "  <meta>\n    <creator>Vertoog</creator>\n    <description>{} ({})</description>\n  </meta>",
        xml::text(if bundle.map.name.is_empty() {
            &bundle.map.id
        } else {
            &bundle.map.name
        }),
        view.as_str()
    );
    out.push_str("  <graph mode=\"static\" defaultedgetype=\"undirected\">\n");
    for (class, attrs) in [("node", &NODE_ATTRS[..]), ("edge", &EDGE_ATTRS[..])] {
        let _ = writeln!(out, "    <attributes class=\"{class}\">");
        for (id, ty) in attrs {
            if *ty == "boolean" {
                let _ = writeln!(
                    out,
                    "      <attribute id=\"{id}\" title=\"{id}\" type=\"{ty}\">\n        <default>false</default>\n      </attribute>"
                );
            } else {
                let _ = writeln!(
                    out,
                    "      <attribute id=\"{id}\" title=\"{id}\" type=\"{ty}\"/>"
                );
            }
        }
        out.push_str("    </attributes>\n");
    }
    out.push_str("    <nodes>\n");
    for a in &bundle.actors {
        let _ = writeln!(
            out,
            "      <node id=\"{}\" label=\"{}\">",
            xml::attr(&a.id),
            xml::attr(&a.name)
        );
        out.push_str("        <attvalues>\n");
        attvalue(&mut out, "name", &a.name);
        attvalue(&mut out, "domain", &a.domain);
        attvalue(&mut out, "influence", &num(a.influence));
        if let Some(c) = idx.coalition(&a.id) {
            attvalue(&mut out, "coalition", c);
        }
        if let Some(x) = ann.alignment.get(&a.id) {
            attvalue(&mut out, "alignment", &num(*x));
        }
        if let Some(x) = ann.betweenness.get(&a.id) {
            attvalue(&mut out, "betweenness", &num(*x));
        }
        // Explicit as well as declared default: networkx keeps key defaults aside.
        attvalue(
            &mut out,
            "articulation_point",
            if idx.is_articulation_point(&a.id) {
                "true"
            } else {
                "false"
            },
        );
        out.push_str("        </attvalues>\n");
        let (r, g, b) = rgb(domain_colour(bundle, &a.domain));
        let _ = writeln!(out, "        <viz:color r=\"{r}\" g=\"{g}\" b=\"{b}\"/>");
        let _ = writeln!(
            out,
            "        <viz:size value=\"{}\"/>",
            num(10.0 + 40.0 * a.influence.clamp(0.0, 1.0))
        );
        out.push_str("      </node>\n");
    }
    out.push_str("    </nodes>\n    <edges>\n");
    for e in export_edges(bundle, ann, view, opts.discourse_threshold) {
        let ty = if !opts.mixed_direction {
            String::new()
        } else if e.directed {
            " type=\"directed\"".to_string()
        } else {
            " type=\"undirected\"".to_string()
        };
        let _ = writeln!(
            out,
            "      <edge id=\"{}\" source=\"{}\" target=\"{}\"{ty} weight=\"{}\">",
            xml::attr(&e.id),
            xml::attr(&e.source),
            xml::attr(&e.target),
            num(e.weight)
        );
        out.push_str("        <attvalues>\n");
        attvalue(&mut out, "kind", &e.kind);
        attvalue(&mut out, "weight", &num(e.weight));
        attvalue(&mut out, "bridge", if e.bridge { "true" } else { "false" });
        if let Some(w) = e.signed {
            attvalue(&mut out, "signed_weight", &num(w));
        }
        attvalue(
            &mut out,
            "directed",
            if e.directed { "true" } else { "false" },
        );
        attvalue(&mut out, "tie_id", &e.id);
        // Undirected readers may swap the ends (igraph does): the tie's own order.
        attvalue(&mut out, "tie_source", &e.source);
        attvalue(&mut out, "tie_target", &e.target);
        out.push_str("        </attvalues>\n      </edge>\n");
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out
}

/// The GEXF document with the default [`GraphOptions`] of `view`: see [`write_gexf_with`].
pub fn write_gexf(bundle: &Bundle, ann: &GraphAnnotations, view: View) -> String {
    write_gexf_with(
        bundle,
        ann,
        &GraphOptions {
            view,
            ..Default::default()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dot::tests::{annotations, hostile_bundle};
    use crate::xml::tests::{attr_value, parse};

    #[test]
    fn hostile_map_reads_back() {
        let b = hostile_bundle();
        let ann = annotations();
        let text = write_gexf(&b, &ann, View::Coalitions);
        let doc = parse(&text);
        assert_eq!(doc.count("node"), 6);
        assert_eq!(doc.count("edge"), 5);
        let declared: Vec<&str> = doc
            .attrs_of("attribute")
            .iter()
            .filter_map(|a| attr_value(a, "id"))
            .collect();
        for v in doc.attrs_of("attvalue") {
            assert!(declared.contains(&attr_value(v, "for").unwrap()));
        }
        let first_node = doc.elements.iter().position(|(n, _)| n == "node").unwrap();
        let last_attr = doc
            .elements
            .iter()
            .rposition(|(n, _)| n == "attribute")
            .unwrap();
        assert!(last_attr < first_node);
        let labels: Vec<&str> = doc
            .attrs_of("node")
            .iter()
            .filter_map(|a| attr_value(a, "label"))
            .collect();
        let names: Vec<&str> = b.actors.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(labels, names);
        assert_eq!(
            attr_value(doc.attrs_of("graph")[0], "defaultedgetype"),
            Some("undirected")
        );
        assert!(doc
            .attrs_of("edge")
            .iter()
            .all(|a| attr_value(a, "type").is_none()));
        assert_eq!(
            text.matches("<attvalue for=\"directed\" value=\"true\"/>")
                .count(),
            2
        );
        let mixed = write_gexf_with(
            &b,
            &annotations(),
            &GraphOptions {
                view: View::Structure,
                mixed_direction: true,
                ..Default::default()
            },
        );
        let doc = parse(&mixed);
        let types: Vec<&str> = doc
            .attrs_of("edge")
            .iter()
            .filter_map(|a| attr_value(a, "type"))
            .collect();
        assert_eq!(
            types,
            [
                "undirected",
                "undirected",
                "directed",
                "directed",
                "undirected"
            ]
        );
        // The bridge b-c is marked; b and c are articulation points.
        assert_eq!(
            doc.attrs_of("attvalue")
                .iter()
                .filter(|a| attr_value(a, "for") == Some("bridge")
                    && attr_value(a, "value") == Some("true"))
                .count(),
            1
        );
        assert!(text.contains("<viz:color r=\"141\" g=\"211\" b=\"199\"/>"));
        assert!(text.contains("label=\"new&#10;line\""));
    }

    #[test]
    fn discourse_view_weights() {
        let doc = parse(&write_gexf(
            &hostile_bundle(),
            &annotations(),
            View::Discourse,
        ));
        let weights: Vec<&str> = doc
            .attrs_of("edge")
            .iter()
            .filter_map(|a| attr_value(a, "weight"))
            .collect();
        assert_eq!(weights, ["0.8", "0.6", "0.1"]);
    }
}
