//! `observa user add`: creates an account and prints a first password, which must be changed
//! at the first sign-in. The password is shown once and stored only as an argon2id hash.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Result};
use observa_domain::account::{parse_email, Role};
use observa_domain::StateCode;
use observa_store::NewAccount;

use crate::bundled;

pub fn add(db: &Path, email: &str, role: &str, states: &[String]) -> Result<ExitCode> {
    let email = parse_email(email).map_err(anyhow::Error::msg)?;
    let role = Role::parse(role).map_err(anyhow::Error::msg)?;
    let mut codes = Vec::new();
    for s in states {
        let code: StateCode = serde_json::from_value(serde_json::Value::String(s.to_uppercase()))?;
        if !code.is_oas_member() {
            bail!("--state {s}: not the ISO code of an OAS Member State (for example CL, MX, JM)");
        }
        codes.push(code);
    }
    match (role.is_scoped(), codes.is_empty()) {
        (true, true) => bail!("a {} account needs at least one --state", role.code()),
        (false, false) => bail!("--state is only for liaison officers and plan coordinators"),
        _ => {}
    }
    let password = observa_web::auth::first_password();
    let hash = observa_web::auth::hash_password(&password)?;
    let mut store = bundled::open_seeded(db)?;
    let actor = format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into()));
    let account = store.create_account(&NewAccount { email, role, states: codes, password_hash: hash }, &actor)?;
    println!("created {} account {} ({})", role.code(), account.email, account.id);
    println!("first password (shown once; it must be changed at the first sign-in): {password}");
    Ok(ExitCode::SUCCESS)
}
