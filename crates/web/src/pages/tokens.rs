//! Personal API tokens in the web UI: each account lists and revokes its own tokens at
//! `/{lang}/account/tokens`; administrators see and revoke everyone's. Tokens themselves are
//! never shown again after `observa token create` printed them (only their SHA-256 is kept).

use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use minijinja::context;
use observa_domain::account::Role;
use observa_store::Session;
use serde::Deserialize;

use super::account::{check_csrf, private, signed_in};
use super::{page_lang, render, respond, LangPath};
use crate::auth::internal;
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new().route("/{lang}/account/tokens", get(list).post(revoke))
}

/// Whose tokens a session sees and may revoke: its own, or everyone's for an administrator.
fn owner(session: &Session) -> Option<i64> {
    (session.account.role != Role::Administrator).then_some(session.account.id)
}

fn page(
    app: &AppState,
    lang: crate::Lang,
    uri: &Uri,
    session: &Session,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let tokens = app.store.lock().expect("store lock").tokens(owner(session)).map_err(internal)?;
    let now = crate::auth::now_text();
    let rows: Vec<minijinja::Value> = tokens
        .iter()
        .map(|t| {
            let live = t.revoked_at.is_none() && t.expires_at.as_deref().is_some_and(|e| e > now.as_str());
            context! { id => t.id, email => t.email.clone(), label => t.label.clone(), created_at => t.created_at.clone(),
                expires_at => t.expires_at.clone(), revoked_at => t.revoked_at.clone(), live }
        })
        .collect();
    let all = session.account.role == Role::Administrator;
    Ok(private(render(app, lang, uri, "tokens.html", context! { rows, all, notice, csrf => session.csrf.clone() })))
}

async fn list(State(app): State<AppState>, lang: LangPath, uri: Uri, headers: HeaderMap) -> Response {
    let result = page_lang(&lang).and_then(|l| match signed_in(&app, &headers, l, &uri)? {
        Err(redirect) => Ok(redirect),
        Ok(session) => page(&app, l, &uri, &session, None),
    });
    respond(&app, &lang, result)
}

#[derive(Deserialize)]
struct Revoke {
    csrf: String,
    id: i64,
}

async fn revoke(
    State(app): State<AppState>,
    lang: LangPath,
    uri: Uri,
    headers: HeaderMap,
    Form(form): Form<Revoke>,
) -> Response {
    let result = page_lang(&lang).and_then(|l| {
        let session = match signed_in(&app, &headers, l, &uri)? {
            Err(redirect) => return Ok(redirect),
            Ok(s) => s,
        };
        check_csrf(&app, &session, &form.csrf)?;
        let revoked = app
            .store
            .lock()
            .expect("store lock")
            .revoke_token(form.id, owner(&session), &session.account.email)
            .map_err(internal)?;
        if !revoked {
            return Err(WebError::NotFound(format!("{} {}", l.text("tokens-none"), form.id)));
        }
        // Back to the list (a reload does not post again).
        Ok(private(Redirect::to(uri.path()).into_response()))
    });
    respond(&app, &lang, result)
}
