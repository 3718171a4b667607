//! The read API under `/api/v1`: JSON with the export contract's field names, described by the
//! OpenAPI document at `/api/v1/openapi.json`. GET only; ETag and Cache-Control on every
//! answer; CORS open. Unknown codes answer 404, bad parameters 400, both as JSON.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use tower_http::cors::{Any, CorsLayer};

use crate::search::SearchParams;
use crate::{AppState, WebError};

type Params = Query<HashMap<String, String>>;

pub fn router() -> Router<AppState> {
    let api = Router::new()
        .route("/states", get(states))
        .route("/states/{code}", get(state))
        .route("/plans/{id}", get(plan))
        .route("/bodies/{id}", get(body))
        .route("/agencies", get(agencies))
        .route("/agencies/{id}", get(agency))
        .route("/treaties", get(treaties))
        .route("/ratifications", get(ratifications))
        .route("/reporting", get(reporting))
        .route("/search", get(search))
        .route("/openapi.json", get(openapi))
        .fallback(|| async { WebError::NotFound("no such API path; see /api/v1/openapi.json".into()) })
        .layer(middleware::from_fn(etag))
        .layer(CorsLayer::new().allow_origin(Any).allow_methods([Method::GET, Method::HEAD, Method::OPTIONS]));
    Router::new().nest("/api/v1", api)
}

/// Adds a strong ETag (a hash of the body) and Cache-Control to successful answers, and answers
/// 304 when the client already has that version.
async fn etag(request: Request, next: Next) -> Response {
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024 * 1024).await else {
        return WebError::Internal("response body too large".into()).into_response();
    };
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    let tag = format!("\"{:016x}\"", hasher.finish());
    let tag_value = HeaderValue::from_str(&tag).expect("hex is a valid header");
    parts.headers.insert(header::ETAG, tag_value.clone());
    parts.headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    if if_none_match.is_some_and(|v| v.to_str().is_ok_and(|s| s.split(',').any(|t| t.trim() == tag || t.trim() == "*")))
    {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag_value)]).into_response();
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Refuses query parameters the operation does not know, so typos do not silently match all.
fn only(params: &HashMap<String, String>, known: &[&str]) -> Result<(), WebError> {
    match params.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(WebError::BadRequest(format!("unknown parameter `{k}`; this operation takes {known:?}"))),
        None => Ok(()),
    }
}

fn state_param(app: &AppState, params: &HashMap<String, String>) -> Result<Option<String>, WebError> {
    match params.get("state") {
        None => Ok(None),
        Some(code) => {
            let upper = code.to_ascii_uppercase();
            app.snapshot.dataset.state(&upper).map(|_| Some(upper)).ok_or_else(|| {
                WebError::BadRequest(format!(
                    "`state` must be the ISO 3166-1 alpha-2 code of an OAS member State; `{code}` is not"
                ))
            })
        }
    }
}

fn treaty_param(app: &AppState, params: &HashMap<String, String>) -> Result<Option<String>, WebError> {
    match params.get("treaty") {
        None => Ok(None),
        Some(code) => {
            let upper = code.to_ascii_uppercase();
            let known: Vec<&str> = app.snapshot.dataset.treaties.iter().map(|t| t.code.as_str()).collect();
            if known.contains(&upper.as_str()) {
                Ok(Some(upper))
            } else {
                Err(WebError::BadRequest(format!("`treaty` must be one of {known:?}; `{code}` is not")))
            }
        }
    }
}

