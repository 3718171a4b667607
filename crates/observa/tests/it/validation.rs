//! One validation policy for every channel, and output that is always made (issue #9, items 2 and
//! 11): the server's own pre-filled answers go back unchanged through the API and the form for
//! every State; an answer of control characters is refused by the API, the form, autosave and
//! an uploaded workbook, and nothing is saved; an import with a 20 MB name or control characters
//! is refused naming the record and field; a text longer than a spreadsheet cell still lets the
//! portal start, its workbook open (cut, with a mark) and an accept answer a redirect.

use std::process::Command;

use observa_domain::consultation::{Answers, Draft, Status, Value as Answer};
use serde_json::{json, Value};

use crate::web::TestApp;
use crate::{copy_data, text, Scratch};

/// Runs the binary on the scratch database `c.db`; its standard output, or the test fails.
fn run(s: &Scratch, args: &[&str]) -> String {
    let out = s.observa("c.db", args);
    assert!(out.status.success(), "{args:?}: {}", text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A database made by the binary with the bundled data and cycle 2015 open.
pub(crate) fn cycle_2015() -> Scratch {
    let s = Scratch::new();
    run(&s, &["cycle", "open", "--year", "2015", "--from", "2014", "--deadline", "2015-06-30"]);
    s
}

/// An analyst, who answers for every State: signed in (first password replaced, second factor
/// set up) and with a personal API token. Returns the session cookie and the `Bearer` header.
pub(crate) fn analyst(app: &TestApp, s: &Scratch) -> (String, String) {
    let email = "analista@secretaria.org";
    let added = run(s, &["user", "add", "--email", email, "--role", "analyst"]);
    let first = added.lines().last().unwrap().rsplit(": ").next().unwrap().trim().to_string();
    let cookie = crate::accounts::sign_in_with_first_password(app, email, &first);
    let token = run(s, &["token", "create", "--email", email]).lines().last().unwrap().trim().to_string();
    (cookie, format!("Bearer {token}"))
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into()
}

/// A call of the answers' API: status, ETag and JSON body.
pub(crate) fn api(
    app: &TestApp,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> (u16, String, Value) {
    let url = format!("{}{path}", app.base);
    let agent = agent();
    let mut response = if method == "GET" {
        let mut r = agent.get(&url);
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        r.call().unwrap()
    } else {
        let mut r = if method == "PUT" { agent.put(&url) } else { agent.post(&url) };
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        match body {
            Some(b) => r.header("Content-Type", "application/json").send(b.to_string()).unwrap(),
            None => r.send_empty().unwrap(),
        }
    };
    let etag = response.headers().get("etag").map_or(String::new(), |v| v.to_str().unwrap().to_string());
    let text = response.body_mut().with_config().limit(50 * 1024 * 1024).read_to_string().unwrap_or_default();
    (response.status().as_u16(), etag, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Answers as the form sends them: `a|question`, `a|question|item`, `a|question|row|column`.
pub(crate) fn form_fields(answers: &Value) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for (q, value) in answers.as_object().unwrap() {
        match value {
            Value::String(t) => fields.push((format!("a|{q}"), t.clone())),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::String(t) => fields.push((format!("a|{q}|{i}"), t.clone())),
                        Value::Object(row) => {
                            for (c, cell) in row {
                                fields.push((format!("a|{q}|{i}|{c}"), cell.as_str().unwrap().to_string()));
                            }
                        }
                        other => panic!("{q}: {other}"),
                    }
                }
            }
            other => panic!("{q}: {other}"),
        }
    }
    fields
}

pub(crate) fn post_form(app: &TestApp, path: &str, cookie: &str, fields: &[(String, String)]) -> crate::web::Answer {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.post_form(path, cookie, &fields)
}

#[test]
fn every_state_s_prefilled_answers_go_back_unchanged_through_the_api_and_the_form() {
    let s = cycle_2015();
    let app = TestApp::spawn_on(s.open("c.db"));
    let (cookie, bearer) = analyst(&app, &s);
    let states: Vec<String> =
        crate::bundled().states.iter().filter(|s| s.code.is_oas_member()).map(|s| s.code.to_string()).collect();
    assert_eq!(states.len(), 35);
    let mut refused = Vec::new();
    for state in &states {
        let path = format!("/api/v1/cycles/2015/responses/{state}");
        let (status, etag, body) = api(&app, "GET", &path, &[("Authorization", &bearer)], None);
        assert_eq!((status, etag.as_str()), (200, "\"v0\""), "{state}: {body}");
        assert_eq!(body["issues"], json!([]), "{state}: the server proposes nothing it would refuse");
        let headers = [("Authorization", bearer.as_str()), ("If-Match", etag.as_str())];
        let (status, _, saved) = api(&app, "PUT", &path, &headers, Some(json!({ "answers": body["answers"] })));
        if status != 200 {
            refused.push(format!("API {state}: {status} {saved}"));
            continue;
        }
        assert_eq!(saved["answers"], body["answers"], "{state}: saved as sent");
        let form = format!("/en/cycles/2015/responses/{state}");
        let page = app.get_with(&form, &[("Cookie", &cookie)]);
        assert_eq!(page.status, 200, "{state}");
        let mut fields =
            vec![("csrf".to_string(), page.csrf()), ("version".into(), "1".into()), ("action".into(), "save".into())];
        fields.extend(form_fields(&body["answers"]));
        let posted = post_form(&app, &form, &cookie, &fields);
        if posted.status != 303 {
            refused.push(format!("form {state}: {}", posted.status));
        }
    }
    assert!(refused.is_empty(), "{refused:#?}");
}

/// Sends a file as a browser's multipart form would; the status and the page.
pub(crate) fn upload(app: &TestApp, path: &str, cookie: &str, csrf: &str, bytes: &[u8]) -> (u16, String) {
    let boundary = "----observa-validation-boundary";
    let mut body = Vec::new();
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n").as_bytes());
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"answers.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .as_bytes(),
    );
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut r = agent()
        .post(format!("{}{path}", app.base))
        .header("Cookie", cookie)
        .header("Content-Type", format!("multipart/form-data; boundary={boundary}"))
        .send(&body[..])
        .unwrap();
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap_or_default())
}

