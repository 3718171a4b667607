//! A State's answers to a cycle, for its own systems: `GET`/`PUT
//! /api/v1/cycles/{year}/responses/{state}` and `POST .../submit`, authenticated by a personal
//! API token (`Authorization: Bearer ...`) or the officer's session ([`SignedIn`]). Versions
//! travel as ETags: a `PUT` or submit must say `If-Match` with the version it started from; a
//! stale one gets 412. The rules (who, which status, the validation policy) are the workflow's;
//! this module parses and answers. Answers are never cached (`no-store`). The OpenAPI document
//! takes each operation's description from its handler and the answers' from their types.

// The helpers below return a finished refusal as their error so handlers can return it as is;
// it is built once per refused request, so its size does not matter.
#![allow(clippy::result_large_err)]

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use observa_domain::consultation::{check, Answers, Cycle, Draft, Issue, Status};
use observa_domain::StateCode;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::api::answers::{Problem, Sorted};
use crate::extract::{ApiJson, ApiPath};
use crate::signed_in::SignedIn;
use crate::AppState;

/// Question id → answer: text (dates, periods, yes/no/partial and choices by id), a list (list
/// of three), or table rows (column id → text).
#[derive(Serialize, ToSchema)]
#[schema(as = Answers)]
pub struct AnswerMap(Answers);

/// A State's answers to a cycle.
#[derive(Serialize, ToSchema)]
#[schema(as = Response)]
pub struct DraftAnswer {
    pub cycle: i32,
    #[schema(value_type = StateCode)]
    pub state: String,
    pub status: Status,
    /// 0 before the first save.
    pub version: i64,
    #[schema(value_type = String, format = Date)]
    pub deadline: chrono::NaiveDate,
    pub answers: AnswerMap,
    pub issues: Vec<Issue>,
}

/// What a write sends: the whole set of answers.
#[derive(Serialize, ToSchema)]
pub struct AnswersBody {
    pub answers: AnswerMap,
}

/// Answers refused for their issues (422).
#[derive(Serialize, ToSchema)]
pub struct Issues {
    pub error: String,
    pub issues: Vec<Issue>,
}

/// A submission.
#[derive(Serialize, ToSchema)]
pub struct Submitted {
    pub submitted: bool,
    /// false when this version had been submitted already.
    pub created: bool,
    pub version: i64,
}

fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"v{version}\"")).expect("a valid header")
}

/// The version an `If-Match` names, or 428 when it is missing, empty, `*` or not one of our
/// ETags: a write must say which version it edits, so "any version" is not accepted.
pub(crate) fn if_match(headers: &HeaderMap) -> Result<i64, Response> {
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
    let mut r = Sorted::of(&DraftAnswer {
        cycle: draft.cycle,
        state: draft.state.clone(),
        status: draft.status,
        version: draft.version,
        deadline: cycle.deadline,
        answers: AnswerMap(draft.answers.clone()),
        issues: check(&cycle.questionnaire, &draft.answers, false),
    })
    .into_response();
    r.headers_mut().insert(header::ETAG, etag(draft.version));
    no_store(r)
}

#[utoipa::path(get, path = "/cycles/{year}/responses/{state}", operation_id = "getResponse", tag = "consultation",
    summary = "A State's answers to a cycle (its draft, or a new one pre-filled from its last accepted answers or the registry)",
    security(("bearerToken" = []), ("session" = [])),
    params(
        ("year" = i32, Path, description = "The cycle (year); a year that is not a whole number is a 400", minimum = 1990, maximum = 2100),
        ("state" = StateCode, Path, description = "ISO 3166-1 alpha-2 code of the State"),
    ),
    responses(
        (status = 200, description = "The State's answers; the ETag names their version", body = DraftAnswer, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 400, description = "The year is not a whole number", body = Problem),
        (status = 401, description = "No valid credentials: not signed in and no valid token (the answer says `WWW-Authenticate: Bearer`); also a session whose second factor is pending or whose first password has not been changed, and a token of an account whose first password has not been changed", body = Problem, headers(("WWW-Authenticate" = String))),
        (status = 403, description = "Signed in, but the account does not answer for this State", body = Problem),
        (status = 404, description = "No such cycle, or no such State among the OAS member States", body = Problem),
    ))]
