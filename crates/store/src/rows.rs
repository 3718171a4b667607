//! Moving records between the domain's serde structs and table rows, generically.
//!
//! A record serialises to a JSON object whose keys are the table's columns. Scalars go into
//! their column as they are; lists, maps and nested objects go into `JSONTEXT` columns as JSON
//! text. Reading reverses it using the declared column types, so adding a field to a record
//! means adding a column in a new migration and nothing else.

use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Connection, Row};
use serde_json::{Map, Number, Value};

use observa_domain::part::Rows;

use crate::{Result, StoreError};

/// The registry tables in dependency order: the domain's own list, so they cannot drift apart.
pub use observa_domain::dataset::TABLE_NAMES as TABLES;

fn table_error(table: &str, message: impl Into<String>) -> StoreError {
    StoreError::Table { table: table.to_string(), message: message.into() }
}

/// Inserts JSON objects as rows of `table`.
pub fn insert_rows(conn: &Connection, table: &str, rows: &[Value]) -> Result<()> {
    for (i, row) in rows.iter().enumerate() {
        let Value::Object(fields) = row else {
            return Err(table_error(table, format!("row {i} is not an object")));
        };
        let columns: Vec<String> = fields.keys().map(|k| format!("\"{k}\"")).collect();
        let marks = vec!["?"; columns.len()].join(", ");
        let sql = format!("INSERT INTO {table} ({}) VALUES ({marks})", columns.join(", "));
        let values: Vec<SqlValue> = fields.values().map(to_sql).collect();
        conn.execute(&sql, rusqlite::params_from_iter(values))
            .map_err(|e| table_error(table, format!("row {i}: {e}")))?;
    }
    Ok(())
}

pub(crate) fn to_sql(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(*b as i64),
        Value::Number(n) => {
            n.as_i64().map(SqlValue::Integer).unwrap_or_else(|| SqlValue::Real(n.as_f64().unwrap_or(0.0)))
        }
        Value::String(s) => SqlValue::Text(s.clone()),
        nested => SqlValue::Text(nested.to_string()),
    }
}

/// The declared type of each column, in order.
pub(crate) fn column_types(conn: &Connection, table: &str) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(&format!("SELECT name, type FROM pragma_table_info('{table}') ORDER BY cid"))?;
    let cols = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    Ok(cols.collect::<Result<_, _>>()?)
}

/// Reads every row of `table`, in insertion order, as JSON objects (NULL columns left out).
pub fn read_rows(conn: &Connection, table: &str) -> Result<Vec<Value>> {
    read_some(conn, table, &Rows::All)
}

/// Reads the rows `which` selects of `table`, in insertion order (a State's part of the
/// registry, `observa_domain::part`).
pub(crate) fn read_some(conn: &Connection, table: &str, which: &Rows) -> Result<Vec<Value>> {
    let types = column_types(conn, table)?;
    let key = observa_domain::history::key_columns(table)[0];
    let (filter, param) = match which {
        Rows::All => ("1 = 1 OR ?1 IS NULL".to_string(), SqlValue::Null),
        Rows::OfState(code) => ("state = ?1".into(), SqlValue::Text(code.clone())),
        Rows::Regional => ("state IS NULL AND ?1 IS NULL".into(), SqlValue::Null),
        Rows::Keys(keys) => (
            format!("\"{key}\" IN (SELECT value FROM json_each(?1))"),
            SqlValue::Text(Value::from(keys.clone()).to_string()),
        ),
        Rows::Translating(keys) => (
            "record IN (SELECT value FROM json_each(?1))".into(),
            SqlValue::Text(Value::from(keys.clone()).to_string()),
        ),
        Rows::AnswerDocuments(code) => ("id LIKE 'answers-%-' || ?1".into(), SqlValue::Text(code.to_lowercase())),
    };
    let mut stmt = conn.prepare(&format!("SELECT * FROM {table} WHERE {filter} ORDER BY rowid"))?;
    let mut rows = stmt.query([param])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(row_to_json(table, row, &types)?);
    }
    Ok(out)
}

pub(crate) fn row_to_json(table: &str, row: &Row, types: &[(String, String)]) -> Result<Value> {
    let mut object = Map::new();
    for (i, (name, ty)) in types.iter().enumerate() {
        let value = match (row.get_ref(i)?, ty.as_str()) {
            (ValueRef::Null, _) => continue,
            (ValueRef::Integer(n), "BOOLEAN") => Value::Bool(n != 0),
            (ValueRef::Integer(n), _) => Value::Number(n.into()),
            (ValueRef::Real(f), _) => Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null),
            (ValueRef::Text(t), "JSONTEXT") => serde_json::from_slice(t)
                .map_err(|e| table_error(table, format!("column {name} holds invalid JSON: {e}")))?,
            (ValueRef::Text(t), _) => Value::String(String::from_utf8_lossy(t).into_owned()),
            (ValueRef::Blob(_), _) => return Err(table_error(table, format!("column {name} holds a blob"))),
        };
        object.insert(name.clone(), value);
    }
    Ok(Value::Object(object))
}

/// A table's cells as text, for CSV.
pub fn read_text(conn: &Connection, table: &str) -> Result<crate::Table> {
    let (columns, types): (Vec<String>, Vec<String>) = column_types(conn, table)?.into_iter().unzip();
    let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))?;
    let n = columns.len();
    let rows = stmt
        .query_map([], |r| {
            (0..n)
                .map(|i| {
                    Ok(match r.get_ref(i)? {
                        ValueRef::Null => None,
                        ValueRef::Integer(v) => Some(v.to_string()),
                        ValueRef::Real(v) => Some(v.to_string()),
                        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                        ValueRef::Blob(_) => Some("<blob>".into()),
                    })
                })
                .collect()
        })?
        .collect::<Result<_, _>>()?;
    Ok(crate::Table { name: table.to_string(), columns, types, rows })
}
