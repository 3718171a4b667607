//! Snapshot tests of rendered pages: a change to a template, a translation or the data shows up
//! as a reviewable diff (`cargo insta review`, or `INSTA_UPDATE=always` to accept).

use crate::web::TestApp;

/// Today's date appears in "in force on" and standings; replace it so snapshots are stable.
fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(&chrono::Utc::now().date_naive().to_string(), "[today]");
    s.add_filter(r"\d+ days", "[n] days");
    s.add_filter(r#""days(_left)?":\d+"#, "\"days\":[n]");
    s.set_prepend_module_to_snapshot(false);
    s
}

#[test]
fn rendered_pages() {
    let app = TestApp::spawn();
    let _guard = settings().bind_to_scope();
    for (name, path) in [
        ("states_en", "/en/states"),
        ("plan_es", "/es/plans/cl-segundo-marco-2012"),
        ("agency_fr", "/fr/agencies/unicef"),
        ("not_found_pt", "/pt/states/XX"),
        ("search_en", "/en/search?q=trata&state=CL"),
    ] {
        insta::assert_snapshot!(name, app.get(path).body);
    }
}

#[test]
fn api_answers() {
    let app = TestApp::spawn();
    let _guard = settings().bind_to_scope();
    insta::assert_snapshot!("api_reporting_pa", app.get("/api/v1/reporting?state=PA").body);
    insta::assert_snapshot!("api_plan_uy", app.get("/api/v1/plans/uy-plan-2011").body);
}
