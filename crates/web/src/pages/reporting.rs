//! Reporting on a plan, signed in: the coordinator's workspace (what is due, overdue, in draft,
//! returned or waiting for approval), the entry form of one indicator and period (last value,
//! baseline and target beside the field; a value far outside the history asks to be confirmed),
//! evidence, and the secretariat's decisions (approve, return with a comment, reopen). Every
//! write is an operation of `observa_workflow::monitoring`.

use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::NaiveDate;
use minijinja::{context, Value};
use observa_domain::consultation::Status;
use observa_domain::monitoring::schedule::{urgency, window};
use observa_domain::monitoring::{ActionStatus, ReportKey};
use observa_store::{Attachment, Evidence};
use observa_workflow::monitoring as op;
use observa_workflow::WorkflowError;
use sha2::{Digest, Sha256};

use super::account::private;
use super::attachments::MAX_BYTES;
use super::entry_form::{number, Action};
use super::monitoring::today;
use super::{page_lang, render, respond};
use crate::auth::internal;
use crate::signed_in::{Analyst, Reporter, SignedIn};
use crate::templates::v;
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{lang}/monitoring/review", get(review))
        .route("/{lang}/monitoring/plans/{id}", get(workspace))
        .route("/{lang}/monitoring/plans/{id}/{indicator}/{period}", get(entry).post(act))
        .route(
            "/{lang}/monitoring/plans/{id}/{indicator}/{period}/evidence",
            post(upload).layer(DefaultBodyLimit::max(MAX_BYTES + 64 * 1024)),
        )
        .route("/{lang}/monitoring/plans/{id}/evidence/{file}", get(download))
}

/// Evidence: a document checked like the consultation's attachments (type by content, at most
/// [`MAX_BYTES`]), kept with the report; `public` makes it downloadable by anyone once the
/// report is approved, otherwise only by the State's officers and the secretariat.
async fn upload(
    State(app): State<AppState>,
    Path((lang, id, indicator, period)): Path<(String, String, String, String)>,
    who: SignedIn<Reporter>,
    mut form: Multipart,
) -> Response {
    let result = async {
        let l = page_lang(&lang)?;
        let key = key_of(&id, &indicator, &period)?;
        let state = plan_state(&app, &id)?;
        who.require(&app, who.actor.may_report(&state), "attach evidence to this plan's reports")?;
        let (csrf, file, public) = read_evidence(&mut form, l.text("attachment-too-large")).await?;
        who.check_csrf(&app, &csrf)?;
        let Some((name, bytes)) = file.filter(|(n, b)| !n.is_empty() && !b.is_empty()) else {
            return Err(WebError::BadRequest(l.text("attachment-missing")));
        };
        if bytes.len() > MAX_BYTES {
            return Err(WebError::TooLarge(l.text("attachment-too-large")));
        }
        let kind = crate::filetype::check(&name, &bytes).map_err(WebError::Unsupported)?;
        let sha256: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        let file = Attachment {
            id: 0,
            name: name.chars().filter(|c| !c.is_control()).take(200).collect(),
            media_type: kind.media_type().to_string(),
            size: bytes.len() as i64,
            sha256,
            uploaded_at: String::new(),
            uploaded_by: String::new(),
        };
        let evidence = Evidence { file, public };
        who.call(&app, |store, registry, actor| op::attach_evidence(store, registry, actor, &key, &evidence, &bytes))?;
        let to = format!("/{}/monitoring/plans/{id}/{indicator}/{period}?done=attached", l.code());
        Ok(private(Redirect::to(&to).into_response()))
    }
    .await;
    respond(&app, &lang, result)
}

/// The CSRF token, the file and the "public" box of an evidence form.
async fn read_evidence(
    form: &mut Multipart,
    too_large: String,
) -> Result<(String, Option<(String, axum::body::Bytes)>, bool), WebError> {
    let bad = |e: axum::extract::multipart::MultipartError| match e.status().as_u16() {
        413 => WebError::TooLarge(too_large.clone()),
        _ => WebError::BadRequest(format!("the upload could not be read: {}", e.body_text())),
    };
    let (mut csrf, mut file, mut public) = (String::new(), None, false);
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(bad)?,
            Some("public") => public = true,
            Some("file") => {
                let name = field.file_name().unwrap_or("").rsplit(['/', '\\']).next().unwrap_or("").to_string();
                file = Some((name, field.bytes().await.map_err(bad)?));
            }
            _ => {}
        }
    }
    Ok((csrf, file, public))
}

