//! The consultation's workflow in the API, as the web UI has it: cycles (list, open), every
//! State's status, comments and replies, return and accept; attachments and the report's
//! editorial blocks are in [`super::attachments`] and [`super::editorial`]. Each handler is
//! signed in ([`SignedIn`]: a personal token or a finished session), parses, calls the workflow's
//! operation (`observa_workflow`) and answers JSON; every refusal is a JSON problem and nothing
//! here is cached (`no-store`).

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use observa_domain::consultation::Status;
use observa_store::Comment;

use observa_workflow::{self as ops, WorkflowError};

use super::answers::Problem;
use crate::extract::{ApiJson, ApiPath};
use crate::signed_in::SignedIn;
use crate::AppState;

/// A JSON problem that no cache keeps.
pub(super) fn problem(status: StatusCode, message: &str) -> Response {
    no_store(crate::error::problem(status, message))
}

pub(super) fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A JSON answer that no cache keeps.
pub(super) fn answer<T: Serialize>(status: StatusCode, body: &T) -> Response {
    no_store((status, Json(body)).into_response())
}

/// A workflow refusal as the API's answer: the one mapping of [`crate::WebError::workflow`], in
/// the caller's language, a forbidden operation recorded in the audit log ([`SignedIn::fail`]).
pub(super) fn fail<R>(app: &AppState, who: &SignedIn<R>, e: WorkflowError) -> Response {
    no_store(who.fail(app, e).into_response())
}

pub(super) fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"v{version}\"")).expect("a valid header")
}

/// The cycle and the State of a path, or 404: an OAS member State and an open cycle.
pub(super) fn place(app: &AppState, year: i32, state: &str) -> Result<String, WorkflowError> {
    let state = state.to_ascii_uppercase();
    if app.snapshot().dataset.state(&state).is_none_or(|s| !s.code.is_oas_member()) {
        return Err(WorkflowError::NotFound(format!("no State `{state}`")));
    }
    ops::find_cycle(&**app.store.lock().expect("store lock"), year)?;
    Ok(state)
}

/// A consultation cycle.
#[derive(Serialize, ToSchema)]
pub struct CycleSummary {
    pub year: i32,
    /// When answers are due.
    #[schema(value_type = String, format = Date)]
    pub deadline: chrono::NaiveDate,
    pub opened_at: String,
    /// How many questions its questionnaire has.
    pub questions: usize,
}

