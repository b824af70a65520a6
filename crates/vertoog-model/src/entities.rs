//! The entities of docs/interfaces.md §8 and docs/method.md §12.

use serde::{Deserialize, Serialize};

use crate::settings::Settings;
use crate::Date;

/// The default domain vocabulary of a map, in its documented order (docs/interfaces.md §8).
pub const DEFAULT_DOMAINS: [&str; 11] = [
    "ministry",
    "vng",
    "municipality",
    "province",
    "water-board",
    "agency",
    "science",
    "business",
    "civil-society",
    "media",
    "other",
];

/// The kinds of entity a map holds; used in errors, the change log and the API's routes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Map,
    Actor,
    Narrative,
    Stance,
    Tie,
    Interaction,
    Commitment,
    #[serde(rename = "plan")]
    PlanItem,
}

impl EntityKind {
    /// Singular name as used in messages and the change log.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Map => "map",
            EntityKind::Actor => "actor",
            EntityKind::Narrative => "narrative",
            EntityKind::Stance => "stance",
            EntityKind::Tie => "tie",
            EntityKind::Interaction => "interaction",
            EntityKind::Commitment => "commitment",
            EntityKind::PlanItem => "plan item",
        }
    }

    /// Plural name as used in routes and CSV file names (`actors.csv`).
    pub fn plural(self) -> &'static str {
        match self {
            EntityKind::Map => "maps",
            EntityKind::Actor => "actors",
            EntityKind::Narrative => "narratives",
            EntityKind::Stance => "stances",
            EntityKind::Tie => "ties",
            EntityKind::Interaction => "interactions",
            EntityKind::Commitment => "commitments",
            EntityKind::PlanItem => "plan",
        }
    }
}

impl std::fmt::Display for EntityKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

fn default_domains() -> Vec<String> {
    DEFAULT_DOMAINS.iter().map(|d| d.to_string()).collect()
}

/// One stakeholder landscape around one transition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Map {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// RFC 3339 timestamp, set by the store.
    #[serde(default)]
    pub created: String,
    /// RFC 3339 timestamp, set by the store on every write.
    #[serde(default)]
    pub updated: String,
    /// The domain vocabulary actors of this map may use.
    #[serde(default = "default_domains")]
    pub domains: Vec<String>,
    /// Analysis parameters (docs/method.md); changing them changes no data.
    #[serde(default)]
    pub settings: Settings,
    /// Names the user gave to detected coalitions, each with the members it was given to
    /// (docs/method.md §3; issue 18): the analysis keeps a name for the coalition whose members
    /// overlap these by Jaccard >= 0.5. Absent from the JSON when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coalition_names: Vec<CoalitionName>,
}

/// A user's name for a coalition and a snapshot of its members when it was named.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoalitionName {
    pub name: String,
    /// Actor ids, sorted.
    pub members: Vec<String>,
}

impl Map {
    /// A map with the default vocabulary and settings; the name defaults to the id.
    pub fn new(id: impl Into<String>) -> Self {
        let id = id.into();
        Map {
            name: id.clone(),
            id,
            description: String::new(),
            created: String::new(),
            updated: String::new(),
            domains: default_domains(),
            settings: Settings::default(),
            coalition_names: Vec::new(),
        }
    }

    pub fn has_domain(&self, domain: &str) -> bool {
        self.domains.iter().any(|d| d == domain)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    #[default]
    Organisation,
    Person,
}

impl ActorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Organisation => "organisation",
            ActorKind::Person => "person",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "organisation" | "organization" => Some(ActorKind::Organisation),
            "person" => Some(ActorKind::Person),
            _ => None,
        }
    }
}

/// The IAP2 spectrum of public participation (docs/method.md §12).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engagement {
    Inform,
    Consult,
    Involve,
    Collaborate,
    Empower,
}

