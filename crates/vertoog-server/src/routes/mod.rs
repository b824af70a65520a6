//! Every route of the API (docs/interfaces.md §4), registered through [`RouteSet`], which
//! also records (method, path) so that [`route_table`] lists exactly what the router serves
//! (a test compares it with the OpenAPI document).

mod analysis;
mod backup;
mod brief;
mod dynamics;
mod entities;
mod history;
mod maps;
mod meta;
mod plans;
mod tokens;

use std::collections::BTreeMap;

use axum::handler::Handler;
use axum::routing::{delete, get, patch, post, put, MethodRouter};
use axum::Router;
use vertoog_model::{Actor, Commitment, Interaction, Narrative, PlanItem, Stance, Tie};

use crate::error::ApiResult;
use crate::state::AppState;

/// Runs a blocking function (store calls, analysis) on tokio's blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f).await?
}

/// Routes with their methods, merged per path.
#[derive(Default)]
struct RouteSet {
    routes: BTreeMap<&'static str, MethodRouter<AppState>>,
    table: Vec<(&'static str, &'static str)>,
}

impl RouteSet {
    fn add<H, T>(mut self, method: &'static str, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let mr = match method {
            "GET" => get(handler),
            "POST" => post(handler),
            "PATCH" => patch(handler),
            "DELETE" => delete(handler),
            "PUT" => put(handler),
            other => unreachable!("no route helper for method {other}"),
        };
        let merged = match self.routes.remove(path) {
            Some(old) => old.merge(mr),
            None => mr,
        };
        self.routes.insert(path, merged);
        self.table.push((method, path));
        self
    }

    fn into_router(self) -> Router<AppState> {
        self.routes
            .into_iter()
            .fold(Router::new(), |r, (path, mr)| r.route(path, mr))
    }
}

/// Routes that need no token: they hold no map data.
fn public_routes() -> RouteSet {
    RouteSet::default().add("GET", "/health", meta::health).add(
        "GET",
        "/openapi.json",
        meta::openapi,
    )
}

macro_rules! entity_routes {
    ($set:expr, $ty:ty, $list:literal, $one:literal) => {
        $set.add("GET", $list, entities::list::<$ty>)
            .add("POST", $list, entities::create::<$ty>)
            .add("GET", $one, entities::get_one::<$ty>)
            .add("PATCH", $one, entities::update::<$ty>)
            .add("DELETE", $one, entities::remove::<$ty>)
    };
}

/// Routes behind the token check.
fn protected_routes() -> RouteSet {
    let set = RouteSet::default()
        .add("GET", "/session", meta::session)
        .add("GET", "/maps", maps::list)
        .add("POST", "/maps", maps::create)
        .add("GET", "/maps/{map}", maps::get_one)
        .add("PATCH", "/maps/{map}", maps::update)
        .add("DELETE", "/maps/{map}", maps::remove);
    let set = entity_routes!(set, Actor, "/maps/{map}/actors", "/maps/{map}/actors/{id}");
    let set = entity_routes!(
        set,
        Narrative,
        "/maps/{map}/narratives",
        "/maps/{map}/narratives/{id}"
    );
    let set = entity_routes!(
        set,
        Stance,
        "/maps/{map}/stances",
        "/maps/{map}/stances/{id}"
    );
    let set = entity_routes!(set, Tie, "/maps/{map}/ties", "/maps/{map}/ties/{id}");
    let set = entity_routes!(
        set,
        Interaction,
        "/maps/{map}/interactions",
        "/maps/{map}/interactions/{id}"
    );
    let set = entity_routes!(
        set,
        Commitment,
        "/maps/{map}/commitments",
        "/maps/{map}/commitments/{id}"
    );
    let set = entity_routes!(set, PlanItem, "/maps/{map}/plan", "/maps/{map}/plan/{id}");
    set.add("POST", "/maps/{map}/import", history::import)
        .add("GET", "/maps/{map}/export", analysis::export)
        .add("GET", "/maps/{map}/brief", brief::brief)
        .add("GET", "/maps/{map}/analysis", analysis::analysis)
        .add("GET", "/maps/{map}/network", analysis::network)
        .add("GET", "/maps/{map}/timeline", analysis::timeline)
        .add("GET", "/maps/{map}/dynamics", dynamics::dynamics)
        .add("GET", "/maps/{map}/diff", dynamics::diff)
        .add("POST", "/maps/{map}/whatif", analysis::whatif)
        .add("GET", "/maps/{map}/graph", analysis::graph)
        .add("POST", "/maps/{map}/plan/simulate", plans::simulate)
        .add("GET", "/maps/{map}/plan/best", plans::best)
        .add("POST", "/maps/{map}/plan/adopt", plans::adopt)
        .add("PUT", "/maps/{map}/coalitions/{id}/name", plans::name)
        .add("POST", "/maps/{map}/merge", history::merge)
        .add("GET", "/maps/{map}/log", history::log)
        .add("POST", "/maps/{map}/undo", history::undo)
        .add("POST", "/maps/{map}/erase", history::erase)
        .add("GET", "/backup", backup::backup)
        .add("GET", "/tokens", tokens::list)
        .add("POST", "/tokens", tokens::create)
        .add("DELETE", "/tokens/{name}", tokens::revoke)
}

/// The `/api/v1` router: public routes, and the rest behind [`crate::auth::authenticate`].
pub(crate) fn api(state: AppState) -> Router<AppState> {
    let protected = protected_routes()
        .into_router()
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::auth::authenticate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state,
            meta::refuse_when_poisoned,
        ));
    public_routes()
        .into_router()
        .merge(protected)
        .fallback(meta::no_route)
}

/// Every route the server answers under `/api/v1`, as (method, full path), e.g.
/// `("GET", "/api/v1/maps/{map}/actors")`, in registration order. `GET /` (the web UI) is
/// not listed.
pub fn route_table() -> Vec<(String, String)> {
    public_routes()
        .table
        .into_iter()
        .chain(protected_routes().table)
        .map(|(m, p)| (m.to_string(), format!("/api/v1{p}")))
        .collect()
}
