//! `GET /api/v1/backup` (admin): a consistent snapshot of the whole store, as
//! `vertoog backup` writes it, so a backup can be taken while the server holds the store
//! (issue 9). The snapshot is taken under the store's read lock (`Store::export_all`), so it
//! never holds half a write.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

use super::blocking;
use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// `GET /backup`: the snapshot JSON (`{"format": "vertoog-backup", ...}`) of every map with
/// its log and every token hash. Role: admin (it holds every map and the token hashes).
pub async fn backup(State(state): State<AppState>, _: Admin) -> ApiResult<Response> {
    let store = state.store().clone();
    let body = blocking(move || {
        let snapshot = store.export_all()?;
        serde_json::to_vec(&snapshot).map_err(|e| ApiError::Internal(e.to_string()))
    })
    .await?;
    Ok(([(CONTENT_TYPE, "application/json")], body).into_response())
}
