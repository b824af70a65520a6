//! Decoding requests safely (docs/interfaces.md §9, security and reliability): JSON bodies with a size
//! limit (413), a nesting-depth limit checked by a byte scan before any parsing (400),
//! typed decoding whose errors name the field (422), rejection of unknown fields, and query
//! parameters that are checked one by one (400 naming the parameter).

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;
use serde_json::{Map as JsonMap, Value};

use crate::error::{ApiError, ApiResult, FieldProblem};

/// Deepest nesting of arrays and objects a JSON body may have.
pub const MAX_JSON_DEPTH: usize = 64;

/// The request body size limit (16 MiB); larger bodies get 413.
pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Default page size of list routes.
pub const DEFAULT_LIMIT: usize = 1_000;
/// Largest page size of list routes.
pub const MAX_LIMIT: usize = 100_000;

/// The deepest nesting of `[` and `{` in `bytes` (brackets inside strings do not count).
/// A linear scan that allocates nothing, so a hostile body is rejected before serde sees it.
pub fn json_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for &b in bytes {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Parses a JSON body: depth-checked (400 `too_deep`), then parsed (400 `malformed_json`
/// with line and column).
pub fn parse_json_bytes(bytes: &[u8]) -> ApiResult<Value> {
    let depth = json_depth(bytes);
    if depth > MAX_JSON_DEPTH {
        return Err(ApiError::BadRequest {
            code: "too_deep",
            message: format!(
                "the JSON body nests {depth} levels deep; at most {MAX_JSON_DEPTH} are allowed"
            ),
            field: None,
        });
    }
    serde_json::from_slice(bytes).map_err(|e| ApiError::BadRequest {
        code: "malformed_json",
        message: format!("the body is not valid JSON: {e}"),
        field: None,
    })
}

/// Maps the rejection of reading a body to 413 (too large) or 400.
pub fn body_rejection(e: axum::extract::rejection::BytesRejection) -> ApiError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge(format!(
            "the request body is larger than {} MiB",
            BODY_LIMIT / (1024 * 1024)
        ))
    } else {
        ApiError::BadRequest {
            code: "bad_body",
            message: format!("the request body could not be read: {}", e.body_text()),
            field: None,
        }
    }
}

/// Whether a `Content-Type` value is exactly `application/json`, optionally with a
/// `charset` parameter (issue 16 item 8: `text/plain; x=+json` or no content type at all are
/// what a cross-site form or a "simple" cross-site request sends).
pub fn is_json_media_type(ct: &str) -> bool {
    let mut parts = ct.split(';');
    let media = parts.next().unwrap_or_default().trim();
    media.eq_ignore_ascii_case("application/json")
        && parts.all(|p| {
            let p = p.trim();
            p.is_empty()
                || p.split_once('=')
                    .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
        })
}

/// 415 unless the request's `Content-Type` is `application/json` ([`is_json_media_type`]).
pub fn require_json(headers: &axum::http::HeaderMap) -> ApiResult<()> {
    match headers.get(CONTENT_TYPE) {
        Some(v) if v.to_str().is_ok_and(is_json_media_type) => Ok(()),
        Some(v) => Err(ApiError::UnsupportedMediaType(format!(
            "expected a JSON body with `Content-Type: application/json`, got `{}`",
            v.to_str().unwrap_or("?")
        ))),
        None => Err(ApiError::UnsupportedMediaType(
            "the request has a body but no Content-Type; send `Content-Type: \
             application/json`"
                .into(),
        )),
    }
}

/// A JSON body as a [`Value`], read under the limits above. A `Content-Type` other than
/// exactly `application/json` (a `charset` parameter allowed), or none, gives 415.
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        require_json(req.headers())?;
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(body_rejection)?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::BadRequest {
                code: "malformed_json",
                message: "the request needs a JSON body".into(),
                field: None,
            });
        }
        parse_json_bytes(&bytes).map(JsonBody)
    }
}

