//! `observa audit verify|list`: the append-only, hash-chained log of every write.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use observa_domain::audit::verify as verify_chain;
use observa_store::{SqliteStore, Store};

pub fn verify(db: &Path) -> Result<ExitCode> {
    let entries = SqliteStore::open(db)?.audit()?;
    match verify_chain(&entries) {
        Ok(n) => {
            println!("audit log of {}: {n} entries, hash chain intact", db.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(b) => {
            println!("audit log of {}: entry {} is not as written: {}", db.display(), b.seq, b.reason);
            Ok(ExitCode::FAILURE)
        }
    }
}

pub fn list(db: &Path, last: Option<usize>) -> Result<ExitCode> {
    let entries = SqliteStore::open(db)?.audit()?;
    let skip = last.map_or(0, |n| entries.len().saturating_sub(n));
    for e in &entries[skip..] {
        println!("{:>5}  {}  {}  {}  {}", e.seq, e.at, e.actor, e.action, e.subject);
        if let Some(before) = &e.before {
            println!("       before: {before}");
        }
        if let Some(after) = &e.after {
            println!("       after:  {after}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
