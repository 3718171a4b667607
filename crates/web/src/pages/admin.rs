//! The administrators' pages: accounts (create with a first password, disable, enable, issue a
//! single-use password reset link) and the append-only audit log (every write, sign-in, failed
//! sign-in and refused access, filtered by who, what and on what, newest first, with the hash
//! chain checked on every visit).

use axum::extract::{Query, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::get;
use axum::Form;
use axum::Router;
use minijinja::{context, Value};
use observa_domain::account::{parse_email, Role};
use observa_domain::StateCode;
use observa_store::{NewAccount, StoreError};
use serde::Deserialize;

use super::account::private;
use super::{render, respond};
use crate::auth::{self, internal};
use crate::signed_in::{Administrator, SignedIn};
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new().route("/{lang}/admin/audit", get(audit)).route("/{lang}/admin/accounts", get(accounts).post(act))
}

/// How long a reset link is valid.
const RESET_HOURS: i64 = 24;

fn accounts_page(
    app: &AppState,
    uri: &Uri,
    who: &SignedIn<Administrator>,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let accounts = app.store.lock().expect("store lock").accounts().map_err(internal)?;
    let ctx = context! { accounts => crate::templates::v(accounts), csrf => who.session.csrf.clone(), notice };
    Ok(private(render(app, who.lang, uri, "admin_accounts.html", ctx)))
}

async fn accounts(State(app): State<AppState>, uri: Uri, who: SignedIn<Administrator>) -> Response {
    let result = accounts_page(&app, &uri, &who, None);
    respond(&app, who.lang.code(), result)
}

#[derive(Deserialize)]
struct Act {
    csrf: String,
    action: String,
    #[serde(default)]
    id: i64,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    states: String,
}

/// One administrator action: add an account, disable or enable one, issue a reset link. The
/// page that answers shows a first password or a link once; only hashes are stored.
async fn act(
    State(app): State<AppState>,
    uri: Uri,
    who: Result<SignedIn<Administrator>, Response>,
    Form(form): Form<Act>,
) -> Response {
    // The form is read before a refusal is answered: a body left unread would make the
    // connection close under the answer.
    let who = match who {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let result = async {
        let l = who.lang;
        who.check_csrf(&app, &form.csrf)?;
        let actor = who.actor.email.clone();
        let notice = match form.action.as_str() {
            "add" => {
                let email = parse_email(&form.email).map_err(WebError::BadRequest)?;
                let role = Role::parse(&form.role).map_err(WebError::BadRequest)?;
                let mut states = Vec::new();
                for code in form.states.split([',', ' ']).filter(|c| !c.is_empty()) {
                    let code: StateCode = serde_json::from_value(code.to_uppercase().into())
                        .map_err(|e| WebError::BadRequest(e.to_string()))?;
                    states.push(code);
                }
                if role.is_scoped() == states.is_empty() {
                    return Err(WebError::BadRequest(l.text("accounts-states-rule")));
                }
                let password = auth::first_password();
                let hash = auth::hash_password_bounded(&app, password.clone()).await?;
                let new = NewAccount { email: email.clone(), role, states, password_hash: hash };
                app.store.lock().expect("store lock").create_account(&new, &actor).map_err(|e| match e {
                    StoreError::Invalid(m) => WebError::BadRequest(m),
                    other => internal(other),
                })?;
                format!("{} {email}: {password}", l.text("accounts-first-password"))
            }
            "disable" | "enable" => {
                let disabled = form.action == "disable";
                if disabled && form.id == who.account().id {
                    return Err(WebError::BadRequest(l.text("accounts-not-yourself")));
                }
                app.store.lock().expect("store lock").set_disabled(form.id, disabled, &actor).map_err(internal)?;
                l.text(if disabled { "accounts-disabled" } else { "accounts-enabled" })
            }
            "reset" => {
                let token = auth::new_token();
                let expires = (chrono::Utc::now() + chrono::Duration::hours(RESET_HOURS))
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                app.store
                    .lock()
                    .expect("store lock")
                    .create_reset(form.id, &auth::token_hash(&token), &expires, &actor)
                    .map_err(internal)?;
                format!("{} /{}/account/reset/{token} ({expires})", l.text("accounts-reset-link"), l.code())
            }
            other => return Err(WebError::BadRequest(format!("unknown action `{other}`"))),
        };
        accounts_page(&app, &uri, &who, Some(notice))
    }
    .await;
    respond(&app, who.lang.code(), result)
}

/// The most entries one page shows; filters narrow the rest.
const SHOWN: usize = 100;
/// The longest before/after summary shown on the page (the whole entry: `observa audit list`).
const SHOWN_SUMMARY: usize = 4000;

#[derive(Deserialize, Default)]
struct Filter {
    actor: Option<String>,
    action: Option<String>,
    subject: Option<String>,
    /// Show entries older than this sequence number (the next page).
    before: Option<i64>,
}

async fn audit(
    State(app): State<AppState>,
    uri: Uri,
    Query(f): Query<Filter>,
    who: SignedIn<Administrator>,
) -> Response {
    let result = (|| {
        // One page of the log at a time, and the chain checked row by row: a log of hundreds of
        // megabytes is never held in memory or sent whole.
        let filter =
            observa_store::AuditFilter { actor: f.actor.clone(), action: f.action.clone(), subject: f.subject.clone() };
        let store = app.store.lock().expect("store lock");
        let chain = store.verify_audit(None).map_err(internal)?;
        let total = store.audit_count(&Default::default()).map_err(internal)?;
        let matching = store.audit_count(&filter).map_err(internal)?;
        let entries = store.audit_page(&filter, f.before, SHOWN).map_err(internal)?;
        drop(store);
        let older = entries.last().map(|e| e.seq).filter(|_| entries.len() == SHOWN);
        let rows: Vec<Value> = entries
            .iter()
            .map(|e| {
                context! { seq => e.seq, at => e.at.clone(), actor => e.actor.clone(), action => e.action.clone(),
                    subject => e.subject.clone(), before => e.before.as_deref().map(clip), after => e.after.as_deref().map(clip) }
            })
            .collect();
        let ctx = context! {
            rows, total, matching, shown => SHOWN, older, newer => f.before.is_some(),
            intact => chain.is_ok(), broken => chain.err().map(|b| format!("#{}: {}", b.seq, b.reason)),
            actor => f.actor.unwrap_or_default(), action => f.action.unwrap_or_default(), subject => f.subject.unwrap_or_default(),
        };
        Ok(private(render(&app, who.lang, &uri, "admin_audit.html", ctx)))
    })();
    respond(&app, who.lang.code(), result)
}

/// A summary cut for the page, on a character boundary.
fn clip(text: &str) -> String {
    match text.char_indices().nth(SHOWN_SUMMARY) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}
