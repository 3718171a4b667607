//! Observa's public portal: server-rendered pages in four languages, the read API under
//! `/api/v1`, and search. Handlers read an in-memory [`Snapshot`] of the registry, rebuilt from
//! the store after every write, so reads never wait on the database.

mod api;
pub mod auth;
mod cache;
mod changes;
pub mod charts;
mod downloads;
mod error;
mod extract;
pub mod filetype;
mod matrix_workbook;
mod headers;
mod i18n;
mod pages;
mod refusals;
mod responses;
pub mod search;
pub mod signed_in;
mod snapshot;
mod templates;
mod view;
pub mod workbook;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};

use axum::Router;
use observa_domain::history::AsOf;
use observa_domain::questionnaire::Questionnaire;
use observa_store::Backend;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use cache::CacheStats;
pub use error::WebError;
pub use i18n::Lang;
pub use refusals::PER_WINDOW as REFUSALS_PER_WINDOW;
pub use snapshot::Snapshot;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The registry as the portal reads it; replaced whole after a write that changes the
    /// registry (an accepted response), so a request sees one consistent view.
    view: Arc<RwLock<view::View>>,
    pub templates: Arc<templates::Templates>,
    pub cache: Arc<cache::ResponseCache>,
    /// The database, whichever engine holds it, for the signed-in parts (accounts, editorial
    /// text, the consultation) and for rebuilding the view; public pages read the view.
    pub store: Arc<Mutex<Box<dyn Backend>>>,
    /// Turns for checking passwords: at most [`auth::HASHING`] argon2 hashes at once.
    pub hashing: Arc<tokio::sync::Semaphore>,
    /// Served behind a TLS proxy: cookies are marked `Secure` and answers carry HSTS.
    pub behind_tls: bool,
    /// Bounds the audit entries of refused anonymous requests per address.
    refusals: Arc<refusals::Refusals>,
    /// The questionnaire versions, for the report's appendix.
    pub questionnaires: Arc<Vec<Questionnaire>>,
    /// The database holds demonstration data (`observa demo`): every page says so.
    pub demonstration: bool,
}

impl AppState {
    /// Builds the state from the store: the registry snapshot, its search index and open-data
    /// files are made once here, and again after each registry write ([`AppState::refresh`]).
    pub fn new(store: Box<dyn Backend>, questionnaires: Vec<Questionnaire>) -> Result<Self, WebError> {
        let view = view::View::build(store.as_ref())?;
        let demonstration = store.meta("demonstration").map_err(auth::internal)?.is_some();
        Ok(AppState {
            view: Arc::new(RwLock::new(view)),
            templates: Arc::new(templates::Templates::new()),
            cache: Default::default(),
            store: Arc::new(Mutex::new(store)),
            hashing: Arc::new(tokio::sync::Semaphore::new(auth::HASHING)),
            behind_tls: false,
            refusals: Default::default(),
            questionnaires: Arc::new(questionnaires),
            demonstration,
        })
    }

    /// Marks cookies `Secure` and sends HSTS: for a server reached only through HTTPS.
    pub fn behind_tls(mut self, yes: bool) -> Self {
        self.behind_tls = yes;
        self
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.view.read().expect("view lock").snapshot.clone()
    }

    /// The current snapshot read in `lang`: what public pages show.
    pub fn snapshot_in(&self, lang: observa_domain::Lang) -> Arc<Snapshot> {
        self.snapshot().in_lang(lang)
    }

    /// The registry as it stood for a cycle or on a date (the current snapshot for
    /// [`AsOf::Now`]), read from the store's history once per view.
    pub fn snapshot_as_of(&self, as_of: AsOf) -> Result<Arc<Snapshot>, WebError> {
        if as_of == AsOf::Now {
            return Ok(self.snapshot());
        }
        let past = self.view.read().expect("view lock").past.clone();
        if let Some(found) = past.lock().expect("past lock").get(&as_of) {
            return Ok(found.clone());
        }
        let dataset = self.store.lock().expect("store lock").load_as_of(as_of).map_err(auth::internal)?;
        let on = match as_of {
            AsOf::Cycle(year) => chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
            AsOf::Date(day) => day,
            AsOf::Now => chrono::Utc::now().date_naive(),
        };
        let snapshot = Arc::new(Snapshot::on(dataset, on));
        let mut past = past.lock().expect("past lock");
        if past.len() >= view::PAST_READINGS {
            past.clear();
        }
        past.insert(as_of, snapshot.clone());
        Ok(snapshot)
    }

