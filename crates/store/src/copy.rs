//! Moving a whole database from one engine to another (SQLite ⇄ PostgreSQL, or to a new database
//! of the same engine): `observa copy` and `observa migrate`.
//!
//! The copy is row for row, table by table in an order that respects references, in one
//! transaction on the target: the registry with every version of its history (sequence numbers
//! kept), editorial blocks, annotations, accounts, sessions, the consultation, and the audit log
//! entry by entry, so the copy's chain verifies under the same key. The target must be empty; it
//! is given the source's audit key where it will look for one (unless an environment variable
//! names the key for both), and is verified before the copy is declared done.

use std::path::Path;

use observa_domain::audit::AuditKey;
use postgres::types::ToSql;

use crate::postgres::PostgresStore;
use crate::rows::TABLES;
use crate::{Result, SqliteStore, StoreError};

/// Every table but `schema_migrations` (each engine keeps its own), referenced tables first.
fn tables() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = TABLES.to_vec();
    all.extend([
        "meta",
        "audit",
        "audit_head",
        "registry_versions",
        "editorial",
        "annotations",
        "accounts",
        "sessions",
        "password_resets",
        "cycles",
        "drafts",
        "submissions",
        "api_tokens",
        "comments",
        "outbox",
        "attachments",
        "sign_in_attempts",
        "matrices",
        "monitoring_periods",
        "progress_reports",
        "latest_approved",
        "progress_comments",
        "period_reopenings",
        "evidence",
        "plan_drafts",
    ]);
    all
}

/// PostgreSQL columns filled by a sequence that a copy writes explicitly: the sequences must
/// continue after the copied values.
const SERIALS: [(&str, &str); 10] = [
    ("plan_drafts", "id"),
    ("accounts", "id"),
    ("progress_comments", "id"),
    ("period_reopenings", "id"),
    ("evidence", "id"),
    ("submissions", "id"),
    ("comments", "id"),
    ("outbox", "id"),
    ("attachments", "id"),
    ("registry_versions", "seq"),
];

/// One cell, in the types both engines share (booleans are 0 and 1, as SQLite keeps them).
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Null,
    Integer(i64),
    Text(String),
    Blob(Vec<u8>),
}

