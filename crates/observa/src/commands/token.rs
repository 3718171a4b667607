//! `observa token create|list|revoke`: personal API tokens for a State's own systems. A token is
//! shown once, kept only as its SHA-256, expires (90 days unless told otherwise), and can be
//! revoked by its owner (in the web UI, `/{lang}/account/tokens`) or an administrator. It works
//! only once the account has changed its first password.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Result};
use observa_domain::account::parse_email;

use crate::bundled;

/// The longest a token may live.
pub const MAX_DAYS: i64 = 366;

fn actor() -> String {
    format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into()))
}

pub fn create(db: &Path, email: &str, days: i64, label: &str) -> Result<ExitCode> {
    if !(1..=MAX_DAYS).contains(&days) {
        bail!("--days {days}: a token lives 1 to {MAX_DAYS} days");
    }
    if label.chars().count() > 100 || label.chars().any(char::is_control) {
        bail!("--label: at most 100 characters, no control characters");
    }
    let email = parse_email(email).map_err(anyhow::Error::msg)?;
    let mut store = bundled::open_seeded(db)?;
    let Some((account, _)) = store.account_by_email(&email)? else { bail!("no account has the e-mail {email}") };
    let token = observa_web::auth::new_token();
    let expires =
        (chrono::Utc::now() + chrono::Duration::days(days)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let id = store.create_token(&account, &observa_web::auth::token_hash(&token), &expires, label, &actor())?;
    println!("API token {id} for {email}, valid until {expires} (shown once; send it as `Authorization: Bearer <token>`):\n{token}");
    if account.must_change_password {
        eprintln!("note: it works only after {email} has changed the first password at the first sign-in");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn list(db: &Path, email: Option<&str>) -> Result<ExitCode> {
    let store = bundled::open_seeded(db)?;
    let account = match email {
        Some(e) => {
            let email = parse_email(e).map_err(anyhow::Error::msg)?;
            let Some((account, _)) = store.account_by_email(&email)? else {
                bail!("no account has the e-mail {email}")
            };
            Some(account.id)
        }
        None => None,
    };
    println!("{:>4}  {:<32} {:<20} {:<20} {:<20} label", "id", "account", "created", "expires", "revoked");
    for t in store.tokens(account)? {
        println!(
            "{:>4}  {:<32} {:<20} {:<20} {:<20} {}",
            t.id,
            t.email,
            t.created_at,
            t.expires_at.as_deref().unwrap_or("(no expiry: does not work)"),
            t.revoked_at.as_deref().unwrap_or("-"),
            t.label
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn revoke(db: &Path, id: i64) -> Result<ExitCode> {
    let mut store = bundled::open_seeded(db)?;
    if !store.revoke_token(id, None, &actor())? {
        bail!("no token {id} that is not revoked already (see `observa token list`)");
    }
    println!("token {id} revoked");
    Ok(ExitCode::SUCCESS)
}
