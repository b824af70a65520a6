//! Plans (docs/method.md §9) and coalition names (issue 18):
//! - `POST /maps/{map}/plan/simulate` with `{"actions": ["a1", "a4"]}`: the chosen actions of
//!   the current analysis simulated together: `{"actions", "plan_gain", "strength_before",
//!   "strength_after", "steps": [{"action", "marginal_gain", "strength_after", "effort",
//!   "single_gain", "effects"}], "sum_of_single_gains", "effort", "effects"}`. Unknown ids:
//!   422 on field `actions` naming them. Nothing is stored (a viewer may simulate).
//! - `GET /maps/{map}/plan/best?budget=N`: the best plan within budget N (default 6; 0..=1000),
//!   the `best_plan` object of the analysis.
//! - `PUT /maps/{map}/coalitions/{id}/name` with `{"name": "..."}`: stores the name with the
//!   coalition's current members (an empty name removes the user's name); answers
//!   `{"coalition", "name", "members"}`.
//!
//! - `POST /maps/{map}/plan/adopt` with `{"action": "a3", "owner", "due"}`: 201 with the new
//!   plan item (engagement).
//!
//! All of them take the analysis' query parameters (`from`, `to`, `lang` and the settings
//! overrides) and work on the cached analysis of those.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::{ETAG, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use vertoog_analysis::{adopt as adopt_action, best_plan, simulate_plan, Context};

use super::analysis::{json_bytes, AnalysisQuery};
use super::blocking;
use crate::auth::{Editor, Viewer};
use crate::error::{ApiError, ApiResult};
use crate::input::{object, reject_unknown, JsonBody};
use crate::state::AppState;

/// The largest budget accepted (any plan of 20 actions costs at most 60).
const MAX_BUDGET: u32 = 1000;

fn to_json<T: serde::Serialize>(v: &T) -> ApiResult<Response> {
    let bytes = serde_json::to_vec(v)
        .map_err(|e| ApiError::Internal(format!("cannot write the plan as JSON: {e}")))?;
    Ok(json_bytes(Bytes::from(bytes)))
}

