//! Plan monitoring through the API: a plan's matrix, due dates and approved values (public);
//! writing the matrix, saving and submitting a progress report (the plan's coordinators and
//! liaison officers), and the secretariat's decision. Versions travel as ETags (`If-Match`), as
//! for the consultation's answers; every write is an operation of `observa_workflow::monitoring`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use observa_domain::monitoring::{Matrix, Period, ReportKey};
use observa_domain::Lang;
use observa_workflow::monitoring as op;

use super::answers::Problem;
use super::workflow::{answer, fail, no_store, problem};
use crate::extract::{ApiJson, ApiPath};
use crate::signed_in::SignedIn;
use crate::AppState;

/// An approved value (only approved values are public).
#[derive(Serialize, ToSchema)]
pub struct ApprovedValue {
    pub indicator: String,
    pub period: NaiveDate,
    pub period_end: NaiveDate,
    pub value: Option<f64>,
    pub no_data: Option<String>,
    /// The value by category of the indicator's disaggregation (`sex:female`).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub breakdown: std::collections::BTreeMap<String, f64>,
    pub late: bool,
}

/// A plan's monitoring as the public sees it.
#[derive(Serialize, ToSchema)]
pub struct Monitoring {
    pub plan: String,
    /// The action matrix; absent when nothing is recorded yet.
    pub matrix: Option<Matrix>,
    /// Every reporting period (its last day is the due date).
    pub periods: Vec<Period>,
    pub approved: Vec<ApprovedValue>,
}

#[utoipa::path(get, path = "/plans/{id}/monitoring", operation_id = "getPlanMonitoring", tag = "monitoring",
    summary = "A plan's action matrix, reporting periods (due dates) and approved values",
    params(("id" = String, Path, description = "The plan's id")),
    responses(
        (status = 200, description = "OK", body = Monitoring),
        (status = 404, description = "No such plan", body = Problem),
    ))]
pub async fn read(State(app): State<AppState>, ApiPath(id): ApiPath<String>) -> Response {
    if !app.snapshot().dataset.plans.iter().any(|p| p.id == id) {
        return problem(StatusCode::NOT_FOUND, "no such plan");
    }
    let store = app.store.lock().expect("store lock");
    let read = (|| {
        let matrix = store.matrix(&id)?.map(|(m, _)| m);
        let periods = store.periods(&id)?;
        let approved = store
            .progress(&id)?
            .into_iter()
            .filter(|r| r.approved())
            .map(|r| ApprovedValue {
                indicator: r.key.indicator,
                period: r.key.period,
                period_end: r.period_end,
                value: r.value,
                no_data: r.no_data,
                breakdown: r.breakdown,
                late: r.late,
            })
            .collect();
        Ok::<_, observa_store::StoreError>(Monitoring { plan: id.clone(), matrix, periods, approved })
    })();
    drop(store);
    match read {
        Ok(m) => answer(StatusCode::OK, &m),
        Err(e) => no_store(axum::response::IntoResponse::into_response(crate::auth::internal(e))),
    }
}

#[derive(Serialize, ToSchema)]
pub struct Version {
    pub version: i64,
}

#[utoipa::path(put, path = "/plans/{id}/matrix", operation_id = "putPlanMatrix", tag = "monitoring",
    summary = "Write a plan's action matrix (its coordinators, liaison officers, the secretariat); future periods without a report follow the new schedule",
    security(("bearerToken" = []), ("session" = [])),
    params(
        ("id" = String, Path, description = "The plan's id"),
        ("If-Match" = String, Header, description = "The matrix's ETag (\"v0\" before the first)", pattern = r#"^"?v[0-9]+"?$"#),
    ),
    request_body(content = Matrix, content_type = "application/json"),
    responses(
        (status = 200, description = "Written", body = Version),
        (status = 400, description = "The matrix names what the registry lacks, or breaks the text policy; the message says where", body = Problem),
        (status = 401, description = "No valid credentials", body = Problem),
        (status = 403, description = "Not an account of the plan's State or the secretariat", body = Problem),
        (status = 404, description = "No such plan", body = Problem),
        (status = 412, description = "The matrix changed since that version", body = Problem),
        (status = 428, description = "If-Match is missing", body = Problem),
    ))]
