//! DOT export (issue 6; docs/interfaces.md `export --format dot|svg|png`), built as a graphviz-rust
//! syntax tree and printed by its printer, and rendering through the Graphviz program.
//!
//! Every id and label is a quoted, escaped DOT string: `"` becomes `\"`, a backslash `\\`,
//! a line break `\n` (a centred line break in Graphviz's escString), other control
//! characters a space, and `&` becomes `&amp;` in labels (Graphviz reads HTML entities in
//! labels, so a literal `&` must be written as one). `<` needs no escape inside a quoted
//! string and comes out as `&lt;` in SVG. Non-ASCII text (Dutch diacritics) is kept as UTF-8
//! with `charset="UTF-8"`.

use std::collections::BTreeMap;

use graphviz_rust::cmd::{CommandArg, Format as GvFormat, Layout as GvLayout};
use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};
use vertoog_model::{ActorKind, Bundle, TieKind};

use crate::graph::{domain_colour, tie_colour, used_domains, AnnIndex, GraphAnnotations, View};

/// What to draw.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DotOptions {
    pub view: View,
    /// Discourse view: edges with |w| below this are left out (`--threshold`).
    pub discourse_threshold: f64,
}

impl Default for DotOptions {
    fn default() -> Self {
        DotOptions {
            view: View::Structure,
            discourse_threshold: 0.0,
        }
    }
}

