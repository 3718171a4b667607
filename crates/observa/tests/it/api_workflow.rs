//! The consultation's workflow through the API, as a State's systems and the secretariat's
//! scripts use it: cycles, every State's status, comments and replies, return and accept,
//! attachments, the report's editorial blocks. Every answer is checked against the OpenAPI
//! document, and every authenticated operation the document lists is called here.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::consultation::{account, setup};
use crate::openapi::check;
use crate::web::TestApp;

/// One answer: status, headers (lower-case names), body.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// Calls the API and checks the answer against the document: its status must be documented for
/// `operation` (a path template), and a JSON body must match that status's schema.
struct Client<'a> {
    app: &'a TestApp,
    doc: Value,
    called: BTreeSet<(String, String)>,
}

impl<'a> Client<'a> {
    fn new(app: &'a TestApp) -> Self {
        Client { app, doc: app.get("/api/v1/openapi.json").json(), called: BTreeSet::new() }
    }

    fn call(&mut self, method: &str, operation: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let reply = if body.len() > 1 << 20 {
            Self::large(self.app, method, url, headers, body)
        } else {
            self.send(method, url, headers, body)
        };
        self.answered(method, operation, url, reply)
    }

    /// A large body goes as curl sends one (`Expect: 100-continue`): a server that refuses it
    /// early closes the connection.
    fn large(app: &TestApp, method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let (status, kind, text) = crate::openapi::call(app, method, url, headers, body);
        Reply { status, headers: vec![("content-type".into(), kind)], body: text.into_bytes() }
    }

