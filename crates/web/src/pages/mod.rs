//! The HTML pages. Each module owns its routes; all pages live under a language prefix
//! (`/en/...`, `/es/...`); `/` redirects to the visitor's language.

mod agencies;
mod home;
mod states;
mod treaties;

pub use treaties::SearchParams;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use minijinja::Value;

use crate::i18n::Lang;
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(root))
        .route("/static/style.css", get(style))
        .route("/{lang}", get(home::page))
        .route("/{lang}/", get(home::page))
        .merge(states::router())
        .merge(agencies::router())
        .merge(treaties::router())
        .fallback(not_found)
}

/// Sends the visitor to the home page in the best language their browser asks for.
async fn root(headers: HeaderMap) -> Redirect {
    let lang = Lang::negotiate(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    Redirect::to(&format!("/{}/", lang.code()))
}

async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../assets/style.css"),
    )
        .into_response()
}

async fn not_found(State(app): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let lang = uri
        .path()
        .split('/')
        .nth(1)
        .and_then(Lang::from_code)
        .unwrap_or_else(|| {
            Lang::negotiate(
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok()),
            )
        });
    WebError::NotFound(format!("{} {}", lang.text("error-no-page"), uri.path()))
        .page(lang, &app.templates)
}

/// The language of a page from its URL prefix; an unknown prefix is a 404.
pub fn page_lang(code: &str) -> Result<Lang, WebError> {
    Lang::from_code(code).ok_or_else(|| WebError::NotFound(format!("no language `{code}`")))
}

/// The language switcher's entries.
pub fn language_links(lang: Lang) -> Vec<Value> {
    Lang::ALL.iter().map(|l| minijinja::context! { code => l.code(), name => l.text("language-name"), current => *l == lang }).collect()
}

/// Renders a page, or the error page in the same language.
pub fn render(app: &AppState, lang: Lang, uri: &Uri, template: &str, ctx: Value) -> Response {
    // Every page gets the language, the path without its prefix (for the language switcher)
    // and the list of languages.
    let rest = uri.path().splitn(3, '/').nth(2).unwrap_or("");
    let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
    let langs = language_links(lang);
    let common = minijinja::context! { lang => lang.code(), rest => format!("{rest}{query}"), langs => langs };
    let merged = minijinja::context! { ..common, ..ctx };
    match app.templates.render(template, merged) {
        Ok(html) => Html(html).into_response(),
        Err(e) => WebError::from(e).page(lang, &app.templates),
    }
}

/// Turns a handler's result into the page or the error page in the page's language.
pub fn respond(app: &AppState, lang_code: &str, result: Result<Response, WebError>) -> Response {
    match result {
        Ok(r) => r,
        Err(e) => e.page(
            Lang::from_code(lang_code).unwrap_or(Lang::ALL[0]),
            &app.templates,
        ),
    }
}

pub type LangPath = Path<String>;
