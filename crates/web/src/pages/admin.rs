//! The administrators' view of the append-only audit log: every write, sign-in, failed sign-in
//! and refused access, filtered by who, what and on what, newest first, with the hash chain
//! checked on every visit.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use minijinja::{context, Value};
use observa_domain::account::Role;
use observa_store::Store;
use serde::Deserialize;

use super::account::{gate, private, refuse, Gate};
use super::{page_lang, render, respond, LangPath};
use crate::auth::internal;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/{lang}/admin/audit", get(audit))
}

/// The most entries one page shows; filters narrow the rest.
const SHOWN: usize = 500;

#[derive(Deserialize, Default)]
struct Filter {
    actor: Option<String>,
    action: Option<String>,
    subject: Option<String>,
}

async fn audit(
    State(app): State<AppState>,
    lang: LangPath,
    uri: Uri,
    headers: HeaderMap,
    Query(f): Query<Filter>,
) -> Response {
    let result = page_lang(&lang).and_then(|l| {
        let session = match gate(&app, &headers, l, &uri)? {
            Gate::Redirect(r) => return Ok(r),
            Gate::Pass(s, _) => s,
        };
        if session.account.role != Role::Administrator {
            return Err(refuse(&app, &session, uri.path()));
        }
        let entries = app.store.lock().expect("store lock").audit().map_err(internal)?;
        let chain = observa_domain::audit::verify(&entries);
        let has = |value: &str, wanted: &Option<String>| {
            wanted.as_deref().filter(|w| !w.trim().is_empty()).is_none_or(|w| value.to_lowercase().contains(&w.trim().to_lowercase()))
        };
        let matching: Vec<_> = entries
            .iter()
            .rev()
            .filter(|e| has(&e.actor, &f.actor) && has(&e.action, &f.action) && has(&e.subject, &f.subject))
            .collect();
        let rows: Vec<Value> = matching
            .iter()
            .take(SHOWN)
            .map(|e| {
                context! { seq => e.seq, at => e.at.clone(), actor => e.actor.clone(), action => e.action.clone(),
                    subject => e.subject.clone(), before => e.before.clone(), after => e.after.clone() }
            })
            .collect();
        let ctx = context! {
            rows, total => entries.len(), matching => matching.len(), shown => SHOWN,
            intact => chain.is_ok(), broken => chain.err().map(|b| format!("#{}: {}", b.seq, b.reason)),
            actor => f.actor.unwrap_or_default(), action => f.action.unwrap_or_default(), subject => f.subject.unwrap_or_default(),
        };
        Ok(private(render(&app, l, &uri, "admin_audit.html", ctx)))
    });
    respond(&app, &lang, result)
}
