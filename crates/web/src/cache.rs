//! A cache of whole GET answers, with ETags, and single-flight renders of expensive files.
//!
//! The registry only changes on writes (and then the snapshot is rebuilt), so a public page or
//! API answer for a given URL is the same bytes until then. The first request renders it; later
//! ones are served from memory, with a strong ETag (304 when the client has it).
//!
//! Nobody can fill it:
//! - Only the routes listed in [`ROUTES`] are cached, each under its *canonical* URL: the path
//!   and the query parameters that route reads, sorted by name and re-encoded. Any other
//!   parameter (`?cb=1`, `?utm_source=...`) does not make a new entry. On pages it is dropped
//!   before the handler runs, so the visitor gets the canonical answer (links shared with
//!   tracking parameters keep working, and the language switcher does not repeat them). The
//!   API keeps its contract of refusing unknown parameters with a 400, which is never cached.
//!   A route missing from the list is simply not cached: new pages are safe by default.
//! - The cache is bounded by total bytes ([`MAX_BYTES`]), evicting the least recently used
//!   answers first; one answer over [`MAX_ENTRY`] is served but not kept.
//! - [`ResponseCache::once`] runs an expensive writer (the report's PDF, DOCX, ...) at most once
//!   per key until the data next changes: concurrent callers wait for the one in flight, later
//!   ones get its bytes. The work runs on the blocking pool, detached from the request, so a
//!   client that hangs up does not make the next one start over. Its keys are finite (cycle,
//!   language, format, all validated first) and it is emptied with the cache.
//!
//! Each write bumps a generation; an answer rendered before a write is not stored after it.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{MatchedPath, OriginalUri, Request, State};
use axum::http::{header, uri::PathAndQuery, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use lru::LruCache;
use tokio::sync::watch;

use crate::{AppState, WebError};

/// The most the cached answers may take, bodies, keys and headers counted.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// An answer larger than this is served but not kept, so that one file cannot evict the rest.
pub const MAX_ENTRY: usize = 8 * 1024 * 1024;
/// Headers of the first answer that are kept for later ones.
const KEPT: [header::HeaderName; 3] = [header::CONTENT_TYPE, header::CONTENT_DISPOSITION, header::CACHE_CONTROL];

/// The cacheable routes (as the router names them) and the query parameters each one reads.
/// Keep in step with the handlers' `Query<...>` extractors.
const ROUTES: &[(&str, &[&str])] = &[
    ("/static/style.css", &[]),
    ("/static/autosave.js", &[]),
    ("/downloads/{*path}", &[]),
    ("/{lang}", &["on"]),
    ("/{lang}/", &["on"]),
    ("/{lang}/states", &[]),
    ("/{lang}/states/{code}", &[]),
    ("/{lang}/states/{code}/changes", &["from", "to"]),
    ("/{lang}/plans/{id}", &[]),
    ("/{lang}/plans/{id}/changes", &["from", "to"]),
    ("/{lang}/bodies/{id}", &[]),
    ("/{lang}/bodies/{id}/changes", &["from", "to"]),
    ("/{lang}/agencies", &[]),
    ("/{lang}/agencies/{id}", &[]),
    ("/{lang}/analysis", &["cycle", "on"]),
    ("/{lang}/analysis/status", &["cycle", "on"]),
    ("/{lang}/analysis/comparison", &["cycle", "on"]),
    ("/{lang}/analysis/swot", &[]),
    ("/{lang}/analysis/timeline", &[]),
    ("/{lang}/analysis/rio", &[]),
    ("/{lang}/analysis/report", &[]),
    ("/{lang}/analysis/report/{cycle}", &[]),
    ("/{lang}/analysis/report/{cycle}/{format}", &[]),
    ("/{lang}/treaties", &[]),
    ("/{lang}/sources", &[]),
    ("/{lang}/search", &["q", "state", "kind", "focal_point"]),
    ("/{lang}/downloads", &[]),
    ("/api/v1/states", &["as_of", "lang"]),
    ("/api/v1/states/{code}", &["as_of", "lang"]),
    ("/api/v1/plans/{id}", &["as_of", "lang"]),
    ("/api/v1/bodies/{id}", &["as_of", "lang"]),
    ("/api/v1/agencies", &["lang"]),
    ("/api/v1/agencies/{id}", &["lang"]),
    ("/api/v1/treaties", &[]),
    ("/api/v1/ratifications", &["as_of", "lang", "state", "treaty"]),
    ("/api/v1/reporting", &["as_of", "lang", "state", "treaty"]),
    ("/api/v1/changes", &["from", "state", "to"]),
    ("/api/v1/search", &["q", "state", "kind", "focal_point", "limit", "lang"]),
    ("/api/v1/openapi.json", &[]),
];

/// What a finished render left for the callers waiting on it.
type Flight = watch::Receiver<Option<Result<Bytes, String>>>;

pub struct ResponseCache {
    inner: Mutex<Inner>,
    budget: usize,
    renders: AtomicU64,
}

struct Inner {
    /// Bumped by every [`ResponseCache::clear`].
    generation: u64,
    entries: LruCache<String, Arc<Cached>>,
    bytes: usize,
    flights: HashMap<String, Flight>,
}

/// The cache's figures, for tests and operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    pub entries: usize,
    /// What the cached answers take; never above `budget`.
    pub bytes: usize,
    pub budget: usize,
    /// How many times [`ResponseCache::once`] ran a writer (the report's files and page).
    pub renders: u64,
    /// Files kept by `once` (finite: one per cycle, language and format).
    pub rendered_files: usize,
}

