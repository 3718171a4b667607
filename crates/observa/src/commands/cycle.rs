//! `observa cycle open`: opens a consultation cycle whose questionnaire is copied from an earlier
//! cycle's (each question linked to its counterpart), with a deadline. The workflow's
//! `open_cycle` decides, as it does for the web form, and its refusals read as the form's do.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use chrono::NaiveDate;
use observa_domain::account::Role;
use observa_workflow::Actor;

use crate::bundled;

/// Whoever runs the command holds the database: they act with the secretariat's rights, under
/// their system user's name in the audit log.
fn actor() -> Actor {
    let email = format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into()));
    Actor { email, role: Role::Administrator, states: Vec::new() }
}

pub fn open(db: &Path, year: i32, from: i32, deadline: NaiveDate) -> Result<ExitCode> {
    let mut store = bundled::open_seeded(db)?;
    let questionnaire = observa_workflow::open_cycle(&mut *store, &actor(), year, from, deadline).map_err(|e| {
        // The web form's message (in English), so both channels say the same thing.
        anyhow!(
            "cycle open --year {year} --from {from}: {}",
            observa_web::WebError::workflow(e, observa_web::Lang::ALL[0])
        )
    })?;
    println!(
        "opened cycle {year} (deadline {deadline}) with questionnaire {} version {}, copied from cycle {from}",
        questionnaire.id, questionnaire.version
    );
    Ok(ExitCode::SUCCESS)
}
