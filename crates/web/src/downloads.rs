//! The open-data files, made once when the portal starts (the data changes only on writes):
//! the JSON export, the XLSX workbook, one CSV per table, and the Frictionless Data Package,
//! served under `/downloads/` with relative paths so the package works straight from the web.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::snapshot::Snapshot;
use crate::{AppState, WebError};

pub struct Downloads {
    files: BTreeMap<String, (&'static str, Vec<u8>)>,
}

/// One line of the downloads page.
#[derive(Serialize)]
pub struct Listed {
    pub path: String,
    pub bytes: usize,
}

const CSV: &str = "text/csv; charset=utf-8";

impl Downloads {
    pub fn build(snapshot: &Snapshot, tables: &[observa_store::Table]) -> Result<Self, WebError> {
        let internal = |e: String| WebError::Internal(format!("open data: {e}"));
        let mut files = BTreeMap::new();
        let json = observa_domain::export::to_document(&snapshot.dataset, snapshot.as_of);
        files.insert(
            "observa.json".into(),
            ("application/json", serde_json::to_vec_pretty(&json).map_err(|e| internal(e.to_string()))?),
        );
        files.insert(
            "observa.xlsx".into(),
            (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                observa_opendata::xlsx(tables).map_err(internal)?,
            ),
        );
        for t in tables {
            files.insert(format!("csv/{}.csv", t.name), (CSV, observa_opendata::csv(t).map_err(internal)?));
        }
        let title = "Observa: national plans against the sexual exploitation of children in the Americas";
        for f in observa_opendata::datapackage(tables, title, &snapshot.as_of.to_string()).map_err(internal)? {
            let kind = if f.name.ends_with(".json") { "application/json" } else { CSV };
            files.insert(format!("datapackage/{}", f.name), (kind, f.bytes));
        }
        Ok(Downloads { files })
    }

    pub fn listing(&self) -> Vec<Listed> {
        self.files.iter().map(|(path, (_, bytes))| Listed { path: path.clone(), bytes: bytes.len() }).collect()
    }
}

pub async fn file(State(app): State<AppState>, Path(path): Path<String>) -> Response {
    match app.downloads().files.get(&path) {
        Some((kind, bytes)) => {
            let name = path.rsplit('/').next().unwrap_or("download").to_string();
            let disposition =
                if name.ends_with(".xlsx") { format!("attachment; filename=\"{name}\"") } else { "inline".into() };
            (
                [
                    (header::CONTENT_TYPE, kind.to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::CACHE_CONTROL, "public, max-age=300".into()),
                ],
                bytes.clone(),
            )
                .into_response()
        }
        None => WebError::NotFound(format!("no download `{path}`")).into_response(),
    }
}
