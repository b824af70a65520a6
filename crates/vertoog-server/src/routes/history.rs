//! Imports, merges, the change log, undo and erasure:
//! - `POST /maps/{map}/import` (editor): a JSON bundle (`Content-Type: application/json`) or
//!   CSV files as `multipart/form-data` (each part's file name, or else its field name, says
//!   which entity it holds: `actors.csv`, `2024-stances.csv`, ...). `?on_duplicate=stop|keep|
//!   merge` (default stop) and `?create=true` (create the map when it does not exist; a JSON
//!   bundle then also gives the map's name, description, domains and settings). Atomic; 200
//!   with the store's import report. Problems: 422 with every one of them, each with `file`,
//!   `line` (CSV) and `field` (CSV column or JSON path); near-duplicates 409 with candidates.
//! - `POST /maps/{map}/merge` (editor) `{"keep": ID, "other": ID}`: the store's merge report.
//! - `GET /maps/{map}/log`: `{"items": [ENTRY...], "total"}`, oldest first (`?order=desc` for
//!   newest first), with `limit` and `offset`.
//! - `POST /maps/{map}/undo` (editor) `{"to": SEQ|null}` or no body: reverts the last write,
//!   or every write after SEQ (docs/interfaces.md §1.1).
//! - `POST /maps/{map}/erase` (admin) `{"actor": ID}`: erases a person completely, its
//!   change-log data included (docs/interfaces.md §9, personal data).

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, RawQuery, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use vertoog_app::{import_target, store_import, ImportFailure, TargetError};
use vertoog_formats::{ImportError, ImportErrors, Parsed};
use vertoog_store::{ImportOptions, ImportReport, OnDuplicate, StoreError};

use super::blocking;
use crate::auth::{Admin, Editor, Viewer};
use crate::error::{ApiError, ApiResult};
use crate::input::{
    body_rejection, decode, json_depth, object, reject_unknown, JsonBody, Params, MAX_JSON_DEPTH,
};
use crate::state::AppState;

/// The uploaded content of an import.
enum Upload {
    Json(String),
    Csv(Vec<(String, Vec<u8>)>),
}

async fn read_upload(req: Request) -> ApiResult<Upload> {
    let ct = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ct.starts_with("multipart/form-data") {
        // An HTML form on another site can post multipart/form-data; it cannot set this
        // header (issue 16 item 8). The web UI sends it with every request.
        if req
            .headers()
            .get(crate::guard::REQUEST_HEADER)
            .is_none_or(|v| v.as_bytes() != b"1")
        {
            return Err(ApiError::Forbidden(format!(
                "a multipart import needs the header `{}: 1` (a protection against \
                 cross-site forms; the web UI sends it)",
                crate::guard::REQUEST_HEADER
            )));
        }
        let mut mp = Multipart::from_request(req, &())
            .await
            .map_err(|e| ApiError::bad_param("body", e.body_text()))?;
        let mut files = Vec::new();
        loop {
            let field = match mp.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) => return Err(multipart_error(e)),
            };
            let name = field
                .file_name()
                .or(field.name())
                .unwrap_or_default()
                .to_string();
            let bytes = field.bytes().await.map_err(multipart_error)?;
            files.push((name, bytes.to_vec()));
        }
        if files.is_empty() {
            return Err(ApiError::invalid("body", "the upload holds no file"));
        }
        Ok(Upload::Csv(files))
    } else if crate::input::is_json_media_type(&ct) {
        let bytes = Bytes::from_request(req, &())
            .await
            .map_err(body_rejection)?;
        let depth = json_depth(&bytes);
        if depth > MAX_JSON_DEPTH {
            return Err(ApiError::BadRequest {
                code: "too_deep",
                message: format!(
                    "the JSON body nests {depth} levels deep; at most {MAX_JSON_DEPTH} are allowed"
                ),
                field: None,
            });
        }
        match String::from_utf8(bytes.to_vec()) {
            Ok(text) => Ok(Upload::Json(text)),
            Err(_) => Err(ApiError::Import(ImportErrors::all(vec![ImportError::new(
                "body.json",
                None,
                None,
                "invalid UTF-8; send the bundle as UTF-8",
            )]))),
        }
    } else {
        Err(ApiError::UnsupportedMediaType(format!(
            "an import is a JSON bundle (application/json) or CSV files (multipart/form-data), \
             not `{ct}`"
        )))
    }
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    // A chunked body over the limit fails while the parts are read; the limit's error sits
    // in the source chain (issue 16 item 13: this was a 400).
    let mut over_limit = false;
    let mut source: Option<&dyn std::error::Error> = Some(&e);
    while let Some(err) = source {
        if err.to_string().contains("length limit exceeded") {
            over_limit = true;
        }
        source = err.source();
    }
    if over_limit {
        return ApiError::PayloadTooLarge(format!(
            "the request body is larger than {} MiB",
            crate::BODY_LIMIT / (1024 * 1024)
        ));
    }
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge(e.body_text())
    } else {
        ApiError::bad_param("body", e.body_text())
    }
}

