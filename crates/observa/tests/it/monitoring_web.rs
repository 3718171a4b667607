//! Plan monitoring through the portal: the public dashboard before and after an approved value,
//! the coordinator's workspace and entry form (confirmation of an unusual value), evidence that
//! only the State's officers can open, the secretariat's approval, and a coordinator of another
//! State refused.

use chrono::{Datelike, Months};
use observa_domain::account::Role;
use observa_domain::monitoring::Frequency;

use crate::consultation::{account, setup};
use crate::monitoring::{actor, paraguay};
use crate::validation::{analyst, post_form};
use crate::web::TestApp;

/// A matrix for Paraguay whose indicator is monthly from the first day of the month three months
/// ago, so that last month's period is open on any day the test runs; its plan and last month.
pub(crate) fn seeded(s: &crate::Scratch) -> (String, String) {
    let registry = crate::bundled();
    let mut m = paraguay(&registry);
    let today = chrono::Utc::now().date_naive();
    let first = today.with_day(1).unwrap() - Months::new(3);
    let i = &mut m.objectives[0].lines[0].actions[0].indicators[0];
    i.frequency = Frequency::Monthly;
    i.starts = first;
    i.baseline = Some(observa_domain::monitoring::Point { value: 0.0, date: first });
    i.target = Some(observa_domain::monitoring::Point { value: 12.0, date: first + Months::new(12) });
    let mut store = s.open("c.db");
    observa_workflow::monitoring::save_matrix(
        store.as_mut(),
        &registry,
        &actor(Role::Coordinator, &["PY"]),
        &m,
        0,
        today,
    )
    .unwrap();
    let last_month = (today.with_day(1).unwrap() - Months::new(1)).to_string();
    (m.plan, last_month)
}

fn field(name: &str, value: &str) -> (String, String) {
    (name.to_string(), value.to_string())
}

#[test]
fn a_plan_without_a_matrix_says_nothing_is_reported_yet_and_how_a_coordinator_starts() {
    let app = TestApp::spawn();
    let plan = crate::bundled().plans.iter().find(|p| p.state.as_str() == "PY").unwrap().id.clone();
    for lang in ["en", "es"] {
        let page = app.get(&format!("/{lang}/plans/{plan}/monitoring"));
        assert_eq!(page.status, 200, "{lang}: {}", page.body);
        assert!(page.body.contains("role=\"status\""), "{lang}: the notice");
    }
    assert!(app
        .get(&format!("/en/plans/{plan}/monitoring"))
        .body
        .contains("Nothing has been reported on this plan yet"));
    assert!(app.get("/en/monitoring").body.contains("No action matrix recorded"));
}

