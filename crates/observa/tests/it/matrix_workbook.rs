//! The action matrix through its workbook, as a coordinator works offline: a blank downloaded,
//! filled in a spreadsheet (openpyxl, merged cells as plans draw them), uploaded back with a report;
//! wrong, stale, hostile and foreign workbooks refused whole; an action's status changed with a note.

use crate::consultation::{account, setup, upload_answer};
use crate::text;

/// Fills a matrix workbook's rows as a plan is written: the objective merged down its rows, an
/// outcome indicator on the objective, two actions on one line. argv: in, out, lead organisation.
const FILL: &str = r#"
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Matrix"]
col = {str(c.value).rsplit("[", 1)[-1].rstrip("]"): c.column for c in ws[2]}
rows = [
  {"objective": "O1", "objective_title": "Proteger a niñas, niños y adolescentes", "indicator": "r1",
   "indicator_name": "Denuncias investigadas", "unit": "%", "baseline": 40, "baseline_date": "2014-12-31",
   "target": 80, "target_date": "2018-12-31", "frequency": "12", "starts": "2015-01-01"},
  {"line": "L1", "line_title": "Fortalecer la investigación", "focal_points": "protection; 1",
   "action": "A1", "action_title": "Capacitar a fiscales", "lead": sys.argv[3], "action_start": "2015-03",
   "indicator": "p1", "indicator_name": "Talleres realizados", "unit": "talleres", "baseline": 0,
   "baseline_date": "2015-01-01", "target": 12, "target_date": "2017-12-31", "frequency": "quarterly",
   "starts": "2015-01-01", "disaggregation": "sex"},
  {"line": "L1", "action": "A2", "action_title": "Protocolo de atención", "status": "in-progress"},
]
for r, values in enumerate(rows, start=3):
    for k, v in values.items():
        ws.cell(row=r, column=col[k], value=v)
ws.merge_cells(start_row=3, end_row=5, start_column=col["objective"], end_column=col["objective"])
if len(sys.argv) > 4:
    ws.cell(row=4, column=col["frequency"], value="weekly")
    ws.cell(row=5, column=col["status"], value="halfway")
wb.save(sys.argv[2])
"#;

fn download(app: &crate::web::TestApp, path: &str, cookie: &str) -> (u16, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut got = agent.get(format!("{}{path}", app.base)).header("Cookie", cookie).call().unwrap();
    (got.status().as_u16(), got.body_mut().with_config().limit(10 * 1024 * 1024).read_to_vec().unwrap())
}

