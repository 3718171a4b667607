//! The report's editorial text, written by the secretariat (analysts and administrators) in the
//! web UI: one form per block in the page's language. A save names the version it was based on;
//! if someone saved in between, the page shows both texts side by side and nothing is lost.

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::{context, Value};
use observa_domain::editorial::{EditorialBlock, KEYS};
use observa_store::{Session, StoreError};
use serde::Deserialize;

use super::account::private;
use super::{render, respond};
use crate::auth::internal;
use crate::signed_in::{Editor, SignedIn};
use crate::templates::v;
use crate::{AppState, Lang, WebError};

pub fn router() -> Router<AppState> {
    Router::new().route("/{lang}/editorial/{cycle}", get(editor)).route("/{lang}/editorial/{cycle}/{key}", post(save))
}

async fn editor(
    State(app): State<AppState>,
    Path((lang, cycle)): Path<(String, String)>,
    uri: Uri,
    who: SignedIn<Editor>,
) -> Response {
    let result = (|| {
        let l = who.lang;
        let cycle = super::cycle_year(&cycle)?;
        let stored = app.store.lock().expect("store lock").editorial(cycle).map_err(internal)?;
        let blocks: Vec<Value> = KEYS
            .iter()
            .map(|key| {
                let block = stored.iter().find(|b| b.key == *key && b.lang == l.0);
                context! { key => *key, block => v(block) }
            })
            .collect();
        let ctx = context! { cycle, blocks, csrf => who.session.csrf.clone(), email => who.actor.email.clone() };
        Ok(private(render(&app, l, &uri, "editorial.html", ctx)))
    })();
    respond(&app, &lang, result)
}

#[derive(Deserialize)]
struct Save {
    csrf: String,
    version: i64,
    body: String,
}

async fn save(
    State(app): State<AppState>,
    Path((lang, cycle, key)): Path<(String, String, String)>,
    uri: Uri,
    who: Result<SignedIn<Editor>, Response>,
    Form(form): Form<Save>,
) -> Response {
    // The form is read before a refusal is answered: a body left unread would make the
    // connection close under the answer.
    let who = match who {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let result = (|| {
        let l = who.lang;
        let cycle = super::cycle_year(&cycle)?;
        who.check_csrf(&app, &form.csrf)?;
        if !KEYS.contains(&key.as_str()) {
            return Err(WebError::NotFound(format!("no editorial block `{key}`")));
        }
        let mut store = app.store.lock().expect("store lock");
        let source = store
            .editorial(cycle)
            .map_err(internal)?
            .into_iter()
            .find(|b| b.key == key && b.lang == l.0)
            .and_then(|b| b.source);
        let block = EditorialBlock {
            cycle,
            key: key.clone(),
            lang: l.0,
            body: form.body.replace("\r\n", "\n"),
            source,
            version: form.version,
            updated_at: None,
            updated_by: None,
        };
        match store.save_editorial(&block, &who.actor.email) {
            Ok(_) => {
                drop(store);
                // The report pages and files are cached answers: they must be made anew.
                app.cache.clear();
                Ok(private(Redirect::to(&format!("/{}/editorial/{cycle}?saved={key}#{key}", l.code())).into_response()))
            }
            Err(StoreError::Conflict { .. }) => {
                let theirs =
                    store.editorial(cycle).map_err(internal)?.into_iter().find(|b| b.key == key && b.lang == l.0);
                drop(store);
                let theirs = theirs.map(|b| (b.version, b.body, b.updated_at, b.updated_by));
                let back = format!("/{}/editorial/{cycle}#{key}", l.code());
                Ok(conflict(
                    &app,
                    l,
                    &uri,
                    Conflict { action: uri.path(), back: &back, mine: &form.body, theirs },
                    &who.session,
                ))
            }
            Err(StoreError::Invalid(message)) => Err(WebError::BadRequest(message)),
            Err(e) => Err(internal(e)),
        }
    })();
    respond(&app, &lang, result)
}

/// A save that lost the race: both texts side by side, the form on the left based on the
/// version now stored, so that saving again builds on it (nothing is lost).
pub struct Conflict<'a> {
    pub action: &'a str,
    pub back: &'a str,
    pub mine: &'a str,
    /// The stored version, text, time and author.
    pub theirs: Option<(i64, String, Option<String>, Option<String>)>,
}

pub fn conflict(app: &AppState, l: Lang, uri: &Uri, c: Conflict, session: &Session) -> Response {
    let theirs =
        c.theirs.map(|(version, body, updated_at, updated_by)| context! { version, body, updated_at, updated_by });
    let ctx = context! { action => c.action, back => c.back, mine => c.mine, theirs, csrf => session.csrf.clone() };
    let mut response = private(render(app, l, uri, "editorial_conflict.html", ctx));
    *response.status_mut() = StatusCode::CONFLICT;
    response
}
