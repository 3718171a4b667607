//! The OpenAPI document describes exactly what the API does: every documented operation is
//! called and its real answer is checked against the documented schema.

use serde_json::Value;

use crate::web::TestApp;

/// Checks `value` against the subset of OpenAPI 3.0 schemas the document uses.
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
    if value.is_null() {
        if !schema["nullable"].as_bool().unwrap_or(false) && schema.get("type").is_some() {
            errors.push(format!("{at}: null but not nullable"));
        }
        return;
    }
    let type_ok = match schema["type"].as_str() {
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        _ => true,
    };
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
    assert_eq!(doc["openapi"], "3.0.3");
    let body = crate::bundled().bodies[0].id.clone();
    let samples = |path: &str| -> Vec<String> {
        match path {
            "/states/{code}" => vec!["/states/CL".into(), "/states/br".into(), "/states/BS".into()],
            "/plans/{id}" => vec!["/plans/cl-segundo-marco-2012".into()],
            "/bodies/{id}" => vec![format!("/bodies/{body}")],
            "/agencies/{id}" => vec!["/agencies/unicef".into(), "/agencies/ilo".into()],
            "/ratifications" => vec!["/ratifications".into(), "/ratifications?state=LC&treaty=PALERMO".into()],
            "/reporting" => vec!["/reporting".into(), "/reporting?state=US".into()],
            "/search" => vec!["/search?q=trata".into(), "/search?q=unicef&kind=agency&limit=5".into()],
            other => vec![other.to_string()],
        }
    };
    let paths = doc["paths"].as_object().unwrap();
    assert_eq!(paths.len(), 13);
    // The consultation's operations need an account: `consultation::` tests check them.
    for (path, item) in paths.iter().filter(|(p, _)| !p.starts_with("/cycles/")) {
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
