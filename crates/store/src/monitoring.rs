//! [`MonitoringStore`] for SQLite: matrices, periods, progress reports and what hangs on them.
//! Every write takes the write lock first (`IMMEDIATE`), so the version it compares is the one
//! it replaces.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use observa_domain::consultation::Status;
use observa_domain::monitoring::{Matrix, Period, ProgressReport, ReportKey};
use rusqlite::{params, OptionalExtension, Row, Transaction};

use crate::sqlite::{append_audit, SqliteStore};
use observa_domain::audit::AuditKey;

use crate::{Attachment, Comment, Evidence, Expected, MonitoringStore, NewComment, Reported, Result, StoreError};

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn invalid(e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(e.to_string())
}

fn day(text: String) -> rusqlite::Result<NaiveDate> {
    text.parse().map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

pub(crate) const REPORT_COLUMNS: &str = "plan, indicator, period, period_end, status, value, no_data, breakdown, \
     narrative, lang, late, version, updated_by, updated_at, submitted_at";

fn report_from(r: &Row) -> rusqlite::Result<ProgressReport> {
    let value: Option<String> = r.get(5)?;
    let breakdown: String = r.get(7)?;
    let lang: String = r.get(9)?;
    Ok(ProgressReport {
        key: ReportKey { plan: r.get(0)?, indicator: r.get(1)?, period: day(r.get(2)?)? },
        period_end: day(r.get(3)?)?,
        status: Status::parse(&r.get::<_, String>(4)?).unwrap_or(Status::Draft),
        value: value.and_then(|v| v.parse().ok()),
        no_data: r.get(6)?,
        breakdown: serde_json::from_str(&breakdown).unwrap_or_default(),
        narrative: r.get(8)?,
        lang: serde_json::from_value(lang.into()).unwrap_or(observa_domain::Lang::Es),
        late: r.get(10)?,
        version: r.get(11)?,
        updated_by: r.get(12)?,
        updated_at: r.get(13)?,
        submitted_at: r.get(14)?,
    })
}

fn subject(key: &ReportKey) -> String {
    format!("plans/{}/indicators/{}/{}", key.plan, key.indicator, key.period)
}

/// The stored report if it is as `expected`, else the conflict.
fn as_expected(tx: &Transaction, key: &ReportKey, expected: Expected) -> Result<Option<ProgressReport>> {
    let sql =
        format!("SELECT {REPORT_COLUMNS} FROM progress_reports WHERE plan = ?1 AND indicator = ?2 AND period = ?3");
    let stored =
        tx.query_row(&sql, params![key.plan, key.indicator, key.period.to_string()], report_from).optional()?;
    let (version, status) = stored.as_ref().map_or((0, Status::NotStarted), |r| (r.version, r.status));
    if (version, status) != (expected.version, expected.status) {
        return Err(StoreError::Conflict { subject: subject(key), current: version, based_on: expected.version });
    }
    Ok(stored)
}

impl MonitoringStore for SqliteStore {
    fn matrix(&self, plan: &str) -> Result<Option<(Matrix, i64)>> {
        let row: Option<(String, i64)> = self
            .conn
            .query_row("SELECT body, version FROM matrices WHERE plan = ?1", [plan], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        row.map(|(body, v)| Ok((serde_json::from_str(&body).map_err(invalid)?, v))).transpose()
    }

    fn matrices(&self) -> Result<Vec<(String, Matrix)>> {
        let mut stmt = self.conn.prepare("SELECT state, body FROM matrices ORDER BY plan")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = vec![];
        for row in rows {
            let (state, body) = row?;
            out.push((state, serde_json::from_str(&body).map_err(invalid)?));
        }
        Ok(out)
    }

    fn save_matrix(
        &mut self,
        state: &str,
        matrix: &Matrix,
        expected: i64,
        periods: &[Period],
        actor: &str,
    ) -> Result<i64> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let current: i64 = tx
            .query_row("SELECT version FROM matrices WHERE plan = ?1", [&matrix.plan], |r| r.get(0))
            .optional()?
            .unwrap_or(0);
        let subject = format!("plans/{}/matrix", matrix.plan);
        if current != expected {
            return Err(StoreError::Conflict { subject, current, based_on: expected });
        }
        let body = serde_json::to_string(matrix).map_err(invalid)?;
        tx.execute(
            "INSERT INTO matrices (plan, state, body, version, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (plan) DO UPDATE SET body = excluded.body, version = excluded.version,
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            params![matrix.plan, state, body, expected + 1, now(), actor],
        )?;
        tx.execute("DELETE FROM monitoring_periods WHERE plan = ?1", [&matrix.plan])?;
        {
            let mut insert = tx
                .prepare("INSERT INTO monitoring_periods (plan, indicator, start, end_date) VALUES (?1, ?2, ?3, ?4)")?;
            for p in periods {
                insert.execute(params![matrix.plan, p.indicator, p.start.to_string(), p.end.to_string()])?;
            }
        }
        let after = serde_json::json!({
            "version": expected + 1,
            "indicators": matrix.indicators().len(),
            "periods": periods.len(),
        });
        append_audit(&self.audit_key, &tx, actor.into(), "save-matrix", &subject, None, Some(&after.to_string()))?;
        tx.commit()?;
        Ok(expected + 1)
    }

    fn periods(&self, plan: &str) -> Result<Vec<Period>> {
        let mut stmt = self.conn.prepare(
            "SELECT indicator, start, end_date FROM monitoring_periods WHERE plan = ?1 ORDER BY indicator, start",
        )?;
        let rows = stmt
            .query_map([plan], |r| Ok(Period { indicator: r.get(0)?, start: day(r.get(1)?)?, end: day(r.get(2)?)? }))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn progress(&self, plan: &str) -> Result<Vec<ProgressReport>> {
        let sql = format!("SELECT {REPORT_COLUMNS} FROM progress_reports WHERE plan = ?1 ORDER BY indicator, period");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([plan], report_from)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn progress_report(&self, key: &ReportKey) -> Result<Option<ProgressReport>> {
        let sql =
            format!("SELECT {REPORT_COLUMNS} FROM progress_reports WHERE plan = ?1 AND indicator = ?2 AND period = ?3");
        let params = params![key.plan, key.indicator, key.period.to_string()];
        Ok(self.conn.query_row(&sql, params, report_from).optional()?)
    }

    fn indicator_progress(&self, plan: &str, indicator: &str) -> Result<Vec<ProgressReport>> {
        let sql =
            format!("SELECT {REPORT_COLUMNS} FROM progress_reports WHERE plan = ?1 AND indicator = ?2 ORDER BY period");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([plan, indicator], report_from)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn period(&self, key: &ReportKey) -> Result<Option<Period>> {
        let sql = "SELECT end_date FROM monitoring_periods WHERE plan = ?1 AND indicator = ?2 AND start = ?3";
        let end = self
            .conn
            .query_row(sql, params![key.plan, key.indicator, key.period.to_string()], |r| day(r.get(0)?))
            .optional()?;
        Ok(end.map(|end| Period { indicator: key.indicator.clone(), start: key.period, end }))
    }

    fn save_progress(
        &mut self,
        state: &str,
        report: &ProgressReport,
        expected: Expected,
        comment: Option<&NewComment>,
        action: &str,
    ) -> Result<i64> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version = write_report(&self.audit_key, &tx, Reported { state, report, expected, comment }, action)?;
        tx.commit()?;
        Ok(version)
    }

    fn progress_comments(&self, key: &ReportKey) -> Result<Vec<Comment>> {
        let mut stmt = self.conn.prepare(
            "SELECT author, body, at FROM progress_comments WHERE plan = ?1 AND indicator = ?2 AND period = ?3 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![key.plan, key.indicator, key.period.to_string()], |r| {
            Ok(Comment { question: key.indicator.clone(), author: r.get(0)?, body: r.get(1)?, at: r.get(2)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn reopen_period(
        &mut self,
        key: &ReportKey,
        until: NaiveDate,
        report: Option<Reported>,
        actor: &str,
    ) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO period_reopenings (plan, indicator, period, until, reopened_by, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![key.plan, key.indicator, key.period.to_string(), until.to_string(), actor, now()],
        )?;
        let after = format!("{{\"until\":\"{until}\"}}");
        append_audit(&self.audit_key, &tx, actor.into(), "reopen-period", &subject(key), None, Some(&after))?;
        if let Some(w) = report {
            write_report(&self.audit_key, &tx, w, "reopen-report")?;
        }
        tx.commit()?;
        Ok(())
    }

    fn reopenings(&self, plan: &str) -> Result<BTreeMap<(String, NaiveDate), NaiveDate>> {
        let mut stmt =
            self.conn.prepare("SELECT indicator, period, until FROM period_reopenings WHERE plan = ?1 ORDER BY id")?;
        let rows = stmt.query_map([plan], |r| Ok(((r.get::<_, String>(0)?, day(r.get(1)?)?), day(r.get(2)?)?)))?;
        // The latest reopening decides (a later one may shorten an earlier one).
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn latest_approved(&self) -> Result<BTreeMap<String, BTreeMap<String, NaiveDate>>> {
        let mut stmt = self.conn.prepare("SELECT plan, indicator, period_end FROM latest_approved")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, day(r.get(2)?)?)))?;
        let mut out: BTreeMap<String, BTreeMap<String, NaiveDate>> = BTreeMap::new();
        for row in rows {
            let (plan, indicator, end) = row?;
            out.entry(plan).or_default().insert(indicator, end);
        }
        Ok(out)
    }

    fn attach_evidence(&mut self, key: &ReportKey, file: &Evidence, content: &[u8], actor: &str) -> Result<i64> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let f = &file.file;
        tx.execute(
            "INSERT INTO evidence (plan, indicator, period, name, media_type, size, sha256, public, content, uploaded_at, uploaded_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![key.plan, key.indicator, key.period.to_string(), f.name, f.media_type, f.size, f.sha256, file.public, content, now(), actor],
        )?;
        let id = tx.last_insert_rowid();
        let after = serde_json::json!({ "id": id, "name": f.name, "type": f.media_type, "size": f.size, "sha256": f.sha256, "public": file.public });
        append_audit(
            &self.audit_key,
            &tx,
            actor.into(),
            "attach-evidence",
            &subject(key),
            None,
            Some(&after.to_string()),
        )?;
        tx.commit()?;
        Ok(id)
    }

    fn import_reports(&mut self, reports: &[(String, ProgressReport)], actor: &str) -> Result<usize> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut insert = tx.prepare(&format!(
                "INSERT OR REPLACE INTO progress_reports ({REPORT_COLUMNS}, state)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
            ))?;
            for (state, r) in reports {
                insert.execute(params![
                    r.key.plan,
                    r.key.indicator,
                    r.key.period.to_string(),
                    r.period_end.to_string(),
                    r.status.code(),
                    r.value.map(|v| v.to_string()),
                    r.no_data,
                    serde_json::to_string(&r.breakdown).map_err(invalid)?,
                    r.narrative,
                    r.lang.code(),
                    r.late,
                    r.version.max(1),
                    r.updated_by,
                    r.updated_at,
                    r.submitted_at,
                    state,
                ])?;
            }
        }
        tx.execute("DELETE FROM latest_approved", [])?;
        tx.execute(
            "INSERT INTO latest_approved (plan, indicator, period_end) SELECT plan, indicator, MAX(period_end)
             FROM progress_reports WHERE status = 'accepted' AND value IS NOT NULL GROUP BY plan, indicator",
            [],
        )?;
        let after = format!("{{\"reports\":{}}}", reports.len());
        append_audit(&self.audit_key, &tx, actor.into(), "import-reports", "monitoring", None, Some(&after))?;
        tx.commit()?;
        Ok(reports.len())
    }

    fn mark_demonstration(&mut self, note: &str, actor: &str) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("INSERT OR REPLACE INTO meta VALUES ('demonstration', ?1)", [note])?;
        append_audit(&self.audit_key, &tx, actor.into(), "mark-demonstration", "meta/demonstration", None, Some(note))?;
        tx.commit()?;
        Ok(())
    }

    fn evidence(&self, plan: &str) -> Result<Vec<(ReportKey, Evidence)>> {
        let mut stmt =
            self.conn.prepare(&format!("SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE plan = ?1 ORDER BY id"))?;
        let rows = stmt.query_map([plan], evidence_from)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn evidence_file(&self, plan: &str, id: i64) -> Result<Option<(ReportKey, Evidence, Vec<u8>)>> {
        let sql = format!("SELECT {EVIDENCE_COLUMNS}, content FROM evidence WHERE plan = ?1 AND id = ?2");
        let row = self
            .conn
            .query_row(&sql, params![plan, id], |r| {
                let (key, file) = evidence_from(r)?;
                Ok((key, file, r.get::<_, Vec<u8>>(11)?))
            })
            .optional()?;
        Ok(row)
    }
}

const EVIDENCE_COLUMNS: &str =
    "plan, indicator, period, id, name, media_type, size, sha256, uploaded_at, uploaded_by, public";

fn evidence_from(r: &Row) -> rusqlite::Result<(ReportKey, Evidence)> {
    let key = ReportKey { plan: r.get(0)?, indicator: r.get(1)?, period: day(r.get(2)?)? };
    let file = Attachment {
        id: r.get(3)?,
        name: r.get(4)?,
        media_type: r.get(5)?,
        size: r.get(6)?,
        sha256: r.get(7)?,
        uploaded_at: r.get(8)?,
        uploaded_by: r.get(9)?,
    };
    Ok((key, Evidence { file, public: r.get(10)? }))
}

/// Keeps `latest_approved` equal to the latest approved period of the report's indicator.
fn latest(tx: &Transaction, key: &ReportKey) -> Result<()> {
    tx.execute("DELETE FROM latest_approved WHERE plan = ?1 AND indicator = ?2", params![key.plan, key.indicator])?;
    tx.execute(
        "INSERT INTO latest_approved (plan, indicator, period_end)
         SELECT plan, indicator, MAX(period_end) FROM progress_reports
         WHERE plan = ?1 AND indicator = ?2 AND status = 'accepted' AND value IS NOT NULL GROUP BY plan, indicator",
        params![key.plan, key.indicator],
    )?;
    Ok(())
}

/// Writes a report as decided if the stored one is as expected, with its comment, keeping the
/// latest approved period up to date; the new version. Inside the caller's transaction.
fn write_report(key_audit: &AuditKey, tx: &Transaction, w: Reported, action: &str) -> Result<i64> {
    let Reported { state, report, expected, comment } = w;
    let key = &report.key;
    let before = as_expected(tx, key, expected)?;
    let version = expected.version + 1;
    let breakdown = serde_json::to_string(&report.breakdown).map_err(invalid)?;
    tx.execute(
        &format!(
            "INSERT OR REPLACE INTO progress_reports ({REPORT_COLUMNS}, state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
        ),
        params![
            key.plan,
            key.indicator,
            key.period.to_string(),
            report.period_end.to_string(),
            report.status.code(),
            report.value.map(|v| v.to_string()),
            report.no_data,
            breakdown,
            report.narrative,
            report.lang.code(),
            report.late,
            version,
            report.updated_by,
            now(),
            report.submitted_at,
            state,
        ],
    )?;
    latest(tx, key)?;
    if let Some(c) = comment {
        tx.execute(
            "INSERT INTO progress_comments (plan, indicator, period, author, body, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![key.plan, key.indicator, key.period.to_string(), c.author, c.body, now()],
        )?;
    }
    let summary = |r: Option<&ProgressReport>| {
        r.map(|r| serde_json::json!({ "status": r.status.code(), "value": r.value, "no_data": r.no_data, "version": r.version }).to_string())
    };
    let mut after = report.clone();
    after.version = version;
    let after = summary(Some(&after)).map(|a| match comment {
        Some(c) => format!("{a} comment: {}", c.body),
        None => a,
    });
    append_audit(
        key_audit,
        tx,
        report.updated_by.clone(),
        action,
        &subject(key),
        summary(before.as_ref()).as_deref(),
        after.as_deref(),
    )?;
    Ok(version)
}
