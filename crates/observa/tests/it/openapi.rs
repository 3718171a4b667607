//! The OpenAPI document describes exactly what the API does: every documented operation is
//! called and its real answer is checked against the documented schema. The document is
//! generated from the server's code (OpenAPI 3.1); these tests read it as a client would.

use serde_json::Value;

use crate::web::TestApp;

/// Checks `value` against the subset of OpenAPI schemas the document uses (3.1, and 3.0's
/// `nullable`).
pub(crate) fn check(doc: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        return check(doc, &doc["components"]["schemas"][name], value, at, errors);
    }
    if let Some(all) = schema["allOf"].as_array() {
        for s in all {
            check(doc, s, value, at, errors);
        }
    }
    // One alternative must match (`oneOf` is read as `anyOf`: the document's alternatives of a
    // value are a null and one schema, or a date and a status word).
    for key in ["oneOf", "anyOf"] {
        if let Some(alternatives) = schema[key].as_array() {
            let fits = |s: &Value| {
                let mut e = Vec::new();
                check(doc, s, value, at, &mut e);
                e.is_empty()
            };
            if !alternatives.iter().any(fits) {
                errors.push(format!("{at}: {value} matches none of {key} {alternatives:?}"));
            }
        }
    }
    // `type` is one name or, in 3.1, a list of them (`["string", "null"]` for a nullable one).
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if value.is_null() {
        let nullable = schema["nullable"].as_bool().unwrap_or(false) || types.contains(&"null");
        if !nullable && !types.is_empty() {
            errors.push(format!("{at}: null but not nullable"));
        }
        return;
    }
    let type_ok = types.is_empty()
        || types.iter().any(|t| match *t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            _ => false,
        });
    if !type_ok {
        errors.push(format!("{at}: expected {}, got {value}", schema["type"]));
        return;
    }
    if let Some(options) = schema["enum"].as_array() {
        if !options.contains(value) {
            errors.push(format!("{at}: {value} is not one of {options:?}"));
        }
    }
    if let (Some(pattern), Some(s)) = (schema["pattern"].as_str(), value.as_str()) {
        // The document's patterns are ISO dates and State codes: check their shape.
        let ok = if pattern.contains("A-Z") {
            s.len() == 2 && s.chars().all(|c| c.is_ascii_uppercase())
        } else {
            [4, 7, 10].contains(&s.len()) && s[..4].chars().all(|c| c.is_ascii_digit())
        };
        if !ok {
            errors.push(format!("{at}: `{s}` does not match {pattern}"));
        }
    }
    for required in schema["required"].as_array().into_iter().flatten() {
        if value.get(required.as_str().unwrap()).is_none() {
            errors.push(format!("{at}: missing required `{required}`"));
        }
    }
    if let (Some(props), Some(object)) = (schema["properties"].as_object(), value.as_object()) {
        for (k, v) in object {
            if let Some(s) = props.get(k) {
                check(doc, s, v, &format!("{at}.{k}"), errors);
            }
        }
    }
    if let (Some(extra), Some(object)) =
        (schema.get("additionalProperties").filter(|e| e.is_object()), value.as_object())
    {
        for (k, v) in object {
            check(doc, extra, v, &format!("{at}.{k}"), errors);
        }
    }
    if let Some(items) = value.as_array() {
        for (i, v) in items.iter().enumerate() {
            check(doc, &schema["items"], v, &format!("{at}[{i}]"), errors);
        }
    }
}

