//! The signed-in visitor as an extractor: `SignedIn<Analyst>`, `SignedIn<Editor>`,
//! `SignedIn<Administrator>`, `SignedIn<Liaison>`, `SignedIn<Anyone>`, and for the pages of the
//! sign-in steps themselves `SignedIn<PasswordStep>`, `SignedIn<SecondFactorStep>`,
//! `SignedIn<SecondFactorSetupStep>`. It applies the one rule of when a session may act
//! ([`auth::pending`]) and the role (each an `observa_workflow::Actor::may_*`), so no handler
//! writes the preamble itself:
//!
//! - pages (`/{lang}/...`): no session → the sign-in page (and back); a step pending → its page
//!   (only the page whose marker names that step opens); the wrong role → the 403 page, audited;
//! - the API (`/api/...`): a personal token (`Authorization: Bearer ...`, the scheme in any case)
//!   or a finished session; otherwise 401 with `WWW-Authenticate: Bearer`, the wrong role 403,
//!   both as JSON problems.

use std::marker::PhantomData;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use observa_domain::account::Account;
use observa_store::Session;
use observa_workflow::{Actor, WorkflowError};

use crate::auth::{self, internal, Pending};
use crate::{AppState, Lang, WebError};

/// A role a handler requires.
pub trait Role {
    /// Whether the signed-in actor has it.
    fn allows(actor: &Actor) -> bool;
    /// The sign-in step the page finishes: a session with that step pending opens it, while
    /// every other page sends such a session to its step's page. `None` for every page but the
    /// steps' own.
    const STEP: Option<Pending> = None;
}

/// Any signed-in account (what it may do is the workflow's to say, per State).
pub struct Anyone;
/// A liaison officer (of any State) or the secretariat, who may answer for every State.
pub struct Liaison;
/// A plan coordinator or liaison officer (of any State) or the secretariat: whoever may report on
/// some State's plans (which State is the workflow's to check).
pub struct Reporter;
/// The secretariat: analysts and administrators.
pub struct Analyst;
/// Whoever may write the report's editorial text (the secretariat).
pub struct Editor;
/// Administrators only.
pub struct Administrator;
/// Any account, on the page that changes the password: it opens while the first password (or
/// one an administrator reset) is still to be changed.
pub struct PasswordStep;
/// Any account, on the page that asks the TOTP code after the password: it opens while the
/// code is pending.
pub struct SecondFactorStep;
/// Any account, on the page that sets up the second factor: it opens while the set-up is
/// pending.
pub struct SecondFactorSetupStep;

impl Role for Anyone {
    fn allows(_: &Actor) -> bool {
        true
    }
}
impl Role for Liaison {
    fn allows(actor: &Actor) -> bool {
        actor.is_secretariat() || !actor.states.is_empty()
    }
}
impl Role for Reporter {
    fn allows(actor: &Actor) -> bool {
        actor.is_secretariat() || (actor.role.is_scoped() && !actor.states.is_empty())
    }
}
impl Role for Analyst {
    fn allows(actor: &Actor) -> bool {
        actor.may_review()
    }
}
impl Role for Editor {
    fn allows(actor: &Actor) -> bool {
        actor.may_edit_editorial()
    }
}
impl Role for Administrator {
    fn allows(actor: &Actor) -> bool {
        actor.may_administer()
    }
}
impl Role for PasswordStep {
    fn allows(_: &Actor) -> bool {
        true
    }
    const STEP: Option<Pending> = Some(Pending::Password);
}
impl Role for SecondFactorStep {
    fn allows(_: &Actor) -> bool {
        true
    }
    const STEP: Option<Pending> = Some(Pending::SecondFactor);
}
impl Role for SecondFactorSetupStep {
    fn allows(_: &Actor) -> bool {
        true
    }
    const STEP: Option<Pending> = Some(Pending::SecondFactorSetup);
}

/// The account behind a request that finished signing in, with the role `R`.
pub struct SignedIn<R = Anyone> {
    /// The session; for an API token, one with no CSRF token (so no form check passes with it)
    /// and no hash.
    pub session: Session,
    /// The session token's hash (empty for an API token).
    pub hash: String,
    pub actor: Actor,
    /// The page's language (from its prefix), or the API caller's (`Accept-Language`).
    pub lang: Lang,
    path: String,
    api: bool,
    _role: PhantomData<R>,
}

impl<R> SignedIn<R> {
    pub fn account(&self) -> &Account {
        &self.session.account
    }

    /// Checks a form's CSRF token against the session's; a refusal is audited.
    pub fn check_csrf(&self, app: &AppState, token: &str) -> Result<(), WebError> {
        crate::pages::account::check_csrf(app, &self.session, token)
    }

    /// A workflow refusal as the web error to answer, in the visitor's language; a forbidden
    /// operation is recorded in the audit log first.
    pub fn fail(&self, app: &AppState, e: WorkflowError) -> WebError {
        if let WorkflowError::Forbidden { .. } = e {
            let what = if self.api { format!("api: {}", self.path) } else { self.path.clone() };
            let _ = app.store.lock().expect("store lock").record(&self.actor.email, "refused-access", &what);
        }
        WebError::workflow(e, self.lang)
    }

    /// `Ok` when `allowed`, else the refusal of `what` (audited, 403).
    pub fn require(&self, app: &AppState, allowed: bool, what: &'static str) -> Result<(), WebError> {
        self.actor.require(allowed, what).map_err(|e| self.fail(app, e))
    }
}

