//! A cache of whole GET answers, with ETags.
//!
//! The registry only changes on writes (and then the snapshot is rebuilt), so a page or an API
//! answer for a given URL is the same bytes until then. The first request renders it; later
//! ones are served from memory, with a strong ETag (304 when the client has it). Bounded in
//! entries and in entry size so that odd URLs cannot exhaust memory.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, RwLock};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

const MAX_ENTRIES: usize = 4096;
const MAX_BODY: usize = 2 * 1024 * 1024;
/// Headers of the first answer that are kept for later ones.
const KEPT: [header::HeaderName; 3] = [header::CONTENT_TYPE, header::CONTENT_DISPOSITION, header::CACHE_CONTROL];

#[derive(Default)]
pub struct ResponseCache {
    entries: RwLock<HashMap<String, Arc<Cached>>>,
}

struct Cached {
    headers: HeaderMap,
    etag: HeaderValue,
    body: Bytes,
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
    /// Forgets everything (after a write changes the registry).
    pub fn clear(&self) {
        self.entries.write().expect("cache lock").clear();
    }
}

/// The middleware: serve from the cache, or render, remember and serve.
pub async fn cached(State(app): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let key = request.uri().to_string();
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    if let Some(hit) = app.cache.entries.read().expect("cache lock").get(&key).cloned() {
        return hit.answer(if_none_match.as_ref());
    }
    let response = next.run(request).await;
    // Signed-in pages say `no-store`: they differ per account and must never be shared.
    let private = response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store") || v.contains("private"));
    if response.status() != StatusCode::OK || private {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return crate::WebError::Internal(format!("answer to {key} is over {MAX_BODY} bytes")).into_response();
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
    let entry = Arc::new(Cached { headers, etag, body: bytes });
    let answer = entry.answer(if_none_match.as_ref());
    let mut entries = app.cache.entries.write().expect("cache lock");
    if entries.len() < MAX_ENTRIES {
        entries.insert(key, entry);
    }
    answer
}
