//! The SQLite implementation of [`Store`]: the embedded default.
//!
//! Durability: WAL journal with `synchronous=FULL`, so a write is on disk when it is
//! acknowledged and survives a crash of the process or of the machine. Foreign keys are on.
//! Migrations are embedded and applied in order, each once, in its own transaction.

use std::path::Path;

use observa_domain::audit::AuditEntry;
use observa_domain::editorial::{Annotation, AnnotationKind, EditorialBlock};
use observa_domain::history::{AsOf, Change, Origin, Version};
use observa_domain::{Dataset, Lang};
use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

use crate::rows::{read_rows, read_text, TABLES};
use crate::AuditLog;
use crate::{Result, Store, StoreError, Table};

/// Embedded migrations, in order. Append new files; never edit an applied one.
const MIGRATIONS: [(&str, &str); 17] = [
    ("0001_registry", include_str!("../migrations/sqlite/0001_registry.sql")),
    ("0002_audit", include_str!("../migrations/sqlite/0002_audit.sql")),
    ("0003_editorial", include_str!("../migrations/sqlite/0003_editorial.sql")),
    ("0004_accounts", include_str!("../migrations/sqlite/0004_accounts.sql")),
    ("0005_annotations", include_str!("../migrations/sqlite/0005_annotations.sql")),
    ("0006_consultation", include_str!("../migrations/sqlite/0006_consultation.sql")),
    ("0007_comments", include_str!("../migrations/sqlite/0007_comments.sql")),
    ("0008_outbox", include_str!("../migrations/sqlite/0008_outbox.sql")),
    ("0009_password_resets", include_str!("../migrations/sqlite/0009_password_resets.sql")),
    ("0010_attachments", include_str!("../migrations/sqlite/0010_attachments.sql")),
    ("0011_totp", include_str!("../migrations/sqlite/0011_totp.sql")),
    ("0012_hardening", include_str!("../migrations/sqlite/0012_hardening.sql")),
    ("0013_history", include_str!("../migrations/sqlite/0013_history.sql")),
    ("0014_translations", include_str!("../migrations/sqlite/0014_translations.sql")),
    ("0016_monitoring", include_str!("../migrations/sqlite/0016_monitoring.sql")),
    ("0017_outbox_delivery", include_str!("../migrations/sqlite/0017_outbox_delivery.sql")),
    ("0018_plan_drafts", include_str!("../migrations/sqlite/0018_plan_drafts.sql")),
];

