//! The engagement entities of docs/interfaces.md (engagement): interactions (contacts),
//! commitments (*toezeggingen*) and plan items (adopted actions), with their field checks.
//! References to actors, narratives and interactions are checked by the bundle and the store.

use serde::{Deserialize, Serialize};

use crate::validate::{check_name_pub, check_slug_pub, check_text_pub, FieldError};
use crate::Date;

/// Longest commitment text, in characters.
pub const MAX_COMMITMENT_TEXT: usize = 500;

/// The kinds a plan item may have: the action kinds of the analysis, `honour`, and `custom`.
pub const PLAN_KINDS: [&str; 8] = [
    "convene",
    "recruit-domain",
    "brief",
    "mobilise",
    "counter",
    "maintain",
    "honour",
    "custom",
];

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The name used in files and JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            /// The value named `s`, if any.
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
            /// The names of every value, for error messages: `a, b, c`.
            pub fn names() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

string_enum!(
    /// How a contact took place.
    InteractionKind {
        Meeting => "meeting",
        Call => "call",
        Email => "email",
        Letter => "letter",
        Event => "event",
        Consultation => "consultation",
        Other => "other",
    }
);

#[allow(clippy::derivable_impls)] // the macro's enum cannot carry #[default]
impl Default for InteractionKind {
    fn default() -> Self {
        InteractionKind::Meeting
    }
}

string_enum!(
    /// Who made a promise: `ours` (we promised them) or `theirs` (they promised us).
    Direction {
        Ours => "ours",
        Theirs => "theirs",
    }
);

string_enum!(
    /// The state of a commitment.
    CommitmentStatus {
        Open => "open",
        InProgress => "in-progress",
        Done => "done",
        Dropped => "dropped",
    }
);

#[allow(clippy::derivable_impls)] // the macro's enum cannot carry #[default]
impl Default for CommitmentStatus {
    fn default() -> Self {
        CommitmentStatus::Open
    }
}

impl CommitmentStatus {
    /// Done or dropped: nothing more is expected.
    pub fn is_closed(self) -> bool {
        matches!(self, CommitmentStatus::Done | CommitmentStatus::Dropped)
    }
}

string_enum!(
    /// The state of a plan item.
    PlanStatus {
        Planned => "planned",
        InProgress => "in-progress",
        Done => "done",
        Dropped => "dropped",
    }
);

#[allow(clippy::derivable_impls)] // the macro's enum cannot carry #[default]
impl Default for PlanStatus {
    fn default() -> Self {
        PlanStatus::Planned
    }
}

impl PlanStatus {
    /// Done or dropped: nothing more is expected.
    pub fn is_closed(self) -> bool {
        matches!(self, PlanStatus::Done | PlanStatus::Dropped)
    }
}

/// A contact between the team and one or more actors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    /// Assigned `i1, i2, ...` by the store when empty.
    #[serde(default)]
    pub id: String,
    pub date: Date,
    #[serde(default)]
    pub kind: InteractionKind,
    pub title: String,
    /// Actor ids; at least one.
    #[serde(default)]
    pub actors: Vec<String>,
    /// Names of the team members present.
    #[serde(default)]
    pub team: Vec<String>,
    /// Narrative ids discussed.
    #[serde(default)]
    pub narratives: Vec<String>,
    #[serde(default)]
    pub outcome: String,
    /// How the actor received it, -2..2.
    #[serde(default)]
    pub sentiment: Option<i8>,
    #[serde(default)]
    pub next_step: String,
    #[serde(default)]
    pub next_contact: Option<Date>,
    #[serde(default)]
    pub source: String,
    /// Shown only to editors and admins; left out of exports unless an admin asks.
    #[serde(default)]
    pub confidential: bool,
}

