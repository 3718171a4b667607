//! Signing in and out, and changing one's password. Every attempt, success or failure, and
//! every refused access goes to the audit log. Signed-in pages are never cached (`no-store`).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::context;
use observa_domain::account::{check_password, parse_email};
use observa_domain::throttle::Key;
use observa_store::Session;
use serde::Deserialize;

use super::{page_lang, render, respond, LangPath};
use crate::auth::{self, internal};
use crate::signed_in::{to_step, PasswordStep, SignedIn};
use crate::{AppState, Lang, WebError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{lang}/account", get(overview))
        .route("/{lang}/account/login", get(login_form).post(login))
        .route("/{lang}/account/logout", post(logout))
        .route("/{lang}/account/password", get(password_form).post(change_password))
        .route("/{lang}/account/reset/{token}", get(reset_form).post(reset))
        // Sign-in forms are small: anything bigger is refused (413) before it is read, so it
        // can reach neither the password hasher nor the audit log.
        .layer(axum::extract::DefaultBodyLimit::max(FORM_LIMIT))
}

/// The largest sign-in, password or reset form accepted.
pub const FORM_LIMIT: usize = 16 * 1024;

/// A signed-in page's answer: never stored by the cache or the browser.
pub fn private(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response
}

/// Checks a form's CSRF token against the session's; a refusal is audited.
pub fn check_csrf(app: &AppState, session: &Session, token: &str) -> Result<(), WebError> {
    if auth::same_token(&session.csrf, token) {
        return Ok(());
    }
    let _ = app.store.lock().expect("store lock").record(
        &session.account.email,
        "refused-access",
        "form without a valid CSRF token",
    );
    Err(WebError::Forbidden("the form is out of date or was not sent by this site; reload it".into()))
}

/// Only paths of this site are followed after signing in (never another site), read as a browser
/// would read them (see [`auth::same_origin_path`]).
pub(super) fn safe_next(next: Option<&str>, lang: Lang) -> String {
    auth::same_origin_path(next, &format!("/{}/account", lang.code()))
}

#[derive(Deserialize)]
pub(super) struct Next {
    pub(super) next: Option<String>,
}

async fn overview(State(app): State<AppState>, uri: Uri, who: SignedIn) -> Response {
    let ctx = context! { account => crate::templates::v(who.account()), csrf => who.session.csrf.clone() };
    private(render(&app, who.lang, &uri, "account.html", ctx))
}

fn login_page(app: &AppState, l: Lang, uri: &Uri, next: &str, error: Option<String>, status: StatusCode) -> Response {
    let csrf = auth::new_token();
    let mut response = private(render(app, l, uri, "login.html", context! { csrf => csrf.clone(), next, error }));
    *response.status_mut() = status;
    let cookie = auth::set_cookie(app, auth::LOGIN_CSRF_COOKIE, &csrf, Some(3600));
    response.headers_mut().append(header::SET_COOKIE, cookie.parse().expect("a valid cookie header"));
    response
}

async fn login_form(State(app): State<AppState>, lang: LangPath, uri: Uri, Query(q): Query<Next>) -> Response {
    let result =
        page_lang(&lang).map(|l| login_page(&app, l, &uri, &safe_next(q.next.as_deref(), l), None, StatusCode::OK));
    respond(&app, &lang, result)
}

#[derive(Deserialize)]
struct Login {
    email: String,
    password: String,
    csrf: String,
    next: Option<String>,
}