struct Rows {
    columns: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

enum Engine {
    Sqlite(SqliteStore),
    Postgres(Box<PostgresStore>),
}

/// What a copy moved: rows per table, and the audit entries verified on the target.
#[derive(Debug)]
pub struct Copied {
    pub rows: Vec<(String, usize)>,
    pub audit_entries: usize,
}

/// Applies the migrations of the database at `location` (creating a SQLite file if needed)
/// without writing anything else; returns the names of the migrations applied now.
pub fn migrate(location: &Path) -> Result<Vec<String>> {
    match location.to_str().filter(|l| crate::postgres::is_url(l)) {
        // The key is not needed to migrate; a throwaway one writes nothing.
        Some(url) => PostgresStore::connect_migrated(url),
        None => SqliteStore::bare(location, crate::audit::random_key())?.migrate(),
    }
}

/// Copies the database at `from` into the empty database at `to` (see the module's docs).
pub fn copy(from: &Path, to: &Path) -> Result<Copied> {
    if from == to {
        return Err(StoreError::Invalid("a database cannot be copied onto itself".into()));
    }
    let source = match from.to_str().filter(|l| crate::postgres::is_url(l)) {
        Some(url) => Engine::Postgres(Box::new(PostgresStore::open(url)?)),
        None if !from.is_file() => return Err(StoreError::Invalid(format!("{}: no such database", from.display()))),
        None => Engine::Sqlite(SqliteStore::open(from)?),
    };
    let key = match &source {
        Engine::Sqlite(s) => s.audit_key.clone(),
        Engine::Postgres(p) => p.audit_key.clone(),
    };
    let key_path = key_location(to);
    if let Some(path) = &key_path {
        give_key(path, &key)?;
    }
    let mut target = match to.to_str().filter(|l| crate::postgres::is_url(l)) {
        Some(url) => Engine::Postgres(Box::new(PostgresStore::connect(url, key.clone())?)),
        None => Engine::Sqlite(SqliteStore::connect(to, key.clone())?),
    };
    let mut copied = Vec::new();
    let mut all = Vec::new();
    for table in tables() {
        if target.count(table)? > 0 {
            return Err(StoreError::Invalid(format!(
                "{}: the target is not empty (table {table} has rows); copy into a new database",
                to.display()
            )));
        }
        let rows = source.read(table)?;
        copied.push((table.to_string(), rows.rows.len()));
        all.push((table, rows));
    }
    target.write(&all)?;
    drop(target);
    // Opened as every command opens it: the key must be the log's, and the chain must hold.
    let opened = crate::open(to)?;
    let audit_entries = opened
        .verify_audit(None)?
        .map_err(|b| StoreError::Invalid(format!("the copy's audit log does not verify: {b:?}")))?;
    Ok(Copied { rows: copied, audit_entries })
}

/// Where the target will look for its audit key, unless an environment variable names it for
/// every database (then source and target share it already).
fn key_location(to: &Path) -> Option<std::path::PathBuf> {
    if std::env::var_os("OBSERVA_AUDIT_KEY").is_some() || std::env::var_os("OBSERVA_AUDIT_KEY_FILE").is_some() {
        return None;
    }
    Some(crate::audit_key_path(to))
}

/// Puts `key` at `path`, or checks that the key already there is the same.
fn give_key(path: &Path, key: &AuditKey) -> Result<()> {
    let bad = |e: String| StoreError::Invalid(format!("audit key {}: {e}", path.display()));
    match std::fs::read_to_string(path) {
        Ok(text) if AuditKey::parse(&text).map_err(bad)?.fingerprint() == key.fingerprint() => Ok(()),
        Ok(_) => {
            Err(bad("holds another key than the source's; move it away or name the key with OBSERVA_AUDIT_KEY".into()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => crate::audit::write_key(path, key).map_err(bad),
        Err(e) => Err(bad(e.to_string())),
    }
}

impl Engine {
    fn count(&self, table: &str) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        match self {
            Engine::Sqlite(s) => Ok(s.conn.query_row(&sql, [], |r| r.get(0))?),
            Engine::Postgres(p) => p.run(|c| Ok(c.query_one(&sql, &[])?.get(0))),
        }
    }

    fn read(&self, table: &str) -> Result<Rows> {
        match self {
            Engine::Sqlite(s) => {
                let columns: Vec<String> =
                    crate::rows::column_types(&s.conn, table)?.into_iter().map(|(n, _)| n).collect();
                let mut stmt = s.conn.prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))?;
                let rows = stmt
                    .query_map([], |r| {
                        (0..columns.len())
                            .map(|i| {
                                Ok(match r.get_ref(i)? {
                                    rusqlite::types::ValueRef::Null => Cell::Null,
                                    rusqlite::types::ValueRef::Integer(n) => Cell::Integer(n),
                                    rusqlite::types::ValueRef::Real(f) => Cell::Text(f.to_string()),
                                    rusqlite::types::ValueRef::Text(t) => {
                                        Cell::Text(String::from_utf8_lossy(t).into_owned())
                                    }
                                    rusqlite::types::ValueRef::Blob(b) => Cell::Blob(b.to_vec()),
                                })
                            })
                            .collect()
                    })?
                    .collect::<Result<_, _>>()?;
                Ok(Rows { columns, rows })
            }
            Engine::Postgres(p) => {
                let types = crate::postgres::rows_of(p, table)?;
                let list: Vec<String> = types
                    .iter()
                    .map(|(n, ty)| match ty.as_str() {
                        "BOOLEAN" => format!("\"{n}\"::int::int8"),
                        "INTEGER" | "BLOB" => format!("\"{n}\""),
                        _ => format!("\"{n}\"::text"),
                    })
                    .collect();
                let order = if TABLES.contains(&table) || table == "sign_in_attempts" { "_row" } else { "1" };
                let sql = format!("SELECT {} FROM {table} ORDER BY {order}", list.join(", "));
                let found = p.run(|c| Ok(c.query(&sql, &[])?))?;
                let rows = found
                    .iter()
                    .map(|r| {
                        types
                            .iter()
                            .enumerate()
                            .map(|(i, (_, ty))| match ty.as_str() {
                                "INTEGER" | "BOOLEAN" => r.get::<_, Option<i64>>(i).map_or(Cell::Null, Cell::Integer),
                                "BLOB" => r.get::<_, Option<Vec<u8>>>(i).map_or(Cell::Null, Cell::Blob),
                                _ => r.get::<_, Option<String>>(i).map_or(Cell::Null, Cell::Text),
                            })
                            .collect()
                    })
                    .collect();
                Ok(Rows { columns: types.into_iter().map(|(n, _)| n).collect(), rows })
            }
        }
    }

    /// Writes every table in one transaction: all of it, or nothing.
    fn write(&mut self, all: &[(&str, Rows)]) -> Result<()> {
        match self {
            Engine::Sqlite(s) => {
                let tx = s.conn.transaction()?;
                for (table, rows) in all {
                    let names: Vec<String> = rows.columns.iter().map(|c| format!("\"{c}\"")).collect();
                    let marks = vec!["?"; names.len()].join(", ");
                    let mut stmt =
                        tx.prepare(&format!("INSERT INTO {table} ({}) VALUES ({marks})", names.join(", ")))?;
                    for row in &rows.rows {
                        let values = row.iter().map(|c| match c {
                            Cell::Null => rusqlite::types::Value::Null,
                            Cell::Integer(n) => rusqlite::types::Value::Integer(*n),
                            Cell::Text(t) => rusqlite::types::Value::Text(t.clone()),
                            Cell::Blob(b) => rusqlite::types::Value::Blob(b.clone()),
                        });
                        stmt.execute(rusqlite::params_from_iter(values))
                            .map_err(|e| StoreError::Table { table: table.to_string(), message: e.to_string() })?;
                    }
                }
                tx.commit()?;
                Ok(())
            }
            Engine::Postgres(p) => {
                let types: Vec<Vec<(String, String)>> =
                    all.iter().map(|(t, _)| crate::postgres::rows_of(p, t)).collect::<Result<_>>()?;
                p.run(|c| {
                    let mut tx = c.transaction()?;
                    for ((table, rows), types) in all.iter().zip(&types) {
                        write_pg(&mut tx, table, rows, types)?;
                    }
                    for (table, column) in SERIALS {
                        tx.batch_execute(&format!(
                            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), COALESCE(MAX({column}), 0) + 1, false) FROM {table}"
                        ))?;
                    }
                    tx.commit()?;
                    Ok(())
                })
            }
        }
    }
}