impl Interaction {
    pub fn new(id: impl Into<String>, date: Date, title: impl Into<String>) -> Self {
        Interaction {
            id: id.into(),
            date,
            kind: InteractionKind::default(),
            title: title.into(),
            actors: Vec::new(),
            team: Vec::new(),
            narratives: Vec::new(),
            outcome: String::new(),
            sentiment: None,
            next_step: String::new(),
            next_contact: None,
            source: String::new(),
            confidential: false,
        }
    }
}

/// A promise made in the relation with one actor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Commitment {
    /// Assigned `k1, k2, ...` by the store when empty.
    #[serde(default)]
    pub id: String,
    pub actor: String,
    pub direction: Direction,
    pub text: String,
    /// Who on the team answers for it.
    #[serde(default)]
    pub owner: String,
    pub made_on: Date,
    #[serde(default)]
    pub due: Option<Date>,
    #[serde(default)]
    pub status: CommitmentStatus,
    /// The interaction where it was made.
    #[serde(default)]
    pub interaction: Option<String>,
    /// Set when the status becomes done or dropped.
    #[serde(default)]
    pub closed_on: Option<Date>,
}

impl Commitment {
    /// Days past its due date at `at` (1 the day after), for a commitment that is neither
    /// done nor dropped and whose due date is before `at`; `None` otherwise. The one rule for
    /// "overdue" that the gap, the CLI, the brief and the UI's data follow.
    pub fn days_late(&self, at: Date) -> Option<i64> {
        match self.due {
            Some(due) if !self.status.is_closed() && due < at => Some((at - due).num_days()),
            _ => None,
        }
    }

    pub fn new(
        id: impl Into<String>,
        actor: impl Into<String>,
        direction: Direction,
        text: impl Into<String>,
        made_on: Date,
    ) -> Self {
        Commitment {
            id: id.into(),
            actor: actor.into(),
            direction,
            text: text.into(),
            owner: String::new(),
            made_on,
            due: None,
            status: CommitmentStatus::Open,
            interaction: None,
            closed_on: None,
        }
    }
}

/// An action the team has adopted, from the analysis or of its own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanItem {
    /// Assigned `p1, p2, ...` by the store when empty.
    #[serde(default)]
    pub id: String,
    /// One of [`PLAN_KINDS`].
    #[serde(default = "custom")]
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub targets: Vec<String>,
    #[serde(default)]
    pub messenger: Option<String>,
    #[serde(default)]
    pub narrative: Option<String>,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub due: Option<Date>,
    #[serde(default)]
    pub status: PlanStatus,
    pub adopted_on: Date,
    #[serde(default)]
    pub done_on: Option<Date>,
    /// Strength of T when adopted (copied, never recomputed).
    #[serde(default)]
    pub strength_at_adoption: Option<f64>,
    /// The action's expected gain when adopted; null for `custom` and unsimulated kinds.
    #[serde(default)]
    pub simulated_gain: Option<f64>,
    #[serde(default)]
    pub rationale: String,
    /// Interactions that carried it out.
    #[serde(default)]
    pub interactions: Vec<String>,
}

fn custom() -> String {
    "custom".to_string()
}

impl PlanItem {
    /// Planned or in progress with a due date before `at`.
    pub fn is_overdue(&self, at: Date) -> bool {
        !self.status.is_closed() && self.due.is_some_and(|d| d < at)
    }

    pub fn new(id: impl Into<String>, title: impl Into<String>, adopted_on: Date) -> Self {
        PlanItem {
            id: id.into(),
            kind: custom(),
            title: title.into(),
            targets: Vec::new(),
            messenger: None,
            narrative: None,
            owner: String::new(),
            due: None,
            status: PlanStatus::Planned,
            adopted_on,
            done_on: None,
            strength_at_adoption: None,
            simulated_gain: None,
            rationale: String::new(),
            interactions: Vec::new(),
        }
    }
}

fn check_optional_id(e: &mut Vec<FieldError>, id: &str) {
    if !id.is_empty() {
        check_slug_pub(e, "id", id);
    }
}

