//! Delivering the outbox: the [`OutboxStore`] interface and its SQLite implementation (the
//! PostgreSQL one is `postgres/outbox.rs`). `observa serve`'s sender claims the messages due,
//! sends each and records how it went; the mail status page reads the [`Delivery`] summary.
//!
//! A claim moves the messages' next attempt to the end of a lease: another sender (a second
//! server on the same database) skips them meanwhile, and a sender that died holding them gives
//! them back when the lease ends. A message marked sent is never claimed again.

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;

use crate::sqlite::{append_audit, SqliteStore};
use crate::{Message, Result, StoreError};

/// How the engines write a time in the outbox: RFC 3339 UTC with milliseconds, so text order is
/// time order.
pub(crate) fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The outbox's delivery state. Every write is one transaction with its audit entry.
pub trait OutboxStore {
    /// Queues the messages whose key (`dedupe_key`) is not in the outbox yet, in any state, and
    /// skips the others, with one audit entry; returns how many were queued. What makes a
    /// message "the same" (a day's reminder to one person) is the caller's key.
    fn queue_once(&mut self, messages: &[(String, Message)], actor: &str) -> Result<usize>;
    /// Claims up to `limit` queued messages due at `now` (never tried, or their next attempt
    /// come), oldest first, by moving their next attempt to `lease_until`. Audited when any.
    fn claim_due(&mut self, now: DateTime<Utc>, lease_until: DateTime<Utc>, limit: usize) -> Result<Vec<Outgoing>>;
    /// Marks a queued message sent at `at` with its Message-ID, counting the attempt; false
    /// (nothing changes) when it is not queued (sent or failed already). Audited.
    fn mark_sent(&mut self, id: i64, message_id: &str, at: DateTime<Utc>) -> Result<bool>;
    /// Records a failed attempt at `at` with its error: the message waits for `retry_at`, or
    /// with `None` has failed for good. False when it is not queued. Audited.
    fn record_failure(
        &mut self,
        id: i64,
        error: &str,
        at: DateTime<Utc>,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<bool>;
    /// How many messages are in each state, and the `recent` latest failed attempts.
    fn delivery(&self, recent: usize) -> Result<Delivery>;
}

/// A claimed message: what to send, and how many attempts were made before this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub id: i64,
    pub message: Message,
    pub attempts: i64,
}

/// The outbox at a glance.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Delivery {
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    /// The latest failed attempts (of messages waiting for a retry or failed for good), newest first.
    pub failures: Vec<Failure>,
}

/// A message whose last attempt failed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Failure {
    pub id: i64,
    pub to: String,
    pub subject: String,
    /// `queued` (to be retried at `next_attempt_at`) or `failed` (given up).
    pub status: String,
    pub attempts: i64,
    pub error: String,
    pub at: String,
    pub next_attempt_at: Option<String>,
}

/// The longest error text kept: a relay's answer, not a transcript.
pub(crate) const MAX_ERROR: usize = 500;

pub(crate) fn bounded_error(error: &str) -> String {
    error.chars().take(MAX_ERROR).collect()
}

pub(crate) const FAILURES: &str =
    "SELECT id, to_address, subject, status, attempts, last_error, last_attempt_at, next_attempt_at
     FROM outbox WHERE last_error IS NOT NULL AND status <> 'sent' ORDER BY last_attempt_at DESC, id DESC LIMIT ";

pub(crate) const COUNTS: &str = "SELECT status, COUNT(*) FROM outbox GROUP BY status";

/// The summary from the counts per status and the failures' rows.
pub(crate) fn summary(counts: Vec<(String, i64)>, failures: Vec<Failure>) -> Delivery {
    let count = |s: &str| counts.iter().find(|(status, _)| status == s).map_or(0, |(_, n)| *n);
    Delivery { queued: count("queued"), sent: count("sent"), failed: count("failed"), failures }
}

