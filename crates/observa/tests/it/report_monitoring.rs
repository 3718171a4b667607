//! The annual report's monitoring section, written by the real `observa report` and read back
//! with poppler (PDF), python-docx and the package's own parts (DOCX) and openpyxl (XLSX): on the
//! default database it is one paragraph saying no State has reported yet; with a test matrix
//! (Paraguay, two indicators) and reports in every status, it shows the approved values only,
//! with charts that are vector images in the PDF and SVG parts in the DOCX.

use std::process::Command;

use observa_domain::account::Role;
use observa_domain::monitoring::*;
use observa_domain::Lang;
use observa_report::labels::Labels;
use observa_store::Backend;
use observa_workflow::monitoring::{decide_report, save_matrix, save_report, submit_report, Entry};
use serde_json::Value;

use crate::monitoring::{actor, day, paraguay};
use crate::report::{poppler, python_for_tests};
use crate::{text, Scratch};

/// Values that are approved, and values that are not (submitted, draft): only the first may show.
const APPROVED: [&str; 3] = ["2", "3.5", "41.5"];
const NOT_APPROVED: [&str; 2] = ["6.25", "47.75"];

fn entry(value: f64) -> Entry {
    Entry {
        value: Some(value),
        no_data: None,
        breakdown: Default::default(),
        narrative: "Test fixture value.".into(),
        lang: Lang::En,
        confirmed: false,
    }
}

/// How far a fixture report goes through the workflow.
#[derive(PartialEq, PartialOrd)]
enum Upto {
    Draft,
    Submitted,
    Approved,
}

/// Paraguay's test matrix (a process indicator `i1` from 0 to 8 and an outcome indicator `i2`
/// from 40 to 80, 2015 to 2016, quarterly) with reports in every status: `i1` approved 2 and 3.5,
/// submitted 6.25; `i2` approved 41.5, draft 47.75. On 31 December 2015 `i1` is on track and `i2`
/// off track under the published rule.
fn monitored(s: &Scratch, db: &str) {
    // The binary seeds the database with the bundled registry first.
    report(s, db, "en", "md");
    let registry = crate::bundled();
    let mut m = paraguay(&registry);
    let mut outcome = m.objectives[0].lines[0].actions[0].indicators[0].clone();
    outcome.id = "i2".into();
    outcome.name = "Reports of online exploitation investigated".into();
    outcome.kind = IndicatorKind::Outcome;
    outcome.unit = "% of reports".into();
    outcome.baseline = Some(Point { value: 40.0, date: day("2015-01-01") });
    outcome.target = Some(Point { value: 80.0, date: day("2016-12-31") });
    m.objectives[0].indicators.push(outcome);
    let mut store: Box<dyn Backend> = s.open(db);
    let (co, analyst) = (actor(Role::Coordinator, &["PY"]), actor(Role::Analyst, &[]));
    save_matrix(store.as_mut(), &registry, &co, &m, 0, day("2015-01-10")).unwrap();
    let fixtures = [
        ("i1", "2015-01-01", 2.0, Upto::Approved, "2015-04-05"),
        ("i1", "2015-04-01", 3.5, Upto::Approved, "2015-07-05"),
        ("i1", "2015-07-01", 6.25, Upto::Submitted, "2015-10-05"),
        ("i2", "2015-01-01", 41.5, Upto::Approved, "2015-04-05"),
        ("i2", "2015-04-01", 47.75, Upto::Draft, "2015-07-05"),
    ];
    for (indicator, period, value, upto, on) in fixtures {
        let key = ReportKey { plan: m.plan.clone(), indicator: indicator.into(), period: day(period) };
        let store = store.as_mut();
        let mut v = save_report(store, &registry, &co, &key, &entry(value), 0, day(on)).unwrap();
        if upto >= Upto::Submitted {
            v = submit_report(store, &registry, &co, &key, v, day(on)).unwrap();
        }
        if upto == Upto::Approved {
            decide_report(store, &registry, &analyst, &key, v, true, "").unwrap();
        }
    }
}

/// Runs `observa report` on `db` with the monitoring figures of 31 December 2015.
fn report(s: &Scratch, db: &str, lang: &str, ext: &str) -> std::path::PathBuf {
    let out = s.path(&format!("{db}-{lang}.{ext}"));
    let args = ["report", "--lang", lang, "--monitored-on", "2015-12-31", "--out", out.to_str().unwrap()];
    let run = s.observa(db, &args);
    assert!(run.status.success(), "{}", text(&run));
    out
}