/// An interaction's own fields (not whether its actors and narratives exist).
pub fn validate_interaction(i: &Interaction) -> Vec<FieldError> {
    let mut e = Vec::new();
    check_optional_id(&mut e, &i.id);
    check_name_pub(&mut e, "title", &i.title);
    if i.actors.is_empty() {
        e.push(FieldError::new(
            "actors",
            "an interaction needs at least one actor",
        ));
    }
    for a in &i.actors {
        check_slug_pub(&mut e, "actors", a);
    }
    for n in &i.narratives {
        check_slug_pub(&mut e, "narratives", n);
    }
    for t in &i.team {
        check_name_pub(&mut e, "team", t);
    }
    if let Some(s) = i.sentiment {
        if !(-2..=2).contains(&s) {
            e.push(FieldError::new(
                "sentiment",
                format!("{s} is outside -2..2"),
            ));
        }
    }
    check_text_pub(&mut e, "outcome", &i.outcome);
    check_text_pub(&mut e, "next_step", &i.next_step);
    check_text_pub(&mut e, "source", &i.source);
    if let Some(n) = i.next_contact {
        if n < i.date {
            e.push(FieldError::new(
                "next_contact",
                format!("{n} is before the interaction's date ({})", i.date),
            ));
        }
    }
    e
}

/// A commitment's own fields (not whether its actor and interaction exist).
pub fn validate_commitment(c: &Commitment) -> Vec<FieldError> {
    let mut e = Vec::new();
    check_optional_id(&mut e, &c.id);
    check_slug_pub(&mut e, "actor", &c.actor);
    check_text_pub(&mut e, "text", &c.text);
    let len = c.text.trim().chars().count();
    if len == 0 {
        e.push(FieldError::new("text", "must not be blank"));
    } else if len > MAX_COMMITMENT_TEXT {
        e.push(FieldError::new(
            "text",
            format!("is {len} characters long; at most {MAX_COMMITMENT_TEXT} are allowed"),
        ));
    }
    if !c.owner.is_empty() {
        check_name_pub(&mut e, "owner", &c.owner);
    }
    if let Some(i) = &c.interaction {
        check_slug_pub(&mut e, "interaction", i);
    }
    if let Some(d) = c.due {
        if d < c.made_on {
            e.push(FieldError::new(
                "due",
                format!("{d} is before made_on ({})", c.made_on),
            ));
        }
    }
    if let Some(d) = c.closed_on {
        if d < c.made_on {
            e.push(FieldError::new(
                "closed_on",
                format!("{d} is before made_on ({})", c.made_on),
            ));
        }
        if !c.status.is_closed() {
            e.push(FieldError::new(
                "closed_on",
                format!(
                    "is set, but the status `{}` is neither done nor dropped",
                    c.status.as_str()
                ),
            ));
        }
    }
    e
}

/// A plan item's own fields (not whether its targets, messenger, narrative and interactions
/// exist).
pub fn validate_plan_item(p: &PlanItem) -> Vec<FieldError> {
    let mut e = Vec::new();
    check_optional_id(&mut e, &p.id);
    if !PLAN_KINDS.contains(&p.kind.as_str()) {
        e.push(FieldError::new(
            "kind",
            format!(
                "`{}` is not a plan item kind ({})",
                p.kind,
                PLAN_KINDS.join(", ")
            ),
        ));
    }
    check_name_pub(&mut e, "title", &p.title);
    for t in &p.targets {
        check_slug_pub(&mut e, "targets", t);
    }
    if let Some(m) = &p.messenger {
        check_slug_pub(&mut e, "messenger", m);
    }
    if let Some(n) = &p.narrative {
        check_slug_pub(&mut e, "narrative", n);
    }
    if !p.owner.is_empty() {
        check_name_pub(&mut e, "owner", &p.owner);
    }
    for i in &p.interactions {
        check_slug_pub(&mut e, "interactions", i);
    }
    check_text_pub(&mut e, "rationale", &p.rationale);
    for (field, v) in [
        ("strength_at_adoption", p.strength_at_adoption),
        ("simulated_gain", p.simulated_gain),
    ] {
        if v.is_some_and(|v| !v.is_finite()) {
            e.push(FieldError::new(field, "must be a finite number"));
        }
    }
    if let Some(d) = p.done_on {
        if d < p.adopted_on {
            e.push(FieldError::new(
                "done_on",
                format!("{d} is before adopted_on ({})", p.adopted_on),
            ));
        }
        if p.status != PlanStatus::Done {
            e.push(FieldError::new(
                "done_on",
                format!(
                    "is set, but the status is `{}`, not done",
                    p.status.as_str()
                ),
            ));
        }
    }
    e
}

