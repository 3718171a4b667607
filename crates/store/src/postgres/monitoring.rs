//! [`MonitoringStore`] for PostgreSQL, as the SQLite engine keeps it. Every write holds the
//! write lock and reads the stored version `FOR UPDATE`, so a stale save from any process is a
//! conflict.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use observa_domain::consultation::Status;
use observa_domain::monitoring::{Matrix, Period, ProgressReport, ReportKey};
use postgres::{Row, Transaction};

use super::audit::append;
use super::PostgresStore;
use observa_domain::audit::AuditKey;

use crate::{Attachment, Comment, Evidence, Expected, MonitoringStore, NewComment, Reported, Result, StoreError};

fn now() -> String {
    super::now_millis()
}

fn invalid(e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(e.to_string())
}

fn day(text: &str) -> Result<NaiveDate> {
    text.parse().map_err(|e| invalid(format!("`{text}` is not a date: {e}")))
}

const REPORT_COLUMNS: &str = "plan, indicator, period, period_end, status, value, no_data, breakdown::text, \
     narrative, lang, late, version, updated_by, updated_at, submitted_at";

fn report_from(r: &Row) -> Result<ProgressReport> {
    Ok(ProgressReport {
        key: ReportKey { plan: r.get(0), indicator: r.get(1), period: day(r.get(2))? },
        period_end: day(r.get(3))?,
        status: Status::parse(r.get(4)).unwrap_or(Status::Draft),
        value: r.get::<_, Option<String>>(5).and_then(|v| v.parse().ok()),
        no_data: r.get(6),
        breakdown: serde_json::from_str(r.get(7)).unwrap_or_default(),
        narrative: r.get(8),
        lang: serde_json::from_value(r.get::<_, String>(9).into()).unwrap_or(observa_domain::Lang::Es),
        late: r.get(10),
        version: r.get(11),
        updated_by: r.get(12),
        updated_at: r.get(13),
        submitted_at: r.get(14),
    })
}

fn subject(key: &ReportKey) -> String {
    format!("plans/{}/indicators/{}/{}", key.plan, key.indicator, key.period)
}

fn report(c: &mut impl postgres::GenericClient, key: &ReportKey, lock: &str) -> Result<Option<ProgressReport>> {
    let sql = format!(
        "SELECT {REPORT_COLUMNS} FROM progress_reports WHERE plan = $1 AND indicator = $2 AND period = $3 {lock}"
    );
    c.query_opt(&sql, &[&key.plan, &key.indicator, &key.period.to_string()])?.map(|r| report_from(&r)).transpose()
}

const EVIDENCE_COLUMNS: &str =
    "plan, indicator, period, id, name, media_type, size, sha256, uploaded_at, uploaded_by, public";

fn evidence_from(r: &Row) -> Result<(ReportKey, Evidence)> {
    let key = ReportKey { plan: r.get(0), indicator: r.get(1), period: day(r.get(2))? };
    let file = Attachment {
        id: r.get(3),
        name: r.get(4),
        media_type: r.get(5),
        size: r.get(6),
        sha256: r.get(7),
        uploaded_at: r.get(8),
        uploaded_by: r.get(9),
    };
    Ok((key, Evidence { file, public: r.get(10) }))
}

/// Keeps `latest_approved` equal to the latest approved period of the report's indicator.
fn latest(tx: &mut Transaction, key: &ReportKey) -> Result<()> {
    tx.execute("DELETE FROM latest_approved WHERE plan = $1 AND indicator = $2", &[&key.plan, &key.indicator])?;
    tx.execute(
        "INSERT INTO latest_approved (plan, indicator, period_end)
         SELECT plan, indicator, MAX(period_end) FROM progress_reports
         WHERE plan = $1 AND indicator = $2 AND status = 'accepted' AND value IS NOT NULL GROUP BY plan, indicator",
        &[&key.plan, &key.indicator],
    )?;
    Ok(())
}

impl MonitoringStore for PostgresStore {
    fn matrix(&self, plan: &str) -> Result<Option<(Matrix, i64)>> {
        let row =
            self.run(|c| Ok(c.query_opt("SELECT body::text, version FROM matrices WHERE plan = $1", &[&plan])?))?;
        row.map(|r| Ok((serde_json::from_str(r.get(0)).map_err(invalid)?, r.get(1)))).transpose()
    }

