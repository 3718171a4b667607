//! The API refuses bad input with its JSON problem body, `{"error": ..., "message": ...}`,
//! never with axum's `text/plain` rejections.
//!
//! - [`ApiPath`], [`ApiQuery`] and [`ApiJson`] are axum's `Path`, `Query` and `Json` whose
//!   rejections answer the problem body with the rejection's status (400, or 413 for a body over
//!   the limit, 415 without a JSON content type, 422 for JSON of the wrong shape).
//! - [`json_errors`] is the safety net over everything under `/api/v1`: any error answer that is
//!   not JSON (a rejection from a plain extractor, 405 from the method router) is rewritten into
//!   the problem body, and a write (PUT, POST) whose declared length is over [`MAX_BODY`] is
//!   refused with 413 before anything reads it.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::Json;
use serde::de::DeserializeOwned;

use crate::error::problem;

/// The largest request body the API reads (axum's default limit for `Json`, made explicit).
pub const MAX_BODY: usize = 2 * 1024 * 1024;

/// `Path<T>` for the API: a segment that does not parse (a year that is not a number) answers
/// a JSON 400 naming it. Use as `ApiPath((year, state)): ApiPath<(i32, String)>`.
pub(crate) struct ApiPath<T>(pub T);

/// `Query<T>` for the API: a query string that does not fit `T` answers a JSON 400.
pub(crate) struct ApiQuery<T>(pub T);

/// `Json<T>` for the API: a body over [`MAX_BODY`] answers a JSON 413, a missing JSON content
/// type 415, invalid JSON 400, JSON of the wrong shape 422. Use as the handler's last argument,
/// `ApiJson(payload): ApiJson<serde_json::Value>`; the refusal is answered before the handler
/// runs, so put checks that must come first (authentication, `If-Match`) in a middleware or take
/// `Result<ApiJson<T>, Response>` and return the `Err` where it belongs.
pub(crate) struct ApiJson<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(e) => Err(path_problem(&e)),
        }
    }
}

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(e) => Err(query_problem(&e)),
        }
    }
}

/// The language an API reader asked for: the `lang` query parameter (`en`, `es`, `pt`, `fr`;
/// anything else is a JSON 400), else the best match of `Accept-Language`, else English. The
/// answer's texts are in it where a translation exists.
pub(crate) struct Reader(pub observa_domain::Lang);

impl<S> FromRequestParts<S> for Reader
where
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Response> {
        let asked = parts.uri.query().and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "lang").map(|(_, v)| v.into_owned())
        });
        match asked {
            Some(code) => crate::i18n::Lang::from_code(&code).map(|l| Reader(l.0)).ok_or_else(|| {
                let shown: String = code.chars().filter(char::is_ascii_alphanumeric).take(20).collect();
                problem(StatusCode::BAD_REQUEST, &format!("`lang` must be en, es, pt or fr; `{shown}` is not"))
            }),
            None => {
                let header = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
                Ok(Reader(crate::i18n::Lang::negotiate(header).0))
            }
        }
    }
}

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(e) => Err(json_problem(&e)),
        }
    }
}

fn path_problem(e: &PathRejection) -> Response {
    problem(e.status(), &format!("in the path: {}", e.body_text()))
}

fn query_problem(e: &QueryRejection) -> Response {
    problem(e.status(), &format!("in the query string: {}", e.body_text()))
}

fn json_problem(e: &JsonRejection) -> Response {
    let message = match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => too_large(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            "the body must be JSON, sent with `Content-Type: application/json`".into()
        }
        _ => format!("in the JSON body: {}", e.body_text()),
    };
    problem(e.status(), &message)
}

fn too_large() -> String {
    format!("the request body is over the limit of {} MB", MAX_BODY / (1024 * 1024))
}

/// The middleware (over the whole application; it acts under `/api/v1` only).
pub async fn json_errors(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/v1") {
        return next.run(request).await;
    }
    let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let writes = [Method::PUT, Method::POST, Method::PATCH].contains(request.method());
    if writes && declared.is_some_and(|n| n > MAX_BODY as u64) {
        return problem(StatusCode::PAYLOAD_TOO_LARGE, &too_large());
    }
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Rejection texts are one line; anything longer is not worth repeating.
    let text = axum::body::to_bytes(body, 4096).await.map(|b| String::from_utf8_lossy(&b).trim().to_string());
    let message = match text {
        Ok(text) if !text.is_empty() => text,
        _ if status == StatusCode::METHOD_NOT_ALLOWED => {
            "this path does not take that method; see /api/v1/openapi.json".into()
        }
        _ => status.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    let fresh = problem(status, &message);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/json"));
    Response::from_parts(parts, fresh.into_body())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    async fn call(app: Router, request: Request) -> (StatusCode, serde_json::Value) {
        let response = app.oneshot(request).await.unwrap();
        let status = response.status();
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json", "{status}");
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    fn app() -> Router {
        async fn year(ApiPath(year): ApiPath<i32>) -> String {
            year.to_string()
        }
        async fn limit(ApiQuery(q): ApiQuery<std::collections::HashMap<String, u8>>) -> String {
            format!("{q:?}")
        }
        async fn echo(ApiJson(v): ApiJson<serde_json::Value>) -> String {
            v.to_string()
        }
        async fn plain(Path(year): Path<i32>) -> String {
            year.to_string()
        }
        Router::new()
            .route("/api/v1/years/{year}", get(year).put(echo))
            .route("/api/v1/limit", get(limit))
            .route("/api/v1/plain/{year}", get(plain))
            .layer(axum::middleware::from_fn(json_errors))
    }

    fn get_(uri: &str) -> Request {
        Request::get(uri).body(axum::body::Body::empty()).unwrap()
    }

    #[tokio::test]
    async fn rejections_answer_the_json_problem_body() {
        let (status, body) = call(app(), get_("/api/v1/years/abc")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"], "Bad Request");
        assert!(body["message"].as_str().unwrap().contains("abc"), "{body}");
        assert_eq!(call(app(), get_("/api/v1/limit?n=300")).await.0, StatusCode::BAD_REQUEST);
        assert_eq!(call(app(), get_("/api/v1/plain/abc")).await.0, StatusCode::BAD_REQUEST, "the layer too");
        let (status, body) =
            call(app(), Request::delete("/api/v1/years/1").body(axum::body::Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert!(body["message"].is_string());
    }

    #[tokio::test]
    async fn json_bodies_are_refused_with_the_right_status() {
        let put_ = |body: Vec<u8>, kind: &str| {
            Request::put("/api/v1/years/1")
                .header(header::CONTENT_TYPE, kind)
                .body(axum::body::Body::from(body))
                .unwrap()
        };
        // No Content-Length here: the extractor's own limit answers.
        let big = vec![b' '; MAX_BODY + 1];
        assert_eq!(call(app(), put_(big, "application/json")).await.0, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(call(app(), put_(b"{".to_vec(), "application/json")).await.0, StatusCode::BAD_REQUEST);
        assert_eq!(call(app(), put_(b"{}".to_vec(), "text/plain")).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        // With a declared length the layer refuses before reading; the plain extractor would
        // have said 413 as text.
        let request = Request::put("/api/v1/plain/1")
            .header(header::CONTENT_LENGTH, (MAX_BODY * 5).to_string())
            .body(axum::body::Body::empty())
            .unwrap();
        assert_eq!(call(app(), request).await.0, StatusCode::PAYLOAD_TOO_LARGE);
    }
}
