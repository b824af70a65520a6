//! GraphML export for Gephi and other tools (issue 6): every attribute declared with its
//! type before use, `edgedefault` explicit, text XML-escaped.

use std::fmt::Write;

use vertoog_model::Bundle;

use crate::graph::{keeps_discourse_edge, num, AnnIndex, GraphAnnotations, GraphOptions, View};
use crate::xml;

/// The edges an export shows: (id, source, target, kind, weight, directed, bridge,
/// signed weight for discourse edges).
pub(crate) struct ExportEdge {
    pub id: String,
    pub source: String,
    pub target: String,
    pub kind: String,
    pub weight: f64,
    pub directed: bool,
    pub bridge: bool,
    pub signed: Option<f64>,
}

/// Structure and coalitions views: the ties between actors of the bundle (ids: the tie's id,
/// or `e<N>` when it has none or repeats one). Discourse view: the discourse edges with
/// w != 0, kind `agreement` or `conflict`, weight |w| and the signed w.
pub(crate) fn export_edges(
    bundle: &Bundle,
    ann: &GraphAnnotations,
    view: View,
    threshold: f64,
) -> Vec<ExportEdge> {
    let actor_ids: std::collections::HashSet<&str> =
        bundle.actors.iter().map(|a| a.id.as_str()).collect();
    let is_actor = |id: &str| actor_ids.contains(id);
    let idx = AnnIndex::new(ann);
    let mut out = Vec::new();
    let mut used = std::collections::HashSet::new();
    match view {
        View::Structure | View::Coalitions => {
            for (i, t) in bundle.ties.iter().enumerate() {
                if !is_actor(&t.source) || !is_actor(&t.target) {
                    continue;
                }
                let id = if !t.id.is_empty() && used.insert(t.id.clone()) {
                    t.id.clone()
                } else {
                    format!("e{i}")
                };
                out.push(ExportEdge {
                    id,
                    source: t.source.clone(),
                    target: t.target.clone(),
                    kind: t.kind.as_str().to_string(),
                    weight: t.weight,
                    directed: t.directed,
                    bridge: idx.is_bridge(&t.source, &t.target),
                    signed: None,
                });
            }
        }
        View::Discourse => {
            for (i, (a, b, w)) in ann.discourse_edges.iter().enumerate() {
                if !keeps_discourse_edge(*w, threshold) || !is_actor(a) || !is_actor(b) {
                    continue;
                }
                out.push(ExportEdge {
                    id: format!("e{i}"),
                    source: a.clone(),
                    target: b.clone(),
                    kind: if *w > 0.0 { "agreement" } else { "conflict" }.to_string(),
                    weight: w.abs(),
                    directed: false,
                    bridge: false,
                    signed: Some(*w),
                });
            }
        }
    }
    out
}

const HEADER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";

/// Node keys (id, type) and edge keys, declared before the graph.
const NODE_KEYS: [(&str, &str); 8] = [
    ("label", "string"),
    ("name", "string"),
    ("domain", "string"),
    ("influence", "double"),
    ("coalition", "string"),
    ("alignment", "double"),
    ("betweenness", "double"),
    ("articulation_point", "boolean"),
];
const EDGE_KEYS: [(&str, &str); 8] = [
    ("kind", "string"),
    ("weight", "double"),
    ("bridge", "boolean"),
    ("signed_weight", "double"),
    ("directed", "boolean"),
    ("tie_id", "string"),
    ("tie_source", "string"),
    ("tie_target", "string"),
];

/// A `<key>` declaration; boolean keys declare `<default>false</default>`, so readers see
/// false rather than a missing value.
fn key(out: &mut String, id: &str, domain: &str, ty: &str) {
    if ty == "boolean" {
        let _ = writeln!(
            out,
            "  <key id=\"{id}\" for=\"{domain}\" attr.name=\"{id}\" attr.type=\"{ty}\">\n    <default>false</default>\n  </key>"
        );
    } else {
        let _ = writeln!(
            out,
            "  <key id=\"{id}\" for=\"{domain}\" attr.name=\"{id}\" attr.type=\"{ty}\"/>"
        );
    }
}

fn data(out: &mut String, key: &str, value: &str) {
    let _ = writeln!(out, "      <data key=\"{key}\">{}</data>", xml::text(value));
}

/// The GraphML document of a map in a view, with the default [`GraphOptions`] (no
/// threshold, directions as data): see [`write_graphml_with`].
pub fn write_graphml(bundle: &Bundle, ann: &GraphAnnotations, view: View) -> String {
    write_graphml_with(
        bundle,
        ann,
        &GraphOptions {
            view,
            ..Default::default()
        },
    )
}

