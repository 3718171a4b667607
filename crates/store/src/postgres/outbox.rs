//! [`OutboxStore`] for PostgreSQL, as the SQLite engine keeps it (see `crate::outbox`). Every
//! write holds the write lock, so two servers on one database never claim the same message.

use chrono::{DateTime, Utc};

use super::audit::append;
use super::PostgresStore;
use crate::outbox::{bounded_error, claim_note, failure_note, stamp, summary, COUNTS, FAILURES, SENDER};
use crate::{Delivery, Failure, Message, OutboxStore, Outgoing, Result};

impl OutboxStore for PostgresStore {
    fn queue_once(&mut self, messages: &[(String, Message)], actor: &str) -> Result<usize> {
        self.write(|tx| {
            let at = stamp(Utc::now());
            let mut queued = Vec::new();
            for (key, m) in messages {
                let n = tx.execute(
                    "INSERT INTO outbox (to_address, subject, body, created_at, created_by, dedupe_key)
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dedupe_key) DO NOTHING",
                    &[&m.to, &m.subject, &m.body, &at, &actor, key],
                )?;
                if n > 0 {
                    queued.push(m.to.as_str());
                }
            }
            if !queued.is_empty() {
                append(tx, &self.audit_key, actor, "queue-messages", "outbox", None, Some(&queued.join(", ")))?;
            }
            Ok(queued.len())
        })
    }

    fn claim_due(&mut self, now: DateTime<Utc>, lease_until: DateTime<Utc>, limit: usize) -> Result<Vec<Outgoing>> {
        self.write(|tx| {
            let rows = tx.query(
                "SELECT id, to_address, subject, body, attempts FROM outbox
                 WHERE status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= $1) ORDER BY id LIMIT $2",
                &[&stamp(now), &(limit as i64)],
            )?;
            let claimed: Vec<Outgoing> = rows
                .iter()
                .map(|r| Outgoing {
                    id: r.get(0),
                    message: Message { to: r.get(1), subject: r.get(2), body: r.get(3) },
                    attempts: r.get(4),
                })
                .collect();
            if claimed.is_empty() {
                return Ok(claimed);
            }
            let ids: Vec<i64> = claimed.iter().map(|m| m.id).collect();
            tx.execute("UPDATE outbox SET next_attempt_at = $1 WHERE id = ANY($2)", &[&stamp(lease_until), &ids])?;
            let after = claim_note(&claimed, lease_until);
            append(tx, &self.audit_key, SENDER, "claim-messages", "outbox", None, Some(&after))?;
            Ok(claimed)
        })
    }

    fn mark_sent(&mut self, id: i64, message_id: &str, at: DateTime<Utc>) -> Result<bool> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE outbox SET status = 'sent', sent_at = $1, last_attempt_at = $1, attempts = attempts + 1,
                     message_id = $2, next_attempt_at = NULL WHERE id = $3 AND status = 'queued'",
                &[&stamp(at), &message_id, &id],
            )?;
            if n == 0 {
                return Ok(false);
            }
            let after = serde_json::json!({ "status": "sent", "message_id": message_id }).to_string();
            append(tx, &self.audit_key, SENDER, "send-message", &format!("outbox/{id}"), None, Some(&after))?;
            Ok(true)
        })
    }

    fn record_failure(
        &mut self,
        id: i64,
        error: &str,
        at: DateTime<Utc>,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<bool> {
        self.write(|tx| {
            let status = if retry_at.is_some() { "queued" } else { "failed" };
            let (error, retry) = (bounded_error(error), retry_at.map(stamp));
            let row = tx.query_opt(
                "UPDATE outbox SET status = $1, attempts = attempts + 1, last_attempt_at = $2, last_error = $3,
                     next_attempt_at = $4 WHERE id = $5 AND status = 'queued' RETURNING attempts",
                &[&status, &stamp(at), &error, &retry, &id],
            )?;
            let Some(row) = row else { return Ok(false) };
            let after = failure_note(status, row.get(0), &error, retry.as_deref());
            append(tx, &self.audit_key, SENDER, "message-failed", &format!("outbox/{id}"), None, Some(&after))?;
            Ok(true)
        })
    }

    fn delivery(&self, recent: usize) -> Result<Delivery> {
        self.read(|tx| {
            let counts = tx.query(COUNTS, &[])?.iter().map(|r| (r.get(0), r.get(1))).collect();
            let failures = tx
                .query(&format!("{FAILURES}{}", recent.min(1000)), &[])?
                .iter()
                .map(|r| Failure {
                    id: r.get(0),
                    to: r.get(1),
                    subject: r.get(2),
                    status: r.get(3),
                    attempts: r.get(4),
                    error: r.get(5),
                    at: r.get::<_, Option<String>>(6).unwrap_or_default(),
                    next_attempt_at: r.get(7),
                })
                .collect();
            Ok(summary(counts, failures))
        })
    }
}