/// Escapes text for a quoted DOT string used as a label (escString): see the module docs.
pub fn escape_label(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '&' => out.push_str("&amp;"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for a quoted DOT string used as an id (no escString processing applies to
/// ids): `"` and `\` are escaped, control characters become spaces.
fn escape_id(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A quoted DOT id.
fn qid(s: &str) -> Id {
    Id::Escaped(format!("\"{}\"", escape_id(s)))
}

/// A quoted DOT label value.
fn qlabel(s: &str) -> Id {
    Id::Escaped(format!("\"{}\"", escape_label(s)))
}

fn attr(key: &str, value: Id) -> Attribute {
    Attribute(Id::Plain(key.to_string()), value)
}

/// An attribute whose value is a fixed, safe word or number (still quoted).
fn attr_s(key: &str, value: &str) -> Attribute {
    attr(key, qid(value))
}

fn attr_n(key: &str, value: f64) -> Attribute {
    attr(key, qid(&format!("{value:.2}")))
}

fn node_id(id: &str) -> NodeId {
    NodeId(qid(id), None)
}

fn edge(a: &str, b: &str, attributes: Vec<Attribute>) -> Stmt {
    Stmt::Edge(Edge {
        ty: EdgeTy::Pair(Vertex::N(node_id(a)), Vertex::N(node_id(b))),
        attributes,
    })
}

/// The graph's label: its title, then a key to every encoding of the view (domain colours,
/// shapes and sizes, tie kinds or agreement/conflict, bridges and articulation points), as
/// a Graphviz HTML table.
fn legend_label(bundle: &Bundle, ann: &GraphAnnotations, opts: &DotOptions, title: &str) -> Id {
    let t = |s: &str| crate::xml::text(s);
    let mut h =
        String::from("<<table border=\"0\" cellborder=\"0\" cellspacing=\"1\" cellpadding=\"2\">");
    let row = |h: &mut String, swatch: &str, text: &str| {
        h.push_str(&format!(
            "<tr><td align=\"left\">{swatch}</td><td align=\"left\">{text}</td></tr>"
        ));
    };
    h.push_str(&format!(
        "<tr><td colspan=\"2\" align=\"left\"><b>{} ({})</b></td></tr>",
        t(title),
        opts.view.as_str()
    ));
    h.push_str("<tr><td colspan=\"2\" align=\"left\"><b>domains</b> (fill colour)</td></tr>");
    for d in used_domains(bundle) {
        h.push_str(&format!(
            "<tr><td bgcolor=\"{}\" border=\"1\" width=\"18\" height=\"10\"> </td><td align=\"left\">{}</td></tr>",
            domain_colour(bundle, &d),
            t(&d)
        ));
    }
    h.push_str("<tr><td colspan=\"2\" align=\"left\"><b>actors</b></td></tr>");
    row(&mut h, "▢", "rounded box: organisation");
    row(&mut h, "◯", "ellipse: person");
    row(&mut h, "A", "border and text size: influence");
    match opts.view {
        View::Discourse => {
            h.push_str("<tr><td colspan=\"2\" align=\"left\"><b>discourse ties</b> (shared stances)</td></tr>");
            row(&mut h, "<font color=\"#2ca02c\">━━</font>", "agreement");
            row(
                &mut h,
                "<font color=\"#d62728\">╍╍</font>",
                "conflict (dashed)",
            );
            row(
                &mut h,
                "━",
                &format!(
                    "width: strength; |w| &lt; {} left out",
                    opts.discourse_threshold
                ),
            );
        }
        View::Structure | View::Coalitions => {
            h.push_str("<tr><td colspan=\"2\" align=\"left\"><b>ties</b> (width: weight; arrow: directed)</td></tr>");
            for kind in TieKind::ALL {
                let line = if kind == TieKind::Conflict {
                    "╍╍"
                } else {
                    "━━"
                };
                let name = if kind == TieKind::Conflict {
                    "conflict (dashed)".to_string()
                } else {
                    kind.as_str().to_string()
                };
                row(
                    &mut h,
                    &format!("<font color=\"{}\">{line}</font>", tie_colour(kind)),
                    &name,
                );
            }
            if opts.view == View::Coalitions {
                row(
                    &mut h,
                    "<font color=\"#ff7f00\"><b>━━</b></font>",
                    "bridge (bold orange)",
                );
                if !ann.articulation_points.is_empty() {
                    row(
                        &mut h,
                        "<font color=\"#d95f02\">◎</font>",
                        "articulation point (double orange border)",
                    );
                }
                row(&mut h, "▭", "box: a coalition and its storyline");
            }
        }
    }
    h.push_str("</table>>");
    Id::Html(h)
}

/// The DOT syntax tree of a map in one view.
///
/// - Every view: a node per actor, labelled with its name, filled with its domain's colour
///   (the graph's label is the title and an HTML-table legend of every encoding, drawn
///   below the graph by every layout), pen width `0.5 + 3 * influence` and
///   font size `10 + 8 * influence`; organisations are rounded boxes, persons ellipses.
/// - Structure: a digraph; each tie an edge coloured by kind, conflict dashed red, pen width
///   `0.5 + 2.5 * weight`, undirected ties without arrow (`dir="none"`).
/// - Discourse: an undirected graph of `discourse_edges` with |w| >= threshold (and w != 0):
///   agreement green, conflict red and dashed, pen width `1 + 4 * |w| / max |w|`.
/// - Coalitions: the structure edges, each coalition a `subgraph cluster_<id>` labelled with
///   its storyline; bridges orange and bold, articulation points with a double orange border.
///
/// Edges whose ends are not actors of the bundle are left out (they would create nodes).
pub fn dot_graph(bundle: &Bundle, ann: &GraphAnnotations, opts: &DotOptions) -> Graph {
    let directed = opts.view != View::Discourse;
    let idx = AnnIndex::new(ann);
    let mut stmts: Vec<Stmt> = Vec::new();
    let title = if bundle.map.name.is_empty() {
        bundle.map.id.clone()
    } else {
        bundle.map.name.clone()
    };
    let mut graph_attrs = vec![
        attr_s("charset", "UTF-8"),
        // The title and the legend: one HTML-table label of the graph, which every layout
        // (dot, neato, sfdp) draws below the drawing, never among the actors.
        attr("label", legend_label(bundle, ann, opts, &title)),
        attr_s("labelloc", "b"),
        attr_s("labeljust", "l"),
        attr_s("fontname", "Helvetica"),
        attr_s("overlap", "false"),
        attr_s("outputorder", "edgesfirst"),
    ];
    if opts.view == View::Discourse {
        // Legible at page width: the drawing is scaled down to at most 11 x 8.5 inches
        // (US letter / A4 landscape) and packed, rather than one very wide rank.
        graph_attrs.push(attr_s("size", "11,8.5"));
        graph_attrs.push(attr_s("ratio", "compress"));
        graph_attrs.push(attr_s("pack", "true"));
    }
    stmts.push(Stmt::GAttribute(GraphAttributes::Graph(graph_attrs)));
    stmts.push(Stmt::GAttribute(GraphAttributes::Node(vec![
        attr_s("style", "filled"),
        attr_s("fontname", "Helvetica"),
    ])));
    stmts.push(Stmt::GAttribute(GraphAttributes::Edge(vec![attr_s(
        "fontname",
        "Helvetica",
    )])));

    // Actor nodes, in clusters for the coalitions view.
    let mut clusters: BTreeMap<String, Vec<Stmt>> = BTreeMap::new();
    let mut loose = Vec::new();
    for a in &bundle.actors {
        let mut attrs = vec![
            attr("label", qlabel(&a.name)),
            attr_s("fillcolor", domain_colour(bundle, &a.domain)),
            attr_n("penwidth", 0.5 + 3.0 * a.influence.clamp(0.0, 1.0)),
            attr_n("fontsize", 10.0 + 8.0 * a.influence.clamp(0.0, 1.0)),
            attr(
                "tooltip",
                qlabel(&format!(
                    "{} ({}, influence {})",
                    a.name, a.domain, a.influence
                )),
            ),
        ];
        match a.kind {
            ActorKind::Organisation => {
                attrs.push(attr_s("shape", "box"));
                attrs.push(attr_s("style", "rounded,filled"));
            }
            ActorKind::Person => attrs.push(attr_s("shape", "ellipse")),
        }
        if opts.view == View::Coalitions && idx.is_articulation_point(&a.id) {
            attrs.push(attr_s("peripheries", "2"));
            attrs.push(attr_s("color", "#d95f02"));
        }
        let stmt = Stmt::Node(Node::new(node_id(&a.id), attrs));
        let coalition = if opts.view == View::Coalitions {
            idx.coalition(&a.id).map(str::to_string)
        } else {
            None
        };
        match coalition {
            Some(c) => clusters.entry(c).or_default().push(stmt),
            None => loose.push(stmt),
        }
    }
    // Clusters in the order of `coalitions`, then any others by id.
    let mut order: Vec<String> = ann.coalitions.iter().map(|c| c.id.clone()).collect();
    for id in clusters.keys() {
        if !order.contains(id) {
            order.push(id.clone());
        }
    }
    for id in order {
        let Some(members) = clusters.remove(&id) else {
            continue;
        };
        let label = ann
            .coalitions
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.label.clone())
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| id.clone());
        let mut body = vec![
            Stmt::Attribute(attr("label", qlabel(&label))),
            Stmt::Attribute(attr_s("style", "rounded")),
            Stmt::Attribute(attr_s("color", "#888888")),
        ];
        body.extend(members);
        stmts.push(Stmt::Subgraph(Subgraph {
            id: qid(&format!("cluster_{id}")),
            stmts: body,
        }));
    }
    stmts.extend(loose);

    let actor_ids: std::collections::HashSet<&str> =
        bundle.actors.iter().map(|a| a.id.as_str()).collect();
    let is_actor = |id: &str| actor_ids.contains(id);
    match opts.view {
        View::Structure | View::Coalitions => {
            for t in &bundle.ties {
                if !is_actor(&t.source) || !is_actor(&t.target) {
                    continue;
                }
                let bridge = opts.view == View::Coalitions && idx.is_bridge(&t.source, &t.target);
                let mut attrs = vec![
                    attr_s(
                        "color",
                        if bridge {
                            "#ff7f00"
                        } else {
                            tie_colour(t.kind)
                        },
                    ),
                    attr_n(
                        "penwidth",
                        if bridge {
                            4.0
                        } else {
                            0.5 + 2.5 * t.weight.clamp(0.0, 1.0)
                        },
                    ),
                    attr(
                        "tooltip",
                        qlabel(&format!(
                            "{}{} (weight {})",
                            t.kind.as_str(),
                            if bridge { ", bridge" } else { "" },
                            t.weight
                        )),
                    ),
                ];
                if t.kind == TieKind::Conflict {
                    attrs.push(attr_s("style", "dashed"));
                } else if bridge {
                    attrs.push(attr_s("style", "bold"));
                }
                if !t.directed {
                    attrs.push(attr_s("dir", "none"));
                }
                stmts.push(edge(&t.source, &t.target, attrs));
            }
        }
        View::Discourse => {
            let kept: Vec<&(String, String, f64)> = ann
                .discourse_edges
                .iter()
                .filter(|(a, b, w)| {
                    crate::graph::keeps_discourse_edge(*w, opts.discourse_threshold)
                        && is_actor(a)
                        && is_actor(b)
                })
                .collect();
            let max = kept.iter().map(|(_, _, w)| w.abs()).fold(0.0, f64::max);
            for (a, b, w) in kept {
                let mut attrs = vec![
                    attr_s("color", if *w > 0.0 { "#2ca02c" } else { "#d62728" }),
                    attr_n("penwidth", 1.0 + 4.0 * w.abs() / max),
                    attr(
                        "tooltip",
                        qlabel(&format!(
                            "{} (w = {w:.3})",
                            if *w > 0.0 { "agreement" } else { "conflict" }
                        )),
                    ),
                ];
                if *w < 0.0 {
                    attrs.push(attr_s("style", "dashed"));
                }
                stmts.push(edge(a, b, attrs));
            }
        }
    }

    if directed {
        Graph::DiGraph {
            id: qid(&bundle.map.id),
            strict: false,
            stmts,
        }
    } else {
        Graph::Graph {
            id: qid(&bundle.map.id),
            strict: false,
            stmts,
        }
    }
}

/// The DOT text of [`dot_graph`], printed by graphviz-rust's printer (one statement a line,
/// `;`-terminated), ending with a newline.
pub fn write_dot(bundle: &Bundle, ann: &GraphAnnotations, opts: &DotOptions) -> String {
    let graph = dot_graph(bundle, ann, opts);
    let mut ctx = PrinterContext::default();
    ctx.with_semi();
    let mut s = graph.print(&mut ctx);
    s.push('\n');
    s
}

/// Output formats of [`render`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenderFormat {
    Svg,
    Png,
}

/// Graphviz layout programs of [`render`] (`--layout`): `dot` for layered drawings, `sfdp`
/// or `neato` for large maps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    #[default]
    Dot,
    Sfdp,
    Neato,
}