#[test]
fn a_coordinator_fills_the_matrix_offline_and_bad_workbooks_change_nothing() {
    let Some(python) = crate::report::python_for_tests() else { return };
    let (app, s, _) = setup();
    let registry = crate::bundled();
    let plan = registry.plans.iter().find(|p| p.state.as_str() == "PY").unwrap().id.clone();
    let lead = registry.organisations.iter().find(|o| o.state.as_ref().is_some_and(|s| s.as_str() == "PY")).unwrap();
    let co = account(&app, &s, "coordinacion@snna.gov.py", &["--role", "coordinator", "--state", "PY"]);
    let other = account(&app, &s, "coordinacion@gob.cl", &["--role", "coordinator", "--state", "CL"]);
    let path = format!("/es/monitoring/plans/{plan}/matrix.xlsx");
    let csrf = app.get_with(&format!("/es/monitoring/plans/{plan}"), &[("Cookie", &co)]).csrf();

    let (status, blank) = download(&app, &path, &co);
    assert_eq!(status, 200, "a blank for a plan without a matrix");
    assert_eq!(download(&app, &path, &other).0, 403, "another State's coordinator");
    let fill = |name: &str, bad: bool| {
        let (from, to) = (s.path("blank.xlsx"), s.path(name));
        std::fs::write(&from, &blank).unwrap();
        let mut cmd = std::process::Command::new(&python);
        cmd.args(["-c", FILL]).arg(&from).arg(&to).arg(&lead.id);
        if bad {
            cmd.arg("bad");
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", text(&out));
        std::fs::read(&to).unwrap()
    };
    let (filled, wrong) = (fill("filled.xlsx", false), fill("wrong.xlsx", true));
    let version = || s.open("c.db").matrix(&plan).unwrap().map(|(_, v)| v);

    // Wrong, foreign and hostile files first: each refused whole with its reason, nothing saved.
    let (status, body) = upload_answer(&app, &path, &co, &csrf, "wrong.xlsx", &wrong);
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("Matrix!X4: `weekly` is not a frequency"), "names the cell: {body}");
    assert!(body.contains("`halfway` is not a status"), "every problem, not only the first: {body}");
    assert_eq!(upload_answer(&app, &path, &other, &csrf, "filled.xlsx", &filled).0, 403);
    assert_eq!(upload_answer(&app, &path, &co, &csrf, "m.xlsx", b"%PDF-1.4\n%%EOF\n").0, 415);
    let mut huge = filled.clone();
    huge.resize(6 * 1024 * 1024, 0);
    assert_eq!(upload_answer(&app, &path, &co, &csrf, "huge.xlsx", &huge).0, 413);
    let bomb = crate::uploads::zip_bomb();
    let (status, body) = upload_answer(&app, &path, &co, &csrf, "bomb.xlsx", &bomb);
    assert_eq!(status, 422, "a zip bomb is refused");
    assert!(body.contains("expands to more than"), "and says why: {body}");
    assert_eq!(version(), None, "nothing was saved");

    let (status, report) = upload_answer(&app, &path, &co, &csrf, "filled.xlsx", &filled);
    assert_eq!(status, 200, "{report}");
    assert!(report.contains("Objetivos: 1") && report.contains("Acciones: 2"), "what was read: {report}");
    let (matrix, v1) = s.open("c.db").matrix(&plan).unwrap().unwrap();
    assert_eq!(matrix.objectives[0].indicators[0].id, "r1", "the objective's own indicator");
    assert_eq!(matrix.actions().count(), 2, "the merged objective covers both action rows");
    let workspace = app.get_with(&format!("/es/monitoring/plans/{plan}"), &[("Cookie", &co)]);
    assert!(workspace.body.contains("Capacitar a fiscales"), "{}", workspace.body);
    // The same workbook again was read at version 0: refused as stale, never an overwrite.
    let (status, body) = upload_answer(&app, &path, &co, &csrf, "filled.xlsx", &filled);
    assert_eq!(status, 409, "{body}");
    assert_eq!(version(), Some(v1));
    // The matrix downloads back as it was saved.
    let (_, again) = download(&app, &path, &co);
    let (status, _) = upload_answer(&app, &path, &co, &csrf, "again.xlsx", &again);
    assert_eq!(status, 200);
    let (same, _) = s.open("c.db").matrix(&plan).unwrap().unwrap();
    assert_eq!(same, matrix, "the round trip changes nothing");
}

#[test]
fn an_action_status_changes_with_a_note_and_the_history_survives_a_new_matrix() {
    let (app, s, _) = setup();
    let registry = crate::bundled();
    let m = crate::monitoring::paraguay(&registry);
    let coordinator = crate::monitoring::actor(observa_domain::account::Role::Coordinator, &["PY"]);
    let mut store = s.open("c.db");
    let today = chrono::Utc::now().date_naive();
    observa_workflow::monitoring::save_matrix(store.as_mut(), &registry, &coordinator, &m, 0, today).unwrap();
    let co = account(&app, &s, "coordinacion@snna.gov.py", &["--role", "coordinator", "--state", "PY"]);
    let other = account(&app, &s, "coordinacion@gob.cl", &["--role", "coordinator", "--state", "CL"]);
    let workspace = format!("/en/monitoring/plans/{}", m.plan);
    let csrf = app.get_with(&workspace, &[("Cookie", &co)]).csrf();
    let to = format!("/en/monitoring/plans/{}/actions/a1", m.plan);
    let post = |cookie: &str, status: &str, note: &str| {
        app.post_form(&to, cookie, &[("csrf", csrf.as_str()), ("status", status), ("note", note)])
    };
    let refused = post(&co, "completed", "  ");
    assert_eq!(refused.status, 400, "a change needs a note: {}", refused.body);
    assert!(refused.body.contains("needs a note"), "{}", refused.body);
    assert_eq!(post(&co, "finished", "Done").status, 400, "not a status");
    assert_eq!(post(&other, "completed", "Done").status, 403, "another State's coordinator");
    let done = post(&co, "completed", "Las 8 jornadas se realizaron.");
    assert_eq!(done.status, 303, "{}", done.body);
    let page = app.get_with(&workspace, &[("Cookie", &co)]);
    assert!(page.body.contains("Las 8 jornadas se realizaron."), "the note beside the action");
    // A matrix sent again without the history (the API, a workbook) keeps the recorded changes.
    let (stored, version) = s.open("c.db").matrix(&m.plan).unwrap().unwrap();
    let a1 = |m: &observa_domain::monitoring::Matrix| m.actions().find(|(_, a)| a.id == "a1").unwrap().1.clone();
    assert_eq!(a1(&stored).updates.len(), 1);
    let mut resent = stored.clone();
    resent.objectives[0].lines[0].actions[0].updates.clear();
    resent.objectives[0].lines[0].actions[0].status = observa_domain::monitoring::ActionStatus::Discontinued;
    let mut store = s.open("c.db");
    observa_workflow::monitoring::save_matrix(store.as_mut(), &registry, &coordinator, &resent, version, today)
        .unwrap();
    let (after, _) = s.open("c.db").matrix(&m.plan).unwrap().unwrap();
    let updates = a1(&after).updates;
    assert_eq!(updates.len(), 2, "{updates:?}");
    assert_eq!(updates[0].note, "Las 8 jornadas se realizaron.");
    assert!(updates[1].note.is_empty(), "the status sent with the matrix is recorded without a note");
}