    /// The open-data files of the registry as it stood for a cycle.
    pub fn downloads_as_of(&self, cycle: i32) -> Result<Arc<downloads::Downloads>, WebError> {
        let past = self.view.read().expect("view lock").past_downloads.clone();
        if let Some(found) = past.lock().expect("past lock").get(&cycle) {
            return Ok(found.clone());
        }
        let snapshot = self.snapshot_as_of(AsOf::Cycle(cycle))?;
        let tables = self.store.lock().expect("store lock").tables_as_of(AsOf::Cycle(cycle)).map_err(auth::internal)?;
        let made = Arc::new(downloads::Downloads::build(&snapshot, &tables));
        let mut past = past.lock().expect("past lock");
        if past.len() >= view::PAST_READINGS {
            past.clear();
        }
        past.insert(cycle, made.clone());
        Ok(made)
    }

    pub fn search(&self) -> Arc<search::SearchIndex> {
        self.view.read().expect("view lock").search.clone()
    }

    /// Today's open-data files, made at the first request after each change (they are whole-
    /// registry files: making them at every accept would delay the pages showing it).
    pub fn downloads(&self) -> Arc<downloads::Downloads> {
        let view = self.view.read().expect("view lock").clone();
        view.downloads
            .get_or_init(|| {
                let tables = self.store.lock().expect("store lock").tables();
                Arc::new(downloads::Downloads::build(
                    &view.snapshot,
                    &tables.unwrap_or_else(|e| {
                        tracing::error!(error = %e, "the registry's tables could not be read for the open-data files");
                        Vec::new()
                    }),
                ))
            })
            .clone()
    }

    /// The answer cache's figures (bytes held, report renders run), for tests and operators.
    pub fn cache_stats(&self) -> CacheStats {
        self.cache.stats()
    }

    /// Brings the view up to date with the store after the registry changed (only the search
    /// documents of the States whose records changed are remade, see [`view::View::updated`]),
    /// swaps it in, and forgets every cached answer. It runs after a write has committed, so it cannot fail that write: if
    /// the view cannot be rebuilt, the error is logged and the portal keeps serving the view it
    /// had (the committed change shows at the next successful refresh or start). Returns whether
    /// the new view is in place.
    pub fn refresh(&self) -> bool {
        let old = self.view.read().expect("view lock").clone();
        let built = old.updated(self.store.lock().expect("store lock").as_ref());
        match built {
            Ok(view) => {
                *self.view.write().expect("view lock") = view;
                self.cache.clear();
                true
            }
            Err(e) => {
                tracing::error!(error = %e, "the portal's view could not be rebuilt; the previous one is kept");
                false
            }
        }
    }
}

/// The whole application: pages and API, each module contributing its own router.
pub fn router(state: AppState) -> Router {
    let trace = TraceLayer::new_for_http()
        .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
        .on_response(DefaultOnResponse::new().level(Level::INFO));
    Router::new()
        .merge(pages::router(state.clone()))
        .merge(api::router(state.clone()))
        .layer(axum::middleware::from_fn(extract::json_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), headers::secure))
        .layer(trace)
        .with_state(state)
}

/// Serves until Ctrl-C (or SIGTERM), then finishes the requests in flight.
pub async fn serve(addr: SocketAddr, state: AppState) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("Observa is serving on http://{}/", listener.local_addr()?);
    let follower = state.clone();
    std::thread::spawn(move || follow_other_writers(follower));
    serve_on(listener, state, shutdown_signal()).await
}

/// Several servers may share one database (PostgreSQL): every half second, if the store's
/// [`observa_store::Store::data_version`] moved (a write by any process, this one included),
/// the view is rebuilt, so another server's write shows here within a second. A plain thread:
/// the store is synchronous, and the thread ends with the process.
fn follow_other_writers(state: AppState) {
    let version = move |state: &AppState| state.store.lock().ok().and_then(|s| s.data_version().ok());
    let mut seen = version(&state);
    loop {
        std::thread::sleep(std::time::Duration::from_millis(500));
        let now = version(&state);
        if now.is_some() && now != seen && state.refresh() {
            seen = now;
        }
    }
}

/// Serves on an already bound listener until `shutdown` completes (tests bind port 0).
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The peer address is kept for throttling sign-in attempts per address.
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    println!("shutting down");
}