impl Layout {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "dot" => Some(Layout::Dot),
            "sfdp" => Some(Layout::Sfdp),
            "neato" => Some(Layout::Neato),
            _ => None,
        }
    }
}

/// Why rendering failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(
        "Graphviz is not installed (the `dot` program was not found); install it, e.g. \
         `apt-get install graphviz`, to export SVG or PNG. DOT export (--format dot) works \
         without it."
    )]
    GraphvizMissing,
    #[error("Graphviz failed: {0}")]
    Failed(String),
}

/// Renders DOT text to SVG or PNG by running Graphviz's `dot` with `-T<format> -K<layout>`
/// through graphviz-rust's exec.
pub fn render(dot: &str, format: RenderFormat, layout: Layout) -> Result<Vec<u8>, RenderError> {
    let format = match format {
        RenderFormat::Svg => GvFormat::Svg,
        RenderFormat::Png => GvFormat::Png,
    };
    let layout = match layout {
        Layout::Dot => GvLayout::Dot,
        Layout::Sfdp => GvLayout::Sfdp,
        Layout::Neato => GvLayout::Neato,
    };
    graphviz_rust::exec_dot(
        dot.to_string(),
        vec![CommandArg::Format(format), CommandArg::Layout(layout)],
    )
    .map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            RenderError::GraphvizMissing
        } else {
            RenderError::Failed(e.to_string().trim().to_string())
        }
    })
}

