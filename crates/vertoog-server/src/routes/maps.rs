//! `/api/v1/maps` and `/api/v1/maps/{map}`: list, create (editor), get, update (editor),
//! delete (admin).
//!
//! A map's JSON is the model's `Map` (`id`, `name`, `description`, `created`, `updated`,
//! `domains`, `settings`); `GET /maps/{map}` adds `version` (the store's map version) and
//! `counts` (`{"actors", "narratives", "stances", "ties"}`). In a create or update body the
//! read-only keys `created`, `updated`, `version` and `counts` are ignored, so a client may send
//! back what it got; any other unknown key is a 422.

use axum::extract::{Path, RawQuery, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use vertoog_model::{slugify, Map};

use super::blocking;
use crate::auth::{Admin, Editor, Viewer};
use crate::error::{ApiError, ApiResult};
use crate::input::{decode, object, reject_unknown, JsonBody, Params};
use crate::state::AppState;

const WRITABLE: [&str; 5] = ["id", "name", "description", "domains", "settings"];
/// `coalition_names` is written through `PUT .../coalitions/{id}/name` only.
const READ_ONLY: [&str; 5] = ["created", "updated", "version", "counts", "coalition_names"];

fn allowed() -> Vec<String> {
    WRITABLE.iter().map(|s| s.to_string()).collect()
}

/// `GET /maps`: `{"items": [MAP...], "total": N}`, sorted by id.
pub async fn list(
    State(state): State<AppState>,
    _: Viewer,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    let mut params = Params::parse(q.as_deref())?;
    let (limit, offset) = params.page()?;
    params.finish()?;
    let store = state.store().clone();
    let maps = blocking(move || Ok(store.list_maps()?)).await?;
    let total = maps.len();
    let items: Vec<Map> = maps.into_iter().skip(offset).take(limit).collect();
    Ok(Json(json!({"items": items, "total": total})))
}

/// `POST /maps`: creates a map (201). Without `id`, the id is the slug of `name`.
pub async fn create(
    State(state): State<AppState>,
    Editor(p): Editor,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let mut obj = object(body)?;
    for k in READ_ONLY {
        obj.remove(k);
    }
    reject_unknown(&obj, &allowed())?;
    let has_id = obj
        .get("id")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty());
    if !has_id {
        let name = obj.get("name").and_then(Value::as_str).unwrap_or_default();
        if name.trim().is_empty() {
            return Err(ApiError::invalid("id", "give an id or a name"));
        }
        obj.insert("id".into(), Value::String(slugify(name)));
    }
    let map: Map = decode(Value::Object(obj))?;
    let store = state.store().clone();
    let created = blocking(move || Ok(store.create_map(map, &p.name)?)).await?;
    let mut r = (StatusCode::CREATED, Json(&created)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/maps/{}", created.id)) {
        r.headers_mut().insert(LOCATION, v);
    }
    Ok(r)
}

/// `GET /maps/{map}`: the map with `version` and `counts`.
pub async fn get_one(
    State(state): State<AppState>,
    _: Viewer,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let store = state.store().clone();
    blocking(move || {
        let map = store.get_map(&id)?;
        let version = store.map_version(&id)?;
        let counts = json!({
            "actors": store.list_actors(&id, 0, 0)?.1,
            "narratives": store.list_narratives(&id, 0, 0)?.1,
            "stances": store.list_stances(&id, 0, 0)?.1,
            "ties": store.list_ties(&id, 0, 0)?.1,
        });
        let mut v = serde_json::to_value(&map).map_err(|e| ApiError::Internal(e.to_string()))?;
        v["version"] = json!(version);
        v["counts"] = counts;
        Ok(Json(v))
    })
    .await
}

/// `PATCH /maps/{map}`: merges `name`, `description`, `domains` (replaced) and `settings`
/// (merged key by key, as `Settings::with_overrides`) into the map.
pub async fn update(
    State(state): State<AppState>,
    Editor(p): Editor,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Map>> {
    let mut obj = object(body)?;
    for k in READ_ONLY {
        obj.remove(k);
    }
    reject_unknown(&obj, &allowed())?;
    if let Some(given) = obj.get("id") {
        if given.as_str() != Some(id.as_str()) {
            return Err(ApiError::invalid("id", "the id of a map cannot be changed"));
        }
    }
    let store = state.store().clone();
    let updated = blocking(move || {
        let current = store.get_map(&id)?;
        let mut merged =
            serde_json::to_value(&current).map_err(|e| ApiError::Internal(e.to_string()))?;
        for (k, v) in obj {
            if k == "settings" {
                let settings = current
                    .settings
                    .with_overrides(&v)
                    .map_err(|m| ApiError::invalid("settings", m))?;
                merged["settings"] = serde_json::to_value(settings)
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
            } else {
                merged[k] = v;
            }
        }
        let map: Map = decode(merged)?;
        Ok(store.update_map(map, &p.name)?)
    })
    .await?;
    Ok(Json(updated))
}

/// `DELETE /maps/{map}` (admin): deletes the map with everything in it and its log. Not
/// undoable. Answers `{"deleted": ID}`.
pub async fn remove(
    State(state): State<AppState>,
    Admin(p): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let store = state.store().clone();
    blocking(move || {
        store.delete_map(&id, &p.name)?;
        Ok(Json(json!({"deleted": id})))
    })
    .await
}
