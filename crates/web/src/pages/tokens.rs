//! Personal API tokens in the web UI: each account lists and revokes its own tokens at
//! `/{lang}/account/tokens`; administrators see and revoke everyone's. Tokens themselves are
//! never shown again after `observa token create` printed them (only their SHA-256 is kept).

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use minijinja::context;
use serde::Deserialize;

use super::account::private;
use super::{render, respond};
use crate::auth::internal;
use crate::signed_in::SignedIn;
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new().route("/{lang}/account/tokens", get(list).post(revoke))
}

/// Whose tokens a session sees and may revoke: its own, or everyone's for whoever may manage
/// every account's tokens.
fn owner(who: &SignedIn) -> Option<i64> {
    (!who.actor.may_manage_every_token()).then_some(who.account().id)
}

fn page(app: &AppState, uri: &Uri, who: &SignedIn, notice: Option<String>) -> Result<Response, WebError> {
    let tokens = app.store.lock().expect("store lock").tokens(owner(who)).map_err(internal)?;
    let now = crate::auth::now_text();
    let rows: Vec<minijinja::Value> = tokens
        .iter()
        .map(|t| {
            let live = t.revoked_at.is_none() && t.expires_at.as_deref().is_some_and(|e| e > now.as_str());
            context! { id => t.id, email => t.email.clone(), label => t.label.clone(), created_at => t.created_at.clone(),
                expires_at => t.expires_at.clone(), revoked_at => t.revoked_at.clone(), live }
        })
        .collect();
    let (all, csrf) = (who.actor.may_manage_every_token(), who.session.csrf.clone());
    Ok(private(render(app, who.lang, uri, "tokens.html", context! { rows, all, notice, csrf })))
}

async fn list(State(app): State<AppState>, uri: Uri, who: SignedIn) -> Response {
    let result = page(&app, &uri, &who, None);
    respond(&app, who.lang.code(), result)
}

#[derive(Deserialize)]
struct Revoke {
    csrf: String,
    id: i64,
}

async fn revoke(
    State(app): State<AppState>,
    uri: Uri,
    who: Result<SignedIn, Response>,
    Form(form): Form<Revoke>,
) -> Response {
    // The form is read before a refusal is answered: a body left unread would make the
    // connection close under the answer.
    let who = match who {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let result = (|| {
        who.check_csrf(&app, &form.csrf)?;
        let revoked = app
            .store
            .lock()
            .expect("store lock")
            .revoke_token(form.id, owner(&who), &who.actor.email)
            .map_err(internal)?;
        if !revoked {
            return Err(WebError::NotFound(format!("{} {}", who.lang.text("tokens-none"), form.id)));
        }
        // Back to the list (a reload does not post again).
        Ok(private(Redirect::to(uri.path()).into_response()))
    })();
    respond(&app, who.lang.code(), result)
}
