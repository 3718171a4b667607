//! Moving records between JSON objects and PostgreSQL rows, generically, as `crate::rows` does
//! for SQLite: scalars in their columns, lists and nested values as JSON text in `jsontext`
//! columns. Cells travel as text in both directions, with casts written into the SQL from the
//! declared column types, so one code path serves every table; booleans read back as `1`/`0`
//! and numbers as their digits, as SQLite gives them.

use postgres::types::ToSql;
use postgres::GenericClient;
use serde_json::{Map, Value};

use observa_domain::part::Rows;

use super::Columns;
use crate::{Result, StoreError};

fn table_error(table: &str, message: impl Into<String>) -> StoreError {
    StoreError::Table { table: table.to_string(), message: message.into() }
}

/// Every table's columns and declared types (the names SQLite's schema uses), without `_row`.
pub(crate) fn columns(c: &mut impl GenericClient) -> Result<Columns> {
    let rows = c.query(
        "SELECT table_name::text, column_name::text, COALESCE(domain_name, data_type)::text
         FROM information_schema.columns WHERE table_schema = current_schema() AND column_name <> '_row'
         ORDER BY table_name, ordinal_position",
        &[],
    )?;
    let mut out = Columns::new();
    for r in rows {
        let ty = match r.get::<_, String>(2).as_str() {
            "bigint" | "integer" => "INTEGER",
            "boolean" => "BOOLEAN",
            "jsontext" => "JSONTEXT",
            "bytea" => "BLOB",
            _ => "TEXT",
        };
        out.entry(r.get(0)).or_default().push((r.get(1), ty.to_string()));
    }
    Ok(out)
}

pub(crate) fn of<'a>(columns: &'a Columns, table: &str) -> Result<&'a [(String, String)]> {
    columns.get(table).map(Vec::as_slice).ok_or_else(|| table_error(table, "no such table"))
}

/// The SQL type a text parameter is cast to for a column of declared type `ty`.
pub(crate) fn cast(ty: &str) -> &'static str {
    match ty {
        "INTEGER" => "bigint",
        "BOOLEAN" => "boolean",
        _ => "text",
    }
}

/// A select list reading every column as text (`1`/`0` for booleans).
pub(crate) fn select_list(columns: &[(String, String)]) -> String {
    columns
        .iter()
        .map(|(name, ty)| match ty.as_str() {
            "BOOLEAN" => format!("\"{name}\"::int::text"),
            _ => format!("\"{name}\"::text"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A JSON value as the text of its cell.
pub(crate) fn cell(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(b.to_string()),
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

pub(crate) fn params(values: &[Option<String>]) -> Vec<&(dyn ToSql + Sync)> {
    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

/// Inserts JSON objects as rows of `table`.
pub(crate) fn insert_rows(c: &mut impl GenericClient, columns: &Columns, table: &str, rows: &[Value]) -> Result<()> {
    let types = of(columns, table)?;
    for (i, row) in rows.iter().enumerate() {
        let Value::Object(fields) = row else {
            return Err(table_error(table, format!("row {i} is not an object")));
        };
        let mut names = Vec::new();
        let mut marks = Vec::new();
        let mut values = Vec::new();
        for (k, v) in fields {
            let ty = types.iter().find(|(n, _)| n == k).map(|(_, t)| t.as_str()).unwrap_or("TEXT");
            names.push(format!("\"{k}\""));
            marks.push(format!("CAST(${}::text AS {})", names.len(), cast(ty)));
            values.push(cell(v));
        }
        let sql = format!("INSERT INTO {table} ({}) VALUES ({})", names.join(", "), marks.join(", "));
        c.execute(&sql, &params(&values))
            .map_err(|e| table_error(table, format!("row {i}: {}", super::engine_message(&e))))?;
    }
    Ok(())
}

/// Every row of `table` in insertion order, as JSON objects (NULL columns left out).
pub(crate) fn read_rows(c: &mut impl GenericClient, columns: &Columns, table: &str) -> Result<Vec<Value>> {
    read_some(c, columns, table, &Rows::All)
}

/// Reads the rows `which` selects of `table`, in insertion order (a State's part of the
/// registry, `observa_domain::part`).
pub(crate) fn read_some(
    c: &mut impl GenericClient,
    columns: &Columns,
    table: &str,
    which: &Rows,
) -> Result<Vec<Value>> {
    let types = of(columns, table)?;
    let key = observa_domain::history::key_columns(table)[0];
    let lower = |code: &str| code.to_lowercase();
    let (filter, param): (String, Option<Box<dyn ToSql + Sync>>) = match which {
        Rows::All => ("TRUE".into(), None),
        Rows::OfState(code) => ("state = $1".into(), Some(Box::new(code.clone()))),
        Rows::Regional => ("state IS NULL".into(), None),
        Rows::Keys(keys) => (format!("\"{key}\"::text = ANY($1)"), Some(Box::new(keys.clone()))),
        Rows::Translating(keys) => ("record = ANY($1)".into(), Some(Box::new(keys.clone()))),
        Rows::AnswerDocuments(code) => ("id LIKE 'answers-%-' || $1".into(), Some(Box::new(lower(code)))),
    };
    let sql = format!("SELECT {} FROM {table} WHERE {filter} ORDER BY _row", select_list(types));
    let params: Vec<&(dyn ToSql + Sync)> = param.iter().map(|p| p.as_ref()).collect();
    c.query(&sql, &params)?.iter().map(|r| row_to_json(table, r, types)).collect()
}

pub(crate) fn row_to_json(table: &str, row: &postgres::Row, types: &[(String, String)]) -> Result<Value> {
    let mut object = Map::new();
    for (i, (name, ty)) in types.iter().enumerate() {
        let Some(text) = row.get::<_, Option<String>>(i) else { continue };
        let value = match ty.as_str() {
            "BOOLEAN" => Value::Bool(text != "0"),
            "INTEGER" => Value::Number(
                text.parse::<i64>().map_err(|e| table_error(table, format!("column {name}: {e}")))?.into(),
            ),
            "JSONTEXT" => serde_json::from_str(&text)
                .map_err(|e| table_error(table, format!("column {name} holds invalid JSON: {e}")))?,
            _ => Value::String(text),
        };
        object.insert(name.clone(), value);
    }
    Ok(Value::Object(object))
}

/// A table's cells as text, for CSV.
pub(crate) fn read_text(c: &mut impl GenericClient, columns: &Columns, table: &str) -> Result<crate::Table> {
    let types = of(columns, table)?;
    let sql = format!("SELECT {} FROM {table} ORDER BY _row", select_list(types));
    let rows = c.query(&sql, &[])?.iter().map(|r| (0..types.len()).map(|i| r.get(i)).collect()).collect();
    let (columns, types) = types.iter().cloned().unzip();
    Ok(crate::Table { name: table.to_string(), columns, types, rows })
}
