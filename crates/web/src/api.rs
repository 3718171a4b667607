//! The read API under `/api/v1`: JSON with the export contract's field names, described by the
//! OpenAPI document at `/api/v1/openapi.json`. GET only; ETag and Cache-Control on every
//! answer (from [`crate::cache`]); CORS open. Unknown codes answer 404, bad parameters 400, both as JSON
//! (the extractors of [`crate::extract`] make their rejections JSON too).

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{header, Method};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use tower_http::cors::{Any, CorsLayer};

use observa_domain::history::AsOf;

use crate::extract::{ApiPath, ApiQuery};
use crate::search::SearchParams;
use crate::{AppState, WebError};

type Params = ApiQuery<HashMap<String, String>>;

pub fn router(app: AppState) -> Router<AppState> {
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
        .route("/changes", get(changes))
        .route("/openapi.json", get(openapi))
        .fallback(|| async { WebError::NotFound("no such API path; see /api/v1/openapi.json".into()) })
        .layer(middleware::from_fn_with_state(app, crate::cache::cached))
        .layer(CorsLayer::new().allow_origin(Any).allow_methods([Method::GET, Method::HEAD, Method::OPTIONS]));
    Router::new().nest("/api/v1", api)
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
            app.snapshot().dataset.state(&upper).map(|_| Some(upper)).ok_or_else(|| {
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
            let snap = app.snapshot();
            let known: Vec<&str> = snap.dataset.treaties.iter().map(|t| t.code.as_str()).collect();
            if known.contains(&upper.as_str()) {
                Ok(Some(upper))
            } else {
                Err(WebError::BadRequest(format!("`treaty` must be one of {known:?}; `{code}` is not")))
            }
        }
    }
}

/// The registry that `as_of` (a cycle `2014`, a date `2014-09-30`, or `now`) names; the current
/// one without it.
fn as_of(app: &AppState, params: &HashMap<String, String>) -> Result<std::sync::Arc<crate::Snapshot>, WebError> {
    let as_of = params.get("as_of").map(|t| t.parse::<AsOf>()).transpose().map_err(WebError::BadRequest)?;
    app.snapshot_as_of(as_of.unwrap_or_default())
}

/// What changed in the registry between two readings (`from`, `to`: cycles, dates or `now`),
/// record by record and field by field, each with its source; `state` keeps one State's.
async fn changes(State(app): State<AppState>, ApiQuery(p): Params) -> Result<Json<Value>, WebError> {
    only(&p, &["from", "to", "state"])?;
    let state = state_param(&app, &p)?;
    let (from, to) =
        crate::changes::interval(&app, p.get("from").map(String::as_str), p.get("to").map(String::as_str))?;
    let subject = match &state {
        Some(code) => crate::changes::Subject::State(code.clone()),
        None => crate::changes::Subject::All,
    };
    let found = crate::changes::between(&app, from, to, &subject)?;
    Ok(Json(json!({ "from": from.to_string(), "to": to.to_string(), "changes": value(found) })))
}

