//! `observa check`: validates the data files and the database, prints the curation report
//! (every correction and every disagreement between sources) and exits non-zero on errors.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use observa_domain::checks::curation_report;
use observa_domain::datafile::load_files;
use observa_domain::export::today;
use observa_domain::Dataset;

use crate::bundled;

pub fn run(db: &Path, data: Option<&Path>, quiet: bool) -> Result<ExitCode> {
    let (label, files) = match data {
        Some(folder) => (folder.display().to_string(), bundled::files_in(folder)?),
        None => ("bundled data".to_string(), bundled::files()),
    };
    let mut errors = 0;
    println!("Checking {} data files ({label})", files.len());
    let dataset = match load_files(&files) {
        Ok(ds) => Some(ds),
        Err(e) => {
            println!("ERROR {e}");
            errors += 1;
            None
        }
    };
    if let Some(ds) = &dataset {
        errors += print_problems("data", ds);
        if !quiet {
            print_curation(ds);
        }
        println!("{}", summary(ds));
        // Every text of the data files must exist in the four languages.
        errors += print_coverage("data", ds, true);
    }

    println!("\nChecking the database {}", db.display());
    match check_database(db, dataset.as_ref()) {
        Ok(n) => errors += n,
        Err(e) => {
            println!("ERROR {e:#}");
            errors += 1;
        }
    }
    if errors > 0 {
        println!("\n{errors} error(s)");
        return Ok(ExitCode::FAILURE);
    }
    println!("\nNo errors.");
    Ok(ExitCode::SUCCESS)
}

fn print_problems(what: &str, ds: &Dataset) -> usize {
    let problems = ds.validate();
    for p in &problems {
        println!("ERROR {what}: {p}");
    }
    problems.len()
}

fn check_database(db: &Path, files: Option<&Dataset>) -> Result<usize> {
    let store = bundled::open_seeded(db)?;
    let stored = store.load()?;
    let mut errors = print_problems("database", &stored);
    for found in store.integrity()? {
        println!("ERROR database: {found}");
        errors += 1;
    }
    match store.verify_audit(None)? {
        Ok(n) => println!("Audit log: {n} entries, hash chain intact."),
        Err(b) => {
            println!("ERROR database: audit entry {} is not as written: {}", b.seq, b.reason);
            errors += 1;
        }
    }
    let origin = store.meta("origin")?.unwrap_or_else(|| "unknown".into());
    println!("{} (loaded from: {origin})", summary(&stored));
    // Answers accepted since are in their officers' language until an analyst translates them:
    // said, not an error.
    print_coverage("database", &stored, false);
    if let Some(files) = files {
        if *files == stored {
            println!("The database holds exactly the data files' content.");
        } else {
            println!("The database differs from the data files (it was imported from elsewhere or edited since).");
        }
    }
    Ok(errors)
}

/// Prints how many texts exist in each language, per table, and lists the texts missing one;
/// returns how many are missing when they count as errors.
fn print_coverage(what: &str, ds: &Dataset, missing_is_error: bool) -> usize {
    let coverage = observa_domain::translation::coverage(ds);
    let share = |present: usize, texts: usize| if texts == 0 { 100.0 } else { 100.0 * present as f64 / texts as f64 };
    println!("Translation coverage ({what}): texts in each language, per table");
    println!("  {:<18} {:>6} {:>8} {:>8} {:>8} {:>8}", "table", "texts", "en", "es", "pt", "fr");
    let mut tables: Vec<&str> = coverage.iter().map(|c| c.table).collect();
    tables.dedup();
    for table in tables {
        let row: Vec<_> = coverage.iter().filter(|c| c.table == table).collect();
        let cells: Vec<String> = row.iter().map(|c| format!("{:>7.1}%", share(c.present, c.texts))).collect();
        println!("  {table:<18} {:>6} {}", row[0].texts, cells.join(" "));
    }
    let missing: usize = coverage.iter().map(|c| c.texts - c.present).sum();
    for lang in observa_domain::Lang::ALL {
        let (present, texts) =
            coverage.iter().filter(|c| c.lang == lang).fold((0, 0), |(p, t), c| (p + c.present, t + c.texts));
        println!("  all tables, {}: {present}/{texts} ({:.1}%)", lang.code(), share(present, texts));
    }
    if missing_is_error {
        for gap in observa_domain::translation::missing(ds) {
            println!("ERROR {what}: {gap}");
        }
        missing
    } else {
        0
    }
}

fn summary(ds: &Dataset) -> String {
    format!(
        "{} States, {} plans, {} bodies with {} members, {} organisations, {} laws, {} actions, {} services, \
         {} ratifications, {} OPSC report rows, {} SWOT items, {} corrections, {} recorded disagreements",
        ds.states.len(),
        ds.plans.len(),
        ds.bodies.len(),
        ds.members.len(),
        ds.organisations.len(),
        ds.laws.len(),
        ds.actions.len(),
        ds.services.len(),
        ds.ratifications.len(),
        ds.reports.len(),
        ds.swot.len(),
        ds.corrections.len(),
        ds.disagreements.len()
    )
}

fn print_curation(ds: &Dataset) {
    let report = curation_report(ds, today());
    let scope = |s: &Option<observa_domain::StateCode>| s.as_ref().map_or("region".to_string(), |c| c.to_string());
    println!("\nCuration report");
    println!("\n  Corrections ({}): where the data departs from what the source prints", report.corrections.len());
    for c in report.corrections {
        println!(
            "    [{}] {}: source says `{}`; recorded `{}`. Why: {} ({})",
            scope(&c.state),
            c.subject,
            c.source_says,
            c.recorded,
            c.why,
            c.source
        );
    }
    println!("\n  Disagreements between sources recorded by the curators ({})", report.disagreements.len());
    for d in report.disagreements {
        println!("    [{}] {}: {} | {}", scope(&d.state), d.topic, d.first, d.second);
        if let Some(c) = &d.conclusion {
            println!("        concluded: {c}");
        }
    }
    println!("\n  Disagreements found by the rules ({})", report.flags.len());
    for (who, flag) in &report.flags {
        println!("    [{who}] {}: {}", flag.code, flag.message);
    }
    println!();
}