impl Engagement {
    pub const ALL: [Engagement; 5] = [
        Engagement::Inform,
        Engagement::Consult,
        Engagement::Involve,
        Engagement::Collaborate,
        Engagement::Empower,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Engagement::Inform => "inform",
            Engagement::Consult => "consult",
            Engagement::Involve => "involve",
            Engagement::Collaborate => "collaborate",
            Engagement::Empower => "empower",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

fn half() -> f64 {
    0.5
}
fn other_domain() -> String {
    "other".to_string()
}

/// A party in the landscape: an organisation or a person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default = "other_domain")]
    pub domain: String,
    #[serde(default)]
    pub kind: ActorKind,
    #[serde(default)]
    pub parent: Option<String>,
    /// Resources, formal power, reach; in [0, 1].
    #[serde(default = "half")]
    pub influence: f64,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub notes: String,
    /// How much the transition matters to the actor; in [0, 1] (docs/method.md §12).
    #[serde(default = "half")]
    pub interest: f64,
    #[serde(default)]
    pub legitimacy: bool,
    #[serde(default)]
    pub urgency: bool,
    /// The position on the core narratives the team aims for, -2..2.
    #[serde(default)]
    pub target_position: Option<i8>,
    #[serde(default)]
    pub engagement: Option<Engagement>,
    /// Who in the team holds the contact.
    #[serde(default)]
    pub owner: String,
}

impl Actor {
    /// An organisation in domain `other` with every default of docs/interfaces.md §8.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Actor {
            id: id.into(),
            name: name.into(),
            aliases: Vec::new(),
            domain: other_domain(),
            kind: ActorKind::Organisation,
            parent: None,
            influence: 0.5,
            tags: Vec::new(),
            notes: String::new(),
            interest: 0.5,
            legitimacy: false,
            urgency: false,
            target_position: None,
            engagement: None,
            owner: String::new(),
        }
    }

    pub fn with_domain(mut self, domain: &str) -> Self {
        self.domain = domain.to_string();
        self
    }

    pub fn with_influence(mut self, influence: f64) -> Self {
        self.influence = influence;
        self
    }
}

/// A storyline actors can support or oppose.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Narrative {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Part of the storyline of the transition the user builds a coalition for.
    #[serde(default)]
    pub core: bool,
}

impl Narrative {
    pub fn new(id: impl Into<String>, label: impl Into<String>, core: bool) -> Self {
        Narrative {
            id: id.into(),
            label: label.into(),
            description: String::new(),
            tags: Vec::new(),
            core,
        }
    }
}

/// One statement: an actor's position on a narrative.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stance {
    /// Assigned by the store when empty.
    #[serde(default)]
    pub id: String,
    pub actor: String,
    pub narrative: String,
    /// -2 strongly against .. 2 strongly for.
    pub position: i8,
    #[serde(default)]
    pub date: Option<Date>,
    /// Document title or URL.
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub quote: String,
}

impl Stance {
    pub fn new(
        id: impl Into<String>,
        actor: impl Into<String>,
        narrative: impl Into<String>,
        position: i8,
    ) -> Self {
        Stance {
            id: id.into(),
            actor: actor.into(),
            narrative: narrative.into(),
            position,
            date: None,
            source: String::new(),
            quote: String::new(),
        }
    }