impl From<&observa_domain::consultation::Cycle> for CycleSummary {
    fn from(c: &observa_domain::consultation::Cycle) -> Self {
        CycleSummary {
            year: c.year,
            deadline: c.deadline,
            opened_at: c.opened_at.clone(),
            questions: c.questionnaire.questions().count(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CycleList {
    pub cycles: Vec<CycleSummary>,
}

/// What opening a cycle takes.
#[derive(Deserialize, ToSchema)]
pub struct NewCycle {
    /// The cycle's year (1990 to 2100, after `from`).
    pub year: i32,
    /// The cycle whose questionnaire is copied.
    pub from: i32,
    /// ISO date in `year` or the next.
    #[schema(value_type = String, format = Date)]
    pub deadline: chrono::NaiveDate,
}

/// Where one State's response stands.
#[derive(Serialize, ToSchema)]
pub struct ResponseStatus {
    pub state: observa_domain::StateCode,
    pub status: Status,
    /// 0 before the first save.
    pub version: i64,
    pub updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct ResponseList {
    pub cycle: i32,
    pub responses: Vec<ResponseStatus>,
}

#[derive(Serialize, ToSchema)]
pub struct CommentList {
    pub comments: Vec<Comment>,
}

/// A comment on one question (or `general`): a reviewer's note or an officer's reply.
#[derive(Deserialize, ToSchema)]
pub struct NewComment {
    /// A question id of the cycle's questionnaire, or `general`.
    pub question: String,
    pub body: String,
}

/// A review decision's note.
#[derive(Deserialize, ToSchema)]
pub struct DecisionNote {
    /// Required to return a response; optional to accept one.
    #[serde(default)]
    pub comment: String,
}

/// A decision taken.
#[derive(Serialize, ToSchema)]
pub struct Decided {
    pub cycle: i32,
    pub state: observa_domain::StateCode,
    pub status: Status,
}

type Path2 = ApiPath<(i32, String)>;

#[utoipa::path(get, path = "/cycles", operation_id = "listCycles", tag = "consultation",
    summary = "The consultation cycles, oldest first",
    security(("bearerToken" = []), ("session" = [])),
    responses(
        (status = 200, description = "OK", body = CycleList),
        (status = 401, description = "No valid credentials (the answer says `WWW-Authenticate: Bearer`)", body = Problem),
    ))]
pub async fn cycles(State(app): State<AppState>, who: SignedIn) -> Response {
    let found = app.store.lock().expect("store lock").cycles().map_err(WorkflowError::from);
    match found {
        Ok(cycles) => answer(StatusCode::OK, &CycleList { cycles: cycles.iter().map(CycleSummary::from).collect() }),
        Err(e) => fail(&app, &who, e),
    }
}

#[utoipa::path(post, path = "/cycles", operation_id = "openCycle", tag = "consultation",
    summary = "Open a cycle, its questionnaire copied from an earlier cycle's (the secretariat)",
    security(("bearerToken" = []), ("session" = [])),
    request_body(content = NewCycle, content_type = "application/json"),
    responses(
        (status = 201, description = "Opened", body = CycleSummary),
        (status = 400, description = "No cycle `from`, a year not after it, or a deadline outside the year and the next; or not the expected JSON", body = Problem),
        (status = 401, description = "No valid credentials (the answer says `WWW-Authenticate: Bearer`)", body = Problem),
        (status = 403, description = "The account is not the secretariat's", body = Problem),
        (status = 409, description = "The cycle is open already", body = Problem),
        (status = 413, description = "The request body is over the 2 MB limit", body = Problem),
        (status = 415, description = "The body is not sent as `Content-Type: application/json`", body = Problem),
        (status = 422, description = "JSON without the fields (year, from, deadline as YYYY-MM-DD)", body = Problem),
    ))]
pub async fn open_cycle(
    State(app): State<AppState>,
    who: SignedIn,
    body: Result<ApiJson<NewCycle>, Response>,
) -> Response {
    let new = match body {
        Ok(ApiJson(b)) => b,
        Err(refusal) => return no_store(refusal),
    };
    let opened = {
        let mut store = app.store.lock().expect("store lock");
        ops::open_cycle(&mut **store, &who.actor, new.year, new.from, new.deadline)
            .and_then(|_| ops::find_cycle(&**store, new.year))
    };
    match opened {
        Ok(cycle) => answer(StatusCode::CREATED, &CycleSummary::from(&cycle)),
        Err(e) => fail(&app, &who, e),
    }
}

#[utoipa::path(get, path = "/cycles/{year}/responses", operation_id = "listResponses", tag = "consultation",
    summary = "Where every State's response to a cycle stands (the secretariat)",
    security(("bearerToken" = []), ("session" = [])),
    params(("year" = i32, Path, description = "The cycle (year)")),
    responses(
        (status = 200, description = "OK", body = ResponseList),
        (status = 400, description = "The year is not a whole number", body = Problem),
        (status = 401, description = "No valid credentials (the answer says `WWW-Authenticate: Bearer`)", body = Problem),
        (status = 403, description = "The account is not the secretariat's", body = Problem),
        (status = 404, description = "No such cycle", body = Problem),
    ))]
pub async fn responses(State(app): State<AppState>, who: SignedIn, ApiPath(year): ApiPath<i32>) -> Response {
    let listed = (|| {
        who.actor.require(who.actor.may_review(), "see every State's response")?;
        let store = app.store.lock().expect("store lock");
        ops::find_cycle(&**store, year)?;
        let drafts = store.drafts(year)?;
        let snapshot = app.snapshot();
        let members = snapshot.dataset.states.iter().filter(|s| s.code.is_oas_member());
        let responses = members
            .map(|s| match drafts.iter().find(|d| d.state == s.code.as_str()) {
                Some(d) => ResponseStatus {
                    state: s.code.clone(),
                    status: d.status,
                    version: d.version,
                    updated_at: d.updated_at.clone(),
                },
                None => ResponseStatus {
                    state: s.code.clone(),
                    status: Status::NotStarted,
                    version: 0,
                    updated_at: String::new(),
                },
            })
            .collect();
        Ok(ResponseList { cycle: year, responses })
    })();
    match listed {
        Ok(list) => answer(StatusCode::OK, &list),
        Err(e) => fail(&app, &who, e),
    }
}

