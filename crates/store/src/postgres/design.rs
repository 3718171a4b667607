//! [`DesignStore`] for PostgreSQL, as the SQLite engine keeps it. Every write holds the write
//! lock and reads the stored version `FOR UPDATE`, so a stale save from any process is a conflict.

use observa_domain::monitoring::design::Origin;
use postgres::Row;

use super::audit::append;
use super::PostgresStore;
use crate::design::{finish, summary};
use crate::{DesignStore, PlanDraft, Result, StoreError};

const COLUMNS: &str =
    "id, state, title, based_on, origin, body::text, version, created_by, created_at, updated_by, updated_at";

fn raw(r: &Row) -> (PlanDraft, String, String) {
    let draft = PlanDraft {
        id: r.get(0),
        state: r.get(1),
        title: r.get(2),
        based_on: r.get(3),
        origin: Origin::Matrix,
        body: observa_domain::monitoring::Matrix::new(""),
        version: r.get(6),
        created_by: r.get(7),
        created_at: r.get(8),
        updated_by: r.get(9),
        updated_at: r.get(10),
    };
    (draft, r.get(4), r.get(5))
}

impl DesignStore for PostgresStore {
    fn plan_drafts(&self) -> Result<Vec<PlanDraft>> {
        let sql = format!("SELECT {COLUMNS} FROM plan_drafts ORDER BY state COLLATE \"C\", id");
        let rows = self.run(|c| Ok(c.query(&sql, &[])?))?;
        rows.iter().map(|r| finish(raw(r))).collect()
    }

    fn plan_draft(&self, id: i64) -> Result<Option<PlanDraft>> {
        let sql = format!("SELECT {COLUMNS} FROM plan_drafts WHERE id = $1");
        let row = self.run(|c| Ok(c.query_opt(&sql, &[&id])?))?;
        row.map(|r| finish(raw(&r))).transpose()
    }

    fn create_plan_draft(&mut self, draft: &PlanDraft, actor: &str) -> Result<i64> {
        let body = serde_json::to_string(&draft.body).map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.write(|tx| {
            let at = super::now_millis();
            let id: i64 = tx
                .query_one(
                    "INSERT INTO plan_drafts (state, title, based_on, origin, body, version, created_by, created_at,
                         updated_by, updated_at) VALUES ($1, $2, $3, $4, $5::text, 1, $6, $7, $6, $7) RETURNING id",
                    &[&draft.state, &draft.title, &draft.based_on, &draft.origin.code(), &body, &actor, &at],
                )?
                .get(0);
            let subject = format!("plan-drafts/{id}");
            append(tx, &self.audit_key, actor, "create-plan-draft", &subject, None, Some(&summary(draft, 1)))?;
            Ok(id)
        })
    }

    fn save_plan_draft(&mut self, draft: &PlanDraft, expected: i64, actor: &str) -> Result<i64> {
        let body = serde_json::to_string(&draft.body).map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.write(|tx| {
            let subject = format!("plan-drafts/{}", draft.id);
            let sql = format!("SELECT {COLUMNS} FROM plan_drafts WHERE id = $1 FOR UPDATE");
            let Some(row) = tx.query_opt(&sql, &[&draft.id])? else {
                return Err(StoreError::Invalid(format!("{subject}: there is no such draft")));
            };
            let stored = finish(raw(&row))?;
            if stored.version != expected {
                return Err(StoreError::Conflict { subject, current: stored.version, based_on: expected });
            }
            tx.execute(
                "UPDATE plan_drafts SET title = $2, body = $3::text, version = $4, updated_by = $5, updated_at = $6
                 WHERE id = $1",
                &[&draft.id, &draft.title, &body, &(expected + 1), &actor, &super::now_millis()],
            )?;
            let (before, after) = (summary(&stored, expected), summary(draft, expected + 1));
            append(tx, &self.audit_key, actor, "save-plan-draft", &subject, Some(&before), Some(&after))?;
            Ok(expected + 1)
        })
    }
}