    fn matrices(&self) -> Result<Vec<(String, Matrix)>> {
        let rows =
            self.run(|c| Ok(c.query("SELECT state, body::text FROM matrices ORDER BY plan COLLATE \"C\"", &[])?))?;
        rows.iter().map(|r| Ok((r.get(0), serde_json::from_str(r.get(1)).map_err(invalid)?))).collect()
    }

    fn save_matrix(
        &mut self,
        state: &str,
        matrix: &Matrix,
        expected: i64,
        periods: &[Period],
        actor: &str,
    ) -> Result<i64> {
        let body = serde_json::to_string(matrix).map_err(invalid)?;
        self.write(|tx| {
            let current: i64 = tx
                .query_opt("SELECT version FROM matrices WHERE plan = $1 FOR UPDATE", &[&matrix.plan])?
                .map_or(0, |r| r.get(0));
            let subject = format!("plans/{}/matrix", matrix.plan);
            if current != expected {
                return Err(StoreError::Conflict { subject, current, based_on: expected });
            }
            tx.execute(
                "INSERT INTO matrices (plan, state, body, version, updated_at, updated_by) VALUES ($1, $2, $3::text, $4, $5, $6)
                 ON CONFLICT (plan) DO UPDATE SET body = excluded.body, version = excluded.version,
                     updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                &[&matrix.plan, &state, &body, &(expected + 1), &now(), &actor],
            )?;
            tx.execute("DELETE FROM monitoring_periods WHERE plan = $1", &[&matrix.plan])?;
            let insert =
                tx.prepare("INSERT INTO monitoring_periods (plan, indicator, start, end_date) VALUES ($1, $2, $3, $4)")?;
            for p in periods {
                tx.execute(&insert, &[&matrix.plan, &p.indicator, &p.start.to_string(), &p.end.to_string()])?;
            }
            let after = serde_json::json!({
                "version": expected + 1,
                "indicators": matrix.indicators().len(),
                "periods": periods.len(),
            });
            append(tx, &self.audit_key, actor, "save-matrix", &subject, None, Some(&after.to_string()))?;
            Ok(expected + 1)
        })
    }

    fn periods(&self, plan: &str) -> Result<Vec<Period>> {
        let rows = self.run(|c| {
            Ok(c.query(
                "SELECT indicator, start, end_date FROM monitoring_periods WHERE plan = $1
                 ORDER BY indicator COLLATE \"C\", start",
                &[&plan],
            )?)
        })?;
        rows.iter().map(|r| Ok(Period { indicator: r.get(0), start: day(r.get(1))?, end: day(r.get(2))? })).collect()
    }