#[utoipa::path(get, path = "/cycles/{year}/responses/{state}/comments", operation_id = "listComments", tag = "consultation",
    summary = "The review thread of a State's answers: comments and replies, oldest first",
    security(("bearerToken" = []), ("session" = [])),
    params(("year" = i32, Path, description = "The cycle (year)"), ("state" = String, Path, description = "ISO 3166-1 alpha-2 code of the State")),
    responses(
        (status = 200, description = "OK", body = CommentList),
        (status = 400, description = "The year is not a whole number", body = Problem),
        (status = 401, description = "No valid credentials (the answer says `WWW-Authenticate: Bearer`)", body = Problem),
        (status = 403, description = "The account does not answer for this State", body = Problem),
        (status = 404, description = "No such cycle or State", body = Problem),
    ))]
pub async fn comments(State(app): State<AppState>, who: SignedIn, ApiPath((year, state)): Path2) -> Response {
    match thread(&app, &who, year, &state) {
        Ok(list) => answer(StatusCode::OK, &list),
        Err(e) => fail(&app, &who, e),
    }
}

fn thread(app: &AppState, who: &SignedIn, year: i32, state: &str) -> Result<CommentList, WorkflowError> {
    let state = place(app, year, state)?;
    who.actor.require(who.actor.may_comment(&state), "read comments on these answers")?;
    Ok(CommentList { comments: app.store.lock().expect("store lock").comments(year, &state)? })
}

#[utoipa::path(post, path = "/cycles/{year}/responses/{state}/comments", operation_id = "addComment", tag = "consultation",
    summary = "Add a comment on one question (or `general`): a reviewer's note or an officer's reply",
    security(("bearerToken" = []), ("session" = [])),
    params(("year" = i32, Path, description = "The cycle (year)"), ("state" = String, Path, description = "ISO 3166-1 alpha-2 code of the State")),
    request_body(content = NewComment, content_type = "application/json"),
    responses(
        (status = 201, description = "Added; the thread with it", body = CommentList),
        (status = 400, description = "No such question, an empty comment, one the text policy refuses; or not the expected JSON", body = Problem),
        (status = 401, description = "No valid credentials (the answer says `WWW-Authenticate: Bearer`)", body = Problem),
        (status = 403, description = "The account does not answer for this State", body = Problem),
        (status = 404, description = "No such cycle or State", body = Problem),
        (status = 413, description = "The request body is over the 2 MB limit", body = Problem),
        (status = 415, description = "The body is not sent as `Content-Type: application/json`", body = Problem),
        (status = 422, description = "JSON without the fields (question, body)", body = Problem),
    ))]
pub async fn add_comment(
    State(app): State<AppState>,
    who: SignedIn,
    ApiPath((year, state)): Path2,
    body: Result<ApiJson<NewComment>, Response>,
) -> Response {
    let new = match body {
        Ok(ApiJson(b)) => b,
        Err(refusal) => return no_store(refusal),
    };
    let added = place(&app, year, &state).and_then(|state| {
        who.run(&app, |store, _, actor| ops::comment(store, actor, year, &state, &new.question, &new.body))?;
        thread(&app, &who, year, &state)
    });
    match added {
        Ok(list) => answer(StatusCode::CREATED, &list),
        Err(e) => fail(&app, &who, e),
    }
}