fn write_pg(tx: &mut postgres::Transaction, table: &str, rows: &Rows, types: &[(String, String)]) -> Result<()> {
    let ty = |c: &str| types.iter().find(|(n, _)| n == c).map_or("TEXT", |(_, t)| t.as_str()).to_string();
    let column_types: Vec<String> = rows.columns.iter().map(|c| ty(c)).collect();
    let names: Vec<String> = rows.columns.iter().map(|c| format!("\"{c}\"")).collect();
    let marks: Vec<String> = column_types
        .iter()
        .enumerate()
        .map(|(i, t)| match t.as_str() {
            "INTEGER" => format!("${}::bigint", i + 1),
            "BOOLEAN" => format!("${}::boolean", i + 1),
            "BLOB" => format!("${}::bytea", i + 1),
            _ => format!("${}::text", i + 1),
        })
        .collect();
    let statement = tx.prepare(&format!("INSERT INTO {table} ({}) VALUES ({})", names.join(", "), marks.join(", ")))?;
    for row in &rows.rows {
        let values: Vec<Box<dyn ToSql + Sync>> = row
            .iter()
            .zip(&column_types)
            .map(|(cell, t)| -> Box<dyn ToSql + Sync> {
                match (t.as_str(), cell) {
                    ("INTEGER", Cell::Integer(n)) => Box::new(*n),
                    ("INTEGER", _) => Box::new(None::<i64>),
                    ("BOOLEAN", Cell::Integer(n)) => Box::new(*n != 0),
                    ("BOOLEAN", _) => Box::new(None::<bool>),
                    ("BLOB", Cell::Blob(b)) => Box::new(b.clone()),
                    ("BLOB", _) => Box::new(None::<Vec<u8>>),
                    (_, Cell::Text(s)) => Box::new(s.clone()),
                    (_, Cell::Integer(n)) => Box::new(n.to_string()),
                    (_, _) => Box::new(None::<String>),
                }
            })
            .collect();
        let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v.as_ref()).collect();
        tx.execute(&statement, &params)
            .map_err(|e| StoreError::Table { table: table.to_string(), message: e.to_string() })?;
    }
    Ok(())
}