/// Whether the Graphviz `dot` program can be run.
pub fn graphviz_available() -> bool {
    std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::graph::CoalitionLabel;
    use vertoog_model::{Actor, Map, Tie};

    pub(crate) fn hostile_bundle() -> Bundle {
        let mut b = Bundle::new(Map::new("hostile"));
        b.map.name = "Kaart \"vijandig\" & <co>".into();
        b.actors = vec![
            Actor::new("a", "\"quoted\"").with_domain("ministry"),
            Actor::new("b", "back\\slash\\").with_domain("vng"),
            Actor::new("c", "new\nline").with_domain("municipality"),
            Actor::new("d", "<script>alert(1)</script>"),
            Actor::new("e", "A & B &amp; C").with_domain("science"),
            Actor::new("f", "Gemeente Súdwest-Fryslân é ë ĳ"),
        ];
        b.actors[5].kind = ActorKind::Person;
        b.ties = vec![
            Tie::new("t1", "a", "b", TieKind::Collaboration),
            Tie::new("t2", "b", "c", TieKind::Conflict),
            Tie::new("t3", "c", "d", TieKind::Authority),
            Tie::new("t4", "d", "e", TieKind::Funding),
            Tie::new("t5", "e", "f", TieKind::Communication),
            Tie::new("t6", "f", "ghost", TieKind::Communication),
        ];
        b
    }

    pub(crate) fn annotations() -> GraphAnnotations {
        GraphAnnotations {
            coalition_of: [("a", "c1"), ("b", "c1"), ("c", "c2"), ("d", "c2")]
                .into_iter()
                .map(|(a, c)| (a.to_string(), c.to_string()))
                .collect(),
            coalitions: vec![
                CoalitionLabel {
                    id: "c1".into(),
                    label: "\"digitaal\" eerst & <snel>".into(),
                    members: vec!["a".into(), "b".into()],
                },
                CoalitionLabel {
                    id: "c2".into(),
                    label: "privacy\\risico's".into(),
                    members: vec!["c".into(), "d".into()],
                },
            ],
            alignment: [("a".to_string(), 0.75), ("b".to_string(), -0.5)].into(),
            betweenness: [("b".to_string(), 0.4)].into(),
            bridges: vec![("c".into(), "b".into())],
            articulation_points: vec!["b".into(), "c".into()],
            discourse_edges: vec![
                ("a".into(), "b".into(), 0.8),
                ("b".into(), "c".into(), -0.6),
                ("c".into(), "d".into(), 0.1),
                ("d".into(), "zz".into(), 0.9),
            ],
        }
    }

    fn stmts(g: &Graph) -> &Vec<Stmt> {
        match g {
            Graph::Graph { stmts, .. } | Graph::DiGraph { stmts, .. } => stmts,
        }
    }

    /// (node statements, edge statements) counted through subgraphs.
    fn count(stmts: &[Stmt]) -> (usize, usize) {
        let mut n = (0, 0);
        for s in stmts {
            match s {
                Stmt::Node(_) => n.0 += 1,
                Stmt::Edge(_) => n.1 += 1,
                Stmt::Subgraph(sg) => {
                    let (a, b) = count(&sg.stmts);
                    n.0 += a;
                    n.1 += b;
                }
                _ => {}
            }
        }
        n
    }

    fn find_attr<'a>(stmts: &'a [Stmt], node: &str, key: &str) -> Option<&'a Id> {
        for s in stmts {
            match s {
                Stmt::Node(n) if n.id.0 == qid(node) => {
                    return n
                        .attributes
                        .iter()
                        .find(|a| a.0 == Id::Plain(key.into()))
                        .map(|a| &a.1)
                }
                Stmt::Subgraph(sg) => {
                    if let Some(v) = find_attr(&sg.stmts, node, key) {
                        return Some(v);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Undoes escape_label for checking: \" -> ", \\ -> \, \n -> newline, &amp; -> &.
    fn unescape(id: &Id) -> String {
        let Id::Escaped(s) = id else {
            panic!("not quoted: {id:?}")
        };
        let inner = &s[1..s.len() - 1];
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some(c) => out.push(c),
                    None => out.push('\\'),
                }
            } else {
                out.push(c);
            }
        }
        out.replace("&amp;", "&")
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_label("a\"b"), "a\\\"b");
        assert_eq!(escape_label("back\\"), "back\\\\");
        assert_eq!(escape_label("x\r\ny\rz\u{7}"), "x\\ny\\nz ");
        assert_eq!(escape_label("A & <b>"), "A &amp; <b>");
        assert_eq!(escape_label("é ë ĳ"), "é ë ĳ");
    }

    #[test]
    fn structure_view_parses_back_with_hostile_names() {
        let b = hostile_bundle();
        let text = write_dot(&b, &annotations(), &DotOptions::default());
        assert!(text.starts_with("digraph \"hostile\" {"), "{text}");
        assert!(text.contains("charset=\"UTF-8\""));
        let g = graphviz_rust::parse(&text).expect("our DOT parses");
        // 6 actors (the legend is the graph's label, no nodes); 5 ties (t6 points at a
        // missing actor).
        assert_eq!(count(stmts(&g)), (6, 5));
        // Every encoding is in the legend.
        for key in [
            "ministry",
            "vng",
            "rounded box: organisation",
            "ellipse: person",
            "conflict (dashed)",
            "collaboration",
            "communication",
        ] {
            assert!(text.contains(key), "legend lacks {key}");
        }
        assert!(text.contains("label=<<table"), "{text}");
        for a in &b.actors {
            let label = find_attr(stmts(&g), &a.id, "label").expect("label");
            assert_eq!(unescape(label), a.name);
        }
        assert!(text.contains("dir=\"none\""));
        assert!(text.contains("style=\"dashed\""));
        assert!(text.contains("\"c\" -> \"d\""));
    }

    #[test]
    fn discourse_view_thresholds_and_colours() {
        let b = hostile_bundle();
        let opts = DotOptions {
            view: View::Discourse,
            discourse_threshold: 0.5,
        };
        let text = write_dot(&b, &annotations(), &opts);
        let g = graphviz_rust::parse(&text).expect("parses");
        assert!(matches!(g, Graph::Graph { .. }));
        // a-b 0.8 and b-c -0.6 stay; c-d 0.1 is under the threshold; d-zz has no actor.
        assert_eq!(count(stmts(&g)).1, 2);
        assert!(text.contains("\"a\" -- \"b\" [color=\"#2ca02c\" penwidth=\"5.00\""));
        assert!(text.contains("\"b\" -- \"c\" [color=\"#d62728\" penwidth=\"4.00\""));
    }

    #[test]
    fn coalitions_view_has_clusters_and_highlights() {
        let b = hostile_bundle();
        let opts = DotOptions {
            view: View::Coalitions,
            discourse_threshold: 0.0,
        };
        let text = write_dot(&b, &annotations(), &opts);
        let g = graphviz_rust::parse(&text).expect("parses");
        let clusters: Vec<String> = stmts(&g)
            .iter()
            .filter_map(|s| match s {
                Stmt::Subgraph(sg) => Some(format!("{}", sg.id)),
                _ => None,
            })
            .collect();
        assert_eq!(clusters, ["esc \"cluster_c1\"", "esc \"cluster_c2\""]);
        assert!(text.contains("label=\"\\\"digitaal\\\" eerst &amp; <snel>\""));
        assert!(text.contains("label=\"privacy\\\\risico's\""));
        assert_eq!(find_attr(stmts(&g), "b", "peripheries"), Some(&qid("2")));
        // The tie b-c is the bridge.
        assert!(text.contains("\"b\" -> \"c\" [color=\"#ff7f00\" penwidth=\"4.00\""));
        // 6 actors; 5 ties; bridge and articulation points in the legend.
        assert_eq!(count(stmts(&g)), (6, 5));
        assert!(text.contains("bridge (bold orange)") && text.contains("articulation point"));
    }

    #[test]
    fn render_svg_when_graphviz_is_installed() {
        let b = hostile_bundle();
        let ann = annotations();
        for view in [View::Structure, View::Discourse, View::Coalitions] {
            let text = write_dot(
                &b,
                &ann,
                &DotOptions {
                    view,
                    discourse_threshold: 0.0,
                },
            );
            match render(&text, RenderFormat::Svg, Layout::Dot) {
                Ok(svg) => {
                    let svg = String::from_utf8(svg).expect("SVG is UTF-8");
                    assert!(svg.contains("<svg"), "{svg}");
                    assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
                    assert!(svg.contains("Súdwest&#45;Fryslân é ë ĳ"), "{svg}");
                    assert!(svg.contains("A &amp; B &amp;amp; C"));
                    assert!(svg.contains("back\\slash\\"));
                    assert_eq!(svg.matches("class=\"node\"").count(), 6);
                    assert!(svg.contains("rounded box: organisation"));
                }
                Err(RenderError::GraphvizMissing) => {
                    assert!(!graphviz_available());
                    assert!(
                        std::env::var_os("CI").is_none(),
                        "CI installs graphviz: `dot` must be there"
                    );
                    eprintln!("Graphviz not installed; SVG rendering not tested");
                    return;
                }
                Err(e) => panic!("render failed: {e}"),
            }
        }
        if graphviz_available() {
            let png = render("digraph { a -> b }", RenderFormat::Png, Layout::Sfdp).unwrap();
            assert_eq!(&png[..4], b"\x89PNG");
            let svg = render("graph { a -- b }", RenderFormat::Svg, Layout::Neato).unwrap();
            assert!(!svg.is_empty());
            assert!(matches!(
                render("digraph { a -> }", RenderFormat::Svg, Layout::Dot),
                Err(RenderError::Failed(_))
            ));
        }
    }

    #[test]
    fn missing_graphviz_message_says_how_to_install() {
        let m = RenderError::GraphvizMissing.to_string();
        assert!(m.contains("apt-get install graphviz"));
        assert!(m.contains("DOT export (--format dot) works without it"));
    }
}
