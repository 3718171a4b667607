//! The open-data files, made once when the portal starts (the data changes only on writes):
//! the JSON export, the XLSX workbook, one CSV per table, and the Frictionless Data Package,
//! served under `/downloads/` with relative paths so the package works straight from the web.
//! A file that cannot be made is logged and left out; the others are served, and the portal
//! starts regardless.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::snapshot::Snapshot;
use crate::{AppState, WebError};

pub struct Downloads {
    files: BTreeMap<String, (&'static str, Vec<u8>)>,
    /// Files that could not be made, with the reason (logged when it happened).
    failed: BTreeMap<String, String>,
}

/// One line of the downloads page.
#[derive(Serialize)]
pub struct Listed {
    pub path: String,
    pub bytes: usize,
}

const CSV: &str = "text/csv; charset=utf-8";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

impl Downloads {
    /// Makes every file. A file that cannot be made is logged and left out (its URL answers an
    /// error) instead of failing the whole portal: no registry content can stop the server from
    /// starting or an accepted response from being published.
    pub fn build(snapshot: &Snapshot, tables: &[observa_store::Table]) -> Self {
        let mut d = Downloads { files: BTreeMap::new(), failed: BTreeMap::new() };
        let json = observa_domain::export::to_document(&snapshot.dataset, snapshot.as_of);
        d.add("observa.json", "application/json", serde_json::to_vec_pretty(&json).map_err(|e| e.to_string()));
        d.add("observa.xlsx", XLSX, observa_opendata::xlsx(tables));
        for t in tables {
            d.add(&format!("csv/{}.csv", t.name), CSV, observa_opendata::csv(t));
        }
        let title = "Observa: national plans against the sexual exploitation of children in the Americas";
        match observa_opendata::datapackage(tables, title, &snapshot.as_of.to_string()) {
            Ok(files) => {
                for f in files {
                    let kind = if f.name.ends_with(".json") { "application/json" } else { CSV };
                    d.add(&format!("datapackage/{}", f.name), kind, Ok(f.bytes));
                }
            }
            Err(e) => d.add("datapackage/datapackage.json", "application/json", Err(e)),
        }
        d
    }

    fn add(&mut self, path: &str, kind: &'static str, made: Result<Vec<u8>, String>) {
        match made {
            Ok(bytes) => {
                self.files.insert(path.to_string(), (kind, bytes));
            }
            Err(reason) => {
                tracing::error!(download = path, %reason, "an open-data file could not be made; it is left out");
                self.failed.insert(path.to_string(), reason);
            }
        }
    }

    pub fn listing(&self) -> Vec<Listed> {
        self.files.iter().map(|(path, (_, bytes))| Listed { path: path.clone(), bytes: bytes.len() }).collect()
    }
}

/// `/downloads/<file>` from the current registry; `/downloads/cycles/<year>/<file>` from the
/// registry as it stood for that cycle.
pub async fn file(State(app): State<AppState>, Path(path): Path<String>) -> Response {
    let (downloads, path) = match path.strip_prefix("cycles/").and_then(|rest| rest.split_once('/')) {
        Some((year, rest)) => match crate::pages::cycle_year(year).and_then(|y| app.downloads_as_of(y)) {
            Ok(d) => (d, rest.to_string()),
            Err(e) => return e.into_response(),
        },
        None => (app.downloads(), path),
    };
    match downloads.files.get(&path) {
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
        None => match downloads.failed.get(&path) {
            Some(reason) => {
                WebError::Internal(format!("open data: {path} could not be made: {reason}")).into_response()
            }
            None => WebError::NotFound(format!("no download `{path}`")).into_response(),
        },
    }
}

/// The monitoring data package (`/downloads/monitoring/datapackage.json`, its CSV files and one
/// workbook), made from the store on each request: approved values change with every decision,
/// and the dashboards read the store the same way (its route is not in the answer cache). Only
/// the file asked for is written. A demonstration database says so in the package's title.
pub async fn monitoring(State(app): State<AppState>, Path(path): Path<String>) -> Response {
    let tables = match observa_store::monitoring_tables(app.store.lock().expect("store lock").as_ref()) {
        Ok(t) => t,
        Err(e) => return WebError::Internal(format!("monitoring open data: {e}")).into_response(),
    };
    let title = if app.demonstration { MONITORING_DEMO } else { MONITORING };
    let csv = path
        .strip_prefix("data/")
        .and_then(|f| f.strip_suffix(".csv"))
        .and_then(|n| tables.iter().find(|t| t.name == n));
    let made = match (path.as_str(), csv) {
        (_, Some(table)) => observa_opendata::csv(table).map(|b| (CSV, b)),
        ("observa-monitoring.xlsx", _) => observa_opendata::xlsx(&tables).map(|b| (XLSX, b)),
        ("datapackage.json", _) => {
            let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            observa_opendata::datapackage(&tables, title, &created)
                .map(|files| ("application/json", files.into_iter().next().map(|f| f.bytes).unwrap_or_default()))
        }
        _ => return WebError::NotFound(format!("no download `monitoring/{path}`")).into_response(),
    };
    match made {
        Ok((kind, bytes)) => {
            let disposition = if kind == XLSX { "attachment; filename=\"observa-monitoring.xlsx\"" } else { "inline" };
            let headers = [
                (header::CONTENT_TYPE, kind.to_string()),
                (header::CONTENT_DISPOSITION, disposition.to_string()),
                (header::CACHE_CONTROL, "public, max-age=60".into()),
            ];
            (headers, bytes).into_response()
        }
        Err(e) => WebError::Internal(format!("monitoring open data: {e}")).into_response(),
    }
}

/// The monitoring package's title.
pub const MONITORING: &str = "Observa: plan monitoring (action matrices, indicators, due dates and approved values)";
/// Its title when the database holds synthetic data.
pub const MONITORING_DEMO: &str =
    "DEMONSTRATION DATA (synthetic, reported by no State) - Observa: plan monitoring (action matrices, indicators, due dates and approved values)";
