//! `observa audit verify|list|checkpoint`: the append-only, keyed, hash-chained log of every
//! write. Verification reads the log row by row with the audit key (see `observa_store::audit`);
//! a checkpoint is a signed note of the log's last entry for an administrator to keep elsewhere,
//! so that a log later cut short or rewritten (even by someone holding the key) is caught.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use observa_domain::audit::{AuditEntry, Checkpoint};
use observa_store::Backend;

/// Opens a database for reading its log: the database and its audit key must exist already (a
/// verification never makes a new key, which would not be the one the log was written with).
fn open(db: &Path) -> Result<Box<dyn Backend>> {
    if !db.exists() && !observa_store::is_postgres(db) {
        bail!("no database at {}", db.display());
    }
    let key = observa_store::audit_key_path(db);
    if std::env::var_os("OBSERVA_AUDIT_KEY").is_none() && !key.exists() {
        bail!(
            "no audit key at {} (set OBSERVA_AUDIT_KEY_FILE to where it is kept, or OBSERVA_AUDIT_KEY): the log cannot be verified without it",
            key.display()
        );
    }
    Ok(observa_store::open(db)?)
}

pub fn verify(db: &Path, checkpoint: Option<&Path>) -> Result<ExitCode> {
    let checkpoint = checkpoint.map(read_checkpoint).transpose()?;
    let store = open(db)?;
    if let Some(cp) = &checkpoint {
        if cp.key != store.audit_key_fingerprint() {
            println!(
                "audit log of {}: the checkpoint was made with another audit key ({}, this database's is {})",
                db.display(),
                cp.key,
                store.audit_key_fingerprint()
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    match store.verify_audit(checkpoint.as_ref())? {
        Ok(n) => {
            let at =
                checkpoint.map(|c| format!(", and entry {} is as the checkpoint of {} recorded", c.seq, c.taken_at));
            println!("audit log of {}: {n} entries, hash chain intact{}", db.display(), at.unwrap_or_default());
            Ok(ExitCode::SUCCESS)
        }
        Err(b) => {
            println!("audit log of {}: entry {} is not as written: {}", db.display(), b.seq, b.reason);
            Ok(ExitCode::FAILURE)
        }
    }
}

fn read_checkpoint(path: &Path) -> Result<Checkpoint> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading the checkpoint {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{}: not an audit checkpoint", path.display()))
}

/// Prints (or writes to `out`) a checkpoint of the log as it is now, after checking the log.
pub fn checkpoint(db: &Path, out: Option<&Path>) -> Result<ExitCode> {
    let store = open(db)?;
    if let Err(b) = store.verify_audit(None)? {
        bail!("the audit log is broken at entry {} ({}): no checkpoint is made of a broken log", b.seq, b.reason);
    }
    let Some(cp) = store.audit_checkpoint()? else { bail!("the audit log of {} is empty", db.display()) };
    let json = serde_json::to_string_pretty(&cp)? + "\n";
    match out {
        Some(path) => {
            if path.exists() {
                bail!("{} exists already; choose a new file for each checkpoint", path.display());
            }
            std::fs::write(path, &json).with_context(|| format!("writing {}", path.display()))?;
            eprintln!(
                "checkpoint of entry {} written to {}: keep it away from this machine, and check the log against it with \
                 `observa audit verify --checkpoint {}`",
                cp.seq,
                path.display(),
                path.display()
            );
        }
        None => print!("{json}"),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn list(db: &Path, last: Option<usize>) -> Result<ExitCode> {
    let store = observa_store::open(db)?;
    if let Some(n) = last {
        let mut entries = store.audit_page(&Default::default(), None, n)?;
        entries.reverse();
        entries.iter().for_each(print);
        return Ok(ExitCode::SUCCESS);
    }
    let mut after = 0;
    loop {
        let page = store.audit_from(after, 1000)?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        page.iter().for_each(print);
    }
    Ok(ExitCode::SUCCESS)
}

fn print(e: &AuditEntry) {
    println!("{:>5}  {}  {}  {}  {}", e.seq, e.at, e.actor, e.action, e.subject);
    if let Some(before) = &e.before {
        println!("       before: {before}");
    }
    if let Some(after) = &e.after {
        println!("       after:  {after}");
    }
}
