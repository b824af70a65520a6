//! What the graph exports (DOT, GraphML, GEXF) share: the analysis results they show, the
//! views, and the colours.

use std::collections::{BTreeMap, HashMap, HashSet};

use vertoog_model::{Bundle, TieKind};

/// A coalition as the exports show it (docs/method.md §3).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CoalitionLabel {
    /// The coalition's id (`c1`).
    pub id: String,
    /// Its main storyline, as text for the cluster label.
    pub label: String,
    /// Actor ids.
    pub members: Vec<String>,
}

/// Analysis results drawn on the graph; every part is optional (empty means not shown).
/// Filled by the caller from the analysis crate, which this crate does not depend on.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GraphAnnotations {
    /// Actor id -> coalition id.
    pub coalition_of: BTreeMap<String, String>,
    pub coalitions: Vec<CoalitionLabel>,
    /// Actor id -> alignment with the transition, in [-1, 1].
    pub alignment: BTreeMap<String, f64>,
    /// Actor id -> betweenness centrality.
    pub betweenness: BTreeMap<String, f64>,
    /// Bridges of the structural graph, as actor id pairs (either order).
    pub bridges: Vec<(String, String)>,
    pub articulation_points: Vec<String>,
    /// The signed discourse network: (actor, actor, w), w > 0 agreement, w < 0 conflict.
    pub discourse_edges: Vec<(String, String, f64)>,
}

impl GraphAnnotations {
    /// Whether the pair (a, b) is a bridge, in either order.
    pub fn is_bridge(&self, a: &str, b: &str) -> bool {
        self.bridges
            .iter()
            .any(|(x, y)| (x == a && y == b) || (x == b && y == a))
    }

    pub fn is_articulation_point(&self, a: &str) -> bool {
        self.articulation_points.iter().any(|x| x == a)
    }
}

/// Fast look-ups into annotations for the exporters (maps can have thousands of actors).
pub(crate) struct AnnIndex<'a> {
    coalition: HashMap<&'a str, &'a str>,
    bridges: HashSet<(&'a str, &'a str)>,
    articulation: HashSet<&'a str>,
}

impl<'a> AnnIndex<'a> {
    pub fn new(ann: &'a GraphAnnotations) -> Self {
        let mut coalition: HashMap<&str, &str> = HashMap::new();
        for c in &ann.coalitions {
            for m in &c.members {
                coalition.entry(m.as_str()).or_insert(c.id.as_str());
            }
        }
        for (a, c) in &ann.coalition_of {
            coalition.insert(a.as_str(), c.as_str());
        }
        let mut bridges = HashSet::new();
        for (a, b) in &ann.bridges {
            bridges.insert((a.as_str(), b.as_str()));
            bridges.insert((b.as_str(), a.as_str()));
        }
        AnnIndex {
            coalition,
            bridges,
            articulation: ann.articulation_points.iter().map(String::as_str).collect(),
        }
    }

    /// The coalition of an actor: `coalition_of`, else the first coalition listing it.
    pub fn coalition(&self, actor: &str) -> Option<&'a str> {
        self.coalition.get(actor).copied()
    }

    pub fn is_bridge(&self, a: &str, b: &str) -> bool {
        self.bridges.contains(&(a, b))
    }

    pub fn is_articulation_point(&self, a: &str) -> bool {
        self.articulation.contains(a)
    }
}

/// The views of `export --view` (docs/interfaces.md).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum View {
    /// Actors and their ties, styled by kind.
    #[default]
    Structure,
    /// Actors and the signed discourse network.
    Discourse,
    /// Actors grouped in coalition clusters, with ties, bridges and articulation points.
    Coalitions,
}

impl View {
    pub fn as_str(self) -> &'static str {
        match self {
            View::Structure => "structure",
            View::Discourse => "discourse",
            View::Coalitions => "coalitions",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "structure" => Some(View::Structure),
            "discourse" => Some(View::Discourse),
            "coalitions" => Some(View::Coalitions),
            _ => None,
        }
    }
}