#[cfg(test)]
mod tests {
    #[test]
    fn overdue_is_one_rule_for_commitments_and_plan_items() {
        let mut c = Commitment::new("k1", "a", Direction::Ours, "Agenda", d("2025-01-01"));
        assert_eq!(c.days_late(d("2025-03-01")), None, "no due date");
        c.due = Some(d("2025-02-01"));
        assert_eq!(c.days_late(d("2025-02-01")), None, "due today is not late");
        assert_eq!(c.days_late(d("2025-02-02")), Some(1));
        c.status = CommitmentStatus::InProgress;
        assert_eq!(c.days_late(d("2025-03-01")), Some(28));
        c.status = CommitmentStatus::Dropped;
        assert_eq!(c.days_late(d("2025-03-01")), None, "dropped");
        let mut p = PlanItem::new("p1", "Werkbezoek", d("2025-01-01"));
        p.due = Some(d("2025-02-01"));
        assert!(!p.is_overdue(d("2025-02-01")));
        assert!(p.is_overdue(d("2025-02-02")));
        p.status = PlanStatus::Done;
        assert!(!p.is_overdue(d("2025-03-01")));
    }

    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn json_names_are_the_spec_names() {
        let mut i = Interaction::new("i1", d("2025-01-02"), "Kennismaking");
        i.actors = vec!["a".into()];
        i.sentiment = Some(1);
        let v = serde_json::to_value(&i).unwrap();
        for key in [
            "id",
            "date",
            "kind",
            "title",
            "actors",
            "team",
            "narratives",
            "outcome",
            "sentiment",
            "next_step",
            "next_contact",
            "source",
            "confidential",
        ] {
            assert!(v.get(key).is_some(), "{key}");
        }
        let c: Commitment = serde_json::from_str(
            r#"{"actor":"a","direction":"theirs","text":"Data leveren","made_on":"2025-01-01","status":"in-progress"}"#,
        )
        .unwrap();
        assert_eq!(c.status, CommitmentStatus::InProgress);
        assert_eq!(c.direction, Direction::Theirs);
        let p: PlanItem =
            serde_json::from_str(r#"{"title":"Bel X","adopted_on":"2025-01-01"}"#).unwrap();
        assert_eq!(p.kind, "custom");
        assert_eq!(p.status, PlanStatus::Planned);
    }

    #[test]
    fn every_field_error_is_reported() {
        let mut c = Commitment::new("k1", "a", Direction::Ours, "", d("2025-03-01"));
        c.closed_on = Some(d("2025-02-01"));
        let fields: Vec<String> = validate_commitment(&c)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["text", "closed_on", "closed_on"]);
        let mut p = PlanItem::new("p1", "Bel", d("2025-03-01"));
        p.kind = "phone".into();
        p.done_on = Some(d("2025-01-01"));
        let fields: Vec<String> = validate_plan_item(&p)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["kind", "done_on", "done_on"]);
        let mut i = Interaction::new("", d("2025-03-01"), " ");
        i.sentiment = Some(3);
        let fields: Vec<String> = validate_interaction(&i)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["title", "actors", "sentiment"]);
    }
}