#[test]
fn an_answer_of_control_characters_is_refused_by_the_api_the_form_autosave_and_the_workbook() {
    let s = cycle_2015();
    let app = TestApp::spawn_on(s.open("c.db"));
    let (cookie, bearer) = analyst(&app, &s);
    let hostile = "\u{1}".repeat(5_600);
    let api_path = "/api/v1/cycles/2015/responses/CL";
    let (_, _, body) = api(&app, "GET", api_path, &[("Authorization", &bearer)], None);
    let mut answers = body["answers"].clone();
    answers["plans.changes"] = json!(hostile);

    let headers = [("Authorization", bearer.as_str()), ("If-Match", "\"v0\"")];
    let (status, _, refused) = api(&app, "PUT", api_path, &headers, Some(json!({ "answers": answers })));
    assert_eq!(status, 422, "{}", refused["issues"]);
    assert_eq!(
        (refused["issues"][0]["question"].as_str(), refused["issues"][0]["code"].as_str()),
        (Some("plans.changes"), Some("bad-character"))
    );
    assert!(refused["issues"][0]["detail"].as_str().unwrap().contains("U+0001"), "{}", refused["issues"]);

    let form = "/en/cycles/2015/responses/CL";
    let csrf = app.get_with(form, &[("Cookie", &cookie)]).csrf();
    let mut fields =
        vec![("csrf".to_string(), csrf.clone()), ("version".into(), "0".into()), ("action".into(), "save".into())];
    fields.extend(form_fields(&answers));
    let posted = post_form(&app, form, &cookie, &fields);
    assert_eq!(posted.status, 422, "the form is refused");
    assert!(
        posted.body.contains("A character that is not allowed") && posted.body.contains("U+0001"),
        "the message beside the question"
    );
    assert!(posted.body.contains("name=\"a|plans.changes\""), "the form comes back to be corrected");

    let mut autosave = agent()
        .post(format!("{}{form}", app.base))
        .header("Cookie", &cookie)
        .header("X-Autosave", "1")
        .send_form(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .unwrap();
    assert_eq!(autosave.status().as_u16(), 422, "autosave is refused");
    let answer: Value = serde_json::from_str(&autosave.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(answer["issues"][0]["question"], "plans.changes", "{answer}");

    // A workbook whose answer cell holds the characters (rust_xlsxwriter writes them as
    // `_x0001_`, which spreadsheet readers turn back into U+0001).
    let store = s.open("c.db");
    let cycle = store.cycles().unwrap().into_iter().find(|c| c.year == 2015).unwrap();
    let draft = Draft {
        cycle: 2015,
        state: "CL".into(),
        status: Status::NotStarted,
        answers: Answers::from([("plans.changes".to_string(), Answer::Text(hostile.clone()))]),
        version: 0,
        updated_at: String::new(),
        updated_by: String::new(),
    };
    let lang = observa_web::Lang(observa_domain::Lang::En);
    let book = observa_web::workbook::build(&cycle.questionnaire, &draft, "Chile", lang).unwrap();
    let (status, report) = upload(&app, &format!("{form}/workbook"), &cookie, &csrf, &book);
    assert_eq!(status, 422, "{report}");
    assert!(report.contains("plans.changes") && report.contains("U+0001") && report.contains("Nothing was saved"));

    let (_, etag, now) = api(&app, "GET", api_path, &[("Authorization", &bearer)], None);
    assert_eq!(etag, "\"v0\"", "none of them saved anything");
    assert_eq!(store.draft(2015, "CL").unwrap(), None);
    assert_ne!(now["answers"]["plans.changes"], json!(hostile));
}

#[test]
fn an_import_with_a_huge_name_or_control_characters_is_refused_naming_record_and_field() {
    let s = Scratch::new();
    let (before, after, bad) = (s.path("before.json"), s.path("after.json"), s.path("bad.json"));
    let export = |to: &std::path::Path| {
        let out =
            s.observa("a.db", &["export", "--format", "json", "--out", to.to_str().unwrap(), "--as-of", "2026-01-01"]);
        assert!(out.status.success(), "{}", text(&out));
    };
    export(&before);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&before).unwrap()).unwrap();

    let mut huge = doc.clone();
    let plan = huge["plans"][0]["id"].as_str().unwrap().to_string();
    huge["plans"][0]["name"] = json!("n".repeat(20 * 1024 * 1024));
    std::fs::write(&bad, huge.to_string()).unwrap();
    let out = s.observa("a.db", &["import", bad.to_str().unwrap()]);
    let shown = text(&out);
    assert!(!out.status.success());
    assert!(
        shown.contains(&format!("plans.{plan}.name: 20971520 characters; at most 1000")),
        "{}",
        &shown[..shown.len().min(2000)]
    );
    assert!(shown.len() < 10_000, "the name is not echoed back");

    let mut control = doc.clone();
    let law = control["laws"][0]["id"].as_str().unwrap().to_string();
    control["laws"][0]["title"] = json!("Ley\u{1}\u{1}");
    std::fs::write(&bad, control.to_string()).unwrap();
    let out = s.observa("a.db", &["import", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out).contains(&format!("laws.{law}.title: character U+0001")), "{}", text(&out));

    // A data folder (the form the bundled data has) is held to the same policy.
    let data = s.path("data");
    copy_data(&data);
    let file = data.join("states/CL.toml");
    let toml = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, toml.replacen("name = \"", "name = \"\\u0007", 1)).unwrap();
    let out = s.observa("a.db", &["import", data.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out).contains(".name: character U+0007"), "{}", text(&out));

    export(&after);
    assert_eq!(std::fs::read_to_string(&before).unwrap(), std::fs::read_to_string(&after).unwrap(), "nothing changed");
}

