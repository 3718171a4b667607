//! Backups of the SQLite database. A backup is taken with `VACUUM INTO`, which copies one
//! consistent snapshot through an ordinary read transaction: in WAL mode the server keeps writing
//! meanwhile, where the online backup API restarts on every write and waited 12 s under steady
//! writes in a probe. A restore checks that the file is an intact Observa database and refuses to
//! replace a database that holds anything unless told. Both write under a temporary name beside
//! the target and rename it at the end, so a failure leaves the target as it was.
//!
//! Only the database is copied: files kept beside it (the audit key) are the operator's to keep
//! with the backup.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::SqliteStore;

/// What can go wrong in a backup or a restore; every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: {source}")]
    Sql { path: String, source: rusqlite::Error },
    #[error("{0}")]
    Refused(String),
}

/// How big a database is and what it holds, for the operator to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    pub bytes: u64,
    /// Rows per table, for the tables an operator recognises.
    pub counts: Vec<(&'static str, i64)>,
}

impl std::fmt::Display for Contents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let counts: Vec<String> = self.counts.iter().map(|(t, n)| format!("{t} {n}")).collect();
        write!(f, "{} bytes; {}", self.bytes, counts.join(", "))
    }
}

const COUNTED: [&str; 8] = ["states", "plans", "accounts", "cycles", "drafts", "submissions", "attachments", "audit"];

type Result<T> = std::result::Result<T, BackupError>;

fn io(path: &Path) -> impl Fn(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io { path: path.display().to_string(), source }
}

fn sql(path: &Path) -> impl Fn(rusqlite::Error) -> BackupError + '_ {
    move |source| BackupError::Sql { path: path.display().to_string(), source }
}

impl SqliteStore {
    /// Writes a consistent copy of this database to `out` (replacing a file already there: the
    /// caller decides whether that is wanted) and says what it holds.
    pub fn backup_to(&self, out: &Path) -> Result<Contents> {
        let partial = partial_name(out);
        let written = vacuum_into(&self.conn, &partial).and_then(|()| check(&partial));
        finish(written, &partial, out)
    }

    /// Replaces the database file `to` with the backup `from`, after checking that `from` is an
    /// intact Observa database; a `to` that holds any row is refused unless `overwrite`. The
    /// server must not be running on `to`.
    pub fn restore(from: &Path, to: &Path, overwrite: bool) -> Result<Contents> {
        if !from.is_file() {
            return Err(BackupError::Refused(format!("{}: no such backup file", from.display())));
        }
        let source = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(sql(from))?;
        check_conn(&source, from)?;
        if !overwrite && holds_rows(to) {
            return Err(BackupError::Refused(format!(
                "{} is not empty; pass --force to replace it with {}",
                to.display(),
                from.display()
            )));
        }
        let partial = partial_name(to);
        let written = vacuum_into(&source, &partial).and_then(|()| check(&partial));
        // A write-ahead log left by the database being replaced would be applied to the new one.
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", to.display()));
            if side.exists() {
                std::fs::remove_file(&side).map_err(io(&side))?;
            }
        }
        finish(written, &partial, to)
    }
}

/// Where a copy is written before it is renamed into place: beside it, so the rename is atomic.
fn partial_name(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}

fn vacuum_into(conn: &Connection, partial: &Path) -> Result<()> {
    if partial.exists() {
        std::fs::remove_file(partial).map_err(io(partial))?;
    }
    let name = partial
        .to_str()
        .ok_or_else(|| BackupError::Refused(format!("{}: the path is not UTF-8", partial.display())))?;
    conn.execute("VACUUM INTO ?1", [name]).map_err(sql(partial))?;
    Ok(())
}

/// Renames the checked copy into place, durably, or removes it on failure.
fn finish(written: Result<Contents>, partial: &Path, target: &Path) -> Result<Contents> {
    let done = written.and_then(|contents| {
        std::fs::File::open(partial).and_then(|f| f.sync_all()).map_err(io(partial))?;
        std::fs::rename(partial, target).map_err(io(target))?;
        if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Makes the rename itself durable; not every platform can open a folder.
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(contents)
    });
    if done.is_err() {
        let _ = std::fs::remove_file(partial);
    }
    done
}

/// Opens a written file read-only and checks it as a restore checks its source.
fn check(path: &Path) -> Result<Contents> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(sql(path))?;
    check_conn(&conn, path)
}

/// SQLite's integrity check passes and the file carries Observa's migrations; what it holds.
fn check_conn(conn: &Connection, path: &Path) -> Result<Contents> {
    let not_ours = |why: String| BackupError::Refused(format!("{} is not an Observa database: {why}", path.display()));
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| not_ours(e.to_string()))?;
    if ok != "ok" {
        return Err(not_ours(format!("integrity check: {ok}")));
    }
    let has = |table: &str| -> Result<bool> {
        let query = "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)";
        conn.query_row(query, [table], |r| r.get(0)).map_err(sql(path))
    };
    let registry: bool = has("schema_migrations")?
        && conn
            .query_row("SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE name = '0001_registry')", [], |r| r.get(0))
            .map_err(sql(path))?;
    if !registry {
        return Err(not_ours("it has no Observa migrations".into()));
    }
    let mut counts = Vec::new();
    for table in COUNTED {
        if has(table)? {
            let n: i64 =
                conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).map_err(sql(path))?;
            counts.push((table, n));
        }
    }
    let bytes = std::fs::metadata(path).map_err(io(path))?.len();
    Ok(Contents { bytes, counts })
}

/// Whether a database file holds any row in any table. A file that cannot be read as one counts
/// as holding something: a restore must not replace what it does not understand.
fn holds_rows(path: &Path) -> bool {
    if std::fs::metadata(path).map_or(true, |m| m.len() == 0) {
        return false;
    }
    let Ok(conn) = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY) else { return true };
    let tables: Vec<String> = match conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect::<std::result::Result<_, _>>())
    {
        Ok(tables) => tables,
        Err(_) => return true,
    };
    tables.iter().filter(|t| *t != "schema_migrations" && !t.starts_with("sqlite_")).any(|t| {
        conn.query_row(&format!("SELECT EXISTS (SELECT 1 FROM \"{t}\")"), [], |r| r.get::<_, bool>(0)).unwrap_or(true)
    })
}
