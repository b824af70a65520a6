//! Access tokens while the server runs (issue 16 item 13): the server holds the store, so
//! `vertoog token create|list|revoke` cannot open it; they call these routes instead
//! (`--server URL`, an admin token in `$VERTOOG_TOKEN`). The server checks tokens against the
//! store on every request, so a created token works and a revoked one fails at once.
//! - `GET /tokens` (admin): `{"items": [{"name", "role", "created"}], "total"}`.
//! - `POST /tokens` (admin) `{"name": TEXT, "role": "viewer"|"editor"|"admin"}`: 201
//!   `{"name", "role", "token"}`; the secret is shown only in this answer.
//! - `DELETE /tokens/{name}` (admin): 204.
//!
//! In local mode (no tokens yet) the first token can be made here too; from then on every
//! request needs a token.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use vertoog_store::Role;

use super::blocking;
use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::input::{object, reject_unknown, JsonBody};
use crate::state::AppState;

/// `GET /tokens`.
pub async fn list(State(state): State<AppState>, _: Admin) -> ApiResult<Json<Value>> {
    let store = state.store().clone();
    blocking(move || {
        let tokens = store.list_tokens()?;
        Ok(Json(json!({"total": tokens.len(), "items": tokens})))
    })
    .await
}

/// `POST /tokens`.
pub async fn create(
    State(state): State<AppState>,
    _: Admin,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let obj = object(body)?;
    reject_unknown(&obj, &["name".into(), "role".into()])?;
    let name = match obj.get("name") {
        Some(Value::String(s)) => s.clone(),
        _ => {
            return Err(ApiError::invalid(
                "name",
                "expected the token's name (text)",
            ))
        }
    };
    let role = obj
        .get("role")
        .and_then(Value::as_str)
        .and_then(Role::parse)
        .ok_or_else(|| ApiError::invalid("role", "expected one of viewer, editor, admin"))?;
    let store = state.store().clone();
    blocking(move || {
        let secret = store.create_token(&name, role)?;
        Ok((
            StatusCode::CREATED,
            Json(json!({"name": name, "role": role.as_str(), "token": secret})),
        )
            .into_response())
    })
    .await
}

/// `DELETE /tokens/{name}`.
pub async fn revoke(
    State(state): State<AppState>,
    _: Admin,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    let store = state.store().clone();
    blocking(move || {
        store.revoke_token(&name)?;
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}