#[test]
fn a_coordinator_reports_with_evidence_the_analyst_approves_and_the_public_dashboard_shows_the_value() {
    let (app, s, _) = setup();
    let (plan, month) = seeded(&s);
    let co = account(&app, &s, "coordinacion@snna.gov.py", &["--role", "coordinator", "--state", "PY"]);
    let other = account(&app, &s, "coordinacion@gob.cl", &["--role", "coordinator", "--state", "CL"]);
    let workspace = format!("/en/monitoring/plans/{plan}");
    assert_eq!(app.get_with(&workspace, &[("Cookie", &other)]).status, 403, "another State's coordinator");
    let page = app.get_with(&workspace, &[("Cookie", &co)]);
    assert_eq!(page.status, 200);
    let entry = format!("/en/monitoring/plans/{plan}/i1/{month}");
    assert!(page.body.contains(&entry), "last month period is listed to report on: {}", page.body);
    assert_eq!(app.get_with(&entry, &[("Cookie", &other)]).status, 403);

    // A value far above the baseline and target asks for confirmation and keeps what was typed.
    let csrf = app.get_with(&entry, &[("Cookie", &co)]).csrf();
    let fields = |value: &str, action: &str, extra: &[(String, String)]| {
        let mut f = vec![field("csrf", &csrf), field("version", "0"), field("action", action), field("value", value)];
        f.push(field("narrative", "Dos talleres en Asunción."));
        f.extend_from_slice(extra);
        f
    };
    let asked = post_form(&app, &entry, &co, &fields("9000", "save", &[]));
    assert_eq!(asked.status, 200);
    assert!(
        asked.body.contains("far outside") && asked.body.contains("value=\"9000\""),
        "the form again, with the value"
    );
    let submitted = post_form(&app, &entry, &co, &fields("2,5", "submit", &[]));
    assert_eq!(submitted.status, 303, "{}", submitted.body);

    // Evidence: restricted unless public, and only the State's officers and the secretariat read it.
    let entry_page = app.get_with(&entry, &[("Cookie", &co)]);
    assert!(entry_page.body.contains("Submitted"), "{}", entry_page.body);
    let mut store = s.open("c.db");
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let key = observa_domain::monitoring::ReportKey {
        plan: plan.clone(),
        indicator: "i1".into(),
        period: month.parse().unwrap(),
    };
    let registry = crate::bundled();
    // A submitted report takes no more evidence (it may change only once returned).
    let file = observa_store::Evidence {
        file: observa_store::Attachment {
            id: 0,
            name: "acta.pdf".into(),
            media_type: "application/pdf".into(),
            size: pdf.len() as i64,
            sha256: String::new(),
            uploaded_at: String::new(),
            uploaded_by: String::new(),
        },
        public: false,
    };
    let refused = observa_workflow::monitoring::attach_evidence(
        store.as_mut(),
        &registry,
        &actor(Role::Coordinator, &["PY"]),
        &key,
        &file,
        &pdf,
    );
    assert!(refused.is_err(), "{refused:?}");

    let (analyst_cookie, _) = analyst(&app, &s);
    let review = app.get_with("/en/monitoring/review", &[("Cookie", &analyst_cookie)]);
    assert!(review.body.contains(&entry), "the report waits for approval");
    assert_eq!(app.get_with("/en/monitoring/review", &[("Cookie", &co)]).status, 403);
    let csrf = app.get_with(&entry, &[("Cookie", &analyst_cookie)]).csrf();
    let approve = vec![field("csrf", &csrf), field("version", "2"), field("action", "approve"), field("comment", "")];
    assert_eq!(post_form(&app, &entry, &analyst_cookie, &approve).status, 303);
    let approved = store.progress_report(&key).unwrap().unwrap();
    assert_eq!((approved.status.code(), approved.value), ("accepted", Some(2.5)));

    let public = app.get(&format!("/en/plans/{plan}/monitoring"));
    assert_eq!(public.status, 200);
    let period_end = approved.period_end.to_string();
    assert!(public.body.contains(&format!("<td>{period_end}</td><td>2.5</td>")), "the approved value in the table");
    assert!(public.body.contains("On track") || public.body.contains("Off track"));
    let regional = app.get("/en/monitoring");
    assert!(regional.body.contains(&format!("/en/plans/{plan}/monitoring")), "Paraguay's plan is followed");
}

/// A personal API token for a new account of `role` (its first password replaced, as at the
/// first sign-in), made with the binary.
fn token(s: &crate::Scratch, email: &str, role: &[&str]) -> String {
    let mut args = vec!["user", "add", "--email", email];
    args.extend_from_slice(role);
    assert!(s.observa("c.db", &args).status.success());
    let mut store = s.open("c.db");
    let (account, _) = store.account_by_email(email).unwrap().unwrap();
    let hash = observa_web::auth::hash_password("una clave propia 2026").unwrap();
    store.set_password(account.id, &hash, None, email).unwrap();
    let out = s.observa("c.db", &["token", "create", "--email", email]);
    format!("Bearer {}", String::from_utf8_lossy(&out.stdout).lines().last().unwrap().trim())
}