/// `POST /maps/{map}/plan/simulate`.
pub async fn simulate(
    State(state): State<AppState>,
    _: Viewer,
    Path(map): Path<String>,
    query: AnalysisQuery,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let mut obj = object(body)?;
    reject_unknown(&obj, &["actions".into()])?;
    let ids: Vec<String> = match obj.remove("actions") {
        Some(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(s),
                _ => Err(ApiError::invalid(
                    &format!("actions[{i}]"),
                    "expected the id of an action, e.g. \"a3\"",
                )),
            })
            .collect::<ApiResult<_>>()?,
        _ => {
            return Err(ApiError::invalid(
                "actions",
                "give `actions`: a list of action ids, e.g. [\"a1\", \"a4\"]",
            ))
        }
    };
    let c = query.computed(&state, map).await?;
    blocking(move || {
        let ctx = Context::new(&c.bundle, &c.settings, c.analysis.window);
        let sim = simulate_plan(
            &ctx,
            &c.analysis.actions,
            c.analysis.transition.metrics.strength,
            &ids,
        )
        .map_err(|e| {
            ApiError::invalid(
                "actions",
                format!(
                    "the current analysis has no action {}",
                    e.0.iter()
                        .map(|x| format!("`{x}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
        to_json(&sim)
    })
    .await
}

/// `GET /maps/{map}/plan/best?budget=N`.
pub async fn best(
    State(state): State<AppState>,
    _: Viewer,
    Path(map): Path<String>,
    mut query: AnalysisQuery,
) -> ApiResult<Response> {
    let budget = query
        .rest
        .take_with("budget", |v| match v.parse::<u32>() {
            Ok(b) if b <= MAX_BUDGET => Ok(b),
            _ => Err(format!("`{v}` is not a whole number 0..={MAX_BUDGET}")),
        })?
        .unwrap_or(vertoog_analysis::plans::DEFAULT_BUDGET);
    let c = query.computed(&state, map).await?;
    if budget == c.analysis.best_plan.budget {
        return to_json(&c.analysis.best_plan);
    }
    blocking(move || {
        let ctx = Context::new(&c.bundle, &c.settings, c.analysis.window);
        to_json(&best_plan(
            &ctx,
            &c.analysis.actions,
            c.analysis.transition.metrics.strength,
            budget,
        ))
    })
    .await
}

/// `POST /maps/{map}/plan/adopt` with `{"action": "a3", "owner": "...", "due": "YYYY-MM-DD"}`
/// (owner and due optional): a plan item made from action `a3` of the current analysis (of
/// the query's window, settings and language), with the strength and expected gain of now
/// copied into it. 201 with the plan item, its `Location` and `ETag`; an action the analysis
/// does not have is a 422 on `action`.
pub async fn adopt(
    State(state): State<AppState>,
    Editor(p): Editor,
    Path(map): Path<String>,
    query: AnalysisQuery,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let lang = query.lang;
    let mut obj = object(body)?;
    reject_unknown(&obj, &["action".into(), "owner".into(), "due".into()])?;
    let text = |obj: &mut serde_json::Map<String, Value>, field: &str| match obj.remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::invalid(field, "expected text")),
    };
    let Some(action_id) = text(&mut obj, "action")? else {
        return Err(ApiError::invalid(
            "action",
            "give `action`: the id of an action of the current analysis, e.g. \"a3\"",
        ));
    };
    let owner = text(&mut obj, "owner")?.unwrap_or_default();
    let due = match text(&mut obj, "due")? {
        Some(d) if !d.is_empty() => {
            Some(vertoog_model::parse_date(&d).map_err(|e| ApiError::invalid("due", e))?)
        }
        _ => None,
    };
    let c = query.computed(&state, map.clone()).await?;
    let store = state.store().clone();
    let map_id = map.clone();
    let created = blocking(move || {
        let action = c
            .analysis
            .actions
            .iter()
            .find(|a| a.id == action_id)
            .ok_or_else(|| {
                ApiError::invalid(
                    "action",
                    format!("the current analysis has no action `{action_id}`"),
                )
            })?;
        let adopted_on = c.settings.as_of.unwrap_or_else(vertoog_store::today);
        let mut item = adopt_action(
            action,
            c.analysis.transition.metrics.strength,
            &c.bundle,
            lang,
            adopted_on,
        );
        item.owner = owner;
        item.due = due;
        Ok(store.create(&map, item, &p.name, false)?)
    })
    .await?;
    let mut r = (StatusCode::CREATED, Json(&created)).into_response();
    for (name, value) in [
        (ETAG, vertoog_store::etag(&created)),
        (
            LOCATION,
            format!("/api/v1/maps/{map_id}/plan/{}", created.id),
        ),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            r.headers_mut().insert(name, v);
        }
    }
    Ok(r)
}

/// `PUT /maps/{map}/coalitions/{id}/name`.
pub async fn name(
    State(state): State<AppState>,
    Editor(p): Editor,
    Path((map, id)): Path<(String, String)>,
    query: AnalysisQuery,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Value>> {
    let mut obj = object(body)?;
    reject_unknown(&obj, &["name".into()])?;
    let name = match obj.remove("name") {
        Some(Value::String(s)) => s,
        Some(Value::Null) => String::new(),
        _ => {
            return Err(ApiError::invalid(
                "name",
                "give `name`: the coalition's name (empty to remove it)",
            ))
        }
    };
    let c = query.computed(&state, map.clone()).await?;
    let store = state.store().clone();
    blocking(move || {
        let current = store.get_map(&map)?;
        let names = vertoog_analysis::coalition_view::rename(
            &c.analysis.coalitions,
            &current.coalition_names,
            &id,
            &name,
        )
        .map_err(ApiError::NotFound)?;
        store.set_coalition_names(&map, names, &p.name)?;
        let members = c
            .analysis
            .coalitions
            .iter()
            .find(|x| x.id == id)
            .map(|x| x.members.clone())
            .unwrap_or_default();
        Ok(Json(
            json!({"coalition": id, "name": name.trim(), "members": members}),
        ))
    })
    .await
}