    fn send(&self, method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let request = ureq::http::Request::builder().method(method).uri(format!("{}/api/v1{url}", self.app.base));
        let request = headers.iter().fold(request, |r, (k, v)| r.header(*k, *v));
        let mut response = agent.run(request.body(body.to_vec()).unwrap()).unwrap();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_lowercase(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let bytes = response.body_mut().with_config().limit(1 << 24).read_to_vec().unwrap_or_default();
        Reply { status: response.status().as_u16(), headers, body: bytes }
    }

    fn answered(&mut self, method: &str, operation: &str, url: &str, reply: Reply) -> Reply {
        let documented = &self.doc["paths"][operation][method.to_lowercase()]["responses"][reply.status.to_string()];
        assert!(!documented.is_null(), "{method} {url} answered {}, not documented for {operation}", reply.status);
        let kind = reply.header("content-type").unwrap_or("");
        if kind.starts_with("application/json") {
            let mut errors = Vec::new();
            check(&self.doc, &documented["content"]["application/json"]["schema"], &reply.json(), url, &mut errors);
            assert!(errors.is_empty(), "{method} {url} ({}) does not match the document: {errors:?}", reply.status);
        } else {
            assert!(reply.status < 300, "{method} {url}: a refusal that is not JSON ({kind})");
        }
        // What an account may see is never kept by a cache (a write's answer is not kept anyway).
        if (reply.status < 300 || method == "GET") && reply.headers.len() > 1 {
            assert_eq!(reply.header("cache-control"), Some("no-store"), "{method} {url}");
        }
        self.called.insert((method.to_lowercase(), operation.to_string()));
        reply
    }

    fn json(&mut self, method: &str, operation: &str, url: &str, auth: &[(&str, &str)], body: Value) -> Reply {
        let mut headers = auth.to_vec();
        headers.push(("Content-Type", "application/json"));
        self.call(method, operation, url, &headers, body.to_string().as_bytes())
    }
}

/// An analyst's session cookie (the binary makes the account; the first password is replaced).
fn analyst(app: &TestApp, s: &crate::Scratch) -> String {
    account(app, s, "analista@secretaria.org", &["--role", "analyst"])
}

/// Chile's officer saves complete answers and submits them (the existing operations).
fn submit_chile(client: &mut Client, officer: &[(&str, &str)]) {
    const ONE: &str = "/cycles/{year}/responses/{state}";
    let draft = client.call("GET", ONE, "/cycles/2015/responses/CL", officer, b"").json();
    let mut answers = draft["answers"].clone();
    answers["prevention.included"] = json!("yes");
    answers["recovery.services_exist"] = json!("yes");
    let version = format!("\"v{}\"", draft["version"]);
    let mut h = officer.to_vec();
    h.push(("If-Match", &version));
    let saved = client.json("PUT", ONE, "/cycles/2015/responses/CL", &h, json!({ "answers": answers }));
    assert_eq!(saved.status, 200);
    let version = saved.header("etag").unwrap().to_string();
    let mut h = officer.to_vec();
    h.push(("If-Match", &version));
    let submitted =
        client.call("POST", "/cycles/{year}/responses/{state}/submit", "/cycles/2015/responses/CL/submit", &h, b"");
    assert_eq!(submitted.status, 200, "{:?}", submitted.json());
}

#[test]
fn cycles_are_listed_to_any_account_and_opened_by_the_secretariat_only() {
    let (app, s, token) = setup();
    let mut client = Client::new(&app);
    let bearer = format!("Bearer {token}");
    let officer = [("Authorization", bearer.as_str())];
    let cookie = analyst(&app, &s);
    let secretariat = [("Cookie", cookie.as_str())];

    let listed = client.call("GET", "/cycles", "/cycles", &officer, b"");
    assert_eq!(listed.status, 200);
    let years: Vec<Value> = listed.json()["cycles"].as_array().unwrap().iter().map(|c| c["year"].clone()).collect();
    assert!(years.contains(&json!(2014)) && years.contains(&json!(2015)), "{years:?}");
    assert_eq!(client.call("GET", "/cycles", "/cycles", &[], b"").status, 401);

    let new = json!({ "year": 2016, "from": 2015, "deadline": "2016-06-30" });
    assert_eq!(client.json("POST", "/cycles", "/cycles", &officer, new.clone()).status, 403, "a liaison officer");
    let opened = client.json("POST", "/cycles", "/cycles", &secretariat, new.clone());
    assert_eq!(opened.status, 201);
    assert_eq!(opened.json()["year"], 2016);
    assert_eq!(opened.json()["deadline"], "2016-06-30");
    assert_eq!(client.json("POST", "/cycles", "/cycles", &secretariat, new).status, 409, "open already");
    let late = json!({ "year": 2017, "from": 2016, "deadline": "2019-01-01" });
    assert_eq!(client.json("POST", "/cycles", "/cycles", &secretariat, late).status, 400);
    let unknown = json!({ "year": 2017, "from": 1999, "deadline": "2017-06-30" });
    assert_eq!(client.json("POST", "/cycles", "/cycles", &secretariat, unknown).status, 400);
    assert_eq!(client.json("POST", "/cycles", "/cycles", &secretariat, json!({ "year": 2017 })).status, 422);
    let again = client.call("GET", "/cycles", "/cycles", &officer, b"").json();
    assert!(again["cycles"].as_array().unwrap().iter().any(|c| c["year"] == 2016));
}

#[test]
fn the_analyst_comments_the_officer_replies_then_return_resubmit_and_accept() {
    let (app, s, token) = setup();
    let mut client = Client::new(&app);
    let bearer = format!("Bearer {token}");
    let officer = [("Authorization", bearer.as_str())];
    let cookie = analyst(&app, &s);
    let secretariat = [("Cookie", cookie.as_str())];
    const COMMENTS: &str = "/cycles/{year}/responses/{state}/comments";
    const STATUS: &str = "/cycles/{year}/responses";
    const RETURN: &str = "/cycles/{year}/responses/{state}/return";
    const ACCEPT: &str = "/cycles/{year}/responses/{state}/accept";
    let status_of = |client: &mut Client, state: &str| -> Value {
        let list = client.call("GET", STATUS, "/cycles/2015/responses", &secretariat, b"").json();
        list["responses"].as_array().unwrap().iter().find(|r| r["state"] == state).unwrap()["status"].clone()
    };

    assert_eq!(status_of(&mut client, "CL"), "not-started");
    assert_eq!(client.call("GET", STATUS, "/cycles/2015/responses", &officer, b"").status, 403);
    assert_eq!(client.call("GET", STATUS, "/cycles/1999/responses", &secretariat, b"").status, 404);
    submit_chile(&mut client, &officer);
    assert_eq!(status_of(&mut client, "CL"), "submitted");

    // A reviewer's note on one question, the officer's reply on the same question.
    let note = json!({ "question": "plans.changes", "body": "Please name the chapter." });
    assert_eq!(client.json("POST", COMMENTS, "/cycles/2015/responses/CL/comments", &secretariat, note).status, 201);
    let reply = json!({ "question": "plans.changes", "body": "It is chapter 4." });
    let thread = client.json("POST", COMMENTS, "/cycles/2015/responses/CL/comments", &officer, reply);
    assert_eq!(thread.status, 201);
    let bodies: Vec<Value> = thread.json()["comments"].as_array().unwrap().iter().map(|c| c["body"].clone()).collect();
    assert_eq!(bodies, [json!("Please name the chapter."), json!("It is chapter 4.")]);
    let listed = client.call("GET", COMMENTS, "/cycles/2015/responses/CL/comments", &officer, b"").json();
    assert_eq!(listed["comments"][1]["author"], "enlace@gob.cl");
    let other = json!({ "question": "general", "body": "Hola" });
    assert_eq!(client.json("POST", COMMENTS, "/cycles/2015/responses/PE/comments", &officer, other).status, 403);
    let nowhere = json!({ "question": "no.such", "body": "?" });
    assert_eq!(client.json("POST", COMMENTS, "/cycles/2015/responses/CL/comments", &officer, nowhere).status, 400);
    let empty = json!({ "question": "general", "body": "  " });
    assert_eq!(client.json("POST", COMMENTS, "/cycles/2015/responses/CL/comments", &officer, empty).status, 400);
    assert_eq!(client.call("GET", COMMENTS, "/cycles/2015/responses/XX/comments", &officer, b"").status, 404);
    assert_eq!(client.call("GET", COMMENTS, "/cycles/2015/responses/CL/comments", &[], b"").status, 401);

    // Return: the secretariat only, with a comment, and only a submitted response.
    let why = json!({ "comment": "Add the 2015 law." });
    assert_eq!(client.json("POST", RETURN, "/cycles/2015/responses/CL/return", &officer, why.clone()).status, 403);
    let silent = json!({ "comment": "" });
    assert_eq!(client.json("POST", RETURN, "/cycles/2015/responses/CL/return", &secretariat, silent).status, 400);
    let returned = client.json("POST", RETURN, "/cycles/2015/responses/CL/return", &secretariat, why.clone());
    assert_eq!((returned.status, returned.json()["status"].clone()), (200, json!("returned")));
    assert_eq!(status_of(&mut client, "CL"), "returned");
    assert_eq!(client.json("POST", RETURN, "/cycles/2015/responses/CL/return", &secretariat, why).status, 409);
    assert_eq!(client.json("POST", ACCEPT, "/cycles/2015/responses/CL/accept", &secretariat, json!({})).status, 409);

    // Resubmitted, then accepted: the registry's reading of 2015 has the answers' source.
    submit_chile(&mut client, &officer);
    assert_eq!(client.json("POST", ACCEPT, "/cycles/2015/responses/CL/accept", &officer, json!({})).status, 403);
    let accepted =
        client.json("POST", ACCEPT, "/cycles/2015/responses/CL/accept", &secretariat, json!({ "comment": "Thanks." }));
    assert_eq!((accepted.status, accepted.json()["status"].clone()), (200, json!("accepted")));
    assert_eq!(status_of(&mut client, "CL"), "accepted");
    let thread = client.call("GET", COMMENTS, "/cycles/2015/responses/CL/comments", &secretariat, b"").json();
    assert!(thread["comments"].as_array().unwrap().iter().any(|c| c["body"] == "Thanks."), "{thread}");
}

#[test]
fn attachments_are_uploaded_listed_and_downloaded_by_those_who_may_read_the_answers() {
    let (app, s, token) = setup();
    let mut client = Client::new(&app);
    let bearer = format!("Bearer {token}");
    let officer = [("Authorization", bearer.as_str())];
    let cookie = analyst(&app, &s);
    let secretariat = [("Cookie", cookie.as_str())];
    const LIST: &str = "/cycles/{year}/responses/{state}/attachments";
    const ONE: &str = "/cycles/{year}/responses/{state}/attachments/{id}";
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

    let url = "/cycles/2015/responses/CL/attachments?name=informe%202015.pdf";
    let uploaded = client.call("POST", LIST, url, &officer, pdf);
    assert_eq!(uploaded.status, 201, "{:?}", uploaded.json());
    let record = uploaded.json();
    assert_eq!(
        (record["name"].clone(), record["media_type"].clone()),
        (json!("informe 2015.pdf"), json!("application/pdf"))
    );
    assert_eq!(record["size"], pdf.len());
    let listed = client.call("GET", LIST, "/cycles/2015/responses/CL/attachments", &secretariat, b"").json();
    assert_eq!(listed["attachments"].as_array().unwrap().len(), 1);

    let one = format!("/cycles/2015/responses/CL/attachments/{}", record["id"]);
    let file = client.call("GET", ONE, &one, &officer, b"");
    assert_eq!(file.status, 200);
    assert_eq!(file.body, pdf);
    assert_eq!(file.header("content-type"), Some("application/pdf"));
    assert!(file.header("content-disposition").unwrap().contains("informe 2015.pdf"));
    assert_eq!(client.call("GET", ONE, &one, &[], b"").status, 401);
    assert_eq!(client.call("GET", ONE, "/cycles/2015/responses/CL/attachments/999", &officer, b"").status, 404);

    let disguised =
        client.call("POST", LIST, "/cycles/2015/responses/CL/attachments?name=a.pdf", &officer, b"just text");
    assert_eq!(disguised.status, 415);
    assert_eq!(
        client.call("POST", LIST, "/cycles/2015/responses/CL/attachments", &officer, pdf).status,
        400,
        "no name"
    );
    let elsewhere = client.call("POST", LIST, "/cycles/2015/responses/AR/attachments?name=a.pdf", &officer, pdf);
    assert_eq!(elsewhere.status, 403);
    assert_eq!(client.call("GET", LIST, "/cycles/2015/responses/AR/attachments", &officer, b"").status, 403);
    let big = vec![b'%'; 3 * 1024 * 1024];
    let large = client.call("POST", LIST, "/cycles/2015/responses/CL/attachments?name=big.pdf", &officer, &big);
    assert_eq!(large.status, 413);
}

#[test]
fn an_editorial_block_is_saved_with_the_version_it_started_from() {
    let (app, s, token) = setup();
    let mut client = Client::new(&app);
    let bearer = format!("Bearer {token}");
    let officer = [("Authorization", bearer.as_str())];
    let cookie = analyst(&app, &s);
    const LIST: &str = "/editorial/{cycle}";
    const ONE: &str = "/editorial/{cycle}/{key}/{lang}";

    let listed = client.call("GET", LIST, "/editorial/2014", &[("Cookie", cookie.as_str())], b"").json();
    assert_eq!(listed["keys"][0], "introduction");
    let block = listed["blocks"].as_array().unwrap().iter().find(|b| b["key"] == "introduction" && b["lang"] == "en");
    let version = block.map_or(0, |b| b["version"].as_i64().unwrap());
    assert_eq!(client.call("GET", LIST, "/editorial/2014", &officer, b"").status, 403);

    let tag = format!("\"v{version}\"");
    fn with<'a>(cookie: &'a str, tag: &'a str) -> [(&'static str, &'a str); 2] {
        [("Cookie", cookie), ("If-Match", tag)]
    }
    let text = json!({ "body": "The 2014 report, revised through the API." });
    let saved = client.json("PUT", ONE, "/editorial/2014/introduction/en", &with(&cookie, &tag), text.clone());
    assert_eq!(saved.status, 200);
    assert_eq!(saved.json()["version"], version + 1);
    assert_eq!(saved.header("etag"), Some(format!("\"v{}\"", version + 1).as_str()));
    let stale = client.json("PUT", ONE, "/editorial/2014/introduction/en", &with(&cookie, &tag), text.clone());
    assert_eq!(stale.status, 412);
    assert_eq!(stale.header("etag"), Some(format!("\"v{}\"", version + 1).as_str()), "names the current version");
    let none = [("Cookie", cookie.as_str())];
    assert_eq!(client.json("PUT", ONE, "/editorial/2014/introduction/en", &none, text.clone()).status, 428);
    assert_eq!(
        client.json("PUT", ONE, "/editorial/2014/preface/en", &with(&cookie, "\"v0\""), text.clone()).status,
        404
    );
    let mut as_officer = officer.to_vec();
    as_officer.push(("If-Match", "\"v0\""));
    assert_eq!(client.json("PUT", ONE, "/editorial/2014/methodology/es", &as_officer, text).status, 403);
    // The report is composed anew with the saved text.
    let report = app.get("/en/analysis/report/2014");
    assert!(report.body.contains("revised through the API"), "the report shows the new introduction");
}

