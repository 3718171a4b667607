//! Every page, report and search in the reader's language (issue #11): the bundled texts read in
//! each language on the pages and in the reports, search finds records across languages, and a
//! text an accepted answer wrote in the State's language waits, marked with its language, until
//! an analyst translates it (versioned and audited).

use serde_json::{json, Value};

use crate::consultation::{account, api, setup};
use crate::history::accept_chile_2015;
use crate::web::TestApp;
use crate::{bundled, text};

/// The English prose of the bundled data (summaries, functions, notes; not names) that reads
/// differently in `lang`, long enough (40 characters) not to be a phrase the languages share.
fn english_originals(lang: observa_domain::Lang) -> Vec<String> {
    let ds = bundled();
    let read = ds.localized(lang).unwrap();
    let (Ok(originals), Ok(shown)) = (observa_domain::history::records(&ds), observa_domain::history::records(&read))
    else {
        panic!("the registry reads as records");
    };
    let mut out = Vec::new();
    for ((table, rows), (_, shown_rows)) in originals.iter().zip(&shown) {
        for (row, shown_row) in rows.iter().zip(shown_rows) {
            // Names of institutions and titles are shown in their official form, and quoted as the
            // report prints them: what is looked for is the prose.
            let prose = observa_domain::translation::fields(table)
                .iter()
                .filter(|f| !matches!(**f, "name" | "title" | "institutions"));
            for field in prose {
                let (Some(Value::String(en)), Some(Value::String(there))) = (
                    observa_domain::translation::field_value(row, field),
                    observa_domain::translation::field_value(shown_row, field),
                ) else {
                    continue;
                };
                if en.chars().count() >= 40 && en != there && !there.contains(en.as_str()) {
                    out.push(en.clone());
                }
            }
        }
    }
    out
}

/// How a text appears in a page (the templates escape it).
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

#[test]
fn every_public_page_in_spanish_portuguese_and_french_shows_no_english_text_of_the_registry() {
    let app = TestApp::spawn();
    let ds = bundled();
    let mut paths: Vec<String> = ["", "states", "agencies", "treaties", "sources", "analysis/swot", "analysis/status"]
        .iter()
        .map(|p| p.to_string())
        .collect();
    paths.extend(ds.states.iter().map(|s| format!("states/{}", s.code)));
    paths.extend(ds.plans.iter().map(|p| format!("plans/{}", p.id)));
    paths.extend(ds.bodies.iter().map(|b| format!("bodies/{}", b.id)));
    paths.extend(ds.organisations.iter().filter(|o| o.state.is_none()).map(|o| format!("agencies/{}", o.id)));
    for lang in [observa_domain::Lang::Es, observa_domain::Lang::Pt, observa_domain::Lang::Fr] {
        let english: Vec<String> = english_originals(lang).iter().map(|t| escaped(t)).collect();
        assert!(english.len() > 1000, "the check has texts to look for: {}", english.len());
        let mut found = Vec::new();
        for path in &paths {
            let page = app.get(&format!("/{}/{path}", lang.code()));
            assert_eq!(page.status, 200, "/{}/{path}", lang.code());
            found.extend(
                english
                    .iter()
                    .filter(|t| page.body.contains(t.as_str()))
                    .map(|t| format!("/{}/{path}: {t}", lang.code())),
            );
        }
        assert!(
            found.is_empty(),
            "{} English texts on {} pages in {}: {:?}",
            found.len(),
            paths.len(),
            lang.code(),
            &found[..found.len().min(5)]
        );
    }
}

#[test]
fn the_reports_in_spanish_portuguese_and_french_hold_no_english_summary() {
    let app = TestApp::spawn();
    for lang in [observa_domain::Lang::Es, observa_domain::Lang::Pt, observa_domain::Lang::Fr] {
        let report = app.get(&format!("/{}/analysis/report/2014/md", lang.code()));
        assert_eq!(report.status, 200);
        let originals = english_originals(lang);
        let found: Vec<&String> = originals.iter().filter(|t| report.body.contains(t.as_str())).collect();
        assert!(found.is_empty(), "{}: {} English texts, e.g. {:?}", lang.code(), found.len(), found.first());
        assert!(!report.body.contains("in English"), "the line saying summaries stay in English is gone");
    }
}

