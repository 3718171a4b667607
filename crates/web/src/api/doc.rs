//! The parts of the OpenAPI document that are not an operation: what the API is, where it is
//! served, how callers authenticate, and the codes that come from the registry (States and
//! treaties), filled in when the document is served.

use serde_json::{json, Value};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use observa_domain::Dataset;

use super::answers::Problem;

const DESCRIPTION: &str = "JSON API of the Observa observatory: the registry, read-only and open to all \
(GET, CORS open, ETag and Cache-Control on every answer), readable as it stood for a cycle or on a date \
(`as_of`), with what changed between two readings (`/changes`); and the consultation's workflow for the \
systems of liaison officers and of the secretariat (cycles, a State's answers and their submission, \
comments and replies, return and accept, attachments, the report's editorial blocks), each operation \
authenticated by a personal API token or a session and never cached. Field \
names follow the `observa export --format json` contract: States by ISO 3166-1 alpha-2 code, treaties by \
code, dates ISO 8601 with reduced precision. Every error under /api/v1 is a JSON problem body {error, \
message} (`error` is the HTTP reason phrase, `message` says what was wrong and where), including a path \
segment or query string that does not parse, a method a path does not take (405) and a request body over \
2 MB (413); the read operations refuse query parameters they do not know (400). This document is generated \
from the server's code.";

#[derive(OpenApi)]
#[openapi(
    info(title = "Observa API", version = "1.0.0", license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later")),
    servers((url = "/api/v1")),
    components(schemas(Problem)),
    modifiers(&Security),
)]
struct Base;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let bearer = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "A personal API token from `observa token create` or the tokens page, as \
                 `Authorization: Bearer TOKEN` (the scheme name is case-insensitive)",
            ))
            .build();
        components.add_security_scheme("bearerToken", SecurityScheme::Http(bearer));
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "observa_session",
                "The session of a signed-in account",
            ))),
        );
    }
}

/// The document's frame, before the operations are added.
pub fn base() -> utoipa::openapi::OpenApi {
    let mut doc = Base::openapi();
    doc.info.description = Some(DESCRIPTION.into());
    doc
}

/// The document with the codes the registry knows: every validated `state` and `treaty` query
/// parameter, and `Treaty.code`, list them (a code outside the list is a 400).
pub fn with_codes(mut doc: Value, ds: &Dataset) -> Value {
    let states: Vec<&str> = ds.states.iter().filter(|s| s.code.is_oas_member()).map(|s| s.code.as_str()).collect();
    let treaties: Vec<&str> = ds.treaties.iter().map(|t| t.code.as_str()).collect();
    if let Some(paths) = doc["paths"].as_object_mut() {
        // Search filters by `state` without refusing other codes: no list there.
        for (_, item) in paths.iter_mut().filter(|(path, _)| *path != "/search") {
            let parameters = item.get_mut("get").and_then(|g| g.get_mut("parameters")).and_then(Value::as_array_mut);
            let parameters = parameters.into_iter().flatten();
            for parameter in parameters.filter(|p| p["in"] == "query") {
                match parameter["name"].as_str() {
                    Some("state") => parameter["schema"]["enum"] = json!(states),
                    Some("treaty") => parameter["schema"]["enum"] = json!(treaties),
                    _ => {}
                }
            }
        }
    }
    doc["components"]["schemas"]["Treaty"]["properties"]["code"]["enum"] = json!(treaties);
    doc
}
