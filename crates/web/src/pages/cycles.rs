//! The secretariat's side of cycles beyond the forms: the list of cycles with the form that opens
//! the next one (the questionnaire copied from a chosen cycle), and the reminders due to liaison
//! officers, queued in the outbox for a mail server.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::{context, Value};
use observa_domain::consultation::{Cycle, Draft, Status};
use observa_store::StoreError;

use super::account::{check_csrf, private, refuse, signed_in};
use super::{page_lang, render, respond};
use crate::auth::internal;
use crate::{AppState, Lang, WebError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{lang}/cycles", get(cycles_page).post(open_cycle))
        .route("/{lang}/cycles/{year}/reminders", post(queue_reminders))
}

/// How close to the deadline reminders start.
const REMINDER_DAYS: i64 = 14;

/// A reminder for each liaison officer of each State whose answers are still open, from
/// [`REMINDER_DAYS`] before the deadline; in the language of the page that queues them.
pub(super) fn reminders_due(
    app: &AppState,
    store: &dyn observa_store::Backend,
    cycle: &Cycle,
    drafts: &[Draft],
    l: Lang,
) -> Result<Vec<(String, observa_store::Message)>, WebError> {
    let today = chrono::Utc::now().date_naive();
    if (cycle.deadline - today).num_days() > REMINDER_DAYS {
        return Ok(Vec::new());
    }
    let snap = app.snapshot();
    let mut due = Vec::new();
    for state in snap.dataset.states.iter().filter(|s| s.code.is_oas_member()) {
        let status = drafts.iter().find(|d| d.state == state.code.as_str()).map_or(Status::NotStarted, |d| d.status);
        if !status.editable() {
            continue;
        }
        let name = state.name(l.0).to_string();
        let fill = |text: String| {
            text.replace("%year%", &cycle.year.to_string())
                .replace("%deadline%", &cycle.deadline.to_string())
                .replace("%state%", &name)
                .replace("%status%", &l.text(&format!("status-{}", status.code())))
                .replace("%path%", &format!("/{}/cycles/{}/responses/{}", l.code(), cycle.year, state.code))
        };
        for to in store.liaisons(state.code.as_str()).map_err(internal)? {
            let message = observa_store::Message {
                to,
                subject: fill(l.text("reminder-subject")),
                body: fill(l.text("reminder-body")),
            };
            due.push((name.clone(), message));
        }
    }
    Ok(due)
}

#[derive(serde::Deserialize)]
struct CsrfOnly {
    csrf: String,
}

async fn queue_reminders(
    State(app): State<AppState>,
    Path((lang, year)): Path<(String, i32)>,
    uri: Uri,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let result = (|| {
        let l = page_lang(&lang)?;
        let session = match signed_in(&app, &headers, l, &uri)? {
            Ok(s) => s,
            Err(r) => return Ok(r),
        };
        if !session.account.role.is_secretariat() {
            return Err(refuse(&app, &session, uri.path()));
        }
        check_csrf(&app, &session, &form.csrf)?;
        let mut store = app.store.lock().expect("store lock");
        let cycle = crate::responses::find_cycle(&**store, year)?;
        let drafts = store.drafts(year).map_err(internal)?;
        let messages: Vec<observa_store::Message> =
            reminders_due(&app, &**store, &cycle, &drafts, l)?.into_iter().map(|(_, m)| m).collect();
        let queued = store.queue(&messages, &session.account.email).map_err(internal)?;
        Ok(private(Redirect::to(&format!("/{}/cycles/{year}?queued={queued}", l.code())).into_response()))
    })();
    respond(&app, &lang, result)
}

/// Every cycle, with the form that opens the next one (the secretariat's), or the officer's own
/// responses (a liaison's).
async fn cycles_page(State(app): State<AppState>, lang: super::LangPath, uri: Uri, headers: HeaderMap) -> Response {
    let result = (|| {
        let l = page_lang(&lang)?;
        let session = match signed_in(&app, &headers, l, &uri)? {
            Ok(s) => s,
            Err(r) => return Ok(r),
        };
        let cycles = app.store.lock().expect("store lock").cycles().map_err(internal)?;
        let list: Vec<Value> = cycles
            .iter()
            .map(
                |c| context! { year => c.year, deadline => c.deadline.to_string(), version => c.questionnaire.version },
            )
            .collect();
        let ctx = context! {
            cycles => list, secretariat => session.account.role.is_secretariat(),
            states => crate::templates::v(&session.account.states), csrf => session.csrf.clone(),
            next => cycles.first().map_or(2015, |c| c.year + 1),
        };
        Ok(private(render(&app, l, &uri, "cycles.html", ctx)))
    })();
    respond(&app, &lang, result)
}

#[derive(serde::Deserialize)]
struct Open {
    csrf: String,
    year: i32,
    from: i32,
    deadline: String,
}

async fn open_cycle(
    State(app): State<AppState>,
    lang: super::LangPath,
    uri: Uri,
    headers: HeaderMap,
    Form(form): Form<Open>,
) -> Response {
    let result = (|| {
        let l = page_lang(&lang)?;
        let session = match signed_in(&app, &headers, l, &uri)? {
            Ok(s) => s,
            Err(r) => return Ok(r),
        };
        if !session.account.role.is_secretariat() {
            return Err(refuse(&app, &session, uri.path()));
        }
        check_csrf(&app, &session, &form.csrf)?;
        let deadline: chrono::NaiveDate = form
            .deadline
            .parse()
            .map_err(|_| WebError::BadRequest(format!("`{}` is not a date YYYY-MM-DD", form.deadline)))?;
        let mut store = app.store.lock().expect("store lock");
        let cycles = store.cycles().map_err(internal)?;
        let source = cycles
            .iter()
            .find(|c| c.year == form.from)
            .ok_or_else(|| WebError::BadRequest(format!("no cycle {} to copy the questionnaire from", form.from)))?;
        if form.year <= form.from || !(form.year..=form.year + 1).contains(&chrono::Datelike::year(&deadline)) {
            return Err(WebError::BadRequest(l.text("cycles-open-rule")));
        }
        let questionnaire = observa_domain::consultation::copy_for_cycle(&source.questionnaire, form.year);
        store.open_cycle(form.year, &questionnaire, deadline, &session.account.email).map_err(|e| match e {
            StoreError::Invalid(m) => WebError::Conflict(m),
            other => internal(other),
        })?;
        Ok(private(Redirect::to(&format!("/{}/cycles/{}", l.code(), form.year)).into_response()))
    })();
    respond(&app, &lang, result)
}
