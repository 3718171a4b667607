//! The PostgreSQL implementation of the storage traits: for a database shared by several
//! `observa serve` processes. It answers exactly as [`crate::SqliteStore`] does (same tables,
//! columns, JSON shapes); only the SQL differs.
//!
//! - **Threads.** The synchronous `postgres` client drives its connection with a runtime of its
//!   own (`block_on`), which panics inside a tokio runtime, and the web layer calls the store from
//!   tokio worker threads. So every call runs on a short-lived scoped thread of its own
//!   ([`PostgresStore::run`]): no tokio context there, and borrowed arguments need no copy.
//! - **One writer at a time.** Every writing transaction starts with
//!   `LOCK TABLE audit IN EXCLUSIVE MODE` ([`PostgresStore::write`]): writers from every process
//!   queue on it (readers do not), so a versioned save reads its version under the lock (no lost
//!   update between processes), and the audit chain stays one chain. PostgreSQL's default READ
//!   COMMITTED gives each later statement a snapshot taken after the lock was granted.
//! - **Migrations** are `migrations/postgres/*.sql`, applied in order, each once, under an
//!   advisory lock so that two processes starting together do not both apply them.
//! - **Audit key**: `OBSERVA_AUDIT_KEY`, `OBSERVA_AUDIT_KEY_FILE`, or else the file
//!   `<database name>.audit-key` in the current directory (made at the first start).

mod accounts;
mod audit;
mod consultation;
mod design;
mod history;
mod monitoring;
mod outbox;
mod registry;
mod rows;

use std::collections::HashMap;
use std::sync::Mutex;

use observa_domain::audit::AuditKey;
use postgres::{Client, NoTls, Transaction};

use crate::{Result, StoreError};

/// Embedded migrations, in order. Append new files; never edit an applied one.
pub const MIGRATIONS: [(&str, &str); 5] = [
    ("0001_schema", include_str!("../../migrations/postgres/0001_schema.sql")),
    ("0002_translations", include_str!("../../migrations/postgres/0002_translations.sql")),
    ("0004_monitoring", include_str!("../../migrations/postgres/0004_monitoring.sql")),
    ("0005_outbox_delivery", include_str!("../../migrations/postgres/0005_outbox_delivery.sql")),
    ("0006_plan_drafts", include_str!("../../migrations/postgres/0006_plan_drafts.sql")),
];

/// Columns of every table as (name, declared type: TEXT, INTEGER, BOOLEAN, JSONTEXT, BLOB), in
/// the table's order, without the hidden `_row`.
pub(crate) type Columns = HashMap<String, Vec<(String, String)>>;

pub struct PostgresStore {
    /// Always `Some` until dropped (the drop, too, must happen off any tokio thread).
    client: Mutex<Option<Client>>,
    pub(crate) audit_key: AuditKey,
    pub(crate) columns: Columns,
}

/// Whether `location` names a PostgreSQL database rather than a SQLite file.
pub fn is_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// The database name of a URL (`postgres://user@host:port/NAME?...`), for the audit key's file.
pub fn database_name(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.split_once('/').map_or("", |(_, p)| p);
    let name = path.split(['?', '#']).next().unwrap_or("");
    if name.is_empty() {
        "postgres".to_string()
    } else {
        name.to_string()
    }
}

impl PostgresStore {
    /// Connects, brings the schema up to date and finds the audit key (see the module's docs).
    pub fn open(url: &str) -> Result<Self> {
        let name = database_name(url);
        let key_at = std::path::Path::new(&name);
        let (key, created) = crate::audit::load_or_create_key(key_at)?;
        if created {
            eprintln!(
                "made the audit key {} (it signs the audit log; keep a copy with the backups, away from the database)",
                crate::audit::key_path(key_at).display()
            );
        }
        Self::open_with_key(url, key, &crate::audit::key_path(key_at).display().to_string())
    }

    /// [`PostgresStore::open`] with a given audit key; `key_file` says where it is kept, for the
    /// log's `audit-key-installed` entry.
    pub fn open_with_key(url: &str, key: AuditKey, key_file: &str) -> Result<Self> {
        let store = Self::connect(url, key)?;
        store.write(|tx| audit::install(tx, &store.audit_key, key_file))?;
        store.write(history::begin)?;
        Ok(store)
    }

    /// Connects with a given audit key and applies the migrations, writing nothing else (tests,
    /// and `observa copy`, which fills an empty database entry by entry).
    pub fn connect(url: &str, audit_key: AuditKey) -> Result<Self> {
        let mut store = Self::bare(url, audit_key)?;
        store.migrate()?;
        store.columns = store.run(rows::columns)?;
        Ok(store)
    }

    /// Connects and applies the migrations; returns the names of those applied now.
    pub fn connect_migrated(url: &str) -> Result<Vec<String>> {
        Self::bare(url, crate::audit::random_key())?.migrate()
    }