struct Cached {
    headers: HeaderMap,
    etag: HeaderValue,
    body: Bytes,
    cost: usize,
}

impl Default for ResponseCache {
    fn default() -> Self {
        ResponseCache::with_budget(MAX_BYTES)
    }
}

impl Cached {
    fn answer(&self, if_none_match: Option<&HeaderValue>) -> Response {
        let tag = self.etag.to_str().unwrap_or_default();
        let matches = if_none_match
            .and_then(|v| v.to_str().ok())
            .is_some_and(|s| s.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
        if matches {
            return (StatusCode::NOT_MODIFIED, [(header::ETAG, self.etag.clone())]).into_response();
        }
        let mut response = Response::new(Body::from(self.body.clone()));
        *response.headers_mut() = self.headers.clone();
        response.headers_mut().insert(header::ETAG, self.etag.clone());
        response
    }
}

impl ResponseCache {
    /// A cache that holds at most `budget` bytes of answers.
    pub fn with_budget(budget: usize) -> Self {
        let inner = Inner { generation: 0, entries: LruCache::unbounded(), bytes: 0, flights: HashMap::new() };
        ResponseCache { inner: Mutex::new(inner), budget, renders: AtomicU64::new(0) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().expect("cache lock")
    }

    /// Forgets everything (after a write changes the registry or the report's text).
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.entries.clear();
        inner.bytes = 0;
        inner.flights.clear();
    }

    pub fn stats(&self) -> CacheStats {
        let inner = self.lock();
        CacheStats {
            entries: inner.entries.len(),
            bytes: inner.bytes,
            budget: self.budget,
            renders: self.renders.load(Ordering::Relaxed),
            rendered_files: inner.flights.len(),
        }
    }

    /// The entry for `key`, or the generation to store a fresh answer under.
    fn get(&self, key: &str) -> Result<Arc<Cached>, u64> {
        let mut inner = self.lock();
        inner.entries.get(key).cloned().ok_or(inner.generation)
    }

    /// Keeps an answer rendered in `generation` (unless the data changed since), then evicts
    /// the least recently used answers until the total is within the budget.
    fn put(&self, key: String, entry: Arc<Cached>, generation: u64) {
        let mut inner = self.lock();
        if inner.generation != generation || entry.cost > self.budget {
            return;
        }
        inner.bytes += entry.cost;
        if let Some(old) = inner.entries.put(key, entry) {
            inner.bytes -= old.cost;
        }
        while inner.bytes > self.budget {
            let Some((_, gone)) = inner.entries.pop_lru() else { break };
            inner.bytes -= gone.cost;
        }
    }

