//! The portal and the read API, served for real on a random port (the zero2prod `TestApp`).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::{bundled, questionnaire};

pub struct TestApp {
    pub base: String,
    /// The running application's state (for figures such as [`observa_web::AppState::cache_stats`]).
    pub state: observa_web::AppState,
    agent: ureq::Agent,
    _runtime: tokio::runtime::Runtime,
}

pub struct Answer {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// A cookie this answer sets.
    pub fn cookie(&self, name: &str) -> Option<String> {
        let all = self.headers.get("set-cookie")?;
        all.lines()
            .filter_map(|l| l.split(';').next()?.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }

    /// The value of the first hidden `csrf` field of a page.
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self.body.find(marker).expect("a form with a CSRF field") + marker.len();
        self.body[start..].split('"').next().unwrap().to_string()
    }
}

impl TestApp {
    /// Starts the real application on 127.0.0.1 with an OS-chosen port, on SQLite, or on a fresh
    /// PostgreSQL database when `OBSERVA_TEST_ENGINE=postgres` (see [`crate::engines::engine_under_test`]).
    pub fn spawn() -> Self {
        if let Some(store) = crate::engines::engine_under_test() {
            return Self::spawn_state(
                observa_web::AppState::new(store, vec![questionnaire()]).expect("the portal builds"),
            );
        }
        let mut store = observa_store::SqliteStore::in_memory().unwrap();
        observa_store::Store::replace_all(&mut store, &bundled(), "test").unwrap();
        Self::spawn_on(Box::new(store))
    }

    /// Starts the application on a store the test prepared (accounts, editorial text).
    pub fn spawn_on(store: Box<dyn observa_store::Backend>) -> Self {
        Self::spawn_state(observa_web::AppState::new(store, vec![questionnaire()]).expect("the portal builds"))
    }

    /// Starts the application on a state the test configured (behind TLS, say).
    pub fn spawn_state(state: observa_web::AppState) -> Self {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        runtime.spawn(observa_web::serve_on(listener, state.clone(), std::future::pending()));
        let agent = ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into();
        TestApp { base, state, agent, _runtime: runtime }
    }

    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = self.agent.get(format!("{}{path}", self.base));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let mut response = request.call().unwrap_or_else(|e| panic!("GET {path}: {e}"));
        answer(&mut response)
    }

    /// POSTs a form (`application/x-www-form-urlencoded`) with the given cookies.
    pub fn post_form(&self, path: &str, cookies: &str, fields: &[(&str, &str)]) -> Answer {
        let mut request = self.agent.post(format!("{}{path}", self.base));
        if !cookies.is_empty() {
            request = request.header("Cookie", cookies);
        }
        let mut response = request.send_form(fields.iter().copied()).unwrap_or_else(|e| panic!("POST {path}: {e}"));
        answer(&mut response)
    }

    pub fn get(&self, path: &str) -> Answer {
        self.get_with(path, &[])
    }
}

/// Headers by lower-case name; repeated ones (`set-cookie`) joined by newlines.
fn answer(response: &mut ureq::http::Response<ureq::Body>) -> Answer {
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in response.headers() {
        let v = v.to_str().unwrap_or("").to_string();
        headers.entry(k.as_str().to_string()).and_modify(|old| *old = format!("{old}\n{v}")).or_insert(v);
    }
    let body = response.body_mut().read_to_string().unwrap_or_default();
    Answer { status: response.status().as_u16(), headers, body }
}

#[test]
fn the_root_sends_visitors_to_their_language() {
    let app = TestApp::spawn();
    let a = app.get_with("/", &[("Accept-Language", "pt-BR,pt;q=0.9,en;q=0.5")]);
    assert_eq!((a.status, a.headers["location"].as_str()), (303, "/pt/"));
    assert_eq!(app.get("/").headers["location"], "/en/");
}

