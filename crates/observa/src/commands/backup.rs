//! `observa backup --out FILE` and `observa restore FILE`: a consistent copy of the whole
//! database taken while the server serves and writes, and putting one back. The copy holds the
//! database only; the audit key file kept beside it (`<db>.audit-key`) must be kept with it.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Result};
use observa_store::SqliteStore;

use observa_store::audit::key_path as audit_key;

/// Backups are SQLite files; a PostgreSQL database is backed up with PostgreSQL's own tools.
fn sqlite_only(db: &Path, what: &str) -> Result<()> {
    if observa_store::is_postgres(db) {
        bail!(
            "observa {what} works on SQLite databases only; for PostgreSQL use pg_dump/pg_restore (or `observa copy \
             --from <url> --to observa-copy.db` for a SQLite copy), and keep the audit key with it"
        );
    }
    Ok(())
}

pub fn backup(db: &Path, out: &Path, force: bool) -> Result<ExitCode> {
    sqlite_only(db, "backup")?;
    if !db.is_file() {
        bail!("{}: no database to back up", db.display());
    }
    if out.exists() && std::fs::canonicalize(out)? == std::fs::canonicalize(db)? {
        bail!("{}: a backup cannot replace the database it copies", out.display());
    }
    if out.exists() && !force {
        bail!("{} already exists; pass --force to replace it", out.display());
    }
    let started = Instant::now();
    let contents = SqliteStore::open(db)?.backup_to(out)?;
    println!("backed up {} to {} in {:.1} s: {contents}", db.display(), out.display(), started.elapsed().as_secs_f64());
    println!(
        "keep the audit key file {} with this backup: it is not in the copy, and the audit log cannot be verified without it",
        audit_key(db).display()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn restore(file: &Path, db: &Path, force: bool) -> Result<ExitCode> {
    sqlite_only(db, "restore")?;
    let contents = SqliteStore::restore(file, db, force)?;
    println!("restored {} into {}: {contents}", file.display(), db.display());
    let key = audit_key(db);
    if std::env::var_os("OBSERVA_AUDIT_KEY").is_none() && !key.exists() {
        // Serving first would make a new key, and the restored log would no longer verify.
        eprintln!(
            "warning: there is no audit key at {}: put the key file kept with this backup there BEFORE serving or \
             running any other command on this database",
            key.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
