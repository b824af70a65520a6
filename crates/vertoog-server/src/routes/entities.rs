//! Every entity kind of a map (actors, narratives, stances, ties, interactions, commitments,
//! plan items): `GET|POST /maps/{map}/{kind}` and `GET|PATCH|DELETE /maps/{map}/{kind}/{id}`,
//! one generic handler per operation over the store's generic entity API
//! ([`vertoog_store::Entity`]).
//!
//! - Create: 201 with the entity, `Location` and `ETag`. An actor without `id` gets the slug
//!   of its name (a narrative: of its label), made unique in the map by the store; stances,
//!   ties and the engagement records get `s<N>`, `t<N>`, `i<N>`, `k<N>`, `p<N>`. `"force":
//!   true` skips the near-duplicate check (409 otherwise, with the candidates).
//! - Get: the entity with an `ETag` (a hash of its JSON).
//! - Update (PATCH): the given fields are merged into the stored entity (top-level keys
//!   replace; `null` clears an optional field); the id cannot change. With `If-Match` the
//!   store writes only if the entity's ETag still matches at that moment (412 otherwise);
//!   without it the later write wins, field by field.
//! - Delete: 200 with what went with it (`stances`, `ties`, `children`); `If-Match` as above.
//! - Confidential interactions exist only for editors and admins: a viewer's list leaves
//!   them out and a viewer's get answers 404.
//! - Unknown fields are a 422 naming them; field errors a 422 naming the field; a reference
//!   to a missing entity a 422 naming the field (referential integrity).

use axum::extract::{Path, RawQuery, State};
use axum::http::header::{ETAG, IF_MATCH, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::{json, Value};
use vertoog_model::{
    Actor, Commitment, CommitmentStatus, Date, Direction, EntityKind, Interaction, Narrative,
    PlanItem, PlanStatus, Stance, Tie, TieKind,
};
use vertoog_store::{etag, Entity, IfMatch, ListQuery, Role, StoreError};

use super::blocking;
use crate::auth::{Editor, Viewer};
use crate::error::{ApiError, ApiResult};
use crate::input::{decode, object, reject_unknown, take_force, JsonBody, Params};
use crate::state::AppState;

/// What the HTTP layer needs of a kind beyond the store's API: its field names (to name
/// unknown fields in a body) and the field an id is made from when a create body has none.
pub trait Resource: Entity {
    /// An entity with every field, for the list of field names.
    fn template() -> Self;
    fn name_field() -> Option<&'static str> {
        None
    }
    /// The JSON field names of the entity.
    fn fields() -> Vec<String> {
        match serde_json::to_value(Self::template()) {
            Ok(Value::Object(m)) => m.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }
}

impl Resource for Actor {
    fn template() -> Self {
        Actor::new("a", "A")
    }
    fn name_field() -> Option<&'static str> {
        Some("name")
    }
}
impl Resource for Narrative {
    fn template() -> Self {
        Narrative::new("n", "N", false)
    }
    fn name_field() -> Option<&'static str> {
        Some("label")
    }
}
impl Resource for Stance {
    fn template() -> Self {
        Stance::new("s", "a", "n", 0)
    }
}
impl Resource for Tie {
    fn template() -> Self {
        Tie::new("t", "a", "b", TieKind::Collaboration)
    }
}
impl Resource for Interaction {
    fn template() -> Self {
        Interaction::new("i", Date::default(), "T")
    }
}
impl Resource for Commitment {
    fn template() -> Self {
        Commitment::new("k", "a", Direction::Ours, "T", Date::default())
    }
}
impl Resource for PlanItem {
    fn template() -> Self {
        PlanItem::new("p", "T", Date::default())
    }
}

