//! The answer cache cannot be filled by visitors: it keys answers by their canonical URL (unknown
//! query parameters do not make new entries), stays within its byte budget, and the report's
//! writers run once however many requests ask for a file at the same time.

use crate::web::TestApp;

#[test]
fn cache_busting_parameters_do_not_grow_the_cache() {
    let app = TestApp::spawn();
    let first = app.get("/en/");
    assert_eq!(first.status, 200);
    let before = app.state.cache_stats();
    assert_eq!(app.get("/en/?cb=x").body, first.body, "the canonical answer is served");
    // 2,000 distinct URLs, from 4 clients at once (the home page is large: keep the test short).
    let app = &app;
    std::thread::scope(|s| {
        for client in 0..4 {
            s.spawn(move || {
                for n in (client..2000).step_by(4) {
                    assert_eq!(app.get(&format!("/en/?cb={n}")).status, 200, "?cb={n}");
                }
            });
        }
    });
    let after = app.state.cache_stats();
    assert!(after.bytes <= after.budget, "{after:?}");
    assert_eq!(after.entries, before.entries, "no new entry for ?cb=N: {before:?} → {after:?}");
    // A page rendered first with an unknown parameter is rendered as the canonical URL: the
    // language switcher does not repeat it.
    let a = app.get("/fr/treaties?utm_source=x");
    assert_eq!(a.status, 200);
    assert!(!a.body.contains("utm_source"), "the page does not carry unknown parameters");
    assert_eq!(app.get("/fr/treaties").body, a.body);
    // Known parameters still make different answers.
    let on = app.get("/en/?on=2010-01-01");
    assert_eq!(on.status, 200);
    assert_ne!(on.body, first.body);
    assert_eq!(app.get("/en/?cb=1&on=2010-01-01").body, on.body);
}

#[test]
fn the_api_still_refuses_unknown_parameters_after_caching_the_answer() {
    let app = TestApp::spawn();
    assert_eq!(app.get("/api/v1/treaties").status, 200);
    let a = app.get("/api/v1/treaties?cb=1");
    assert_eq!(a.status, 400, "{}", a.body);
    assert!(a.json()["message"].as_str().unwrap().contains("cb"));
    let b = app.get("/api/v1/search?limit=5&q=unicef");
    assert_eq!(b.body, app.get("/api/v1/search?q=unicef&limit=5").body);
}

#[test]
fn the_etag_still_gives_304_for_the_canonical_answer() {
    let app = TestApp::spawn();
    let a = app.get("/en/states");
    let tag = a.headers["etag"].clone();
    assert_eq!(app.get_with("/en/states", &[("If-None-Match", &tag)]).status, 304);
    assert_eq!(app.get_with("/en/states?cb=7", &[("If-None-Match", &tag)]).status, 304);
    let b = app.get_with("/en/states?cb=8", &[("If-None-Match", "\"other\"")]);
    assert_eq!((b.status, &b.headers["etag"]), (200, &tag));
}

#[test]
fn parallel_requests_for_the_report_pdf_typeset_it_once() {
    let app = TestApp::spawn();
    let before = app.state.cache_stats().renders;
    let app = &app;
    let answers: Vec<_> = std::thread::scope(|s| {
        let calls: Vec<_> =
            (0..8).map(|n| s.spawn(move || app.get(&format!("/en/analysis/report/2014/pdf?cb={n}")))).collect();
        calls.into_iter().map(|c| c.join().unwrap()).collect()
    });
    for a in &answers {
        assert_eq!((a.status, a.headers["content-type"].as_str()), (200, "application/pdf"));
        assert_eq!(a.headers["etag"], answers[0].headers["etag"], "the same file");
    }
    assert_eq!(app.state.cache_stats().renders - before, 1, "the PDF writer ran once for 8 requests");
    let tag = answers[0].headers["etag"].clone();
    for n in 8..40 {
        assert_eq!(app.get(&format!("/en/analysis/report/2014/pdf?cb={n}")).status, 200);
    }
    assert_eq!(app.get_with("/en/analysis/report/2014/pdf?x=1", &[("If-None-Match", &tag)]).status, 304);
    assert_eq!(app.state.cache_stats().renders - before, 1, "later query strings typeset nothing");
    // Another format or language is another file.
    assert_eq!(app.get("/es/analysis/report/2014/pdf").status, 200);
    assert_eq!(app.state.cache_stats().renders - before, 2);
}
