//! The JSON export document (a public contract) and its import.
//!
//! The document holds every table of the [`Dataset`], except that the stored OPSC report rows
//! (`reports`) are published as `reporting`: each row with the values the rules compute beside
//! it. Import drops the computed values and reads the rows back, so exporting an import gives
//! the same document.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::checks::reporting;
use crate::dataset::Dataset;
use crate::history::{AsOf, Version};

/// Fields of a `reporting` item that are computed, not stored.
const COMPUTED: [&str; 9] = [
    "deposit",
    "deposit_basis",
    "entry_into_force",
    "entry_into_force_rule",
    "initial_report_due",
    "initial_report_due_rule",
    "standing",
    "as_of",
    "flags",
];

/// The export document for a dataset, with standings computed on `as_of`.
pub fn to_document(ds: &Dataset, as_of: NaiveDate) -> Value {
    let mut doc = match serde_json::to_value(ds).expect("the dataset serialises") {
        Value::Object(m) => m,
        _ => unreachable!("a struct serialises to an object"),
    };
    doc.remove("reports");
    let view = serde_json::to_value(reporting(ds, as_of)).expect("the reporting view serialises");
    doc.insert("reporting".into(), view);
    let mut about = Map::new();
    about.insert("generator".into(), Value::String("observa".into()));
    about.insert("format".into(), Value::String("observa-export/1".into()));
    about.insert("as_of".into(), Value::String(as_of.to_string()));
    doc.insert("about".into(), Value::Object(about));
    Value::Object(doc)
}

/// Adds the registry's history to an export document: every version of every record, in the
/// order recorded (`seq`, `table`, `record`, `body` — absent when the version closes the record —
/// `cycle`, `effective`, `established_by`, `actor`, `recorded_at`), and says which reading of the
/// registry the tables are (`about.registry_as_of`: a cycle, a date or `now`).
pub fn add_history(doc: &mut Value, versions: &[Version], as_of: AsOf) {
    doc["history"] = serde_json::to_value(versions).expect("versions serialise");
    doc["about"]["registry_as_of"] = Value::String(as_of.to_string());
}

/// The history an export document carries, if any; errors name the version that does not read.
pub fn history_of(text: &str) -> Result<Option<Vec<Version>>, String> {
    let doc: Map<String, Value> = serde_json::from_str(text).map_err(|e| format!("not a JSON object: {e}"))?;
    let Some(Value::Array(items)) = doc.get("history") else { return Ok(None) };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| serde_json::from_value(item.clone()).map_err(|e| format!("history[{i}]: {e}")))
        .collect::<Result<Vec<Version>, String>>()
        .map(Some)
}

/// Reads an export document back into a dataset; errors say which field was wrong.
pub fn from_document(text: &str) -> Result<Dataset, String> {
    let mut doc: Map<String, Value> = serde_json::from_str(text).map_err(|e| format!("not a JSON object: {e}"))?;
    doc.remove("about");
    doc.remove("history");
    if let Some(Value::Array(items)) = doc.remove("reporting") {
        let rows = items
            .into_iter()
            .map(|item| match item {
                Value::Object(mut m) => {
                    for k in COMPUTED {
                        m.remove(k);
                    }
                    Value::Object(m)
                }
                other => other,
            })
            .collect();
        doc.insert("reports".into(), Value::Array(rows));
    }
    let mut ds: Dataset = serde_path_to_error(Value::Object(doc))?;
    ds.normalise();
    Ok(ds)
}

/// Deserialises and, on failure, names the table and index of the offending record.
fn serde_path_to_error(doc: Value) -> Result<Dataset, String> {
    match serde_json::from_value::<Dataset>(doc.clone()) {
        Ok(ds) => Ok(ds),
        Err(e) => {
            // serde_json::Value errors carry no position; find the first record that fails.
            if let Value::Object(tables) = &doc {
                for (table, rows) in tables {
                    if let Value::Array(rows) = rows {
                        for (i, row) in rows.iter().enumerate() {
                            let mut one = Map::new();
                            one.insert(table.clone(), Value::Array(vec![row.clone()]));
                            if let Err(e) = serde_json::from_value::<Dataset>(Value::Object(one)) {
                                return Err(format!("{table}[{i}]: {e}"));
                            }
                        }
                    }
                }
            }
            Err(e.to_string())
        }
    }
}

/// Keeps `NaiveDate` out of callers that only need today's date for the export.
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}