impl<R: Role + Send + Sync> FromRequestParts<AppState> for SignedIn<R> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Response> {
        // Under `nest` the URI has lost its prefix; the original one has it.
        let uri = parts.extensions.get::<OriginalUri>().map_or_else(|| parts.uri.clone(), |o| o.0.clone());
        let api = uri.path().starts_with("/api/");
        let lang = match uri.path().split('/').nth(1).and_then(Lang::from_code) {
            Some(l) if !api => l,
            _ => Lang::negotiate(parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok())),
        };
        let found = if api { api_caller(app, parts) } else { page_caller(app, &parts.headers, lang, &uri, R::STEP) };
        let (session, hash) = match found {
            Ok(Ok(found)) => found,
            Ok(Err(refusal)) => return Err(refusal),
            Err(e) if api => return Err(e.into_response()),
            Err(e) => return Err(e.page(lang, &app.templates)),
        };
        let actor = Actor::from(&session.account);
        let who = SignedIn { session, hash, actor, lang, path: uri.path().to_string(), api, _role: PhantomData };
        if R::allows(&who.actor) {
            return Ok(who);
        }
        let refused = who.fail(app, WorkflowError::Forbidden { email: who.actor.email.clone(), what: "open this" });
        Err(if api { refused.into_response() } else { refused.page(lang, &app.templates) })
    }
}

type Found = Result<Result<(Session, String), Response>, WebError>;

/// The session of a page: anonymous visitors go to the sign-in page (and come back); a session
/// with a step pending goes to that step's page (the one whose marker's [`Role::STEP`] is
/// `page_step`), which alone opens until it is done.
fn page_caller(app: &AppState, headers: &HeaderMap, lang: Lang, uri: &Uri, page_step: Option<Pending>) -> Found {
    let next = uri.path_and_query().map_or("/".to_string(), |p| p.to_string());
    let Some((session, hash)) = auth::current(app, headers)? else {
        return Ok(Err(to_sign_in(lang, &next)));
    };
    match auth::pending(&session) {
        Some(step) if Some(step) != page_step => Ok(Err(to_step(lang, step, &next))),
        _ => Ok(Ok((session, hash))),
    }
}

/// The sign-in page, coming back to `next` (a path of this site) afterwards.
pub fn to_sign_in(lang: Lang, next: &str) -> Response {
    Redirect::to(&format!("/{}/account/login?next={}", lang.code(), urlencode(next))).into_response()
}

/// The page of a pending sign-in step, going on to `next` (a path of this site) once it is done.
pub fn to_step(lang: Lang, step: Pending, next: &str) -> Response {
    Redirect::to(&format!("/{}/{}?next={}", lang.code(), step.page(), urlencode(next))).into_response()
}

/// Why an API request carries no usable credentials, said to the caller.
fn unauthenticated(app: &AppState, parts: &Parts, why: &str) -> Response {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map_or(String::new(), |c| c.0.ip().to_string());
    app.record_refusal(&peer, "anonymous", &format!("refused-api: {why}"));
    let mut r = crate::error::problem(StatusCode::UNAUTHORIZED, why);
    r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The account of an API request: a Bearer token, or else a session cookie that has finished
/// signing in — the same rule as every page's.
fn api_caller(app: &AppState, parts: &Parts) -> Found {
    let authorization = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let bearer = authorization
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    const PASSWORD: &str =
        "the account must change its first password (sign in in a browser) before it can use the API";
    if let Some(token) = bearer {
        let account = {
            let store = app.store.lock().expect("store lock");
            match store.token_account(&auth::token_hash(token), &auth::now_text()).map_err(internal)? {
                Some(email) => store.account_by_email(&email).map_err(internal)?.map(|(a, _)| a),
                None => None,
            }
        };
        return Ok(match account {
            None => Err(unauthenticated(app, parts, "the API token is unknown, expired or revoked")),
            Some(a) if a.must_change_password => Err(unauthenticated(app, parts, PASSWORD)),
            Some(account) => {
                // A token stands for its account; it has no form to protect, so no CSRF token.
                let session = Session {
                    account,
                    csrf: String::new(),
                    created_at: String::new(),
                    last_seen: String::new(),
                    second_factor_pending: false,
                };
                Ok((session, String::new()))
            }
        });
    }
    Ok(match auth::current(app, &parts.headers)? {
        None => Err(unauthenticated(app, parts, "sign in or send a personal API token (Authorization: Bearer ...)")),
        Some((s, hash)) => match auth::pending(&s) {
            Some(auth::Pending::Password) => Err(unauthenticated(app, parts, PASSWORD)),
            Some(_) => Err(unauthenticated(
                app,
                parts,
                "the session has not finished signing in: enter the second factor in the browser",
            )),
            None => Ok((s, hash)),
        },
    })
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl<R> SignedIn<R> {
    /// Runs a workflow operation as this actor on the store (locked for the operation only) and
    /// the portal's registry.
    pub fn run<T>(
        &self,
        app: &AppState,
        op: impl FnOnce(&mut dyn observa_store::Backend, &observa_domain::Dataset, &Actor) -> observa_workflow::Result<T>,
    ) -> observa_workflow::Result<T> {
        let snapshot = app.snapshot();
        let mut store = app.store.lock().expect("store lock");
        op(&mut **store, &snapshot.dataset, &self.actor)
    }

    /// [`SignedIn::run`], with a refusal as the web error to answer.
    pub fn call<T>(
        &self,
        app: &AppState,
        op: impl FnOnce(&mut dyn observa_store::Backend, &observa_domain::Dataset, &Actor) -> observa_workflow::Result<T>,
    ) -> Result<T, WebError> {
        self.run(app, op).map_err(|e| self.fail(app, e))
    }
}
