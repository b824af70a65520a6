//! Vertoog's HTTP API and web UI server (docs/interfaces.md §4; docs/interfaces.md §9, security,
//! "Server"; issue 7): axum over the store, the analysis and the formats crates.
//!
//! Entry points: [`bind`] + [`Server::run`] (or [`serve`]) start the server; [`router`] is the
//! axum app for a given [`AppState`]; [`load_demo`] puts the demo map into a store;
//! [`shutdown_signal`] waits for Ctrl-C or SIGTERM; [`init_tracing`] is a convenience for the
//! binary (the library never installs a subscriber itself); [`route_table`] lists every route.
//!
//! Architecture invariants:
//! - Handlers are thin: parse the request, call the store / analysis / formats, map errors
//!   through the one error type [`ApiError`]. No analysis or storage logic lives here.
//! - Every store call and every analysis runs on a blocking thread (`spawn_blocking`), so the
//!   async workers never wait on sled's fsync or a long computation.
//! - A write is answered only after the store call returned, and the store flushes before
//!   returning: an acknowledged write is durable.
//! - Nothing is read from disk at run time but the store: the web UI is compiled in.
//! - Tokens are never logged: the request log line holds method, path (no query string, no
//!   headers), status and duration only.
//!
//! Decisions where the spec is silent (also in the OpenAPI document, `src/openapi.json`):
//! - Roles: viewer reads; editor also creates and changes maps and entities, imports, merges,
//!   undoes and runs what-ifs; admin also deletes maps, erases actors and takes backups
//!   (`GET /backup`, the snapshot of `vertoog backup`). `health` and
//!   `openapi.json` need no token (they hold no map data; the UI asks `health` whether to
//!   ask for a token). The static UI files need no token either.
//! - Status codes: malformed JSON, bad query parameters and too deep JSON are 400; field
//!   errors and broken references are 422 naming the field (`errors` lists all); a taken id
//!   409 `conflict`; near-duplicate names 409 `near_duplicate` with `candidates`; a stale
//!   `If-Match` 412 (an empty one 400); a body over 16 MiB 413; a content type other than
//!   `application/json` 415; a timeout 408; SVG/PNG without Graphviz 501; too many analyses
//!   or renders at once 503 `busy` with `Retry-After`. Import problems are 422 with
//!   `errors: [{file, line, field, message}]`.
//! - Hardening (issue 16; `guard.rs`, `graphviz.rs`, `docs/decisions.md`): a foreign `Host`
//!   421, a state-changing request from another origin 403 `cross_origin`, a multipart
//!   import without `X-Vertoog-Request: 1` 403; header-read/idle timeout and a connection
//!   limit in [`Server::run`]'s accept loop; Graphviz children die with their request.
//! - Concurrent edits (issue 9): `GET` of an entity and every write answer an `ETag` (hash of
//!   the entity's JSON). `PATCH`/`DELETE` with `If-Match` write only when it still matches
//!   (412 otherwise), atomically with respect to every other write of this server; without
//!   `If-Match` the later write wins.
//! - Creates without an id: actors and narratives get the slug of their name/label, made
//!   unique in the map; maps the slug of their name; stances and ties `s<N>`/`t<N>`.
//! - `PATCH` merges top-level fields into the stored entity (`null` clears an optional
//!   field); map `settings` merge key by key. Unknown fields are a 422 naming them.
//! - Unknown query parameters are a 400 naming them (a typo must not be ignored silently).
//! - The CSV export is the four files one after the other, each after a `# NAME.csv` line,
//!   or one file with `?entity=`.
//! - The log is oldest first; `?order=desc` gives newest first.

pub mod annotate;
mod auth;
mod cache;
mod demo;
mod error;
pub mod export;
mod graphviz;
mod guard;
mod input;
mod routes;
mod state;
mod web;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use vertoog_store::{Store, StoreError};

pub use auth::{Admin, Editor, Principal, Viewer};
pub use cache::{
    AnalysisCache, AnalysisKey, ANALYSIS_WAIT, CACHE_CAPACITY, CACHE_MEMORY, WARM_MAPS,
};
pub use demo::{load_demo, DEMO_MAP_ID, DEMO_MAP_NAME};
pub use error::{ApiError, ApiResult, Candidate, FieldProblem};
pub use guard::{HostPolicy, REQUEST_HEADER};
pub use input::{BODY_LIMIT, DEFAULT_LIMIT, MAX_JSON_DEPTH, MAX_LIMIT};
pub use routes::route_table;
pub use state::{AppState, Mode};

/// The default request timeout: a request still running after it gets 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A connection must send a request's headers within this time (and an idle keep-alive
/// connection is closed after it): slow or half-open clients cannot hold a connection.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// At most this many connections are served at once; further clients wait in the listen
/// backlog until one closes (issue 16 item 12: 300 half-open connections used to lock
/// everyone out at 256 open files).
pub const MAX_CONNECTIONS: usize = 128;

