//! What changed between two cycles on a State profile, a plan or a governing body: each record
//! added, changed (field by field) or closed, with the source that established it.

use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use minijinja::context;
use serde_json::Value;

use super::{page_lang, render, respond};
use crate::changes::{History, Subject};
use crate::templates::v;
use crate::{AppState, Lang, WebError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{lang}/states/{code}/changes", get(|s, p, u, q| page(s, p, u, q, "states")))
        .route("/{lang}/plans/{id}/changes", get(|s, p, u, q| page(s, p, u, q, "plans")))
        .route("/{lang}/bodies/{id}/changes", get(|s, p, u, q| page(s, p, u, q, "bodies")))
}

#[derive(serde::Deserialize)]
struct Interval {
    from: Option<String>,
    to: Option<String>,
}

async fn page(
    State(app): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    uri: Uri,
    Query(i): Query<Interval>,
    kind: &'static str,
) -> Response {
    let result = page_lang(&lang).and_then(|l| {
        let (subject, name) = subject(&app, l, kind, &id)?;
        show(&app, l, &uri, &i, subject, name, format!("/{}/{kind}/{id}", l.code()))
    });
    respond(&app, &lang, result)
}

/// Whose changes a page shows, and its name in the page's language; an unknown id is a 404.
fn subject(app: &AppState, l: Lang, kind: &str, id: &str) -> Result<(Subject, String), WebError> {
    let snap = app.snapshot_in(l.0);
    let ds = &snap.dataset;
    let (found, missing) = match kind {
        "states" => {
            let code = id.to_ascii_uppercase();
            (ds.state(&code).map(|s| (Subject::State(code.clone()), s.name(l.0).to_string())), "error-no-state")
        }
        "plans" => (
            ds.plans.iter().find(|p| p.id == id).map(|p| (Subject::Plan(p.id.clone()), p.name.clone())),
            "error-no-plan",
        ),
        _ => (
            ds.bodies.iter().find(|b| b.id == id).map(|b| (Subject::Body(b.id.clone()), b.name.clone())),
            "error-no-body",
        ),
    };
    found.ok_or_else(|| WebError::NotFound(format!("{} `{id}`", l.text(missing))))
}

fn show(
    app: &AppState,
    l: Lang,
    uri: &Uri,
    i: &Interval,
    subject: Subject,
    name: String,
    back: String,
) -> Result<Response, WebError> {
    let history = History::read(app)?;
    let (from, to) = history.interval(i.from.as_deref(), i.to.as_deref())?;
    let changes: Vec<Value> = history
        .between(from, to, &subject)?
        .iter()
        .map(|c| {
            let fields: Vec<Value> = c
                .fields
                .iter()
                .map(|f| serde_json::json!({ "field": f.field, "before": shown(&f.before), "after": shown(&f.after) }))
                .collect();
            serde_json::json!({
                "kind": c.kind, "table": c.change.table, "record": c.change.record, "fields": fields,
                "established_by": c.established_by, "effective": c.effective.to_string(), "cycle": c.cycle,
            })
        })
        .collect();
    let ctx = context! {
        name, back, changes => v(changes), from => from.to_string(), to => to.to_string(),
        cycles => v(history.cycles()), path => uri.path(),
    };
    Ok(render(app, l, uri, "changes.html", ctx))
}

/// A field's value as a reader sees it: text as it is, anything else as compact JSON.
fn shown(value: &Option<Value>) -> String {
    match value {
        None | Some(Value::Null) => "—".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}