/// A document of evidence: public ones of approved reports for anyone, the others for whoever
/// may report on the plan. Every download of a restricted one is audited.
async fn download(
    State(app): State<AppState>,
    Path((lang, id, file)): Path<(String, String, i64)>,
    who: Result<SignedIn, Response>,
) -> Response {
    let result = (|| {
        let l = page_lang(&lang)?;
        let state = plan_state(&app, &id)?;
        let store = app.store.lock().expect("store lock");
        let not_found = || WebError::NotFound(l.text("workflow-not-found"));
        let (key, evidence, content) = store.evidence_file(&id, file).map_err(internal)?.ok_or_else(not_found)?;
        let approved = store.progress_report(&key).map_err(internal)?.is_some_and(|r| r.approved());
        drop(store);
        let open = evidence.public && approved;
        match &who {
            _ if open => {}
            Ok(w) if w.actor.may_report(&state) => {
                let subject = format!("plans/{id}/evidence/{file}");
                app.store
                    .lock()
                    .expect("store lock")
                    .record(&w.actor.email, "download-evidence", &subject)
                    .map_err(internal)?;
            }
            // Restricted evidence is not there for whoever may not read it.
            _ => return Err(not_found()),
        }
        let name: String =
            evidence.file.name.chars().filter(|c| c.is_ascii_graphic() && *c != '"' || *c == ' ').collect();
        let response = (
            [
                (header::CONTENT_TYPE, evidence.file.media_type),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            ],
            content,
        )
            .into_response();
        Ok(if open { response } else { private(response) })
    })();
    respond(&app, &lang, result)
}

fn plan_state(app: &AppState, plan: &str) -> Result<String, WebError> {
    op::state_of(&app.snapshot().dataset, plan)
        .map_err(|e| WebError::workflow(e, crate::Lang(observa_domain::Lang::En)))
}

async fn workspace(
    State(app): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    uri: Uri,
    who: SignedIn<Reporter>,
) -> Response {
    let result = (|| {
        let l = page_lang(&lang)?;
        let state = plan_state(&app, &id)?;
        who.require(&app, who.actor.may_report(&state), "report on this plan")?;
        let (matrix, periods, reports, reopened) = {
            let store = app.store.lock().expect("store lock");
            let matrix = store.matrix(&id).map_err(internal)?;
            (
                matrix,
                store.periods(&id).map_err(internal)?,
                store.progress(&id).map_err(internal)?,
                store.reopenings(&id).map_err(internal)?,
            )
        };
        let snap = app.snapshot_in(l.0);
        let plan = snap.dataset.plans.iter().find(|p| p.id == id);
        // The item-by-item forms (pages/matrix_form.rs) edit the matrix, or start one.
        let orgs = super::matrix_form::organisations(&snap.dataset, &state);
        let target = format!("/{}/monitoring/plans/{id}/matrix", l.code());
        let Some((matrix, version)) = matrix else {
            let empty = v(observa_domain::monitoring::Matrix::new(&id));
            let ctx = context! { plan => v(plan), state, matrix => false, csrf => who.session.csrf.clone(), edit => empty, version => 0, orgs, target };
            return Ok(private(render(&app, l, &uri, "reporting.html", ctx)));
        };
        let day = today();
        // What needs someone: periods open for entries, and reports not approved yet.
        let mut rows = vec![];
        for p in &periods {
            let report = reports.iter().find(|r| r.key.indicator == p.indicator && r.key.period == p.start);
            let status = report.map_or(Status::NotStarted, |r| r.status);
            let until = reopened.get(&(p.indicator.clone(), p.start)).copied();
            let w = window(p, matrix.lock_days, until, day);
            let pending = matches!(status, Status::Draft | Status::Returned | Status::Submitted);
            if !(pending || (w.accepts_entries() && status == Status::NotStarted)) {
                continue;
            }
            let name = matrix.indicator(&p.indicator).map(|i| i.indicator.name.clone()).unwrap_or_default();
            let u = urgency(p, report.is_some_and(|r| r.reported()), day);
            rows.push(context! { period => v(p), name, status => status.code(), urgency => v(u), window => v(w) });
        }
        let actions: Vec<_> = matrix.actions().map(|(_, a)| a).collect();
        let ctx = context! {
            plan => v(plan), state, matrix => true, version, rows, csrf => who.session.csrf.clone(),
            indicators => matrix.indicators().len(), may_approve => who.actor.may_approve(), actions => v(actions),
            statuses => ActionStatus::ALL.map(|s| s.code()), edit => v(&matrix), orgs, target,
        };
        Ok(private(render(&app, l, &uri, "reporting.html", ctx)))
    })();
    respond(&app, &lang, result)
}