/// At most this many analyses, and separately this many Graphviz renders, run at once; a
/// further render gets 503 with `Retry-After`, a further analysis waits up to
/// [`cache::ANALYSIS_WAIT`] first (issue 16 item 11).
pub const MAX_HEAVY: usize = 2;

/// The Content-Security-Policy of every response: no inline scripts or styles, nothing from
/// other origins, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; \
    base-uri 'none'; form-action 'self'";

/// Why the server cannot start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// A non-loopback address without any access token (docs/interfaces.md §9, security).
    #[error(
        "refusing to listen on {addr}: it is not a loopback address and the store has no \
         access tokens, so anyone who can reach it could read and change every map; create \
         a token first (`vertoog token create --name NAME --role admin`) or listen on \
         127.0.0.1"
    )]
    NoTokens { addr: SocketAddr },
    /// The address cannot be bound (in use, no permission).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The demo map could not be imported (a defect of the embedded files).
    #[error("the demo map cannot be loaded: {0}")]
    Demo(String),
    #[error("server I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// How to run the server.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Where to listen; `127.0.0.1:8080` by default in the CLI. Port 0 picks a free port.
    pub addr: SocketAddr,
    /// The open store (the server flushes it on shutdown).
    pub store: Arc<Store>,
    /// Requests still running after this get 408 ([`REQUEST_TIMEOUT`] by default).
    pub request_timeout: Duration,
    /// `--allowed-host` values: further `Host` names the server answers (see `guard.rs`).
    pub allowed_hosts: Vec<String>,
    /// The header-read and keep-alive idle timeout ([`HEADER_TIMEOUT`]).
    pub header_timeout: Duration,
    /// Connections served at once ([`MAX_CONNECTIONS`]).
    pub max_connections: usize,
    /// Compute the default analysis of the most recently updated maps right after the start
    /// ([`AnalysisCache::warm`]); off by default, on in `vertoog serve`.
    pub warm: bool,
}

impl ServerConfig {
    /// A configuration with the default timeout.
    pub fn new(addr: SocketAddr, store: Arc<Store>) -> Self {
        ServerConfig {
            addr,
            store,
            request_timeout: REQUEST_TIMEOUT,
            allowed_hosts: Vec::new(),
            header_timeout: HEADER_TIMEOUT,
            max_connections: MAX_CONNECTIONS,
            warm: false,
        }
    }
}

/// A bound, not yet running server: [`Server::local_addr`] tells the port (useful with port
/// 0), [`Server::mode`] whether it runs with tokens or in local mode.
pub struct Server {
    listener: tokio::net::TcpListener,
    addr: SocketAddr,
    state: AppState,
    request_timeout: Duration,
    header_timeout: Duration,
    max_connections: usize,
    warm: bool,
}

/// Checks the access rule and binds the address. Refuses ([`ServerError::NoTokens`]) a
/// non-loopback address when the store has no tokens. Logs (tracing, info) the URL and the
/// mode.
pub async fn bind(config: ServerConfig) -> Result<Server, ServerError> {
    let loopback = config.addr.ip().is_loopback();
    if !loopback && !config.store.has_tokens()? {
        return Err(ServerError::NoTokens { addr: config.addr });
    }
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServerError::Bind {
            addr: config.addr,
            source,
        })?;
    let addr = listener.local_addr()?;
    let hosts = HostPolicy::new(Some(addr.port()), &config.allowed_hosts);
    let state = AppState::with_hosts(config.store, loopback, hosts);
    Ok(Server {
        listener,
        addr,
        state,
        request_timeout: config.request_timeout,
        header_timeout: config.header_timeout,
        max_connections: config.max_connections.max(1),
        warm: config.warm,
    })
}

impl Server {
    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The server's state (store, analysis cache), shared with its handlers.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// `Mode::Local` (no tokens, loopback: everyone is admin) or `Mode::Tokens`.
    pub fn mode(&self) -> Result<Mode, ServerError> {
        self.state.mode().map_err(|e| match e {
            ApiError::Internal(m) => ServerError::Io(std::io::Error::other(m)),
            other => ServerError::Io(std::io::Error::other(other.to_string())),
        })
    }

    /// Serves until `shutdown` completes, lets the requests in flight finish, then flushes
    /// the store.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServerError> {
        let mode = self.mode()?;
        match mode {
            Mode::Local => tracing::info!(
                "listening on http://{} in local mode: the store has no tokens, so everyone \
                 on this machine is admin",
                self.addr
            ),
            _ => tracing::info!(
                "listening on http://{}; every API request needs a token",
                self.addr
            ),
        }
        let store = self.state.store().clone();
        if self.warm {
            let state = self.state.clone();
            tokio::spawn(async move {
                let maps = state.cache().warm(state.store()).await;
                tracing::info!("analysed at start: {}", maps.join(", "));
            });
        }
        let app = router_with_timeout(self.state, self.request_timeout);
        serve_connections(
            self.listener,
            app,
            self.header_timeout,
            self.max_connections,
            shutdown,
        )
        .await;
        tokio::task::spawn_blocking(move || store.flush())
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))??;
        tracing::info!("stopped; the store is flushed");
        Ok(())
    }
}