/// The body as a JSON object, or 422 naming the body.
pub fn object(v: Value) -> ApiResult<JsonMap<String, Value>> {
    match v {
        Value::Object(m) => Ok(m),
        other => Err(ApiError::invalid(
            "body",
            format!("expected a JSON object, got {}", kind_of(&other)),
        )),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Rejects keys of `obj` that are not in `allowed` (a typo must not silently drop data),
/// naming every unknown field.
pub fn reject_unknown(obj: &JsonMap<String, Value>, allowed: &[String]) -> ApiResult<()> {
    let problems: Vec<FieldProblem> = obj
        .keys()
        .filter(|k| !allowed.iter().any(|a| a == *k))
        .map(|k| {
            FieldProblem::new(
                k.as_str(),
                format!("unknown field; the fields are {}", allowed.join(", ")),
            )
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Invalid(problems))
    }
}

/// Decodes `v` into `T`; an error is a 422 that names the field (its JSON path).
pub fn decode<T: DeserializeOwned>(v: Value) -> ApiResult<T> {
    serde_path_to_error::deserialize::<_, T>(v).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        // A missing field is reported at the parent; name the field itself.
        let field = match inner.strip_prefix("missing field `") {
            Some(rest) => {
                let name = rest.split('`').next().unwrap_or_default();
                if path == "." {
                    name.to_string()
                } else {
                    format!("{path}.{name}")
                }
            }
            None if path == "." => "body".to_string(),
            None => path,
        };
        ApiError::invalid(&field, inner)
    })
}

/// Takes `"force"` out of a create body: absent = false; not a boolean = 422.
pub fn take_force(obj: &mut JsonMap<String, Value>) -> ApiResult<bool> {
    match obj.remove("force") {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(b),
        Some(other) => Err(ApiError::invalid(
            "force",
            format!("expected true or false, got {}", kind_of(&other)),
        )),
    }
}

/// Query parameters, taken one by one; [`Params::finish`] rejects the ones no route reads.
#[derive(Debug, Default)]
pub struct Params(BTreeMap<String, String>);

impl Params {
    /// From the raw query string (`a=1&b=x%20y`); a repeated parameter is a 400.
    pub fn parse(query: Option<&str>) -> ApiResult<Params> {
        let mut map = BTreeMap::new();
        let pairs: Vec<(String, String)> = match query {
            None | Some("") => Vec::new(),
            Some(q) => serde_urlencoded_pairs(q)?,
        };
        for (k, v) in pairs {
            if map.insert(k.clone(), v).is_some() {
                return Err(ApiError::bad_param(&k, format!("`{k}` is given twice")));
            }
        }
        Ok(Params(map))
    }

    /// The value of `name`, if given (an empty value counts as absent).
    pub fn take(&mut self, name: &str) -> Option<String> {
        self.0.remove(name).filter(|v| !v.is_empty())
    }

    /// `name` parsed with `parse`, whose error message is wrapped in a 400 naming `name`.
    pub fn take_with<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> ApiResult<Option<T>> {
        match self.take(name) {
            None => Ok(None),
            Some(v) => parse(&v)
                .map(Some)
                .map_err(|m| ApiError::bad_param(name, m)),
        }
    }

    /// `limit` (default 1,000, at most 100,000) and `offset` (default 0).
    pub fn page(&mut self) -> ApiResult<(usize, usize)> {
        let limit = self
            .take_with("limit", |v| {
                let n: usize = v
                    .parse()
                    .map_err(|_| format!("`{v}` is not a whole number >= 0"))?;
                if n > MAX_LIMIT {
                    Err(format!("{n} is above the largest page size, {MAX_LIMIT}"))
                } else {
                    Ok(n)
                }
            })?
            .unwrap_or(DEFAULT_LIMIT);
        let offset = self
            .take_with("offset", |v| {
                v.parse::<usize>()
                    .map_err(|_| format!("`{v}` is not a whole number >= 0"))
            })?
            .unwrap_or(0);
        Ok((limit, offset))
    }