async fn login(
    State(app): State<AppState>,
    lang: LangPath,
    uri: Uri,
    headers: HeaderMap,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(form): Form<Login>,
) -> Response {
    let result = async {
        let l = page_lang(&lang)?;
        let next = safe_next(form.next.as_deref(), l);
        let cookie_csrf = auth::cookie(&headers, auth::LOGIN_CSRF_COOKIE).unwrap_or_default();
        if !auth::same_token(&cookie_csrf, &form.csrf) {
            app.record_refusal(
                &peer.ip().to_string(),
                "anonymous",
                "refused-access: login form without a valid CSRF token",
            );
            return Err(WebError::Forbidden(l.text("account-form-expired")));
        }
        // What is not an e-mail address (over 254 characters, say) names no account: it is
        // neither looked up nor written to the audit log as typed.
        let email = parse_email(&form.email).ok();
        let actor = email.clone().unwrap_or_else(|| "anonymous (not an e-mail address)".into());
        let address = Key::address(&peer.ip().to_string());
        let mut keys = vec![address.clone()];
        keys.extend(email.as_deref().map(Key::account));
        // The attempt is reserved (counted as failed) before the password is checked, so parallel
        // attempts cannot all get through; a success forgives it.
        let reserved =
            app.store.lock().expect("store lock").reserve_attempt(&keys, chrono::Utc::now()).map_err(internal)?;
        let reserved = match reserved {
            Ok(ids) => ids,
            Err(wait) => {
                app.record_refusal(&address.text, &actor, "login-throttled");
                let message = format!("{} ({} s)", l.text("account-throttled"), wait.num_seconds().max(1));
                return Err(WebError::TooManyAttempts(message));
            }
        };
        let found = match &email {
            Some(e) => app.store.lock().expect("store lock").account_by_email(e).map_err(internal)?,
            None => None,
        };
        // A missing account is checked against a fixed hash so that it takes as long as a wrong
        // password: the answer's timing does not tell which e-mails have accounts.
        let hash = found.as_ref().map_or_else(|| auth::dummy_hash().to_string(), |(_, h)| h.clone());
        let valid = auth::verify_password_bounded(&app, form.password.clone(), hash).await?;
        let account = match found {
            Some((account, _)) if valid && !account.disabled => account,
            _ => {
                app.record_refusal(&address.text, &actor, "login-failed");
                return Ok(login_page(&app, l, &uri, &next, Some(l.text("account-wrong")), StatusCode::UNAUTHORIZED));
            }
        };
        app.store
            .lock()
            .expect("store lock")
            .forgive_attempts(&Key::account(&account.email).text, &reserved)
            .map_err(internal)?;
        // A new session id at every sign-in (no fixation), and a fresh CSRF token with it.
        let token = auth::new_token();
        {
            let mut store = app.store.lock().expect("store lock");
            let pending = account.role.needs_second_factor() && account.totp;
            store
                .create_session(account.id, &auth::token_hash(&token), &auth::new_token(), &auth::now_text(), pending)
                .map_err(internal)?;
            store.record(&account.email, "login", &address.text).map_err(internal)?;
        }
        let mut response = if account.must_change_password {
            to_step(l, auth::Pending::Password, &next)
        } else {
            Redirect::to(&next).into_response()
        };
        let h = response.headers_mut();
        h.append(
            header::SET_COOKIE,
            auth::set_cookie(&app, auth::SESSION_COOKIE, &token, None).parse().expect("cookie"),
        );
        h.append(
            header::SET_COOKIE,
            auth::set_cookie(&app, auth::LOGIN_CSRF_COOKIE, "", Some(0)).parse().expect("cookie"),
        );
        Ok(private(response))
    }
    .await;
    respond(&app, &lang, result)
}

/// A form that carries only its CSRF token (a button that does one thing).
#[derive(Deserialize)]
pub(super) struct CsrfOnly {
    pub(super) csrf: String,
}

async fn logout(
    State(app): State<AppState>,
    lang: LangPath,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let result = (|| {
        let l = page_lang(&lang)?;
        if let Some((session, hash)) = auth::current(&app, &headers)? {
            check_csrf(&app, &session, &form.csrf)?;
            let mut store = app.store.lock().expect("store lock");
            store.end_session(&hash).map_err(internal)?;
            store.record(&session.account.email, "logout", "session").map_err(internal)?;
        }
        let mut response = Redirect::to(&format!("/{}/", l.code())).into_response();
        response.headers_mut().append(
            header::SET_COOKIE,
            auth::set_cookie(&app, auth::SESSION_COOKIE, "", Some(0)).parse().expect("cookie"),
        );
        Ok(private(response))
    })();
    respond(&app, &lang, result)
}

/// Changing the password: the first one (or one an administrator reset) before anything else,
/// or any time after.
async fn password_form(
    State(app): State<AppState>,
    uri: Uri,
    Query(q): Query<Next>,
    who: SignedIn<PasswordStep>,
) -> Response {
    password_page(&app, who.lang, &uri, &who.session, &safe_next(q.next.as_deref(), who.lang), None)
}

