//! The registry's history on PostgreSQL, as `crate::history` does it on SQLite: record-by-record
//! writes of the current tables, each with its version in `registry_versions` and its
//! field-level audit entry, in the caller's transaction (which holds the write lock, so the
//! record checks read what is committed); reading the versions back for "as of".

use observa_domain::history::{key_columns, AsOf, Change, ChangeKind, Origin, Version};
use postgres::{GenericClient, Transaction};
use serde_json::Value;

use super::rows::{cast, cell, insert_rows, of, params, row_to_json, select_list};
use super::{Columns, PostgresStore};
use crate::{Result, StoreError};

/// Applies `changes`, checking that each record is still what the change started from (a stale
/// change is [`StoreError::Conflict`] and the caller's transaction rolls back), and records a
/// version and an audit entry for each.
pub(crate) fn apply(store: &PostgresStore, tx: &mut Transaction, changes: &[Change], origin: &Origin) -> Result<()> {
    let at = super::now_millis();
    for change in changes {
        let stored = read_record(tx, &store.columns, &change.table, &change.record)?;
        if stored.as_ref().map(without_nulls) != change.before.as_ref().map(without_nulls) {
            return Err(StoreError::Conflict {
                subject: format!("registry/{}/{}", change.table, change.record),
                current: 0,
                based_on: 0,
            });
        }
        write_current(tx, &store.columns, change)?;
        let body = change.after.as_ref().map(without_nulls).map(|b| b.to_string());
        tx.execute(
            "INSERT INTO registry_versions (tbl, record, body, cycle, effective, established_by, actor, recorded_at)
             VALUES ($1, $2, $3::text, $4, $5, $6, $7, $8)",
            &[
                &change.table,
                &change.record,
                &body,
                &i64::from(origin.cycle),
                &origin.effective.to_string(),
                &origin.established_by,
                &origin.actor,
                &at,
            ],
        )?;
        let (before, after) = change.audit_texts();
        let action = match change.kind() {
            ChangeKind::Added => "registry-add",
            ChangeKind::Changed => "registry-change",
            ChangeKind::Closed => "registry-close",
        };
        let subject = format!("registry/{}/{} ({})", change.table, change.record, origin.established_by);
        super::audit::append(
            tx,
            &store.audit_key,
            &origin.actor,
            action,
            &subject,
            before.as_deref(),
            after.as_deref(),
        )?;
    }
    Ok(())
}

/// Makes the current tables follow `changes` without recording versions (a restored history).
pub(crate) fn apply_current(tx: &mut Transaction, columns: &Columns, changes: &[Change]) -> Result<()> {
    changes.iter().try_for_each(|change| write_current(tx, columns, change))
}

fn write_current(tx: &mut Transaction, columns: &Columns, change: &Change) -> Result<()> {
    let after = change.after.as_ref().map(without_nulls);
    match (change.kind(), after) {
        (ChangeKind::Added, Some(after)) => insert_rows(tx, columns, &change.table, std::slice::from_ref(&after)),
        (ChangeKind::Changed, Some(after)) => update(tx, columns, &change.table, &change.record, &after),
        _ => delete(tx, columns, &change.table, &change.record),
    }
}

/// A database seeded before it kept history: one version per current record (as SQLite's
/// `begin`; a PostgreSQL database always keeps it, so this only matters after a bulk load).
pub(crate) fn begin(tx: &mut Transaction) -> Result<()> {
    let started: bool = tx.query_one("SELECT EXISTS (SELECT 1 FROM registry_versions)", &[])?.get(0);
    let seeded: bool = tx.query_one("SELECT EXISTS (SELECT 1 FROM states)", &[])?.get(0);
    if started || !seeded {
        return Ok(());
    }
    Err(StoreError::Invalid("the registry holds records but no history; copy it again with `observa copy`".into()))
}

/// The versions `as_of` includes, in the order they were recorded.
pub(crate) fn versions(c: &mut impl GenericClient, as_of: AsOf) -> Result<Vec<Version>> {
    const SELECT: &str = "SELECT seq, tbl, record, body::text, cycle, effective, established_by, actor, recorded_at
                          FROM registry_versions";
    let rows = match as_of {
        AsOf::Now => c.query(&format!("{SELECT} ORDER BY seq"), &[])?,
        AsOf::Cycle(year) => c.query(&format!("{SELECT} WHERE cycle <= $1 ORDER BY seq"), &[&i64::from(year)])?,
        AsOf::Date(day) => c.query(&format!("{SELECT} WHERE effective <= $1 ORDER BY seq"), &[&day.to_string()])?,
    };
    from_rows(&rows)
}

/// The versions after `seq` and the last version's number (see `Store::versions_after`).
pub(crate) fn versions_after(c: &mut impl GenericClient, seq: i64) -> Result<(Vec<Version>, i64)> {
    let last: i64 = c.query_one("SELECT COALESCE(MAX(seq), 0)::bigint FROM registry_versions", &[])?.get(0);
    if seq >= last {
        return Ok((Vec::new(), last));
    }
    let rows = c.query(
        "SELECT seq, tbl, record, body::text, cycle, effective, established_by, actor, recorded_at
         FROM registry_versions WHERE seq > $1 ORDER BY seq",
        &[&seq],
    )?;
    Ok((from_rows(&rows)?, last))
}

