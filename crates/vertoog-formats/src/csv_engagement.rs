//! `interactions.csv`, `commitments.csv` and `plan.csv` of the CSV bundle (docs/interfaces.md,
//! engagement): columns named as the fields, lists `;`-separated, the same rules as the other
//! files (a cell that does not parse is reported with its line and column and replaced by a
//! default the model's validation accepts, so no field is reported twice).

use vertoog_model::{
    Commitment, CommitmentStatus, Date, Direction, Interaction, InteractionKind, PlanItem,
    PlanStatus,
};

use super::{bool_cell, date_cell, list_cell, number_cell, opt_text, Row};
use crate::clip;
use crate::csv_text::push_record;
use crate::natural_cmp;

/// Columns of `interactions.csv`, in export order.
pub const INTERACTION_COLUMNS: [&str; 13] = [
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
];
/// Columns of `commitments.csv`, in export order.
pub const COMMITMENT_COLUMNS: [&str; 10] = [
    "id",
    "actor",
    "direction",
    "text",
    "owner",
    "made_on",
    "due",
    "status",
    "interaction",
    "closed_on",
];
/// Columns of `plan.csv`, in export order.
pub const PLAN_COLUMNS: [&str; 15] = [
    "id",
    "kind",
    "title",
    "targets",
    "messenger",
    "narrative",
    "owner",
    "due",
    "status",
    "adopted_on",
    "done_on",
    "strength_at_adoption",
    "simulated_gain",
    "rationale",
    "interactions",
];

/// The placeholder of a required date that is missing or unreadable (its error is reported).
fn no_date() -> Date {
    Date::default()
}

impl<'a> Row<'a> {
    fn required_date(&mut self, col: &str) -> Date {
        if self.plain(col).is_none() {
            self.fail(col, "is required: a date in the form YYYY-MM-DD".into());
            return no_date();
        }
        self.date(col).unwrap_or_else(no_date)
    }

    /// An enumeration cell: `parse` of the lower-cased cell, else an error listing `names`.
    fn choice<T>(
        &mut self,
        col: &str,
        what: &str,
        parse: impl Fn(&str) -> Option<T>,
        names: String,
    ) -> Option<T> {
        let v = self.plain(col)?;
        match parse(&v.to_lowercase()) {
            Some(x) => Some(x),
            None => {
                let m = format!("`{}` is not {what}; use {names}", clip(v));
                self.fail(col, m);
                None
            }
        }
    }

    fn optional_number(&mut self, col: &str) -> Option<f64> {
        let v = self.plain(col)?;
        match super::parse_number(v) {
            Ok(x) => Some(x),
            Err(m) => {
                self.fail(col, m);
                None
            }
        }
    }

    pub(super) fn interaction(&mut self) -> Interaction {
        let date = self.required_date("date");
        let mut i = Interaction::new(self.id("id"), date, self.name("title"));
        i.kind = self
            .choice(
                "kind",
                "an interaction kind",
                InteractionKind::parse,
                InteractionKind::names(),
            )
            .unwrap_or_default();
        i.actors = self.list("actors");
        i.team = self.list("team");
        i.narratives = self.list("narratives");
        i.outcome = self.text("outcome");
        i.sentiment = self.position("sentiment");
        i.next_step = self.text("next_step");
        i.next_contact = self.date("next_contact");
        i.source = self.text("source");
        i.confidential = self.boolean("confidential").unwrap_or(false);
        i
    }

    pub(super) fn commitment(&mut self) -> Commitment {
        let direction = match self.plain("direction") {
            None => {
                self.fail("direction", "is required: ours or theirs".into());
                Direction::Ours
            }
            Some(_) => self
                .choice(
                    "direction",
                    "a direction",
                    Direction::parse,
                    Direction::names(),
                )
                .unwrap_or(Direction::Ours),
        };
        let made_on = self.required_date("made_on");
        let mut c = Commitment::new(
            self.id("id"),
            self.id("actor"),
            direction,
            self.text("text"),
            made_on,
        );
        c.owner = self.name("owner");
        c.due = self.date("due");
        c.status = self
            .choice(
                "status",
                "a commitment status",
                CommitmentStatus::parse,
                CommitmentStatus::names(),
            )
            .unwrap_or_default();
        c.interaction = self.plain("interaction").map(str::to_string);
        c.closed_on = self.date("closed_on");
        if c.closed_on.is_some() && !c.status.is_closed() && self.has_error("status") {
            // The status did not parse: its error is enough.
            c.closed_on = None;
        }
        c
    }

