//! The annual report, written by the real `observa report` and read back by tools nobody here
//! wrote: poppler's `pdfinfo`, `pdffonts` and `pdftotext` for the PDF, python-docx for the DOCX,
//! openpyxl for the XLSX. Their tables are compared with the registry, and each language's
//! output is checked to be in that language.
//!
//! `scripts/test.sh` installs the tools (poppler-utils; python-docx and openpyxl in a virtual
//! environment) and sets `OBSERVA_REQUIRE_TOOLS=1`, as CI does; without them these tests say so
//! and stop, unless tools are required.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use observa_domain::analysis::status::status_table;
use observa_domain::Lang;
use observa_report::labels::Labels;
use serde_json::Value;

use crate::{bundled, data_dir, questionnaire, text, Scratch};

fn require(what: &str, ok: bool) -> bool {
    if !ok {
        let message = format!("{what} is missing: run `bash scripts/test.sh`, which installs it");
        assert!(std::env::var("OBSERVA_REQUIRE_TOOLS").is_err(), "{message}");
        eprintln!("NOT RUN: {message}");
    }
    ok
}

/// Python with python-docx and openpyxl, for other test modules.
pub(crate) fn python_for_tests() -> Option<String> {
    python()
}

fn python() -> Option<String> {
    let python = std::env::var("OBSERVA_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Command::new(&python).args(["-c", "import docx, openpyxl"]).output().is_ok_and(|o| o.status.success());
    require(&format!("{python} with python-docx and openpyxl"), ok).then_some(python)
}

pub(crate) fn poppler() -> bool {
    require("poppler-utils (pdftotext)", Command::new("pdftotext").arg("-v").output().is_ok())
}

/// Runs `observa report` for one language and format; checks it succeeded and showed progress.
fn report(s: &Scratch, lang: &str, ext: &str) -> PathBuf {
    let out = s.path(&format!("report-{lang}.{ext}"));
    let run = s.observa("r.db", &["report", "--cycle", "2014", "--lang", lang, "--out", out.to_str().unwrap()]);
    assert!(run.status.success(), "{}", text(&run));
    assert!(text(&run).contains("[3/3]"), "progress is shown: {}", text(&run));
    out
}

/// The report the binary should have written, composed here from the data files.
fn expected(lang: Lang) -> observa_report::Document {
    let text = std::fs::read_to_string(data_dir().join("editorial/2014.toml")).unwrap();
    let blocks = observa_domain::editorial::parse_file("2014.toml", &text).unwrap();
    let editorial = observa_domain::editorial::by_key(&blocks, 2014, lang);
    let mut ds = bundled();
    ds.normalise();
    let q = questionnaire();
    observa_report::compose(&observa_report::Inputs {
        dataset: &ds,
        questionnaire: Some(&q),
        editorial: &editorial,
        annotations: &[],
        cycle: 2014,
        lang,
        on: NaiveDate::from_ymd_opt(2014, 12, 31).unwrap(),
        monitoring: &[],
        monitored_on: NaiveDate::from_ymd_opt(2014, 12, 31).unwrap(),
        demonstration: false,
    })
}

fn run_python(python: &str, script: &str, file: &Path) -> Value {
    let out = Command::new(python).args(["-c", script]).arg(file).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Headings that only the given language's report has (their text differs between languages).
fn own_headings(lang: Lang) -> Vec<String> {
    ["report-h-methodology", "report-h-status", "report-h-appendices"].iter().map(|k| Labels::new(lang).t(k)).collect()
}

fn assert_in_language(text: &str, lang: Lang) {
    for heading in own_headings(lang) {
        assert!(text.contains(&heading), "{} output lacks `{heading}`", lang.code());
    }
    for other in Lang::ALL.into_iter().filter(|l| *l != lang) {
        for heading in own_headings(other) {
            if !own_headings(lang).contains(&heading) {
                assert!(!text.contains(&heading), "{} output has {}'s `{heading}`", lang.code(), other.code());
            }
        }
    }
}

#[test]
fn the_pdf_is_a4_with_embedded_fonts_and_the_registry_s_tables_in_each_language() {
    if !poppler() {
        return;
    }
    let s = Scratch::new();
    let ds = bundled();
    for lang in Lang::ALL {
        let pdf = report(&s, lang.code(), "pdf");
        let info = text(&Command::new("pdfinfo").arg(&pdf).output().unwrap());
        assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
        let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
        assert!(pages >= 20, "{pages} pages");
        let fonts = text(&Command::new("pdffonts").arg(&pdf).output().unwrap());
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty() && rows.iter().all(|r| r.contains(" yes yes ")), "every font embedded: {fonts}");
        let body = text(&Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap());
        assert_in_language(&body, lang);
        // Every State of the status table, by its name in this language; every date of the
        // ratification table (Appendix 3), as the registry has it.
        for row in status_table(&ds, NaiveDate::from_ymd_opt(2014, 12, 31).unwrap()) {
            let name = ds.state(row.state.as_str()).unwrap().name(lang);
            assert!(body.contains(name), "{}: {name} missing", lang.code());
        }
        let missing: Vec<String> = ds
            .ratifications
            .iter()
            .filter_map(|r| r.date.map(|d| d.to_string()))
            .filter(|d| !body.contains(d.as_str()))
            .collect();
        assert!(missing.is_empty(), "{}: ratification dates missing from the PDF: {missing:?}", lang.code());
    }
}

const DOCX_TABLES: &str = r#"
import docx, json, sys
d = docx.Document(sys.argv[1])
tables = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
style = lambda p: p.style.name if p.style is not None else ""
headings = [(style(p), p.text) for p in d.paragraphs if style(p).startswith("Heading")]
text = "\n".join(p.text for p in d.paragraphs)
header_repeats = [t.rows[0]._tr.trPr is not None and "tblHeader" in t.rows[0]._tr.trPr.xml for t in d.tables]
print(json.dumps({"tables": tables, "headings": headings, "text": text, "header_repeats": header_repeats}))
"#;

#[test]
fn the_docx_has_real_headings_and_tables_equal_to_the_report_s() {
    let Some(python) = python() else { return };
    let s = Scratch::new();
    for lang in [Lang::Es, Lang::Fr] {
        let got = run_python(&python, DOCX_TABLES, &report(&s, lang.code(), "docx"));
        let doc = expected(lang);
        let tables: Vec<Vec<Vec<String>>> =
            doc.tables().map(|t| std::iter::once(t.header.clone()).chain(t.rows.iter().cloned()).collect()).collect();
        let read: Vec<Vec<Vec<String>>> = serde_json::from_value(got["tables"].clone()).unwrap();
        assert_eq!(read.len(), tables.len(), "one Word table per report table");
        assert_eq!(read, tables, "{}: the DOCX's cells are the report's", lang.code());
        assert!(got["header_repeats"].as_array().unwrap().iter().all(|v| v == true), "header rows repeat");
        let headings: Vec<(String, String)> = serde_json::from_value(got["headings"].clone()).unwrap();
        let methodology = Labels::new(lang).t("report-h-methodology");
        assert!(headings.contains(&("Heading 1".to_string(), methodology.clone())), "{headings:?}");
        assert!(headings.iter().any(|(style, _)| style == "Heading 2"));
        let mut all_text = got["text"].as_str().unwrap().to_string();
        all_text.push_str(&headings.iter().map(|h| h.1.clone()).collect::<Vec<_>>().join("\n"));
        assert_in_language(&all_text, lang);
    }
}

/// The status table of the DOCX against the registry itself (not the composer): every plan of
/// every State, with its adoption and validity as the source words them.
#[test]
fn the_docx_status_table_matches_the_registry() {
    let Some(python) = python() else { return };
    let s = Scratch::new();
    let got = run_python(&python, DOCX_TABLES, &report(&s, "en", "docx"));
    let tables: Vec<Vec<Vec<String>>> = serde_json::from_value(got["tables"].clone()).unwrap();
    let status =
        tables.iter().find(|t| t[0][0] == "State" && t[0][1] == "Plan (original language)").expect("status table");
    let ds = bundled();
    let mut expected = BTreeSet::new();
    for row in status_table(&ds, NaiveDate::from_ymd_opt(2014, 12, 31).unwrap()) {
        for p in row.plans {
            let mark = if p.last_approved { " *" } else { "" };
            let adopted = match (&p.adopted_wording, &p.adoption) {
                (Some(wording), _) => wording.clone(),
                (None, observa_domain::period::Adoption::On(date)) => date.to_string(),
                (None, status) => Labels::new(Lang::En).t(&format!("report-adoption-{status}")),
            };
            expected.insert((row.state_name.clone(), format!("{}{mark}", p.name), adopted, p.validity.clone()));
        }
    }
    let read: BTreeSet<(String, String, String, String)> =
        status[1..].iter().map(|r| (r[0].clone(), r[1].clone(), r[3].clone(), r[4].clone())).collect();
    assert_eq!(read, expected);
    assert_eq!(status.len() - 1, ds.plans.len(), "one row per plan");
}

const XLSX_SHEETS: &str = r#"
import openpyxl, json, sys
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
print(json.dumps({ws.title: [[c if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}))
"#;

#[test]
fn the_xlsx_holds_the_appendices_and_the_comparison_with_registry_values() {
    let Some(python) = python() else { return };
    let s = Scratch::new();
    let ds = bundled();
    for lang in [Lang::En, Lang::Pt] {
        let sheets = run_python(&python, XLSX_SHEETS, &report(&s, lang.code(), "xlsx"));
        let l = Labels::new(lang);
        let ratifications = sheets[l.t("report-sheet-ratifications")].as_array().expect("the Appendix 3 sheet");
        let header: Vec<&str> = ratifications[0].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(&header[1..], observa_domain::treaty::TREATY_CODES);
        assert_eq!(ratifications.len() - 1, 35, "every OAS Member State");
        for r in ds.ratifications.iter().filter(|r| r.date.is_some()) {
            let name = ds.state(r.state.as_str()).unwrap().name(lang);
            let row = ratifications.iter().find(|row| row[0] == name).unwrap_or_else(|| panic!("{name}"));
            let col = 1 + observa_domain::treaty::TREATY_CODES.iter().position(|c| *c == r.treaty).unwrap();
            assert!(row[col].as_str().unwrap().starts_with(&r.date.unwrap().to_string()), "{name} {}", r.treaty);
        }
        let comparison = sheets[l.t("report-sheet-comparison")].as_array().expect("the comparison sheet");
        assert_eq!(comparison[0][1], l.t("indicator-specific-plan"), "full indicator names as columns");
        assert_eq!(comparison.len() - 1, 14, "the 14 responding States");
        assert!(sheets.get(l.t("report-sheet-reporting")).is_some(), "the Appendix 2 sheet");
    }
}

#[test]
fn html_is_one_self_contained_file_and_markdown_has_pipe_tables() {
    let s = Scratch::new();
    let html = std::fs::read_to_string(report(&s, "es", "html")).unwrap();
    assert!(html.starts_with("<!doctype html>") && html.contains("<html lang=\"es\">"));
    assert!(!html.contains("src=") && !html.contains("href=\"http") && !html.contains("<link"), "nothing fetched");
    assert!(html.contains("<table id=\"status-table\">") && html.contains("<thead>"));
    assert_in_language(&html, Lang::Es);
    let md = std::fs::read_to_string(report(&s, "pt", "md")).unwrap();
    assert!(md.contains("\n| Estado |") || md.contains("\n| ") && md.contains("|---|"), "pipe tables");
    assert_in_language(&md, Lang::Pt);
}

#[test]
fn bad_report_requests_get_clear_errors_and_leave_no_file() {
    let s = Scratch::new();
    let cases: [(&[&str], &str); 4] = [
        (&["report", "--lang", "de", "--out", "x.pdf"], "`de` is not a working language"),
        (&["report", "--out", "x.odt"], "say --format"),
        (&["report", "--format", "rtf", "--out", "x.rtf"], "`rtf` is not a report format"),
        (&["report", "--out", "no/such/folder/x.pdf"], "does not exist"),
    ];
    for (args, message) in cases {
        let out = s.observa("r.db", args);
        assert!(!out.status.success(), "{args:?}");
        assert!(text(&out).contains(message), "{args:?}: {}", text(&out));
    }
    assert!(!s.path("x.pdf").exists() && !s.path("x.odt").exists());
}

#[test]
fn all_formats_in_all_languages_come_out_of_one_command() {
    let s = Scratch::new();
    let dir = s.path("all");
    let out = s.observa("r.db", &["report", "--all", "--out", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names.len(), 20, "{names:?}");
    assert!(names.contains(&"observa-report-2014-fr.pdf".to_string()));
    assert!(names.iter().all(|n| !n.ends_with(".partial")));
}