#[test]
fn a_state_profile_is_served_in_each_language_with_its_sources() {
    let app = TestApp::spawn();
    for (lang, name, heading) in [
        ("en", "Chile", "Coordination and cooperation"),
        ("es", "Chile", "Coordinación y cooperación"),
        ("pt", "Chile", "Coordenação e cooperação"),
        ("fr", "Chili", "Coordination et coopération"),
    ] {
        let a = app.get(&format!("/{lang}/states/CL"));
        assert_eq!(a.status, 200, "{lang}");
        assert!(a.body.contains(&format!("<html lang=\"{lang}\">")), "{lang}");
        assert!(a.body.contains(&format!("<h1>{name} <span class=\"code\">(CL)</span></h1>")), "{lang}");
        assert!(a.body.contains(heading), "{lang}: focal point heading");
        assert!(a.body.contains("Segundo Marco"), "{lang}: the plan in its original language");
        assert!(a.body.contains("SENAME"), "{lang}: governing body members");
        assert!(a.body.contains("class=\"src\""), "{lang}: sources shown");
        for other in ["en", "es", "pt", "fr"] {
            assert!(a.body.contains(&format!("href=\"/{other}/states/CL\"")), "{lang}: switcher to {other}");
        }
    }
    let a = app.get("/en/states/cl");
    assert_eq!(a.status, 200, "codes are case-insensitive");
}

#[test]
fn every_page_answers_and_unknown_ones_get_a_page_in_the_visitors_language() {
    let app = TestApp::spawn();
    for path in [
        "/en/",
        "/es/states",
        "/fr/treaties",
        "/pt/sources",
        "/en/agencies",
        "/en/agencies/unicef",
        "/en/downloads",
        "/es/search?q=trata",
        "/en/plans/cl-segundo-marco-2012",
    ] {
        assert_eq!(app.get(path).status, 200, "{path}");
    }
    let body_id = bundled().bodies[0].id.clone();
    assert_eq!(app.get(&format!("/en/bodies/{body_id}")).status, 200);
    let a = app.get("/es/states/XX");
    assert_eq!(a.status, 404);
    assert!(a.body.contains("Página no encontrada") && a.body.contains("<html lang=\"es\">"), "{}", a.body);
    let a = app.get_with("/nowhere", &[("Accept-Language", "fr")]);
    assert_eq!(a.status, 404);
    assert!(a.body.contains("Page introuvable"));
    assert_eq!(app.get("/de/states").status, 404);
}

#[test]
fn the_home_page_counts_plans_in_force_on_a_chosen_date() {
    let app = TestApp::spawn();
    let a = app.get("/en/?on=2014-09-30");
    assert_eq!(a.status, 200);
    let count = |body: &str| -> u32 {
        let at = body.find("Plans in force on").unwrap();
        let dd = &body[at..];
        let start = dd.find("<dd>").unwrap() + 4;
        dd[start..].split(' ').next().unwrap().parse().unwrap()
    };
    let in_2014 = count(&a.body);
    let in_2030 = count(&app.get("/en/?on=2030-01-01").body);
    assert!(in_2014 > in_2030, "{in_2014} plans in force in 2014, {in_2030} in 2030");
    assert!(a.body.contains("value=\"2014-09-30\""));
    let bad = app.get("/es/?on=yesterday");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("yesterday") && bad.body.contains("<html lang=\"es\">"));
}

#[test]
fn the_treaty_page_shows_the_matrix_and_the_computed_reporting_table() {
    let app = TestApp::spawn();
    let a = app.get("/en/treaties");
    assert_eq!(
        a.body.matches("<tr><th scope=\"row\"><a href=\"/en/states/").count(),
        34 + 35,
        "matrix rows and reporting rows"
    );
    assert!(a.body.contains("2004-01-18"), "Panama's computed due date");
    assert!(a.body.contains("ratification-date-differs"));
    assert!(a.body.contains("Cuba"), "the State missing from Appendix 3 is named");
}

