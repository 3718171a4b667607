//! `observa copy --from A --to B`: moves a whole database between SQLite and PostgreSQL (either
//! way): the registry with its history, editorial text, annotations, accounts and sessions, the
//! consultation and the audit log entry by entry. The target must be empty; it gets the source's
//! audit key where it looks for one, and its audit log is verified before the copy is reported.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::migrate::shown;

pub fn run(from: &Path, to: &Path) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let copied =
        observa_store::copy::copy(from, to).with_context(|| format!("copying {} to {}", shown(from), shown(to)))?;
    let rows: usize = copied.rows.iter().map(|(_, n)| n).sum();
    println!(
        "copied {} to {} in {:.1} s: {rows} rows in {} tables; its audit log verifies ({} entries)",
        shown(from),
        shown(to),
        started.elapsed().as_secs_f64(),
        copied.rows.len(),
        copied.audit_entries
    );
    Ok(ExitCode::SUCCESS)
}
