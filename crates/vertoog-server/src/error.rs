//! The one error type of the API ([`ApiError`]) and its JSON body (docs/interfaces.md):
//! `{"error": {"code": TEXT, "message": TEXT, "field": TEXT|null}}`, plus `"errors"` (every
//! problem, for validation and imports) or `"candidates"` (near-duplicate names) where they
//! apply.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{json, Value};
use vertoog_formats::{ImportError, ImportErrors};
use vertoog_store::{DuplicateHit, StoreError};

/// A near-duplicate candidate as the API shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Candidate {
    /// Id of the existing entity the new name resembles.
    pub id: String,
    /// Its name (actor) or label (narrative).
    pub name: String,
    /// Similarity in [0, 1] (Jaro-Winkler of normalised names).
    pub score: f64,
    /// The new entity whose name resembles it.
    pub incoming_id: String,
    pub incoming_name: String,
    /// `actor` or `narrative`.
    pub kind: String,
}

/// Everything a request can fail with. Each variant knows its HTTP status and error code.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: a malformed request (bad query parameter, malformed JSON, too deeply nested JSON).
    #[error("{message}")]
    BadRequest {
        code: &'static str,
        message: String,
        field: Option<String>,
    },
    /// 401: no valid token.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: the token's role may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// 404: unknown map, entity or route.
    #[error("{0}")]
    NotFound(String),
    /// 409: the id is taken, or the operation does not fit the current state.
    #[error("{0}")]
    Conflict(String),
    /// 409: new names resemble existing ones (repeat with `"force": true` to keep both).
    #[error("{message}")]
    NearDuplicates {
        message: String,
        candidates: Vec<Candidate>,
    },
    /// 412: `If-Match` does not match the entity's current ETag.
    #[error("{0}")]
    PreconditionFailed(String),
    /// 413: the body is larger than the limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 415: a body that is not JSON where JSON is expected.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 422: field errors (all of them); `field` of the body is the first one's.
    #[error("{}", .0.first().map(|e| e.message.clone()).unwrap_or_default())]
    Invalid(Vec<FieldProblem>),
    /// 422: problems of an import, each with file, line and field.
    #[error("{0}")]
    Import(ImportErrors),
    /// 501: the server cannot do this here (Graphviz missing for SVG).
    #[error("{0}")]
    NotImplemented(String),
    /// 503: the store refuses reads and writes after a failed flush (issue 16): restart.
    #[error("{0}")]
    Unavailable(String),
    /// 503 with `Retry-After`: too many analyses or Graphviz renders run at once.
    #[error("{0}")]
    Busy(String),
    /// 500: a failure inside the server or the store. The message is logged; the client sees
    /// it too (it never holds secrets: tokens are not part of any store error).
    #[error("{0}")]
    Internal(String),
}

/// One field problem of a 422 answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
    /// Entity kind and id when the problem is about a stored entity (store validation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl FieldProblem {
    /// A problem with `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldProblem {
            field: field.into(),
            message: message.into(),
            kind: None,
            id: None,
        }
    }
}

impl ApiError {
    /// 400 naming a query parameter or body field.
    pub fn bad_param(field: &str, message: impl Into<String>) -> Self {
        ApiError::BadRequest {
            code: "bad_request",
            message: message.into(),
            field: Some(field.to_string()),
        }
    }

    /// 422 with one field problem.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        ApiError::Invalid(vec![FieldProblem::new(field, message)])
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) | ApiError::NearDuplicates { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Invalid(_) | ApiError::Import(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::NotImplemented(_) => StatusCode::NOT_IMPLEMENTED,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. } => code,
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict(_) => "conflict",
            ApiError::NearDuplicates { .. } => "near_duplicate",
            ApiError::PreconditionFailed(_) => "precondition_failed",
            ApiError::PayloadTooLarge(_) => "payload_too_large",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
            ApiError::Invalid(_) => "invalid",
            ApiError::Import(_) => "invalid_import",
            ApiError::NotImplemented(_) => "not_implemented",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Busy(_) => "busy",
            ApiError::Internal(_) => "internal",
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            ApiError::BadRequest { field, .. } => field.clone(),
            ApiError::Invalid(p) => p.first().map(|p| p.field.clone()),
            ApiError::Import(e) => e.iter().find_map(|e| e.field.clone()),
            _ => None,
        }
    }

    fn message(&self) -> String {
        match self {
            ApiError::Invalid(p) if p.len() > 1 => format!(
                "{} problems found, nothing was stored; the first: {}: {}",
                p.len(),
                p[0].field,
                p[0].message
            ),
            ApiError::Invalid(p) => p
                .first()
                .map(|p| format!("{}: {}", p.field, p.message))
                .unwrap_or_else(|| "invalid input".into()),
            ApiError::Import(e) => format!(
                "the import has {} problem{}, nothing was stored",
                e.len(),
                if e.len() == 1 { "" } else { "s" }
            ),
            other => other.to_string(),
        }
    }

    /// The JSON body of the error.
    pub fn body(&self) -> Value {
        let mut body = json!({
            "error": {"code": self.code(), "message": self.message(), "field": self.field()}
        });
        match self {
            ApiError::Invalid(p) => body["errors"] = json!(p),
            ApiError::Import(e) => {
                body["errors"] = json!(import_errors_json(e));
                if e.more() > 0 {
                    // Only the first 1,000 are listed; the rest are counted.
                    body["more_errors"] = json!(e.more());
                }
            }
            ApiError::NearDuplicates { candidates, .. } => body["candidates"] = json!(candidates),
            _ => {}
        }
        body
    }
}