#[test]
fn search_is_stemmed_accent_insensitive_and_faceted() {
    let app = TestApp::spawn();
    let r = app.get("/api/v1/search?q=ninas").json();
    assert!(r["hits"].as_array().unwrap().iter().any(|h| h["title"].as_str().unwrap().contains("Niñas")), "{r}");
    assert!(r["hits"].as_array().unwrap().iter().any(|h| h["snippet"].as_str().unwrap().contains("<b>")), "{r}");
    let r = app.get("/api/v1/search?q=planes").json();
    assert!(r["total"].as_u64().unwrap() > 5, "Spanish plural finds singular: {r}");
    let all = app.get("/api/v1/search?q=trata").json();
    let pe = app.get("/api/v1/search?q=trata&state=PE").json();
    assert!(pe["total"].as_u64() < all["total"].as_u64());
    assert!(pe["hits"].as_array().unwrap().iter().all(|h| h["state"] == "PE"));
    assert!(all["facets"]["state"]["PE"].as_u64().unwrap() > 0);
    let page = app.get("/es/search?q=explotaci%C3%B3n");
    assert!(page.body.contains("resultados") && page.body.contains("<b>"), "the HTML search works without JavaScript");
}

#[test]
fn the_api_follows_the_export_contract_and_answers_errors_in_json() {
    let app = TestApp::spawn();
    let states = app.get("/api/v1/states").json();
    assert_eq!(states["states"].as_array().unwrap().len(), 35);
    let cl = app.get("/api/v1/states/cl").json();
    assert_eq!(cl["state"]["state"], "CL");
    assert!(cl["plans"].as_array().unwrap().iter().all(|p| p["state"] == "CL"));
    let r = app.get("/api/v1/ratifications?state=US&treaty=CRC").json();
    assert_eq!(r["ratifications"][0]["status"], "signature");
    let rep = app.get("/api/v1/reporting?state=PA").json();
    assert_eq!(rep["reporting"][0]["initial_report_due"], "2004-01-18");
    for (path, status, needle) in [
        ("/api/v1/states/XX", 404, "XX"),
        ("/api/v1/plans/nope", 404, "nope"),
        ("/api/v1/ratifications?state=ZZ", 400, "ZZ"),
        ("/api/v1/ratifications?treaty=FOO", 400, "FOO"),
        ("/api/v1/ratifications?country=CL", 400, "country"),
        ("/api/v1/search", 400, "q"),
        ("/api/v1/search?q=", 400, "empty"),
        ("/api/v1/search?q=x&limit=0", 400, "limit"),
        ("/api/v1/nothing", 404, "openapi"),
    ] {
        let a = app.get(path);
        assert_eq!(a.status, status, "{path}");
        assert!(a.json()["message"].as_str().unwrap().contains(needle), "{path}: {}", a.body);
    }
}

#[test]
fn reads_carry_etags_cache_control_and_open_cors() {
    let app = TestApp::spawn();
    let a = app.get_with("/api/v1/states/CL", &[("Origin", "https://example.org")]);
    let etag = a.headers["etag"].clone();
    assert!(a.headers["cache-control"].contains("max-age"));
    assert_eq!(a.headers["access-control-allow-origin"], "*");
    let again = app.get_with("/api/v1/states/CL", &[("If-None-Match", &etag)]);
    assert_eq!((again.status, again.body.as_str()), (304, ""));
    assert_eq!(app.get_with("/api/v1/states/AR", &[("If-None-Match", &etag)]).status, 200);
}

#[test]
fn no_input_makes_it_answer_500() {
    let app = TestApp::spawn();
    let nasty = [
        "%00",
        "%FF%FE",
        "..%2F..%2Fetc%2Fpasswd",
        "'%20OR%201=1--",
        "%3Cscript%3E",
        "a%20b",
        &"x".repeat(300),
        "%E2%80%AE",
        "*",
        "%22%22",
        "%5B",
        "AND%20OR%20NOT",
        "~~~",
        "+-",
        "ni%C3%B1ez~2",
    ];
    for n in nasty {
        for path in [
            format!("/en/states/{n}"),
            format!("/api/v1/states/{n}"),
            format!("/api/v1/search?q={n}"),
            format!("/es/search?q={n}"),
            format!("/api/v1/reporting?state={n}"),
            format!("/{n}/states"),
            format!("/en/plans/{n}"),
            format!("/api/v1/agencies/{n}"),
        ] {
            let a = app.get(&path);
            assert!(a.status < 500, "{path} answered {}", a.status);
        }
    }
}