#[test]
fn a_search_in_one_language_finds_records_written_in_another_and_says_where_it_matched() {
    let app = TestApp::spawn();
    let hits = |q: &str, lang: &str| {
        let r = app.get(&format!("/api/v1/search?q={}&lang={lang}&limit=100", q.replace(' ', "+")));
        assert_eq!(r.status, 200, "{q}: {}", r.body);
        r.json()
    };
    // Spanish and French queries find what the seed says in English, and English finds Spanish names.
    for (q, lang) in [
        ("explotación sexual", "es"),
        ("trata de personas", "es"),
        ("traite des personnes", "fr"),
        ("ministère", "fr"),
        ("lei", "pt"),
    ] {
        let found = hits(q, lang);
        assert!(found["total"].as_u64().unwrap() >= 5, "{q}: {}", found["total"]);
        let first = &found["hits"][0];
        assert!(first["matched"].as_array().unwrap().iter().any(|m| m == lang), "{q}: {first}");
        assert_eq!(first["snippet_lang"], lang, "{q}: the snippet is in the reader's language");
    }
    let english = hits("Ministry of Justice", "en");
    let spanish = hits("Ministerio de Justicia", "es");
    assert!(
        spanish["total"].as_u64() >= english["total"].as_u64().map(|n| n / 2),
        "{} / {}",
        spanish["total"],
        english["total"]
    );
    // A law number is found whatever its punctuation and language.
    let law = hits("Ley 26.364", "es");
    assert!(
        law["hits"].as_array().unwrap().iter().any(|h| h["path"].as_str().unwrap().starts_with("states/AR")),
        "{law}"
    );
    assert_eq!(app.get("/api/v1/search?q=trata&lang=de").status, 400);
    let negotiated = app.get_with("/api/v1/search?q=trata", &[("Accept-Language", "fr-CA,fr;q=0.9")]);
    assert_eq!(negotiated.json()["hits"][0]["snippet_lang"], "fr");
    assert!(negotiated.headers["vary"].contains("Accept-Language"));
}

#[test]
fn the_api_reads_in_the_language_asked_for() {
    let app = TestApp::spawn();
    let name = |lang: &str| {
        let plan = app.get(&format!("/api/v1/states/CL?lang={lang}")).json();
        let body =
            plan["bodies"].as_array().unwrap().iter().find(|b| b["id"] == "cl-mesa-intersectorial").cloned().unwrap();
        body["name"].as_str().unwrap().to_string()
    };
    assert_eq!(name("en"), "Cross-Sectoral Board");
    assert_eq!(name("es"), "Mesa Intersectorial");
    let by_header = app.get_with("/api/v1/states/CL", &[("Accept-Language", "es")]).json();
    let english = app.get("/api/v1/states/CL").json();
    assert_ne!(by_header, english, "Accept-Language chooses the language when `lang` is not given");
}