fn value<T: serde::Serialize>(v: T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// The rows that `keep` selects, as JSON (filtered first: converting is the expensive part).
fn pick<T: serde::Serialize>(rows: &[T], keep: impl Fn(&T) -> bool) -> Vec<Value> {
    rows.iter().filter(|r| keep(r)).map(value).collect()
}

async fn states(State(app): State<AppState>, ApiQuery(p): Params) -> Result<Json<Value>, WebError> {
    only(&p, &["as_of"])?;
    let snap = as_of(&app, &p)?;
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
    ApiPath(code): ApiPath<String>,
    ApiQuery(p): Params,
) -> Result<Json<Value>, WebError> {
    only(&p, &["as_of"])?;
    let code = code.to_ascii_uppercase();
    let snap = as_of(&app, &p)?;
    let ds = &snap.dataset;
    let s = ds.state(&code).ok_or_else(|| WebError::NotFound(format!("no State has the code `{code}`")))?;
    let mut state = value(s);
    state["state"] = json!(code);
    state["category"] = value(snap.categories.get(&code));
    let reporting: Vec<Value> = snap.reporting.iter().filter(|r| r.report.state.as_str() == code).map(value).collect();
    Ok(Json(json!({
        "state": state,
        "plans": pick(&ds.plans, |r| r.state.as_str() == code),
        "bodies": pick(&ds.bodies, |r| r.state.as_str() == code),
        "members": pick(&ds.members, |r| r.state.as_str() == code),
        "organisations": pick(&ds.organisations, |r| r.state.as_ref().is_some_and(|s| s.as_str() == code)),
        "local_expressions": pick(&ds.local_expressions, |r| r.state.as_str() == code),
        "agreements": pick(&ds.agreements, |r| r.state.as_str() == code),
        "contributions": pick(&ds.contributions, |r| r.state.as_str() == code),
        "actions": pick(&ds.actions, |r| r.state.as_str() == code),
        "laws": pick(&ds.laws, |r| r.state.as_str() == code),
        "services": pick(&ds.services, |r| r.state.as_str() == code),
        "participation": pick(&ds.participation, |r| r.state.as_str() == code),
        "protection": pick(&ds.protection, |r| r.state.as_str() == code),
        "evaluations": pick(&ds.evaluations, |r| r.state.as_str() == code),
        "responses": pick(&ds.responses, |r| r.state.as_str() == code),
        "ratifications": pick(&ds.ratifications, |r| r.state.as_str() == code),
        "reporting": reporting,
        "corrections": pick(&ds.corrections, |r| r.state.as_ref().is_some_and(|s| s.as_str() == code)),
        "disagreements": pick(&ds.disagreements, |r| r.state.as_ref().is_some_and(|s| s.as_str() == code)),
    })))
}

async fn plan(
    State(app): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(p): Params,
) -> Result<Json<Value>, WebError> {
    only(&p, &["as_of"])?;
    let snap = as_of(&app, &p)?;
    let plan = snap
        .dataset
        .plans
        .iter()
        .find(|x| x.id == id)
        .ok_or_else(|| WebError::NotFound(format!("no plan has the id `{id}`")))?;
    Ok(Json(value(plan)))
}

async fn body(
    State(app): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(p): Params,
) -> Result<Json<Value>, WebError> {
    only(&p, &["as_of"])?;
    let snap = as_of(&app, &p)?;
    let ds = &snap.dataset;
    let body = ds
        .bodies
        .iter()
        .find(|x| x.id == id)
        .ok_or_else(|| WebError::NotFound(format!("no governing body has the id `{id}`")))?;
    let mut v = value(body);
    v["members"] = Value::Array(ds.members.iter().filter(|m| m.body == id).map(value).collect());
    Ok(Json(v))
}

async fn agencies(State(app): State<AppState>, ApiQuery(p): Params) -> Result<Json<Value>, WebError> {
    only(&p, &[])?;
    let items: Vec<Value> = app
        .snapshot()
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
    ApiPath(id): ApiPath<String>,
    ApiQuery(p): Params,
) -> Result<Json<Value>, WebError> {
    only(&p, &[])?;
    let snap = app.snapshot();
    let org = snap.organisation(&id).ok_or_else(|| WebError::NotFound(format!("no agency has the id `{id}`")))?;
    let mut v = value(org);
    v["appearances"] = value(snap.appearances.get(&id).cloned().unwrap_or_default());
    Ok(Json(v))
}

async fn treaties(State(app): State<AppState>, ApiQuery(p): Params) -> Result<Json<Value>, WebError> {
    only(&p, &[])?;
    Ok(Json(json!({ "treaties": value(&app.snapshot().dataset.treaties) })))
}

async fn ratifications(State(app): State<AppState>, ApiQuery(p): Params) -> Result<Json<Value>, WebError> {
    only(&p, &["state", "treaty", "as_of"])?;
    let snap = as_of(&app, &p)?;
    let (state, treaty) = (state_param(&app, &p)?, treaty_param(&app, &p)?);
    let items: Vec<Value> = snap
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

async fn reporting(State(app): State<AppState>, ApiQuery(p): Params) -> Result<Json<Value>, WebError> {
    only(&p, &["state", "treaty", "as_of"])?;
    let snap = as_of(&app, &p)?;
    let (state, treaty) = (state_param(&app, &p)?, treaty_param(&app, &p)?);
    let items: Vec<Value> = snap
        .reporting
        .iter()
        .filter(|r| {
            state.as_ref().is_none_or(|s| r.report.state.as_str() == s)
                && treaty.as_ref().is_none_or(|t| &r.report.treaty == t)
        })
        .map(value)
        .collect();
    Ok(Json(json!({ "as_of": app.snapshot().as_of.to_string(), "reporting": items })))
}

async fn search(State(app): State<AppState>, ApiQuery(p): Params) -> Result<Json<Value>, WebError> {
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
    Ok(Json(value(app.search().search(q, &params, limit)?)))
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], include_str!("../assets/openapi.json")).into_response()
}