fn password_page(app: &AppState, l: Lang, uri: &Uri, s: &Session, next: &str, error: Option<String>) -> Response {
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let ctx = context! { csrf => s.csrf.clone(), next, error, must_change => s.account.must_change_password };
    let mut response = private(render(app, l, uri, "password.html", ctx));
    *response.status_mut() = status;
    response
}

#[derive(Deserialize)]
struct PasswordChange {
    csrf: String,
    current: String,
    new: String,
    confirm: String,
    next: Option<String>,
}

async fn change_password(
    State(app): State<AppState>,
    uri: Uri,
    who: Result<SignedIn<PasswordStep>, Response>,
    Form(form): Form<PasswordChange>,
) -> Response {
    // The form is read before a refusal is answered: a body left unread would make the
    // connection close under the answer.
    let who = match who {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let result = async {
        let (l, session, hash) = (who.lang, &who.session, &who.hash);
        who.check_csrf(&app, &form.csrf)?;
        let next = safe_next(form.next.as_deref(), l);
        let stored =
            app.store.lock().expect("store lock").account_by_email(&session.account.email).map_err(internal)?;
        let stored_hash = stored.map(|(_, h)| h).unwrap_or_default();
        let current_ok = auth::verify_password_bounded(&app, form.current.clone(), stored_hash).await?;
        let problem = if !current_ok {
            Some(l.text("account-wrong-current"))
        } else if form.new != form.confirm {
            Some(l.text("account-mismatch"))
        } else if form.new == form.current {
            Some(l.text("account-same"))
        } else {
            check_password(&form.new, &session.account.email).err().map(|p| l.text(&format!("password-{}", p.code())))
        };
        if let Some(problem) = problem {
            return Ok(password_page(&app, l, &uri, session, &next, Some(problem)));
        }
        let new_hash = auth::hash_password_bounded(&app, form.new.clone()).await?;
        app.store
            .lock()
            .expect("store lock")
            .set_password(session.account.id, &new_hash, Some(hash), &session.account.email)
            .map_err(internal)?;
        Ok(private(Redirect::to(&next).into_response()))
    }
    .await;
    respond(&app, who.lang.code(), result)
}

/// A reset link's page. The link itself (256 random bits, single use, expiring) is the proof: no
/// session is needed, and the form cannot be forged without it.
async fn reset_form(State(app): State<AppState>, Path((lang, token)): Path<(String, String)>, uri: Uri) -> Response {
    let result = page_lang(&lang)
        .map(|l| private(render(&app, l, &uri, "reset.html", context! { token, error => None::<String> })));
    respond(&app, &lang, result)
}

#[derive(Deserialize)]
struct Reset {
    new: String,
    confirm: String,
}

async fn reset(
    State(app): State<AppState>,
    Path((lang, token)): Path<(String, String)>,
    uri: Uri,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(form): Form<Reset>,
) -> Response {
    let result = async {
        let l = page_lang(&lang)?;
        // Anyone can post here: attempts count against the address like failed sign-ins, so
        // guessing links (or making the server hash passwords for nothing) is throttled.
        let address = Key::address(&peer.ip().to_string());
        let reserved = app
            .store
            .lock()
            .expect("store lock")
            .reserve_attempt(std::slice::from_ref(&address), chrono::Utc::now())
            .map_err(internal)?;
        let Ok(reserved) = reserved else { return Err(WebError::TooManyAttempts(l.text("account-throttled"))) };
        let problem = if form.new != form.confirm {
            Some(l.text("account-mismatch"))
        } else {
            check_password(&form.new, "").err().map(|p| l.text(&format!("password-{}", p.code())))
        };
        if let Some(error) = problem {
            let mut r = private(render(&app, l, &uri, "reset.html", context! { token, error }));
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(r);
        }
        let hash = auth::hash_password_bounded(&app, form.new.clone()).await?;
        let used = app
            .store
            .lock()
            .expect("store lock")
            .use_reset(&auth::token_hash(&token), &hash, &auth::now_text())
            .map_err(internal)?;
        match used {
            Some(_) => {
                app.store.lock().expect("store lock").forgive_attempts("", &reserved).map_err(internal)?;
                Ok(private(Redirect::to(&format!("/{}/account/login", l.code())).into_response()))
            }
            None => Err(WebError::NotFound(l.text("reset-invalid"))),
        }
    }
    .await;
    respond(&app, &lang, result)
}