#[test]
fn the_api_writes_a_matrix_and_a_report_and_shows_only_approved_values() {
    use crate::consultation::api;
    let (app, s, _) = setup();
    let registry = crate::bundled();
    let mut m = paraguay(&registry);
    let today = chrono::Utc::now().date_naive();
    let first = today.with_day(1).unwrap() - Months::new(2);
    let i = &mut m.objectives[0].lines[0].actions[0].indicators[0];
    i.frequency = Frequency::Monthly;
    i.starts = first;
    i.baseline = Some(observa_domain::monitoring::Point { value: 0.0, date: first });
    i.target = Some(observa_domain::monitoring::Point { value: 12.0, date: first + Months::new(12) });
    let co = token(&s, "seguimiento@snna.gov.py", &["--role", "coordinator", "--state", "PY"]);
    let cl = token(&s, "seguimiento@gob.cl", &["--role", "coordinator", "--state", "CL"]);
    let path = format!("/api/v1/plans/{}/matrix", m.plan);
    let body = serde_json::to_value(&m).unwrap();
    let (status, _, _) = api(&app, "PUT", &path, &[("Authorization", &cl), ("If-Match", "\"v0\"")], Some(body.clone()));
    assert_eq!(status, 403, "a coordinator of another State");
    let (status, _, _) = api(&app, "PUT", &path, &[("Authorization", &co)], Some(body.clone()));
    assert_eq!(status, 428, "a write names its version");
    let (status, _, answer) =
        api(&app, "PUT", &path, &[("Authorization", &co), ("If-Match", "\"v0\"")], Some(body.clone()));
    assert_eq!((status, answer["version"].as_i64()), (200, Some(1)), "{answer}");
    let (status, _, _) = api(&app, "PUT", &path, &[("Authorization", &co), ("If-Match", "\"v0\"")], Some(body));
    assert_eq!(status, 412, "a stale matrix");

    let period = first.to_string();
    let report = format!("/api/v1/plans/{}/reports/i1/{period}", m.plan);
    let wrong = serde_json::json!({ "value": 3, "breakdown": { "age:0-5": 1 }, "lang": "es" });
    let (status, _, answer) = api(&app, "PUT", &report, &[("Authorization", &co), ("If-Match", "\"v0\"")], Some(wrong));
    assert_eq!(status, 400, "the indicator has no age breakdown: {answer}");
    let entry = serde_json::json!({ "value": 3, "breakdown": { "sex:female": 2, "sex:male": 1 }, "narrative": "Tres talleres.", "lang": "es", "submit": true });
    let (status, _, answer) = api(&app, "PUT", &report, &[("Authorization", &co), ("If-Match", "\"v0\"")], Some(entry));
    assert_eq!((status, answer["version"].as_i64()), (200, Some(2)), "{answer}");
    let public = app.get(&format!("/api/v1/plans/{}/monitoring", m.plan)).json();
    assert_eq!(public["approved"].as_array().unwrap().len(), 0, "a submitted value is not public");
    let values = "/downloads/monitoring/data/monitoring_values.csv";
    assert_eq!(app.get(values).body.lines().count(), 1, "open data: the header only, nothing approved yet");
    assert!(public["periods"].as_array().unwrap().len() >= 13);
    let decision = format!("{report}/decision");
    let (status, _, _) = api(
        &app,
        "POST",
        &decision,
        &[("Authorization", &co), ("If-Match", "\"v2\"")],
        Some(serde_json::json!({ "approve": true })),
    );
    assert_eq!(status, 403, "a coordinator does not approve");
    let analyst = token(&s, "analista@secretaria.org", &["--role", "analyst"]);
    let (status, _, answer) = api(
        &app,
        "POST",
        &decision,
        &[("Authorization", &analyst), ("If-Match", "\"v2\"")],
        Some(serde_json::json!({ "approve": true })),
    );
    assert_eq!(status, 200, "{answer}");
    let public = app.get(&format!("/api/v1/plans/{}/monitoring", m.plan)).json();
    assert_eq!(public["approved"][0]["value"], 3.0);
    assert_eq!(public["approved"][0]["breakdown"]["sex:female"], 2.0);
    let csv = app.get(values).body;
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.lines().nth(1).unwrap().starts_with(&format!("{},PY,i1,{period},", m.plan)), "{csv}");
    let indicators = app.get("/downloads/monitoring/data/monitoring_indicators.csv").body;
    assert!(indicators.contains("Prosecutors trained in the protocol"), "{indicators}");
    let due = app.get("/downloads/monitoring/data/monitoring_periods.csv").body;
    assert!(due.lines().count() >= 14, "every period with its due date");
    crate::opendata::validate_served(&app, "/downloads/monitoring/");
    assert_eq!(public["matrix"]["plan"], m.plan.as_str());
    assert_eq!(app.get("/api/v1/plans/no-such-plan/monitoring").status, 404);

    // An action's status changes with a note; without one, or from another State, nothing changes.
    let status_path = format!("/api/v1/plans/{}/actions/a1/status", m.plan);
    let change = |note: &str| Some(serde_json::json!({ "status": "completed", "note": note }));
    let (status, _, answer) = api(&app, "POST", &status_path, &[("Authorization", &co)], change(""));
    assert_eq!(status, 400, "a change needs its note: {answer}");
    let (status, _, _) = api(&app, "POST", &status_path, &[("Authorization", &cl)], change("Hecho"));
    assert_eq!(status, 403);
    let wrong = Some(serde_json::json!({ "status": "finished", "note": "Hecho" }));
    assert_eq!(api(&app, "POST", &status_path, &[("Authorization", &co)], wrong).0, 422, "not a status");
    let missing = format!("/api/v1/plans/{}/actions/zz/status", m.plan);
    assert_eq!(api(&app, "POST", &missing, &[("Authorization", &co)], change("Hecho")).0, 404);
    let (status, _, answer) =
        api(&app, "POST", &status_path, &[("Authorization", &co)], change("Ocho talleres hechos."));
    assert_eq!(status, 200, "{answer}");
    let public = app.get(&format!("/api/v1/plans/{}/monitoring", m.plan)).json();
    let a1 = &public["matrix"]["objectives"][0]["lines"][0]["actions"][0];
    assert_eq!(a1["status"], "completed");
    assert_eq!(a1["updates"].as_array().unwrap().last().unwrap()["note"], "Ocho talleres hechos.");
}

