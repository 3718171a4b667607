//! The read API under `/api/v1`: JSON with the export contract's field names, described by the
//! OpenAPI document at `/api/v1/openapi.json`, which is generated from the handlers and the
//! answer types ([`doc`]). GET only; ETag and Cache-Control on every answer (from
//! [`crate::cache`]); CORS open. Unknown codes answer 404, bad parameters 400, both as JSON (the
//! extractors of [`crate::extract`] make their rejections JSON too).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use axum::extract::State;
use axum::http::Method;
use axum::middleware;
use axum::response::IntoResponse;
use axum::{Json, Router};
use tower_http::cors::{Any, CorsLayer};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use observa_domain::history::AsOf;

use crate::{AppState, WebError};

pub mod answers;
mod attachments;
mod doc;
mod editorial;
mod monitoring;
mod read;
mod translations;
mod workflow;

pub fn router(app: AppState) -> Router<AppState> {
    let (api, _) = operations().split_for_parts();
    let api = api
        .fallback(|| async { WebError::NotFound("no such API path; see /api/v1/openapi.json".into()) })
        .layer(middleware::from_fn_with_state(app, crate::cache::cached))
        .layer(CorsLayer::new().allow_origin(Any).allow_methods([Method::GET, Method::HEAD, Method::OPTIONS]));
    Router::new().nest("/api/v1", api)
}

/// Every API operation, each routed with its own description: an operation cannot be served
/// without being documented.
fn operations() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(doc::base())
        .routes(routes!(read::states))
        .routes(routes!(read::state))
        .routes(routes!(read::plan))
        .routes(routes!(read::body))
        .routes(routes!(read::agencies))
        .routes(routes!(read::agency))
        .routes(routes!(read::treaties))
        .routes(routes!(read::ratifications))
        .routes(routes!(read::reporting))
        .routes(routes!(read::search))
        .routes(routes!(read::changes))
        .routes(routes!(openapi))
        .routes(routes!(crate::responses::read, crate::responses::write))
        .routes(routes!(crate::responses::submit))
        .routes(routes!(workflow::cycles, workflow::open_cycle))
        .routes(routes!(workflow::responses))
        .routes(routes!(workflow::comments, workflow::add_comment))
        .routes(routes!(workflow::return_response))
        .routes(routes!(workflow::accept))
        .routes(routes!(attachments::list, attachments::upload))
        .routes(routes!(attachments::download))
        .routes(routes!(editorial::list))
        .routes(routes!(editorial::save))
        .routes(routes!(translations::pending))
        .routes(routes!(translations::translate))
        .routes(routes!(monitoring::read))
        .routes(routes!(monitoring::write_matrix))
        .routes(routes!(monitoring::write_report))
        .routes(routes!(monitoring::decide))
        .routes(routes!(monitoring::change_action))
}

/// The whole document (every operation and its schemas), without the codes that come from the
/// data.
pub fn document() -> &'static serde_json::Value {
    static DOCUMENT: OnceLock<serde_json::Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let (_, api) = operations().split_for_parts();
        let mut doc = serde_json::to_value(api).expect("the OpenAPI document serialises");
        open_records(&mut doc);
        doc
    })
}

/// Records refuse unknown fields when they are read from data files (`deny_unknown_fields`,
/// which the derive turns into `additionalProperties: false`); answers do not: an answer that
/// composes a record with more fields (a body with its members) must still match, and fields are
/// added to the contract over time, never renamed.
fn open_records(schema: &mut serde_json::Value) {
    match schema {
        serde_json::Value::Object(map) => {
            if map.get("additionalProperties") == Some(&serde_json::Value::Bool(false)) {
                map.remove("additionalProperties");
            }
            map.values_mut().for_each(open_records);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(open_records),
        _ => {}
    }
}

/// This document; the State and treaty codes that parameters take are the registry's.
#[utoipa::path(get, path = "/openapi.json", operation_id = "openapi", summary = "This document",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json", body = Object)))]
async fn openapi(State(app): State<AppState>) -> impl IntoResponse {
    Json(doc::with_codes(document().clone(), &app.snapshot().dataset))
}

type Params = crate::extract::ApiQuery<HashMap<String, String>>;

/// Refuses query parameters the operation does not know, so typos do not silently match all.
fn only(params: &HashMap<String, String>, known: &[&str]) -> Result<(), WebError> {
    match params.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(WebError::BadRequest(format!("unknown parameter `{k}`; this operation takes {known:?}"))),
        None => Ok(()),
    }
}

fn state_param(app: &AppState, params: &HashMap<String, String>) -> Result<Option<String>, WebError> {
    match params.get("state") {
        None => Ok(None),
        Some(code) => {
            let upper = code.to_ascii_uppercase();
            app.snapshot().dataset.state(&upper).map(|_| Some(upper)).ok_or_else(|| {
                WebError::BadRequest(format!(
                    "`state` must be the ISO 3166-1 alpha-2 code of an OAS member State; `{code}` is not"
                ))
            })
        }
    }
}

fn treaty_param(app: &AppState, params: &HashMap<String, String>) -> Result<Option<String>, WebError> {
    match params.get("treaty") {
        None => Ok(None),
        Some(code) => {
            let upper = code.to_ascii_uppercase();
            let snap = app.snapshot();
            let known: Vec<&str> = snap.dataset.treaties.iter().map(|t| t.code.as_str()).collect();
            if known.contains(&upper.as_str()) {
                Ok(Some(upper))
            } else {
                Err(WebError::BadRequest(format!("`treaty` must be one of {known:?}; `{code}` is not")))
            }
        }
    }
}

/// The registry that `as_of` (a cycle `2014`, a date `2014-09-30`, or `now`) names, the current
/// one without it, read in `lang`.
fn as_of(
    app: &AppState,
    params: &HashMap<String, String>,
    lang: observa_domain::Lang,
) -> Result<Arc<crate::Snapshot>, WebError> {
    let as_of = params.get("as_of").map(|t| t.parse::<AsOf>()).transpose().map_err(WebError::BadRequest)?;
    Ok(app.snapshot_as_of(as_of.unwrap_or_default())?.in_lang(lang))
}
