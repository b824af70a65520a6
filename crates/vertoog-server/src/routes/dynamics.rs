//! Coalition dynamics (dynamics.md "Interfaces"):
//! - `GET /maps/{map}/dynamics?period=month|quarter|year&window=N|all`: the body of
//!   `vertoog dynamics --json`;
//! - `GET /maps/{map}/diff?from=DATE&to=DATE`: the body of `vertoog diff --json`.
//!
//! Both take the settings overrides of the analysis route and are computed per request from
//! the cached map (not cached themselves).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use vertoog_analysis::dynamics::{diff as diff_of_dates, dynamics as dynamics_of, WindowLength};
use vertoog_analysis::Window;
use vertoog_model::parse_date;

use super::analysis::{computed, json_bytes, lang, overrides, period};
use super::blocking;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::input::Params;
use crate::state::AppState;

/// `GET /maps/{map}/dynamics`.
pub async fn dynamics(
    State(state): State<AppState>,
    _: Viewer,
    Path(map): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let mut params = Params::parse(q.as_deref())?;
    let period = period(&mut params)?;
    let len = params
        .take_with("window", |v| {
            WindowLength::parse(v)
                .ok_or_else(|| format!("`{v}` is not a positive number of periods or `all`"))
        })?
        .unwrap_or(WindowLength::default_for(period));
    let over = overrides(&mut params)?;
    params.finish()?;
    let c = computed(
        &state,
        map,
        Window::default(),
        over,
        vertoog_analysis::Lang::En,
        true,
    )
    .await?;
    let bytes = blocking(move || {
        let d = dynamics_of(&c.bundle, &c.settings, period, len);
        Ok(Bytes::from(serde_json::to_vec(&d).unwrap_or_default()))
    })
    .await?;
    Ok(json_bytes(bytes))
}

/// `GET /maps/{map}/diff`: `from` and `to` are required; `from` after `to` is a 400.
pub async fn diff(
    State(state): State<AppState>,
    _: Viewer,
    Path(map): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let mut params = Params::parse(q.as_deref())?;
    let from = params
        .take_with("from", parse_date)?
        .ok_or_else(|| ApiError::bad_param("from", "required (YYYY-MM-DD)"))?;
    let to = params
        .take_with("to", parse_date)?
        .ok_or_else(|| ApiError::bad_param("to", "required (YYYY-MM-DD)"))?;
    if from > to {
        return Err(ApiError::bad_param(
            "from",
            format!("{from} is after `to` ({to})"),
        ));
    }
    let over = overrides(&mut params)?;
    let l = lang(&mut params, &headers)?;
    params.finish()?;
    let c = computed(&state, map, Window::default(), over, l, true).await?;
    let bytes = blocking(move || {
        let d = diff_of_dates(&c.bundle, &c.settings, from, to, l);
        Ok(Bytes::from(serde_json::to_vec(&d).unwrap_or_default()))
    })
    .await?;
    Ok(json_bytes(bytes))
}