    fn progress(&self, plan: &str) -> Result<Vec<ProgressReport>> {
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM progress_reports WHERE plan = $1 ORDER BY indicator COLLATE \"C\", period"
        );
        let rows = self.run(|c| Ok(c.query(&sql, &[&plan])?))?;
        rows.iter().map(report_from).collect()
    }

    fn progress_report(&self, key: &ReportKey) -> Result<Option<ProgressReport>> {
        self.run(|c| report(c, key, ""))
    }

    fn indicator_progress(&self, plan: &str, indicator: &str) -> Result<Vec<ProgressReport>> {
        let sql =
            format!("SELECT {REPORT_COLUMNS} FROM progress_reports WHERE plan = $1 AND indicator = $2 ORDER BY period");
        let rows = self.run(|c| Ok(c.query(&sql, &[&plan, &indicator])?))?;
        rows.iter().map(report_from).collect()
    }

    fn period(&self, key: &ReportKey) -> Result<Option<Period>> {
        let sql = "SELECT end_date FROM monitoring_periods WHERE plan = $1 AND indicator = $2 AND start = $3";
        let row = self.run(|c| Ok(c.query_opt(sql, &[&key.plan, &key.indicator, &key.period.to_string()])?))?;
        row.map(|r| Ok(Period { indicator: key.indicator.clone(), start: key.period, end: day(r.get(0))? })).transpose()
    }

    fn save_progress(
        &mut self,
        state: &str,
        report: &ProgressReport,
        expected: Expected,
        comment: Option<&NewComment>,
        action: &str,
    ) -> Result<i64> {
        self.write(|tx| write_report(&self.audit_key, tx, Reported { state, report, expected, comment }, action))
    }

    fn progress_comments(&self, key: &ReportKey) -> Result<Vec<Comment>> {
        let rows = self.run(|c| {
            Ok(c.query(
                "SELECT author, body, at FROM progress_comments WHERE plan = $1 AND indicator = $2 AND period = $3 ORDER BY id",
                &[&key.plan, &key.indicator, &key.period.to_string()],
            )?)
        })?;
        Ok(rows
            .iter()
            .map(|r| Comment { question: key.indicator.clone(), author: r.get(0), body: r.get(1), at: r.get(2) })
            .collect())
    }

    fn reopen_period(
        &mut self,
        key: &ReportKey,
        until: NaiveDate,
        report: Option<Reported>,
        actor: &str,
    ) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO period_reopenings (plan, indicator, period, until, reopened_by, at) VALUES ($1, $2, $3, $4, $5, $6)",
                &[&key.plan, &key.indicator, &key.period.to_string(), &until.to_string(), &actor, &now()],
            )?;
            let after = format!("{{\"until\":\"{until}\"}}");
            append(tx, &self.audit_key, actor, "reopen-period", &subject(key), None, Some(&after))?;
            if let Some(w) = report {
                write_report(&self.audit_key, tx, w, "reopen-report")?;
            }
            Ok(())
        })
    }

    fn reopenings(&self, plan: &str) -> Result<BTreeMap<(String, NaiveDate), NaiveDate>> {
        let rows = self.run(|c| {
            Ok(c.query("SELECT indicator, period, until FROM period_reopenings WHERE plan = $1 ORDER BY id", &[&plan])?)
        })?;
        rows.iter().map(|r| Ok(((r.get(0), day(r.get(1))?), day(r.get(2))?))).collect()
    }

    fn latest_approved(&self) -> Result<BTreeMap<String, BTreeMap<String, NaiveDate>>> {
        let rows = self.run(|c| Ok(c.query("SELECT plan, indicator, period_end FROM latest_approved", &[])?))?;
        let mut out: BTreeMap<String, BTreeMap<String, NaiveDate>> = BTreeMap::new();
        for r in &rows {
            out.entry(r.get(0)).or_default().insert(r.get(1), day(r.get(2))?);
        }
        Ok(out)
    }

    fn attach_evidence(&mut self, key: &ReportKey, file: &Evidence, content: &[u8], actor: &str) -> Result<i64> {
        let f = &file.file;
        self.write(|tx| {
            let id: i64 = tx
                .query_one(
                    "INSERT INTO evidence (plan, indicator, period, name, media_type, size, sha256, public, content, uploaded_at, uploaded_by)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                    &[
                        &key.plan,
                        &key.indicator,
                        &key.period.to_string(),
                        &f.name,
                        &f.media_type,
                        &f.size,
                        &f.sha256,
                        &file.public,
                        &content,
                        &now(),
                        &actor,
                    ],
                )?
                .get(0);
            let after = serde_json::json!({ "id": id, "name": f.name, "type": f.media_type, "size": f.size, "sha256": f.sha256, "public": file.public });
            append(tx, &self.audit_key, actor, "attach-evidence", &subject(key), None, Some(&after.to_string()))?;
            Ok(id)
        })
    }

    fn import_reports(&mut self, reports: &[(String, ProgressReport)], actor: &str) -> Result<usize> {
        self.write(|tx| {
            let insert = tx.prepare(
                &format!(
                    "INSERT INTO progress_reports ({REPORT_COLUMNS}, state)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text, $9, $10, $11, $12, $13, $14, $15, $16)
                 ON CONFLICT (plan, indicator, period) DO UPDATE SET period_end = excluded.period_end,
                     status = excluded.status, value = excluded.value, no_data = excluded.no_data,
                     breakdown = excluded.breakdown, narrative = excluded.narrative, lang = excluded.lang,
                     late = excluded.late, version = excluded.version, updated_by = excluded.updated_by,
                     updated_at = excluded.updated_at, submitted_at = excluded.submitted_at"
                )
                .replace("breakdown::text", "breakdown"),
            )?;
            for (state, r) in reports {
                let breakdown = serde_json::to_string(&r.breakdown).map_err(invalid)?;
                tx.execute(
                    &insert,
                    &[
                        &r.key.plan,
                        &r.key.indicator,
                        &r.key.period.to_string(),
                        &r.period_end.to_string(),
                        &r.status.code(),
                        &r.value.map(|v| v.to_string()),
                        &r.no_data,
                        &breakdown,
                        &r.narrative,
                        &r.lang.code(),
                        &r.late,
                        &r.version.max(1),
                        &r.updated_by,
                        &r.updated_at,
                        &r.submitted_at,
                        state,
                    ],
                )?;
            }
            tx.execute("DELETE FROM latest_approved", &[])?;
            tx.execute(
                "INSERT INTO latest_approved (plan, indicator, period_end) SELECT plan, indicator, MAX(period_end)
                 FROM progress_reports WHERE status = 'accepted' AND value IS NOT NULL GROUP BY plan, indicator",
                &[],
            )?;
            let after = format!("{{\"reports\":{}}}", reports.len());
            append(tx, &self.audit_key, actor, "import-reports", "monitoring", None, Some(&after))?;
            Ok(reports.len())
        })
    }

    fn mark_demonstration(&mut self, note: &str, actor: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO meta VALUES ('demonstration', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[&note],
            )?;
            append(tx, &self.audit_key, actor, "mark-demonstration", "meta/demonstration", None, Some(note))
        })
    }

    fn evidence(&self, plan: &str) -> Result<Vec<(ReportKey, Evidence)>> {
        let sql = format!("SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE plan = $1 ORDER BY id");
        let rows = self.run(|c| Ok(c.query(&sql, &[&plan])?))?;
        rows.iter().map(evidence_from).collect()
    }

    fn evidence_file(&self, plan: &str, id: i64) -> Result<Option<(ReportKey, Evidence, Vec<u8>)>> {
        let sql = format!("SELECT {EVIDENCE_COLUMNS}, content FROM evidence WHERE plan = $1 AND id = $2");
        let row = self.run(|c| Ok(c.query_opt(&sql, &[&plan, &id])?))?;
        row.map(|r| {
            let (key, file) = evidence_from(&r)?;
            Ok((key, file, r.get(11)))
        })
        .transpose()
    }
}

