//! `observa demo`: a separate database to try monitoring out: the bundled 2014 registry plus
//! synthetic action matrices and approved reports for the States' last approved plans
//! (`observa_domain::monitoring::synthetic`). The database is marked as a demonstration, so
//! every page served from it carries a banner. It refuses any database that already holds a
//! registry and is not a demonstration: synthetic data never enters a real one.

use std::path::Path;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use observa_domain::account::Role;
use observa_domain::monitoring::schedule::Frequency;
use observa_domain::monitoring::synthetic::{self, Shape};
use observa_workflow::Actor;

use crate::bundled;

/// What the banner and the exports say.
pub const NOTE: &str =
    "Demonstration data: synthetic monitoring matrices and values made by `observa demo`; not any State's reports.";

pub fn run(db: &Path) -> Result<()> {
    if db.exists() || observa_store::is_postgres(db) {
        let store = observa_store::open(db)?;
        // A database that holds a registry and is not a demonstration is refused; an empty one
        // (a new PostgreSQL database is always there before it is used) becomes the demonstration.
        let holds_data = store.meta("seeded_at")?.is_some() || store.is_seeded()?;
        if holds_data && store.meta("demonstration")?.is_none() {
            bail!("{} is not a demonstration database: `observa demo` builds a new one (give it a new file, for example --db demo.db)", db.display());
        }
    }
    let mut store = bundled::open_seeded(db)?;
    store.mark_demonstration(NOTE, "cli:demo")?;
    let registry = store.load()?;
    let actor = Actor { email: "demo".into(), role: Role::Administrator, states: vec![] };
    let today = chrono::Utc::now().date_naive();
    let starts = NaiveDate::from_ymd_opt(2015, 1, 1).expect("a date");
    let mut plans = 0;
    let mut reports = 0;
    for (n, plan) in registry.plans.iter().filter(|p| p.last_approved).enumerate() {
        let orgs: Vec<String> = registry
            .organisations
            .iter()
            .filter(|o| o.state.as_ref() == Some(&plan.state))
            .map(|o| o.id.clone())
            .collect();
        let shape = Shape { indicators: 20, frequency: Frequency::Quarterly, starts, years: 12, seed: n as u64 + 1 };
        let matrix = synthetic::matrix(&plan.id, &orgs, shape);
        let version = store.matrix(&plan.id)?.map_or(0, |(_, v)| v);
        observa_workflow::monitoring::save_matrix(store.as_mut(), &registry, &actor, &matrix, version, today)
            .with_context(|| format!("the demonstration matrix of {}", plan.id))?;
        let made: Vec<_> =
            synthetic::reports(&matrix, today, n as u64 + 1).into_iter().map(|r| (plan.state.to_string(), r)).collect();
        reports += store.import_reports(&made, "cli:demo")?;
        plans += 1;
    }
    println!("{}: {plans} plans with synthetic matrices, {reports} synthetic approved reports. {NOTE}", db.display());
    Ok(())
}
