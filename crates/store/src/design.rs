//! [`DesignStore`] for SQLite: plans in design, one versioned JSON body per draft. Every write
//! takes the write lock first (`IMMEDIATE`), so the version it compares is the one it replaces.

use observa_domain::monitoring::design::Origin;
use rusqlite::{params, OptionalExtension, Row};

use crate::sqlite::{append_audit, SqliteStore};
use crate::{DesignStore, PlanDraft, Result, StoreError};

pub(crate) const COLUMNS: &str =
    "id, state, title, based_on, origin, body, version, created_by, created_at, updated_by, updated_at";

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A row as read, the body still text (parsed outside rusqlite's closure, with the draft named).
type Raw = (PlanDraft, String, String);

fn raw(r: &Row) -> rusqlite::Result<Raw> {
    let empty = observa_domain::monitoring::Matrix::new("");
    let draft = PlanDraft {
        id: r.get(0)?,
        state: r.get(1)?,
        title: r.get(2)?,
        based_on: r.get(3)?,
        origin: Origin::Matrix,
        body: empty,
        version: r.get(6)?,
        created_by: r.get(7)?,
        created_at: r.get(8)?,
        updated_by: r.get(9)?,
        updated_at: r.get(10)?,
    };
    Ok((draft, r.get(4)?, r.get(5)?))
}

/// The draft with its origin and body read; an unreadable one names the draft.
pub(crate) fn finish((mut draft, origin, body): Raw) -> Result<PlanDraft> {
    let bad = |what: String| StoreError::Table {
        table: "plan_drafts".into(),
        message: format!("draft {}: {what}", draft.id),
    };
    draft.origin = Origin::parse(&origin).ok_or_else(|| bad(format!("origin `{origin}` is unknown")))?;
    draft.body = serde_json::from_str(&body).map_err(|e| bad(format!("body: {e}")))?;
    Ok(draft)
}

/// What the audit log keeps of a draft: its title and size, not the whole body.
pub(crate) fn summary(draft: &PlanDraft, version: i64) -> String {
    serde_json::json!({
        "version": version,
        "title": draft.title,
        "based_on": draft.based_on,
        "objectives": draft.body.objectives.len(),
        "actions": draft.body.actions().count(),
        "indicators": draft.body.indicators().len(),
    })
    .to_string()
}

impl DesignStore for SqliteStore {
    fn plan_drafts(&self) -> Result<Vec<PlanDraft>> {
        let mut stmt = self.conn.prepare(&format!("SELECT {COLUMNS} FROM plan_drafts ORDER BY state, id"))?;
        let rows = stmt.query_map([], raw)?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(finish).collect()
    }

    fn plan_draft(&self, id: i64) -> Result<Option<PlanDraft>> {
        let sql = format!("SELECT {COLUMNS} FROM plan_drafts WHERE id = ?1");
        self.conn.query_row(&sql, [id], raw).optional()?.map(finish).transpose()
    }

    fn create_plan_draft(&mut self, draft: &PlanDraft, actor: &str) -> Result<i64> {
        let body = serde_json::to_string(&draft.body).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let at = now();
        tx.execute(
            "INSERT INTO plan_drafts (state, title, based_on, origin, body, version, created_by, created_at,
                 updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?6, ?7)",
            params![draft.state, draft.title, draft.based_on, draft.origin.code(), body, actor, at],
        )?;
        let id = tx.last_insert_rowid();
        let subject = format!("plan-drafts/{id}");
        append_audit(
            &self.audit_key,
            &tx,
            actor.into(),
            "create-plan-draft",
            &subject,
            None,
            Some(&summary(draft, 1)),
        )?;
        tx.commit()?;
        Ok(id)
    }

    fn save_plan_draft(&mut self, draft: &PlanDraft, expected: i64, actor: &str) -> Result<i64> {
        let body = serde_json::to_string(&draft.body).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let subject = format!("plan-drafts/{}", draft.id);
        let sql = format!("SELECT {COLUMNS} FROM plan_drafts WHERE id = ?1");
        let stored = tx.query_row(&sql, [draft.id], raw).optional()?.map(finish).transpose()?;
        let Some(stored) = stored else {
            return Err(StoreError::Invalid(format!("{subject}: there is no such draft")));
        };
        if stored.version != expected {
            return Err(StoreError::Conflict { subject, current: stored.version, based_on: expected });
        }
        tx.execute(
            "UPDATE plan_drafts SET title = ?2, body = ?3, version = ?4, updated_by = ?5, updated_at = ?6 WHERE id = ?1",
            params![draft.id, draft.title, body, expected + 1, actor, now()],
        )?;
        let (before, after) = (summary(&stored, expected), summary(draft, expected + 1));
        append_audit(&self.audit_key, &tx, actor.into(), "save-plan-draft", &subject, Some(&before), Some(&after))?;
        tx.commit()?;
        Ok(expected + 1)
    }
}