    pub fn dated(mut self, date: Date) -> Self {
        self.date = Some(date);
        self
    }
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum TieKind {
    #[default]
    Collaboration,
    Communication,
    Funding,
    Authority,
    Membership,
    Conflict,
}

impl TieKind {
    pub const ALL: [TieKind; 6] = [
        TieKind::Collaboration,
        TieKind::Communication,
        TieKind::Funding,
        TieKind::Authority,
        TieKind::Membership,
        TieKind::Conflict,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            TieKind::Collaboration => "collaboration",
            TieKind::Communication => "communication",
            TieKind::Funding => "funding",
            TieKind::Authority => "authority",
            TieKind::Membership => "membership",
            TieKind::Conflict => "conflict",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// `authority` and `funding` ties are directed unless said otherwise (docs/interfaces.md §8).
    pub fn directed_by_default(self) -> bool {
        matches!(self, TieKind::Authority | TieKind::Funding)
    }
}

/// A relation between two actors that carries communication or cooperation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "TieRepr")]
pub struct Tie {
    /// Assigned by the store when empty.
    pub id: String,
    pub source: String,
    pub target: String,
    pub kind: TieKind,
    /// In (0, 1].
    pub weight: f64,
    pub directed: bool,
    pub since: Option<Date>,
    pub until: Option<Date>,
    pub note: String,
}

impl Tie {
    /// A tie with the defaults of docs/interfaces.md §8 for its kind.
    pub fn new(
        id: impl Into<String>,
        source: impl Into<String>,
        target: impl Into<String>,
        kind: TieKind,
    ) -> Self {
        Tie {
            id: id.into(),
            source: source.into(),
            target: target.into(),
            kind,
            weight: 0.5,
            directed: kind.directed_by_default(),
            since: None,
            until: None,
            note: String::new(),
        }
    }

    pub fn with_weight(mut self, weight: f64) -> Self {
        self.weight = weight;
        self
    }

    /// Whether the tie's [since, until] overlaps the window [from, to] (open ends allowed).
    pub fn active_in(&self, from: Option<Date>, to: Option<Date>) -> bool {
        let starts_before_end = match (self.since, to) {
            (Some(s), Some(t)) => s <= t,
            _ => true,
        };
        let ends_after_start = match (self.until, from) {
            (Some(u), Some(f)) => u >= f,
            _ => true,
        };
        starts_before_end && ends_after_start
    }
}

/// How a tie is read from JSON: `directed` defaults by kind.
#[derive(Deserialize)]
struct TieRepr {
    #[serde(default)]
    id: String,
    source: String,
    target: String,
    #[serde(default)]
    kind: TieKind,
    #[serde(default = "half")]
    weight: f64,
    #[serde(default)]
    directed: Option<bool>,
    #[serde(default)]
    since: Option<Date>,
    #[serde(default)]
    until: Option<Date>,
    #[serde(default)]
    note: String,
}

impl From<TieRepr> for Tie {
    fn from(r: TieRepr) -> Self {
        Tie {
            directed: r.directed.unwrap_or(r.kind.directed_by_default()),
            id: r.id,
            source: r.source,
            target: r.target,
            kind: r.kind,
            weight: r.weight,
            since: r.since,
            until: r.until,
            note: r.note,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tie_direction_defaults_by_kind() {
        let t: Tie =
            serde_json::from_str(r#"{"source":"a","target":"b","kind":"funding"}"#).unwrap();
        assert!(t.directed);
        assert_eq!(t.weight, 0.5);
        let t: Tie = serde_json::from_str(r#"{"source":"a","target":"b"}"#).unwrap();
        assert!(!t.directed);
        assert_eq!(t.kind, TieKind::Collaboration);
        let t: Tie = serde_json::from_str(
            r#"{"source":"a","target":"b","kind":"authority","directed":false}"#,
        )
        .unwrap();
        assert!(!t.directed);
    }

    #[test]
    fn actor_defaults() {
        let a: Actor = serde_json::from_str(r#"{"id":"a","name":"A"}"#).unwrap();
        assert_eq!(a, Actor::new("a", "A"));
        assert_eq!(a.domain, "other");
        assert_eq!(a.influence, 0.5);
    }

    #[test]
    fn tie_window_overlap() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let mut t = Tie::new("t1", "a", "b", TieKind::Collaboration);
        t.since = Some(d("2020-01-01"));
        t.until = Some(d("2020-12-31"));
        assert!(t.active_in(None, None));
        assert!(t.active_in(Some(d("2020-06-01")), None));
        assert!(!t.active_in(Some(d("2021-01-01")), None));
        assert!(!t.active_in(None, Some(d("2019-12-31"))));
        assert!(t.active_in(Some(d("2019-01-01")), Some(d("2020-01-01"))));
    }
}
