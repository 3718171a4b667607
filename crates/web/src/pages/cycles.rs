//! The secretariat's side of cycles beyond the forms: the list of cycles with the form that opens
//! the next one (the questionnaire copied from a chosen cycle), and the reminders due to liaison
//! officers, queued in the outbox (`observa serve --smtp-url` sends it: `crate::mail`).

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::{context, Value};
use observa_domain::consultation::Cycle;
use observa_store::Message;
use observa_workflow::deadline::{self, Reminder};

use super::account::{private, CsrfOnly};
use super::{render, respond};
use crate::auth::internal;
use crate::signed_in::{Analyst, SignedIn};
use crate::{AppState, Lang, WebError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{lang}/cycles", get(cycles_page).post(open_cycle))
        .route("/{lang}/cycles/{year}/reminders", post(queue_reminders))
}

/// A reminder's message in the language of the page that queues it.
fn word(app: &AppState, l: Lang, cycle: &Cycle, reminder: &Reminder) -> Message {
    let name =
        app.snapshot().dataset.state(&reminder.state).map_or(reminder.state.clone(), |s| s.name(l.0).to_string());
    let fill = |text: String| {
        text.replace("%year%", &cycle.year.to_string())
            .replace("%deadline%", &cycle.deadline.to_string())
            .replace("%state%", &name)
            .replace("%status%", &l.text(&format!("status-{}", reminder.status.code())))
            .replace("%path%", &format!("/{}/cycles/{}/responses/{}", l.code(), cycle.year, reminder.state))
    };
    Message { to: reminder.to.clone(), subject: fill(l.text("reminder-subject")), body: fill(l.text("reminder-body")) }
}

async fn queue_reminders(
    State(app): State<AppState>,
    Path((lang, year)): Path<(String, i32)>,
    who: Result<SignedIn<Analyst>, Response>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    // The form is read before a refusal is answered: a body left unread would make the
    // connection close under the answer.
    let who = match who {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let result = (|| {
        let l = who.lang;
        who.check_csrf(&app, &form.csrf)?;
        let snap = app.snapshot();
        let codes: Vec<&str> =
            snap.dataset.states.iter().filter(|s| s.code.is_oas_member()).map(|s| s.code.as_str()).collect();
        let today = chrono::Utc::now().date_naive();
        let queued = who.call(&app, |store, _, actor| {
            let cycle = observa_workflow::find_cycle(store, year)?;
            deadline::queue_reminders(store, actor, year, &codes, today, |r| word(&app, l, &cycle, r))
        })?;
        Ok(private(Redirect::to(&format!("/{}/cycles/{year}?queued={queued}", l.code())).into_response()))
    })();
    respond(&app, &lang, result)
}

/// Every cycle, with the form that opens the next one (the secretariat's), or the officer's own
/// responses (a liaison's).
async fn cycles_page(State(app): State<AppState>, lang: super::LangPath, uri: Uri, who: SignedIn) -> Response {
    let result = (|| {
        let cycles = app.store.lock().expect("store lock").cycles().map_err(internal)?;
        let list: Vec<Value> = cycles
            .iter()
            .map(
                |c| context! { year => c.year, deadline => c.deadline.to_string(), version => c.questionnaire.version },
            )
            .collect();
        let ctx = context! {
            cycles => list, secretariat => who.actor.may_run_cycles(),
            states => crate::templates::v(&who.actor.states), csrf => who.session.csrf.clone(),
            next => cycles.first().map_or(2015, |c| c.year + 1),
        };
        Ok(private(render(&app, who.lang, &uri, "cycles.html", ctx)))
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
    who: Result<SignedIn<Analyst>, Response>,
    Form(form): Form<Open>,
) -> Response {
    // The form is read before a refusal is answered: a body left unread would make the
    // connection close under the answer.
    let who = match who {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let result = (|| {
        let l = who.lang;
        who.check_csrf(&app, &form.csrf)?;
        let deadline: chrono::NaiveDate = form
            .deadline
            .parse()
            .map_err(|_| WebError::BadRequest(format!("`{}` is not a date YYYY-MM-DD", form.deadline)))?;
        who.call(&app, |store, _, actor| observa_workflow::open_cycle(store, actor, form.year, form.from, deadline))?;
        Ok(private(Redirect::to(&format!("/{}/cycles/{}", l.code(), form.year)).into_response()))
    })();
    respond(&app, &lang, result)
}
