//! The audit log's storage: appending keyed, hash-chained entries with bounded fields, the head
//! record beside the log, the audit key kept outside the database, checkpoints, and
//! verification and paging that read the log row by row (a log of hundreds of megabytes is never
//! loaded whole).
//!
//! The key is found, in order: the `OBSERVA_AUDIT_KEY` environment variable (64 hex digits),
//! the file named by `OBSERVA_AUDIT_KEY_FILE`, or the file `<database>.audit-key` beside the
//! database, which is created (mode 0600) at the first start. Someone who can write the database
//! but not read the key cannot rewrite the log so that it verifies.

use std::io::Write;
use std::path::{Path, PathBuf};

use observa_domain::audit::{AuditEntry, AuditKey, Break, Checkpoint, Content, Head, Verifier, GENESIS, KEY_INSTALLED};
use rusqlite::{Connection, OptionalExtension, Row};

use crate::{Result, SqliteStore, StoreError};

/// The longest actor (an e-mail is at most 254 characters; `cli:<user>` and `account/<id>` are
/// shorter) and subject an entry keeps; longer text is cut with a mark saying how long it was.
pub(crate) const MAX_ACTOR: usize = 320;
pub(crate) const MAX_SUBJECT: usize = 1024;
/// The longest `before`/`after` summary (a whole draft's answers fit many times over).
pub(crate) const MAX_SUMMARY: usize = 256 * 1024;

/// Where the audit key of the database at `db` is read from when no environment variable names
/// one: `<db>.audit-key`.
pub fn key_path(db: &Path) -> PathBuf {
    if let Some(file) = std::env::var_os("OBSERVA_AUDIT_KEY_FILE").filter(|f| !f.is_empty()) {
        return PathBuf::from(file);
    }
    let mut name = db.as_os_str().to_owned();
    name.push(".audit-key");
    PathBuf::from(name)
}

/// The audit key of the database at `db`, and whether it was made just now.
pub(crate) fn load_or_create_key(db: &Path) -> Result<(AuditKey, bool)> {
    if let Ok(hex) = std::env::var("OBSERVA_AUDIT_KEY") {
        let key = AuditKey::parse(&hex).map_err(|e| StoreError::Invalid(format!("OBSERVA_AUDIT_KEY: {e}")))?;
        return Ok((key, false));
    }
    let path = key_path(db);
    let bad = |e: String| StoreError::Invalid(format!("audit key {}: {e}", path.display()));
    match std::fs::read_to_string(&path) {
        Ok(text) => return Ok((AuditKey::parse(&text).map_err(bad)?, false)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(bad(e.to_string())),
    }
    let key = random_key();
    match write_key(&path, &key) {
        Ok(()) => Ok((key, true)),
        // Another process made it first: use theirs.
        Err(_) if path.exists() => {
            let text = std::fs::read_to_string(&path).map_err(|e| bad(e.to_string()))?;
            Ok((AuditKey::parse(&text).map_err(bad)?, false))
        }
        Err(e) => Err(bad(e)),
    }
}

/// Writes `key` to a new file at `path`, readable by its owner only.
pub(crate) fn write_key(path: &Path, key: &AuditKey) -> std::result::Result<(), String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| e.to_string())?;
    file.write_all(format!("{}\n", key.to_hex()).as_bytes()).map_err(|e| e.to_string())?;
    file.sync_all().map_err(|e| e.to_string())
}

/// A new random audit key (tests, in-memory databases).
pub fn random_key() -> AuditKey {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    AuditKey::from_bytes(bytes)
}

/// Makes sure the log's keyed part is under `key`: a log that has no entry for this key yet gets
/// one (a new database, one written by a version without keys, or one whose key was lost, which
/// is said on standard error because its earlier entries will no longer verify).
pub(crate) fn install(conn: &mut Connection, key: &AuditKey, key_file: &str) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let last: Option<Option<String>> = tx
        .query_row("SELECT after FROM audit WHERE action = ?1 ORDER BY seq DESC LIMIT 1", [KEY_INSTALLED], |r| r.get(0))
        .optional()?;
    let fingerprint = key.fingerprint();
    if last.as_ref().is_some_and(|f| f.as_deref() == Some(fingerprint.as_str())) {
        return Ok(());
    }
    if let Some(previous) = &last {
        eprintln!(
            "warning: the audit key {key_file} (fingerprint {fingerprint}) is not the key this database's audit log was \
             written with (fingerprint {}): the entries written before cannot be verified without that key. If the \
             key file was lost, restore it from where it was kept and start again.",
            previous.as_deref().unwrap_or("?")
        );
    }
    append(&tx, key, "observa".into(), KEY_INSTALLED, key_file, last.flatten().as_deref(), Some(&fingerprint))?;
    tx.commit()?;
    Ok(())
}