    /// 400 for the first parameter nobody took.
    pub fn finish(self) -> ApiResult<()> {
        match self.0.into_keys().next() {
            None => Ok(()),
            Some(k) => Err(ApiError::bad_param(
                &k,
                format!("unknown query parameter `{k}`"),
            )),
        }
    }
}

/// Splits and percent-decodes `a=1&b=x` (`+` is a space).
fn serde_urlencoded_pairs(q: &str) -> ApiResult<Vec<(String, String)>> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let k = percent_decode(k)
                .ok_or_else(|| ApiError::bad_param("query", "the query string is not valid"))?;
            let v = percent_decode(v).ok_or_else(|| {
                ApiError::bad_param(&k, format!("the value of `{k}` is not valid UTF-8"))
            })?;
            Ok((k, v))
        })
        .collect()
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = b.get(i + 1..i + 3)?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_nesting_outside_strings() {
        assert_eq!(json_depth(b"{}"), 1);
        assert_eq!(json_depth(br#"{"a": [[1], {"b": 2}]}"#), 3);
        assert_eq!(json_depth(br#"{"a": "[[[[\"[["}"#), 1);
        assert_eq!(json_depth(b"1"), 0);
        let deep = "[".repeat(65) + &"]".repeat(65);
        assert_eq!(json_depth(deep.as_bytes()), 65);
        assert!(matches!(
            parse_json_bytes(deep.as_bytes()),
            Err(ApiError::BadRequest {
                code: "too_deep",
                ..
            })
        ));
    }

    #[test]
    fn decode_names_the_field() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            name: String,
            inner: Inner,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Inner {
            x: f64,
        }
        let e = decode::<T>(serde_json::json!({"name": 3, "inner": {"x": 1}})).unwrap_err();
        assert_eq!(e.body()["error"]["field"], "name");
        let e = decode::<T>(serde_json::json!({"name": "a", "inner": {"x": "y"}})).unwrap_err();
        assert_eq!(e.body()["error"]["field"], "inner.x");
        let e = decode::<T>(serde_json::json!({"inner": {"x": 1}})).unwrap_err();
        assert_eq!(e.body()["error"]["field"], "name");
    }

    #[test]
    fn params_parse_and_check() {
        let mut p = Params::parse(Some("limit=5&offset=2&actor=a%20b+c")).unwrap();
        assert_eq!(p.page().unwrap(), (5, 2));
        assert_eq!(p.take("actor").as_deref(), Some("a b c"));
        p.finish().unwrap();
        let mut p = Params::parse(Some("limit=100001")).unwrap();
        let e = p.page().unwrap_err();
        assert_eq!(e.body()["error"]["field"], "limit");
        let p = Params::parse(Some("bogus=1")).unwrap();
        assert_eq!(p.finish().unwrap_err().body()["error"]["field"], "bogus");
        assert!(Params::parse(Some("a=%zz")).is_err());
        assert!(Params::parse(Some("a=%4")).is_err());
        assert_eq!(
            Params::parse(Some("a=%41")).unwrap().take("a").as_deref(),
            Some("A")
        );
    }

    #[test]
    fn json_media_type_is_exact() {
        assert!(is_json_media_type("application/json"));
        assert!(is_json_media_type("Application/JSON; charset=utf-8"));
        assert!(!is_json_media_type("text/plain; x=+json"));
        assert!(!is_json_media_type("application/json-seq"));
        assert!(!is_json_media_type("application/vnd.x+json"));
        assert!(!is_json_media_type("application/json; boundary=x"));
        assert!(!is_json_media_type(""));
    }

    #[test]
    fn unknown_fields_are_named() {
        let obj = object(serde_json::json!({"name": "x", "nmae": "y"})).unwrap();
        let e = reject_unknown(&obj, &["name".to_string()]).unwrap_err();
        assert_eq!(e.body()["error"]["field"], "nmae");
    }
}
