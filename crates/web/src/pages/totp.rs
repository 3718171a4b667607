//! The second factor of administrators and analysts: setting up a TOTP key (RFC 6238) at the
//! first sign-in, and the code asked after the password at every sign-in. Every other signed-in
//! page sends sessions here until it is done (`SignedIn`); these pages take the step's marker
//! (`SignedIn<SecondFactorStep>`, `SignedIn<SecondFactorSetupStep>`), so they open meanwhile.

use axum::extract::{Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use minijinja::context;
use observa_domain::throttle::Key;
use observa_store::Session;
use serde::Deserialize;

use super::account::{private, safe_next, Next};
use super::{render, respond};
use crate::auth::{self, internal};
use crate::signed_in::{SecondFactorSetupStep, SecondFactorStep, SignedIn};
use crate::{AppState, Lang, WebError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{lang}/account/totp", get(totp_form).post(totp_check))
        .route("/{lang}/account/totp/setup", get(totp_setup_form).post(totp_setup))
}

#[derive(Deserialize)]
struct Code {
    csrf: String,
    code: String,
    #[serde(default)]
    secret: String,
    next: Option<String>,
}

fn totp_page(
    app: &AppState,
    l: Lang,
    uri: &Uri,
    s: &Session,
    next: &str,
    setup: Option<String>,
    error: Option<String>,
) -> Response {
    let url = setup.as_ref().map(|secret| auth::totp_url(secret, &s.account.email));
    let failed = error.is_some();
    let ctx = context! { csrf => s.csrf.clone(), next, secret => setup, url, error };
    let mut response = private(render(app, l, uri, "totp.html", ctx));
    if failed {
        *response.status_mut() = StatusCode::UNAUTHORIZED;
    }
    response
}

async fn totp_form(
    State(app): State<AppState>,
    uri: Uri,
    Query(q): Query<Next>,
    who: SignedIn<SecondFactorStep>,
) -> Response {
    let l = who.lang;
    totp_page(&app, l, &uri, &who.session, &safe_next(q.next.as_deref(), l), None, None)
}

/// The code after the password; failures count against the account like failed passwords.
async fn totp_check(
    State(app): State<AppState>,
    uri: Uri,
    who: Result<SignedIn<SecondFactorStep>, Response>,
    Form(form): Form<Code>,
) -> Response {
    // The form is read before a refusal is answered: a body left unread would make the
    // connection close under the answer.
    let who = match who {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let result = (|| {
        let (l, session, hash) = (who.lang, &who.session, &who.hash);
        who.check_csrf(&app, &form.csrf)?;
        let next = safe_next(form.next.as_deref(), l);
        let key = Key::second_factor(&session.account.email);
        let mut store = app.store.lock().expect("store lock");
        let reserved = match store.reserve_attempt(std::slice::from_ref(&key), chrono::Utc::now()).map_err(internal)? {
            Ok(ids) => ids,
            Err(wait) => {
                let message = format!("{} ({} s)", l.text("account-throttled"), wait.num_seconds().max(1));
                return Err(WebError::TooManyAttempts(message));
            }
        };
        let secret = store.totp_secret(session.account.id).map_err(internal)?.unwrap_or_default();
        // A code works once: its time step must be later than the last one this account used.
        let step = auth::totp_step(&secret, &form.code);
        let fresh = match step {
            Some(step) => store.use_totp_step(session.account.id, step).map_err(internal)?,
            None => false,
        };
        if !fresh {
            let what = if step.is_some() { "second-factor-replayed" } else { "second-factor-failed" };
            store.record(&session.account.email, what, "session").map_err(internal)?;
            drop(store);
            return Ok(totp_page(&app, l, &uri, session, &next, None, Some(l.text("totp-wrong"))));
        }
        store.forgive_attempts(&key.text, &reserved).map_err(internal)?;
        store.pass_second_factor(hash).map_err(internal)?;
        store.record(&session.account.email, "second-factor", "session").map_err(internal)?;
        Ok(private(Redirect::to(&next).into_response()))
    })();
    respond(&app, who.lang.code(), result)
}

async fn totp_setup_form(
    State(app): State<AppState>,
    uri: Uri,
    Query(q): Query<Next>,
    who: SignedIn<SecondFactorSetupStep>,
) -> Response {
    let next = safe_next(q.next.as_deref(), who.lang);
    totp_page(&app, who.lang, &uri, &who.session, &next, Some(auth::new_totp_secret()), None)
}

/// Setting up the second factor: the code from the app proves the secret was taken down.
async fn totp_setup(
    State(app): State<AppState>,
    uri: Uri,
    who: Result<SignedIn<SecondFactorSetupStep>, Response>,
    Form(form): Form<Code>,
) -> Response {
    // The form is read before a refusal is answered: a body left unread would make the
    // connection close under the answer.
    let who = match who {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let result = (|| {
        let (l, session, hash) = (who.lang, &who.session, &who.hash);
        who.check_csrf(&app, &form.csrf)?;
        let next = safe_next(form.next.as_deref(), l);
        if session.account.totp {
            return Err(WebError::Conflict(l.text("totp-already")));
        }
        let step = auth::totp_step(&form.secret, &form.code);
        if step.is_none() {
            return Ok(totp_page(&app, l, &uri, session, &next, Some(form.secret.clone()), Some(l.text("totp-wrong"))));
        }
        let mut store = app.store.lock().expect("store lock");
        store.set_totp(session.account.id, &form.secret, hash).map_err(internal)?;
        // The code that proved the set-up is used: it cannot sign in a second time.
        store.use_totp_step(session.account.id, step.unwrap_or_default()).map_err(internal)?;
        drop(store);
        Ok(private(Redirect::to(&next).into_response()))
    })();
    respond(&app, who.lang.code(), result)
}