#[test]
fn every_documented_operation_answers_as_documented() {
    let app = TestApp::spawn();
    let doc = app.get("/api/v1/openapi.json").json();
    assert_eq!(doc["openapi"], "3.1.0");
    // Answers compose records with more fields (a body with its members): no schema may close
    // an object to fields it does not list.
    assert!(!doc.to_string().contains(r#""additionalProperties":false"#), "a closed schema");
    let body = crate::bundled().bodies[0].id.clone();
    let samples = |path: &str| -> Vec<String> {
        match path {
            "/states" => vec!["/states".into(), "/states?as_of=2014".into()],
            "/states/{code}" => {
                vec!["/states/CL".into(), "/states/br".into(), "/states/BS".into(), "/states/CL?as_of=2014".into()]
            }
            "/plans/{id}" => {
                vec!["/plans/cl-segundo-marco-2012".into(), "/plans/cl-segundo-marco-2012?as_of=2014".into()]
            }
            "/bodies/{id}" => vec![format!("/bodies/{body}"), format!("/bodies/{body}?as_of=now")],
            "/plans/{id}/monitoring" => vec!["/plans/cl-segundo-marco-2012/monitoring".into()],
            "/agencies/{id}" => vec!["/agencies/unicef".into(), "/agencies/ilo".into()],
            "/ratifications" => vec![
                "/ratifications".into(),
                "/ratifications?state=LC&treaty=PALERMO".into(),
                "/ratifications?as_of=2014".into(),
            ],
            "/reporting" => vec!["/reporting".into(), "/reporting?state=US".into(), "/reporting?as_of=2014".into()],
            "/changes" => vec!["/changes".into(), "/changes?from=2014&to=now&state=CL".into()],
            "/search" => vec!["/search?q=trata".into(), "/search?q=unicef&kind=agency&limit=5".into()],
            other => vec![other.to_string()],
        }
    };
    // The operations that need an account say so (`security`): `api_workflow::` and
    // `consultation::` call them; every other one is called here.
    let open = |item: &Value| item.as_object().unwrap().values().all(|operation| operation["security"].is_null());
    let public: Vec<_> = doc["paths"].as_object().unwrap().iter().filter(|(_, item)| open(item)).collect();
    assert_eq!(public.len(), 13, "{:?}", public.iter().map(|(p, _)| p).collect::<Vec<_>>());
    for (path, item) in public {
        assert!(item["get"].is_object(), "{path}: the public operations are reads");
        let schema = &item["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        for url in samples(path) {
            let answer = app.get(&format!("/api/v1{url}"));
            assert_eq!(answer.status, 200, "{url}");
            let mut errors = Vec::new();
            check(&doc, schema, &answer.json(), &url, &mut errors);
            assert!(errors.is_empty(), "{url} does not match its schema:\n{}", errors.join("\n"));
        }
        for code in ["400", "404"] {
            if item["get"]["responses"].get(code).is_some() {
                assert!(item["get"]["responses"][code]["content"]["application/json"]["schema"]["$ref"].is_string());
            }
        }
    }
    // A documented error answer matches the Error schema.
    let mut errors = Vec::new();
    check(
        &doc,
        &serde_json::json!({"$ref": "#/components/schemas/Error"}),
        &app.get("/api/v1/states/XX").json(),
        "error",
        &mut errors,
    );
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn the_checker_itself_catches_a_mismatch() {
    let doc = serde_json::json!({"components": {"schemas": {}}});
    let schema = serde_json::json!({"type": "object", "required": ["state"], "properties": {"state": {"type": "string", "pattern": "^[A-Z]{2}$"}, "n": {"type": "integer"}}});
    let mut errors = Vec::new();
    check(&doc, &schema, &serde_json::json!({"state": "chile", "n": "3"}), "x", &mut errors);
    assert_eq!(errors.len(), 2, "{errors:?}");
    errors.clear();
    check(&doc, &schema, &serde_json::json!({"n": 3}), "x", &mut errors);
    assert_eq!(errors, ["x: missing required `\"state\"`"]);
}

/// One request to the API with any method, headers and body: status, content type, body.
pub(crate) fn call(
    app: &TestApp,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String, String) {
    if body.len() > 1 << 20 {
        return call_large(app, method, url, headers, body);
    }
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let request = ureq::http::Request::builder().method(method).uri(format!("{}/api/v1{url}", app.base));
    let request = headers.iter().fold(request, |r, (k, v)| r.header(*k, *v));
    let mut response =
        agent.run(request.body(body.to_vec()).unwrap()).unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let kind = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let text = response.body_mut().with_config().limit(1 << 20).read_to_string().unwrap_or_default();
    (response.status().as_u16(), kind, text)
}

/// A large body is sent as curl sends one, with `Expect: 100-continue`: only when the server
/// asks for it (a server that refuses it early closes the connection, which would break the
/// pipe of a client that writes first).
fn call_large(app: &TestApp, method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String, String) {
    use std::io::{BufRead, BufReader, Read, Write};
    let addr = app.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(60))).unwrap();
    let mut head = format!("{method} /api/v1{url} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    head += &format!("Content-Length: {}\r\nExpect: 100-continue\r\n", body.len());
    for (k, v) in headers {
        head += &format!("{k}: {v}\r\n");
    }
    stream.write_all(format!("{head}\r\n").as_bytes()).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let read_head = |reader: &mut BufReader<std::net::TcpStream>| -> (u16, Vec<String>) {
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line.trim().is_empty() {
                break;
            }
            lines.push(line.trim().to_string());
        }
        let status = lines[0].split(' ').nth(1).unwrap().parse().unwrap();
        (status, lines)
    };
    let (mut status, mut lines) = read_head(&mut reader);
    if status == 100 {
        let _ = stream.write_all(body);
        (status, lines) = read_head(&mut reader);
    }
    let kind = lines.iter().find_map(|l| l.to_lowercase().strip_prefix("content-type: ").map(str::to_string));
    let mut text = String::new();
    let _ = reader.read_to_string(&mut text);
    (status, kind.unwrap_or_default(), text)
}

/// A database with cycle 2015 and a liaison officer for Chile with an API token.
fn consultation() -> (TestApp, crate::Scratch, String) {
    let s = crate::Scratch::new();
    let run = |args: &[&str]| {
        let out = s.observa("c.db", args);
        assert!(out.status.success(), "{args:?}: {}", crate::text(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(&["cycle", "open", "--year", "2015", "--from", "2014", "--deadline", "2015-06-30"]);
    run(&["user", "add", "--email", "enlace@gob.cl", "--role", "liaison", "--state", "CL"]);
    let token = run(&["token", "create", "--email", "enlace@gob.cl"]).lines().last().unwrap().trim().to_string();
    let mut store = s.open("c.db");
    // A token works once the first password is changed, as the officer does at the first sign-in.
    let (officer, _) = observa_store::AccountStore::account_by_email(&*store, "enlace@gob.cl").unwrap().unwrap();
    let hash = observa_web::auth::hash_password("una clave propia 2015").unwrap();
    observa_store::AccountStore::set_password(&mut *store, officer.id, &hash, None, "enlace@gob.cl").unwrap();
    (TestApp::spawn_on(store), s, token)
}

#[test]
fn every_refusal_is_a_documented_status_with_a_json_problem_body() {
    let (app, _s, token) = consultation();
    let doc = app.get("/api/v1/openapi.json").json();
    let bearer = format!("Bearer {token}");
    let lower = format!("bearer {token}");
    let auth = ("Authorization", bearer.as_str());
    let json = ("Content-Type", "application/json");
    let ten_mb = vec![b' '; 10 * 1024 * 1024];
    let answers = br#"{"answers": {}}"#.as_slice();
    const ONE: &str = "/cycles/{year}/responses/{state}";
    const SUBMIT: &str = "/cycles/{year}/responses/{state}/submit";
    // (operation, method, url, headers, body, the status expected when there is only one)
    type Case<'a> = (&'a str, &'a str, &'a str, Vec<(&'a str, &'a str)>, &'a [u8], Option<u16>);
    #[rustfmt::skip]
    let cases: Vec<Case> = vec![
        (ONE, "GET", "/cycles/abc/responses/CL", vec![auth], b"", Some(400)),
        (ONE, "GET", "/cycles/99999999999/responses/CL", vec![auth], b"", Some(400)),
        (ONE, "GET", "/cycles/1999/responses/CL", vec![auth], b"", Some(404)),
        (ONE, "GET", "/cycles/2015/responses/AR", vec![auth], b"", Some(403)),
        (ONE, "GET", "/cycles/2015/responses/CL", vec![], b"", Some(401)),
        (ONE, "GET", "/cycles/2015/responses/CL", vec![("Authorization", "Bearer nope")], b"", Some(401)),
        (ONE, "GET", "/cycles/2015/responses/CL", vec![("Authorization", lower.as_str())], b"", None),
        (ONE, "PUT", "/cycles/abc/responses/CL", vec![auth, ("If-Match", "\"v0\""), json], answers, Some(400)),
        (ONE, "PUT", "/cycles/2015/responses/CL", vec![auth, ("If-Match", ""), json], answers, Some(428)),
        (ONE, "PUT", "/cycles/2015/responses/CL", vec![auth, ("If-Match", "*"), json], answers, Some(428)),
        (ONE, "PUT", "/cycles/2015/responses/CL", vec![auth, ("If-Match", "\"v7\""), json], answers, Some(412)),
        (ONE, "PUT", "/cycles/2015/responses/CL", vec![auth, ("If-Match", "\"v0\""), json], b"{not json", Some(400)),
        (ONE, "PUT", "/cycles/2015/responses/CL", vec![auth, ("If-Match", "\"v0\""), json], &ten_mb, Some(413)),
        (SUBMIT, "POST", "/cycles/2015/responses/CL/submit", vec![auth, ("If-Match", "")], b"", Some(428)),
        (SUBMIT, "POST", "/cycles/x/responses/CL/submit", vec![auth, ("If-Match", "\"v0\"")], b"", Some(400)),
        (SUBMIT, "POST", "/cycles/2015/responses/CL/submit", vec![auth, ("If-Match", "\"v0\"")], &ten_mb, Some(413)),
        ("/states/{code}", "GET", "/states/%FF", vec![], b"", Some(400)),
        ("/states/{code}", "GET", "/states/XX", vec![], b"", Some(404)),
        ("/search", "GET", "/search?q=trata&limit=0", vec![], b"", Some(400)),
        ("/search", "GET", "/search?q=trata&limit=many", vec![], b"", Some(400)),
        ("/search", "GET", "/search?limit=5", vec![], b"", Some(400)),
        ("/ratifications", "GET", "/ratifications?treaty=NOPE", vec![], b"", Some(400)),
        ("/reporting", "GET", "/reporting?treaty=NOPE&state=CL", vec![], b"", Some(400)),
        ("/treaties", "GET", "/treaties?cb=1", vec![], b"", Some(400)),
        ("/states", "GET", "/states?as_of=last-year", vec![], b"", Some(400)),
        ("/plans/{id}", "GET", "/plans/cl-segundo-marco-2012?as_of=2014-13-01", vec![], b"", Some(400)),
        ("/changes", "GET", "/changes?from=soon", vec![], b"", Some(400)),
        ("/changes", "GET", "/changes?state=XX", vec![], b"", Some(400)),
        ("/changes", "GET", "/changes?since=2014", vec![], b"", Some(400)),
    ];
    let mut failures = Vec::new();
    for (operation, method, url, headers, body, expected) in &cases {
        let (status, kind, text) = call(&app, method, url, headers, body);
        let what = format!("{method} {url} ({} bytes) answered {status} {kind}", body.len());
        let documented = &doc["paths"][*operation][method.to_lowercase()]["responses"][status.to_string()];
        if documented.is_null() {
            failures.push(format!("{what}: {status} is not documented for {method} {operation}"));
            continue;
        }
        if expected.is_some_and(|e| e != status) {
            failures.push(format!("{what}: expected {}", expected.unwrap()));
        }
        let Ok(value) = serde_json::from_str::<Value>(&text) else {
            failures.push(format!("{what}: the body is not JSON: {text:.200}"));
            continue;
        };
        let mut errors = Vec::new();
        check(&doc, &documented["content"]["application/json"]["schema"], &value, url, &mut errors);
        // Every refusal is the problem body, except the questionnaire's issues (422).
        if status >= 400 && status != 422 {
            check(&doc, &serde_json::json!({"$ref": "#/components/schemas/Error"}), &value, url, &mut errors);
        }
        if !kind.starts_with("application/json") || !errors.is_empty() {
            failures.push(format!("{what}: {errors:?} {text:.200}"));
        }
    }
    // A method that a path does not take is not an operation, but its answer is JSON too.
    let (status, kind, text) = call(&app, "DELETE", "/states", &[], b"");
    if status != 405 || !kind.starts_with("application/json") || !text.contains("\"message\"") {
        failures.push(format!("DELETE /states answered {status} {kind}: {text}"));
    }
    assert!(failures.is_empty(), "{} refusals disagree with the document:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_documented_parameter_ranges_are_the_servers() {
    let app = TestApp::spawn();
    let doc = app.get("/api/v1/openapi.json").json();
    let param = |path: &str, name: &str| -> Value {
        let params = doc["paths"][path]["get"]["parameters"].as_array().unwrap();
        params.iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("{path} has no {name}"))["schema"].clone()
    };
    let limit = param("/search", "limit");
    let (min, max) = (limit["minimum"].as_i64().unwrap(), limit["maximum"].as_i64().unwrap());
    for n in [min - 1, min, max, max + 1] {
        let status = app.get(&format!("/api/v1/search?q=trata&limit={n}")).status;
        assert_eq!(status == 200, (min..=max).contains(&n), "limit={n} answered {status}");
    }
    let codes: Vec<Value> =
        app.get("/api/v1/treaties").json()["treaties"].as_array().unwrap().iter().map(|t| t["code"].clone()).collect();
    for path in ["/ratifications", "/reporting"] {
        assert_eq!(param(path, "treaty")["enum"].as_array().unwrap(), &codes, "{path}: the treaty codes");
    }
    for code in &codes {
        assert_eq!(app.get(&format!("/api/v1/ratifications?treaty={}", code.as_str().unwrap())).status, 200);
    }
    let states: Vec<Value> =
        app.get("/api/v1/states").json()["states"].as_array().unwrap().iter().map(|s| s["state"].clone()).collect();
    for path in ["/ratifications", "/reporting", "/changes"] {
        assert_eq!(param(path, "state")["enum"].as_array().unwrap(), &states, "{path}: the State codes");
    }
}
