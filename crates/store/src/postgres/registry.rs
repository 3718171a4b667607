//! [`Store`] for PostgreSQL: the registry with its history, editorial blocks and annotations.
//! Versioned saves read the stored version under the write lock and with `FOR UPDATE`, so two
//! saves from one version, from any two processes, cannot both pass.

use observa_domain::editorial::{Annotation, AnnotationKind, EditorialBlock};
use observa_domain::history::{AsOf, Change, Origin, Version};
use observa_domain::{Dataset, Lang};
use postgres::types::ToSql;
use postgres::{GenericClient, Transaction};
use serde_json::Value;

use super::rows::{read_rows, read_text};
use super::{history, Columns, PostgresStore};
use crate::rows::TABLES;
use crate::{Result, Store, StoreError, Table};

/// The current registry, from the registry tables.
fn load(c: &mut impl GenericClient, columns: &Columns) -> Result<Dataset> {
    let mut object = serde_json::Map::new();
    for table in TABLES {
        object.insert(table.to_string(), Value::Array(read_rows(c, columns, table)?));
    }
    serde_json::from_value(Value::Object(object)).map_err(|e| StoreError::Invalid(e.to_string()))
}

impl PostgresStore {
    /// Makes the registry equal to `dataset` inside the caller's locked transaction, record by
    /// record, as SQLite's `write_registry`.
    fn write_registry(&self, tx: &mut Transaction, dataset: &Dataset, origin: &Origin) -> Result<usize> {
        let changes = observa_domain::history::diff(&load(tx, &self.columns)?, dataset).map_err(StoreError::Invalid)?;
        history::apply(self, tx, &changes, origin)?;
        tx.execute(
            "INSERT INTO meta VALUES ('origin', $1), ('seeded_at', to_char(now() AT TIME ZONE 'utc', 'YYYY-MM-DD HH24:MI:SS'))
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&origin.established_by],
        )?;
        let after = serde_json::json!({ "records_changed": changes.len(), "cycle": origin.cycle }).to_string();
        super::audit::append(
            tx,
            &self.audit_key,
            &origin.actor,
            "write-registry",
            &origin.established_by,
            None,
            Some(&after),
        )?;
        Ok(changes.len())
    }
}

impl Store for PostgresStore {
    fn is_seeded(&self) -> Result<bool> {
        self.run(|c| Ok(c.query_one("SELECT EXISTS (SELECT 1 FROM states)", &[])?.get(0)))
    }

    fn write_dataset(&mut self, dataset: &Dataset, origin: &Origin) -> Result<usize> {
        self.write(|tx| self.write_registry(tx, dataset, origin))
    }

    fn replace_all(&mut self, dataset: &Dataset, established_by: &str) -> Result<usize> {
        let cycle: Option<i64> = self.run(|c| Ok(c.query_one("SELECT MAX(year) FROM cycles", &[])?.get(0)))?;
        let origin = Origin {
            cycle: cycle.and_then(|c| i32::try_from(c).ok()).unwrap_or(2014),
            effective: chrono::Utc::now().date_naive(),
            established_by: established_by.to_string(),
            actor: crate::sqlite::actor(),
        };
        self.write_dataset(dataset, &origin)
    }

    fn write_changes(&mut self, changes: &[Change], origin: &Origin) -> Result<()> {
        self.write(|tx| history::apply(self, tx, changes, origin))
    }

    fn load(&self) -> Result<Dataset> {
        self.read(|tx| load(tx, &self.columns))
    }