    /// Runs `make` on the blocking pool at most once per `key` until the data next changes;
    /// callers that come while it runs wait for it, later ones get its bytes. A failed run is
    /// forgotten, so the next request tries again.
    pub async fn once(
        &self,
        key: String,
        make: impl FnOnce() -> Result<Vec<u8>, WebError> + Send + 'static,
    ) -> Result<Bytes, WebError> {
        let mut flight = {
            let mut inner = self.lock();
            match inner.flights.get(&key) {
                Some(flight) => flight.clone(),
                None => {
                    let (done, flight) = watch::channel(None);
                    inner.flights.insert(key.clone(), flight.clone());
                    self.renders.fetch_add(1, Ordering::Relaxed);
                    tokio::task::spawn_blocking(move || {
                        let _ = done.send(Some(make().map(Bytes::from).map_err(|e| e.to_string())));
                    });
                    flight
                }
            }
        };
        let outcome = match flight.wait_for(Option::is_some).await {
            Ok(result) => result.clone().unwrap_or_else(|| Err("no result".into())),
            Err(_) => Err(format!("the writer of {key} stopped (it panicked)")),
        };
        outcome.map_err(|message| {
            let mut inner = self.lock();
            if inner.flights.get(&key).is_some_and(|f| f.same_channel(&flight)) {
                inner.flights.remove(&key);
            }
            WebError::Internal(format!("{key}: {message}"))
        })
    }
}

/// The query parameters a cacheable route reads; `None` for a route that is not cached.
fn known_params(route: &str) -> Option<&'static [&'static str]> {
    ROUTES.iter().find(|(r, _)| *r == route).map(|(_, known)| *known)
}

/// The known parameters of `query`, sorted by name (repeated names keep their order) and
/// re-encoded; and whether it had others.
fn canonical(query: &str, known: &[&str]) -> (String, bool) {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let total = pairs.len();
    let mut kept: Vec<(String, String)> = pairs.into_iter().filter(|(k, _)| known.contains(&k.as_str())).collect();
    let unknown = kept.len() < total;
    kept.sort_by(|a, b| a.0.cmp(&b.0));
    (serde_urlencoded::to_string(&kept).unwrap_or_default(), unknown)
}

/// Gives the request its canonical query, so the handler renders the canonical answer.
fn rewrite(request: &mut Request, query: &str) {
    let path = request.uri().path();
    let with_query = if query.is_empty() { path.to_string() } else { format!("{path}?{query}") };
    let mut parts = request.uri().clone().into_parts();
    parts.path_and_query = PathAndQuery::try_from(with_query).ok();
    if let Ok(uri) = Uri::from_parts(parts) {
        *request.uri_mut() = uri;
    }
}