/// Cuts `text` to at most `max` bytes on a character boundary, saying how long it was.
pub(crate) fn bounded(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.len() <= max {
        return text.into();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… [cut: {} bytes in all]", &text[..end], text.len()).into()
}

/// Appends one entry (inside the caller's transaction) and moves the head to it.
pub(crate) fn append(
    conn: &Connection,
    key: &AuditKey,
    actor: String,
    action: &str,
    subject: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<()> {
    let (actor, subject) = (bounded(&actor, MAX_ACTOR), bounded(subject, MAX_SUBJECT));
    let (before, after) = (before.map(|b| bounded(b, MAX_SUMMARY)), after.map(|a| bounded(a, MAX_SUMMARY)));
    let (seq, prev): (i64, String) = conn
        .query_row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok((r.get::<_, i64>(0)? + 1, r.get(1)?))
        })
        .optional()?
        .unwrap_or((1, GENESIS.to_string()));
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
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
    conn.execute(
        "INSERT INTO audit (seq, at, actor, action, subject, before, after, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        rusqlite::params![seq, at, actor, action, subject, before, after, prev, hash],
    )?;
    let head = Head::new(key, seq, &hash);
    conn.execute(
        "INSERT INTO audit_head (one, seq, hash, mac) VALUES (1, ?1, ?2, ?3)
         ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac",
        rusqlite::params![head.seq, head.hash, head.mac],
    )?;
    Ok(())
}

const COLUMNS: &str = "seq, at, actor, action, subject, before, after, prev_hash, hash";

pub(crate) fn entry(r: &Row) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        subject: r.get(4)?,
        before: r.get(5)?,
        after: r.get(6)?,
        prev_hash: r.get(7)?,
        hash: r.get(8)?,
    })
}

/// Which entries an administrator asks to see: each given field is a part of the entry's
/// actor, action or subject (case-insensitive).
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub subject: Option<String>,
}

impl AuditFilter {
    /// The `LIKE` patterns of the filter (wildcards typed by the visitor are taken literally).
    pub(crate) fn patterns(&self) -> [Option<String>; 3] {
        let like = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| format!("%{}%", v.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")))
        };
        [like(&self.actor), like(&self.action), like(&self.subject)]
    }
}

const FILTER: &str = "(?2 IS NULL OR actor LIKE ?2 ESCAPE '\\') AND (?3 IS NULL OR action LIKE ?3 ESCAPE '\\') \
                      AND (?4 IS NULL OR subject LIKE ?4 ESCAPE '\\')";

impl crate::AuditLog for SqliteStore {
    /// Checks the whole log row by row with the audit key, the head record and, if given, a
    /// checkpoint kept elsewhere. The outer error is the database's; the inner one says where
    /// the log breaks.
    fn verify_audit(&self, checkpoint: Option<&Checkpoint>) -> Result<Result<usize, Break>> {
        let mut verifier = Verifier::new(Some(&self.audit_key), checkpoint);
        let mut stmt = self.conn.prepare(&format!("SELECT {COLUMNS} FROM audit ORDER BY seq"))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if let Err(b) = verifier.push(&entry(row)?) {
                return Ok(Err(b));
            }
        }
        let head = self
            .conn
            .query_row("SELECT seq, hash, mac FROM audit_head", [], |r| {
                Ok(Head { seq: r.get(0)?, hash: r.get(1)?, mac: r.get(2)? })
            })
            .optional()?;
        Ok(verifier.finish(head.as_ref()))
    }

    /// A checkpoint of the log as it is now (its last entry), signed with the audit key; `None`
    /// for an empty log.
    fn audit_checkpoint(&self) -> Result<Option<Checkpoint>> {
        let last: Option<(i64, String)> = self
            .conn
            .query_row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        Ok(last.map(|(seq, hash)| Checkpoint::new(&self.audit_key, seq, &hash, &now)))
    }

    /// The fingerprint of this database's audit key.
    fn audit_key_fingerprint(&self) -> String {
        self.audit_key.fingerprint()
    }

    /// At most `limit` entries matching `filter`, newest first, older than `before` (a sequence
    /// number) when given: one page of the log.
    fn audit_page(&self, filter: &AuditFilter, before: Option<i64>, limit: usize) -> Result<Vec<AuditEntry>> {
        let [actor, action, subject] = filter.patterns();
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM audit WHERE (?1 IS NULL OR seq < ?1) AND {FILTER} ORDER BY seq DESC LIMIT ?5"
        ))?;
        let rows = stmt.query_map(rusqlite::params![before, actor, action, subject, limit as i64], entry)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// At most `limit` entries after the sequence number `after`, oldest first (for listing the
    /// whole log a page at a time).
    fn audit_from(&self, after: i64, limit: usize) -> Result<Vec<AuditEntry>> {
        let mut stmt =
            self.conn.prepare(&format!("SELECT {COLUMNS} FROM audit WHERE seq > ?1 ORDER BY seq LIMIT ?2"))?;
        let rows = stmt.query_map(rusqlite::params![after, limit as i64], entry)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many entries match `filter`.
    fn audit_count(&self, filter: &AuditFilter) -> Result<i64> {
        let [actor, action, subject] = filter.patterns();
        let sql = format!("SELECT COUNT(*) FROM audit WHERE ?1 IS NULL AND {FILTER}");
        Ok(self.conn.query_row(&sql, rusqlite::params![None::<i64>, actor, action, subject], |r| r.get(0))?)
    }

    fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    /// SQLite's own integrity and foreign-key checks.
    fn integrity(&self) -> Result<Vec<String>> {
        let mut found = Vec::new();
        let ok: String = self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if ok != "ok" {
            found.push(format!("integrity_check: {ok}"));
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| {
            Ok(format!(
                "{} row {} breaks a reference to {}",
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?
            ))
        })?;
        for r in rows {
            found.push(r?);
        }
        Ok(found)
    }
}