    fn load_part(&self, code: &str) -> Result<Dataset> {
        let columns = &self.columns;
        self.read(|tx| {
            let fetch = |table: &'static str, which: &observa_domain::part::Rows| {
                super::rows::read_some(&mut *tx, columns, table, which)
            };
            observa_domain::part::part(code, fetch, StoreError::Invalid)
        })
    }

    fn history(&self, as_of: AsOf) -> Result<Vec<Version>> {
        self.run(|c| history::versions(c, as_of))
    }

    fn versions_after(&self, seq: i64) -> Result<(Vec<Version>, i64)> {
        self.run(|c| history::versions_after(c, seq))
    }

    fn restore_history(&mut self, versions: &[Version], established_by: &str) -> Result<usize> {
        self.write(|tx| {
            let appended = history::append_versions(tx, versions)?;
            let whole = observa_domain::history::rebuild(versions, AsOf::Now).map_err(StoreError::Invalid)?;
            let changes =
                observa_domain::history::diff(&load(tx, &self.columns)?, &whole).map_err(StoreError::Invalid)?;
            history::apply_current(tx, &self.columns, &changes)?;
            tx.execute(
                "INSERT INTO meta VALUES ('origin', $1), ('seeded_at', to_char(now() AT TIME ZONE 'utc', 'YYYY-MM-DD HH24:MI:SS'))
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[&established_by],
            )?;
            let after =
                serde_json::json!({ "versions_appended": appended, "records_changed": changes.len() }).to_string();
            let actor = crate::sqlite::actor();
            super::audit::append(tx, &self.audit_key, &actor, "restore-history", established_by, None, Some(&after))?;
            Ok(appended)
        })
    }

    fn audit(&self) -> Result<Vec<observa_domain::audit::AuditEntry>> {
        crate::AuditLog::audit_from(self, 0, usize::MAX >> 1)
    }

    fn tables(&self) -> Result<Vec<Table>> {
        self.read(|tx| TABLES.iter().map(|t| read_text(tx, &self.columns, t)).collect())
    }

    fn data_version(&self) -> Result<i64> {
        self.run(|c| Ok(c.query_one(crate::DATA_VERSION, &[])?.get(0)))
    }

    fn editorial(&self, cycle: i32) -> Result<Vec<EditorialBlock>> {
        let rows = self.run(|c| {
            Ok(c.query(
                "SELECT key, lang, body, source, version, updated_at, updated_by FROM editorial WHERE cycle = $1
                 ORDER BY key COLLATE \"C\", lang COLLATE \"C\"",
                &[&i64::from(cycle)],
            )?)
        })?;
        Ok(rows
            .iter()
            .map(|r| {
                let lang: String = r.get(1);
                EditorialBlock {
                    cycle,
                    key: r.get(0),
                    lang: Lang::ALL.into_iter().find(|l| l.code() == lang).unwrap_or(Lang::En),
                    body: r.get(2),
                    source: r.get(3),
                    version: r.get(4),
                    updated_at: r.get(5),
                    updated_by: r.get(6),
                }
            })
            .collect())
    }

    fn save_editorial(&mut self, block: &EditorialBlock, actor: &str) -> Result<i64> {
        block.check().map_err(StoreError::Invalid)?;
        let (cycle, lang) = (i64::from(block.cycle), block.lang.code());
        let saved = Saved {
            subject: format!("editorial/{}/{}/{}", block.cycle, block.key, lang),
            action: "save-editorial",
            actor,
            based_on: block.version,
            body: &block.body,
            select: "SELECT version, body FROM editorial WHERE cycle = $1 AND key = $2 AND lang = $3 FOR UPDATE",
            keys: &[&cycle, &block.key, &lang],
        };
        self.save_versioned(saved, |tx, version, at| {
            tx.execute(
                "INSERT INTO editorial (cycle, key, lang, body, source, version, updated_at, updated_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (cycle, key, lang) DO UPDATE SET body = excluded.body, source = excluded.source,
                     version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                &[&cycle, &block.key, &lang, &block.body, &block.source, &version, &at, &actor],
            )
        })
    }

    fn annotations(&self, cycle: i32) -> Result<Vec<Annotation>> {
        let rows = self.run(|c| {
            Ok(c.query(
                "SELECT kind, subject, body, version, updated_at, updated_by FROM annotations WHERE cycle = $1
                 ORDER BY kind COLLATE \"C\", subject COLLATE \"C\"",
                &[&i64::from(cycle)],
            )?)
        })?;
        Ok(rows
            .iter()
            .map(|r| Annotation {
                cycle,
                kind: AnnotationKind::parse(&r.get::<_, String>(0)).unwrap_or(AnnotationKind::RioReply),
                subject: r.get(1),
                body: r.get(2),
                version: r.get(3),
                updated_at: r.get(4),
                updated_by: r.get(5),
            })
            .collect())
    }

    fn save_annotation(&mut self, a: &Annotation, actor: &str) -> Result<i64> {
        a.check().map_err(StoreError::Invalid)?;
        let (cycle, kind) = (i64::from(a.cycle), a.kind.code());
        let saved = Saved {
            subject: format!("annotation/{}/{}/{}", a.cycle, kind, a.subject),
            action: "save-annotation",
            actor,
            based_on: a.version,
            body: &a.body,
            select: "SELECT version, body FROM annotations WHERE cycle = $1 AND kind = $2 AND subject = $3 FOR UPDATE",
            keys: &[&cycle, &kind, &a.subject],
        };
        self.save_versioned(saved, |tx, version, at| {
            tx.execute(
                "INSERT INTO annotations (cycle, kind, subject, body, version, updated_at, updated_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (cycle, kind, subject) DO UPDATE SET body = excluded.body, version = excluded.version,
                     updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                &[&cycle, &kind, &a.subject, &a.body, &version, &at, &actor],
            )
        })
    }
}

/// A versioned save: what it reads, and what it writes to the audit log.
struct Saved<'a> {
    subject: String,
    action: &'a str,
    actor: &'a str,
    based_on: i64,
    body: &'a str,
    /// Reads the stored (version, body) and locks the row.
    select: &'a str,
    keys: &'a [&'a (dyn ToSql + Sync)],
}

impl PostgresStore {
    /// A save based on another version than the stored one is [`StoreError::Conflict`] and
    /// changes nothing; otherwise `write` stores the next version and the audit log gets the
    /// before and after, in one transaction.
    fn save_versioned(
        &self,
        saved: Saved,
        write: impl FnOnce(&mut Transaction, i64, &str) -> Result<u64, postgres::Error> + Send,
    ) -> Result<i64> {
        self.write(|tx| {
            let stored: Option<(i64, String)> = tx.query_opt(saved.select, saved.keys)?.map(|r| (r.get(0), r.get(1)));
            let current = stored.as_ref().map_or(0, |s| s.0);
            if current != saved.based_on {
                return Err(StoreError::Conflict { subject: saved.subject.clone(), current, based_on: saved.based_on });
            }
            let version = current + 1;
            let at = super::now_millis();
            write(tx, version, &at)?;
            let before = stored.map(|(v, body)| serde_json::json!({ "version": v, "body": body }).to_string());
            let after = serde_json::json!({ "version": version, "body": saved.body }).to_string();
            super::audit::append(
                tx,
                &self.audit_key,
                saved.actor,
                saved.action,
                &saved.subject,
                before.as_deref(),
                Some(&after),
            )?;
            Ok(version)
        })
    }
}
