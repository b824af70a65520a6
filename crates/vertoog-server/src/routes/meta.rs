//! `GET /api/v1/health`, `GET /api/v1/session`, `GET /api/v1/openapi.json`, and the JSON 404
//! of unknown API routes.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The OpenAPI 3.0 document of this API (`src/openapi.json`, compiled in; a test checks that
/// it lists exactly the routes of the router).
pub const OPENAPI: &str = include_str!("../openapi.json");

/// `{"status": "ok", "version": VERSION, "mode": "local" | "tokens"}`. Needs no token, so
/// that the UI can tell whether to ask for one.
/// After a failed flush (the store is poisoned): 503 with `"status": "unhealthy"` and the
/// reason, until the server is restarted and reopens the store.
pub async fn health(State(state): State<AppState>) -> ApiResult<Response> {
    if let Some(why) = state.store().poisoned() {
        let body = json!({
            "status": "unhealthy",
            "version": env!("CARGO_PKG_VERSION"),
            "message": why,
        });
        return Ok((StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response());
    }
    let mode = state.mode()?;
    Ok(Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "mode": mode.as_str(),
    }))
    .into_response())
}

/// `{"name": PRINCIPAL, "role": "viewer" | "editor" | "admin", "can_edit": bool,
/// "can_administer": bool}`: who the request's token is and what it may do, so that the UI
/// shows a viewer no controls whose writes the server would refuse. Local mode answers
/// `local`, `admin`.
pub async fn session(Viewer(p): Viewer) -> Json<serde_json::Value> {
    Json(json!({
        "name": p.name,
        "role": p.role,
        "can_edit": p.role.allows(vertoog_store::Role::Editor),
        "can_administer": p.role.allows(vertoog_store::Role::Admin),
    }))
}

/// Every route but health and openapi.json answers 503 once the store is poisoned by a
/// failed flush: what sled holds in memory may include a write that never reached the disk,
/// so neither reads nor writes are served (nor the analysis cache) until a restart.
pub async fn refuse_when_poisoned(
    State(state): State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match state.store().poisoned() {
        Some(why) => ApiError::Unavailable(why).into_response(),
        None => next.run(req).await,
    }
}

/// The OpenAPI document.
pub async fn openapi() -> Response {
    ([(CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// 404 for a path under `/api/v1` that no route matches.
pub async fn no_route(uri: Uri) -> ApiError {
    ApiError::NotFound(format!("no API route `{}`", uri.path()))
}
