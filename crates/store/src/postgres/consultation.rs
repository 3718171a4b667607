//! [`ConsultationStore`] for PostgreSQL: cycles, drafts, submissions, comments, attachments,
//! the outbox and API tokens, as the SQLite engine keeps them. Every write holds the write lock
//! and reads the draft's version `FOR UPDATE`, so a stale save from any process is a conflict.

use observa_domain::account::Account;
use observa_domain::consultation::{Answers, Cycle, Draft, Status};
use observa_domain::history::{Change, Origin};
use observa_domain::questionnaire::Questionnaire;
use postgres::{GenericClient, Row, Transaction};

use super::audit::append;
use super::PostgresStore;
use crate::{ApiToken, Attachment, Comment, ConsultationStore, Expected, Message, NewComment, Result, StoreError};

fn now() -> String {
    super::now_millis()
}

fn invalid(e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(e.to_string())
}

const DRAFT_COLUMNS: &str = "cycle, state, status, answers::text, version, updated_at, updated_by";

fn draft_from(r: &Row) -> Result<Draft> {
    Ok(Draft {
        cycle: i32::try_from(r.get::<_, i64>(0)).map_err(invalid)?,
        state: r.get(1),
        status: Status::parse(&r.get::<_, String>(2)).unwrap_or(Status::Draft),
        answers: serde_json::from_str(&r.get::<_, String>(3)).unwrap_or_default(),
        version: r.get(4),
        updated_at: r.get(5),
        updated_by: r.get(6),
    })
}

fn attachment_from(r: &Row) -> Attachment {
    Attachment {
        id: r.get(0),
        name: r.get(1),
        media_type: r.get(2),
        size: r.get(3),
        sha256: r.get(4),
        uploaded_at: r.get(5),
        uploaded_by: r.get(6),
    }
}

fn draft(c: &mut impl GenericClient, cycle: i32, state: &str, lock: &str) -> Result<Option<Draft>> {
    let sql = format!("SELECT {DRAFT_COLUMNS} FROM drafts WHERE cycle = $1 AND state = $2 {lock}");
    c.query_opt(&sql, &[&i64::from(cycle), &state])?.map(|r| draft_from(&r)).transpose()
}

impl ConsultationStore for PostgresStore {
    fn open_cycle(&mut self, year: i32, q: &Questionnaire, deadline: chrono::NaiveDate, actor: &str) -> Result<()> {
        self.write(|tx| {
            let exists: bool = tx.query_one("SELECT EXISTS (SELECT 1 FROM cycles WHERE year = $1)", &[&i64::from(year)])?.get(0);
            if exists {
                return Err(invalid(format!("cycle {year} is open already")));
            }
            let json = serde_json::to_string(q).map_err(invalid)?;
            tx.execute(
                "INSERT INTO cycles (year, questionnaire, deadline, opened_at, opened_by) VALUES ($1, $2::text, $3, $4, $5)",
                &[&i64::from(year), &json, &deadline.to_string(), &now(), &actor],
            )?;
            let after = serde_json::json!({ "questionnaire": format!("{} v{}", q.id, q.version), "deadline": deadline })
                .to_string();
            append(tx, &self.audit_key, actor, "open-cycle", &format!("cycle/{year}"), None, Some(&after))
        })
    }

    fn cycles(&self) -> Result<Vec<Cycle>> {
        let rows = self.run(|c| {
            Ok(c.query(
                "SELECT year, questionnaire::text, deadline, opened_at, opened_by FROM cycles ORDER BY year DESC",
                &[],
            )?)
        })?;
        rows.iter()
            .map(|r| {
                let deadline: String = r.get(2);
                Ok(Cycle {
                    year: i32::try_from(r.get::<_, i64>(0)).map_err(invalid)?,
                    questionnaire: serde_json::from_str(&r.get::<_, String>(1)).map_err(invalid)?,
                    deadline: deadline.parse().map_err(invalid)?,
                    opened_at: r.get(3),
                    opened_by: r.get(4),
                })
            })
            .collect()
    }

    fn drafts(&self, cycle: i32) -> Result<Vec<Draft>> {
        let sql = format!("SELECT {DRAFT_COLUMNS} FROM drafts WHERE cycle = $1 ORDER BY state COLLATE \"C\"");
        let rows = self.run(|c| Ok(c.query(&sql, &[&i64::from(cycle)])?))?;
        rows.iter().map(draft_from).collect()
    }

    fn draft(&self, cycle: i32, state: &str) -> Result<Option<Draft>> {
        self.run(|c| draft(c, cycle, state, ""))
    }

