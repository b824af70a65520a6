//! Actors, narratives, stances and ties: `GET|POST /maps/{map}/{kind}` and
//! `GET|PATCH|DELETE /maps/{map}/{kind}/{id}`, one generic handler per operation.
//!
//! - Create: 201 with the entity, `Location` and `ETag`. An actor without `id` gets the slug
//!   of its name (a narrative: of its label), made unique in the map; stances and ties get
//!   `s<N>` / `t<N>` from the store. `"force": true` skips the near-duplicate check (409
//!   otherwise, with the candidates).
//! - Get: the entity with an `ETag` (a hash of its JSON).
//! - Update (PATCH): the given fields are merged into the stored entity (top-level keys
//!   replace; `null` clears an optional field); the id cannot change. With `If-Match` the
//!   write happens only if the entity's ETag still matches (412 otherwise), atomically with
//!   respect to every other write of this server; without it the later write wins.
//! - Delete: 200 with what went with it (`stances`, `ties`, `children`); `If-Match` as above.
//! - Unknown fields are a 422 naming them; field errors a 422 naming the field; a reference
//!   to a missing actor or narrative a 422 naming the field (referential integrity).

use std::collections::HashSet;

use axum::extract::{Path, RawQuery, State};
use axum::http::header::{ETAG, IF_MATCH, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use vertoog_model::{unique_slug, Actor, EntityKind, Narrative, Stance, Tie, TieKind};
use vertoog_store::{Store, StoreError};

use super::blocking;
use crate::auth::{Editor, Viewer};
use crate::error::{ApiError, ApiResult};
use crate::input::{decode, object, reject_unknown, take_force, JsonBody, Params};
use crate::state::AppState;

/// What the generic handlers need of an entity type.
pub trait EntityOps: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    const KIND: EntityKind;
    /// An entity with every field, for the list of field names.
    fn template() -> Self;
    fn id(&self) -> &str;
    /// The field an id is derived from when a create body has none (actors, narratives).
    fn name_field() -> Option<&'static str> {
        None
    }
    fn list(
        store: &Store,
        map: &str,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<Self>, usize), StoreError>;
    fn get(store: &Store, map: &str, id: &str) -> Result<Self, StoreError>;
    fn create(
        store: &Store,
        map: &str,
        e: Self,
        who: &str,
        force: bool,
    ) -> Result<Self, StoreError>;
    fn update(store: &Store, map: &str, id: &str, e: Self, who: &str) -> Result<Self, StoreError>;

    /// The JSON field names of the entity.
    fn fields() -> Vec<String> {
        match serde_json::to_value(Self::template()) {
            Ok(Value::Object(m)) => m.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }
}

impl EntityOps for Actor {
    const KIND: EntityKind = EntityKind::Actor;
    fn template() -> Self {
        Actor::new("a", "A")
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn name_field() -> Option<&'static str> {
        Some("name")
    }
    fn list(s: &Store, m: &str, l: usize, o: usize) -> Result<(Vec<Self>, usize), StoreError> {
        s.list_actors(m, l, o)
    }
    fn get(s: &Store, m: &str, id: &str) -> Result<Self, StoreError> {
        s.get_actor(m, id)
    }
    fn create(s: &Store, m: &str, e: Self, who: &str, force: bool) -> Result<Self, StoreError> {
        s.create_actor(m, e, who, force)
    }
    fn update(s: &Store, m: &str, id: &str, e: Self, who: &str) -> Result<Self, StoreError> {
        s.update_actor(m, id, e, who)
    }
}

impl EntityOps for Narrative {
    const KIND: EntityKind = EntityKind::Narrative;
    fn template() -> Self {
        Narrative::new("n", "N", false)
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn name_field() -> Option<&'static str> {
        Some("label")
    }
    fn list(s: &Store, m: &str, l: usize, o: usize) -> Result<(Vec<Self>, usize), StoreError> {
        s.list_narratives(m, l, o)
    }
    fn get(s: &Store, m: &str, id: &str) -> Result<Self, StoreError> {
        s.get_narrative(m, id)
    }
    fn create(s: &Store, m: &str, e: Self, who: &str, force: bool) -> Result<Self, StoreError> {
        s.create_narrative(m, e, who, force)
    }
    fn update(s: &Store, m: &str, id: &str, e: Self, who: &str) -> Result<Self, StoreError> {
        s.update_narrative(m, id, e, who)
    }
}

