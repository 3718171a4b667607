//! The HTML pages. Each module owns its routes; all pages live under a language prefix
//! (`/en/...`, `/es/...`); `/` redirects to the visitor's language.

pub(crate) mod account;
mod admin;
mod agencies;
mod analysis;
mod annotations;
mod attachments;
mod changes;
mod cycle;
mod cycles;
mod design;
mod editorial;
mod entry_form;
mod home;
mod mail_status;
mod matrix;
pub(crate) mod matrix_form;
mod monitoring;
mod reminders;
pub(crate) mod report;
mod reporting;
mod review;
mod states;
pub(crate) mod timeline;
mod tokens;
mod totp;
mod translations;
mod treaties;
mod workbook;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use minijinja::Value;

use crate::i18n::Lang;
use crate::{AppState, WebError};

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(root))
        .route("/static/style.css", get(style))
        .route("/static/autosave.js", get(autosave))
        .route("/downloads/{*path}", get(crate::downloads::file))
        // Not in the answer cache's routes: made from the store on each request.
        .route("/downloads/monitoring/{*path}", get(crate::downloads::monitoring))
        .route("/{lang}", get(home::page))
        .route("/{lang}/", get(home::page))
        .merge(states::router())
        .merge(changes::router())
        .merge(agencies::router())
        .merge(analysis::router())
        .merge(treaties::router())
        .merge(report::router())
        .merge(account::router())
        .merge(totp::router())
        .merge(tokens::router())
        .merge(editorial::router())
        .merge(annotations::router())
        .merge(cycle::router())
        .merge(cycles::router())
        .merge(review::router())
        .merge(translations::router())
        .merge(admin::router())
        .merge(attachments::router())
        .merge(workbook::router())
        .merge(monitoring::router())
        .merge(reporting::router())
        .merge(matrix::router())
        .merge(reminders::router())
        .merge(mail_status::router())
        .merge(design::router())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::cache::cached))
        .layer(axum::middleware::from_fn_with_state(state, language_guard))
}

/// A path whose first segment is not a language (nor `static`) is answered by the not-found
/// page in the visitor's language before any `/{lang}/...` route sees it.
async fn language_guard(
    State(app): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let first = request.uri().path().split('/').nth(1).unwrap_or("");
    if first.is_empty() || first == "static" || first == "downloads" || Lang::from_code(first).is_some() {
        return next.run(request).await;
    }
    let (uri, headers) = (request.uri().clone(), request.headers().clone());
    not_found(State(app), uri, headers).await
}

/// Sends the visitor to the home page in the best language their browser asks for.
async fn root(headers: HeaderMap) -> Redirect {
    let lang = Lang::negotiate(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    Redirect::to(&format!("/{}/", lang.code()))
}

async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../assets/style.css"),
    )
        .into_response()
}

async fn autosave() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../assets/autosave.js"),
    )
        .into_response()
}

async fn not_found(State(app): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let lang = uri
        .path()
        .split('/')
        .nth(1)
        .and_then(Lang::from_code)
        .unwrap_or_else(|| Lang::negotiate(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok())));
    WebError::NotFound(format!("{} {}", lang.text("error-no-page"), uri.path())).page(lang, &app.templates)
}

/// The `?on=YYYY-MM-DD` date of pages that compute something on a date, and the `?cycle=YYYY`
/// of analysis pages that can show the registry as it stood for a cycle.
#[derive(serde::Deserialize)]
pub struct OnDate {
    on: Option<String>,
    cycle: Option<String>,
}

impl OnDate {
    /// The registry to read and the date to compute on: with `cycle`, the registry as it stood
    /// for that cycle, on 31 December of its year unless `on` says otherwise.
    pub fn reading(
        &self,
        app: &AppState,
        lang: observa_domain::Lang,
    ) -> Result<(std::sync::Arc<crate::Snapshot>, chrono::NaiveDate), WebError> {
        let Some(cycle) = self.cycle.as_deref().filter(|c| !c.is_empty()) else {
            return Ok((app.snapshot_in(lang), self.date(app)?));
        };
        let year =
            cycle_year(cycle).map_err(|_| WebError::BadRequest(format!("`cycle` must be a year; `{cycle}` is not")))?;
        let snapshot = app.snapshot_as_of(observa_domain::history::AsOf::Cycle(year))?.in_lang(lang);
        let on = match self.on.as_deref() {
            None | Some("") => chrono::NaiveDate::from_ymd_opt(year, 12, 31).expect("a valid date"),
            Some(_) => self.date(app)?,
        };
        Ok((snapshot, on))
    }

    /// The date asked for, the snapshot's date when none is given; anything else is a 400.
    pub fn date(&self, app: &AppState) -> Result<chrono::NaiveDate, WebError> {
        match self.on.as_deref() {
            None | Some("") => Ok(app.snapshot().as_of),
            Some(text) => text
                .parse()
                .map_err(|_| WebError::BadRequest(format!("`on` must be a date YYYY-MM-DD; `{text}` is not"))),
        }
    }
}

/// A consultation cycle's year from a URL; anything else is a 404.
pub fn cycle_year(text: &str) -> Result<i32, WebError> {
    text.parse::<i32>()
        .ok()
        .filter(|c| (1990..=2100).contains(c))
        .ok_or_else(|| WebError::NotFound(format!("no consultation cycle `{text}`")))
}

/// The language of a page from its URL prefix; an unknown prefix is a 404.
pub fn page_lang(code: &str) -> Result<Lang, WebError> {
    Lang::from_code(code).ok_or_else(|| WebError::NotFound(format!("no language `{code}`")))
}

/// The language switcher's entries; `rest` is the current path after the language prefix.
pub fn language_links(lang: Lang, rest: &str) -> Vec<Value> {
    // Built here rather than in the template so that slashes stay readable; the only
    // characters that need escaping in an attribute are escaped by hand.
    let escaped = rest
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&#39;");
    Lang::ALL
        .iter()
        .map(|l| {
            let href = Value::from_safe_string(format!("/{}/{escaped}", l.code()));
            minijinja::context! { code => l.code(), name => l.text("language-name"), current => *l == lang, href }
        })
        .collect()
}

/// Renders a page, or the error page in the same language.
pub fn render(app: &AppState, lang: Lang, uri: &Uri, template: &str, ctx: Value) -> Response {
    // Every page gets the language, the path without its prefix (for the language switcher)
    // and the list of languages.
    let rest = uri.path().splitn(3, '/').nth(2).unwrap_or("");
    let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
    let langs = language_links(lang, &format!("{rest}{query}"));
    let untranslated = Value::from_object(crate::templates::Untranslated(app.snapshot_in(lang.0)));
    let demo = app.demonstration;
    let common = minijinja::context! { lang => lang.code(), langs => langs, untranslated, demo };
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
        Err(e) => e.page(Lang::from_code(lang_code).unwrap_or(Lang::ALL[0]), &app.templates),
    }
}

pub type LangPath = Path<String>;