/// `POST /maps/{map}/import`.
pub async fn import(
    State(state): State<AppState>,
    Editor(p): Editor,
    Path(map_id): Path<String>,
    RawQuery(q): RawQuery,
    req: Request,
) -> ApiResult<Json<ImportReport>> {
    let mut params = Params::parse(q.as_deref())?;
    let on_duplicate = params
        .take_with("on_duplicate", |v| {
            OnDuplicate::parse(v).ok_or_else(|| format!("`{v}` is not one of stop, keep, merge"))
        })?
        .unwrap_or_default();
    let create = params
        .take_with("create", |v| match v {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(format!("`{v}` is not true or false")),
        })?
        .unwrap_or(false);
    params.finish()?;
    let upload = read_upload(req).await?;
    let store = state.store().clone();
    // Set when this request ends before the import was written (timeout, client gone): the
    // blocking work then stops before it writes anything, so a 408 never hides a write that
    // lands later. (A write already under way when the timeout fires completes; its log
    // entry shows it.)
    let cancelled = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    struct CancelOnDrop(std::sync::Arc<std::sync::atomic::AtomicBool>, bool);
    impl Drop for CancelOnDrop {
        fn drop(&mut self) {
            if !self.1 {
                self.0.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        }
    }
    let mut guard = CancelOnDrop(cancelled.clone(), false);
    let is_cancelled = move || cancelled.load(std::sync::atomic::Ordering::SeqCst);
    let report = blocking(move || {
        if is_cancelled() {
            return Err(ApiError::Conflict("the request was cancelled".into()));
        }
        let target = import_target(&store, &map_id, create).map_err(|e| match e {
            TargetError::Missing(_) => ApiError::NotFound(format!(
                "map `{map_id}` does not exist; add ?create=true to create it"
            )),
            TargetError::BadId(m) => ApiError::invalid("map", m),
            TargetError::Store(e) => e.into(),
        })?;
        let parsed: Parsed = match &upload {
            Upload::Json(text) => vertoog_formats::read_json_text("body.json", text, &map_id),
            Upload::Csv(files) => {
                // On field errors, references are checked against the stored map too, so
                // field and reference errors come in one report.
                let mut stored = || target.stored(&store);
                vertoog_formats::read_csv_files_checked(
                    files,
                    target.map(),
                    None,
                    Some(&mut stored),
                )
            }
        }
        .map_err(ApiError::Import)?;
        let opts = ImportOptions {
            on_duplicate,
            apply_map_fields: false,
        };
        if is_cancelled() {
            return Err(ApiError::Conflict("the request was cancelled".into()));
        }
        store_import(&store, &target, parsed, opts, &p.name).map_err(|f| match f {
            ImportFailure::Problems(errors) => ApiError::Import(errors),
            ImportFailure::NearDuplicates(hits) => {
                StoreError::NearDuplicates(hits.into_iter().map(|(h, _)| h).collect()).into()
            }
            ImportFailure::Store(e) => e.into(),
        })
    })
    .await;
    guard.1 = true;
    Ok(Json(report?))
}

#[derive(Deserialize)]
struct MergeBody {
    keep: String,
    other: String,
}

/// `POST /maps/{map}/merge`.
pub async fn merge(
    State(state): State<AppState>,
    Editor(p): Editor,
    Path(map): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Value>> {
    let obj = object(body)?;
    reject_unknown(&obj, &["keep".into(), "other".into()])?;
    let b: MergeBody = decode(Value::Object(obj))?;
    let store = state.store().clone();
    blocking(move || {
        let report = store.merge_actors(&map, &b.keep, &b.other, &p.name)?;
        Ok(Json(json!(report)))
    })
    .await
}

/// `GET /maps/{map}/log`.
pub async fn log(
    State(state): State<AppState>,
    _: Viewer,
    Path(map): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    let mut params = Params::parse(q.as_deref())?;
    let (limit, offset) = params.page()?;
    let desc = params
        .take_with("order", |v| match v {
            "asc" => Ok(false),
            "desc" => Ok(true),
            _ => Err(format!("`{v}` is not asc or desc")),
        })?
        .unwrap_or(false);
    params.finish()?;
    let store = state.store().clone();
    blocking(move || {
        let mut entries = store.log(&map)?;
        if desc {
            entries.reverse();
        }
        let total = entries.len();
        let items: Vec<_> = entries.into_iter().skip(offset).take(limit).collect();
        Ok(Json(json!({"items": items, "total": total})))
    })
    .await
}

/// `POST /maps/{map}/undo`.
pub async fn undo(
    State(state): State<AppState>,
    Editor(p): Editor,
    Path(map): Path<String>,
    headers: axum::http::HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Json<Value>> {
    let body = body.map_err(body_rejection)?;
    let to: Option<u64> = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        crate::input::require_json(&headers)?;
        let obj = object(crate::input::parse_json_bytes(&body)?)?;
        reject_unknown(&obj, &["to".into()])?;
        match obj.get("to") {
            None | Some(Value::Null) => None,
            Some(v) => Some(v.as_u64().ok_or_else(|| {
                ApiError::invalid(
                    "to",
                    "expected the seq of a log entry (a whole number) or null",
                )
            })?),
        }
    };
    let store = state.store().clone();
    blocking(move || {
        let report = store.undo(&map, to, &p.name)?;
        Ok(Json(json!(report)))
    })
    .await
}

/// `POST /maps/{map}/erase` (admin).
pub async fn erase(
    State(state): State<AppState>,
    Admin(p): Admin,
    Path(map): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Value>> {
    let obj = object(body)?;
    reject_unknown(&obj, &["actor".into()])?;
    let actor = match obj.get("actor").and_then(Value::as_str) {
        Some(a) => a.to_string(),
        None => {
            return Err(ApiError::invalid(
                "actor",
                "give the id of the actor to erase",
            ))
        }
    };
    let store = state.store().clone();
    blocking(move || {
        let report = store.erase_actor(&map, &actor, &p.name)?;
        Ok(Json(json!(report)))
    })
    .await
}
