//! Security headers on every answer (pages, API, downloads, errors): a Content-Security-Policy
//! that allows only this site's own scripts, styles and images (the portal has no inline script
//! or style; the map and charts are inline SVG, which CSP does not restrict), no framing, no
//! MIME sniffing, no full referrer to other sites, and HSTS when served behind TLS.
//!
//! The self-contained HTML report is a download with its styles inline: it gets a policy of its
//! own that allows those styles and nothing else (no script at all).

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// The portal's policy. `form-action 'self'` keeps forms posting here; `base-uri 'none'` stops an
/// injected `<base>` from redirecting relative links.
pub const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/// For downloaded documents that carry their own inline styles (the HTML report).
pub const DOCUMENT_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/// One year, the usual HSTS lifetime; sub-domains are not included (they may not be Observa's).
const HSTS: &str = "max-age=31536000";

pub async fn secure(State(app): State<AppState>, request: Request, next: Next) -> Response {
    // The API's texts follow Accept-Language when no `lang` is asked for: caches must keep one
    // answer per language.
    let api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    if api {
        response.headers_mut().append(header::VARY, HeaderValue::from_static("Accept-Language"));
    }
    let attachment = response
        .headers()
        .get(header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("attachment"));
    let h = response.headers_mut();
    let policy = if attachment { DOCUMENT_POLICY } else { PAGE_POLICY };
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    if app.behind_tls {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    response
}
