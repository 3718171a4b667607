//! The consultation's operations (served by [`crate::responses`]) as the OpenAPI document
//! describes them, and the types of their answers.
//
// TODO(phase 2): these descriptions move onto the handlers when the workflow crate's operations
// are routed through `super::operations`; until then the functions below are descriptions only.

use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use observa_domain::consultation::{Issue, Status};
use observa_domain::StateCode;

use super::answers::Problem;

/// Question id → answer: text (dates, periods, yes/no/partial and choices by id), a list (list
/// of three), or table rows (column id → text).
#[derive(Serialize, ToSchema)]
#[schema(as = Answers)]
pub struct AnswerMap(std::collections::BTreeMap<String, serde_json::Value>);

/// A State's answers to a cycle.
#[derive(Serialize, ToSchema)]
#[schema(as = Response)]
pub struct DraftAnswer {
    pub cycle: i32,
    pub state: StateCode,
    pub status: Status,
    /// 0 before the first save.
    pub version: i64,
    #[schema(value_type = String, format = Date)]
    pub deadline: String,
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

#[derive(OpenApi)]
#[openapi(paths(read, write, submit), components(schemas(Problem)))]
struct Consultation;

pub fn document() -> utoipa::openapi::OpenApi {
    Consultation::openapi()
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
#[allow(dead_code)]
fn read() {}

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
#[allow(dead_code)]
fn write() {}

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
#[allow(dead_code)]
fn submit() {}
