//! A plan's action matrix, signed in: the workbook to download (the matrix as it stands, or a
//! blank for a plan without one) and the item-by-item forms, the filled workbook uploaded back with a report of what was read
//! and what was wrong (any problem refuses it whole: nothing is saved), and an action's status
//! changed with the note that explains it. Every write is an operation of
//! `observa_workflow::monitoring`.

use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::context;
use observa_domain::monitoring::{ActionStatus, Matrix};
use observa_workflow::monitoring as op;
use observa_workflow::WorkflowError;
use serde::Deserialize;

use super::account::private;
use super::matrix_form;
use super::monitoring::today;
use super::{page_lang, render, respond};
use crate::auth::internal;
use crate::signed_in::{Reporter, SignedIn};
use crate::{AppState, Lang, WebError};

/// The largest matrix workbook accepted: a plan of a few hundred indicators is well under 1 MB.
const MAX_BYTES: usize = 5 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/{lang}/monitoring/plans/{id}/matrix.xlsx",
            get(download).post(upload).layer(DefaultBodyLimit::max(MAX_BYTES + 64 * 1024)),
        )
        .route("/{lang}/monitoring/plans/{id}/actions/{action}", post(change_action))
        .route("/{lang}/monitoring/plans/{id}/matrix", post(edit))
}

/// The State whose plan `id` is, after checking the signed-in account may report on it.
fn may_report(app: &AppState, who: &SignedIn<Reporter>, id: &str) -> Result<(), WebError> {
    let state = op::state_of(&app.snapshot().dataset, id).map_err(|e| WebError::workflow(e, who.lang))?;
    who.require(app, who.actor.may_report(&state), "change this plan's matrix")
}

async fn download(
    State(app): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    who: SignedIn<Reporter>,
) -> Response {
    let result = (|| {
        let l = page_lang(&lang)?;
        may_report(&app, &who, &id)?;
        let stored = app.store.lock().expect("store lock").matrix(&id).map_err(internal)?;
        let (matrix, version) = stored.unwrap_or_else(|| (Matrix::new(&id), 0));
        let bytes = crate::matrix_workbook::build(&matrix, version, l)
            .map_err(|e| WebError::Internal(format!("matrix workbook: {e}")))?;
        let file = format!("observa-matrix-{id}-v{version}.xlsx");
        let headers = [
            (header::CONTENT_TYPE, crate::filetype::Kind::Xlsx.media_type().to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ];
        Ok(private((headers, bytes).into_response()))
    })();
    respond(&app, &lang, result)
}

async fn upload(
    State(app): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    uri: Uri,
    who: SignedIn<Reporter>,
    mut form: Multipart,
) -> Response {
    let result = async {
        let l = page_lang(&lang)?;
        // Who may change the matrix, before the upload is read.
        may_report(&app, &who, &id)?;
        let (csrf, file) = super::attachments::read_upload(&mut form, l.text("workbook-too-large")).await?;
        who.check_csrf(&app, &csrf)?;
        let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
            return Err(WebError::BadRequest(l.text("attachment-missing")));
        };
        if crate::filetype::content_kind(&bytes) != Some(crate::filetype::Kind::Xlsx) {
            return Err(WebError::Unsupported(format!("`{name}`: {}", l.text("workbook-not-xlsx"))));
        }
        // Reading is bounded (see `matrix_workbook::read`) but takes CPU: off the request threads.
        let plan = id.clone();
        let reading = tokio::task::spawn_blocking(move || crate::matrix_workbook::read(&plan, &bytes))
            .await
            .map_err(|e| WebError::Internal(format!("matrix workbook reader: {e}")))?;
        let reading = match reading {
            Ok(reading) => reading,
            Err(problems) => return Ok(refused(&app, l, &uri, &id, &name, problems, StatusCode::UNPROCESSABLE_ENTITY)),
        };
        let (matrix, based_on) = (&reading.matrix, reading.version);
        let saved =
            who.run(&app, |store, registry, actor| op::save_matrix(store, registry, actor, matrix, based_on, today()));
        let version = match saved {
            Ok(version) => version,
            Err(WorkflowError::Invalid { detail, .. }) => {
                let problems = detail.split("; ").map(String::from).collect();
                return Ok(refused(&app, l, &uri, &id, &name, problems, StatusCode::UNPROCESSABLE_ENTITY));
            }
            Err(WorkflowError::Stale { current }) => {
                let problem = format!("{} ({based_on} → {current})", l.text("matrix-workbook-stale"));
                return Ok(refused(&app, l, &uri, &id, &name, vec![problem], StatusCode::CONFLICT));
            }
            Err(e) => return Err(who.fail(&app, e)),
        };
        let ctx = context! { id, name, version, counts => reading.counts, refused => false };
        Ok(private(render(&app, l, &uri, "matrix_report.html", ctx)))
    }
    .await;
    respond(&app, &lang, result)
}

/// The report of a refused workbook: every problem, and nothing saved.
fn refused(
    app: &AppState,
    l: Lang,
    uri: &Uri,
    id: &str,
    name: &str,
    problems: Vec<String>,
    status: StatusCode,
) -> Response {
    let ctx = context! { id, name, problems, refused => true };
    let mut page = private(render(app, l, uri, "matrix_report.html", ctx));
    *page.status_mut() = status;
    page
}

#[derive(Deserialize)]
struct ActionChange {
    csrf: String,
    status: String,
    #[serde(default)]
    note: String,
}

async fn change_action(
    State(app): State<AppState>,
    Path((lang, id, action)): Path<(String, String, String)>,
    who: Result<SignedIn<Reporter>, Response>,
    Form(form): Form<ActionChange>,
) -> Response {
    // The form is read before a refusal is answered, so the connection stays usable.
    let who = match who {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let result = (|| {
        let l = page_lang(&lang)?;
        who.check_csrf(&app, &form.csrf)?;
        let status = ActionStatus::parse(&form.status).ok_or_else(|| {
            WebError::BadRequest(format!("{}: `{}`", l.text("matrix-action-bad-status"), shown(&form.status)))
        })?;
        let change = (status, form.note.as_str());
        who.call(&app, |store, registry, actor| {
            op::update_action(store, registry, actor, &id, &action, change, today())
        })?;
        let to = format!("/{}/monitoring/plans/{id}?done=action#actions", l.code());
        Ok(private(Redirect::to(&to).into_response()))
    })();
    respond(&app, &lang, result)
}

/// One item edit of the matrix from the workspace's forms (`pages/matrix_form.rs`).
async fn edit(
    State(app): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    who: Result<SignedIn<Reporter>, Response>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let who = match who {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let result = (|| {
        let l = page_lang(&lang)?;
        who.check_csrf(&app, matrix_form::field(&form, "csrf"))?;
        let (version, item) = matrix_form::version_and_edit(&form, "monitoring-matrix-refused", l)?;
        let item = item.ok_or_else(|| WebError::BadRequest(l.text("design-unknown-op")))?;
        who.call(&app, |store, registry, actor| {
            op::edit_matrix(store, registry, actor, (&id, version), &item, today())
        })?;
        Ok(private(Redirect::to(&format!("/{}/monitoring/plans/{id}#matrix-heading", l.code())).into_response()))
    })();
    respond(&app, &lang, result)
}

fn shown(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(40).collect()
}
