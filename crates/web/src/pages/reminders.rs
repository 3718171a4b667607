//! Monitoring reminders from the secretariat's review page: one POST that queues, for each plan
//! coordinator and liaison officer of a State with indicator reports due or overdue, one message
//! in the page's language (`workflow::reminders`, once per person, State and day), then shows
//! the mail status page with how many were queued.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use observa_store::Message;
use observa_workflow::reminders::{self, MonitoringReminder};

use super::account::{private, CsrfOnly};
use super::respond;
use crate::signed_in::{Analyst, SignedIn};
use crate::{AppState, Lang};

pub fn router() -> Router<AppState> {
    Router::new().route("/{lang}/monitoring/reminders", post(queue))
}

/// A monitoring reminder's message in `l`.
fn word(app: &AppState, l: Lang, r: &MonitoringReminder) -> Message {
    let name = app.snapshot().dataset.state(&r.state).map_or(r.state.clone(), |s| s.name(l.0).to_string());
    let paths: Vec<String> = r.plans.iter().map(|p| format!("/{}/monitoring/plans/{p}", l.code())).collect();
    let fill = |text: String| {
        text.replace("%state%", &name)
            .replace("%due%", &r.due.to_string())
            .replace("%overdue%", &r.overdue.to_string())
            .replace("%path%", &paths.join(" "))
    };
    Message {
        to: r.to.clone(),
        subject: fill(l.text("monitoring-reminder-subject")),
        body: fill(l.text("monitoring-reminder-body")),
    }
}

async fn queue(
    State(app): State<AppState>,
    Path(lang): Path<String>,
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
        let today = chrono::Utc::now().date_naive();
        let queued = who.call(&app, |store, _, actor| {
            reminders::queue_monitoring_reminders(store, actor, today, |r| word(&app, l, r))
        })?;
        Ok(private(Redirect::to(&format!("/{}/admin/mail?queued={queued}", l.code())).into_response()))
    })();
    respond(&app, &lang, result)
}