pub struct SqliteStore {
    pub(crate) conn: Connection,
    /// The audit chain's secret key, kept outside the database (see [`crate::audit`]).
    pub(crate) audit_key: observa_domain::audit::AuditKey,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let (audit_key, created) = crate::audit::load_or_create_key(path)?;
        if created {
            eprintln!(
                "made the audit key {} (it signs the audit log; keep a copy with the backups, away from the database)",
                crate::audit::key_path(path).display()
            );
        }
        let mut store = Self::connect(path, audit_key)?;
        let key_file = crate::audit::key_path(path).display().to_string();
        crate::audit::install(&mut store.conn, &store.audit_key, &key_file)?;
        crate::history::begin(&mut store.conn)?;
        Ok(store)
    }

    /// Opens (creating if needed) the file with a given audit key and applies the migrations,
    /// writing nothing else (for `observa migrate` and `observa copy`).
    pub fn connect(path: &Path, audit_key: observa_domain::audit::AuditKey) -> Result<Self> {
        let mut store = Self::bare(path, audit_key)?;
        store.migrate()?;
        Ok(store)
    }

    /// The file opened with the engine's settings, its schema as found.
    pub(crate) fn bare(path: &Path, audit_key: observa_domain::audit::AuditKey) -> Result<Self> {
        let open_err =
            |e: rusqlite::Error| StoreError::Open { path: path.display().to_string(), message: e.to_string() };
        let conn = Connection::open(path).map_err(open_err)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
        )
        .map_err(open_err)?;
        Ok(SqliteStore { conn, audit_key })
    }

    /// An in-memory database, for tests.
    pub fn in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")?;
        let mut store = SqliteStore { conn, audit_key: crate::audit::random_key() };
        store.migrate()?;
        crate::audit::install(&mut store.conn, &store.audit_key, "(in memory)")?;
        Ok(store)
    }

    /// Applies the migrations not applied yet; returns the names of those it applied.
    pub fn migrate(&mut self) -> Result<Vec<String>> {
        let mut done = Vec::new();
        self.conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
        )?;
        for (name, sql) in MIGRATIONS {
            let applied: Option<String> = self
                .conn
                .query_row("SELECT name FROM schema_migrations WHERE name = ?1", [name], |r| r.get(0))
                .optional()?;
            if applied.is_some() {
                continue;
            }
            let err = |e: rusqlite::Error| StoreError::Migration { name: name.to_string(), message: e.to_string() };
            let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(err)?;
            tx.execute_batch(sql).map_err(err)?;
            if sql.contains("PRAGMA writable_schema = ON") {
                // A migration that rewrites a stored definition (0016 widens a CHECK) must bump
                // the schema version, or connections keep the definition they parsed
                // (https://sqlite.org/lang_altertable.html, step 3 of "otheralter").
                let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0)).map_err(err)?;
                tx.execute_batch(&format!("PRAGMA schema_version = {}", version + 1)).map_err(err)?;
            }
            tx.execute("INSERT INTO schema_migrations VALUES (?1, datetime('now'))", [name]).map_err(err)?;
            tx.commit().map_err(err)?;
            done.push(name.to_string());
        }
        Ok(done)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Engine(e.to_string())
    }
}

/// Who writes, for the audit log: the operating-system user of the command line (the web
/// interface will pass its signed-in account).
pub(crate) fn actor() -> String {
    format!("cli:{}", std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "unknown".into()))
}

/// The current registry, from the registry tables.
fn load(conn: &Connection) -> Result<Dataset> {
    let mut object = serde_json::Map::new();
    for table in TABLES {
        object.insert(table.to_string(), Value::Array(read_rows(conn, table)?));
    }
    serde_json::from_value(Value::Object(object)).map_err(|e| StoreError::Invalid(e.to_string()))
}