pub async fn read(
    State(app): State<AppState>,
    ApiPath((year, state)): ApiPath<(i32, String)>,
    who: SignedIn,
) -> Response {
    if let Err(r) = allowed(&app, &who, &state) {
        return r;
    }
    match who.run(&app, |store, registry, actor| observa_workflow::response(store, registry, actor, year, &state)) {
        Ok((cycle, draft)) => body(&cycle, &draft),
        Err(e) => no_store(who.fail(&app, e).into_response()),
    }
}

#[utoipa::path(put, path = "/cycles/{year}/responses/{state}", operation_id = "putResponse", tag = "consultation",
    summary = "Replace the State's draft answers (the whole set)",
    security(("bearerToken" = []), ("session" = [])),
    params(
        ("year" = i32, Path, description = "The cycle (year); a year that is not a whole number is a 400", minimum = 1990, maximum = 2100),
        ("state" = StateCode, Path, description = "ISO 3166-1 alpha-2 code of the State"),
        ("If-Match" = String, Header, description = "The ETag of the answers this write is based on (\"v0\" before the first save); missing, empty or `*` is a 428", pattern = r#"^"?v[0-9]+"?$"#),
    ),
    request_body(content = AnswersBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The State's answers; the ETag names their version", body = DraftAnswer, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 400, description = "The year is not a whole number, or the body is not the expected JSON", body = Problem),
        (status = 401, description = "No valid credentials: not signed in and no valid token (the answer says `WWW-Authenticate: Bearer`); also a session whose second factor is pending or whose first password has not been changed, and a token of an account whose first password has not been changed", body = Problem, headers(("WWW-Authenticate" = String))),
        (status = 403, description = "Signed in, but the account does not answer for this State", body = Problem),
        (status = 404, description = "No such cycle, or no such State among the OAS member States", body = Problem),
        (status = 409, description = "The answers were submitted and can no longer change", body = Problem),
        (status = 412, description = "If-Match names another version than the current one; the answer's ETag is the current version", body = Problem),
        (status = 413, description = "The request body is over the 2 MB limit", body = Problem),
        (status = 415, description = "The body is not sent as `Content-Type: application/json`", body = Problem),
        (status = 422, description = "Answers that do not fit the questionnaire's structure (unknown question or column, wrong shape, too many rows or items) or break the text policy (too long, a control or invisible character); nothing is saved. Values that are not an option or not a date do not refuse a draft: it is saved and they are listed in its issues", body = Issues),
        (status = 428, description = "If-Match is missing, empty, or `*`: a write must name the version (ETag) it is based on", body = Problem),
    ))]
pub async fn write(
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

#[utoipa::path(post, path = "/cycles/{year}/responses/{state}/submit", operation_id = "submitResponse", tag = "consultation",
    summary = "Submit the draft at the version If-Match names; repeating it creates no second submission",
    security(("bearerToken" = []), ("session" = [])),
    params(
        ("year" = i32, Path, description = "The cycle (year); a year that is not a whole number is a 400", minimum = 1990, maximum = 2100),
        ("state" = StateCode, Path, description = "ISO 3166-1 alpha-2 code of the State"),
        ("If-Match" = String, Header, description = "The ETag of the answers to submit; missing, empty or `*` is a 428", pattern = r#"^"?v[0-9]+"?$"#),
    ),
    responses(
        (status = 200, description = "Submitted", body = Submitted),
        (status = 400, description = "The year is not a whole number", body = Problem),
        (status = 401, description = "No valid credentials: not signed in and no valid token (the answer says `WWW-Authenticate: Bearer`); also a session whose second factor is pending or whose first password has not been changed, and a token of an account whose first password has not been changed", body = Problem, headers(("WWW-Authenticate" = String))),
        (status = 403, description = "Signed in, but the account does not answer for this State", body = Problem),
        (status = 404, description = "No such cycle, or no such State among the OAS member States", body = Problem),
        (status = 409, description = "Already returned or accepted", body = Problem),
        (status = 412, description = "If-Match names another version than the current one; the answer's ETag is the current version", body = Problem),
        (status = 413, description = "The request body is over the 2 MB limit", body = Problem),
        (status = 422, description = "The saved answers have issues: required questions unanswered, values that are not an option or not a date, or anything that refuses a draft", body = Issues),
        (status = 428, description = "If-Match is missing, empty, or `*`: a write must name the version (ETag) it is based on", body = Problem),
    ))]
pub async fn submit(
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
        Ok(created) => no_store(Sorted::of(&Submitted { submitted: true, created, version }).into_response()),
        Err(e) => no_store(who.fail(&app, e).into_response()),
    }
}
