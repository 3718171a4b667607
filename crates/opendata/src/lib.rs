//! Open-data files made from the store's tables: one CSV per table, one XLSX workbook with a
//! sheet per table, and a Frictionless Data Package (`datapackage.json` with a Table Schema
//! per CSV). Column names and order are the database's; the package declares each column's
//! type from its SQL type, primary keys, and each `state` column's reference to `states`.
//! No text can stop a file from being made: a text longer than a spreadsheet cell holds is cut
//! in the workbook and ends with a visible mark ([`TRUNCATED`]); the CSV files carry it whole.

use observa_store::Table;
use serde_json::{json, Value};

/// A generated file: its name inside the output folder and its bytes.
pub struct File {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// One table as CSV (RFC 4180, UTF-8, header row).
pub fn csv(table: &Table) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&table.columns).map_err(|e| e.to_string())?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| c.as_deref().unwrap_or(""))).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// The most a spreadsheet cell holds, in UTF-16 units (Excel's limit, which rust_xlsxwriter
/// enforces).
pub const MAX_CELL: usize = 32_767;

/// What ends a cell cut to [`MAX_CELL`].
pub const TRUNCATED: &str = "… [truncated: full text in the CSV/JSON download]";

/// A text as a spreadsheet cell holds it: whole when it fits, else cut at a character boundary
/// and ended with [`TRUNCATED`], so the cell says it is not the whole text. The CSV files and
/// the JSON export always carry the whole text.
pub fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.encode_utf16().count() <= MAX_CELL {
        return text.into();
    }
    let room = MAX_CELL - TRUNCATED.encode_utf16().count();
    let mut used = 0;
    let end = text
        .char_indices()
        .find(|(_, c)| {
            used += c.len_utf16();
            used > room
        })
        .map_or(text.len(), |(i, _)| i);
    format!("{}{TRUNCATED}", &text[..end]).into()
}

/// Every table as a sheet of one workbook. Integer columns are written as numbers. A text longer
/// than a cell holds (32,767 UTF-16 units) is cut and marked ([`cell`]): the workbook is always
/// made, and the CSV files and the JSON export keep the whole text.
pub fn xlsx(tables: &[Table]) -> Result<Vec<u8>, String> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for table in tables {
        // Sheet names are limited to 31 characters.
        let sheet =
            book.add_worksheet().set_name(&table.name[..table.name.len().min(31)]).map_err(|e| e.to_string())?;
        for (c, name) in table.columns.iter().enumerate() {
            sheet.write_with_format(0, c as u16, name, &bold).map_err(|e| e.to_string())?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                let Some(text) = value else { continue };
                let (r, c) = (r as u32 + 1, c as u16);
                match (table.types[c as usize].as_str(), text.parse::<f64>()) {
                    ("INTEGER", Ok(n)) => sheet.write_number(r, c, n),
                    _ => sheet.write_string(r, c, cell(text)),
                }
                .map_err(|e| e.to_string())?;
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
        sheet
            .autofilter(0, 0, table.rows.len() as u32, table.columns.len().saturating_sub(1) as u16)
            .map_err(|e| e.to_string())?;
    }
    book.save_to_buffer().map_err(|e| e.to_string())
}

fn field(name: &str, sql_type: &str) -> Value {
    match sql_type {
        "INTEGER" => json!({ "name": name, "type": "integer" }),
        "NUMBER" => json!({ "name": name, "type": "number" }),
        "BOOLEAN" => json!({ "name": name, "type": "boolean", "trueValues": ["1"], "falseValues": ["0"] }),
        "JSONTEXT" => {
            json!({ "name": name, "type": "string", "format": "default", "description": "JSON text (a list, map or object)" })
        }
        _ => json!({ "name": name, "type": "string" }),
    }
}

fn primary_key(table: &Table) -> Value {
    let has = |c: &str| table.columns.iter().any(|x| x == c);
    match table.name.as_str() {
        "ratifications" => json!(["state", "treaty"]),
        "reports" => json!(["state", "treaty", "sequence"]),
        "states" | "treaties" => json!(["code"]),
        _ if has("id") => json!(["id"]),
        _ => Value::Null,
    }
}

/// The data package: `datapackage.json` and `data/<table>.csv` for every table.
pub fn datapackage(tables: &[Table], title: &str, created: &str) -> Result<Vec<File>, String> {
    let mut files = Vec::new();
    let mut resources = Vec::new();
    for table in tables {
        let path = format!("data/{}.csv", table.name);
        let fields: Vec<Value> = table.columns.iter().zip(&table.types).map(|(n, t)| field(n, t)).collect();
        let mut schema = json!({ "fields": fields, "missingValues": [""] });
        let pk = primary_key(table);
        if !pk.is_null() {
            schema["primaryKey"] = pk;
        }
        // A State's code refers to the package's States, when it holds them (a package of
        // monitoring tables alone does not).
        let has_states = tables.iter().any(|t| t.name == "states");
        if has_states && table.name != "states" && table.columns.iter().any(|c| c == "state") {
            schema["foreignKeys"] =
                json!([{ "fields": ["state"], "reference": { "resource": "states", "fields": ["code"] } }]);
        }
        resources.push(json!({
            "name": table.name.replace('_', "-"),
            "path": path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": schema,
        }));
        files.push(File { name: path, bytes: csv(table)? });
    }
    let package = json!({
        "profile": "tabular-data-package",
        "name": "observa-national-plans",
        "title": title,
        "created": created,
        "licenses": [{ "name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0" }],
        "sources": [{ "title": "IIN-OAS, XIV Report to the Secretary General of the OAS (2014)" }],
        "resources": resources,
    });
    let text = serde_json::to_vec_pretty(&package).map_err(|e| e.to_string())?;
    files.insert(0, File { name: "datapackage.json".into(), bytes: text });
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_longer_than_a_cell_is_cut_and_marked() {
        assert_eq!(cell("short"), "short");
        let exact = "x".repeat(MAX_CELL);
        assert_eq!(cell(&exact), exact.as_str());
        for long in ["y".repeat(40_000), "😀".repeat(20_000), "\u{1}".repeat(40_000)] {
            let cut = cell(&long);
            assert!(cut.ends_with(TRUNCATED), "marked");
            assert!(cut.encode_utf16().count() <= MAX_CELL, "fits");
            assert!(long.starts_with(cut.trim_end_matches(TRUNCATED)), "a prefix of the text");
        }
    }

    #[test]
    fn a_workbook_is_made_whatever_the_length_of_its_texts() {
        let table = Table {
            name: "plans".into(),
            columns: vec!["id".into(), "name".into()],
            types: vec!["TEXT".into(), "TEXT".into()],
            rows: vec![vec![Some("p1".into()), Some("n".repeat(100_000))]],
        };
        assert!(xlsx(&[table]).is_ok());
    }
}