fn from_rows(rows: &[postgres::Row]) -> Result<Vec<Version>> {
    let bad = |message: String| StoreError::Table { table: "registry_versions".into(), message };
    rows.iter()
        .map(|r| {
            let body: Option<String> = r.get(3);
            let effective: String = r.get(5);
            Ok(Version {
                seq: r.get(0),
                table: r.get(1),
                record: r.get(2),
                body: body.map(|b| serde_json::from_str(&b)).transpose().map_err(|e| bad(e.to_string()))?,
                cycle: i32::try_from(r.get::<_, i64>(4)).map_err(|e| bad(e.to_string()))?,
                effective: effective.parse().map_err(|_| bad(effective.clone()))?,
                established_by: r.get(6),
                actor: r.get(7),
                recorded_at: r.get(8),
            })
        })
        .collect()
}

/// Appends versions read from an export (keeping their numbers and times), after checking that
/// the database's own history is the beginning of theirs.
pub(crate) fn append_versions(tx: &mut Transaction, versions: &[Version]) -> Result<usize> {
    let held = self::versions(tx, AsOf::Now)?;
    crate::history::check_prefix(&held, versions)?;
    for v in &versions[held.len()..] {
        tx.execute(
            "INSERT INTO registry_versions (seq, tbl, record, body, cycle, effective, established_by, actor, recorded_at)
             VALUES ($1, $2, $3, $4::text, $5, $6, $7, $8, $9)",
            &[
                &v.seq,
                &v.table,
                &v.record,
                &v.body.as_ref().map(Value::to_string),
                &i64::from(v.cycle),
                &v.effective.to_string(),
                &v.established_by,
                &v.actor,
                &v.recorded_at,
            ],
        )?;
    }
    // Versions recorded later must number after the restored ones.
    tx.batch_execute(
        "SELECT setval(pg_get_serial_sequence('registry_versions', 'seq'), COALESCE(MAX(seq), 0) + 1, false)
         FROM registry_versions",
    )?;
    Ok(versions.len() - held.len())
}

/// The current row of one record, as the registry's JSON (NULL columns left out).
pub(crate) fn read_record(
    c: &mut impl GenericClient,
    columns: &Columns,
    table: &str,
    record: &str,
) -> Result<Option<Value>> {
    let types = of(columns, table)?;
    let (clause, values) = key_clause(types, table, record, 1);
    let sql = format!("SELECT {} FROM {table} WHERE {clause}", select_list(types));
    c.query_opt(&sql, &params(&values))?.map(|r| row_to_json(table, &r, types)).transpose()
}

fn update(c: &mut impl GenericClient, columns: &Columns, table: &str, record: &str, body: &Value) -> Result<()> {
    let keys = key_columns(table);
    let types: Vec<&(String, String)> =
        of(columns, table)?.iter().filter(|(n, _)| !keys.contains(&n.as_str())).collect();
    let sets: Vec<String> = types
        .iter()
        .enumerate()
        .map(|(i, (c, ty))| format!("\"{c}\" = CAST(${}::text AS {})", i + 1, cast(ty)))
        .collect();
    let (clause, key_values) = key_clause(of(columns, table)?, table, record, types.len() + 1);
    let mut values: Vec<Option<String>> = types.iter().map(|(c, _)| body.get(c).and_then(cell)).collect();
    values.extend(key_values);
    let sql = format!("UPDATE {table} SET {} WHERE {clause}", sets.join(", "));
    c.execute(&sql, &params(&values)).map_err(|e| StoreError::Table {
        table: table.into(),
        message: format!("record {record}: {}", super::engine_message(&e)),
    })?;
    Ok(())
}

fn delete(c: &mut impl GenericClient, columns: &Columns, table: &str, record: &str) -> Result<()> {
    let (clause, values) = key_clause(of(columns, table)?, table, record, 1);
    c.execute(&format!("DELETE FROM {table} WHERE {clause}"), &params(&values)).map_err(|e| StoreError::Table {
        table: table.into(),
        message: format!("record {record}: {}", super::engine_message(&e)),
    })?;
    Ok(())
}

/// `k1 = $n AND k2 = $n+1 ...` for a record's key, and the key's values as text.
fn key_clause(types: &[(String, String)], table: &str, record: &str, first: usize) -> (String, Vec<Option<String>>) {
    let columns = key_columns(table);
    let parts: Vec<&str> = record.splitn(columns.len(), '/').collect();
    let ty = |c: &str| types.iter().find(|(n, _)| n == c).map_or("TEXT", |(_, t)| t.as_str());
    let clause: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("\"{c}\" = CAST(${}::text AS {})", first + i, cast(ty(c))))
        .collect();
    (clause.join(" AND "), parts.into_iter().map(|p| Some(p.to_string())).collect())
}

/// A record without its `null` fields: how it reads back from a row.
fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            Value::Object(m.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), v.clone())).collect())
        }
        other => other.clone(),
    }
}