    fn save_draft(
        &mut self,
        cycle: i32,
        state: &str,
        answers: &Answers,
        expected: Expected,
        actor: &str,
    ) -> Result<i64> {
        let subject = format!("cycle/{cycle}/responses/{state}");
        self.write(|tx| {
            let stored = as_expected(tx, cycle, state, expected)?;
            let version = expected.version + 1;
            let json = serde_json::to_string(answers).map_err(invalid)?;
            tx.execute(
                "INSERT INTO drafts (cycle, state, status, answers, version, updated_at, updated_by)
                 VALUES ($1, $2, 'draft', $3::text, $4, $5, $6)
                 ON CONFLICT (cycle, state) DO UPDATE SET status = 'draft', answers = excluded.answers,
                     version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                &[&i64::from(cycle), &state, &json, &version, &now(), &actor],
            )?;
            // Only the answers that changed, as the SQLite engine records them.
            let old = stored.as_ref().map(|d| serde_json::to_value(&d.answers).unwrap_or_default());
            let new = serde_json::to_value(answers).map_err(invalid)?;
            let (before, after) = observa_domain::history::field_maps(old.as_ref(), Some(&new));
            let before = serde_json::json!({ "version": expected.version, "answers": before }).to_string();
            let after = serde_json::json!({ "version": version, "answers": after }).to_string();
            append(tx, &self.audit_key, actor, "save-draft", &subject, Some(&before), Some(&after))?;
            Ok(version)
        })
    }

    fn submit(&mut self, cycle: i32, state: &str, expected: Expected, actor: &str) -> Result<bool> {
        let subject = format!("cycle/{cycle}/responses/{state}");
        self.write(|tx| {
            let Some(draft) = as_expected(tx, cycle, state, expected)? else {
                return Err(invalid(format!("{subject} has no saved answers to submit")));
            };
            let answers = serde_json::to_string(&draft.answers).map_err(invalid)?;
            // The unique key (cycle, state, draft_version) makes a repeated submit harmless.
            let inserted = tx.execute(
                "INSERT INTO submissions (cycle, state, draft_version, answers, submitted_at, submitted_by)
                 VALUES ($1, $2, $3, $4::text, $5, $6) ON CONFLICT (cycle, state, draft_version) DO NOTHING",
                &[&i64::from(cycle), &state, &draft.version, &answers, &now(), &actor],
            )?;
            if inserted == 1 {
                tx.execute(
                    "UPDATE drafts SET status = 'submitted' WHERE cycle = $1 AND state = $2",
                    &[&i64::from(cycle), &state],
                )?;
                let after = format!("{{\"version\":{}}}", draft.version);
                append(tx, &self.audit_key, actor, "submit", &subject, None, Some(&after))?;
            }
            Ok(inserted == 1)
        })
    }

    fn return_response(&mut self, cycle: i32, state: &str, expected: Expected, comment: &NewComment) -> Result<()> {
        self.write(|tx| {
            as_expected(tx, cycle, state, expected)?;
            self.decide(tx, cycle, state, expected, Status::Returned, &comment.body, &comment.author)?;
            self.insert_comment(tx, cycle, state, comment)
        })
    }

    fn accept(
        &mut self,
        cycle: i32,
        state: &str,
        expected: Expected,
        changes: &[Change],
        comments: &[NewComment],
        actor: &str,
    ) -> Result<()> {
        self.write(|tx| {
            as_expected(tx, cycle, state, expected)?;
            let note = comments.iter().find(|c| c.author == actor).map_or("", |c| c.body.as_str());
            self.decide(tx, cycle, state, expected, Status::Accepted, note, actor)?;
            let origin = Origin {
                cycle,
                effective: chrono::Utc::now().date_naive(),
                established_by: observa_domain::projection::document_id(cycle, state),
                actor: actor.to_string(),
            };
            super::history::apply(self, tx, changes, &origin)?;
            for comment in comments {
                self.insert_comment(tx, cycle, state, comment)?;
            }
            Ok(())
        })
    }

    fn add_comment(&mut self, cycle: i32, state: &str, question: &str, body: &str, actor: &str) -> Result<()> {
        let comment = NewComment { question: question.to_string(), body: body.to_string(), author: actor.to_string() };
        self.write(|tx| self.insert_comment(tx, cycle, state, &comment))
    }

    fn comments(&self, cycle: i32, state: &str) -> Result<Vec<Comment>> {
        let rows = self.run(|c| {
            Ok(c.query(
                "SELECT question, author, body, at FROM comments WHERE cycle = $1 AND state = $2 ORDER BY id",
                &[&i64::from(cycle), &state],
            )?)
        })?;
        Ok(rows
            .iter()
            .map(|r| Comment { question: r.get(0), author: r.get(1), body: r.get(2), at: r.get(3) })
            .collect())
    }

