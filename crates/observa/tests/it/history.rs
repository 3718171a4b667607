//! The registry keeps its history: a later cycle's acceptance leaves an earlier cycle's report,
//! export and pages as they were; the portal and the API say what changed, with its source;
//! writes are record by record; export → import → export is byte-identical, history included.

use observa_domain::history::AsOf;
use serde_json::{json, Value};

use crate::consultation::{account, api, setup, CL};
use crate::web::TestApp;
use crate::{text, Scratch};

/// Chile answers cycle 2015 with a new law and a changed plan, and the analyst accepts it.
pub(crate) fn accept_chile_2015(app: &TestApp, s: &Scratch, token: &str) {
    let bearer = format!("Bearer {token}");
    let (_, _, body) = api(app, "GET", CL, &[("Authorization", &bearer)], None);
    let mut answers = body["answers"].clone();
    answers["prevention.included"] = json!("yes");
    answers["recovery.services_exist"] = json!("yes");
    answers["plans.changes"] = json!("A new evaluation chapter.");
    answers["protection.laws"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "number": "20.999", "date": "2015-03", "title": "Ley de prueba 2015" }));
    let auth = [("Authorization", bearer.as_str()), ("If-Match", "\"v0\"")];
    assert_eq!(api(app, "PUT", CL, &auth, Some(json!({ "answers": answers }))).0, 200);
    let submit = [("Authorization", bearer.as_str()), ("If-Match", "\"v1\"")];
    assert_eq!(api(app, "POST", &format!("{CL}/submit"), &submit, None).0, 200);
    let analyst = account(app, s, "analista@secretaria.org", &["--role", "analyst"]);
    let review = app.get_with("/en/cycles/2015/review/CL", &[("Cookie", &analyst)]);
    let accepted = app.post_form(
        "/en/cycles/2015/review/CL/decision",
        &analyst,
        &[("csrf", &review.csrf()), ("decision", "accept")],
    );
    assert_eq!(accepted.status, 303, "{}", accepted.body);
}

/// Everything a reader may have taken of cycle 2014: the report (portal page, Markdown download,
/// the command's Markdown), the JSON export as of 2014, the analysis pages and API for 2014.
fn readings_of_2014(app: &TestApp, s: &Scratch) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for path in [
        "/en/analysis/report/2014",
        "/es/analysis/report/2014/md",
        "/en/analysis/comparison?cycle=2014",
        "/en/analysis/status?cycle=2014",
        "/api/v1/states/CL?as_of=2014",
        "/api/v1/ratifications?as_of=2014&state=CL",
        "/downloads/cycles/2014/observa.json",
        "/downloads/cycles/2014/csv/laws.csv",
    ] {
        let page = app.get(path);
        assert_eq!(page.status, 200, "{path}");
        out.push((path.to_string(), page.body));
    }
    let md = s.path("r.md");
    let report = s.observa("c.db", &["report", "--cycle", "2014", "--lang", "en", "--out", md.to_str().unwrap()]);
    assert!(report.status.success(), "{}", text(&report));
    out.push(("observa report --cycle 2014".into(), std::fs::read_to_string(&md).unwrap()));
    let json = s.path("e.json");
    let export = s.observa("c.db", &["export", "--format", "json", "--as-of", "2014", "--out", json.to_str().unwrap()]);
    assert!(export.status.success(), "{}", text(&export));
    out.push(("observa export --as-of 2014".into(), std::fs::read_to_string(&json).unwrap()));
    out
}

/// The search facets of a query: how many documents of each State match.
fn search_facets(app: &TestApp, q: &str) -> Value {
    let found: Value = serde_json::from_str(&app.get(&format!("/api/v1/search?q={q}&limit=1")).body).unwrap();
    found["facets"]["state"].clone()
}

#[test]
fn a_later_cycle_s_acceptance_leaves_the_earlier_cycle_s_report_export_and_pages_unchanged() {
    let (app, s, token) = setup();
    let (chile, plan) = (search_facets(&app, "Chile"), search_facets(&app, "plan"));
    let before = readings_of_2014(&app, &s);
    accept_chile_2015(&app, &s, &token);
    let after = readings_of_2014(&app, &s);
    for ((what, old), (_, new)) in before.iter().zip(&after) {
        assert!(old == new, "{what} changed after cycle 2015 was accepted");
    }
    // The current registry has the new law; the 2014 reading does not.
    assert!(app.get("/api/v1/states/CL").body.contains("Ley de prueba 2015"));
    assert!(!app.get("/api/v1/states/CL?as_of=2014").body.contains("Ley de prueba 2015"));
    assert!(app.get("/downloads/csv/laws.csv").body.contains("Ley de prueba 2015"), "today's files have it");
    // Search was brought up to date for Chile's documents only: the new law is found, every
    // State's documents are still there once.
    assert_eq!(search_facets(&app, "prueba"), json!({ "CL": 1 }));
    assert_eq!(search_facets(&app, "Chile"), chile);
    let mut plan_now = search_facets(&app, "plan");
    let mut plan_then = plan.clone();
    plan_now.as_object_mut().unwrap().remove("CL");
    plan_then.as_object_mut().unwrap().remove("CL");
    assert_eq!(plan_now, plan_then, "other States' documents are untouched");
    assert!(app.get("/en/downloads").body.contains("/downloads/cycles/2014/observa.json"));
    assert_eq!(app.get("/downloads/cycles/1800/observa.json").status, 404);
}

