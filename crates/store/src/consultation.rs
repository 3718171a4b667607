//! [`ConsultationStore`] for SQLite: cycles, drafts, submissions and API tokens.

use observa_domain::account::Account;
use observa_domain::consultation::{Answers, Cycle, Draft, Status};
use observa_domain::history::{Change, Origin};
use observa_domain::questionnaire::Questionnaire;
use rusqlite::OptionalExtension;

use crate::sqlite::{append_audit, SqliteStore};
use crate::{ApiToken, Attachment, Comment, ConsultationStore, Message, Result, StoreError};

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn invalid(e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(e.to_string())
}

fn draft_from(r: &rusqlite::Row) -> rusqlite::Result<Draft> {
    let status: String = r.get(2)?;
    let answers: String = r.get(3)?;
    Ok(Draft {
        cycle: r.get(0)?,
        state: r.get(1)?,
        status: Status::parse(&status).unwrap_or(Status::Draft),
        answers: serde_json::from_str(&answers).unwrap_or_default(),
        version: r.get(4)?,
        updated_at: r.get(5)?,
        updated_by: r.get(6)?,
    })
}

fn attachment_from(r: &rusqlite::Row) -> rusqlite::Result<Attachment> {
    Ok(Attachment {
        id: r.get(0)?,
        name: r.get(1)?,
        media_type: r.get(2)?,
        size: r.get(3)?,
        sha256: r.get(4)?,
        uploaded_at: r.get(5)?,
        uploaded_by: r.get(6)?,
    })
}

const DRAFT_COLUMNS: &str = "cycle, state, status, answers, version, updated_at, updated_by";