/// Writes a report as decided if the stored one is as expected, with its comment, keeping the
/// latest approved period up to date; the new version. Inside the caller's transaction.
fn write_report(audit_key: &AuditKey, tx: &mut Transaction, w: Reported, action: &str) -> Result<i64> {
    let Reported { state, report: r, expected, comment } = w;
    let breakdown = serde_json::to_string(&r.breakdown).map_err(invalid)?;
    let key = &r.key;
    let before = report(tx, key, "FOR UPDATE")?;
    let (version, status) = before.as_ref().map_or((0, Status::NotStarted), |b| (b.version, b.status));
    if (version, status) != (expected.version, expected.status) {
        return Err(StoreError::Conflict { subject: subject(key), current: version, based_on: expected.version });
    }
    let version = expected.version + 1;
    tx.execute(
        &format!(
            "INSERT INTO progress_reports ({REPORT_COLUMNS}, state)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text, $9, $10, $11, $12, $13, $14, $15, $16)
             ON CONFLICT (plan, indicator, period) DO UPDATE SET period_end = excluded.period_end,
                 status = excluded.status, value = excluded.value, no_data = excluded.no_data,
                 breakdown = excluded.breakdown, narrative = excluded.narrative, lang = excluded.lang,
                 late = excluded.late, version = excluded.version, updated_by = excluded.updated_by,
                 updated_at = excluded.updated_at, submitted_at = excluded.submitted_at"
        )
        .replace("breakdown::text", "breakdown"),
        &[
            &key.plan,
            &key.indicator,
            &key.period.to_string(),
            &r.period_end.to_string(),
            &r.status.code(),
            &r.value.map(|v| v.to_string()),
            &r.no_data,
            &breakdown,
            &r.narrative,
            &r.lang.code(),
            &r.late,
            &version,
            &r.updated_by,
            &now(),
            &r.submitted_at,
            &state,
        ],
    )?;
    latest(tx, key)?;
    if let Some(c) = comment {
        tx.execute(
            "INSERT INTO progress_comments (plan, indicator, period, author, body, at) VALUES ($1, $2, $3, $4, $5, $6)",
            &[&key.plan, &key.indicator, &key.period.to_string(), &c.author, &c.body, &now()],
        )?;
    }
    let summary = |s: Status, value: Option<f64>, no_data: &Option<String>, v: i64| {
        serde_json::json!({ "status": s.code(), "value": value, "no_data": no_data, "version": v }).to_string()
    };
    let before = before.map(|b| summary(b.status, b.value, &b.no_data, b.version));
    let after = summary(r.status, r.value, &r.no_data, version);
    let after = match comment {
        Some(c) => format!("{after} comment: {}", c.body),
        None => after,
    };
    append(tx, audit_key, &r.updated_by, action, &subject(key), before.as_deref(), Some(&after))?;
    Ok(version)
}
