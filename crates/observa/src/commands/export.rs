//! `observa export`: the whole database as one JSON document (lossless: importing it gives the
//! same database) or as one CSV file per table, plus the computed OPSC reporting view.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use observa_domain::checks::reporting;
use observa_domain::export::{to_document, today};
use observa_store::Store;

use crate::bundled;

pub fn json(db: &Path, out: &Path, as_of: Option<NaiveDate>) -> Result<ExitCode> {
    let store = bundled::open_seeded(db)?;
    let document = to_document(&store.load()?, as_of.unwrap_or_else(today));
    let text = serde_json::to_string_pretty(&document)?;
    write_atomically(out, text.as_bytes())?;
    println!("wrote {}", out.display());
    Ok(ExitCode::SUCCESS)
}

pub fn csv(db: &Path, out: &Path, as_of: Option<NaiveDate>) -> Result<ExitCode> {
    let store = bundled::open_seeded(db)?;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let mut written = 0;
    for table in store.tables()? {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&table.columns)?;
        for row in &table.rows {
            w.write_record(row.iter().map(|c| c.as_deref().unwrap_or("")))?;
        }
        write_atomically(&out.join(format!("{}.csv", table.name)), &w.into_inner()?)?;
        written += 1;
    }
    write_atomically(
        &out.join("reporting.csv"),
        &reporting_csv(&store.load()?, as_of.unwrap_or_else(today))?,
    )?;
    println!("wrote {} CSV files to {}", written + 1, out.display());
    Ok(ExitCode::SUCCESS)
}

/// The computed OPSC view, flattened: one row per report with the rule's values and flags.
fn reporting_csv(ds: &observa_domain::Dataset, as_of: NaiveDate) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "state",
        "treaty",
        "sequence",
        "deposit",
        "deposit_basis",
        "entry_into_force",
        "initial_report_due",
        "source_due",
        "distributed",
        "session_from",
        "session_to",
        "as_of",
        "standing",
        "flags",
    ])?;
    let text = |d: Option<String>| d.unwrap_or_default();
    for item in reporting(ds, as_of) {
        let r = &item.report;
        let standing = item
            .standing
            .map(|s| serde_json::to_string(&s).unwrap_or_default());
        let flags: Vec<String> = item
            .flags
            .iter()
            .map(|f| format!("{}: {}", f.code, f.message))
            .collect();
        w.write_record([
            r.state.to_string(),
            r.treaty.clone(),
            r.sequence.to_string(),
            text(item.deposit.map(|d| d.to_string())),
            text(item.deposit_basis.map(str::to_string)),
            text(item.entry_into_force.map(|d| d.to_string())),
            text(item.initial_report_due.map(|d| d.to_string())),
            text(r.source_due.map(|d| d.to_string())),
            text(r.distributed.map(|d| d.to_string())),
            text(r.session_from.map(|d| d.to_string())),
            text(r.session_to.map(|d| d.to_string())),
            as_of.to_string(),
            text(standing),
            flags.join(" | "),
        ])?;
    }
    Ok(w.into_inner()?)
}

/// Writes to a temporary file beside `path`, then renames it: a reader never sees half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path)
        .with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))?;
    Ok(())
}
