//! The audit log on PostgreSQL: the same keyed chain, head and checkpoints as `crate::audit`
//! (the hashing is `observa_domain::audit`'s). Entries are appended only inside transactions that
//! hold the write lock ([`super::lock`]), so two processes can never both take the same
//! sequence number or previous hash: one chain, whoever writes. Verification pages through the
//! log, so it never holds the whole log in memory.

use observa_domain::audit::{AuditEntry, AuditKey, Break, Checkpoint, Content, Head, Verifier, GENESIS, KEY_INSTALLED};
use postgres::{GenericClient, Row, Transaction};

use super::PostgresStore;
use crate::{AuditFilter, Result};

/// Makes sure the log's keyed part is under `key` (as SQLite's `install`), inside the caller's
/// locked transaction.
pub(crate) fn install(tx: &mut Transaction, key: &AuditKey, key_file: &str) -> Result<()> {
    let last: Option<Option<String>> = tx
        .query_opt("SELECT after FROM audit WHERE action = $1 ORDER BY seq DESC LIMIT 1", &[&KEY_INSTALLED])?
        .map(|r| r.get(0));
    let fingerprint = key.fingerprint();
    if last.as_ref().is_some_and(|f| f.as_deref() == Some(fingerprint.as_str())) {
        return Ok(());
    }
    if let Some(previous) = &last {
        eprintln!(
            "warning: the audit key {key_file} (fingerprint {fingerprint}) is not the key this database's audit log was \
             written with (fingerprint {}): the entries written before cannot be verified without that key.",
            previous.as_deref().unwrap_or("?")
        );
    }
    append(tx, key, "observa", KEY_INSTALLED, key_file, last.flatten().as_deref(), Some(&fingerprint))
}

/// Appends one entry (inside the caller's locked transaction) and moves the head to it.
pub(crate) fn append(
    tx: &mut Transaction,
    key: &AuditKey,
    actor: &str,
    action: &str,
    subject: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<()> {
    let (actor, subject) = (
        crate::audit::bounded(actor, crate::audit::MAX_ACTOR),
        crate::audit::bounded(subject, crate::audit::MAX_SUBJECT),
    );
    let bound = |t: &str| crate::audit::bounded(t, crate::audit::MAX_SUMMARY).into_owned();
    let (before, after) = (before.map(bound), after.map(bound));
    let (seq, prev): (i64, String) = tx
        .query_opt("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &[])?
        .map(|r| (r.get::<_, i64>(0) + 1, r.get(1)))
        .unwrap_or((1, GENESIS.to_string()));
    let at = super::now_millis();
    let content = Content {
        seq,
        at: &at,
        actor: &actor,
        action,
        subject: &subject,
        before: before.as_deref(),
        after: after.as_deref(),
    };
    let hash = content.mac(key, &prev);
    tx.execute(
        "INSERT INTO audit (seq, at, actor, action, subject, before, after, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[&seq, &at, &actor.as_ref(), &action, &subject.as_ref(), &before, &after, &prev, &hash],
    )?;
    let head = Head::new(key, seq, &hash);
    tx.execute(
        "INSERT INTO audit_head (one, seq, hash, mac) VALUES (1, $1, $2, $3)
         ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac",
        &[&head.seq, &head.hash, &head.mac],
    )?;
    Ok(())
}

const COLUMNS: &str = "seq, at, actor, action, subject, before, after, prev_hash, hash";

fn entry(r: &Row) -> AuditEntry {
    AuditEntry {
        seq: r.get(0),
        at: r.get(1),
        actor: r.get(2),
        action: r.get(3),
        subject: r.get(4),
        before: r.get(5),
        after: r.get(6),
        prev_hash: r.get(7),
        hash: r.get(8),
    }
}

fn from(c: &mut impl GenericClient, after: i64, limit: usize) -> Result<Vec<AuditEntry>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows =
        c.query(&format!("SELECT {COLUMNS} FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2"), &[&after, &limit])?;
    Ok(rows.iter().map(entry).collect())
}

/// The filter's parts as `ILIKE` patterns (wildcards typed by the visitor taken literally).
const FILTER: &str = "($2::text IS NULL OR actor ILIKE $2) AND ($3::text IS NULL OR action ILIKE $3) \
                      AND ($4::text IS NULL OR subject ILIKE $4)";

impl crate::AuditLog for PostgresStore {
    fn verify_audit(&self, checkpoint: Option<&Checkpoint>) -> Result<Result<usize, Break>> {
        // One snapshot: entries written while it runs are neither half-seen nor break the head.
        self.read(|tx| {
            let mut verifier = Verifier::new(Some(&self.audit_key), checkpoint);
            let mut last = 0;
            loop {
                let page = from(tx, last, 2000)?;
                let Some(end) = page.last().map(|e| e.seq) else { break };
                for e in &page {
                    if let Err(b) = verifier.push(e) {
                        return Ok(Err(b));
                    }
                }
                last = end;
            }
            let head = tx.query_opt("SELECT seq, hash, mac FROM audit_head", &[])?.map(|r| Head {
                seq: r.get(0),
                hash: r.get(1),
                mac: r.get(2),
            });
            Ok(verifier.finish(head.as_ref()))
        })
    }

    fn audit_checkpoint(&self) -> Result<Option<Checkpoint>> {
        let last = self.run(|c| Ok(c.query_opt("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &[])?))?;
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        Ok(last.map(|r| Checkpoint::new(&self.audit_key, r.get(0), &r.get::<_, String>(1), &now)))
    }

    fn audit_key_fingerprint(&self) -> String {
        self.audit_key.fingerprint()
    }

    fn audit_page(&self, filter: &AuditFilter, before: Option<i64>, limit: usize) -> Result<Vec<AuditEntry>> {
        let [actor, action, subject] = filter.patterns();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let sql = format!(
            "SELECT {COLUMNS} FROM audit WHERE ($1::bigint IS NULL OR seq < $1) AND {FILTER} ORDER BY seq DESC LIMIT $5"
        );
        let rows = self.run(|c| Ok(c.query(&sql, &[&before, &actor, &action, &subject, &limit])?))?;
        Ok(rows.iter().map(entry).collect())
    }

    fn audit_from(&self, after: i64, limit: usize) -> Result<Vec<AuditEntry>> {
        self.run(|c| from(c, after, limit))
    }

    fn audit_count(&self, filter: &AuditFilter) -> Result<i64> {
        let [actor, action, subject] = filter.patterns();
        let sql = format!("SELECT COUNT(*) FROM audit WHERE $1::bigint IS NULL AND {FILTER}");
        self.run(|c| Ok(c.query_one(&sql, &[&None::<i64>, &actor, &action, &subject])?.get(0)))
    }

    fn meta(&self, key: &str) -> Result<Option<String>> {
        self.run(|c| Ok(c.query_opt("SELECT value FROM meta WHERE key = $1", &[&key])?.map(|r| r.get(0))))
    }

    /// PostgreSQL checks every constraint on every write and has no file to check; what can
    /// still be wrong is a registry without its history.
    fn integrity(&self) -> Result<Vec<String>> {
        self.run(|c| {
            let seeded: bool = c.query_one("SELECT EXISTS (SELECT 1 FROM states)", &[])?.get(0);
            let versions: bool = c.query_one("SELECT EXISTS (SELECT 1 FROM registry_versions)", &[])?.get(0);
            Ok(if seeded && !versions { vec!["the registry holds records but no history".to_string()] } else { vec![] })
        })
    }
}
