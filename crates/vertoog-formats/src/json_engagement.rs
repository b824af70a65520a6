//! The engagement lists of a JSON bundle version 2 (`interactions`, `commitments`, `plan`):
//! unknown fields, wrong types and values outside an enumeration are reported with their JSON
//! path, every one, like the other lists.

use serde::de::DeserializeOwned;
use serde_json::Value;
use vertoog_model::{CommitmentStatus, Direction, FieldError, InteractionKind, PlanStatus};

use crate::csv_bundle::{COMMITMENT_COLUMNS, INTERACTION_COLUMNS, PLAN_COLUMNS};

/// (field, accepted names) of the enumerations of an entity list.
fn enums(list: &str) -> Vec<(&'static str, Vec<&'static str>)> {
    let names = |all: Vec<&'static str>| all;
    match list {
        "interactions" => vec![(
            "kind",
            names(InteractionKind::ALL.iter().map(|k| k.as_str()).collect()),
        )],
        "commitments" => vec![
            (
                "direction",
                names(Direction::ALL.iter().map(|k| k.as_str()).collect()),
            ),
            (
                "status",
                names(CommitmentStatus::ALL.iter().map(|k| k.as_str()).collect()),
            ),
        ],
        _ => vec![(
            "status",
            names(PlanStatus::ALL.iter().map(|k| k.as_str()).collect()),
        )],
    }
}

pub(crate) fn known_fields(list: &str) -> &'static [&'static str] {
    match list {
        "interactions" => &INTERACTION_COLUMNS,
        "commitments" => &COMMITMENT_COLUMNS,
        _ => &PLAN_COLUMNS,
    }
}

/// One entity of an engagement list: its value, or (with `None`) the errors that kept it
/// from being read. Field errors name the field only; the caller prefixes the path.
pub(crate) fn read_item<T: DeserializeOwned>(
    list: &str,
    obj: &serde_json::Map<String, Value>,
) -> (Option<T>, Vec<FieldError>) {
    let mut errors = Vec::new();
    let known = known_fields(list);
    let mut clean = obj.clone();
    for key in obj.keys() {
        if !known.contains(&key.as_str()) {
            errors.push(FieldError::new(
                &crate::clip(key),
                format!("unknown field; the fields are {}", known.join(", ")),
            ));
            clean.remove(key);
        }
    }
    for (field, accepted) in enums(list) {
        match obj.get(field) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if accepted.contains(&s.as_str()) => {}
            Some(v) => {
                errors.push(FieldError::new(
                    field,
                    format!(
                        "{} is not a {field}; use {}",
                        crate::clip(&v.to_string()),
                        accepted.join(", ")
                    ),
                ));
                clean.remove(field);
            }
        }
    }
    match serde_json::from_value::<T>(Value::Object(clean)) {
        Ok(v) if errors.is_empty() => (Some(v), errors),
        Ok(_) => (None, errors),
        Err(e) => {
            let msg = e.to_string();
            // serde names the field in the message (`missing field `date``, `invalid type`).
            let field = msg
                .split('`')
                .nth(1)
                .filter(|f| known.contains(f))
                .unwrap_or("")
                .to_string();
            errors.push(FieldError::new(&field, msg));
            (None, errors)
        }
    }
}