    pub(super) fn plan_item(&mut self) -> PlanItem {
        let adopted_on = self.required_date("adopted_on");
        let mut p = PlanItem::new(self.id("id"), self.name("title"), adopted_on);
        if let Some(k) = self.plain("kind") {
            p.kind = k.to_lowercase();
        }
        p.targets = self.list("targets");
        p.messenger = self.plain("messenger").map(str::to_string);
        p.narrative = self.plain("narrative").map(str::to_string);
        p.owner = self.name("owner");
        p.due = self.date("due");
        p.status = self
            .choice(
                "status",
                "a plan item status",
                PlanStatus::parse,
                PlanStatus::names(),
            )
            .unwrap_or_default();
        p.done_on = self.date("done_on");
        if p.done_on.is_some() && self.has_error("status") {
            p.done_on = None;
        }
        p.strength_at_adoption = self.optional_number("strength_at_adoption");
        p.simulated_gain = self.optional_number("simulated_gain");
        p.rationale = self.text("rationale");
        p.interactions = self.list("interactions");
        p
    }

    fn has_error(&self, col: &str) -> bool {
        self.errors.iter().any(|e| e.field == col)
    }
}

fn sorted<T>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<&T> {
    let mut v: Vec<&T> = items.iter().collect();
    v.sort_by(|a, b| natural_cmp(id(a), id(b)));
    v
}

fn opt_number(x: Option<f64>) -> String {
    x.map(number_cell).unwrap_or_default()
}

/// `interactions.csv`, `commitments.csv` and `plan.csv` of `bundle`.
pub(super) fn write_engagement(
    interactions: &[Interaction],
    commitments: &[Commitment],
    plan: &[PlanItem],
) -> [(&'static str, String); 3] {
    let mut out = String::new();
    push_record(&mut out, &INTERACTION_COLUMNS);
    for i in sorted(interactions, |i| &i.id) {
        push_record(
            &mut out,
            &[
                i.id.clone(),
                date_cell(Some(i.date)),
                i.kind.as_str().to_string(),
                opt_text(&i.title),
                list_cell(&i.actors),
                list_cell(&i.team),
                list_cell(&i.narratives),
                opt_text(&i.outcome),
                i.sentiment.map(|s| s.to_string()).unwrap_or_default(),
                opt_text(&i.next_step),
                date_cell(i.next_contact),
                opt_text(&i.source),
                bool_cell(i.confidential),
            ],
        );
    }
    let interactions_csv = out;
    let mut out = String::new();
    push_record(&mut out, &COMMITMENT_COLUMNS);
    for c in sorted(commitments, |c| &c.id) {
        push_record(
            &mut out,
            &[
                c.id.clone(),
                c.actor.clone(),
                c.direction.as_str().to_string(),
                opt_text(&c.text),
                opt_text(&c.owner),
                date_cell(Some(c.made_on)),
                date_cell(c.due),
                c.status.as_str().to_string(),
                c.interaction.clone().unwrap_or_default(),
                date_cell(c.closed_on),
            ],
        );
    }
    let commitments_csv = out;
    let mut out = String::new();
    push_record(&mut out, &PLAN_COLUMNS);
    for p in sorted(plan, |p| &p.id) {
        push_record(
            &mut out,
            &[
                p.id.clone(),
                p.kind.clone(),
                opt_text(&p.title),
                list_cell(&p.targets),
                p.messenger.clone().unwrap_or_default(),
                p.narrative.clone().unwrap_or_default(),
                opt_text(&p.owner),
                date_cell(p.due),
                p.status.as_str().to_string(),
                date_cell(Some(p.adopted_on)),
                date_cell(p.done_on),
                opt_number(p.strength_at_adoption),
                opt_number(p.simulated_gain),
                opt_text(&p.rationale),
                list_cell(&p.interactions),
            ],
        );
    }
    [
        ("interactions.csv", interactions_csv),
        ("commitments.csv", commitments_csv),
        ("plan.csv", out),
    ]
}