impl EntityOps for Stance {
    const KIND: EntityKind = EntityKind::Stance;
    fn template() -> Self {
        Stance::new("s", "a", "n", 0)
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn list(s: &Store, m: &str, l: usize, o: usize) -> Result<(Vec<Self>, usize), StoreError> {
        s.list_stances(m, l, o)
    }
    fn get(s: &Store, m: &str, id: &str) -> Result<Self, StoreError> {
        s.get_stance(m, id)
    }
    fn create(s: &Store, m: &str, e: Self, who: &str, _: bool) -> Result<Self, StoreError> {
        s.create_stance(m, e, who)
    }
    fn update(s: &Store, m: &str, id: &str, e: Self, who: &str) -> Result<Self, StoreError> {
        s.update_stance(m, id, e, who)
    }
}

impl EntityOps for Tie {
    const KIND: EntityKind = EntityKind::Tie;
    fn template() -> Self {
        Tie::new("t", "a", "b", TieKind::Collaboration)
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn list(s: &Store, m: &str, l: usize, o: usize) -> Result<(Vec<Self>, usize), StoreError> {
        s.list_ties(m, l, o)
    }
    fn get(s: &Store, m: &str, id: &str) -> Result<Self, StoreError> {
        s.get_tie(m, id)
    }
    fn create(s: &Store, m: &str, e: Self, who: &str, _: bool) -> Result<Self, StoreError> {
        s.create_tie(m, e, who)
    }
    fn update(s: &Store, m: &str, id: &str, e: Self, who: &str) -> Result<Self, StoreError> {
        s.update_tie(m, id, e, who)
    }
}

/// The ETag of an entity: `"` + the first 16 bytes of SHA-256 of its JSON, in hex + `"`.
pub fn etag<E: Serialize>(e: &E) -> String {
    let bytes = serde_json::to_vec(e).unwrap_or_default();
    let digest = Sha256::digest(&bytes);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether an `If-Match` header value matches `tag` (`*`, or one of a comma-separated list;
/// weak `W/` prefixes are ignored).
fn if_match_ok(header: &str, tag: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag)
}

/// The `If-Match` header. An empty one (or one that is not text) is a malformed
/// precondition: 400, not 412 (issue 16 item 13), since no entity version can match it.
fn if_match(headers: &HeaderMap) -> ApiResult<Option<String>> {
    match headers.get(IF_MATCH) {
        None => Ok(None),
        Some(v) => match v.to_str().map(str::trim) {
            Ok("") => Err(ApiError::bad_param(
                "If-Match",
                "the If-Match header is empty; send the ETag of the entity (or leave the \
                 header out)",
            )),
            Ok(s) => Ok(Some(s.to_string())),
            Err(_) => Err(ApiError::bad_param(
                "If-Match",
                "the If-Match header is not valid",
            )),
        },
    }
}

fn with_etag<E: Serialize>(status: StatusCode, e: &E) -> Response {
    let mut r = (status, Json(e)).into_response();
    if let Ok(v) = HeaderValue::from_str(&etag(e)) {
        r.headers_mut().insert(ETAG, v);
    }
    r
}

/// `GET /maps/{map}/{kind}`: `{"items", "total"}` sorted by id; `limit`, `offset`; stances
/// also filter by `actor` and `narrative`, ties by `actor` (the tie's source or target: the
/// ties of one actor, for the UI's actor details).
pub async fn list<E: EntityOps>(
    State(state): State<AppState>,
    _: Viewer,
    Path(map): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    let mut params = Params::parse(q.as_deref())?;
    let (limit, offset) = params.page()?;
    let (actor, narrative) = match E::KIND {
        EntityKind::Stance => (params.take("actor"), params.take("narrative")),
        EntityKind::Tie => (params.take("actor"), None),
        _ => (None, None),
    };
    params.finish()?;
    let store = state.store().clone();
    blocking(move || {
        if actor.is_none() && narrative.is_none() {
            let (items, total) = E::list(&store, &map, limit, offset)?;
            return Ok(Json(json!({"items": items, "total": total})));
        }
        if E::KIND == EntityKind::Tie {
            let (all, _) = store.list_ties(&map, usize::MAX, 0)?;
            let kept: Vec<Tie> = all
                .into_iter()
                .filter(|t| {
                    actor
                        .as_ref()
                        .is_none_or(|a| &t.source == a || &t.target == a)
                })
                .collect();
            let total = kept.len();
            let items: Vec<Tie> = kept.into_iter().skip(offset).take(limit).collect();
            return Ok(Json(json!({"items": items, "total": total})));
        }
        let (all, _) = store.list_stances(&map, usize::MAX, 0)?;
        let kept: Vec<Stance> = all
            .into_iter()
            .filter(|s| actor.as_ref().is_none_or(|a| &s.actor == a))
            .filter(|s| narrative.as_ref().is_none_or(|n| &s.narrative == n))
            .collect();
        let total = kept.len();
        let items: Vec<Stance> = kept.into_iter().skip(offset).take(limit).collect();
        Ok(Json(json!({"items": items, "total": total})))
    })
    .await
}

/// `POST /maps/{map}/{kind}`: creates (201).
pub async fn create<E: EntityOps>(
    State(state): State<AppState>,
    Editor(p): Editor,
    Path(map): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let mut obj = object(body)?;
    let force = take_force(&mut obj)?;
    reject_unknown(&obj, &E::fields())?;
    let store = state.store().clone();
    let map_id = map.clone();
    let created = blocking(move || {
        let _g = state.write_shared();
        let has_id = obj
            .get("id")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty());
        if let (false, Some(name_field)) = (has_id, E::name_field()) {
            let Some(name) = obj
                .get(name_field)
                .and_then(Value::as_str)
                .map(str::to_string)
            else {
                return Err(ApiError::invalid(name_field, "missing field"));
            };
            let (existing, _) = E::list(&store, &map, usize::MAX, 0)?;
            let taken: HashSet<&str> = existing.iter().map(|e| e.id()).collect();
            obj.insert(
                "id".into(),
                Value::String(unique_slug(&name, |s| taken.contains(s))),
            );
        }
        let entity: E = decode(Value::Object(obj))?;
        Ok(E::create(&store, &map, entity, &p.name, force)?)
    })
    .await?;
    let mut r = with_etag(StatusCode::CREATED, &created);
    let location = format!(
        "/api/v1/maps/{map_id}/{}/{}",
        E::KIND.plural(),
        created.id()
    );
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(LOCATION, v);
    }
    Ok(r)
}

/// `GET /maps/{map}/{kind}/{id}`: the entity with its ETag.
pub async fn get_one<E: EntityOps>(
    State(state): State<AppState>,
    _: Viewer,
    Path((map, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let store = state.store().clone();
    let e = blocking(move || Ok(E::get(&store, &map, &id)?)).await?;
    Ok(with_etag(StatusCode::OK, &e))
}

/// `PATCH /maps/{map}/{kind}/{id}`: merges the body's fields into the entity.
pub async fn update<E: EntityOps>(
    State(state): State<AppState>,
    Editor(p): Editor,
    Path((map, id)): Path<(String, String)>,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let obj = object(body)?;
    reject_unknown(&obj, &E::fields())?;
    if let Some(given) = obj.get("id") {
        if given.as_str() != Some(id.as_str()) {
            return Err(ApiError::invalid("id", "the id cannot be changed"));
        }
    }
    let condition = if_match(&headers)?;
    let store = state.store().clone();
    let updated = blocking(move || {
        let _shared;
        let _exclusive;
        if condition.is_some() {
            _exclusive = Some(state.write_exclusive());
        } else {
            _shared = Some(state.write_shared());
        }
        let current = E::get(&store, &map, &id)?;
        if let Some(c) = &condition {
            if !if_match_ok(c, &etag(&current)) {
                return Err(ApiError::PreconditionFailed(format!(
                    "{} `{id}` was changed since you read it (its ETag is {}); read it again",
                    E::KIND,
                    etag(&current)
                )));
            }
        }
        let mut merged =
            serde_json::to_value(&current).map_err(|e| ApiError::Internal(e.to_string()))?;
        for (k, v) in obj {
            merged[k] = v;
        }
        let entity: E = decode(merged)?;
        Ok(E::update(&store, &map, &id, entity, &p.name)?)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, &updated))
}

/// `DELETE /maps/{map}/{kind}/{id}`: `{"deleted": ID, "kind", "stances", "ties", "children"}`.
pub async fn remove<E: EntityOps>(
    State(state): State<AppState>,
    Editor(p): Editor,
    Path((map, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    let condition = if_match(&headers)?;
    let store = state.store().clone();
    blocking(move || {
        let _shared;
        let _exclusive;
        if let Some(c) = &condition {
            _exclusive = Some(state.write_exclusive());
            let current = E::get(&store, &map, &id)?;
            if !if_match_ok(c, &etag(&current)) {
                return Err(ApiError::PreconditionFailed(format!(
                    "{} `{id}` was changed since you read it; read it again",
                    E::KIND
                )));
            }
        } else {
            _shared = Some(state.write_shared());
        }
        let report = store.delete_entity(&map, E::KIND, &id, &p.name)?;
        Ok(Json(json!({
            "deleted": id, "kind": E::KIND.as_str(),
            "stances": report.stances, "ties": report.ties, "children": report.children,
        })))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_follow_content() {
        let a = Actor::new("a", "A");
        let mut b = a.clone();
        assert_eq!(etag(&a), etag(&b));
        b.influence = 0.7;
        assert_ne!(etag(&a), etag(&b));
        assert_eq!(etag(&a).len(), 34);
    }

    #[test]
    fn if_match_forms() {
        assert!(if_match_ok("*", "\"x\""));
        assert!(if_match_ok("\"y\", \"x\"", "\"x\""));
        assert!(if_match_ok("W/\"x\"", "\"x\""));
        assert!(!if_match_ok("\"y\"", "\"x\""));
    }

    #[test]
    fn field_lists() {
        let f = Tie::fields();
        assert!(f.contains(&"directed".to_string()) && f.contains(&"note".to_string()));
        assert!(Actor::fields().contains(&"target_position".to_string()));
    }
}
