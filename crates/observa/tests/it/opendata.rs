//! Open data read back by tools nobody here wrote: the `frictionless` validator and openpyxl
//! (Python), and the portal's download links.
//!
//! These need Python with `frictionless` and `openpyxl`: `scripts/test.sh` installs them in a
//! virtual environment and sets `OBSERVA_PYTHON` and `OBSERVA_REQUIRE_TOOLS=1` (as CI does);
//! without them the two tool tests say so and stop, unless tools are required.

use std::process::Command;

use crate::web::TestApp;
use crate::{text, Scratch};

/// The Python interpreter that has the validators, or None (and why) when it is missing.
fn python() -> Option<String> {
    let python = std::env::var("OBSERVA_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok =
        Command::new(&python).args(["-c", "import frictionless, openpyxl"]).output().is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    let message = format!("{python} lacks frictionless/openpyxl: run `bash scripts/test.sh`, which installs them");
    assert!(std::env::var("OBSERVA_REQUIRE_TOOLS").is_err(), "{message}");
    eprintln!("NOT RUN: {message}");
    None
}

/// Downloads the data package the portal serves under `base` (its `datapackage.json` and every
/// resource it names) and checks it validates with frictionless.
pub(crate) fn validate_served(app: &TestApp, base: &str) {
    let Some(python) = python() else { return };
    let s = Scratch::new();
    let dir = s.path("served");
    let package = app.get(&format!("{base}datapackage.json"));
    assert_eq!(package.status, 200, "{}", package.body);
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::write(dir.join("datapackage.json"), &package.body).unwrap();
    for resource in package.json()["resources"].as_array().unwrap() {
        let path = resource["path"].as_str().unwrap();
        let got = app.get(&format!("{base}{path}"));
        assert_eq!(got.status, 200, "{path}");
        std::fs::write(dir.join(path), got.body).unwrap();
    }
    let report = Command::new(&python)
        .args(["-m", "frictionless", "validate", "--json", "datapackage.json"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&report.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&report)));
    assert_eq!(json["valid"], true, "{}", serde_json::to_string_pretty(&json).unwrap());
}

#[test]
fn the_data_package_validates_with_frictionless() {
    let Some(python) = python() else { return };
    let s = Scratch::new();
    let dir = s.path("package");
    let out = s.observa("a.db", &["export", "--format", "datapackage", "--out", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let report = Command::new(&python)
        .args(["-m", "frictionless", "validate", "--json", "datapackage.json"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&report.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&report)));
    assert_eq!(json["valid"], true, "{}", serde_json::to_string_pretty(&json).unwrap());
    // The registry's tables and the four of plan monitoring.
    let tables = observa_domain::dataset::TABLE_NAMES.len() + 4;
    assert_eq!(json["tasks"].as_array().unwrap().len(), tables, "one validated resource per table");
    assert!(dir.join("data/monitoring_values.csv").exists(), "approved monitoring values are open data");
    assert!(dir.join("data/translations.csv").exists(), "the texts in four languages are open data too");
}

#[test]
fn the_workbook_opens_in_openpyxl_with_the_registry_content() {
    let Some(python) = python() else { return };
    let s = Scratch::new();
    let book = s.path("observa.xlsx");
    assert!(s.observa("a.db", &["export", "--format", "xlsx", "--out", book.to_str().unwrap()]).status.success());
    let script = "import sys, openpyxl, json\n\
        wb = openpyxl.load_workbook(sys.argv[1], read_only=True)\n\
        rat = list(wb['ratifications'].iter_rows(values_only=True))\n\
        st = list(wb['states'].iter_rows(values_only=True))\n\
        lc = [r for r in rat if r[0] == 'LC' and r[1] == 'PALERMO'][0]\n\
        print(json.dumps({'sheets': wb.sheetnames, 'ratifications': len(rat) - 1, 'states': len(st) - 1, 'lc': list(lc[:5])}))";
    let out = Command::new(&python).args(["-c", script, book.to_str().unwrap()]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
    assert_eq!(json["sheets"].as_array().unwrap().len(), observa_domain::dataset::TABLE_NAMES.len());
    assert!(json["sheets"].as_array().unwrap().contains(&serde_json::json!("translations")));
    assert_eq!((json["ratifications"].as_u64(), json["states"].as_u64()), (Some(340), Some(35)));
    assert_eq!(json["lc"], serde_json::json!(["LC", "PALERMO", "accession", "2013-07-16", "16/07/2013a"]));
}

#[test]
fn the_portal_serves_every_open_data_file() {
    let app = TestApp::spawn();
    let page = app.get("/fr/downloads");
    assert!(page.body.contains("datapackage/data/ratifications.csv") && page.body.contains("observa.xlsx"));
    let doc = app.get("/downloads/observa.json").json();
    assert_eq!(doc["states"].as_array().unwrap().len(), 35);
    let package = app.get("/downloads/datapackage/datapackage.json").json();
    for resource in package["resources"].as_array().unwrap() {
        let csv = app.get(&format!("/downloads/datapackage/{}", resource["path"].as_str().unwrap()));
        assert_eq!(csv.status, 200, "{resource}");
        assert!(csv.headers["content-type"].starts_with("text/csv"));
    }
    let xlsx = app.get("/downloads/observa.xlsx");
    assert!(xlsx.headers["content-disposition"].contains("observa.xlsx"));
    assert_eq!(app.get("/downloads/nothing.zip").status, 404);
}
