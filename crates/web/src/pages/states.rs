//! States index, State profile (everything the registry knows, by Stockholm focal point),
//! plan and governing-body pages.

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use minijinja::{context, Value};
use observa_domain::Dataset;

use super::{page_lang, render, respond, LangPath};
use crate::snapshot::Snapshot;
use crate::templates::v;
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{lang}/states", get(index))
        .route("/{lang}/states/{code}", get(profile))
        .route("/{lang}/plans/{id}", get(plan))
        .route("/{lang}/bodies/{id}", get(body))
}

async fn index(State(app): State<AppState>, lang: LangPath, uri: Uri) -> Response {
    let result = page_lang(&lang).map(|lang| {
        let snap = app.snapshot_in(lang.0);
        let mut states: Vec<Value> = snap
            .dataset
            .states
            .iter()
            .map(|s| {
                let code = s.code.as_str();
                context! {
                    code, name => s.name(lang.0), category => v(snap.categories.get(code)),
                    plans => snap.dataset.plans.iter().filter(|p| p.state == s.code).count(),
                    answered => snap.dataset.responses.iter().any(|r| r.state == s.code),
                }
            })
            .collect();
        states.sort_by_key(|v| v.get_attr("name").map(|n| n.to_string()).unwrap_or_default());
        render(&app, lang, &uri, "states.html", context! { states })
    });
    respond(&app, &lang, result)
}

/// Records of one table that belong to a State, as template values.
fn of_state<T: serde::Serialize>(rows: &[T], state: &str, key: impl Fn(&T) -> &str) -> Vec<Value> {
    rows.iter().filter(|r| key(r) == state).map(v).collect()
}

/// A body's members, each with its organisation record.
fn members_of(ds: &Dataset, body: &str) -> Vec<Value> {
    ds.members
        .iter()
        .filter(|m| m.body == body)
        .map(|m| context! { member => v(m), organisation => v(ds.organisations.iter().find(|o| o.id == m.organisation)) })
        .collect()
}

/// Everything the registry holds about one State.
pub fn state_context(snap: &Snapshot, code: &str) -> Option<Value> {
    let ds: &Dataset = &snap.dataset;
    let state = ds.state(code)?;
    let mut plans: Vec<_> = ds.plans.iter().filter(|p| p.state.as_str() == code).collect();
    plans.sort_by_key(|p| p.adopted.date());
    let timeline = super::timeline::timeline(&plans, snap.as_of, false);
    let plans: Vec<Value> = plans.into_iter().map(v).collect();
    let bodies: Vec<Value> = ds
        .bodies
        .iter()
        .filter(|b| b.state.as_str() == code)
        .map(|b| context! { body => v(b), members => members_of(ds, &b.id) })
        .collect();
    let org_name = |id: &String| {
        ds.organisations.iter().find(|o| &o.id == id).map(|o| o.name.clone()).unwrap_or_else(|| id.clone())
    };
    let contributions: Vec<Value> = ds
        .contributions
        .iter()
        .filter(|c| c.state.as_str() == code)
        .map(|c| context! { item => v(c), organisation => org_name(&c.organisation) })
        .collect();
    let ratifications: Vec<Value> = ds
        .ratifications
        .iter()
        .filter(|r| r.state.as_str() == code)
        .map(|r| context! { item => v(r), treaty => v(ds.treaties.iter().find(|t| t.code == r.treaty)) })
        .collect();
    let reporting: Vec<Value> = snap.reporting.iter().filter(|r| r.report.state.as_str() == code).map(v).collect();
    Some(context! {
        state => v(state),
        category => v(snap.categories.get(code)),
        plans, bodies, contributions, ratifications, reporting, timeline => v(timeline),
        local => of_state(&ds.local_expressions, code, |r| r.state.as_str()),
        agreements => of_state(&ds.agreements, code, |r| r.state.as_str()),
        actions => of_state(&ds.actions, code, |r| r.state.as_str()),
        laws => of_state(&ds.laws, code, |r| r.state.as_str()),
        services => of_state(&ds.services, code, |r| r.state.as_str()),
        participation => of_state(&ds.participation, code, |r| r.state.as_str()),
        protection => of_state(&ds.protection, code, |r| r.state.as_str()),
        evaluations => of_state(&ds.evaluations, code, |r| r.state.as_str()),
        responses => of_state(&ds.responses, code, |r| r.state.as_str()),
        corrections => ds.corrections.iter().filter(|c| c.state.as_ref().is_some_and(|s| s.as_str() == code)).map(v).collect::<Vec<_>>(),
        disagreements => ds.disagreements.iter().filter(|c| c.state.as_ref().is_some_and(|s| s.as_str() == code)).map(v).collect::<Vec<_>>(),
    })
}

async fn profile(State(app): State<AppState>, Path((lang, code)): Path<(String, String)>, uri: Uri) -> Response {
    let result = page_lang(&lang).and_then(|l| {
        let ctx = state_context(&app.snapshot_in(l.0), &code.to_ascii_uppercase())
            .ok_or_else(|| WebError::NotFound(format!("{} `{code}`", l.text("error-no-state"))))?;
        Ok(render(&app, l, &uri, "state.html", ctx))
    });
    respond(&app, &lang, result)
}

async fn plan(State(app): State<AppState>, Path((lang, id)): Path<(String, String)>, uri: Uri) -> Response {
    let result = page_lang(&lang).and_then(|l| {
        let ds = &app.snapshot_in(l.0).dataset;
        let plan = ds
            .plans
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| WebError::NotFound(format!("{} `{id}`", l.text("error-no-plan"))))?;
        let state = ds.state(plan.state.as_str());
        let bodies: Vec<Value> = ds.bodies.iter().filter(|b| b.plans.contains(&plan.id)).map(v).collect();
        let linked: Vec<Value> = ds
            .plans
            .iter()
            .filter(|p| p.links.iter().any(|k| k.plan == plan.id) || plan.links.iter().any(|k| k.plan == p.id))
            .map(v)
            .collect();
        let actions: Vec<Value> = ds.actions.iter().filter(|a| a.plan.as_ref() == Some(&plan.id)).map(v).collect();
        let in_force = plan.validity.in_force_on(app.snapshot_in(l.0).as_of, plan.adopted.date());
        let ctx = context! {
            plan => v(plan), state => v(state), bodies, linked, actions,
            in_force => v(in_force), as_of => app.snapshot_in(l.0).as_of.to_string(),
        };
        Ok(render(&app, l, &uri, "plan.html", ctx))
    });
    respond(&app, &lang, result)
}

async fn body(State(app): State<AppState>, Path((lang, id)): Path<(String, String)>, uri: Uri) -> Response {
    let result = page_lang(&lang).and_then(|l| {
        let ds = &app.snapshot_in(l.0).dataset;
        let body = ds
            .bodies
            .iter()
            .find(|b| b.id == id)
            .ok_or_else(|| WebError::NotFound(format!("{} `{id}`", l.text("error-no-body"))))?;
        let members = members_of(ds, &body.id);
        let plans: Vec<Value> = ds.plans.iter().filter(|p| body.plans.contains(&p.id)).map(v).collect();
        let local: Vec<Value> =
            ds.local_expressions.iter().filter(|e| e.body.as_ref() == Some(&body.id)).map(v).collect();
        let ctx = context! { body => v(body), state => v(ds.state(body.state.as_str())), members, plans, local };
        Ok(render(&app, l, &uri, "body.html", ctx))
    });
    respond(&app, &lang, result)
}