#[test]
fn profiles_plans_and_the_api_say_what_changed_between_cycles_and_what_established_it() {
    let (app, s, token) = setup();
    accept_chile_2015(&app, &s, &token);
    let page = app.get("/en/states/CL/changes?from=2014&to=2015");
    assert_eq!(page.status, 200);
    for expected in ["Ley de prueba 2015", "answers-2015-cl", "Added", "Changed", "changes_from_previous"] {
        assert!(page.body.contains(expected), "the State's changes page shows {expected}");
    }
    let es = app.get("/es/states/CL/changes?from=2014&to=2015");
    assert!(es.body.contains("Añadido") && es.body.contains("Establecido por"), "in Spanish");
    let profile = app.get("/en/states/CL");
    assert!(profile.body.contains("/en/states/CL/changes"), "the profile links to its changes");

    let store = s.open("c.db");
    let plan = store.load().unwrap().plans.into_iter().find(|p| p.state.as_str() == "CL" && p.last_approved).unwrap();
    let plan_page = app.get(&format!("/en/plans/{}/changes?from=2014&to=now", plan.id));
    assert!(plan_page.body.contains("A new evaluation chapter."), "the plan's new text");
    assert!(!plan_page.body.contains("Ley de prueba 2015"), "a law is not the plan's");
    let other = app.get("/en/states/AR/changes?from=2014&to=2015");
    assert!(other.body.contains("Nothing changed"), "Argentina did not answer in 2015");

    let api = app.get("/api/v1/changes?from=2014&to=2015&state=CL");
    assert_eq!(api.status, 200);
    let found: Value = serde_json::from_str(&api.body).unwrap();
    let changes = found["changes"].as_array().unwrap();
    assert!(!changes.is_empty());
    assert!(changes.iter().all(|c| c["established_by"] == "answers-2015-cl" && c["cycle"] == 2015), "{changes:?}");
    assert!(changes.iter().all(|c| c.get("actor").is_none()), "who made a change stays in the audit log");
    let law = changes.iter().find(|c| c["table"] == "laws" && c["kind"] == "added").expect("the law");
    assert_eq!(law["after"]["title"], "Ley de prueba 2015");
    let bad = app.get("/api/v1/changes?from=yesterday");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("yesterday"), "{}", bad.body);
    assert_eq!(app.get("/api/v1/states/CL?as_of=2014-13-40").status, 400);
}

#[test]
fn an_acceptance_writes_only_the_records_it_changes_and_the_audit_keeps_fields_not_documents() {
    let (app, s, token) = setup();
    let store = s.open("c.db");
    let versions_before = store.history(AsOf::Now).unwrap().len();
    accept_chile_2015(&app, &s, &token);
    let history = store.history(AsOf::Now).unwrap();
    let written: Vec<_> = history[versions_before..].iter().collect();
    assert!(!written.is_empty() && written.len() <= 12, "a few records, not the registry: {}", written.len());
    for v in &written {
        assert_eq!((v.cycle, v.established_by.as_str()), (2015, "answers-2015-cl"));
        let state = v.body.as_ref().and_then(|b| b.get("state")).and_then(Value::as_str);
        // A text the answers wrote waits for its translations: its translation record is
        // replaced by one in Chile's language with none yet (or closed when the text is gone).
        let translation_of_chile =
            v.table == "translations" && v.record.split('/').nth(1).is_some_and(|r| r.starts_with("cl-"));
        assert!(
            state == Some("CL") || v.table == "documents" || translation_of_chile,
            "{}/{} is Chile's",
            v.table,
            v.record
        );
    }
    let waiting =
        written.iter().find(|v| v.record == "plans/cl-segundo-marco-2012/changes_from_previous").expect("the new text");
    let body = waiting.body.as_ref().unwrap();
    assert_eq!((body["written_in"].as_str(), body["texts"].as_object().map(|t| t.len())), (Some("es"), Some(0)));
    // A changed record's audit entry names the changed fields only.
    let audit = store.audit().unwrap();
    let plan =
        audit.iter().find(|e| e.action == "registry-change" && e.subject.starts_with("registry/plans/")).unwrap();
    let after: Value = serde_json::from_str(plan.after.as_deref().unwrap()).unwrap();
    let expected = json!({
        "changes_from_previous": "A new evaluation chapter.",
        "source": { "doc": "answers-2015-cl", "section": "I.2" }
    });
    assert_eq!(after, expected);
}