/// The GraphML document of a map: a node per actor (id = actor id) with `label` and `name`
/// (its name), `domain`, `influence`, and when the annotations have them `coalition`,
/// `alignment`, `betweenness`, `articulation_point`. Edges: the ties between actors
/// (structure and coalitions views) or the discourse edges kept by the threshold (discourse
/// view), with `kind`, `weight` (Gephi's edge weight; |w| in the discourse view), `bridge`,
/// `signed_weight` (discourse view), `directed` (the tie's direction, source to target) and
/// `tie_id` (the edge id as data: python-igraph does not keep GraphML edge ids),
/// `tie_source`, `tie_target` (the tie's own order: undirected readers may swap ends). The graph
/// is `edgedefault="undirected"`; with `mixed_direction` each edge also says
/// `directed="true|false"` (Gephi, graphology; networkx refuses such files). Boolean keys
/// declare `<default>false</default>`. Ties without an id (or repeating one) get `e<N>`.
pub fn write_graphml_with(bundle: &Bundle, ann: &GraphAnnotations, opts: &GraphOptions) -> String {
    let idx = AnnIndex::new(ann);
    let mut out = String::from(HEADER);
    for (id, ty) in NODE_KEYS {
        key(&mut out, id, "node", ty);
    }
    for (id, ty) in EDGE_KEYS {
        key(&mut out, id, "edge", ty);
    }
    let _ = writeln!(
        out,
        "  <graph id=\"{}\" edgedefault=\"undirected\">",
        xml::attr(&bundle.map.id)
    );
    for a in &bundle.actors {
        let _ = writeln!(out, "    <node id=\"{}\">", xml::attr(&a.id));
        data(&mut out, "label", &a.name);
        data(&mut out, "name", &a.name);
        data(&mut out, "domain", &a.domain);
        data(&mut out, "influence", &num(a.influence));
        if let Some(c) = idx.coalition(&a.id) {
            data(&mut out, "coalition", c);
        }
        if let Some(x) = ann.alignment.get(&a.id) {
            data(&mut out, "alignment", &num(*x));
        }
        if let Some(x) = ann.betweenness.get(&a.id) {
            data(&mut out, "betweenness", &num(*x));
        }
        // Explicit as well as declared default: networkx keeps key defaults aside.
        data(
            &mut out,
            "articulation_point",
            if idx.is_articulation_point(&a.id) {
                "true"
            } else {
                "false"
            },
        );
        out.push_str("    </node>\n");
    }
    for e in export_edges(bundle, ann, opts.view, opts.discourse_threshold) {
        if opts.mixed_direction {
            let _ = writeln!(
                out,
                "    <edge id=\"{}\" source=\"{}\" target=\"{}\" directed=\"{}\">",
                xml::attr(&e.id),
                xml::attr(&e.source),
                xml::attr(&e.target),
                e.directed
            );
        } else {
            let _ = writeln!(
                out,
                "    <edge id=\"{}\" source=\"{}\" target=\"{}\">",
                xml::attr(&e.id),
                xml::attr(&e.source),
                xml::attr(&e.target),
            );
        }
        data(&mut out, "kind", &e.kind);
        data(&mut out, "weight", &num(e.weight));
        data(&mut out, "bridge", if e.bridge { "true" } else { "false" });
        if let Some(w) = e.signed {
            data(&mut out, "signed_weight", &num(w));
        }
        data(
            &mut out,
            "directed",
            if e.directed { "true" } else { "false" },
        );
        data(&mut out, "tie_id", &e.id);
        // Undirected readers may swap the ends (igraph does): the tie's own order.
        data(&mut out, "tie_source", &e.source);
        data(&mut out, "tie_target", &e.target);
        out.push_str("    </edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

/// The shape of a network matrix does not fit its labels.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("network matrix shape: {0}")]
pub struct MatrixShapeError(pub String);

/// A DNA network (docs/method.md §13) as GraphML: `matrix[i][j]` is the weight between row `i`
/// and column `j`; zero and non-finite cells are no edge.
///
/// One-mode (`two_mode = false`): rows and columns are the same actors (node ids `n<i>`,
/// `label` the row label). A symmetric matrix gives one undirected edge per pair i < j
/// (`edgedefault="undirected"`); an asymmetric one gives directed edges for every i != j
/// (`edgedefault="directed"`). Two-mode: row nodes `r<i>` and column nodes `c<j>` with
/// `mode` = `row` or `column`, one undirected edge per nonzero cell.
/// Every edge has `weight` (double); negative weights (subtract aggregation) are kept.
pub fn network_graphml(
    rows: &[String],
    columns: &[String],
    matrix: &[Vec<f64>],
    two_mode: bool,
) -> Result<String, MatrixShapeError> {
    network_graphml_with(rows, columns, matrix, two_mode, &NetworkNodes::default())
}

/// What DNA's own GraphML export says of its nodes, for [`network_graphml_with`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NetworkNodes {
    /// The variable of the rows (`organization`) and of the columns (`concept`).
    pub row_variable: String,
    pub column_variable: String,
    /// Statements per row and per column label (empty: left out).
    pub row_frequency: Vec<usize>,
    pub column_frequency: Vec<usize>,
}

/// [`network_graphml`] with DNA's node keys: every node has the boolean `type` (false for
/// rows, the actors; true for columns, the concepts: igraph's and tidygraph's bipartite
/// attribute), `variable` (the DNA variable it is a value of) and `frequency` (its
/// statements), besides `label` and `mode`.
pub fn network_graphml_with(
    rows: &[String],
    columns: &[String],
    matrix: &[Vec<f64>],
    two_mode: bool,
    nodes: &NetworkNodes,
) -> Result<String, MatrixShapeError> {
    if matrix.len() != rows.len() {
        return Err(MatrixShapeError(format!(
            "{} rows of values for {} row labels",
            matrix.len(),
            rows.len()
        )));
    }
    if let Some((i, r)) = matrix
        .iter()
        .enumerate()
        .find(|(_, r)| r.len() != columns.len())
    {
        return Err(MatrixShapeError(format!(
            "row {i} has {} values for {} column labels",
            r.len(),
            columns.len()
        )));
    }
    if !two_mode && rows.len() != columns.len() {
        return Err(MatrixShapeError(format!(
            "a one-mode network needs a square matrix, not {}x{}",
            rows.len(),
            columns.len()
        )));
    }
    let cell = |i: usize, j: usize| Some(matrix[i][j]).filter(|w| w.is_finite() && *w != 0.0);
    let symmetric =
        !two_mode && (0..rows.len()).all(|i| (0..i).all(|j| matrix[i][j] == matrix[j][i]));
    let mut out = String::from(HEADER);
    key(&mut out, "label", "node", "string");
    key(&mut out, "mode", "node", "string");
    key(&mut out, "type", "node", "boolean");
    key(&mut out, "variable", "node", "string");
    key(&mut out, "frequency", "node", "int");
    key(&mut out, "weight", "edge", "double");
    let _ = writeln!(
        out,
        "  <graph id=\"network\" edgedefault=\"{}\">",
        if two_mode || symmetric {
            "undirected"
        } else {
            "directed"
        }
    );
    let row_id = |i: usize| {
        if two_mode {
            format!("r{i}")
        } else {
            format!("n{i}")
        }
    };
    let node = |out: &mut String, id: &str, label: &str, column: bool, i: usize| {
        let _ = writeln!(out, "    <node id=\"{id}\">");
        data(out, "label", label);
        data(out, "mode", if column { "column" } else { "row" });
        data(out, "type", if column { "true" } else { "false" });
        let (variable, freq) = if column {
            (&nodes.column_variable, &nodes.column_frequency)
        } else {
            (&nodes.row_variable, &nodes.row_frequency)
        };
        if !variable.is_empty() {
            data(out, "variable", variable);
        }
        if let Some(f) = freq.get(i) {
            data(out, "frequency", &f.to_string());
        }
        out.push_str("    </node>\n");
    };
    for (i, r) in rows.iter().enumerate() {
        node(&mut out, &row_id(i), r, false, i);
    }
    if two_mode {
        for (j, c) in columns.iter().enumerate() {
            node(&mut out, &format!("c{j}"), c, true, j);
        }
    }
    let mut n = 0;
    let mut edge = |out: &mut String, s: &str, t: &str, w: f64| {
        let _ = writeln!(out, "    <edge id=\"e{n}\" source=\"{s}\" target=\"{t}\">");
        data(out, "weight", &num(w));
        out.push_str("    </edge>\n");
        n += 1;
    };
    for i in 0..rows.len() {
        for j in 0..columns.len() {
            let Some(w) = cell(i, j) else { continue };
            if two_mode {
                edge(&mut out, &row_id(i), &format!("c{j}"), w);
            } else if (symmetric && i < j) || (!symmetric && i != j) {
                edge(&mut out, &row_id(i), &row_id(j), w);
            }
        }
    }
    out.push_str("  </graph>\n</graphml>\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dot::tests::{annotations, hostile_bundle};
    use crate::xml::tests::{attr_value, parse};

    #[test]
    fn hostile_map_reads_back_with_declared_keys() {
        let b = hostile_bundle();
        let ann = annotations();
        let text = write_graphml(&b, &ann, View::Structure);
        let doc = parse(&text);
        assert_eq!(doc.count("node"), 6);
        assert_eq!(doc.count("edge"), 5);
        let declared: Vec<&str> = doc
            .attrs_of("key")
            .iter()
            .filter_map(|a| attr_value(a, "id"))
            .collect();
        for d in doc.attrs_of("data") {
            assert!(declared.contains(&attr_value(d, "key").unwrap()));
        }
        for k in [
            "name",
            "domain",
            "influence",
            "coalition",
            "alignment",
            "betweenness",
            "kind",
            "weight",
        ] {
            assert!(declared.contains(&k), "{k} not declared");
        }
        // Keys come before the graph.
        let first_graph = doc.elements.iter().position(|(n, _)| n == "graph").unwrap();
        let last_key = doc.elements.iter().rposition(|(n, _)| n == "key").unwrap();
        assert!(last_key < first_graph);
        assert_eq!(
            attr_value(doc.attrs_of("graph")[0], "edgedefault"),
            Some("undirected")
        );
        for a in &b.actors {
            assert!(doc.texts.contains(&a.name), "{:?} missing", a.name);
        }
        assert!(doc.texts.contains(&"c1".to_string()));
        assert!(doc.texts.contains(&"-0.5".to_string()));
        // Default: no XML `directed` on edges (networkx reads it), the direction as data.
        assert!(doc
            .attrs_of("edge")
            .iter()
            .all(|a| attr_value(a, "directed").is_none()));
        assert_eq!(
            text.matches("<data key=\"directed\">true</data>").count(),
            2,
            "{text}"
        );
        assert_eq!(
            text.matches("<data key=\"directed\">false</data>").count(),
            3
        );
        assert_eq!(text.matches("<data key=\"tie_id\">").count(), 5);
        assert!(text.contains("<key id=\"bridge\" for=\"edge\" attr.name=\"bridge\" attr.type=\"boolean\">\n    <default>false</default>"));
        // Mixed: today's form, each edge with its own `directed`.
        let mixed = write_graphml_with(
            &b,
            &ann,
            &GraphOptions {
                view: View::Structure,
                mixed_direction: true,
                ..Default::default()
            },
        );
        let mdoc = parse(&mixed);
        let directed: Vec<&str> = mdoc
            .attrs_of("edge")
            .iter()
            .filter_map(|a| attr_value(a, "directed"))
            .collect();
        assert_eq!(directed, ["false", "false", "true", "true", "false"]);
        assert!(text.contains("&lt;script&gt;"));
    }

    #[test]
    fn discourse_edges_carry_abs_and_signed_weight() {
        let b = hostile_bundle();
        let text = write_graphml(&b, &annotations(), View::Discourse);
        let doc = parse(&text);
        assert_eq!(doc.count("edge"), 3);
        assert!(text.contains("<data key=\"kind\">conflict</data>\n      <data key=\"weight\">0.6</data>\n      <data key=\"bridge\">false</data>\n      <data key=\"signed_weight\">-0.6</data>"));
    }

    #[test]
    fn dna_networks() {
        let names = vec!["A & co".to_string(), "B".to_string(), "C".to_string()];
        let m = vec![
            vec![0.0, 2.0, 0.0],
            vec![2.0, 0.0, 1.5],
            vec![0.0, 1.5, 0.0],
        ];
        let doc = parse(&network_graphml(&names, &names, &m, false).unwrap());
        assert_eq!(doc.count("node"), 3);
        assert_eq!(doc.count("edge"), 2);
        assert_eq!(
            attr_value(doc.attrs_of("graph")[0], "edgedefault"),
            Some("undirected")
        );
        assert!(doc.texts.contains(&"A & co".to_string()));

        let mut asym = m.clone();
        asym[0][2] = 1.0;
        let doc = parse(&network_graphml(&names, &names, &asym, false).unwrap());
        assert_eq!(doc.count("edge"), 5);
        assert_eq!(
            attr_value(doc.attrs_of("graph")[0], "edgedefault"),
            Some("directed")
        );

        let cols = vec!["n1".to_string(), "n2".to_string()];
        let two = vec![vec![1.0, -1.0], vec![0.0, f64::NAN], vec![0.0, 2.0]];
        let doc = parse(&network_graphml(&names, &cols, &two, true).unwrap());
        assert_eq!(doc.count("node"), 5);
        assert_eq!(doc.count("edge"), 3);
        assert!(doc.texts.contains(&"-1".to_string()));

        assert_eq!(
            network_graphml(&names, &cols, &two, false),
            Err(MatrixShapeError(
                "a one-mode network needs a square matrix, not 3x2".into()
            ))
        );
        assert_eq!(
            network_graphml(&names, &names, &two, true)
                .unwrap_err()
                .to_string(),
            "network matrix shape: row 0 has 2 values for 3 column labels"
        );
    }
}