/// What a graph export (DOT, GraphML, GEXF) shows, the same for every format.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct GraphOptions {
    pub view: View,
    /// Discourse view: edges with |w| below this are left out (`--threshold`), in every
    /// format ([`keeps_discourse_edge`]).
    pub discourse_threshold: f64,
    /// GraphML and GEXF: each edge carries its own direction in the format's own way
    /// (GraphML `directed="..."` on an undirected graph, GEXF `type="directed"`), as
    /// Gephi and graphology read it (`--mixed-direction`). Without it (the default) the
    /// graph is undirected and every edge carries a typed `directed` attribute in
    /// source-to-target order, which networkx and python-igraph read without loss.
    pub mixed_direction: bool,
}

/// The one rule of the discourse view: an edge is drawn when w is finite, nonzero, and
/// |w| >= threshold.
pub fn keeps_discourse_edge(w: f64, threshold: f64) -> bool {
    w.is_finite() && w != 0.0 && w.abs() >= threshold
}

/// Fill colours for domains, by position in the map's vocabulary (ColorBrewer Set3, light
/// enough for black text); cycled when a vocabulary is longer.
const PALETTE: [&str; 12] = [
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
    "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f",
];

/// The fill colour of `domain`: the palette colour of its position in the map's vocabulary,
/// grey (`#eeeeee`) for a domain outside it.
pub(crate) fn domain_colour(bundle: &Bundle, domain: &str) -> &'static str {
    match bundle.map.domains.iter().position(|d| d == domain) {
        Some(i) => PALETTE[i % PALETTE.len()],
        None => "#eeeeee",
    }
}

/// The domains actors use, in vocabulary order, then any outside the vocabulary.
pub(crate) fn used_domains(bundle: &Bundle) -> Vec<String> {
    let mut out: Vec<String> = bundle
        .map
        .domains
        .iter()
        .filter(|d| bundle.actors.iter().any(|a| &a.domain == *d))
        .cloned()
        .collect();
    for a in &bundle.actors {
        if !out.contains(&a.domain) {
            out.push(a.domain.clone());
        }
    }
    out
}

/// The edge colour of a tie kind; conflict is red.
pub(crate) fn tie_colour(kind: TieKind) -> &'static str {
    match kind {
        TieKind::Collaboration => "#1b9e77",
        TieKind::Communication => "#7570b3",
        TieKind::Funding => "#e6ab02",
        TieKind::Authority => "#666666",
        TieKind::Membership => "#66a61e",
        TieKind::Conflict => "#d62728",
    }
}

/// `#rrggbb` to (r, g, b); black for anything else.
pub(crate) fn rgb(hex: &str) -> (u8, u8, u8) {
    let h = hex.trim_start_matches('#');
    if h.len() != 6 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
        return (0, 0, 0);
    }
    let c = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).unwrap_or(0);
    (c(0), c(2), c(4))
}

/// Shortest decimal form of a number for attribute values (`0.5`, `1`).
pub(crate) fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        "0".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vertoog_model::{Actor, Map};

    #[test]
    fn colours_follow_the_vocabulary() {
        let mut b = Bundle::new(Map::new("m"));
        b.actors = vec![
            Actor::new("a", "A").with_domain("vng"),
            Actor::new("b", "B").with_domain("ministry"),
            Actor::new("c", "C").with_domain("alien"),
        ];
        assert_eq!(domain_colour(&b, "ministry"), "#8dd3c7");
        assert_eq!(domain_colour(&b, "vng"), "#ffffb3");
        assert_eq!(domain_colour(&b, "alien"), "#eeeeee");
        assert_eq!(used_domains(&b), ["ministry", "vng", "alien"]);
        assert_eq!(rgb("#8dd3c7"), (0x8d, 0xd3, 0xc7));
        assert_eq!(rgb("bad"), (0, 0, 0));
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(f64::NAN), "0");
    }

    #[test]
    fn bridges_in_either_order() {
        let ann = GraphAnnotations {
            bridges: vec![("a".into(), "b".into())],
            articulation_points: vec!["a".into()],
            ..Default::default()
        };
        assert!(ann.is_bridge("b", "a"));
        assert!(!ann.is_bridge("a", "c"));
        assert!(ann.is_articulation_point("a"));
        assert_eq!(View::parse("discourse"), Some(View::Discourse));
        assert_eq!(View::Coalitions.as_str(), "coalitions");
    }
}
