//! `GET /api/v1/health`, `GET /api/v1/openapi.json`, and the JSON 404 of unknown API routes.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The OpenAPI 3.0 document of this API (`src/openapi.json`, compiled in; a test checks that
/// it lists exactly the routes of the router).
pub const OPENAPI: &str = include_str!("../openapi.json");

/// `{"status": "ok", "version": VERSION, "mode": "local" | "tokens"}`. Needs no token, so
/// that the UI can tell whether to ask for one.
pub async fn health(State(state): State<AppState>) -> ApiResult<Json<serde_json::Value>> {
    let mode = state.mode()?;
    Ok(Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "mode": mode.as_str(),
    })))
}

/// The OpenAPI document.
pub async fn openapi() -> Response {
    ([(CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// 404 for a path under `/api/v1` that no route matches.
pub async fn no_route(uri: Uri) -> ApiError {
    ApiError::NotFound(format!("no API route `{}`", uri.path()))
}