pub async fn write_matrix(
    State(app): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
    body: Result<ApiJson<Matrix>, Response>,
) -> Response {
    let based_on = match crate::responses::if_match(&headers) {
        Ok(v) => v,
        Err(refusal) => return refusal,
    };
    let matrix = match body {
        Ok(ApiJson(m)) if m.plan == id => m,
        Ok(_) => return problem(StatusCode::BAD_REQUEST, "the matrix's `plan` is not the plan of the path"),
        Err(refusal) => return no_store(refusal),
    };
    let today = chrono::Utc::now().date_naive();
    match who.run(&app, |store, registry, actor| op::save_matrix(store, registry, actor, &matrix, based_on, today)) {
        Ok(version) => answer(StatusCode::OK, &Version { version }),
        Err(e) => fail(&app, &who, e),
    }
}

/// A progress report as sent.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportEntry {
    pub value: Option<f64>,
    #[serde(default)]
    pub no_data: Option<String>,
    /// Values by category of the indicator's disaggregation: `sex:female`, `age:12-17`,
    /// `region:<name>` (a category the indicator does not have is refused with 400).
    #[serde(default)]
    pub breakdown: std::collections::BTreeMap<String, f64>,
    #[serde(default)]
    pub narrative: String,
    pub lang: Lang,
    /// Confirms a value far outside the indicator's history (otherwise refused with 400).
    #[serde(default)]
    pub confirmed: bool,
    /// Submit for approval after saving.
    #[serde(default)]
    pub submit: bool,
}

/// The report a path names; a period that is not a date names none (404).
fn key(id: String, indicator: String, period: &str) -> Result<ReportKey, Box<Response>> {
    let period =
        period.parse().map_err(|_| Box::new(problem(StatusCode::NOT_FOUND, "the period is a date, YYYY-MM-DD")))?;
    Ok(ReportKey { plan: id, indicator, period })
}

#[utoipa::path(put, path = "/plans/{id}/reports/{indicator}/{period}", operation_id = "putProgressReport", tag = "monitoring",
    summary = "Save (and with `submit`, submit) the report on one indicator for one period",
    security(("bearerToken" = []), ("session" = [])),
    params(
        ("id" = String, Path, description = "The plan's id"),
        ("indicator" = String, Path, description = "The indicator's id in the matrix"),
        ("period" = String, Path, description = "The period's first day, YYYY-MM-DD"),
        ("If-Match" = String, Header, description = "The report's ETag (\"v0\" before the first save)", pattern = r#"^"?v[0-9]+"?$"#),
    ),
    request_body(content = ReportEntry, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved (and submitted)", body = Version),
        (status = 400, description = "The period is not open or is locked, no value and no reason, a value to confirm, or a text the policy refuses", body = Problem),
        (status = 401, description = "No valid credentials", body = Problem),
        (status = 403, description = "Not an account of the plan's State or the secretariat", body = Problem),
        (status = 404, description = "No such plan, matrix, indicator or period", body = Problem),
        (status = 409, description = "The report is submitted or approved and cannot change", body = Problem),
        (status = 412, description = "The report changed since that version", body = Problem),
        (status = 428, description = "If-Match is missing", body = Problem),
    ))]
pub async fn write_report(
    State(app): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    ApiPath((id, indicator, period)): ApiPath<(String, String, String)>,
    body: Result<ApiJson<ReportEntry>, Response>,
) -> Response {
    let based_on = match crate::responses::if_match(&headers) {
        Ok(v) => v,
        Err(refusal) => return refusal,
    };
    let (key, entry) = match (key(id, indicator, &period), body) {
        (Ok(k), Ok(ApiJson(e))) => (k, e),
        (Err(r), _) => return *r,
        (_, Err(refusal)) => return no_store(refusal),
    };
    let e = op::Entry {
        value: entry.value,
        no_data: entry.no_data,
        breakdown: entry.breakdown,
        narrative: entry.narrative,
        lang: entry.lang,
        confirmed: entry.confirmed,
    };
    let today = chrono::Utc::now().date_naive();
    let done = who.run(&app, |store, registry, actor| {
        let version = op::save_report(store, registry, actor, &key, &e, based_on, today)?;
        match entry.submit {
            true => op::submit_report(store, registry, actor, &key, version, today),
            false => Ok(version),
        }
    });
    match done {
        Ok(version) => answer(StatusCode::OK, &Version { version }),
        Err(e) => fail(&app, &who, e),
    }
}