/// The `If-Match` header. An empty one (or one that is not text) is a malformed
/// precondition: 400, not 412, since no entity version can match it.
fn if_match(headers: &HeaderMap) -> ApiResult<Option<IfMatch>> {
    match headers.get(IF_MATCH) {
        None => Ok(None),
        Some(v) => match v.to_str().ok().map(IfMatch::new) {
            Some(Some(c)) => Ok(Some(c)),
            Some(None) => Err(ApiError::bad_param(
                "If-Match",
                "the If-Match header is empty; send the ETag of the entity (or leave the \
                 header out)",
            )),
            None => Err(ApiError::bad_param(
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

/// A `status` filter must be one of the kind's statuses.
fn check_status(kind: EntityKind, status: &str) -> ApiResult<()> {
    let v = Value::String(status.to_string());
    let known = match kind {
        EntityKind::Commitment => serde_json::from_value::<CommitmentStatus>(v).is_ok(),
        EntityKind::PlanItem => serde_json::from_value::<PlanStatus>(v).is_ok(),
        _ => true,
    };
    if known {
        Ok(())
    } else {
        Err(ApiError::bad_param(
            "status",
            format!("`{status}` is not a status of a {kind}"),
        ))
    }
}

/// The list filters of a query string: the page and the kind's filters
/// (`Entity::FILTERS`); any other parameter is a 400 naming it.
fn list_query<E: Entity>(q: Option<&str>, role: Role) -> ApiResult<ListQuery> {
    let mut params = Params::parse(q)?;
    let (limit, offset) = params.page()?;
    let mut take = |name: &str| {
        if E::FILTERS.contains(&name) {
            params.take(name)
        } else {
            None
        }
    };
    let query = ListQuery {
        limit,
        offset,
        actor: take("actor"),
        narrative: take("narrative"),
        owner: take("owner"),
        status: take("status"),
        include_confidential: role >= Role::Editor,
    };
    params.finish()?;
    if let Some(s) = &query.status {
        check_status(E::KIND, s)?;
    }
    Ok(query)
}

/// `GET /maps/{map}/{kind}`: `{"items", "total"}` sorted by id; `limit`, `offset`, and the
/// kind's filters: stances `actor`, `narrative`; ties `actor` (either end); interactions
/// `actor`, `narrative`, `owner` (a team member); commitments `actor`, `owner`, `status`;
/// plan items `actor` (a target or the messenger), `narrative`, `owner`, `status`.
pub async fn list<E: Resource>(
    State(state): State<AppState>,
    Viewer(who): Viewer,
    Path(map): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    let query = list_query::<E>(q.as_deref(), who.role)?;
    let store = state.store().clone();
    blocking(move || {
        let (items, total) = store.list::<E>(&map, &query)?;
        Ok(Json(json!({"items": items, "total": total})))
    })
    .await
}

/// `POST /maps/{map}/{kind}`: creates (201).
pub async fn create<E: Resource>(
    State(state): State<AppState>,
    Editor(p): Editor,
    Path(map): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let mut obj = object(body)?;
    let force = take_force(&mut obj)?;
    reject_unknown(&obj, &E::fields())?;
    if let Some(name_field) = E::name_field() {
        let has_id = obj
            .get("id")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty());
        if !has_id && !obj.get(name_field).is_some_and(Value::is_string) {
            return Err(ApiError::invalid(name_field, "missing field"));
        }
    }
    obj.entry("id")
        .or_insert_with(|| Value::String(String::new()));
    let entity: E = decode(Value::Object(obj))?;
    let store = state.store().clone();
    let map_id = map.clone();
    let created = blocking(move || Ok(store.create(&map, entity, &p.name, force)?)).await?;
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
pub async fn get_one<E: Resource>(
    State(state): State<AppState>,
    Viewer(who): Viewer,
    Path((map, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let store = state.store().clone();
    let e = blocking(move || {
        let e: E = store.get(&map, &id)?;
        if e.confidential() && who.role < Role::Editor {
            // To a viewer it does not exist.
            return Err(StoreError::NotFound {
                kind: E::KIND,
                id,
                map,
            }
            .into());
        }
        Ok(e)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, &e))
}

/// `PATCH /maps/{map}/{kind}/{id}`: merges the body's fields into the entity.
pub async fn update<E: Resource>(
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
        // A body that does not decode is a 422 naming the field; it is carried out of the
        // store's write as this value, since the store's errors cannot hold it.
        let mut field_error = None;
        let result = store.modify::<E>(&map, &id, &p.name, condition.as_ref(), |current| {
            let mut merged =
                serde_json::to_value(&current).map_err(|e| StoreError::Internal(e.to_string()))?;
            for (k, v) in obj {
                merged[k] = v;
            }
            decode::<E>(merged).map_err(|e| {
                field_error = Some(e);
                StoreError::Internal("the merged entity does not decode".into())
            })
        });
        match (result, field_error) {
            (_, Some(e)) => Err(e),
            (r, None) => Ok(r?),
        }
    })
    .await?;
    Ok(with_etag(StatusCode::OK, &updated))
}

/// `DELETE /maps/{map}/{kind}/{id}`: `{"deleted": ID, "kind", "stances", "ties", "children"}`.
pub async fn remove<E: Resource>(
    State(state): State<AppState>,
    Editor(p): Editor,
    Path((map, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    let condition = if_match(&headers)?;
    let store = state.store().clone();
    blocking(move || {
        let report = store.delete::<E>(&map, &id, &p.name, condition.as_ref())?;
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
    fn templates_name_every_field() {
        // Every optional field is set in the template, so an unknown-field check never
        // refuses a real field.
        assert!(Interaction::fields().contains(&"next_contact".to_string()));
        assert!(Commitment::fields().contains(&"closed_on".to_string()));
        assert!(PlanItem::fields().contains(&"simulated_gain".to_string()));
    }
}