/// `[{"file", "line", "field", "message"}]` of an import's errors.
fn import_errors_json(e: &ImportErrors) -> Vec<Value> {
    e.iter()
        .map(|e: &ImportError| {
            json!({"file": e.file, "line": e.line, "field": e.field, "message": e.message})
        })
        .collect()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let ApiError::Busy(_) = self {
            let mut r = (status, axum::Json(self.body())).into_response();
            r.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static(crate::graphviz::RETRY_AFTER_SECS),
            );
            return r;
        }
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        (status, axum::Json(self.body())).into_response()
    }
}

/// The candidates of near-duplicate hits.
pub fn candidates(hits: &[DuplicateHit]) -> Vec<Candidate> {
    hits.iter()
        .map(|h| Candidate {
            id: h.candidate.id.clone(),
            name: h.candidate.name.clone(),
            score: h.candidate.score,
            incoming_id: h.incoming_id.clone(),
            incoming_name: h.incoming_name.clone(),
            kind: h.kind.as_str().to_string(),
        })
        .collect()
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. } | StoreError::TokenNotFound(_) => {
                ApiError::NotFound(e.to_string())
            }
            StoreError::Conflict(m) => ApiError::Conflict(m),
            StoreError::PreconditionFailed(m) => ApiError::PreconditionFailed(m),
            StoreError::Invalid(errors) => ApiError::Invalid(
                errors
                    .into_iter()
                    .map(|b| FieldProblem {
                        field: b.field,
                        message: b.message,
                        kind: Some(b.kind.as_str().to_string()),
                        id: (!b.id.is_empty()).then_some(b.id),
                    })
                    .collect(),
            ),
            StoreError::InvalidField { field, message } => ApiError::invalid(&field, message),
            StoreError::NearDuplicates(ref hits) => ApiError::NearDuplicates {
                candidates: candidates(hits),
                message: format!(
                    "{}; to keep both, repeat the request with \"force\": true (an import: \
                     with ?on_duplicate=keep, or ?on_duplicate=merge to merge them)",
                    e.to_string()
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .trim_end_matches(':')
                ),
            },
            StoreError::Poisoned(m) => ApiError::Unavailable(m),
            e @ StoreError::DiskFull { .. } => ApiError::Unavailable(e.to_string()),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(e: tokio::task::JoinError) -> Self {
        ApiError::Internal(format!("a background task failed: {e}"))
    }
}

/// `Result` with [`ApiError`].
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_names_the_first_field() {
        let e = ApiError::Invalid(vec![
            FieldProblem::new("name", "must not be blank"),
            FieldProblem::new("influence", "1.5 is outside 0..1"),
        ]);
        assert_eq!(e.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let b = e.body();
        assert_eq!(b["error"]["code"], "invalid");
        assert_eq!(b["error"]["field"], "name");
        assert_eq!(b["errors"].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn not_found_has_null_field() {
        let b = ApiError::NotFound("map `x` does not exist".into()).body();
        assert_eq!(b["error"]["code"], "not_found");
        assert!(b["error"]["field"].is_null());
        assert_eq!(b["error"]["message"], "map `x` does not exist");
    }

    #[test]
    fn import_errors_list_file_line_field() {
        let e = ApiError::Import(ImportErrors::all(vec![ImportError::new(
            "stances.csv",
            Some(3),
            Some("position"),
            "7 is outside -2..2",
        )]));
        let b = e.body();
        assert_eq!(b["error"]["field"], "position");
        assert_eq!(b["errors"][0]["file"], "stances.csv");
        assert_eq!(b["errors"][0]["line"], 3);
        assert!(b.get("more_errors").is_none());
    }

    #[test]
    fn capped_import_errors_count_the_rest() {
        let csv = "actor,narrative,position\n".to_string() + &"a,n,9\n".repeat(5000);
        let files = vec![("stances.csv".to_string(), csv.into_bytes())];
        let e = vertoog_formats::read_csv_files(&files, &vertoog_model::Map::new("m"), None)
            .unwrap_err();
        let b = ApiError::Import(e).body();
        assert_eq!(b["errors"].as_array().unwrap().len(), 1000);
        assert_eq!(b["more_errors"], 4000);
        assert_eq!(
            b["error"]["message"],
            "the import has 5000 problems, nothing was stored"
        );
    }
}