#[test]
fn pages_are_cached_with_etags_and_facets_count_every_match() {
    let app = TestApp::spawn();
    let first = app.get("/es/states/PE");
    let second = app.get("/es/states/PE");
    assert_eq!(first.body, second.body);
    assert_eq!(first.headers["etag"], second.headers["etag"]);
    assert_eq!(app.get_with("/es/states/PE", &[("If-None-Match", &first.headers["etag"])]).status, 304);
    assert_ne!(app.get("/fr/states/PE").headers["etag"], first.headers["etag"], "each language is its own answer");
    let r = app.get("/api/v1/search?q=plan").json();
    let by_kind: u64 = r["facets"]["kind"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(by_kind, r["total"].as_u64().unwrap(), "every match has exactly one kind");
    let narrow = app.get("/api/v1/search?q=save%20the%20children").json();
    assert!(narrow["total"].as_u64().unwrap() < 20, "all words must match: {}", narrow["total"]);
}

#[test]
fn every_record_page_renders_in_every_language() {
    let app = TestApp::spawn();
    let ds = bundled();
    let mut paths: Vec<String> = ds.states.iter().map(|s| format!("states/{}", s.code)).collect();
    paths.extend(ds.plans.iter().map(|p| format!("plans/{}", p.id)));
    paths.extend(ds.bodies.iter().map(|b| format!("bodies/{}", b.id)));
    paths.extend(ds.organisations.iter().filter(|o| o.state.is_none()).map(|o| format!("agencies/{}", o.id)));
    for lang in ["en", "es", "pt", "fr"] {
        for path in &paths {
            let a = app.get(&format!("/{lang}/{path}"));
            assert_eq!(a.status, 200, "/{lang}/{path}: {}", a.body);
        }
    }
    let jm = app.get("/en/states/JM");
    // Seven instruments; the Child Diversion Policy (pending approval, "ongoing") has no date to
    // place it, so six bars, and the list below the chart still names all seven.
    assert_eq!(jm.body.matches("<rect class=\"bar").count(), 6);
    assert_eq!(jm.body.matches("<a href=\"/en/plans/jm-").count(), 7);
}

#[test]
fn analysis_pages_show_the_computed_comparison_status_and_findings() {
    let app = TestApp::spawn();
    for lang in ["en", "es", "pt", "fr"] {
        for path in ["analysis", "analysis/status?on=2014-09-30", "analysis/comparison?on=2014-09-30", "analysis/swot"]
        {
            let a = app.get(&format!("/{lang}/{path}"));
            assert_eq!(a.status, 200, "/{lang}/{path}: {}", a.body);
        }
    }
    let cmp = app.get("/en/analysis/comparison?on=2014-09-30");
    assert_eq!(
        cmp.body.matches("<tr><th scope=\"row\"><a href=\"/en/states/").count(),
        14,
        "one row per responding State"
    );
    assert!(cmp.body.contains("href=\"/en/plans/cl-segundo-marco-2012\""), "evidence links");
    let status = app.get("/es/analysis/status?on=2014-09-30");
    assert!(status.body.contains("uy-plan-2011"));
    assert_eq!(app.get("/en/analysis/status?on=soon").status, 400);
    let chart = app.get("/pt/analysis/timeline");
    assert!(chart.body.matches("<rect class=\"bar").count() >= 20, "every dated plan of the region");
    assert!(chart.body.contains("JM · "), "labels name the State");
    let rio = app.get("/en/analysis/rio");
    assert_eq!(rio.body.matches("<dt id=\"rule-").count(), 10, "every criterion's rule is published");
    assert!(rio.body.contains("13 / 14"), "Chile's score with its denominator");
    let findings = app.get("/en/analysis");
    assert!(findings.body.contains("href=\"/en/agencies/ilo\""), "the most mentioned agency");
}