#[test]
fn every_authenticated_operation_of_the_document_is_exercised_here() {
    let app = TestApp::spawn();
    let doc = app.get("/api/v1/openapi.json").json();
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if operation.get("security").is_some() {
                documented.insert((method.clone(), path.clone()));
            }
        }
    }
    // The operations the tests above (and `consultation::`, `translations::`, `monitoring_web::`)
    // call, by method and path.
    let exercised: BTreeSet<(String, String)> = [
        ("get", "/cycles"),
        ("post", "/cycles"),
        ("get", "/cycles/{year}/responses"),
        ("get", "/cycles/{year}/responses/{state}"),
        ("put", "/cycles/{year}/responses/{state}"),
        ("post", "/cycles/{year}/responses/{state}/submit"),
        ("get", "/cycles/{year}/responses/{state}/comments"),
        ("post", "/cycles/{year}/responses/{state}/comments"),
        ("post", "/cycles/{year}/responses/{state}/return"),
        ("post", "/cycles/{year}/responses/{state}/accept"),
        ("get", "/cycles/{year}/responses/{state}/attachments"),
        ("post", "/cycles/{year}/responses/{state}/attachments"),
        ("get", "/cycles/{year}/responses/{state}/attachments/{id}"),
        ("get", "/editorial/{cycle}"),
        ("put", "/editorial/{cycle}/{key}/{lang}"),
        ("get", "/translations/pending"),
        ("put", "/translations/{state}/{table}/{record}/{field}/{lang}"),
        // monitoring_web::the_api_writes_a_matrix_and_a_report_and_shows_only_approved_values
        ("put", "/plans/{id}/matrix"),
        ("put", "/plans/{id}/reports/{indicator}/{period}"),
        ("post", "/plans/{id}/reports/{indicator}/{period}/decision"),
        ("post", "/plans/{id}/actions/{action}/status"),
    ]
    .into_iter()
    .map(|(m, p)| (m.to_string(), p.to_string()))
    .collect();
    assert_eq!(documented, exercised, "a documented operation without a test here, or a test of an undocumented one");
}