fn value<T: serde::Serialize>(v: T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn of_state<T: serde::Serialize>(rows: &[T], code: &str) -> Vec<Value> {
    rows.iter().map(value).filter(|v| v["state"] == code).collect()
}

async fn states(State(app): State<AppState>, Query(p): Params) -> Result<Json<Value>, WebError> {
    only(&p, &[])?;
    let snap = &app.snapshot;
    let items: Vec<Value> = snap
        .dataset
        .states
        .iter()
        .map(|s| {
            let mut v = value(s);
            v["state"] = json!(s.code.as_str());
            v["category"] = value(snap.categories.get(s.code.as_str()));
            v["plans"] = json!(snap.dataset.plans.iter().filter(|p| p.state == s.code).count());
            v["answered_2014"] = json!(snap.dataset.responses.iter().any(|r| r.state == s.code && r.cycle == 2014));
            v
        })
        .collect();
    Ok(Json(json!({ "states": items })))
}

async fn state(
    State(app): State<AppState>,
    Path(code): Path<String>,
    Query(p): Params,
) -> Result<Json<Value>, WebError> {
    only(&p, &[])?;
    let code = code.to_ascii_uppercase();
    let snap = &app.snapshot;
    let ds = &snap.dataset;
    let s = ds.state(&code).ok_or_else(|| WebError::NotFound(format!("no State has the code `{code}`")))?;
    let mut state = value(s);
    state["state"] = json!(code);
    state["category"] = value(snap.categories.get(&code));
    let reporting: Vec<Value> = snap.reporting.iter().filter(|r| r.report.state.as_str() == code).map(value).collect();
    Ok(Json(json!({
        "state": state,
        "plans": of_state(&ds.plans, &code),
        "bodies": of_state(&ds.bodies, &code),
        "members": of_state(&ds.members, &code),
        "organisations": of_state(&ds.organisations, &code),
        "local_expressions": of_state(&ds.local_expressions, &code),
        "agreements": of_state(&ds.agreements, &code),
        "contributions": of_state(&ds.contributions, &code),
        "actions": of_state(&ds.actions, &code),
        "laws": of_state(&ds.laws, &code),
        "services": of_state(&ds.services, &code),
        "participation": of_state(&ds.participation, &code),
        "protection": of_state(&ds.protection, &code),
        "evaluations": of_state(&ds.evaluations, &code),
        "responses": of_state(&ds.responses, &code),
        "ratifications": of_state(&ds.ratifications, &code),
        "reporting": reporting,
        "corrections": of_state(&ds.corrections, &code),
        "disagreements": of_state(&ds.disagreements, &code),
    })))
}

async fn plan(State(app): State<AppState>, Path(id): Path<String>, Query(p): Params) -> Result<Json<Value>, WebError> {
    only(&p, &[])?;
    let plan = app
        .snapshot
        .dataset
        .plans
        .iter()
        .find(|x| x.id == id)
        .ok_or_else(|| WebError::NotFound(format!("no plan has the id `{id}`")))?;
    Ok(Json(value(plan)))
}

async fn body(State(app): State<AppState>, Path(id): Path<String>, Query(p): Params) -> Result<Json<Value>, WebError> {
    only(&p, &[])?;
    let ds = &app.snapshot.dataset;
    let body = ds
        .bodies
        .iter()
        .find(|x| x.id == id)
        .ok_or_else(|| WebError::NotFound(format!("no governing body has the id `{id}`")))?;
    let mut v = value(body);
    v["members"] = Value::Array(ds.members.iter().filter(|m| m.body == id).map(value).collect());
    Ok(Json(v))
}

async fn agencies(State(app): State<AppState>, Query(p): Params) -> Result<Json<Value>, WebError> {
    only(&p, &[])?;
    let items: Vec<Value> = app
        .snapshot
        .agencies()
        .into_iter()
        .map(|(o, states, mentions)| {
            let mut v = value(o);
            v["states"] = json!(states);
            v["mentions"] = json!(mentions);
            v
        })
        .collect();
    Ok(Json(json!({ "agencies": items })))
}

async fn agency(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Query(p): Params,
) -> Result<Json<Value>, WebError> {
    only(&p, &[])?;
    let snap = &app.snapshot;
    let org = snap.organisation(&id).ok_or_else(|| WebError::NotFound(format!("no agency has the id `{id}`")))?;
    let mut v = value(org);
    v["appearances"] = value(snap.appearances.get(&id).cloned().unwrap_or_default());
    Ok(Json(v))
}

async fn treaties(State(app): State<AppState>, Query(p): Params) -> Result<Json<Value>, WebError> {
    only(&p, &[])?;
    Ok(Json(json!({ "treaties": value(&app.snapshot.dataset.treaties) })))
}

async fn ratifications(State(app): State<AppState>, Query(p): Params) -> Result<Json<Value>, WebError> {
    only(&p, &["state", "treaty"])?;
    let (state, treaty) = (state_param(&app, &p)?, treaty_param(&app, &p)?);
    let items: Vec<Value> = app
        .snapshot
        .dataset
        .ratifications
        .iter()
        .filter(|r| {
            state.as_ref().is_none_or(|s| r.state.as_str() == s) && treaty.as_ref().is_none_or(|t| &r.treaty == t)
        })
        .map(value)
        .collect();
    Ok(Json(json!({ "ratifications": items })))
}

async fn reporting(State(app): State<AppState>, Query(p): Params) -> Result<Json<Value>, WebError> {
    only(&p, &["state", "treaty"])?;
    let (state, treaty) = (state_param(&app, &p)?, treaty_param(&app, &p)?);
    let items: Vec<Value> = app
        .snapshot
        .reporting
        .iter()
        .filter(|r| {
            state.as_ref().is_none_or(|s| r.report.state.as_str() == s)
                && treaty.as_ref().is_none_or(|t| &r.report.treaty == t)
        })
        .map(value)
        .collect();
    Ok(Json(json!({ "as_of": app.snapshot.as_of.to_string(), "reporting": items })))
}

async fn search(State(app): State<AppState>, Query(p): Params) -> Result<Json<Value>, WebError> {
    only(&p, &["q", "state", "kind", "focal_point", "limit"])?;
    let q = p.get("q").ok_or_else(|| WebError::BadRequest("the query parameter `q` is required".into()))?;
    let limit = match p.get("limit") {
        None => 20,
        Some(l) => l.parse::<usize>().ok().filter(|n| (1..=100).contains(n)).ok_or_else(|| {
            WebError::BadRequest(format!("`limit` must be a whole number from 1 to 100; `{l}` is not"))
        })?,
    };
    let params = SearchParams {
        q: Some(q.clone()),
        state: p.get("state").cloned(),
        kind: p.get("kind").cloned(),
        focal_point: p.get("focal_point").cloned(),
    };
    Ok(Json(value(app.search.search(q, &params, limit)?)))
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], include_str!("../assets/openapi.json")).into_response()
}