    fn attach(&mut self, cycle: i32, state: &str, file: &Attachment, content: &[u8], actor: &str) -> Result<i64> {
        self.write(|tx| {
            let id: i64 = tx
                .query_one(
                    "INSERT INTO attachments (cycle, state, name, media_type, size, sha256, content, uploaded_at, uploaded_by)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                    &[
                        &i64::from(cycle),
                        &state,
                        &file.name,
                        &file.media_type,
                        &(content.len() as i64),
                        &file.sha256,
                        &content,
                        &now(),
                        &actor,
                    ],
                )?
                .get(0);
            let after = serde_json::json!({ "name": file.name, "type": file.media_type, "size": content.len(), "sha256": file.sha256 });
            let subject = format!("cycle/{cycle}/responses/{state}/attachments/{id}");
            append(tx, &self.audit_key, actor, "attach", &subject, None, Some(&after.to_string()))?;
            Ok(id)
        })
    }

    fn attachments(&self, cycle: i32, state: &str) -> Result<Vec<Attachment>> {
        let rows = self.run(|c| {
            Ok(c.query(
                "SELECT id, name, media_type, size, sha256, uploaded_at, uploaded_by FROM attachments
                 WHERE cycle = $1 AND state = $2 ORDER BY id",
                &[&i64::from(cycle), &state],
            )?)
        })?;
        Ok(rows.iter().map(attachment_from).collect())
    }

    fn attachment(&self, cycle: i32, state: &str, id: i64) -> Result<Option<(Attachment, Vec<u8>)>> {
        self.run(|c| {
            Ok(c.query_opt(
                "SELECT id, name, media_type, size, sha256, uploaded_at, uploaded_by, content FROM attachments
                 WHERE cycle = $1 AND state = $2 AND id = $3",
                &[&i64::from(cycle), &state, &id],
            )?
            .map(|r| (attachment_from(&r), r.get(7))))
        })
    }

    fn liaisons(&self, state: &str) -> Result<Vec<String>> {
        let rows = self.run(|c| {
            Ok(c.query(
                "SELECT email, states::text FROM accounts WHERE role = 'liaison' AND NOT disabled ORDER BY email COLLATE \"C\"",
                &[],
            )?)
        })?;
        Ok(rows
            .iter()
            .filter(|r| {
                serde_json::from_str::<Vec<String>>(&r.get::<_, String>(1))
                    .unwrap_or_default()
                    .iter()
                    .any(|s| s == state)
            })
            .map(|r| r.get(0))
            .collect())
    }

    fn queue(&mut self, messages: &[Message], actor: &str) -> Result<usize> {
        self.write(|tx| {
            let at = now();
            for m in messages {
                tx.execute(
                    "INSERT INTO outbox (to_address, subject, body, created_at, created_by) VALUES ($1, $2, $3, $4, $5)",
                    &[&m.to, &m.subject, &m.body, &at, &actor],
                )?;
            }
            let to: Vec<&str> = messages.iter().map(|m| m.to.as_str()).collect();
            append(tx, &self.audit_key, actor, "queue-messages", "outbox", None, Some(&to.join(", ")))?;
            Ok(messages.len())
        })
    }

    fn outbox(&self) -> Result<Vec<Message>> {
        let rows = self.run(|c| {
            Ok(c.query("SELECT to_address, subject, body FROM outbox WHERE sent_at IS NULL ORDER BY id", &[])?)
        })?;
        Ok(rows.iter().map(|r| Message { to: r.get(0), subject: r.get(1), body: r.get(2) }).collect())
    }

    fn submissions(&self, cycle: i32, state: &str) -> Result<usize> {
        let n: i64 = self.run(|c| {
            Ok(c.query_one(
                "SELECT count(*) FROM submissions WHERE cycle = $1 AND state = $2",
                &[&i64::from(cycle), &state],
            )?
            .get(0))
        })?;
        Ok(n as usize)
    }

    fn create_token(
        &mut self,
        account: &Account,
        token_hash: &str,
        expires_at: &str,
        label: &str,
        actor: &str,
    ) -> Result<i64> {
        self.write(|tx| {
            let id: i64 = tx.query_one("SELECT COALESCE(MAX(id), 0) + 1 FROM api_tokens", &[])?.get(0);
            tx.execute(
                "INSERT INTO api_tokens (id, token_hash, account, created_at, expires_at, label) VALUES ($1, $2, $3, $4, $5, $6)",
                &[&id, &token_hash, &account.id, &now(), &expires_at, &label],
            )?;
            let after = serde_json::json!({ "token": id, "expires_at": expires_at, "label": label }).to_string();
            append(tx, &self.audit_key, actor, "create-token", &format!("account/{}", account.id), None, Some(&after))?;
            Ok(id)
        })
    }

    fn token_account(&self, token_hash: &str, now: &str) -> Result<Option<String>> {
        self.run(|c| {
            Ok(c.query_opt(
                "SELECT a.email FROM api_tokens t JOIN accounts a ON a.id = t.account
                 WHERE t.token_hash = $1 AND NOT a.disabled AND t.revoked_at IS NULL
                   AND t.expires_at IS NOT NULL AND t.expires_at > $2",
                &[&token_hash, &now],
            )?
            .map(|r| r.get(0)))
        })
    }

    fn tokens(&self, account: Option<i64>) -> Result<Vec<ApiToken>> {
        let rows = self.run(|c| {
            Ok(c.query(
                "SELECT t.id, a.email, t.label, t.created_at, t.expires_at, t.revoked_at
                 FROM api_tokens t JOIN accounts a ON a.id = t.account
                 WHERE $1::bigint IS NULL OR t.account = $1 ORDER BY t.id DESC",
                &[&account],
            )?)
        })?;
        Ok(rows
            .iter()
            .map(|r| ApiToken {
                id: r.get(0),
                email: r.get(1),
                label: r.get(2),
                created_at: r.get(3),
                expires_at: r.get(4),
                revoked_at: r.get(5),
            })
            .collect())
    }

    fn revoke_token(&mut self, id: i64, owner: Option<i64>, actor: &str) -> Result<bool> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL AND ($3::bigint IS NULL OR account = $3)",
                &[&now(), &id, &owner],
            )?;
            if changed == 1 {
                append(tx, &self.audit_key, actor, "revoke-token", &format!("token/{id}"), None, None)?;
            }
            Ok(changed == 1)
        })
    }
}