#[test]
fn an_accepted_answer_waits_in_its_language_until_an_analyst_translates_it_with_an_audited_version() {
    let (app, s, token) = setup();
    accept_chile_2015(&app, &s, &token);
    let plan = "/plans/cl-segundo-marco-2012";
    // The answer is Chile's, in Spanish: the English page shows it as written, marked.
    let en = app.get(&format!("/en{plan}"));
    assert!(en.body.contains("A new evaluation chapter.") && en.body.contains(r#"class="orig""#), "{}", en.body);
    let analyst = account(&app, &s, "traductora@secretaria.org", &["--role", "analyst"]);
    let desk = app.get_with("/es/translations?state=CL", &[("Cookie", &analyst)]);
    assert_eq!(desk.status, 200);
    assert!(desk.body.contains("cl-segundo-marco-2012 · changes_from_previous"), "{}", desk.body);
    let saved = app.post_form(
        "/es/translations",
        &analyst,
        &[
            ("csrf", &desk.csrf()),
            ("state", "CL"),
            ("table", "plans"),
            ("record", "cl-segundo-marco-2012"),
            ("field", "changes_from_previous"),
            ("lang", "en"),
            ("text", "A new chapter on evaluation."),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let en = app.get(&format!("/en{plan}"));
    assert!(en.body.contains("A new chapter on evaluation."), "the English page shows the translation");
    let fr = app.get(&format!("/fr{plan}"));
    assert!(
        fr.body.contains("A new evaluation chapter.") && fr.body.contains(r#"class="orig""#),
        "French still waits, marked"
    );
    // Versioned and audited like any registry change.
    let store = s.open("c.db");
    let audit = store.audit().unwrap();
    let entry = audit
        .iter()
        .rfind(|e| e.subject.starts_with("registry/translations/plans/cl-segundo-marco-2012/changes_from_previous"))
        .expect("an audit entry");
    assert_eq!(entry.actor, "traductora@secretaria.org");
    assert!(entry.after.as_deref().unwrap().contains("A new chapter on evaluation."));
    assert!(store.verify_audit(None).unwrap().is_ok());
    // The API: the same operation, its refusals.
    let bearer = format!("Bearer {token}");
    let url = "/api/v1/translations/CL/plans/cl-segundo-marco-2012/changes_from_previous/fr";
    let officer = api(&app, "PUT", url, &[("Authorization", &bearer)], Some(json!({ "text": "Un nouveau chapitre." })));
    assert_eq!(officer.0, 403, "a liaison officer does not translate");
    let wrong_lang = "/api/v1/translations/CL/plans/cl-segundo-marco-2012/changes_from_previous/es";
    let out = s.observa("c.db", &["token", "create", "--email", "traductora@secretaria.org"]);
    let analyst_token = String::from_utf8_lossy(&out.stdout).lines().last().unwrap().trim().to_string();
    let auth = format!("Bearer {analyst_token}");
    let listed = api(&app, "GET", "/api/v1/translations/pending", &[("Authorization", &auth)], None);
    assert_eq!(listed.0, 200);
    let waiting = listed.2["pending"].as_array().unwrap();
    assert!(waiting.iter().any(|p| p["record"] == "cl-segundo-marco-2012" && p["written_in"] == "es"), "{waiting:?}");
    assert_eq!(api(&app, "GET", "/api/v1/translations/pending", &[("Authorization", &bearer)], None).0, 403);
    let own = api(&app, "PUT", wrong_lang, &[("Authorization", &auth)], Some(json!({ "text": "Otra vez." })));
    assert_eq!(own.0, 400, "not into the language it is written in: {}", own.2);
    let other_state = "/api/v1/translations/AR/plans/cl-segundo-marco-2012/changes_from_previous/fr";
    assert_eq!(api(&app, "PUT", other_state, &[("Authorization", &auth)], Some(json!({ "text": "x" }))).0, 404);
    let done = api(
        &app,
        "PUT",
        url,
        &[("Authorization", &auth)],
        Some(json!({ "text": "Un nouveau chapitre sur l'évaluation." })),
    );
    assert_eq!(done.0, 200, "{}", done.2);
    let still: Vec<&Value> =
        done.2["pending"].as_array().unwrap().iter().filter(|p| p["record"] == "cl-segundo-marco-2012").collect();
    assert!(
        still
            .iter()
            .all(|p| p["field"] != "changes_from_previous" || !p["missing"].as_array().unwrap().contains(&json!("fr"))),
        "{still:?}"
    );
    assert!(app.get(&format!("/fr{plan}")).body.contains("Un nouveau chapitre sur l&#39;évaluation."));
    // Each language's reading was brought forward by the writes, not read again: it must be the
    // reading made from scratch.
    for lang in observa_domain::Lang::ALL {
        let shown = app.state.snapshot_in(lang);
        let fresh = app.state.snapshot().dataset.localized(lang).unwrap();
        assert!(shown.dataset == fresh, "the {lang:?} reading is the registry read in {lang:?}");
    }
    let check = s.observa("c.db", &["check", "--quiet"]);
    assert!(text(&check).contains("Translation coverage (database)"), "{}", text(&check));
}
