//! The registry's history on SQLite: record-by-record writes of the current tables, each with
//! its version in `registry_versions` and its field-level audit entry, in the caller's
//! transaction; reading the versions back for "as of" and "what changed" (computed in
//! `observa_domain::history`, the same for every engine).

use observa_domain::audit::AuditKey;
use observa_domain::history::{key_columns, AsOf, Change, ChangeKind, Origin, Version};
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

use crate::rows::{column_types, insert_rows, row_to_json, to_sql};
use crate::{Result, StoreError};

/// Applies `changes` to the current tables, checking that each record is still what the change
/// started from (a change computed from a stale reading is [`StoreError::Conflict`] and the
/// caller's transaction rolls back), and records a version and an audit entry for each.
pub(crate) fn apply(key: &AuditKey, tx: &Connection, changes: &[Change], origin: &Origin) -> Result<()> {
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    for change in changes {
        let stored = read_record(tx, &change.table, &change.record)?;
        if stored.as_ref().map(without_nulls) != change.before.as_ref().map(without_nulls) {
            return Err(StoreError::Conflict {
                subject: format!("registry/{}/{}", change.table, change.record),
                current: 0,
                based_on: 0,
            });
        }
        let after = change.after.as_ref().map(without_nulls);
        match change.kind() {
            ChangeKind::Added => insert_rows(tx, &change.table, std::slice::from_ref(after.as_ref().expect("added")))?,
            ChangeKind::Changed => update(tx, &change.table, &change.record, after.as_ref().expect("changed"))?,
            ChangeKind::Closed => delete(tx, &change.table, &change.record)?,
        }
        tx.execute(
            "INSERT INTO registry_versions (tbl, record, body, cycle, effective, established_by, actor, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            rusqlite::params![
                change.table,
                change.record,
                after.as_ref().map(Value::to_string),
                origin.cycle,
                origin.effective.to_string(),
                origin.established_by,
                origin.actor,
                at
            ],
        )?;
        let (before, after) = change.audit_texts();
        let action = match change.kind() {
            ChangeKind::Added => "registry-add",
            ChangeKind::Changed => "registry-change",
            ChangeKind::Closed => "registry-close",
        };
        let subject = format!("registry/{}/{} ({})", change.table, change.record, origin.established_by);
        crate::audit::append(tx, key, origin.actor.clone(), action, &subject, before.as_deref(), after.as_deref())?;
    }
    Ok(())
}

/// Makes the current tables follow `changes` without recording versions: the versions are
/// already there (a restored history).
pub(crate) fn apply_current(tx: &Connection, changes: &[Change]) -> Result<()> {
    for change in changes {
        let after = change.after.as_ref().map(without_nulls);
        match change.kind() {
            ChangeKind::Added => insert_rows(tx, &change.table, std::slice::from_ref(after.as_ref().expect("added")))?,
            ChangeKind::Changed => update(tx, &change.table, &change.record, after.as_ref().expect("changed"))?,
            ChangeKind::Closed => delete(tx, &change.table, &change.record)?,
        }
    }
    Ok(())
}

/// A database written before the registry kept its history gets one version per current record,
/// established by what last wrote it ("origin" in `meta`), for its newest cycle: the history
/// starts where it was found.
pub(crate) fn begin(conn: &mut Connection) -> Result<()> {
    // Looked at without the write lock first: every open of a database that has its history (all
    // but once) must not queue behind, or hold back, the server's writers.
    let needed = |c: &Connection| -> Result<bool> {
        let started: bool = c.query_row("SELECT EXISTS (SELECT 1 FROM registry_versions)", [], |r| r.get(0))?;
        let seeded: bool = c.query_row("SELECT EXISTS (SELECT 1 FROM states)", [], |r| r.get(0))?;
        Ok(seeded && !started)
    };
    if !needed(conn)? {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    if !needed(&tx)? {
        return Ok(());
    }
    let cycle: Option<i32> = tx.query_row("SELECT MIN(year) FROM cycles", [], |r| r.get(0))?;
    let origin: Option<String> =
        tx.query_row("SELECT value FROM meta WHERE key = 'origin'", [], |r| r.get(0)).optional()?;
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let established_by = format!("{} (held when the registry began keeping its history)", origin.unwrap_or_default());
    let effective = observa_domain::checks::seed_update_date().to_string();
    for table in crate::rows::TABLES {
        for row in crate::rows::read_rows(&tx, table)? {
            tx.execute(
                "INSERT INTO registry_versions (tbl, record, body, cycle, effective, established_by, actor, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'migration:0013_history', ?7)",
                rusqlite::params![
                    table,
                    observa_domain::history::key(table, &row),
                    row.to_string(),
                    cycle.unwrap_or(2014),
                    effective,
                    established_by,
                    at
                ],
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The versions `as_of` includes, in the order they were recorded.
pub(crate) fn versions(conn: &Connection, as_of: AsOf) -> Result<Vec<Version>> {
    let (filter, param) = match as_of {
        AsOf::Now => ("1 = 1 OR ?1 IS NULL", SqlValue::Null),
        AsOf::Cycle(year) => ("cycle <= ?1", SqlValue::Integer(year.into())),
        AsOf::Date(day) => ("effective <= ?1", SqlValue::Text(day.to_string())),
    };
    select(conn, filter, param)
}

/// The versions after `seq`, and the last one's number (`seq` when there are none; the newest
/// number of the whole history when `seq` is beyond it).
pub(crate) fn versions_after(conn: &Connection, seq: i64) -> Result<(Vec<Version>, i64)> {
    let last: Option<i64> = conn.query_row("SELECT MAX(seq) FROM registry_versions", [], |r| r.get(0))?;
    let last = last.unwrap_or(0);
    if seq >= last {
        return Ok((Vec::new(), last));
    }
    Ok((select(conn, "seq > ?1", SqlValue::Integer(seq))?, last))
}

fn select(conn: &Connection, filter: &str, param: SqlValue) -> Result<Vec<Version>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT seq, tbl, record, body, cycle, effective, established_by, actor, recorded_at
         FROM registry_versions WHERE {filter} ORDER BY seq"
    ))?;
    let mut rows = stmt.query([param])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let body: Option<String> = r.get(3)?;
        let effective: String = r.get(5)?;
        out.push(Version {
            seq: r.get(0)?,
            table: r.get(1)?,
            record: r.get(2)?,
            body: body
                .map(|b| serde_json::from_str(&b))
                .transpose()
                .map_err(|e| StoreError::Table { table: "registry_versions".into(), message: e.to_string() })?,
            cycle: r.get(4)?,
            effective: effective
                .parse()
                .map_err(|_| StoreError::Table { table: "registry_versions".into(), message: effective.clone() })?,
            established_by: r.get(6)?,
            actor: r.get(7)?,
            recorded_at: r.get(8)?,
        });
    }
    Ok(out)
}

/// Appends versions read from an export (keeping their numbers and times), after checking that
/// the database's own history is the beginning of theirs.
pub(crate) fn append_versions(tx: &Connection, versions: &[Version]) -> Result<usize> {
    let held = self::versions(tx, AsOf::Now)?;
    check_prefix(&held, versions)?;
    for v in &versions[held.len()..] {
        tx.execute(
            "INSERT INTO registry_versions (seq, tbl, record, body, cycle, effective, established_by, actor, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params![
                v.seq,
                v.table,
                v.record,
                v.body.as_ref().map(Value::to_string),
                v.cycle,
                v.effective.to_string(),
                v.established_by,
                v.actor,
                v.recorded_at
            ],
        )?;
    }
    Ok(versions.len() - held.len())
}