impl PostgresStore {
    /// The secretariat's decision inside the caller's locked transaction: only a submitted
    /// response can be returned or accepted.
    /// Writes the status the workflow decided, inside the caller's transaction, with its audit
    /// entry.
    #[allow(clippy::too_many_arguments)]
    fn decide(
        &self,
        tx: &mut Transaction,
        cycle: i32,
        state: &str,
        from: Expected,
        to: Status,
        comment: &str,
        actor: &str,
    ) -> Result<()> {
        let subject = format!("cycle/{cycle}/responses/{state}");
        tx.execute(
            "UPDATE drafts SET status = $1, updated_at = $2, updated_by = $3 WHERE cycle = $4 AND state = $5",
            &[&to.code(), &now(), &actor, &i64::from(cycle), &state],
        )?;
        let before = serde_json::json!({ "status": from.status.code() }).to_string();
        let after = serde_json::json!({ "status": to.code(), "comment": comment }).to_string();
        append(tx, &self.audit_key, actor, "review", &subject, Some(&before), Some(&after))
    }

    /// Appends one comment (1 to 5,000 characters once trimmed) with its audit entry.
    fn insert_comment(&self, tx: &mut Transaction, cycle: i32, state: &str, comment: &NewComment) -> Result<()> {
        let body = comment.body.trim();
        if body.is_empty() || body.chars().count() > 5000 {
            return Err(invalid("a comment has 1 to 5,000 characters"));
        }
        tx.execute(
            "INSERT INTO comments (cycle, state, question, author, body, at) VALUES ($1, $2, $3, $4, $5, $6)",
            &[&i64::from(cycle), &state, &comment.question, &comment.author, &body, &now()],
        )?;
        let subject = format!("cycle/{cycle}/responses/{state}/{}", comment.question);
        append(tx, &self.audit_key, &comment.author, "comment", &subject, None, Some(body))
    }
}

/// The stored draft, if the response is still at the version and status the workflow decided
/// from (read `FOR UPDATE`); otherwise a conflict.
fn as_expected(tx: &mut Transaction, cycle: i32, state: &str, expected: Expected) -> Result<Option<Draft>> {
    let stored = draft(tx, cycle, state, "FOR UPDATE")?;
    let (current, status) = stored.as_ref().map_or((0, Status::NotStarted), |d| (d.version, d.status));
    if current != expected.version || status != expected.status {
        let subject = format!("cycle/{cycle}/responses/{state}");
        return Err(StoreError::Conflict { subject, current, based_on: expected.version });
    }
    Ok(stored)
}
