//! `GET /maps/{map}/brief?format=pdf|docx|html&lang=nl|en&actor=ID&since=DATE&budget=N&from=&to=`
//! (briefs.md): the coalition brief, or the actor brief with `actor`, as a download.

use axum::extract::{Path, RawQuery, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use vertoog_brief::{build, file_name, render, BriefError, Format, Options};
use vertoog_model::parse_date;

use super::analysis::{lang, window};
use super::blocking;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::input::Params;
use crate::state::AppState;

/// `GET /maps/{map}/brief`.
pub async fn brief(
    State(state): State<AppState>,
    _: Viewer,
    Path(map): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let mut params = Params::parse(q.as_deref())?;
    let format = params
        .take_with("format", |v| {
            Format::parse(v).ok_or_else(|| format!("`{v}` is not one of pdf, docx, html"))
        })?
        .unwrap_or(Format::Pdf);
    let l = lang(&mut params, &headers)?;
    let actor = params.take("actor");
    let since = params.take_with("since", parse_date)?;
    let budget = params
        .take_with("budget", |v| match v.parse::<u32>() {
            Ok(b) if (1..=100).contains(&b) => Ok(b),
            _ => Err(format!("`{v}` is not a whole number from 1 to 100")),
        })?
        .unwrap_or(vertoog_analysis::plans::DEFAULT_BUDGET);
    let window = window(&mut params)?;
    params.finish()?;
    // A brief runs the analysis and renders a document: it takes a permit of the heavy-work
    // bound (503 `busy` when full), held until the render ends.
    let permit = crate::graphviz::heavy_permit(&state, "the brief")?;
    let store = state.store().clone();
    let out = blocking(move || {
        let bundle = store.load(&map)?;
        let mut opts = Options::new(l, chrono::Utc::now().date_naive());
        opts.since = since;
        opts.budget = budget;
        opts.actor = actor.clone();
        opts.window = window;
        let brief = build(&bundle, &bundle.map.settings, &opts).map_err(|e| match e {
            BriefError::UnknownActor(_) => ApiError::NotFound(e.to_string()),
        })?;
        let bytes = render(&brief, format).map_err(|e| ApiError::Internal(e.to_string()))?;
        let name = file_name(&map, actor.as_deref(), l, format);
        let mut r = (
            [(
                CONTENT_TYPE,
                HeaderValue::from_static(format.content_type()),
            )],
            bytes,
        )
            .into_response();
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            r.headers_mut().insert(CONTENT_DISPOSITION, v);
        }
        Ok(r)
    })
    .await;
    drop(permit);
    out
}