#[test]
fn a_coordinator_builds_the_matrix_item_by_item_in_the_workspace() {
    let (app, s, _) = setup();
    let registry = crate::bundled();
    let plan = registry.plans.iter().find(|p| p.state.as_str() == "PY").unwrap().id.clone();
    let lead = registry.organisations.iter().find(|o| o.state.as_ref().is_some_and(|s| s.as_str() == "PY")).unwrap();
    let co = account(&app, &s, "coordinacion@snna.gov.py", &["--role", "coordinator", "--state", "PY"]);
    let other = account(&app, &s, "coordinacion@gob.cl", &["--role", "coordinator", "--state", "CL"]);
    let workspace = format!("/es/monitoring/plans/{plan}");
    let page = app.get_with(&workspace, &[("Cookie", &co)]);
    assert!(page.body.contains("La matriz de acciones, elemento por elemento"), "the forms, before any matrix");
    let csrf = page.csrf();
    let to = format!("/es/monitoring/plans/{plan}/matrix");
    let post = |cookie: &str, version: i64, fields: &[(&str, &str)]| {
        let version = version.to_string();
        let mut all = vec![("csrf", csrf.as_str()), ("version", version.as_str())];
        all.extend_from_slice(fields);
        app.post_form(&to, cookie, &all)
    };
    let version = || s.open("c.db").matrix(&plan).unwrap().map_or(0, |(_, v)| v);
    let objective = [("op", "add-objective"), ("id", "o1"), ("title", "Proteger")];
    assert_eq!(post(&other, 0, &objective).status, 403, "another State's coordinator");
    assert_eq!(post(&co, 0, &objective).status, 303);
    let stale = post(&co, 0, &objective);
    assert_eq!(stale.status, 412, "an edit from a stale page is refused: {}", stale.body);
    let line =
        [("op", "add-line"), ("objective", "o1"), ("id", "l1"), ("title", "Atención"), ("focal_point", "recovery")];
    assert_eq!(post(&co, version(), &line).status, 303);
    let action =
        [("op", "add-action"), ("line", "l1"), ("id", "a1"), ("title", "Centros de atención"), ("lead", &lead.id)];
    assert_eq!(post(&co, version(), &action).status, 303);
    let mut indicator = vec![
        ("op", "add-indicator"),
        ("under", "a1"),
        ("id", "i1"),
        ("name", "Niñas y niños atendidos"),
        ("unit", "personas"),
        ("frequency", "quarterly"),
        ("starts", "2025-01-01"),
        ("baseline_value", "10"),
        ("baseline_date", "2025-01-01"),
        ("target_value", "50"),
        ("target_date", "2024-12-31"),
    ];
    let refused = post(&co, version(), &indicator);
    assert_eq!(refused.status, 400, "a target before its baseline: {}", refused.body);
    assert!(refused.body.contains("i1"), "names the indicator: {}", refused.body);
    indicator.retain(|(k, _)| *k != "target_date");
    indicator.push(("target_date", "2028-12-31"));
    assert_eq!(post(&co, version(), &indicator).status, 303);
    let (matrix, v) = s.open("c.db").matrix(&plan).unwrap().unwrap();
    assert_eq!(v, 4, "four saves, one per item");
    assert_eq!(matrix.indicators().len(), 1);
    assert!(s.open("c.db").periods(&plan).unwrap().len() >= 16, "its periods follow from the schedule");
    let page = app.get_with(&workspace, &[("Cookie", &co)]);
    assert!(page.body.contains("Niñas y niños atendidos"), "the workspace lists it for reporting");
}
