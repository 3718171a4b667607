//! The secretariat's view of mail delivery (`/{lang}/admin/mail`): whether a relay is configured
//! (its host, port and encryption; never its password), how many messages are queued, sent and
//! failed, and the latest failed attempts with the relay's error. Without a relay it says that
//! nothing is sent and reminders wait in the outbox.

use axum::extract::{Query, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use minijinja::context;

use super::account::private;
use super::{render, respond};
use crate::auth::internal;
use crate::signed_in::{Analyst, SignedIn};
use crate::templates::v;
use crate::AppState;

/// How many failed attempts the page lists.
const RECENT_FAILURES: usize = 20;

pub fn router() -> Router<AppState> {
    Router::new().route("/{lang}/admin/mail", get(page))
}

/// `?queued=N`: how many reminders the form that led here queued.
#[derive(serde::Deserialize)]
struct Queued {
    queued: Option<usize>,
}

async fn page(State(app): State<AppState>, uri: Uri, Query(q): Query<Queued>, who: SignedIn<Analyst>) -> Response {
    let result = (|| {
        let delivery = app.store.lock().expect("store lock").delivery(RECENT_FAILURES).map_err(internal)?;
        let relay = app.mail.as_ref().map(|r| {
            context! { host => r.host.clone(), port => r.port, security => r.security, from => r.from() }
        });
        let ctx = context! { relay, delivery => v(&delivery), queued => q.queued };
        Ok(private(render(&app, who.lang, &uri, "mail_status.html", ctx)))
    })();
    respond(&app, who.lang.code(), result)
}
