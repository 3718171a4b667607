//! A State's answers to a cycle, for its own systems: `GET`/`PUT
//! /api/v1/cycles/{year}/responses/{state}` and `POST .../submit`, authenticated by a personal
//! API token (`Authorization: Bearer ...`) or the officer's session. Versions travel as ETags: a
//! `PUT` or submit must say `If-Match` with the version it started from; a stale one gets 412.
//! Answers are never cached (`no-store`).

// The helpers below return a finished refusal as their error so handlers can return it as is;
// it is built once per refused request, so its size does not matter.
#![allow(clippy::result_large_err)]

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use observa_domain::account::Account;
use observa_domain::consultation::{check, draft_blocking, prefill, Answers, Cycle, Draft, Status};
use observa_store::{Backend, StoreError};
use serde_json::json;

use crate::auth::{self, internal};
use crate::extract::{ApiJson, ApiPath};
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cycles/{year}/responses/{state}", get(read).put(write))
        .route("/api/v1/cycles/{year}/responses/{state}/submit", post(submit))
}

/// Why a request carries no usable credentials.
pub enum Unauthenticated {
    /// No token and no session.
    Missing,
    /// A token that is unknown, expired or revoked, or whose account is disabled.
    BadToken,
    /// The account must change its first password before its token or session works.
    PasswordChange,
    /// A session that has not finished signing in (see [`auth::pending`]).
    Pending(auth::Pending),
}

impl Unauthenticated {
    pub fn message(&self) -> &'static str {
        match self {
            Unauthenticated::Missing => "sign in or send a personal API token (Authorization: Bearer ...)",
            Unauthenticated::BadToken => "the API token is unknown, expired or revoked",
            Unauthenticated::PasswordChange | Unauthenticated::Pending(auth::Pending::Password) => {
                "the account must change its first password (sign in in a browser) before it can use the API"
            }
            Unauthenticated::Pending(_) => {
                "the session has not finished signing in: enter the second factor in the browser"
            }
        }
    }
}

/// The account behind a request: a Bearer token (the scheme in any case), or else a session
/// cookie that has finished signing in — the same rule as every page's.
pub fn caller(app: &AppState, headers: &HeaderMap) -> Result<Result<Account, Unauthenticated>, WebError> {
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let bearer = authorization
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    if let Some(token) = bearer {
        let store = app.store.lock().expect("store lock");
        let Some(email) = store.token_account(&auth::token_hash(token), &auth::now_text()).map_err(internal)? else {
            return Ok(Err(Unauthenticated::BadToken));
        };
        return Ok(match store.account_by_email(&email).map_err(internal)? {
            Some((a, _)) if a.must_change_password => Err(Unauthenticated::PasswordChange),
            Some((a, _)) => Ok(a),
            None => Err(Unauthenticated::BadToken),
        });
    }
    Ok(match auth::current(app, headers)? {
        None => Err(Unauthenticated::Missing),
        Some((s, _)) => match auth::pending(&s) {
            Some(step) => Err(Unauthenticated::Pending(step)),
            None => Ok(s.account),
        },
    })
}

/// Whether an account may read and write a State's answers: its liaison officers and the
/// secretariat.
pub fn may_answer(account: &Account, state: &str) -> bool {
    account.role.is_secretariat() || account.states.iter().any(|s| s.as_str() == state)
}

/// The cycle, and the State's draft or a fresh one pre-filled from the registry.
pub fn response(app: &AppState, year: i32, state: &str) -> Result<(Cycle, Draft), WebError> {
    let store = app.store.lock().expect("store lock");
    let cycle = find_cycle(&**store, year)?;
    if app.snapshot().dataset.state(state).is_none_or(|s| !s.code.is_oas_member()) {
        return Err(WebError::NotFound(format!("no State `{state}`")));
    }
    let draft = match store.draft(year, state).map_err(internal)? {
        Some(draft) => draft,
        None => Draft {
            cycle: year,
            state: state.to_string(),
            status: Status::NotStarted,
            answers: starting_answers(&**store, &cycle, &app.snapshot().dataset, state)?,
            version: 0,
            updated_at: String::new(),
            updated_by: String::new(),
        },
    };
    Ok((cycle, draft))
}

/// A cycle by year, or 404.
pub fn find_cycle(store: &dyn Backend, year: i32) -> Result<Cycle, WebError> {
    store
        .cycles()
        .map_err(internal)?
        .into_iter()
        .find(|c| c.year == year)
        .ok_or_else(|| WebError::NotFound(format!("no consultation cycle {year}")))
}

/// The State's last accepted answers of a cycle before `cycle`, keyed by `cycle`'s question ids
/// (each question reading its counterpart): what a new form starts from, and what a review
/// compares with.
pub fn last_accepted(store: &dyn Backend, cycle: &Cycle, state: &str) -> Result<Option<Answers>, WebError> {
    for earlier in store.cycles().map_err(internal)?.into_iter().filter(|c| c.year < cycle.year) {
        if let Some(accepted) =
            store.draft(earlier.year, state).map_err(internal)?.filter(|d| d.status == Status::Accepted)
        {
            let answers = cycle
                .questionnaire
                .questions()
                .filter_map(|q| {
                    let old_id = q.counterpart.as_deref().unwrap_or(&q.id);
                    accepted.answers.get(old_id).map(|a| (q.id.clone(), a.clone()))
                })
                .collect();
            return Ok(Some(answers));
        }
    }
    Ok(None)
}

