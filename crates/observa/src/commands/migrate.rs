//! `observa migrate`: brings the database's schema up to date (SQLite file or PostgreSQL URL) and
//! says which migrations it applied. Every command does this on opening; this one writes nothing
//! else, so it can prepare an empty PostgreSQL database for `observa copy`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

pub fn run(db: &Path) -> Result<ExitCode> {
    let applied = observa_store::copy::migrate(db).with_context(|| format!("migrating {}", shown(db)))?;
    if applied.is_empty() {
        println!("{}: the schema is up to date (no migration to apply)", shown(db));
    }
    for name in &applied {
        println!("applied {name}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The location for messages: a URL without its password.
pub fn shown(db: &Path) -> String {
    let text = db.display().to_string();
    match (text.split_once("://"), text.rsplit_once('@')) {
        (Some((scheme, _)), Some((user, host))) if observa_store::is_postgres(db) => {
            let user = user.split_once("://").map_or(user, |(_, u)| u);
            format!("{scheme}://{}@{host}", user.split(':').next().unwrap_or(""))
        }
        _ => text,
    }
}
