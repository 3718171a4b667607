//! The one web error type. API errors answer JSON saying what was wrong; page errors answer a
//! page in the visitor's language. Internal details are logged, never shown.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use observa_domain::consultation::Issue;
use observa_workflow::WorkflowError;
use serde_json::json;

use crate::i18n::Lang;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Unknown code or id (404).
    #[error("{0}")]
    NotFound(String),
    /// A parameter that cannot be used (400).
    #[error("{0}")]
    BadRequest(String),
    /// Signed in, but the role or the State does not allow it (403).
    #[error("{0}")]
    Forbidden(String),
    /// Someone saved in between (409); pages show both versions instead.
    #[error("{0}")]
    Conflict(String),
    /// An upload over the size limit (413).
    #[error("{0}")]
    TooLarge(String),
    /// An upload of a type not accepted, or whose name and content disagree (415).
    #[error("{0}")]
    Unsupported(String),
    /// Too many failed sign-ins (429).
    #[error("{0}")]
    TooManyAttempts(String),
    /// A refusal of the consultation's workflow, with its status and message decided once by
    /// [`WebError::workflow`]; `issues` are the answers' issues (422), `current` the stored
    /// version (412, sent as the ETag).
    #[error("{message}")]
    Workflow { status: StatusCode, message: String, issues: Vec<Issue>, current: Option<i64> },
    /// Anything else (500); the message is logged, not sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl WebError {
    fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::Unsupported(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            WebError::Workflow { status, .. } => *status,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The one mapping from the workflow's refusals to HTTP: the status, and a message in the
    /// visitor's language. Storage failures are logged and answered 500 without their detail.
    pub fn workflow(e: WorkflowError, lang: Lang) -> WebError {
        let with = |key: &str, detail: &str| match detail {
            "" => lang.text(key),
            detail => format!("{} ({detail})", lang.text(key)),
        };
        let (status, message, issues, current) = match e {
            WorkflowError::NotFound(what) => (StatusCode::NOT_FOUND, with("workflow-not-found", &what), vec![], None),
            WorkflowError::Forbidden { .. } => (StatusCode::FORBIDDEN, lang.text("workflow-forbidden"), vec![], None),
            WorkflowError::Stale { current } => {
                (StatusCode::PRECONDITION_FAILED, lang.text("workflow-stale"), vec![], Some(current))
            }
            WorkflowError::Refused { issues } => {
                (StatusCode::UNPROCESSABLE_ENTITY, lang.text("workflow-refused"), issues, None)
            }
            WorkflowError::NotEditable { status } => {
                let shown = lang.text(&format!("status-{}", status.code()));
                (StatusCode::CONFLICT, with("workflow-not-editable", &shown), vec![], None)
            }
            WorkflowError::CycleOpen { year } => {
                (StatusCode::CONFLICT, with("workflow-cycle-open", &year.to_string()), vec![], None)
            }
            WorkflowError::Invalid { key, detail } => (StatusCode::BAD_REQUEST, with(key, &detail), vec![], None),
            WorkflowError::Storage(detail) => return WebError::Internal(detail),
        };
        WebError::Workflow { status, message, issues, current }
    }

    fn public_message(&self) -> String {
        match self {
            WebError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                "internal error".to_string()
            }
            other => other.to_string(),
        }
    }

    /// The error as an HTML page in `lang`.
    pub fn page(self, lang: Lang, templates: &crate::templates::Templates) -> Response {
        let status = self.status();
        let title = lang.text(match status {
            StatusCode::NOT_FOUND => "error-not-found",
            StatusCode::BAD_REQUEST => "error-bad-request",
            StatusCode::FORBIDDEN => "error-forbidden",
            StatusCode::CONFLICT | StatusCode::PRECONDITION_FAILED => "error-conflict",
            StatusCode::UNPROCESSABLE_ENTITY => "error-refused",
            StatusCode::TOO_MANY_REQUESTS => "error-too-many",
            StatusCode::PAYLOAD_TOO_LARGE | StatusCode::UNSUPPORTED_MEDIA_TYPE => "error-upload",
            _ => "error-internal",
        });
        let ctx = minijinja::context! { lang => lang.code(), title => title.clone(), detail => self.public_message(), langs => crate::pages::language_links(lang, "") };
        match templates.render("error.html", ctx) {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, title).into_response(),
        }
    }
}

/// API handlers return this: JSON errors.
impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, message) = (self.status(), self.public_message());
        let WebError::Workflow { issues, current, .. } = self else { return problem(status, &message) };
        let reason = status.canonical_reason().unwrap_or("Error");
        let mut body = json!({ "error": reason, "message": message });
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            body["issues"] = json!(issues);
        }
        let mut r = (status, Json(body)).into_response();
        if let Some(v) = current.and_then(|v| HeaderValue::from_str(&format!("\"v{v}\"")).ok()) {
            r.headers_mut().insert(header::ETAG, v);
        }
        r
    }
}

/// The API's problem body, `{"error": reason phrase, "message": what was wrong}`, for any status
/// (the extractors' rejections have statuses `WebError` has no variant for: 405, 422).
pub(crate) fn problem(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": status.canonical_reason().unwrap_or("Error"), "message": message }))).into_response()
}

impl From<tantivy::TantivyError> for WebError {
    fn from(e: tantivy::TantivyError) -> Self {
        WebError::Internal(format!("search: {e}"))
    }
}

impl From<minijinja::Error> for WebError {
    fn from(e: minijinja::Error) -> Self {
        WebError::Internal(format!("template: {e:#}"))
    }
}