#[utoipa::path(post, path = "/cycles/{year}/responses/{state}/return", operation_id = "returnResponse", tag = "consultation",
    summary = "Return a submitted response to its liaison officers, saying what to change (the secretariat)",
    security(("bearerToken" = []), ("session" = [])),
    params(("year" = i32, Path, description = "The cycle (year)"), ("state" = String, Path, description = "ISO 3166-1 alpha-2 code of the State")),
    request_body(content = DecisionNote, content_type = "application/json"),
    responses(
        (status = 200, description = "Returned", body = Decided),
        (status = 400, description = "No comment, or one the text policy refuses; or not the expected JSON", body = Problem),
        (status = 401, description = "No valid credentials (the answer says `WWW-Authenticate: Bearer`)", body = Problem),
        (status = 403, description = "The account is not the secretariat's", body = Problem),
        (status = 404, description = "No such cycle or State", body = Problem),
        (status = 409, description = "The response is not submitted (a draft, or returned or accepted already)", body = Problem),
        (status = 413, description = "The request body is over the 2 MB limit", body = Problem),
        (status = 415, description = "The body is not sent as `Content-Type: application/json`", body = Problem),
        (status = 422, description = "JSON whose `comment` is not text", body = Problem),
    ))]
pub async fn return_response(
    State(app): State<AppState>,
    who: SignedIn,
    ApiPath((year, state)): Path2,
    body: Result<ApiJson<DecisionNote>, Response>,
) -> Response {
    let note = match body {
        Ok(ApiJson(b)) => b,
        Err(refusal) => return no_store(refusal),
    };
    let returned = place(&app, year, &state).and_then(|state| {
        who.run(&app, |store, _, actor| ops::return_response(store, actor, year, &state, &note.comment))?;
        Ok(state)
    });
    decided(&app, &who, year, returned, Status::Returned)
}

#[utoipa::path(post, path = "/cycles/{year}/responses/{state}/accept", operation_id = "acceptResponse", tag = "consultation",
    summary = "Accept a submitted response: its answers go into the registry as versions of the cycle (the secretariat)",
    security(("bearerToken" = []), ("session" = [])),
    params(("year" = i32, Path, description = "The cycle (year)"), ("state" = String, Path, description = "ISO 3166-1 alpha-2 code of the State")),
    request_body(content = DecisionNote, content_type = "application/json"),
    responses(
        (status = 200, description = "Accepted; the registry and the portal show the answers", body = Decided),
        (status = 400, description = "A comment the text policy refuses, answers the registry cannot take; or not the expected JSON", body = Problem),
        (status = 401, description = "No valid credentials (the answer says `WWW-Authenticate: Bearer`)", body = Problem),
        (status = 403, description = "The account is not the secretariat's", body = Problem),
        (status = 404, description = "No such cycle or State", body = Problem),
        (status = 409, description = "The response is not submitted (a draft, or returned or accepted already)", body = Problem),
        (status = 413, description = "The request body is over the 2 MB limit", body = Problem),
        (status = 415, description = "The body is not sent as `Content-Type: application/json`", body = Problem),
        (status = 422, description = "JSON whose `comment` is not text", body = Problem),
    ))]
pub async fn accept(
    State(app): State<AppState>,
    who: SignedIn,
    ApiPath((year, state)): Path2,
    body: Result<ApiJson<DecisionNote>, Response>,
) -> Response {
    let note = match body {
        Ok(ApiJson(b)) => b,
        Err(refusal) => return no_store(refusal),
    };
    let accepted = place(&app, year, &state).and_then(|state| {
        who.run(&app, |store, _, actor| ops::accept(store, actor, year, &state, &note.comment))?;
        // The registry changed: the portal shows it (a view that cannot be rebuilt is kept and
        // logged, see `AppState::refresh`).
        app.refresh();
        Ok(state)
    });
    decided(&app, &who, year, accepted, Status::Accepted)
}

fn decided(
    app: &AppState,
    who: &SignedIn,
    year: i32,
    result: Result<String, WorkflowError>,
    status: Status,
) -> Response {
    match result.map(|s| observa_domain::StateCode::try_from(s).map_err(WorkflowError::NotFound)) {
        Ok(Ok(state)) => answer(StatusCode::OK, &Decided { cycle: year, state, status }),
        Ok(Err(e)) | Err(e) => fail(app, who, e),
    }
}
