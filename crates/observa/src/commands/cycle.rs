//! `observa cycle open`: opens a consultation cycle whose questionnaire is copied from an earlier
//! cycle's (each question linked to its counterpart), with a deadline.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use chrono::{Datelike, NaiveDate};
use observa_domain::consultation::copy_for_cycle;

use crate::bundled;

fn actor() -> String {
    format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into()))
}

pub fn open(db: &Path, year: i32, from: i32, deadline: NaiveDate) -> Result<ExitCode> {
    if !(1990..=2100).contains(&year) || year <= from {
        bail!("--year {year}: the new cycle must come after --from {from}");
    }
    if deadline.year() != year && deadline.year() != year + 1 {
        bail!("--deadline {deadline}: expected a date in {year} or {}", year + 1);
    }
    let mut store = bundled::open_seeded(db)?;
    let cycles = store.cycles()?;
    let source = cycles.iter().find(|c| c.year == from).with_context(|| {
        format!("--from {from}: no such cycle (open ones: {:?})", cycles.iter().map(|c| c.year).collect::<Vec<_>>())
    })?;
    let questionnaire = copy_for_cycle(&source.questionnaire, year);
    store.open_cycle(year, &questionnaire, deadline, &actor())?;
    println!(
        "opened cycle {year} (deadline {deadline}) with questionnaire {} version {}, copied from cycle {from}",
        questionnaire.id, questionnaire.version
    );
    Ok(ExitCode::SUCCESS)
}
