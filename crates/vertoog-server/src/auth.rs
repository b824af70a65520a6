//! Access control (docs/interfaces.md §9, security, issue 7): with tokens in the store every `/api`
//! request needs `Authorization: Bearer TOKEN` (401 without a valid one); the role then
//! decides (403 when it may not). Without tokens on a loopback address the server runs in
//! local mode: everyone is `admin` under the principal `local`.
//!
//! Roles, as the handlers require them with the extractors [`Viewer`], [`Editor`], [`Admin`]:
//! - viewer: every GET;
//! - editor: also every write of entities and maps (create, update, delete of actors,
//!   narratives, stances, ties; create and update of maps), import, merge, undo, what-if;
//! - admin: also delete a map and erase an actor (it rewrites the change log).
//!
//! Tokens are verified by the store (salted hash, constant-time comparison); the token itself
//! is never logged or echoed, only its name becomes the principal of the change log.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use vertoog_store::Role;

use crate::error::ApiError;
use crate::state::{AppState, Mode};

/// Who makes a request: the token's name (or `local`) and its role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub name: String,
    pub role: Role,
}

/// The secret of an `Authorization: Bearer SECRET` header (scheme case-insensitive).
fn bearer(header: &HeaderValue) -> Option<&str> {
    let s = header.to_str().ok()?.trim();
    let (scheme, secret) = s.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| secret.trim())
        .filter(|t| !t.is_empty())
}

fn unauthorized(message: &str) -> Response {
    let mut r = ApiError::Unauthorized(message.to_string()).into_response();
    r.headers_mut()
        .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    r
}

/// Middleware of the protected `/api` routes: finds the [`Principal`] and puts it into the
/// request's extensions, or answers 401.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let mode = match state.mode() {
        Ok(m) => m,
        Err(e) => return e.into_response(),
    };
    let principal = match mode {
        Mode::Local => Principal {
            name: "local".into(),
            role: Role::Admin,
        },
        Mode::Closed => {
            return unauthorized(
                "this server listens on a non-loopback address and the store has no tokens; \
                 create one with `vertoog token create`",
            )
        }
        Mode::Tokens => {
            let Some(secret) = req.headers().get(AUTHORIZATION).and_then(bearer) else {
                return unauthorized(
                    "this server requires a token: send `Authorization: Bearer TOKEN`",
                );
            };
            let store = state.store().clone();
            let secret = secret.to_string();
            match tokio::task::spawn_blocking(move || store.verify_token(&secret)).await {
                Ok(Ok(Some(info))) => Principal {
                    name: info.name,
                    role: info.role,
                },
                Ok(Ok(None)) => return unauthorized("the token is not valid"),
                Ok(Err(e)) => return ApiError::from(e).into_response(),
                Err(e) => return ApiError::from(e).into_response(),
            }
        }
    };
    req.extensions_mut().insert(principal);
    next.run(req).await
}

fn require(parts: &Parts, needed: Role, what: &str) -> Result<Principal, ApiError> {
    let p = parts
        .extensions
        .get::<Principal>()
        .cloned()
        .ok_or_else(|| ApiError::Unauthorized("no principal for this request".into()))?;
    if p.role.allows(needed) {
        Ok(p)
    } else {
        Err(ApiError::Forbidden(format!(
            "the token `{}` has role {}; {what} needs role {needed} or higher",
            p.name, p.role
        )))
    }
}

macro_rules! role_extractor {
    ($(#[$m:meta])* $name:ident, $role:expr, $what:literal) => {
        $(#[$m])*
        pub struct $name(pub Principal);

        impl<S: Send + Sync> FromRequestParts<S> for $name {
            type Rejection = ApiError;
            async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
                require(parts, $role, $what).map($name)
            }
        }
    };
}

role_extractor!(
    /// A principal that may read (any role).
    Viewer, Role::Viewer, "reading"
);
role_extractor!(
    /// A principal that may write entities, maps, imports, merges, undos and what-ifs.
    Editor, Role::Editor, "this change"
);
role_extractor!(
    /// A principal that may delete maps and erase actors.
    Admin, Role::Admin, "this action"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_header() {
        let h = |s: &'static str| HeaderValue::from_static(s);
        assert_eq!(bearer(&h("Bearer abc")), Some("abc"));
        assert_eq!(bearer(&h("bearer   abc ")), Some("abc"));
        assert_eq!(bearer(&h("Basic abc")), None);
        assert_eq!(bearer(&h("Bearer ")), None);
        assert_eq!(bearer(&h("Bearer")), None);
    }
}