fn key_of(id: &str, indicator: &str, period: &str) -> Result<ReportKey, WebError> {
    let period: NaiveDate = period.parse().map_err(|_| WebError::NotFound(format!("no period `{period}`")))?;
    Ok(ReportKey { plan: id.into(), indicator: indicator.into(), period })
}

/// The entry form's context: the period, the indicator, the stored report, the last approved
/// value before it, the comments and the evidence.
fn entry_context(app: &AppState, who: &SignedIn<Reporter>, key: &ReportKey) -> Result<Value, WebError> {
    let state = plan_state(app, &key.plan)?;
    who.require(app, who.actor.may_report(&state), "report on this plan")?;
    let store = app.store.lock().expect("store lock");
    let (matrix, _) = store.matrix(&key.plan).map_err(internal)?.ok_or_else(|| WebError::NotFound(key.plan.clone()))?;
    let placed = matrix.indicator(&key.indicator).ok_or_else(|| WebError::NotFound(key.indicator.clone()))?;
    let period = store.period(key).map_err(internal)?.ok_or_else(|| WebError::NotFound(key.period.to_string()))?;
    let history = store.indicator_progress(&key.plan, &key.indicator).map_err(internal)?;
    let report = history.iter().find(|r| r.key.period == key.period).cloned();
    let last = history.iter().rfind(|r| r.approved() && r.key.period < key.period).cloned();
    let comments = store.progress_comments(key).map_err(internal)?;
    let evidence: Vec<_> =
        store.evidence(&key.plan).map_err(internal)?.into_iter().filter(|(k, _)| k == key).map(|(_, e)| e).collect();
    let until = store.reopenings(&key.plan).map_err(internal)?.get(&(key.indicator.clone(), key.period)).copied();
    let w = window(&period, matrix.lock_days, until, today());
    let status = report.as_ref().map_or(Status::NotStarted, |r| r.status);
    Ok(context! {
        key => v(key), period => v(&period), indicator => v(placed.indicator), report => v(&report), last => v(&last),
        comments => v(&comments), evidence => v(&evidence), window => v(w), status => status.code(),
        editable => w.accepts_entries() && observa_workflow::status::open(status),
        may_approve => who.actor.may_approve(), version => report.as_ref().map_or(0, |r| r.version),
        csrf => who.session.csrf.clone(), locks => period.locks_after(matrix.lock_days).to_string(),
    })
}

async fn entry(
    State(app): State<AppState>,
    Path((lang, id, indicator, period)): Path<(String, String, String, String)>,
    uri: Uri,
    who: SignedIn<Reporter>,
) -> Response {
    let result = (|| {
        let l = page_lang(&lang)?;
        let ctx = entry_context(&app, &who, &key_of(&id, &indicator, &period)?)?;
        Ok(private(render(&app, l, &uri, "report_entry.html", ctx)))
    })();
    respond(&app, &lang, result)
}

