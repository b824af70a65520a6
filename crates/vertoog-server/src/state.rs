//! The shared state of the handlers: the store, whether the server listens on loopback (for
//! local mode), the analysis cache, and the gate that makes conditional writes (`If-Match`)
//! atomic.

use std::sync::Arc;

use vertoog_store::Store;

use crate::cache::AnalysisCache;
use crate::error::ApiResult;
use crate::guard::HostPolicy;

/// How requests are authenticated right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// No tokens, loopback address: everyone is `admin` as `local`.
    Local,
    /// Tokens exist: `Authorization: Bearer TOKEN` is required.
    Tokens,
    /// No tokens on a non-loopback address: nobody gets in (the server refuses to start
    /// like this; this only happens if the tokens disappear while it runs).
    Closed,
}

impl Mode {
    /// `local` | `tokens` | `closed`, as `GET /api/v1/health` says.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Local => "local",
            Mode::Tokens => "tokens",
            Mode::Closed => "closed",
        }
    }
}

struct Inner {
    store: Arc<Store>,
    loopback: bool,
    cache: AnalysisCache,
    /// Which `Host` values are served (`guard.rs`).
    hosts: HostPolicy,
    /// Permits of Graphviz renders (503 when none is free).
    renders: Arc<tokio::sync::Semaphore>,
}

/// The state every handler gets (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

impl AppState {
    /// State over `store`. `loopback` says whether the server listens only on a loopback
    /// address (which allows local mode when the store has no tokens).
    pub fn new(store: Arc<Store>, loopback: bool) -> Self {
        Self::with_hosts(store, loopback, HostPolicy::default())
    }

    /// [`AppState::new`] with the `Host` policy of a bound server.
    pub fn with_hosts(store: Arc<Store>, loopback: bool, hosts: HostPolicy) -> Self {
        AppState {
            inner: Arc::new(Inner {
                store,
                loopback,
                cache: AnalysisCache::new(),
                hosts,
                renders: Arc::new(tokio::sync::Semaphore::new(crate::MAX_HEAVY)),
            }),
        }
    }

    /// The store.
    pub fn store(&self) -> &Arc<Store> {
        &self.inner.store
    }

    /// The `Host` policy.
    pub fn hosts(&self) -> &HostPolicy {
        &self.inner.hosts
    }

    /// The permits of Graphviz renders.
    pub(crate) fn renders(&self) -> &Arc<tokio::sync::Semaphore> {
        &self.inner.renders
    }

    /// The analysis cache.
    pub fn cache(&self) -> &AnalysisCache {
        &self.inner.cache
    }

    /// The current authentication mode: tokens when the store has any, else local on
    /// loopback, else closed. Checked per request (a cheap prefix scan of the store).
    pub fn mode(&self) -> ApiResult<Mode> {
        Ok(if self.inner.store.has_tokens()? {
            Mode::Tokens
        } else if self.inner.loopback {
            Mode::Local
        } else {
            Mode::Closed
        })
    }
}