/// Python with openpyxl, or None (and why) when it is missing, unless tools are required.
fn openpyxl() -> Option<String> {
    let python = std::env::var("OBSERVA_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Command::new(&python).args(["-c", "import openpyxl"]).output().is_ok_and(|o| o.status.success());
    if !ok {
        let message = format!("{python} lacks openpyxl: run `bash scripts/test.sh`, which installs it");
        assert!(std::env::var("OBSERVA_REQUIRE_TOOLS").is_err(), "{message}");
        eprintln!("NOT RUN (the openpyxl part): {message}");
    }
    ok.then_some(python)
}

const CELLS: &str = "import sys, openpyxl, json\n\
    wb = openpyxl.load_workbook(sys.argv[1], read_only=True)\n\
    cells = [c for row in wb['members'].iter_rows(values_only=True) for c in row if isinstance(c, str) and 'componente' in c]\n\
    print(json.dumps({'cells': len(cells), 'ends': [c[-60:] for c in cells], 'longest': max(len(c) for c in cells)}))";

#[test]
fn a_text_longer_than_a_spreadsheet_cell_still_builds_the_portal_its_workbook_and_an_accept() {
    let s = cycle_2015();
    let mut store = s.open("c.db");
    let mut ds = store.load().unwrap();
    let member = ds.members.iter_mut().find(|m| m.state.as_str() == "CL").unwrap();
    // Three components within the text policy, 43,000 characters together in one cell.
    member.components = vec!["componente ".repeat(1_300); 3];
    assert_eq!(ds.validate(), vec![], "a valid registry");
    store.replace_all(&ds, "a long text").unwrap();
    drop(store);
    let app = TestApp::spawn_on(s.open("c.db"));

    let mut got = agent().get(format!("{}/downloads/observa.xlsx", app.base)).call().unwrap();
    assert_eq!(got.status().as_u16(), 200);
    let book = got.body_mut().with_config().limit(50 * 1024 * 1024).read_to_vec().unwrap();
    let csv = app.get("/downloads/csv/members.csv");
    assert_eq!(csv.status, 200);
    assert!(csv.body.matches("componente").count() >= 3 * 1_300, "the CSV has the whole text");
    if let Some(python) = openpyxl() {
        let path = s.path("observa.xlsx");
        std::fs::write(&path, &book).unwrap();
        let out = Command::new(&python).args(["-c", CELLS]).arg(&path).output().unwrap();
        let cells: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
        assert_eq!(cells["cells"], 1, "{cells}");
        assert!(
            cells["ends"][0].as_str().unwrap().ends_with("… [truncated: full text in the CSV/JSON download]"),
            "{cells}"
        );
        assert!(cells["longest"].as_u64().unwrap() <= 32_767, "{cells}");
    }

    // An accept with that registry commits and answers a redirect (its refresh rebuilds the files).
    let (cookie, bearer) = analyst(&app, &s);
    let path = "/api/v1/cycles/2015/responses/CL";
    let (_, _, body) = api(&app, "GET", path, &[("Authorization", &bearer)], None);
    let mut answers = body["answers"].clone();
    answers["prevention.included"] = json!("yes");
    answers["recovery.services_exist"] = json!("yes");
    answers["plans.changes"] = json!("Cambios del plan 2015.");
    let headers = [("Authorization", bearer.as_str()), ("If-Match", "\"v0\"")];
    assert_eq!(api(&app, "PUT", path, &headers, Some(json!({ "answers": answers }))).0, 200);
    let headers = [("Authorization", bearer.as_str()), ("If-Match", "\"v1\"")];
    let (status, _, submitted) = api(&app, "POST", &format!("{path}/submit"), &headers, None);
    assert_eq!(status, 200, "{submitted}");
    let review = app.get_with("/en/cycles/2015/review/CL", &[("Cookie", &cookie)]);
    let accepted = app.post_form(
        "/en/cycles/2015/review/CL/decision",
        &cookie,
        &[("csrf", &review.csrf()), ("decision", "accept")],
    );
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let store = s.open("c.db");
    assert_eq!(store.draft(2015, "CL").unwrap().unwrap().status, Status::Accepted);
    let plan = store.load().unwrap().plans.into_iter().find(|p| p.state.as_str() == "CL" && p.last_approved).unwrap();
    assert_eq!(plan.changes_from_previous.as_deref(), Some("Cambios del plan 2015."));
    let shown = app.get(&format!("/api/v1/plans/{}", plan.id));
    assert!(shown.body.contains("Cambios del plan 2015."), "the portal serves the accepted answer: {}", shown.body);
    assert_eq!(app.get("/downloads/observa.xlsx").status, 200);
}
