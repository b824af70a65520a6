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
//! All three take the analysis' query parameters (`from`, `to`, `lang` and the settings
//! overrides) and work on the cached analysis of those.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use serde_json::{json, Value};
use vertoog_analysis::{best_plan, simulate_plan, Context};

use super::analysis::{computed, json_bytes, lang, overrides, window};
use super::blocking;
use crate::auth::{Editor, Viewer};
use crate::error::{ApiError, ApiResult};
use crate::input::{object, reject_unknown, JsonBody, Params};
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
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let mut params = Params::parse(q.as_deref())?;
    let window = window(&mut params)?;
    let over = overrides(&mut params)?;
    let lang = lang(&mut params, &headers)?;
    params.finish()?;
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
    let c = computed(&state, map, window, over, lang).await?;
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
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let mut params = Params::parse(q.as_deref())?;
    let budget = params
        .take_with("budget", |v| match v.parse::<u32>() {
            Ok(b) if b <= MAX_BUDGET => Ok(b),
            _ => Err(format!("`{v}` is not a whole number 0..={MAX_BUDGET}")),
        })?
        .unwrap_or(vertoog_analysis::plans::DEFAULT_BUDGET);
    let window = window(&mut params)?;
    let over = overrides(&mut params)?;
    let lang = lang(&mut params, &headers)?;
    params.finish()?;
    let c = computed(&state, map, window, over, lang).await?;
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

/// `PUT /maps/{map}/coalitions/{id}/name`.
pub async fn name(
    State(state): State<AppState>,
    Editor(p): Editor,
    Path((map, id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Value>> {
    let mut params = Params::parse(q.as_deref())?;
    let window = window(&mut params)?;
    let over = overrides(&mut params)?;
    let lang = lang(&mut params, &headers)?;
    params.finish()?;
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
    let c = computed(&state, map.clone(), window, over, lang).await?;
    let store = state.store().clone();
    blocking(move || {
        let _g = state.write_shared();
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