impl ConsultationStore for SqliteStore {
    fn open_cycle(&mut self, year: i32, q: &Questionnaire, deadline: chrono::NaiveDate, actor: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        let exists: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM cycles WHERE year = ?1)", [year], |r| r.get(0))?;
        if exists {
            return Err(invalid(format!("cycle {year} is open already")));
        }
        let json = serde_json::to_string(q).map_err(invalid)?;
        tx.execute(
            "INSERT INTO cycles (year, questionnaire, deadline, opened_at, opened_by) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![year, json, deadline.to_string(), now(), actor],
        )?;
        let after = serde_json::json!({ "questionnaire": format!("{} v{}", q.id, q.version), "deadline": deadline })
            .to_string();
        append_audit(
            &self.audit_key,
            &tx,
            actor.to_string(),
            "open-cycle",
            &format!("cycle/{year}"),
            None,
            Some(&after),
        )?;
        tx.commit()?;
        Ok(())
    }

    fn cycles(&self) -> Result<Vec<Cycle>> {
        let mut stmt = self
            .conn
            .prepare("SELECT year, questionnaire, deadline, opened_at, opened_by FROM cycles ORDER BY year DESC")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, i32>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get(3)?, r.get(4)?))
        })?;
        let mut cycles = Vec::new();
        for row in rows {
            let (year, q, deadline, opened_at, opened_by) = row?;
            cycles.push(Cycle {
                year,
                questionnaire: serde_json::from_str(&q).map_err(invalid)?,
                deadline: deadline.parse().map_err(invalid)?,
                opened_at,
                opened_by,
            });
        }
        Ok(cycles)
    }

    fn drafts(&self, cycle: i32) -> Result<Vec<Draft>> {
        let mut stmt =
            self.conn.prepare(&format!("SELECT {DRAFT_COLUMNS} FROM drafts WHERE cycle = ?1 ORDER BY state"))?;
        let rows = stmt.query_map([cycle], draft_from)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn draft(&self, cycle: i32, state: &str) -> Result<Option<Draft>> {
        let sql = format!("SELECT {DRAFT_COLUMNS} FROM drafts WHERE cycle = ?1 AND state = ?2");
        Ok(self.conn.query_row(&sql, rusqlite::params![cycle, state], draft_from).optional()?)
    }

    fn save_draft(&mut self, cycle: i32, state: &str, answers: &Answers, based_on: i64, actor: &str) -> Result<i64> {
        let subject = format!("cycle/{cycle}/responses/{state}");
        // IMMEDIATE: the version is read under the write lock, so two saves from one version
        // cannot both pass.
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let sql = format!("SELECT {DRAFT_COLUMNS} FROM drafts WHERE cycle = ?1 AND state = ?2");
        let stored = tx.query_row(&sql, rusqlite::params![cycle, state], draft_from).optional()?;
        let current = stored.as_ref().map_or(0, |d| d.version);
        if current != based_on {
            return Err(StoreError::Conflict { subject, current, based_on });
        }
        if let Some(d) = stored.as_ref().filter(|d| !d.status.editable()) {
            return Err(invalid(format!("{subject} is {} and can no longer be changed", d.status.code())));
        }
        let version = current + 1;
        let json = serde_json::to_string(answers).map_err(invalid)?;
        tx.execute(
            "INSERT INTO drafts (cycle, state, status, answers, version, updated_at, updated_by)
             VALUES (?1, ?2, 'draft', ?3, ?4, ?5, ?6)
             ON CONFLICT (cycle, state) DO UPDATE SET status = 'draft', answers = excluded.answers,
                 version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            rusqlite::params![cycle, state, json, version, now(), actor],
        )?;
        // Only the answers that changed, so an autosave costs the audit log what it changed.
        let old = stored.as_ref().map(|d| serde_json::to_value(&d.answers).unwrap_or_default());
        let new = serde_json::to_value(answers).map_err(invalid)?;
        let (before, after) = observa_domain::history::field_maps(old.as_ref(), Some(&new));
        let (before, after) = (
            serde_json::json!({ "version": current, "answers": before }).to_string(),
            serde_json::json!({ "version": version, "answers": after }).to_string(),
        );
        append_audit(&self.audit_key, &tx, actor.to_string(), "save-draft", &subject, Some(&before), Some(&after))?;
        tx.commit()?;
        Ok(version)
    }

    fn submit(&mut self, cycle: i32, state: &str, version: i64, actor: &str) -> Result<bool> {
        let subject = format!("cycle/{cycle}/responses/{state}");
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let sql = format!("SELECT {DRAFT_COLUMNS} FROM drafts WHERE cycle = ?1 AND state = ?2");
        let Some(draft) = tx.query_row(&sql, rusqlite::params![cycle, state], draft_from).optional()? else {
            return Err(invalid(format!("{subject} has no saved answers to submit")));
        };
        if draft.version != version {
            return Err(StoreError::Conflict { subject, current: draft.version, based_on: version });
        }
        // The unique key (cycle, state, draft_version) makes a repeated submit of the same
        // version insert nothing: one submission, however many clicks or retries.
        let inserted = tx.execute(
            "INSERT INTO submissions (cycle, state, draft_version, answers, submitted_at, submitted_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (cycle, state, draft_version) DO NOTHING",
            rusqlite::params![
                cycle,
                state,
                version,
                serde_json::to_string(&draft.answers).map_err(invalid)?,
                now(),
                actor
            ],
        )?;
        if inserted == 1 {
            tx.execute(
                "UPDATE drafts SET status = 'submitted' WHERE cycle = ?1 AND state = ?2",
                rusqlite::params![cycle, state],
            )?;
            append_audit(
                &self.audit_key,
                &tx,
                actor.to_string(),
                "submit",
                &subject,
                None,
                Some(&format!("{{\"version\":{version}}}")),
            )?;
        } else if draft.status.editable() {
            return Err(invalid(format!("{subject} version {version} was submitted and then returned; save it again")));
        }
        tx.commit()?;
        Ok(inserted == 1)
    }

    fn review(&mut self, cycle: i32, state: &str, decision: Status, comment: &str, actor: &str) -> Result<()> {
        if !matches!(decision, Status::Returned | Status::Accepted) {
            return Err(invalid(format!("a review returns or accepts; `{}` is neither", decision.code())));
        }
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        decide(&self.audit_key, &tx, cycle, state, decision, comment, actor)?;
        tx.commit()?;
        Ok(())
    }

    fn accept(&mut self, cycle: i32, state: &str, changes: &[Change], comment: &str, actor: &str) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        decide(&self.audit_key, &tx, cycle, state, Status::Accepted, comment, actor)?;
        let origin = Origin {
            cycle,
            effective: chrono::Utc::now().date_naive(),
            established_by: observa_domain::projection::document_id(cycle, state),
            actor: actor.to_string(),
        };
        crate::history::apply(&self.audit_key, &tx, changes, &origin)?;
        tx.commit()?;
        Ok(())
    }

    fn add_comment(&mut self, cycle: i32, state: &str, question: &str, body: &str, actor: &str) -> Result<()> {
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 5000 {
            return Err(invalid("a comment has 1 to 5,000 characters"));
        }
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO comments (cycle, state, question, author, body, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![cycle, state, question, actor, body, now()],
        )?;
        let subject = format!("cycle/{cycle}/responses/{state}/{question}");
        append_audit(&self.audit_key, &tx, actor.to_string(), "comment", &subject, None, Some(body))?;
        tx.commit()?;
        Ok(())
    }

    fn comments(&self, cycle: i32, state: &str) -> Result<Vec<Comment>> {
        let mut stmt = self
            .conn
            .prepare("SELECT question, author, body, at FROM comments WHERE cycle = ?1 AND state = ?2 ORDER BY id")?;
        let rows = stmt.query_map(rusqlite::params![cycle, state], |r| {
            Ok(Comment { question: r.get(0)?, author: r.get(1)?, body: r.get(2)?, at: r.get(3)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn attach(&mut self, cycle: i32, state: &str, file: &Attachment, content: &[u8], actor: &str) -> Result<i64> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO attachments (cycle, state, name, media_type, size, sha256, content, uploaded_at, uploaded_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params![
                cycle,
                state,
                file.name,
                file.media_type,
                content.len() as i64,
                file.sha256,
                content,
                now(),
                actor
            ],
        )?;
        let id = tx.last_insert_rowid();
        let after = serde_json::json!({ "name": file.name, "type": file.media_type, "size": content.len(), "sha256": file.sha256 });
        let subject = format!("cycle/{cycle}/responses/{state}/attachments/{id}");
        append_audit(&self.audit_key, &tx, actor.to_string(), "attach", &subject, None, Some(&after.to_string()))?;
        tx.commit()?;
        Ok(id)
    }

    fn attachments(&self, cycle: i32, state: &str) -> Result<Vec<Attachment>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, name, media_type, size, sha256, uploaded_at, uploaded_by FROM attachments
             WHERE cycle = ?1 AND state = ?2 ORDER BY id",
        )?;
        let rows = stmt.query_map(rusqlite::params![cycle, state], attachment_from)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn attachment(&self, cycle: i32, state: &str, id: i64) -> Result<Option<(Attachment, Vec<u8>)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, name, media_type, size, sha256, uploaded_at, uploaded_by, content FROM attachments
                 WHERE cycle = ?1 AND state = ?2 AND id = ?3",
                rusqlite::params![cycle, state, id],
                |r| Ok((attachment_from(r)?, r.get(7)?)),
            )
            .optional()?)
    }

    fn liaisons(&self, state: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT email, states FROM accounts WHERE role = 'liaison' AND NOT disabled ORDER BY email")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut emails = Vec::new();
        for row in rows {
            let (email, states) = row?;
            let states: Vec<String> = serde_json::from_str(&states).unwrap_or_default();
            if states.iter().any(|s| s == state) {
                emails.push(email);
            }
        }
        Ok(emails)
    }

    fn queue(&mut self, messages: &[Message], actor: &str) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let at = now();
        for m in messages {
            tx.execute(
                "INSERT INTO outbox (to_address, subject, body, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![m.to, m.subject, m.body, at, actor],
            )?;
        }
        let to: Vec<&str> = messages.iter().map(|m| m.to.as_str()).collect();
        append_audit(&self.audit_key, &tx, actor.to_string(), "queue-messages", "outbox", None, Some(&to.join(", ")))?;
        tx.commit()?;
        Ok(messages.len())
    }

    fn outbox(&self) -> Result<Vec<Message>> {
        let mut stmt =
            self.conn.prepare("SELECT to_address, subject, body FROM outbox WHERE sent_at IS NULL ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok(Message { to: r.get(0)?, subject: r.get(1)?, body: r.get(2)? }))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn submissions(&self, cycle: i32, state: &str) -> Result<usize> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM submissions WHERE cycle = ?1 AND state = ?2",
            rusqlite::params![cycle, state],
            |r| r.get::<_, i64>(0),
        )? as usize)
    }

    fn create_token(
        &mut self,
        account: &Account,
        token_hash: &str,
        expires_at: &str,
        label: &str,
        actor: &str,
    ) -> Result<i64> {
        let tx = self.conn.transaction()?;
        let id: i64 = tx.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM api_tokens", [], |r| r.get(0))?;
        tx.execute(
            "INSERT INTO api_tokens (id, token_hash, account, created_at, expires_at, label) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![id, token_hash, account.id, now(), expires_at, label],
        )?;
        let after = serde_json::json!({ "token": id, "expires_at": expires_at, "label": label }).to_string();
        let subject = format!("account/{}", account.id);
        append_audit(&self.audit_key, &tx, actor.to_string(), "create-token", &subject, None, Some(&after))?;
        tx.commit()?;
        Ok(id)
    }

    fn token_account(&self, token_hash: &str, now: &str) -> Result<Option<String>> {
        // Times are RFC 3339 UTC written by one formatter: text order is time order. Tokens made
        // before expiry existed (no `expires_at`) do not work any more: they must be made again.
        Ok(self
            .conn
            .query_row(
                "SELECT a.email FROM api_tokens t JOIN accounts a ON a.id = t.account
                 WHERE t.token_hash = ?1 AND NOT a.disabled AND t.revoked_at IS NULL
                   AND t.expires_at IS NOT NULL AND t.expires_at > ?2",
                [token_hash, now],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn tokens(&self, account: Option<i64>) -> Result<Vec<ApiToken>> {
        let mut stmt = self.conn.prepare(
            "SELECT t.id, a.email, t.label, t.created_at, t.expires_at, t.revoked_at
             FROM api_tokens t JOIN accounts a ON a.id = t.account
             WHERE ?1 IS NULL OR t.account = ?1 ORDER BY t.id DESC",
        )?;
        let rows = stmt.query_map([account], |r| {
            Ok(ApiToken {
                id: r.get(0)?,
                email: r.get(1)?,
                label: r.get(2)?,
                created_at: r.get(3)?,
                expires_at: r.get(4)?,
                revoked_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn revoke_token(&mut self, id: i64, owner: Option<i64>, actor: &str) -> Result<bool> {
        let tx = self.conn.transaction()?;
        let changed = tx.execute(
            "UPDATE api_tokens SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL AND (?3 IS NULL OR account = ?3)",
            rusqlite::params![now(), id, owner],
        )?;
        if changed == 1 {
            append_audit(&self.audit_key, &tx, actor.to_string(), "revoke-token", &format!("token/{id}"), None, None)?;
        }
        tx.commit()?;
        Ok(changed == 1)
    }
}

/// The secretariat's decision inside the caller's transaction: only a submitted response can be
/// returned or accepted.
fn decide(
    key: &observa_domain::audit::AuditKey,
    tx: &rusqlite::Transaction,
    cycle: i32,
    state: &str,
    decision: Status,
    comment: &str,
    actor: &str,
) -> Result<()> {
    let subject = format!("cycle/{cycle}/responses/{state}");
    let status: Option<String> = tx
        .query_row("SELECT status FROM drafts WHERE cycle = ?1 AND state = ?2", rusqlite::params![cycle, state], |r| {
            r.get(0)
        })
        .optional()?;
    if status.as_deref() != Some("submitted") {
        return Err(invalid(format!("{subject} is not waiting for review")));
    }
    tx.execute(
        "UPDATE drafts SET status = ?1, updated_at = ?2, updated_by = ?3 WHERE cycle = ?4 AND state = ?5",
        rusqlite::params![decision.code(), now(), actor, cycle, state],
    )?;
    let after = serde_json::json!({ "status": decision.code(), "comment": comment }).to_string();
    append_audit(key, tx, actor.to_string(), "review", &subject, Some("{\"status\":\"submitted\"}"), Some(&after))?;
    Ok(())
}