/// The current row of one record, as the registry's JSON (NULL columns left out).
pub(crate) fn read_record(conn: &Connection, table: &str, record: &str) -> Result<Option<Value>> {
    let types = column_types(conn, table)?;
    let (clause, values) = key_clause(table, record, 1);
    let mut stmt = conn.prepare(&format!("SELECT * FROM {table} WHERE {clause}"))?;
    let row = stmt.query_row(rusqlite::params_from_iter(values), |r| Ok(row_to_json(table, r, &types))).optional()?;
    row.transpose()
}

fn update(conn: &Connection, table: &str, record: &str, body: &Value) -> Result<()> {
    let keys = key_columns(table);
    let columns: Vec<String> =
        column_types(conn, table)?.into_iter().map(|(n, _)| n).filter(|n| !keys.contains(&n.as_str())).collect();
    let sets: Vec<String> = columns.iter().enumerate().map(|(i, c)| format!("\"{c}\" = ?{}", i + 1)).collect();
    let (clause, key_values) = key_clause(table, record, columns.len() + 1);
    let mut values: Vec<SqlValue> = columns.iter().map(|c| body.get(c).map_or(SqlValue::Null, to_sql)).collect();
    values.extend(key_values);
    let sql = format!("UPDATE {table} SET {} WHERE {clause}", sets.join(", "));
    conn.execute(&sql, rusqlite::params_from_iter(values))
        .map_err(|e| StoreError::Table { table: table.into(), message: format!("record {record}: {e}") })?;
    Ok(())
}

fn delete(conn: &Connection, table: &str, record: &str) -> Result<()> {
    let (clause, values) = key_clause(table, record, 1);
    conn.execute(&format!("DELETE FROM {table} WHERE {clause}"), rusqlite::params_from_iter(values))
        .map_err(|e| StoreError::Table { table: table.into(), message: format!("record {record}: {e}") })?;
    Ok(())
}

/// `k1 = ?n AND k2 = ?n+1 ...` for a record's key, and the key's values (numbers as numbers).
fn key_clause(table: &str, record: &str, first: usize) -> (String, Vec<SqlValue>) {
    let columns = key_columns(table);
    let parts: Vec<&str> = record.splitn(columns.len(), '/').collect();
    let clause = columns.iter().enumerate().map(|(i, c)| format!("\"{c}\" = ?{}", first + i)).collect::<Vec<_>>();
    let values = columns
        .iter()
        .zip(parts)
        .map(|(c, p)| match (*c, p.parse::<i64>()) {
            ("sequence", Ok(n)) => SqlValue::Integer(n),
            _ => SqlValue::Text(p.to_string()),
        })
        .collect();
    (clause.join(" AND "), values)
}

/// A record without its `null` fields: how it reads back from a row, so a record serialised
/// with `null`s compares equal to its stored row.
fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            Value::Object(m.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), v.clone())).collect())
        }
        other => other.clone(),
    }
}

/// Refuses a history that does not begin with the database's own (`held`): every engine's
/// `restore_history` appends only what follows it.
pub(crate) fn check_prefix(held: &[Version], versions: &[Version]) -> Result<()> {
    for (i, (mine, theirs)) in held.iter().zip(versions).enumerate() {
        if mine != theirs {
            return Err(StoreError::Invalid(format!(
                "the registry history of this database and of the file differ at version {} (record {}/{}); \
                 import the file into a new database",
                i + 1,
                theirs.table,
                theirs.record
            )));
        }
    }
    if held.len() > versions.len() {
        return Err(StoreError::Invalid(format!(
            "this database's registry history has {} versions and the file's only {}; import the file into a new database",
            held.len(),
            versions.len()
        )));
    }
    Ok(())
}