impl OutboxStore for SqliteStore {
    fn queue_once(&mut self, messages: &[(String, Message)], actor: &str) -> Result<usize> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let at = stamp(Utc::now());
        let mut queued = Vec::new();
        for (key, m) in messages {
            let n = tx.execute(
                "INSERT INTO outbox (to_address, subject, body, created_at, created_by, dedupe_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (dedupe_key) DO NOTHING",
                rusqlite::params![m.to, m.subject, m.body, at, actor, key],
            )?;
            if n > 0 {
                queued.push(m.to.as_str());
            }
        }
        if !queued.is_empty() {
            append_audit(
                &self.audit_key,
                &tx,
                actor.into(),
                "queue-messages",
                "outbox",
                None,
                Some(&queued.join(", ")),
            )?;
        }
        tx.commit()?;
        Ok(queued.len())
    }

    fn claim_due(&mut self, now: DateTime<Utc>, lease_until: DateTime<Utc>, limit: usize) -> Result<Vec<Outgoing>> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let claimed = {
            let mut stmt = tx.prepare(
                "SELECT id, to_address, subject, body, attempts FROM outbox
                 WHERE status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= ?1) ORDER BY id LIMIT ?2",
            )?;
            let rows = stmt.query_map(rusqlite::params![stamp(now), limit as i64], |r| {
                Ok(Outgoing {
                    id: r.get(0)?,
                    message: Message { to: r.get(1)?, subject: r.get(2)?, body: r.get(3)? },
                    attempts: r.get(4)?,
                })
            })?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        if claimed.is_empty() {
            return Ok(claimed);
        }
        for m in &claimed {
            tx.execute(
                "UPDATE outbox SET next_attempt_at = ?1 WHERE id = ?2",
                rusqlite::params![stamp(lease_until), m.id],
            )?;
        }
        let after = claim_note(&claimed, lease_until);
        append_audit(&self.audit_key, &tx, SENDER.into(), "claim-messages", "outbox", None, Some(&after))?;
        tx.commit()?;
        Ok(claimed)
    }

    fn mark_sent(&mut self, id: i64, message_id: &str, at: DateTime<Utc>) -> Result<bool> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let n = tx.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?1, last_attempt_at = ?1, attempts = attempts + 1,
                 message_id = ?2, next_attempt_at = NULL WHERE id = ?3 AND status = 'queued'",
            rusqlite::params![stamp(at), message_id, id],
        )?;
        if n == 0 {
            return Ok(false);
        }
        let after = serde_json::json!({ "status": "sent", "message_id": message_id }).to_string();
        append_audit(&self.audit_key, &tx, SENDER.into(), "send-message", &format!("outbox/{id}"), None, Some(&after))?;
        tx.commit()?;
        Ok(true)
    }

    fn record_failure(
        &mut self,
        id: i64,
        error: &str,
        at: DateTime<Utc>,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<bool> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let status = if retry_at.is_some() { "queued" } else { "failed" };
        let (error, retry) = (bounded_error(error), retry_at.map(stamp));
        let attempts: Option<i64> = tx
            .query_row(
                "UPDATE outbox SET status = ?1, attempts = attempts + 1, last_attempt_at = ?2, last_error = ?3,
                     next_attempt_at = ?4 WHERE id = ?5 AND status = 'queued' RETURNING attempts",
                rusqlite::params![status, stamp(at), error, retry, id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(attempts) = attempts else { return Ok(false) };
        let after = failure_note(status, attempts, &error, retry.as_deref());
        append_audit(
            &self.audit_key,
            &tx,
            SENDER.into(),
            "message-failed",
            &format!("outbox/{id}"),
            None,
            Some(&after),
        )?;
        tx.commit()?;
        Ok(true)
    }

    fn delivery(&self, recent: usize) -> Result<Delivery> {
        let mut stmt = self.conn.prepare(COUNTS)?;
        let counts = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<Vec<_>, _>>()?;
        let mut stmt = self.conn.prepare(&format!("{FAILURES}{}", recent.min(1000)))?;
        let failures = stmt
            .query_map([], |r| {
                Ok(Failure {
                    id: r.get(0)?,
                    to: r.get(1)?,
                    subject: r.get(2)?,
                    status: r.get(3)?,
                    attempts: r.get(4)?,
                    error: r.get(5)?,
                    at: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                    next_attempt_at: r.get(7)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()
            .map_err(StoreError::from)?;
        Ok(summary(counts, failures))
    }
}

/// Who the sender's writes are by, in the audit log.
pub(crate) const SENDER: &str = "mail-sender";

/// The audit entry of a claim: which messages, until when.
pub(crate) fn claim_note(claimed: &[Outgoing], lease_until: DateTime<Utc>) -> String {
    let ids: Vec<i64> = claimed.iter().map(|m| m.id).collect();
    serde_json::json!({ "messages": ids, "lease_until": stamp(lease_until) }).to_string()
}

/// The audit entry of a failed attempt.
pub(crate) fn failure_note(status: &str, attempts: i64, error: &str, retry: Option<&str>) -> String {
    serde_json::json!({ "status": status, "attempts": attempts, "error": error, "next_attempt_at": retry }).to_string()
}