/// The middleware: serve from the cache, or render, remember and serve.
pub async fn cached(State(app): State<AppState>, mut request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    let known = route.as_deref().and_then(known_params);
    let Some(known) = known.filter(|_| request.method() == Method::GET) else {
        return next.run(request).await;
    };
    // Under `nest` the URI has lost its prefix; the original one has it.
    let original = request.extensions().get::<OriginalUri>().map_or_else(|| request.uri().clone(), |o| o.0.clone());
    let path = original.path().to_string();
    let raw = request.uri().query().unwrap_or("").to_string();
    let (query, unknown) = canonical(&raw, known);
    if unknown && path.starts_with("/api/") {
        // The API refuses parameters it does not know (400): let the handler say so.
        return next.run(request).await;
    }
    let mut key = if query.is_empty() { path } else { format!("{path}?{query}") };
    // An API answer without `lang` is in the language Accept-Language negotiates: one entry each.
    if key.starts_with("/api/") && !query.split('&').any(|p| p.starts_with("lang=")) {
        let header = request.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        key.push_str(&format!(" accept-language:{}", crate::i18n::Lang::negotiate(header).code()));
    }
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let generation = match app.cache.get(&key) {
        Ok(hit) => return hit.answer(if_none_match.as_ref()),
        Err(generation) => generation,
    };
    if query != raw {
        rewrite(&mut request, &query);
    }
    let response = next.run(request).await;
    // Signed-in pages say `no-store`: they differ per account and must never be shared.
    let private = response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store") || v.contains("private"));
    let size = response.body().size_hint().upper().unwrap_or(u64::MAX);
    if response.status() != StatusCode::OK || private || size > MAX_ENTRY as u64 {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ENTRY).await else {
        return WebError::Internal(format!("answer to {key} could not be read")).into_response();
    };
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    let etag = HeaderValue::from_str(&format!("\"{:016x}\"", hasher.finish())).expect("hex is a valid header");
    let mut headers = HeaderMap::new();
    for name in KEPT {
        if let Some(v) = parts.headers.get(&name) {
            headers.insert(name, v.clone());
        }
    }
    headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("public, max-age=300"));
    let header_bytes: usize = headers.iter().map(|(k, v)| k.as_str().len() + v.len()).sum();
    let cost = bytes.len() + key.len() + header_bytes + etag.len();
    let entry = Arc::new(Cached { headers, etag, body: bytes, cost });
    let answer = entry.answer(if_none_match.as_ref());
    app.cache.put(key, entry, generation);
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(size: usize) -> Arc<Cached> {
        let body = Bytes::from(vec![b'x'; size]);
        Arc::new(Cached { headers: HeaderMap::new(), etag: HeaderValue::from_static("\"t\""), body, cost: size })
    }

    #[test]
    fn unknown_parameters_are_dropped_and_known_ones_sorted() {
        let known = ["q", "state", "limit"];
        assert_eq!(canonical("cb=1", &known), (String::new(), true));
        assert_eq!(canonical("state=CL&q=ni%C3%B1ez&cb=2", &known), ("q=ni%C3%B1ez&state=CL".into(), true));
        assert_eq!(canonical("q=a+b&q=c", &known), ("q=a+b&q=c".into(), false), "repeated names keep their order");
        assert_eq!(canonical("q=a%20b", &known).0, canonical("q=a+b", &known).0, "one encoding");
        assert_eq!(canonical("", &known), (String::new(), false));
    }

    #[test]
    fn the_least_recently_used_answers_go_when_the_budget_is_full() {
        let cache = ResponseCache::with_budget(250);
        for name in ["a", "b"] {
            cache.put(name.into(), entry(100), 0);
        }
        assert!(cache.get("a").is_ok(), "a is now the most recently used");
        cache.put("c".into(), entry(100), 0);
        assert_eq!(cache.get("b").err(), Some(0), "b was the least recently used");
        assert!(cache.get("a").is_ok() && cache.get("c").is_ok());
        assert_eq!((cache.stats().entries, cache.stats().bytes), (2, 200));
        cache.put("big".into(), entry(300), 0);
        assert!(cache.get("big").is_err(), "an answer over the budget is not kept");
        assert!(cache.get("a").is_ok(), "and pushes nothing out");
        cache.put("a".into(), entry(50), 0);
        assert_eq!(cache.stats().bytes, 150, "a replaced entry is counted once");
    }

    #[test]
    fn an_answer_rendered_before_a_write_is_not_stored_after_it() {
        let cache = ResponseCache::default();
        let generation = cache.get("k").err().unwrap();
        cache.clear();
        cache.put("k".into(), entry(10), generation);
        assert!(cache.get("k").is_err());
    }

    #[test]
    fn every_cached_route_is_known_by_one_name() {
        let mut names: Vec<&str> = ROUTES.iter().map(|(r, _)| *r).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ROUTES.len());
        assert_eq!(known_params("/{lang}/account"), None, "signed-in pages are not cached");
    }

    #[tokio::test]
    async fn a_writer_runs_once_for_concurrent_and_later_callers() {
        let cache = Arc::new(ResponseCache::default());
        let slow = || {
            std::thread::sleep(std::time::Duration::from_millis(100));
            Ok(b"pdf".to_vec())
        };
        let calls: Vec<_> = (0..8)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.once("report".into(), slow).await.unwrap() })
            })
            .collect();
        for call in calls {
            assert_eq!(call.await.unwrap(), Bytes::from_static(b"pdf"));
        }
        assert_eq!(cache.once("report".into(), slow).await.unwrap(), Bytes::from_static(b"pdf"));
        assert_eq!(cache.stats().renders, 1);
        let failed = cache.once("bad".into(), || Err(WebError::Internal("boom".into()))).await;
        assert!(failed.is_err());
        assert!(cache.once("bad".into(), || Ok(b"ok".to_vec())).await.is_ok(), "a failure is retried");
        cache.clear();
        cache.once("report".into(), slow).await.unwrap();
        assert_eq!(cache.stats().renders, 4, "a write starts over");
    }
}