fn python(script: &str, file: &std::path::Path) -> Option<Value> {
    let python = python_for_tests()?;
    let out = Command::new(&python).args(["-c", script]).arg(file).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn the_default_database_s_report_says_no_state_has_reported_monitoring_data_yet() {
    let s = Scratch::new();
    for lang in [Lang::En, Lang::Fr] {
        let md = std::fs::read_to_string(report(&s, "r.db", lang.code(), "md")).unwrap();
        let l = Labels::new(lang);
        let section = &md[md.find(&l.t("report-h-monitoring")).expect("the section's heading")..];
        let next = section.find(&format!("# {}", l.t("report-h-conclusions"))).expect("the next section");
        let paragraphs: Vec<&str> = section[..next].split("\n\n").skip(1).filter(|p| !p.trim().is_empty()).collect();
        assert_eq!(paragraphs.len(), 1, "one paragraph: {paragraphs:?}");
        let start: String = l.t("report-monitoring-none").chars().take(40).collect();
        assert!(paragraphs[0].starts_with(&start), "{}", paragraphs[0]);
    }
}

#[test]
fn the_pdf_draws_the_charts_as_vectors_with_their_labels_as_text_and_approved_values_only() {
    if !poppler() {
        return;
    }
    let s = Scratch::new();
    monitored(&s, "m.db");
    let pdf = report(&s, "m.db", "en", "pdf");
    let images = text(&Command::new("pdfimages").arg("-list").arg(&pdf).output().unwrap());
    assert_eq!(images.lines().skip(2).filter(|l| !l.trim().is_empty()).count(), 0, "no raster image: {images}");
    let body = text(&Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap());
    let l = Labels::new(Lang::En);
    assert!(body.contains(&l.t("report-h-monitoring")), "the section's heading");
    // The page with the States' chart holds the chart's own labels: the bar's value and the ticks.
    let caption = l.t("monitoring-states-chart-caption");
    let page = body.split('\u{c}').find(|p| p.contains(&caption[..30])).expect("the page of the States' chart");
    assert!(page.contains("100 %"), "the bar's label is text in the PDF: {page}");
    let chart = body.split('\u{c}').find(|p| p.contains("Reports of online exploitation investigated (% of reports)"));
    let chart = chart.expect("the page of the outcome indicator's chart");
    // Its value axis runs from 36 to 80: ticks at 40, 50, ... 80, which only the chart prints.
    assert!(chart.contains(&l.t("track-off-track")) && chart.contains("50") && chart.contains("70"), "{chart}");
    for value in NOT_APPROVED {
        assert!(!body.contains(value), "{value} is not approved and must not show");
    }
}

const DOCX: &str = r#"
import docx, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
d = docx.Document(sys.argv[1])
print(json.dumps({
  "parts": z.namelist(),
  "types": z.read("[Content_Types].xml").decode(),
  "document": z.read("word/document.xml").decode(),
  "rels": z.read("word/_rels/document.xml.rels").decode(),
  "tables": [[[c.text for c in row.cells] for row in t.rows] for t in d.tables],
}))
"#;

#[test]
fn the_docx_has_svg_charts_with_a_png_fallback_and_the_tables_hold_approved_values_only() {
    let s = Scratch::new();
    monitored(&s, "m.db");
    let Some(got) = python(DOCX, &report(&s, "m.db", "es", "docx")) else { return };
    let parts: Vec<&str> = got["parts"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    let svgs: Vec<&&str> = parts.iter().filter(|p| p.starts_with("word/media/") && p.ends_with(".svg")).collect();
    // The States compared, then at most three indicators of the plan: here both.
    assert_eq!(svgs.len(), 3, "{parts:?}");
    assert_eq!(parts.iter().filter(|p| p.starts_with("word/media/") && p.ends_with(".png")).count(), 3);
    assert!(got["types"].as_str().unwrap().contains("Extension=\"svg\""));
    assert_eq!(got["document"].as_str().unwrap().matches("asvg:svgBlip").count(), 3);
    assert!(got["rels"].as_str().unwrap().contains("media/rIdChart1.svg"));
    let tables: Vec<Vec<Vec<String>>> = serde_json::from_value(got["tables"].clone()).unwrap();
    let cells: Vec<&String> = tables.iter().flatten().flatten().collect();
    let l = Labels::new(Lang::Es);
    let approved = l.t("report-monitoring-approved");
    let values: Vec<&Vec<String>> = tables.iter().flatten().filter(|r| r[0] == approved).collect();
    let shown: Vec<&str> = values.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(shown, ["41.5", "2", "3.5"], "the outcome indicator first, then the process indicator");
    assert!(NOT_APPROVED.iter().all(|v| !cells.iter().any(|c| c == v)), "no unapproved value in a table");
    let verdicts = tables.iter().find(|t| t[0].contains(&l.t("track-on-track"))).expect("the verdicts table");
    assert_eq!(
        verdicts[1][2..],
        ["2", "1", "1", "0"],
        "two indicators: one on track, one off track, none without data"
    );
    let svg = std::fs::read(report(&s, "m.db", "es", "html")).unwrap();
    assert!(String::from_utf8(svg).unwrap().contains("<figure id=\"monitoring-states-chart\" class=\"chart\"><svg"));
}

const XLSX: &str = r#"
import openpyxl, json, sys
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
print(json.dumps({ws.title: [[str(c) if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}))
"#;

#[test]
fn the_xlsx_has_the_monitoring_sheets_with_the_approved_values_and_not_the_others() {
    let s = Scratch::new();
    monitored(&s, "m.db");
    for lang in [Lang::En, Lang::Pt] {
        let Some(sheets) = python(XLSX, &report(&s, "m.db", lang.code(), "xlsx")) else { return };
        let l = Labels::new(lang);
        let states = sheets[l.t("report-sheet-monitoring")].as_array().expect("the monitoring sheet");
        assert_eq!(states.len(), 2, "one plan followed: {states:?}");
        assert_eq!(states[1][0], crate::bundled().state("PY").unwrap().name(lang), "the State's name in the language");
        assert_eq!(states[1][2], "2", "two indicators");
        assert_eq!((&states[1][4], &states[1][5]), (&Value::from("2"), &Value::from("100")), "both recent, from 2015");
        let values = |sheet: &str| -> Vec<String> {
            let rows = sheets[sheet].as_array().unwrap_or_else(|| panic!("the sheet {sheet}"));
            let approved = l.t("report-monitoring-approved");
            rows.iter().filter(|r| r[0] == approved.as_str()).map(|r| r[2].as_str().unwrap().to_string()).collect()
        };
        assert_eq!(values("PY i1"), ["2", "3.5"]);
        assert_eq!(values("PY i2"), ["41.5"]);
        let every_cell: Vec<String> = sheets
            .as_object()
            .unwrap()
            .values()
            .flat_map(|rows| rows.as_array().unwrap().iter().flat_map(|r| r.as_array().unwrap().clone()))
            .map(|c| c.as_str().unwrap_or_default().to_string())
            .collect();
        for value in NOT_APPROVED {
            assert!(!every_cell.iter().any(|c| c == value), "{}: {value} is not approved", lang.code());
        }
        for value in APPROVED {
            assert!(every_cell.iter().any(|c| c == value), "{}: {value} is approved", lang.code());
        }
    }
}

#[test]
fn the_portal_s_report_page_inlines_the_charts_and_shows_approved_values_only() {
    let s = Scratch::new();
    monitored(&s, "m.db");
    let app = crate::web::TestApp::spawn_on(s.open("m.db"));
    let page = app.get("/es/analysis/report/2014");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<figure id=\"monitoring-states-chart\" class=\"chart\"><svg"), "the chart inline");
    assert!(page.body.contains(&Labels::new(Lang::Es).t("report-h-monitoring")));
    assert!(page.body.contains("<td>41.5</td>") && !page.body.contains("6.25") && !page.body.contains("47.75"));
    let md = app.get("/en/analysis/report/2014/md");
    assert!(
        md.body.contains(&format!("*{}: ", Labels::new(Lang::En).t("report-chart-note"))),
        "a note where a chart is"
    );
    assert!(md.body.contains("| Approved value | 2015-06-30 | 3.5 |"), "its figures as a table");
}