/// What a new form starts from: the last accepted answers, or else the registry through the
/// questionnaire's projections.
fn starting_answers(
    store: &dyn Backend,
    cycle: &Cycle,
    ds: &observa_domain::Dataset,
    state: &str,
) -> Result<Answers, WebError> {
    Ok(match last_accepted(store, cycle, state)? {
        Some(answers) => answers,
        None => prefill(&cycle.questionnaire, ds, state),
    })
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

/// Authenticates and authorises; refusals are audited.
fn allowed(app: &AppState, headers: &HeaderMap, peer: SocketAddr, state: &str) -> Result<Account, Response> {
    let account = match caller(app, headers) {
        Ok(Ok(a)) => a,
        Ok(Err(why)) => {
            app.record_refusal(&peer.ip().to_string(), "anonymous", &format!("refused-api: {}", why.message()));
            let mut r = problem(StatusCode::UNAUTHORIZED, why.message());
            r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return Err(r);
        }
        Err(e) => return Err(e.into_response()),
    };
    if !may_answer(&account, state) {
        let _ = app.store.lock().expect("store lock").record(
            &account.email,
            "refused-access",
            &format!("api: responses/{state}"),
        );
        return Err(problem(StatusCode::FORBIDDEN, "this account does not answer for that State"));
    }
    Ok(account)
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

async fn read(
    State(app): State<AppState>,
    ApiPath((year, state)): ApiPath<(i32, String)>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = allowed(&app, &headers, peer, &state) {
        return r;
    }
    match response(&app, year, &state) {
        Ok((cycle, draft)) => body(&cycle, &draft),
        Err(e) => no_store(e.into_response()),
    }
}

async fn write(
    State(app): State<AppState>,
    ApiPath((year, state)): ApiPath<(i32, String)>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    payload: Result<ApiJson<serde_json::Value>, Response>,
) -> Response {
    let account = match allowed(&app, &headers, peer, &state) {
        Ok(a) => a,
        Err(r) => return r,
    };
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
    let (cycle, _) = match response(&app, year, &state) {
        Ok(r) => r,
        Err(e) => return no_store(e.into_response()),
    };
    // The one policy of every channel: structure and text-policy issues refuse the save; the
    // others are saved with the draft and listed in the answer's `issues`.
    let blocking = draft_blocking(&check(&cycle.questionnaire, &answers, false));
    if !blocking.is_empty() {
        let r =
            (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "error": "Unprocessable Entity", "issues": blocking })));
        return no_store(r.into_response());
    }
    let saved = app.store.lock().expect("store lock").save_draft(year, &state, &answers, based_on, &account.email);
    match saved {
        Ok(_) => match response(&app, year, &state) {
            Ok((cycle, draft)) => body(&cycle, &draft),
            Err(e) => no_store(e.into_response()),
        },
        Err(StoreError::Conflict { current, .. }) => {
            let mut r =
                problem(StatusCode::PRECONDITION_FAILED, "the answers changed since that version; GET them again");
            r.headers_mut().insert(header::ETAG, etag(current));
            r
        }
        Err(StoreError::Invalid(m)) => problem(StatusCode::CONFLICT, &m),
        Err(e) => internal(e).into_response(),
    }
}

async fn submit(
    State(app): State<AppState>,
    ApiPath((year, state)): ApiPath<(i32, String)>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let account = match allowed(&app, &headers, peer, &state) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let version = match if_match(&headers) {
        Ok(v) => v,
        Err(r) => return r,
    };
    match submit_version(&app, year, &state, version, &account) {
        Ok(created) => {
            no_store(Json(json!({ "submitted": true, "created": created, "version": version })).into_response())
        }
        Err(SubmitError::Incomplete(issues)) => no_store(
            (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "error": "Unprocessable Entity", "issues": issues })))
                .into_response(),
        ),
        Err(SubmitError::Stale) => problem(StatusCode::PRECONDITION_FAILED, "the answers changed since that version"),
        Err(SubmitError::Refused(m)) => problem(StatusCode::CONFLICT, &m),
        Err(SubmitError::Web(e)) => no_store(e.into_response()),
    }
}

pub enum SubmitError {
    Incomplete(Vec<observa_domain::consultation::Issue>),
    Stale,
    Refused(String),
    Web(WebError),
}

/// Submits a version after the full check (every issue refuses a submission, including those a
/// draft may have: required questions unanswered, values that are not an option or a date); true
/// when this call made the submission.
pub fn submit_version(
    app: &AppState,
    year: i32,
    state: &str,
    version: i64,
    account: &Account,
) -> Result<bool, SubmitError> {
    let (cycle, draft) = response(app, year, state).map_err(SubmitError::Web)?;
    let issues = check(&cycle.questionnaire, &draft.answers, true);
    if !issues.is_empty() && draft.version == version {
        return Err(SubmitError::Incomplete(issues));
    }
    match app.store.lock().expect("store lock").submit(year, state, version, &account.email) {
        Ok(created) => Ok(created),
        Err(StoreError::Conflict { .. }) => Err(SubmitError::Stale),
        Err(StoreError::Invalid(m)) => Err(SubmitError::Refused(m)),
        Err(e) => Err(SubmitError::Web(internal(e))),
    }
}