/// Appends one keyed, hash-chained entry to the audit log (inside the caller's transaction).
pub(crate) fn append_audit(
    key: &observa_domain::audit::AuditKey,
    conn: &Connection,
    actor: String,
    action: &str,
    subject: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<()> {
    crate::audit::append(conn, key, actor, action, subject, before, after)
}

impl Store for SqliteStore {
    fn is_seeded(&self) -> Result<bool> {
        Ok(self.conn.query_row("SELECT EXISTS (SELECT 1 FROM states)", [], |r| r.get(0))?)
    }

    fn write_dataset(&mut self, dataset: &Dataset, origin: &Origin) -> Result<usize> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let n = write_registry(&self.audit_key, &tx, dataset, origin)?;
        tx.commit()?;
        Ok(n)
    }

    fn replace_all(&mut self, dataset: &Dataset, established_by: &str) -> Result<usize> {
        let cycle: Option<i32> = self.conn.query_row("SELECT MAX(year) FROM cycles", [], |r| r.get(0))?;
        let origin = Origin {
            cycle: cycle.unwrap_or(2014),
            effective: chrono::Utc::now().date_naive(),
            established_by: established_by.to_string(),
            actor: actor(),
        };
        self.write_dataset(dataset, &origin)
    }

    fn write_changes(&mut self, changes: &[Change], origin: &Origin) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        crate::history::apply(&self.audit_key, &tx, changes, origin)?;
        tx.commit()?;
        Ok(())
    }

    fn audit(&self) -> Result<Vec<AuditEntry>> {
        self.audit_from(0, usize::MAX >> 1)
    }

    fn load(&self) -> Result<Dataset> {
        load(&self.conn)
    }

    fn load_part(&self, code: &str) -> Result<Dataset> {
        observa_domain::part::part(
            code,
            |table, which| crate::rows::read_some(&self.conn, table, which),
            StoreError::Invalid,
        )
    }

    fn history(&self, as_of: AsOf) -> Result<Vec<Version>> {
        crate::history::versions(&self.conn, as_of)
    }

    fn versions_after(&self, seq: i64) -> Result<(Vec<Version>, i64)> {
        crate::history::versions_after(&self.conn, seq)
    }

    fn restore_history(&mut self, versions: &[Version], established_by: &str) -> Result<usize> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let appended = crate::history::append_versions(&tx, versions)?;
        let whole = observa_domain::history::rebuild(versions, AsOf::Now).map_err(StoreError::Invalid)?;
        let changes = observa_domain::history::diff(&load(&tx)?, &whole).map_err(StoreError::Invalid)?;
        crate::history::apply_current(&tx, &changes)?;
        tx.execute(
            "INSERT INTO meta VALUES ('origin', ?1), ('seeded_at', datetime('now'))
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [established_by],
        )?;
        let after = serde_json::json!({ "versions_appended": appended, "records_changed": changes.len() }).to_string();
        append_audit(&self.audit_key, &tx, actor(), "restore-history", established_by, None, Some(&after))?;
        tx.commit()?;
        Ok(appended)
    }

    fn tables(&self) -> Result<Vec<Table>> {
        TABLES.iter().map(|t| read_text(&self.conn, t)).collect()
    }

    fn data_version(&self) -> Result<i64> {
        Ok(self.conn.query_row(crate::DATA_VERSION, [], |r| r.get(0))?)
    }

    fn editorial(&self, cycle: i32) -> Result<Vec<EditorialBlock>> {
        let mut stmt = self.conn.prepare(
            "SELECT key, lang, body, source, version, updated_at, updated_by FROM editorial WHERE cycle = ?1 ORDER BY key, lang",
        )?;
        let rows = stmt.query_map([cycle], |r| {
            let lang: String = r.get(1)?;
            Ok(EditorialBlock {
                cycle,
                key: r.get(0)?,
                lang: Lang::ALL.into_iter().find(|l| l.code() == lang).unwrap_or(Lang::En),
                body: r.get(2)?,
                source: r.get(3)?,
                version: r.get(4)?,
                updated_at: r.get(5)?,
                updated_by: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn save_editorial(&mut self, block: &EditorialBlock, actor: &str) -> Result<i64> {
        block.check().map_err(StoreError::Invalid)?;
        let subject = format!("editorial/{}/{}/{}", block.cycle, block.key, block.lang.code());
        let keys = rusqlite::params![block.cycle, block.key, block.lang.code()];
        let select = "SELECT version, body FROM editorial WHERE cycle = ?1 AND key = ?2 AND lang = ?3";
        let saved = Saved { subject, action: "save-editorial", actor, based_on: block.version, body: &block.body };
        save_versioned(&self.audit_key, &mut self.conn, (select, keys), saved, |tx, version, at| {
            tx.execute(
                "INSERT INTO editorial (cycle, key, lang, body, source, version, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (cycle, key, lang) DO UPDATE SET body = excluded.body, source = excluded.source,
                     version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                rusqlite::params![
                    block.cycle,
                    block.key,
                    block.lang.code(),
                    block.body,
                    block.source,
                    version,
                    at,
                    actor
                ],
            )
        })
    }

    fn annotations(&self, cycle: i32) -> Result<Vec<Annotation>> {
        let mut stmt = self.conn.prepare(
            "SELECT kind, subject, body, version, updated_at, updated_by FROM annotations WHERE cycle = ?1 ORDER BY kind, subject",
        )?;
        let rows = stmt.query_map([cycle], |r| {
            let kind: String = r.get(0)?;
            Ok(Annotation {
                cycle,
                kind: AnnotationKind::parse(&kind).unwrap_or(AnnotationKind::RioReply),
                subject: r.get(1)?,
                body: r.get(2)?,
                version: r.get(3)?,
                updated_at: r.get(4)?,
                updated_by: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn save_annotation(&mut self, a: &Annotation, actor: &str) -> Result<i64> {
        a.check().map_err(StoreError::Invalid)?;
        let subject = format!("annotation/{}/{}/{}", a.cycle, a.kind.code(), a.subject);
        let keys = rusqlite::params![a.cycle, a.kind.code(), a.subject];
        let select = "SELECT version, body FROM annotations WHERE cycle = ?1 AND kind = ?2 AND subject = ?3";
        let saved = Saved { subject, action: "save-annotation", actor, based_on: a.version, body: &a.body };
        save_versioned(&self.audit_key, &mut self.conn, (select, keys), saved, |tx, version, at| {
            tx.execute(
                "INSERT INTO annotations (cycle, kind, subject, body, version, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (cycle, kind, subject) DO UPDATE SET body = excluded.body, version = excluded.version,
                     updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                rusqlite::params![a.cycle, a.kind.code(), a.subject, a.body, version, at, actor],
            )
        })
    }
}

/// What a versioned save writes to the audit log.
struct Saved<'a> {
    subject: String,
    action: &'a str,
    actor: &'a str,
    based_on: i64,
    body: &'a str,
}

/// A save of a versioned text: `select` reads the stored (version, body); a save based on another
/// version is refused with [`StoreError::Conflict`] and changes nothing; otherwise `write` stores
/// the next version and the audit log gets the before and after, in one transaction.
fn save_versioned(
    key: &observa_domain::audit::AuditKey,
    conn: &mut Connection,
    (select, keys): (&str, &[&dyn rusqlite::ToSql]),
    saved: Saved,
    write: impl FnOnce(&rusqlite::Transaction, i64, &str) -> rusqlite::Result<usize>,
) -> Result<i64> {
    // IMMEDIATE takes the write lock before reading the version, so two saves from the same
    // version cannot both pass the check.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let stored: Option<(i64, String)> = tx.query_row(select, keys, |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
    let current = stored.as_ref().map_or(0, |s| s.0);
    if current != saved.based_on {
        return Err(StoreError::Conflict { subject: saved.subject, current, based_on: saved.based_on });
    }
    let version = current + 1;
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    write(&tx, version, &at)?;
    let before = stored.map(|(v, body)| serde_json::json!({ "version": v, "body": body }).to_string());
    let after = serde_json::json!({ "version": version, "body": saved.body }).to_string();
    append_audit(key, &tx, saved.actor.to_string(), saved.action, &saved.subject, before.as_deref(), Some(&after))?;
    tx.commit()?;
    Ok(version)
}

/// Makes the registry equal to `dataset` inside the caller's transaction, record by record
/// (see [`crate::history::apply`]): `write_dataset`, and an import.
pub(crate) fn write_registry(
    key: &observa_domain::audit::AuditKey,
    tx: &rusqlite::Transaction,
    dataset: &Dataset,
    origin: &Origin,
) -> Result<usize> {
    let changes = observa_domain::history::diff(&load(tx)?, dataset).map_err(StoreError::Invalid)?;
    crate::history::apply(key, tx, &changes, origin)?;
    tx.execute(
        "INSERT INTO meta VALUES ('origin', ?1), ('seeded_at', datetime('now'))
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [&origin.established_by],
    )?;
    // One entry for the write as a whole (the records have theirs), so an import that changes
    // nothing is on record too.
    let after = serde_json::json!({ "records_changed": changes.len(), "cycle": origin.cycle }).to_string();
    append_audit(key, tx, origin.actor.clone(), "write-registry", &origin.established_by, None, Some(&after))?;
    Ok(changes.len())
}