async fn act(
    State(app): State<AppState>,
    Path((lang, id, indicator, period)): Path<(String, String, String, String)>,
    uri: Uri,
    who: Result<SignedIn<Reporter>, Response>,
    Form(form): Form<Action>,
) -> Response {
    let who = match who {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let result = (|| {
        let l = page_lang(&lang)?;
        who.check_csrf(&app, &form.csrf)?;
        let key = key_of(&id, &indicator, &period)?;
        let day = today();
        let done = match form.action.as_str() {
            "save" | "submit" => {
                let value = number(&form.value).map_err(|shown| {
                    WebError::workflow(WorkflowError::Invalid { key: "monitoring-value-number", detail: shown }, l)
                })?;
                let breakdown = form.breakdown().map_err(|shown| {
                    WebError::workflow(WorkflowError::Invalid { key: "monitoring-value-number", detail: shown }, l)
                })?;
                let entry = op::Entry {
                    value,
                    no_data: Some(form.no_data.clone()),
                    breakdown,
                    narrative: form.narrative.clone(),
                    lang: l.0,
                    confirmed: form.confirmed.is_some(),
                };
                let saved = who.run(&app, |store, registry, actor| {
                    let version = op::save_report(store, registry, actor, &key, &entry, form.version, day)?;
                    if form.action == "submit" {
                        return op::submit_report(store, registry, actor, &key, version, day);
                    }
                    Ok(version)
                });
                match saved {
                    // The value is kept in the form and a confirmation asked; nothing was saved.
                    Err(WorkflowError::Invalid { key: "monitoring-confirm-unusual", .. }) => {
                        let ctx = entry_context(&app, &who, &key)?;
                        let ctx = context! { ..ctx, ..context! { confirm => true, entered => v(&form.value), narrative => form.narrative.clone() } };
                        return Ok(private(render(&app, l, &uri, "report_entry.html", ctx)));
                    }
                    other => other.map_err(|e| who.fail(&app, e))?,
                };
                "saved"
            }
            "approve" | "return" => {
                let approve = form.action == "approve";
                who.call(&app, |store, registry, actor| {
                    op::decide_report(store, registry, actor, &key, form.version, approve, &form.comment)
                })?;
                if approve {
                    "approved"
                } else {
                    "returned"
                }
            }
            "reopen" => {
                let until: NaiveDate = form.until.parse().map_err(|_| {
                    WebError::workflow(
                        WorkflowError::Invalid {
                            key: "monitoring-reopen-until",
                            detail: form.until.chars().take(20).collect(),
                        },
                        l,
                    )
                })?;
                who.call(&app, |store, registry, actor| {
                    op::reopen(store, registry, actor, &key, until, &form.comment, day)
                })?;
                "reopened"
            }
            _ => return Err(WebError::BadRequest(l.text("monitoring-unknown-action"))),
        };
        let to = format!("/{}/monitoring/plans/{id}/{indicator}/{period}?done={done}", l.code());
        Ok(private(Redirect::to(&to).into_response()))
    })();
    respond(&app, &lang, result)
}

/// The secretariat's queue: every submitted report of every plan.
async fn review(State(app): State<AppState>, Path(lang): Path<String>, uri: Uri, who: SignedIn<Analyst>) -> Response {
    let result = (|| {
        let l = page_lang(&lang)?;
        let store = app.store.lock().expect("store lock");
        let mut rows = vec![];
        for (state, matrix) in store.matrices().map_err(internal)? {
            for r in
                store.progress(&matrix.plan).map_err(internal)?.into_iter().filter(|r| r.status == Status::Submitted)
            {
                let name = matrix.indicator(&r.key.indicator).map(|i| i.indicator.name.clone()).unwrap_or_default();
                rows.push(context! { state => state.clone(), report => v(&r), name });
            }
        }
        drop(store);
        let ctx = context! { rows, csrf => who.session.csrf.clone() };
        Ok(private(render(&app, l, &uri, "monitoring_review.html", ctx)))
    })();
    respond(&app, &lang, result)
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_read_as_people_write_them() {
        assert_eq!(super::number("12,5"), Ok(Some(12.5)));
        assert_eq!(super::number(" 1 234.5 "), Ok(Some(1234.5)));
        assert_eq!(super::number("1,234.5"), Ok(Some(1234.5)));
        assert_eq!(super::number(""), Ok(None));
        assert!(super::number("twelve").is_err() && super::number("NaN").is_err() && super::number("inf").is_err());
    }
}
