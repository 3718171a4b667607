//! The consultation cycle through the real binary and portal: `observa cycle open`, tokens, the
//! machine interface with ETags (412 on a stale version), concurrent saves and submits, the
//! liaison's form with its conflict view, and the secretariat's status page.

use serde_json::{json, Value};

use crate::web::TestApp;
use crate::{text, Scratch};

/// A database made by the binary: the bundled data, cycle 2015 copied from 2014, a liaison officer
/// for Chile with an API token, and an analyst. Returns the app, the scratch folder, the token.
pub(crate) fn setup() -> (TestApp, Scratch, String) {
    let s = Scratch::new();
    let run = |args: &[&str]| {
        let out = s.observa("c.db", args);
        assert!(out.status.success(), "{args:?}: {}", text(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(&["cycle", "open", "--year", "2015", "--from", "2014", "--deadline", "2015-06-30"]);
    run(&["user", "add", "--email", "enlace@gob.cl", "--role", "liaison", "--state", "CL"]);
    let token = run(&["token", "create", "--email", "enlace@gob.cl"]).lines().last().unwrap().trim().to_string();
    let mut store = s.open("c.db");
    // A token works once the first password is changed (as the officer would at the first sign-in).
    let (officer, _) = store.account_by_email("enlace@gob.cl").unwrap().unwrap();
    let hash = observa_web::auth::hash_password("una clave propia 2015").unwrap();
    store.set_password(officer.id, &hash, None, "enlace@gob.cl").unwrap();
    let app = TestApp::spawn_on(store);
    (app, s, token)
}

/// Creates an account with the binary and signs it in (first password replaced); the cookie.
pub(crate) fn account(app: &TestApp, s: &Scratch, email: &str, role: &[&str]) -> String {
    let mut args = vec!["user", "add", "--email", email];
    args.extend_from_slice(role);
    let out = s.observa("c.db", &args);
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let first = stdout.lines().last().unwrap().rsplit(": ").next().unwrap().trim().to_string();
    crate::accounts::sign_in_with_first_password(app, email, &first)
}

pub(crate) fn api(
    app: &TestApp,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> (u16, Option<String>, Value) {
    let url = format!("{}{path}", app.base);
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut response = match method {
        "GET" => {
            let mut r = agent.get(&url);
            for (k, v) in headers {
                r = r.header(*k, *v);
            }
            r.call().unwrap()
        }
        _ => {
            let mut r = if method == "PUT" { agent.put(&url) } else { agent.post(&url) };
            for (k, v) in headers {
                r = r.header(*k, *v);
            }
            match body {
                Some(b) => r.header("Content-Type", "application/json").send(b.to_string()).unwrap(),
                None => r.send_empty().unwrap(),
            }
        }
    };
    let etag = response.headers().get("etag").map(|v| v.to_str().unwrap().to_string());
    let text = response.body_mut().read_to_string().unwrap_or_default();
    (response.status().as_u16(), etag, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub(crate) const CL: &str = "/api/v1/cycles/2015/responses/CL";

#[test]
fn the_machine_interface_reads_and_writes_with_etags_and_refuses_stale_versions() {
    let (app, _s, token) = setup();
    let bearer = format!("Bearer {token}");
    let auth = [("Authorization", bearer.as_str())];
    assert_eq!(api(&app, "GET", CL, &[], None).0, 401, "anonymous");
    assert_eq!(api(&app, "GET", "/api/v1/cycles/2015/responses/PE", &auth, None).0, 403, "another State");
    let (status, etag, body) = api(&app, "GET", CL, &auth, None);
    assert_eq!((status, etag.as_deref()), (200, Some("\"v0\"")));
    let doc = app.get("/api/v1/openapi.json").json();
    let mut errors = Vec::new();
    let schema = &doc["paths"]["/cycles/{year}/responses/{state}"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    crate::openapi::check(&doc, schema, &body, CL, &mut errors);
    assert!(errors.is_empty(), "the answer matches the OpenAPI document: {errors:?}");
    assert_eq!(body["status"], "not-started");
    assert!(body["answers"]["plans.list"].as_array().is_some_and(|rows| !rows.is_empty()), "pre-filled from 2014");
    let mut answers = body["answers"].clone();
    answers["plans.changes"] = json!("The 2015 plan adds an evaluation chapter.");
    let put = |if_match: Option<&str>, answers: &Value| {
        let mut h = vec![("Authorization", bearer.as_str())];
        if let Some(m) = if_match {
            h.push(("If-Match", m));
        }
        api(&app, "PUT", CL, &h, Some(json!({ "answers": answers })))
    };
    assert_eq!(put(None, &answers).0, 428, "If-Match is required");
    let (status, etag, saved) = put(Some("\"v0\""), &answers);
    assert_eq!((status, etag.as_deref()), (200, Some("\"v1\"")), "{saved}");
    assert_eq!(saved["answers"]["plans.changes"], "The 2015 plan adds an evaluation chapter.");
    let (status, etag, _) = put(Some("\"v0\""), &answers);
    assert_eq!((status, etag.as_deref()), (412, Some("\"v1\"")), "a stale version, with the current ETag");
    let mut bad = answers.clone();
    bad["plans.list"] = json!([{ "approved": "sometime" }]);
    let (status, _, body) = put(Some("\"v1\""), &bad);
    assert_eq!(status, 200, "a draft may hold a value that is not a date yet: {body}");
    assert_eq!(body["issues"][0]["code"], "not-a-date", "and says so");
    bad["no.such.question"] = json!("x");
    let (status, _, body) = put(Some("\"v2\""), &bad);
    assert_eq!(status, 422);
    assert_eq!(body["issues"][0]["code"], "unknown-question");
    let (_, etag, body) = api(&app, "GET", CL, &auth, None);
    assert_eq!(
        (etag.as_deref(), body["version"].as_i64()),
        (Some("\"v2\""), Some(2)),
        "the refused writes changed nothing"
    );
}

#[test]
fn two_officers_saving_from_one_version_at_once_one_wins_the_other_gets_412() {
    let (app, _s, token) = setup();
    let bearer = format!("Bearer {token}");
    let (_, _, body) = api(&app, "GET", CL, &[("Authorization", &bearer)], None);
    let results: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|i| {
                let (app, bearer, mut answers) = (&app, &bearer, body["answers"].clone());
                answers["plans.changes"] = json!(format!("officer {i}"));
                scope.spawn(move || {
                    let h = [("Authorization", bearer.as_str()), ("If-Match", "\"v0\"")];
                    api(app, "PUT", CL, &h, Some(json!({ "answers": answers }))).0
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut sorted = results.clone();
    sorted.sort();
    assert_eq!(sorted, vec![200, 412], "{results:?}");
    let (_, _, now) = api(&app, "GET", CL, &[("Authorization", &bearer)], None);
    assert_eq!(now["version"], 1);
    assert!(now["answers"]["plans.changes"].as_str().unwrap().starts_with("officer "));
}

#[test]
fn the_same_submission_sent_five_times_in_parallel_makes_one_submission() {
    let (app, s, token) = setup();
    let bearer = format!("Bearer {token}");
    let (_, _, body) = api(&app, "GET", CL, &[("Authorization", &bearer)], None);
    // The two yes/no questions the registry cannot answer (they feed no fact) are completed here.
    let mut answers = body["answers"].clone();
    answers["prevention.included"] = json!("yes");
    answers["recovery.services_exist"] = json!("yes");
    let (status, _, saved) = api(
        &app,
        "PUT",
        CL,
        &[("Authorization", &bearer), ("If-Match", "\"v0\"")],
        Some(json!({ "answers": answers })),
    );
    assert_eq!(status, 200, "{saved}");
    let answers: Vec<Value> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..5)
            .map(|_| {
                let (app, bearer) = (&app, &bearer);
                scope.spawn(move || {
                    let h = [("Authorization", bearer.as_str()), ("If-Match", "\"v1\"")];
                    api(app, "POST", &format!("{CL}/submit"), &h, None)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap().2).collect()
    });
    assert!(answers.iter().all(|a| a["submitted"] == true), "{answers:?}");
    assert_eq!(answers.iter().filter(|a| a["created"] == true).count(), 1, "{answers:?}");
    let store = s.open("c.db");
    assert_eq!(store.submissions(2015, "CL").unwrap(), 1, "one row in the database");
    assert_eq!(store.draft(2015, "CL").unwrap().unwrap().status.code(), "submitted");
    let h = [("Authorization", bearer.as_str()), ("If-Match", "\"v1\"")];
    assert_eq!(api(&app, "PUT", CL, &h, Some(json!({ "answers": {} }))).0, 409, "submitted answers are locked");
}

#[test]
fn the_2014_answers_are_the_accepted_responses_of_cycle_2014() {
    let (_app, s, _token) = setup();
    let store = s.open("c.db");
    let drafts = store.drafts(2014).unwrap();
    let responding: std::collections::BTreeSet<String> =
        crate::bundled().responses.iter().filter(|r| r.cycle == 2014).map(|r| r.state.to_string()).collect();
    assert_eq!(drafts.iter().map(|d| d.state.clone()).collect::<std::collections::BTreeSet<_>>(), responding);
    assert!(drafts.iter().all(|d| d.status.code() == "accepted"));
    let cycles = store.cycles().unwrap();
    let (c2015, c2014) = (&cycles[0], &cycles[1]);
    assert_eq!((c2015.year, c2014.year), (2015, 2014));
    assert_eq!(c2015.questionnaire.version, c2014.questionnaire.version + 1, "copied and versioned");
    assert!(c2015.questionnaire.questions().all(|q| q.counterpart.is_some()));
}

#[test]
fn opening_a_cycle_checks_its_arguments() {
    // The workflow's refusals, worded as the web form's.
    let s = Scratch::new();
    for (args, message) in [
        (vec!["cycle", "open", "--year", "2015", "--from", "2013", "--deadline", "2015-06-30"], "no cycle to copy"),
        (vec!["cycle", "open", "--year", "2014", "--from", "2014", "--deadline", "2014-06-30"], "must come after"),
        (
            vec!["cycle", "open", "--year", "2015", "--from", "2014", "--deadline", "2019-06-30"],
            "a deadline in its year or the next",
        ),
        (vec!["cycle", "open", "--year", "2015", "--from", "2014", "--deadline", "30/06/2015"], "invalid value"),
    ] {
        let out = s.observa("c.db", &args);
        assert!(!out.status.success() && text(&out).contains(message), "{args:?}: {}", text(&out));
    }
    assert!(s
        .observa("c.db", &["cycle", "open", "--year", "2015", "--from", "2014", "--deadline", "2015-06-30"])
        .status
        .success());
    let again = s.observa("c.db", &["cycle", "open", "--year", "2015", "--from", "2014", "--deadline", "2015-06-30"]);
    assert!(text(&again).contains("open already"));
}

#[test]
fn a_liaison_officer_fills_the_form_in_spanish_and_a_stale_save_shows_both_versions() {
    let (app, s, _) = setup();
    let cookie = account(&app, &s, "oficial@gob.cl", &["--role", "liaison", "--state", "CL"]);
    let form = app.get_with("/es/cycles/2015/responses/CL", &[("Cookie", &cookie)]);
    assert_eq!(form.status, 200);
    assert_eq!(form.headers["cache-control"], "no-store");
    assert!(
        form.body.contains("Respuestas a la consulta") && form.body.contains("Marco para la acción"),
        "pre-filled, in Spanish"
    );
    assert!(form.body.contains("name=\"a|plans.changes\""));
    let csrf = form.csrf();
    let fields = |version: &'static str, text: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("version", version.to_string()),
            ("action", "save".to_string()),
            ("a|plans.changes", text.to_string()),
            ("a|plans.list|0|approved", "2012-05".to_string()),
        ]
    };
    let post = |f: Vec<(&str, String)>| {
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        app.post_form("/es/cycles/2015/responses/CL", &cookie, &f)
    };
    let saved = post(fields("0", "Primera versión."));
    assert_eq!(saved.status, 303, "{}", saved.body);
    let stale = post(fields("0", "Versión de otra persona."));
    assert_eq!(stale.status, 409);
    assert!(
        stale.body.contains("Primera versión.") && stale.body.contains("Versión de otra persona."),
        "both, side by side"
    );
    let submit = post(vec![
        ("csrf", csrf.clone()),
        ("version", "1".into()),
        ("action", "submit".into()),
        ("a|plans.changes", "x".into()),
    ]);
    assert_eq!(submit.status, 422, "incomplete answers are not submitted");
    assert!(
        submit.body.contains("Esta pregunta debe responderse antes de enviar"),
        "messages beside the questions, in Spanish"
    );
    assert_eq!(app.get_with("/es/cycles/2015/responses/PE", &[("Cookie", &cookie)]).status, 403);
    assert_eq!(
        app.get_with("/es/cycles/2015", &[("Cookie", &cookie)]).status,
        403,
        "the status page is the secretariat's"
    );
    let analyst = account(&app, &s, "analista@secretaria.org", &["--role", "analyst"]);
    let status = app.get_with("/en/cycles/2015", &[("Cookie", &analyst)]);
    assert_eq!(status.status, 200);
    assert_eq!(status.body.matches("<tr").count(), 36, "35 States and the header");
    assert!(status.body.contains("class=\"overdue\""), "the 2015 deadline has passed");
    // Reminders: one per liaison officer of each State whose answers are still open.
    assert!(status.body.contains("Chile: enlace@gob.cl") && status.body.contains("Chile: oficial@gob.cl"));
    let queued = app.post_form("/en/cycles/2015/reminders", &analyst, &[("csrf", &status.csrf())]);
    assert_eq!((queued.status, queued.headers["location"].as_str()), (303, "/en/cycles/2015?queued=2"));
    let outbox = s.open("c.db").outbox().unwrap();
    assert_eq!(outbox.len(), 2);
    assert!(outbox.iter().all(|m| m.subject.contains("2015") && m.body.contains("/en/cycles/2015/responses/CL")));
    assert_eq!(
        app.post_form("/en/cycles/2015/reminders", &cookie, &[("csrf", &csrf)]).status,
        403,
        "not a liaison's job"
    );
}

#[test]
fn the_analyst_returns_a_submission_with_a_comment_the_officer_replies_and_resubmits_then_it_is_accepted() {
    let (app, s, token) = setup();
    let bearer = format!("Bearer {token}");
    let (_, _, body) = api(&app, "GET", CL, &[("Authorization", &bearer)], None);
    let mut answers = body["answers"].clone();
    answers["prevention.included"] = json!("yes");
    answers["recovery.services_exist"] = json!("yes");
    answers["plans.changes"] = json!("A new evaluation chapter.");
    answers["protection.laws"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "number": "20.999", "date": "2015-03", "title": "Ley de prueba 2015" }));
    api(&app, "PUT", CL, &[("Authorization", &bearer), ("If-Match", "\"v0\"")], Some(json!({ "answers": answers })));
    let submit =
        |v: &str| api(&app, "POST", &format!("{CL}/submit"), &[("Authorization", &bearer), ("If-Match", v)], None);
    assert_eq!(submit("\"v1\"").0, 200);

    let analyst = account(&app, &s, "analista@secretaria.org", &["--role", "analyst"]);
    let review = app.get_with("/en/cycles/2015/review/CL", &[("Cookie", &analyst)]);
    assert_eq!(review.status, 200);
    assert!(
        review.body.contains("class=\"changed\"") && review.body.contains("A new evaluation chapter."),
        "changes highlighted"
    );
    let csrf = review.csrf();
    let no_comment = app.post_form(
        "/en/cycles/2015/review/CL/decision",
        &analyst,
        &[("csrf", &csrf), ("decision", "return"), ("comment", "")],
    );
    assert_eq!(no_comment.status, 400, "returning needs a comment");
    let returned = app.post_form(
        "/en/cycles/2015/review/CL/decision",
        &analyst,
        &[("csrf", &csrf), ("decision", "return"), ("comment", "Please give the plan's approval date.")],
    );
    assert_eq!(returned.status, 303, "{}", returned.body);

    let officer = account(&app, &s, "oficial@gob.cl", &["--role", "liaison", "--state", "CL"]);
    let form = app.get_with("/es/cycles/2015/responses/CL", &[("Cookie", &officer)]);
    assert!(
        form.body.contains("Please give the plan&#39;s approval date.")
            || form.body.contains("Please give the plan's approval date.")
    );
    assert!(form.body.contains("Devuelta"), "status returned, in Spanish");
    let reply = app.post_form(
        "/es/cycles/2015/responses/CL/comments",
        &officer,
        &[("csrf", &form.csrf()), ("question", "general"), ("body", "Fecha agregada.")],
    );
    assert_eq!(reply.status, 303);
    let (_, etag, _) = api(&app, "GET", CL, &[("Authorization", &bearer)], None);
    assert_eq!(etag.as_deref(), Some("\"v1\""));
    answers["plans.changes"] = json!("A new evaluation chapter, approved in March 2015.");
    let (status, _, _) = api(
        &app,
        "PUT",
        CL,
        &[("Authorization", &bearer), ("If-Match", "\"v1\"")],
        Some(json!({ "answers": answers })),
    );
    assert_eq!(status, 200, "returned answers can change again");
    assert_eq!(submit("\"v2\"").0, 200);

    let review = app.get_with("/en/cycles/2015/review/CL", &[("Cookie", &analyst)]);
    assert!(review.body.contains("Fecha agregada."), "the officer's reply");
    let accepted = app.post_form(
        "/en/cycles/2015/review/CL/decision",
        &analyst,
        &[("csrf", &review.csrf()), ("decision", "accept")],
    );
    assert_eq!(accepted.status, 303);
    let store = s.open("c.db");
    assert_eq!(store.draft(2015, "CL").unwrap().unwrap().status.code(), "accepted");
    assert_eq!(store.submissions(2015, "CL").unwrap(), 2);
    // The accepted answers are registry facts now, sourced to Chile's answers, on the portal.
    let registry = observa_store::Store::load(&*store).unwrap();
    let law = registry.laws.iter().find(|l| l.title == "Ley de prueba 2015").expect("the new law is in the registry");
    assert_eq!(law.source.doc, "answers-2015-cl");
    let plan = registry.plans.iter().find(|p| p.state.as_str() == "CL" && p.last_approved).unwrap();
    assert_eq!(plan.changes_from_previous.as_deref(), Some("A new evaluation chapter, approved in March 2015."));
    let profile = app.get("/en/states/CL");
    assert!(
        profile.body.contains("Ley de prueba 2015") && profile.body.contains("answers-2015-cl"),
        "the portal shows it"
    );
    let thread = app.get_with("/en/cycles/2015/review/CL", &[("Cookie", &analyst)]);
    assert!(thread.body.contains("Projected into the registry") && thread.body.contains("added laws"));
    let audit = observa_store::Store::audit(&*store).unwrap();
    // The acceptance writes the records it changes, each with a field-level entry.
    let law = audit
        .iter()
        .find(|e| {
            e.action == "registry-add"
                && e.subject.starts_with("registry/laws/")
                && e.subject.ends_with("(answers-2015-cl)")
        })
        .expect("the added law is in the audit log");
    assert!(law.after.as_deref().unwrap_or_default().contains("Ley de prueba 2015"), "{law:?}");
    assert!(!audit.iter().any(|e| e.action == "replace-registry"), "no whole-registry rewrite");
    let liaison_decides = app.post_form(
        "/en/cycles/2015/review/CL/decision",
        &officer,
        &[("csrf", &form.csrf()), ("decision", "accept")],
    );
    assert_eq!(liaison_decides.status, 403, "decisions are the secretariat's");
}

/// Sends a document as a browser's multipart form would.
fn upload(app: &TestApp, path: &str, cookie: &str, csrf: &str, name: &str, bytes: &[u8]) -> u16 {
    upload_answer(app, path, cookie, csrf, name, bytes).0
}

/// The same, with the answer's body.
pub(crate) fn upload_answer(
    app: &TestApp,
    path: &str,
    cookie: &str,
    csrf: &str,
    name: &str,
    bytes: &[u8],
) -> (u16, String) {
    upload_to(&app.base, path, cookie, csrf, name, bytes)
}

/// The same, to a server at `base` (the real binary in a test of its own).
pub(crate) fn upload_to(base: &str, path: &str, cookie: &str, csrf: &str, name: &str, bytes: &[u8]) -> (u16, String) {
    let boundary = "----observa-test-boundary";
    let mut body = Vec::new();
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n").as_bytes());
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .as_bytes(),
    );
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into();
    agent
        .post(format!("{base}{path}"))
        .header("Cookie", cookie)
        .header("Content-Type", format!("multipart/form-data; boundary={boundary}"))
        .send(&body[..])
        .map(|mut r| (r.status().as_u16(), r.body_mut().read_to_string().unwrap_or_default()))
        .unwrap_or((0, String::new()))
}

#[test]
fn documents_are_attached_checked_by_content_and_served_only_to_the_state_s_officers() {
    let (app, s, _) = setup();
    let officer = account(&app, &s, "oficial@gob.cl", &["--role", "liaison", "--state", "CL"]);
    let other = account(&app, &s, "oficial@gob.pe", &["--role", "liaison", "--state", "PE"]);
    let csrf = app.get_with("/es/cycles/2015/responses/CL", &[("Cookie", &officer)]).csrf();
    let path = "/es/cycles/2015/responses/CL/attachments";
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
    assert_eq!(upload(&app, path, &officer, &csrf, "Plan nacional 2015.pdf", pdf), 303);
    assert_eq!(
        upload(&app, path, &officer, &csrf, "plan.pdf", b"<html><script>alert(1)</script>"),
        415,
        "named PDF, not a PDF"
    );
    assert_eq!(upload(&app, path, &officer, &csrf, "tool.exe", b"MZ\x90\x00"), 415);
    assert_eq!(upload(&app, path, &officer, "forged", "plan.pdf", pdf), 403, "CSRF");
    let mut huge = pdf.to_vec();
    huge.resize(20 * 1024 * 1024 + 1, b' ');
    assert_eq!(upload(&app, path, &officer, &csrf, "huge.pdf", &huge), 413);
    assert_eq!(upload(&app, path, &other, &csrf, "plan.pdf", pdf), 403, "another State's officer");

    let form = app.get_with("/es/cycles/2015/responses/CL", &[("Cookie", &officer)]);
    assert!(form.body.contains("Plan nacional 2015.pdf"));
    assert_eq!(form.body.matches("/attachments/").count(), 1, "only the accepted document is listed");
    let start = form.body.find("/es/cycles/2015/responses/CL/attachments/").unwrap();
    let link: String = form.body[start..].chars().take_while(|c| *c != '"').collect();
    let got = app.get_with(&link, &[("Cookie", &officer)]);
    assert_eq!((got.status, got.headers["content-type"].as_str()), (200, "application/pdf"));
    assert_eq!(got.headers["x-content-type-options"], "nosniff");
    assert!(got.headers["content-disposition"].starts_with("attachment"));
    assert_eq!(got.body.as_bytes(), pdf);
    assert_eq!(app.get_with(&link, &[("Cookie", &other)]).status, 403);
    assert_eq!(app.get(&link).status, 303, "anonymous visitors are sent to sign in");
    let log = s.open("c.db").audit().unwrap();
    let read = log.iter().filter(|e| e.action == "download-attachment").collect::<Vec<_>>();
    assert_eq!(read.len(), 1, "the download is audited (the refused ones as refused access)");
    assert!(read[0].subject.starts_with("cycle/2015/responses/CL/attachments/"), "{:?}", read[0]);
}

/// Fills the downloaded workbook with openpyxl, as someone working offline in a spreadsheet would:
/// one single answer changed, one row added to the laws table.
const FILL: &str = r#"
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Answers"]
for row in ws.iter_rows(min_row=2):
    if row[0].value == "plans.changes":
        row[3].value = "Cambios escritos sin conexión."
laws = [s for s in wb.sheetnames if s.startswith("T ") and any("[title]" in str(c.value) for c in wb[s][2])][0]
sheet = wb[laws]
ids = [str(c.value).rsplit("[", 1)[-1].rstrip("]") for c in sheet[2]]
row = [""] * len(ids)
row[ids.index("title")] = "Ley sin conexión 2015"
row[ids.index("date")] = "2015-04"
sheet.append(row)
wb.save(sys.argv[2])
"#;

#[test]
fn the_workbook_goes_offline_and_comes_back_as_a_draft_and_bad_workbooks_change_nothing() {
    let Some(python) = crate::report::python_for_tests() else { return };
    let (app, s, token) = setup();
    let officer = account(&app, &s, "oficial@gob.cl", &["--role", "liaison", "--state", "CL"]);
    let path = "/es/cycles/2015/responses/CL/workbook";
    let csrf = app.get_with("/es/cycles/2015/responses/CL", &[("Cookie", &officer)]).csrf();
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut got = agent.get(format!("{}{path}", app.base)).header("Cookie", &officer).call().unwrap();
    assert_eq!(got.status().as_u16(), 200);
    let bytes = got.body_mut().with_config().limit(10 * 1024 * 1024).read_to_vec().unwrap();
    let (blank, filled) = (s.path("blank.xlsx"), s.path("filled.xlsx"));
    std::fs::write(&blank, &bytes).unwrap();
    let out = std::process::Command::new(&python).args(["-c", FILL]).arg(&blank).arg(&filled).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));

    // Hostile or wrong files first: each is refused whole, nothing changes.
    let pdf = b"%PDF-1.4\n%%EOF\n";
    assert_eq!(upload(&app, path, &officer, &csrf, "answers.xlsx", pdf), 415, "not a workbook");
    assert_eq!(upload(&app, path, &officer, &csrf, "answers.xlsx", b"PK\x03\x04 broken zip"), 415);
    let other = s.path("other.xlsx");
    assert!(s.observa("c.db", &["report", "--out", other.to_str().unwrap()]).status.success());
    let (status, body) = upload_answer(&app, path, &officer, &csrf, "report.xlsx", &std::fs::read(&other).unwrap());
    assert_eq!(status, 400);
    assert!(body.contains("no sheet `Answers`"), "says what is wrong");
    let mut huge = std::fs::read(&filled).unwrap();
    huge.resize(6 * 1024 * 1024, 0);
    assert_eq!(upload(&app, path, &officer, &csrf, "huge.xlsx", &huge), 413);
    let bearer = format!("Bearer {token}");
    let (_, etag, _) = api(&app, "GET", CL, &[("Authorization", &bearer)], None);
    assert_eq!(etag.as_deref(), Some("\"v0\""), "none of them saved anything");

    let (status, report) = upload_answer(&app, path, &officer, &csrf, "filled.xlsx", &std::fs::read(&filled).unwrap());
    assert_eq!(status, 200, "{report}");
    assert!(report.contains("Libro leído") && report.contains("Answers:"), "a report of what was read, in Spanish");
    let (_, etag, body) = api(&app, "GET", CL, &[("Authorization", &bearer)], None);
    assert_eq!(etag.as_deref(), Some("\"v1\""));
    assert_eq!(body["answers"]["plans.changes"], "Cambios escritos sin conexión.");
    let laws = body["answers"]["protection.laws"].as_array().unwrap();
    assert!(laws.iter().any(|r| r["title"] == "Ley sin conexión 2015" && r["date"] == "2015-04"));
    assert!(laws.len() > 1, "the pre-filled rows came back too");
    // The same workbook again is based on version 0: the conflict view, not an overwrite.
    assert_eq!(upload(&app, path, &officer, &csrf, "filled.xlsx", &std::fs::read(&filled).unwrap()), 409);
}

#[test]
fn autosave_saves_in_the_background_and_answers_the_new_version_or_a_conflict() {
    let (app, s, _) = setup();
    let officer = account(&app, &s, "oficial@gob.cl", &["--role", "liaison", "--state", "CL"]);
    let form = app.get_with("/es/cycles/2015/responses/CL", &[("Cookie", &officer)]);
    assert!(form.body.contains("/static/autosave.js"));
    assert_eq!(app.get("/static/autosave.js").headers["content-type"], "text/javascript; charset=utf-8");
    let csrf = form.csrf();
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into();
    let autosave = |version: &str| {
        let mut r = agent
            .post(format!("{}/es/cycles/2015/responses/CL", app.base))
            .header("Cookie", &officer)
            .header("X-Autosave", "1")
            .send_form([
                ("csrf", csrf.as_str()),
                ("version", version),
                ("action", "save"),
                ("a|plans.changes", "autoguardado"),
            ])
            .unwrap();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
    };
    assert_eq!(autosave("0"), (200, "{\"version\":1}".to_string()));
    assert_eq!(autosave("1"), (200, "{\"version\":2}".to_string()));
    assert_eq!(autosave("1").0, 409, "a stale autosave is refused, not applied");
}

#[test]
fn the_secretariat_opens_the_next_cycle_in_the_browser_with_the_questionnaire_copied() {
    let (app, s, _) = setup();
    let analyst = account(&app, &s, "analista@secretaria.org", &["--role", "analyst"]);
    let page = app.get_with("/es/cycles", &[("Cookie", &analyst)]);
    assert!(page.body.contains("value=\"2016\""), "the next year is proposed");
    let csrf = page.csrf();
    let bad = app.post_form(
        "/es/cycles",
        &analyst,
        &[("csrf", &csrf), ("year", "2016"), ("from", "2015"), ("deadline", "2019-01-01")],
    );
    assert_eq!(bad.status, 400);
    let opened = app.post_form(
        "/es/cycles",
        &analyst,
        &[("csrf", &csrf), ("year", "2016"), ("from", "2015"), ("deadline", "2016-06-30")],
    );
    assert_eq!((opened.status, opened.headers["location"].as_str()), (303, "/es/cycles/2016"));
    let cycles = s.open("c.db").cycles().unwrap();
    assert_eq!((cycles[0].year, cycles[0].questionnaire.version), (2016, 3), "copied from 2015's version 2");
}
