//! `observa import PATH`: replaces the database's content with a JSON export or a folder of
//! data files. Everything is read and validated first, then written in one transaction, so a
//! bad input changes nothing. A source that would empty the registry (no States, or no plans
//! while the database holds some) is refused unless `--allow-empty` says it is meant.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use observa_domain::export::from_document;
use observa_domain::Dataset;

use crate::bundled;

pub fn run(db: &Path, path: &Path, allow_empty: bool) -> Result<ExitCode> {
    let dataset = read(path)?;
    if !allow_empty {
        refuse_emptying(db, path, &dataset)?;
    }
    let history = history(path, &dataset)?;
    let mut store = observa_store::open(db)?;
    match history {
        // An export with its history brings the history: the registry is what it says.
        Some(versions) => {
            let origin = format!("import of {}", path.display());
            let appended =
                store.restore_history(&versions, &origin).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            println!("took {appended} of the file's {} registry versions", versions.len());
        }
        None => {
            store.replace_all(&dataset, &format!("import of {}", path.display()))?;
        }
    }
    println!(
        "imported {} into {}: {} States, {} plans, {} bodies, {} laws, {} ratifications",
        path.display(),
        db.display(),
        dataset.states.len(),
        dataset.plans.len(),
        dataset.bodies.len(),
        dataset.laws.len(),
        dataset.ratifications.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// An export with empty tables is valid JSON and valid data, and importing it by mistake would
/// wipe the registry: refuse it before the database is opened (or created).
fn refuse_emptying(db: &Path, path: &Path, dataset: &Dataset) -> Result<()> {
    let refuse = |what: &str| {
        anyhow::anyhow!(
            "{}: {what}; importing it would empty the registry of {}. Nothing was changed; \
             pass --allow-empty to import it anyway",
            path.display(),
            db.display()
        )
    };
    if dataset.states.is_empty() {
        return Err(refuse("it has no States"));
    }
    if dataset.plans.is_empty() && (db.exists() || observa_store::is_postgres(db)) {
        let held = observa_store::open(db)?.load()?;
        if !held.plans.is_empty() {
            return Err(refuse(&format!("it has no plans and the database holds {}", held.plans.len())));
        }
    }
    Ok(())
}

/// The registry history an export file carries, checked against its tables: the tables must be
/// what the history says, or the file was edited by hand in one place only.
fn history(path: &Path, dataset: &Dataset) -> Result<Option<Vec<observa_domain::history::Version>>> {
    if path.is_dir() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let history = observa_domain::export::history_of(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    // An empty history (an export emptied by hand, or of an empty registry) brings none: the
    // tables are imported as any other source, record by record.
    let Some(versions) = history.filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let told = observa_domain::history::rebuild(&versions, observa_domain::history::AsOf::Now)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let differ = observa_domain::history::diff(&told, dataset).map_err(anyhow::Error::msg)?;
    if let Some(first) = differ.first() {
        anyhow::bail!(
            "{}: the tables and the history disagree on {} record(s), first {}/{}; nothing was changed",
            path.display(),
            differ.len(),
            first.table,
            first.record
        );
    }
    Ok(Some(versions))
}

/// Reads and validates an import source without touching any database.
pub fn read(path: &Path) -> Result<Dataset> {
    if path.is_dir() {
        return bundled::dataset_from(&bundled::files_in(path)?);
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("{}: cannot read it as UTF-8 text", path.display()))?;
    let dataset = from_document(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let problems = dataset.validate();
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        anyhow::bail!("{}: {} problem(s):\n{}", path.display(), problems.len(), list.join("\n"));
    }
    Ok(dataset)
}