#[test]
fn the_portal_brought_forward_by_an_acceptance_holds_what_the_store_holds() {
    let (app, s, token) = setup();
    let store = s.open("c.db");
    let before = app.state.snapshot().dataset.clone();
    // Readings in Spanish and French exist before the acceptance: they are brought forward.
    assert_eq!(app.get("/es/states/CL").status, 200);
    assert_eq!(app.get("/fr/plans/cl-segundo-marco-2012").status, 200);
    accept_chile_2015(&app, &s, &token);
    for lang in [observa_domain::Lang::Es, observa_domain::Lang::Fr] {
        let shown = app.state.snapshot_in(lang);
        assert!(shown.dataset == store.load().unwrap().localized(lang).unwrap(), "{lang:?} follows the acceptance");
    }
    // The view follows the versions the acceptance wrote; it must read as the tables do,
    // record for record and in the same order.
    let shown = app.state.snapshot().dataset.clone();
    assert_ne!(shown, before, "the acceptance shows");
    assert_eq!(shown, store.load().unwrap(), "the view is the registry as stored");
    assert!(shown.laws.iter().any(|l| l.title == "Ley de prueba 2015"));
}

#[test]
fn a_save_that_changes_one_answer_costs_the_audit_log_that_answer_not_the_draft() {
    let (app, s, token) = setup();
    let app = &app;
    let bearer = format!("Bearer {token}");
    let (_, _, body) = api(app, "GET", CL, &[("Authorization", &bearer)], None);
    let mut answers = body["answers"].clone();
    assert!(answers.as_object().unwrap().len() > 20, "a whole prefilled draft");
    let first = [("Authorization", bearer.as_str()), ("If-Match", "\"v0\"")];
    assert_eq!(api(app, "PUT", CL, &first, Some(json!({ "answers": answers }))).0, 200);
    answers["plans.changes"] = json!("One answer changed.");
    let second = [("Authorization", bearer.as_str()), ("If-Match", "\"v1\"")];
    assert_eq!(api(app, "PUT", CL, &second, Some(json!({ "answers": answers }))).0, 200);
    let store = s.open("c.db");
    let audit = store.audit().unwrap();
    let save = audit.iter().rfind(|e| e.action == "save-draft").unwrap();
    let before: Value = serde_json::from_str(save.before.as_deref().unwrap()).unwrap();
    let after: Value = serde_json::from_str(save.after.as_deref().unwrap()).unwrap();
    assert_eq!(after, json!({ "version": 2, "answers": { "plans.changes": "One answer changed." } }));
    assert_eq!(before["version"], 1);
    assert_eq!(before["answers"].as_object().unwrap().len(), 1, "{before}");
}

#[test]
fn export_import_export_is_byte_identical_with_the_history_and_a_tampered_history_is_refused() {
    let (app, s, token) = setup();
    accept_chile_2015(&app, &s, &token);
    let first = s.path("first.json");
    let out = s.observa("c.db", &["export", "--format", "json", "--out", first.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&first).unwrap()).unwrap();
    assert!(doc["history"].as_array().unwrap().iter().any(|v| v["established_by"] == "answers-2015-cl"));
    assert!(doc["states"].is_array() && doc["reporting"].is_array(), "the export's contract stays");

    let imported = s.observa("copy.db", &["import", first.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", text(&imported));
    let second = s.path("second.json");
    assert!(s.observa("copy.db", &["export", "--format", "json", "--out", second.to_str().unwrap()]).status.success());
    assert!(std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap(), "byte-identical round trip");
    let copy = s.open("copy.db");
    let law = copy.load_as_of(AsOf::Cycle(2014)).unwrap();
    assert!(!law.laws.iter().any(|l| l.title == "Ley de prueba 2015"), "the copy reads 2014 as it was");

    // A history edited by hand without its tables is refused, and nothing changes.
    let mut tampered = doc.clone();
    let last = tampered["history"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .rev()
        .find(|v| v["body"].is_object() && v["table"] == "plans")
        .unwrap();
    last["body"]["summary"] = json!("edited");
    let bad = s.path("bad.json");
    std::fs::write(&bad, tampered.to_string()).unwrap();
    let refused = s.observa("fresh.db", &["import", bad.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("the tables and the history disagree"), "{}", text(&refused));
    let fresh = s.open("fresh.db");
    assert!(!fresh.is_seeded().unwrap(), "nothing was written");
}