#[test]
fn a_breakdown_is_entered_for_the_indicator_s_own_categories_only() {
    let (app, s, _) = setup();
    let (plan, month) = seeded(&s);
    let co = account(&app, &s, "coordinacion@snna.gov.py", &["--role", "coordinator", "--state", "PY"]);
    let entry = format!("/en/monitoring/plans/{plan}/i1/{month}");
    let page = app.get_with(&entry, &[("Cookie", &co)]);
    assert!(page.body.contains("name=\"b_sex_female\""), "the indicator is disaggregated by sex");
    assert!(!page.body.contains("name=\"b_age_0_5\""), "but not by age");
    let csrf = page.csrf();
    let post = |extra: &[(&str, &str)]| {
        let mut f = vec![field("csrf", &csrf), field("version", "0"), field("action", "save"), field("value", "3")];
        f.extend(extra.iter().map(|(k, v)| field(k, v)));
        post_form(&app, &entry, &co, &f)
    };
    let key = observa_domain::monitoring::ReportKey {
        plan: plan.clone(),
        indicator: "i1".into(),
        period: month.parse().unwrap(),
    };
    let stored = || s.open("c.db").progress_report(&key).unwrap();
    let wrong = post(&[("b_age_0_5", "1")]);
    assert_eq!(wrong.status, 400, "{}", wrong.body);
    assert!(wrong.body.contains("not disaggregated by"), "says which: {}", wrong.body);
    assert_eq!(post(&[("b_sex_female", "two")]).status, 400);
    assert!(stored().is_none(), "nothing saved");
    let saved = post(&[("b_sex_female", "2"), ("b_sex_male", "1")]);
    assert_eq!(saved.status, 303, "{}", saved.body);
    let report = stored().unwrap();
    assert_eq!(report.breakdown.get("sex:female"), Some(&2.0));
    assert_eq!(report.breakdown.get("sex:male"), Some(&1.0));
    assert!(app.get_with(&entry, &[("Cookie", &co)]).body.contains("value=\"2"), "the form shows it back");
}