    fn bare(url: &str, audit_key: AuditKey) -> Result<Self> {
        let open_err = |e: postgres::Error| StoreError::Open { path: redact(url), message: engine_message(&e) };
        let client = on_own_thread(|| Client::connect(url, NoTls)).map_err(open_err)?;
        Ok(PostgresStore { client: Mutex::new(Some(client)), audit_key, columns: HashMap::new() })
    }

    /// Applies the migrations not applied yet; returns the names of those it applied.
    pub fn migrate(&self) -> Result<Vec<String>> {
        self.run(|c| {
            // One process migrates at a time; the others wait and then find nothing to do.
            c.batch_execute("SELECT pg_advisory_lock(4242001)")?;
            let applied = apply_migrations(c);
            c.batch_execute("SELECT pg_advisory_unlock(4242001)")?;
            applied
        })
    }

    /// Runs `f` with the connection on a thread of its own (see the module's docs).
    pub(crate) fn run<T: Send>(&self, f: impl FnOnce(&mut Client) -> Result<T> + Send) -> Result<T> {
        let mut client = self.client.lock().unwrap_or_else(|p| p.into_inner());
        let client = client.as_mut().expect("a connection until dropped");
        on_own_thread(move || f(client))
    }

    /// Runs `f` in a transaction that holds the write lock, committing when it succeeds.
    pub(crate) fn write<T: Send>(&self, f: impl FnOnce(&mut Transaction) -> Result<T> + Send) -> Result<T> {
        self.run(|c| {
            let mut tx = c.transaction()?;
            lock(&mut tx)?;
            let value = f(&mut tx)?;
            tx.commit()?;
            Ok(value)
        })
    }

    /// Runs `f` in a read-only transaction (one snapshot for several statements).
    pub(crate) fn read<T: Send>(&self, f: impl FnOnce(&mut Transaction) -> Result<T> + Send) -> Result<T> {
        self.run(|c| {
            let mut tx = c
                .build_transaction()
                .read_only(true)
                .isolation_level(postgres::IsolationLevel::RepeatableRead)
                .start()?;
            let value = f(&mut tx)?;
            tx.commit()?;
            Ok(value)
        })
    }
}

impl Drop for PostgresStore {
    /// Closing the connection runs the client's runtime too: off this thread.
    fn drop(&mut self) {
        let client = self.client.get_mut().unwrap_or_else(|p| p.into_inner()).take();
        on_own_thread(move || drop(client));
    }
}

/// The columns of `table` (see [`Columns`]).
pub(crate) fn rows_of(store: &PostgresStore, table: &str) -> Result<Vec<(String, String)>> {
    Ok(rows::of(&store.columns, table)?.to_vec())
}

/// The write lock every writing transaction takes first.
pub(crate) fn lock(tx: &mut Transaction) -> Result<()> {
    tx.batch_execute("LOCK TABLE audit IN EXCLUSIVE MODE")?;
    Ok(())
}

fn apply_migrations(c: &mut Client) -> Result<Vec<String>> {
    c.batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at text NOT NULL)")?;
    let mut applied = Vec::new();
    for (name, sql) in MIGRATIONS {
        if c.query_opt("SELECT name FROM schema_migrations WHERE name = $1", &[&name])?.is_some() {
            continue;
        }
        let err = |e: postgres::Error| StoreError::Migration { name: name.to_string(), message: engine_message(&e) };
        let mut tx = c.transaction().map_err(err)?;
        tx.batch_execute(sql).map_err(err)?;
        tx.execute(
            "INSERT INTO schema_migrations VALUES ($1, to_char(now() AT TIME ZONE 'utc', 'YYYY-MM-DD HH24:MI:SS'))",
            &[&name],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        applied.push(name.to_string());
    }
    Ok(applied)
}

/// Runs `f` on a new thread and waits for it: a thread that is not inside any tokio runtime.
fn on_own_thread<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(f).join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
}

/// The server's own message (with its SQLSTATE) rather than the client's terse "db error".
fn engine_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!(
            "{} ({}){}",
            db.message(),
            db.code().code(),
            db.detail().map(|d| format!(": {d}")).unwrap_or_default()
        ),
        None => e.to_string(),
    }
}

/// A URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.split_once("://"), url.rfind('@')) {
        (Some((scheme, rest)), Some(_)) => {
            let (user, host) = rest.rsplit_once('@').expect("an @");
            format!("{scheme}://{}@{host}", user.split(':').next().unwrap_or(""))
        }
        _ => url.to_string(),
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        StoreError::Engine(engine_message(&e))
    }
}

/// Now, as the SQLite engine writes it (RFC 3339, milliseconds, UTC).
pub(crate) fn now_millis() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_url_names_its_database_and_hides_its_password() {
        assert_eq!(super::database_name("postgres://u@h:5432/observa?sslmode=disable"), "observa");
        assert_eq!(super::database_name("postgresql://u@h"), "postgres");
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u@h/db");
        assert!(super::is_url("postgresql://x") && !super::is_url("observa.db"));
    }
}
