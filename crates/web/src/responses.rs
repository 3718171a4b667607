//! A State's answers to a cycle, for its own systems: `GET`/`PUT
//! /api/v1/cycles/{year}/responses/{state}` and `POST .../submit`, authenticated by a personal
//! API token (`Authorization: Bearer ...`) or the officer's session ([`SignedIn`]). Versions
//! travel as ETags: a `PUT` or submit must say `If-Match` with the version it started from; a
//! stale one gets 412. The rules (who, which status, the validation policy) are the workflow's;
//! this module parses and answers. Answers are never cached (`no-store`).

// The helpers below return a finished refusal as their error so handlers can return it as is;
// it is built once per refused request, so its size does not matter.
#![allow(clippy::result_large_err)]

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use observa_domain::consultation::{check, Answers, Cycle, Draft};
use serde_json::json;

use crate::extract::{ApiJson, ApiPath};
use crate::signed_in::SignedIn;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cycles/{year}/responses/{state}", get(read).put(write))
        .route("/api/v1/cycles/{year}/responses/{state}/submit", post(submit))
}

fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"v{version}\"")).expect("a valid header")
}

/// The version an `If-Match` names, or 428 when it is missing, empty, `*` or not one of our
/// ETags: a write must say which version it edits, so "any version" is not accepted.
fn if_match(headers: &HeaderMap) -> Result<i64, Response> {
    let tag =
        headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()).map(|v| v.trim().trim_matches('"').to_string());
    match tag.as_deref().and_then(|t| t.strip_prefix('v')).and_then(|n| n.parse().ok()) {
        Some(version) => Ok(version),
        None => Err(problem(
            StatusCode::PRECONDITION_REQUIRED,
            "send If-Match with the ETag of the answers you edited (`*` and empty values are not accepted)",
        )),
    }
}

fn problem(status: StatusCode, message: &str) -> Response {
    no_store((status, Json(json!({ "error": status.canonical_reason(), "message": message }))).into_response())
}

fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The caller's refusal (403, audited) unless they may answer for `state`: checked before the
/// version and the body are read, so a stranger learns nothing about either.
fn allowed(app: &AppState, who: &SignedIn, state: &str) -> Result<(), Response> {
    let may = who.actor.require(who.actor.may_answer(state), "answer for this State");
    may.map_err(|e| no_store(who.fail(app, e).into_response()))
}

fn body(cycle: &Cycle, draft: &Draft) -> Response {
    let issues = check(&cycle.questionnaire, &draft.answers, false);
    let mut r = Json(json!({
        "cycle": draft.cycle, "state": draft.state, "status": draft.status, "version": draft.version,
        "deadline": cycle.deadline, "answers": draft.answers, "issues": issues,
    }))
    .into_response();
    r.headers_mut().insert(header::ETAG, etag(draft.version));
    no_store(r)
}

async fn read(State(app): State<AppState>, ApiPath((year, state)): ApiPath<(i32, String)>, who: SignedIn) -> Response {
    if let Err(r) = allowed(&app, &who, &state) {
        return r;
    }
    match who.run(&app, |store, registry, actor| observa_workflow::response(store, registry, actor, year, &state)) {
        Ok((cycle, draft)) => body(&cycle, &draft),
        Err(e) => no_store(who.fail(&app, e).into_response()),
    }
}

async fn write(
    State(app): State<AppState>,
    ApiPath((year, state)): ApiPath<(i32, String)>,
    who: SignedIn,
    headers: HeaderMap,
    payload: Result<ApiJson<serde_json::Value>, Response>,
) -> Response {
    if let Err(r) = allowed(&app, &who, &state) {
        return r;
    }
    let based_on = match if_match(&headers) {
        Ok(v) => v,
        Err(r) => return r,
    };
    // The body's refusal (400 bad JSON, 413 too large, 415 not JSON) comes after the checks of
    // who asks and which version, as the document says.
    let ApiJson(payload) = match payload {
        Ok(p) => p,
        Err(refusal) => return no_store(refusal),
    };
    let answers: Answers = match serde_json::from_value(payload.get("answers").cloned().unwrap_or(payload)) {
        Ok(a) => a,
        Err(e) => return problem(StatusCode::BAD_REQUEST, &format!("answers: {e}")),
    };
    // The workflow's one policy: refused answers are 422 and nothing is saved; the others are
    // saved and listed in the answer's `issues`.
    let saved = who.run(&app, |store, registry, actor| {
        observa_workflow::save_answers(store, registry, actor, year, &state, &answers, based_on)?;
        observa_workflow::response(store, registry, actor, year, &state)
    });
    match saved {
        Ok((cycle, draft)) => body(&cycle, &draft),
        Err(e) => no_store(who.fail(&app, e).into_response()),
    }
}

async fn submit(
    State(app): State<AppState>,
    ApiPath((year, state)): ApiPath<(i32, String)>,
    who: SignedIn,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = allowed(&app, &who, &state) {
        return r;
    }
    let version = match if_match(&headers) {
        Ok(v) => v,
        Err(r) => return r,
    };
    match who
        .run(&app, |store, registry, actor| observa_workflow::submit(store, registry, actor, year, &state, version))
    {
        Ok(created) => {
            no_store(Json(json!({ "submitted": true, "created": created, "version": version })).into_response())
        }
        Err(e) => no_store(who.fail(&app, e).into_response()),
    }
}