/// The accept loop: HTTP/1.1 connections with a header-read (and keep-alive idle) timeout,
/// at most `max` at once (a further client waits in the listen backlog). On `shutdown` it
/// stops accepting, asks every connection to finish its request in flight, and waits for
/// them.
async fn serve_connections(
    listener: tokio::net::TcpListener,
    app: Router,
    header_timeout: Duration,
    max: usize,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let permits = Arc::new(tokio::sync::Semaphore::new(max));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            _ = &mut shutdown => break,
        };
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((s, _)) => s,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment, do not spin.
                    tracing::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let service =
                hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let app = app.clone();
                    async move {
                        use tower::ServiceExt;
                        app.oneshot(req.map(axum::body::Body::new)).await
                    }
                });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .keep_alive(true);
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            let mut conn = std::pin::pin!(conn);
            let stopping = async move {
                let _ = stop.wait_for(|s| *s).await;
            };
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stopping => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.as_mut().await;
                }
            }
        });
    }
    let _ = stop_tx.send(true);
    // Every connection holds a permit until it ends: taking them all waits for the last.
    let _ = permits.acquire_many(max as u32).await;
}

/// [`bind`] then [`Server::run`].
pub async fn serve(
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    bind(config).await?.run(shutdown).await
}

/// Completes on Ctrl-C (SIGINT) or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Installs a tracing subscriber that writes to stderr, filtered by `RUST_LOG` (default
/// `info`). For the binary; the library never calls it. Does nothing if one is installed.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    use std::io::IsTerminal;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .try_init();
}

/// The whole app with the default request timeout: `/api/v1/...` and the web UI, with the
/// limits, the security headers and the request log.
pub fn router(state: AppState) -> Router {
    router_with_timeout(state, REQUEST_TIMEOUT)
}

/// [`router`] with a given request timeout.
pub fn router_with_timeout(state: AppState, timeout: Duration) -> Router {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    let state_for_guard = state.clone();
    Router::new()
        .nest("/api/v1", routes::api(state.clone()))
        .fallback(web::serve_file)
        .with_state(state)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(middleware::from_fn(json_errors))
        .layer(header(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(middleware::from_fn_with_state(
            state_for_guard,
            guard::guard,
        ))
        .layer(middleware::from_fn(log_request))
}

/// One log line per request: a request id (also answered as `X-Request-Id`), method, path
/// (no query string), status, duration. A request whose client went away before the answer
/// (its handler was dropped) is logged as `cancelled` with the time it ran.
async fn log_request(req: Request, next: Next) -> Response {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT_ID: AtomicU64 = AtomicU64::new(1);
    struct Pending {
        id: u64,
        method: axum::http::Method,
        path: String,
        start: Instant,
        done: bool,
    }
    impl Drop for Pending {
        fn drop(&mut self) {
            if !self.done {
                tracing::warn!(
                    id = self.id,
                    method = %self.method,
                    path = %self.path,
                    ms = format_args!("{:.1}", self.start.elapsed().as_secs_f64() * 1000.0),
                    "request cancelled: the client disconnected before the answer"
                );
            }
        }
    }
    let mut pending = Pending {
        id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        method: req.method().clone(),
        path: req.uri().path().to_string(),
        start: Instant::now(),
        done: false,
    };
    let mut response = next.run(req).await;
    pending.done = true;
    tracing::info!(
        id = pending.id,
        method = %pending.method,
        path = %pending.path,
        status = response.status().as_u16(),
        ms = format_args!("{:.1}", pending.start.elapsed().as_secs_f64() * 1000.0),
        "request"
    );
    if let Ok(v) = HeaderValue::from_str(&pending.id.to_string()) {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

/// Gives the errors that the framework answers itself (405, 408, 413 from the limit layer,
/// ...) the JSON error body of every other error.
async fn json_errors(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !status.is_client_error() && !status.is_server_error() || is_json {
        return response;
    }
    let (code, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "this method is not allowed here"),
        StatusCode::REQUEST_TIMEOUT => ("timeout", "the request took too long and was stopped"),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            "the request body is larger than 16 MiB",
        ),
        StatusCode::NOT_FOUND => ("not_found", "not found"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ("unsupported_media_type", "unsupported content type")
        }
        s if s.is_server_error() => ("internal", "internal server error"),
        _ => ("bad_request", "the request is not valid"),
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = serde_json::json!({"error": {"code": code, "message": message, "field": null}});
    let mut fresh = (status, axum::Json(body)).into_response();
    for (k, v) in parts.headers.iter() {
        if k != header::CONTENT_TYPE {
            fresh.headers_mut().insert(k.clone(), v.clone());
        }
    }
    fresh
}
