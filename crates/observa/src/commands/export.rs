//! `observa export`: the whole database as one JSON document (lossless: importing it gives the
//! same database), one CSV file per table (plus the computed OPSC reporting view), one XLSX
//! workbook, or a Frictionless Data Package.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use observa_domain::checks::reporting;
use observa_domain::export::{add_history, to_document, today};
use observa_domain::history::AsOf;

use crate::bundled;

/// The date a reading of the registry computes its standings on: the date asked for, 31 December
/// of a cycle's year, or today.
pub fn computed_on(as_of: AsOf) -> NaiveDate {
    match as_of {
        AsOf::Now => today(),
        AsOf::Cycle(year) => NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_else(today),
        AsOf::Date(day) => day,
    }
}

pub fn json(db: &Path, out: &Path, as_of: AsOf) -> Result<ExitCode> {
    let store = bundled::open_seeded(db)?;
    let mut document = to_document(&store.load_as_of(as_of)?, computed_on(as_of));
    add_history(&mut document, &store.history(as_of)?, as_of);
    let text = serde_json::to_string_pretty(&document)?;
    write_atomically(out, text.as_bytes())?;
    println!("wrote {}", out.display());
    Ok(ExitCode::SUCCESS)
}

pub fn csv(db: &Path, out: &Path, as_of: AsOf) -> Result<ExitCode> {
    let store = bundled::open_seeded(db)?;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let mut written = 0;
    for table in store.tables_as_of(as_of)? {
        let bytes = observa_opendata::csv(&table).map_err(anyhow::Error::msg)?;
        write_atomically(&out.join(format!("{}.csv", table.name)), &bytes)?;
        written += 1;
    }
    write_atomically(&out.join("reporting.csv"), &reporting_csv(&store.load_as_of(as_of)?, computed_on(as_of))?)?;
    println!("wrote {} CSV files to {}", written + 1, out.display());
    Ok(ExitCode::SUCCESS)
}

pub fn xlsx(db: &Path, out: &Path) -> Result<ExitCode> {
    let store = bundled::open_seeded(db)?;
    let bytes = observa_opendata::xlsx(&store.tables()?).map_err(anyhow::Error::msg)?;
    write_atomically(out, &bytes)?;
    println!("wrote {}", out.display());
    Ok(ExitCode::SUCCESS)
}

pub fn datapackage(db: &Path, out: &Path) -> Result<ExitCode> {
    let store = bundled::open_seeded(db)?;
    // The registry's tables and plan monitoring's (approved values only) in one package.
    let mut tables = store.tables()?;
    tables.extend(observa_store::monitoring_tables(store.as_ref())?);
    let title = if store.meta("demonstration")?.is_some() { DEMO_TITLE } else { TITLE };
    let files =
        observa_opendata::datapackage(&tables, title, &chrono::Utc::now().to_rfc3339()).map_err(anyhow::Error::msg)?;
    std::fs::create_dir_all(out.join("data")).with_context(|| format!("creating {}", out.display()))?;
    for f in &files {
        write_atomically(&out.join(&f.name), &f.bytes)?;
    }
    println!("wrote a data package of {} files to {}", files.len(), out.display());
    Ok(ExitCode::SUCCESS)
}

/// The data package's title.
pub const TITLE: &str = "Observa: national plans against the sexual exploitation of children in the Americas";
/// Its title from a demonstration database (`observa demo`): its monitoring data is synthetic.
const DEMO_TITLE: &str = "DEMONSTRATION DATA (synthetic monitoring, reported by no State) - Observa: national plans against the sexual exploitation of children in the Americas";

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
        let standing = item.standing.map(|s| serde_json::to_string(&s).unwrap_or_default());
        let flags: Vec<String> = item.flags.iter().map(|f| format!("{}: {}", f.code, f.message)).collect();
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
    std::fs::rename(&tmp, path).with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))?;
    Ok(())
}
