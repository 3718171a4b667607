//! Open-data files made from the store's tables: one CSV per table, one XLSX workbook with a
//! sheet per table, and a Frictionless Data Package (`datapackage.json` with a Table Schema
//! per CSV). Column names and order are the database's; the package declares each column's
//! type from its SQL type, primary keys, and each `state` column's reference to `states`.

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

/// Every table as a sheet of one workbook. Integer columns are written as numbers.
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
            for (c, cell) in row.iter().enumerate() {
                let Some(text) = cell else { continue };
                let (r, c) = (r as u32 + 1, c as u16);
                match (table.types[c as usize].as_str(), text.parse::<f64>()) {
                    ("INTEGER", Ok(n)) => sheet.write_number(r, c, n),
                    _ => sheet.write_string(r, c, text),
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
        if table.name != "states" && table.columns.iter().any(|c| c == "state") {
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