/// The secretariat's decision.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub approve: bool,
    /// Required to return.
    #[serde(default)]
    pub comment: String,
}

#[utoipa::path(post, path = "/plans/{id}/reports/{indicator}/{period}/decision", operation_id = "decideProgressReport", tag = "monitoring",
    summary = "Approve a submitted report (its value becomes public and locked) or return it with a comment (the secretariat)",
    security(("bearerToken" = []), ("session" = [])),
    params(
        ("id" = String, Path, description = "The plan's id"),
        ("indicator" = String, Path, description = "The indicator's id"),
        ("period" = String, Path, description = "The period's first day, YYYY-MM-DD"),
        ("If-Match" = String, Header, description = "The report's ETag", pattern = r#"^"?v[0-9]+"?$"#),
    ),
    request_body(content = Decision, content_type = "application/json"),
    responses(
        (status = 200, description = "Decided", body = Version),
        (status = 400, description = "A return without a comment", body = Problem),
        (status = 401, description = "No valid credentials", body = Problem),
        (status = 403, description = "Not the secretariat", body = Problem),
        (status = 404, description = "No such plan, indicator, period or report", body = Problem),
        (status = 409, description = "The report is not submitted", body = Problem),
        (status = 412, description = "The report changed since that version", body = Problem),
        (status = 428, description = "If-Match is missing", body = Problem),
    ))]
pub async fn decide(
    State(app): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    ApiPath((id, indicator, period)): ApiPath<(String, String, String)>,
    body: Result<ApiJson<Decision>, Response>,
) -> Response {
    let version = match crate::responses::if_match(&headers) {
        Ok(v) => v,
        Err(refusal) => return refusal,
    };
    let (key, d) = match (key(id, indicator, &period), body) {
        (Ok(k), Ok(ApiJson(d))) => (k, d),
        (Err(r), _) => return *r,
        (_, Err(refusal)) => return no_store(refusal),
    };
    match who.run(&app, |store, registry, actor| {
        op::decide_report(store, registry, actor, &key, version, d.approve, &d.comment)
    }) {
        Ok(version) => answer(StatusCode::OK, &Version { version }),
        Err(e) => fail(&app, &who, e),
    }
}

/// An action's new status and why.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionChange {
    pub status: observa_domain::monitoring::ActionStatus,
    /// Why the status changed (required): the public dashboard shows it beside the action.
    pub note: String,
}

#[utoipa::path(post, path = "/plans/{id}/actions/{action}/status", operation_id = "changeActionStatus", tag = "monitoring",
    summary = "Change an action's status with a note saying why (its coordinators, liaison officers, the secretariat); the change is added to the action's history",
    security(("bearerToken" = []), ("session" = [])),
    params(
        ("id" = String, Path, description = "The plan's id"),
        ("action" = String, Path, description = "The action's id in the plan's matrix"),
    ),
    request_body(content = ActionChange, content_type = "application/json"),
    responses(
        (status = 200, description = "Recorded; the matrix's new version", body = Version),
        (status = 400, description = "No note, or a note that breaks the text policy", body = Problem),
        (status = 401, description = "No valid credentials", body = Problem),
        (status = 403, description = "Not an account of the plan's State or the secretariat", body = Problem),
        (status = 404, description = "No such plan, matrix or action", body = Problem),
        (status = 422, description = "Not a status, or a body that is not an action change", body = Problem),
    ))]
pub async fn change_action(
    State(app): State<AppState>,
    who: SignedIn,
    ApiPath((id, action)): ApiPath<(String, String)>,
    body: Result<ApiJson<ActionChange>, Response>,
) -> Response {
    let change = match body {
        Ok(ApiJson(c)) => c,
        Err(refusal) => return no_store(refusal),
    };
    let today = chrono::Utc::now().date_naive();
    let what = (change.status, change.note.as_str());
    match who.run(&app, |store, registry, actor| op::update_action(store, registry, actor, &id, &action, what, today)) {
        Ok(version) => answer(StatusCode::OK, &Version { version }),
        Err(e) => fail(&app, &who, e),
    }
}
