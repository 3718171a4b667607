//! The public monitoring pages: a plan's dashboard (indicators on track, off track or without
//! data under the published rule, fulfilment per focal point, actions by status, reports due and
//! overdue, a chart and a table per indicator) and the regional one (which States monitor their
//! plans, which focal points their indicators cover, how many have approved data from the last
//! year). Both read approved values only, and are computed on each request from the store.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use minijinja::{context, Value};
use observa_domain::monitoring::dashboard::{self, IndicatorRow, PlanFigures};
use observa_domain::Lang;

use super::{page_lang, render, respond};
use crate::auth::internal;
use crate::templates::v;
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new().route("/{lang}/monitoring", get(regional)).route("/{lang}/plans/{id}/monitoring", get(plan))
}

pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// A plan's figures from the store, `None` when it has no matrix yet.
pub(crate) fn figures(
    app: &AppState,
    plan: &str,
) -> Result<Option<(observa_domain::monitoring::Matrix, PlanFigures)>, WebError> {
    let store = app.store.lock().expect("store lock");
    let Some((matrix, _)) = store.matrix(plan).map_err(internal)? else { return Ok(None) };
    let periods = store.periods(plan).map_err(internal)?;
    let reports = store.progress(plan).map_err(internal)?;
    drop(store);
    let figures = dashboard::plan(&matrix, &periods, &reports, today());
    Ok(Some((matrix, figures)))
}

/// An indicator's row for a template: its figures, its chart and the chart's data table.
fn row(row: &IndicatorRow, lang: Lang) -> Value {
    context! { row => v(row), chart => Value::from_safe_string(crate::charts::indicator(row, lang)) }
}

/// How many indicators a dashboard page shows in full (chart and table): a plan of 200
/// monthly indicators over ten years would otherwise be megabytes of HTML.
const PER_PAGE: usize = 20;

#[derive(serde::Deserialize)]
struct PageQuery {
    #[serde(default)]
    page: Option<String>,
}

async fn plan(
    State(app): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
    uri: Uri,
) -> Response {
    let result = page_lang(&lang).and_then(|l| {
        let snap = app.snapshot_in(l.0);
        let plan = snap
            .dataset
            .plans
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| WebError::NotFound(format!("{} `{id}`", l.text("error-no-plan"))))?;
        let state = snap.dataset.state(plan.state.as_str());
        let found = figures(&app, &id)?;
        let ctx = match &found {
            None => context! { plan => v(plan), state => v(state), matrix => false },
            Some((matrix, f)) => {
              let pages = f.indicators.len().div_ceil(PER_PAGE).max(1);
              let page = q.page.as_deref().and_then(|p| p.parse::<usize>().ok()).unwrap_or(1).clamp(1, pages);
              context! {
                // Only what the page shows: the series go to the indicators of this page only.
                plan => v(plan), state => v(state), matrix => true, page, pages,
                figures => context! { due => f.due, overdue => f.overdue, focal_points => v(&f.focal_points) },
                verdicts => f.indicators.iter().enumerate().map(|(n, r)| context! {
                    page => n / PER_PAGE + 1, id => r.indicator.id.clone(), name => r.indicator.name.clone(), track => r.judgement.track.code(),
                    latest => v(r.judgement.latest), target => v(r.indicator.target),
                }).collect::<Vec<_>>(),
                indicators => f.indicators.iter().skip((page - 1) * PER_PAGE).take(PER_PAGE).map(|r| row(r, l.0)).collect::<Vec<_>>(),
                tracks => f.tracks.iter().map(|(t, n)| context! { code => t.code(), n }).collect::<Vec<_>>(),
                actions => f.actions.iter().map(|(s, n)| context! { code => s.code(), n }).collect::<Vec<_>>(),
                // Each action with its status and the note of its last change.
                action_list => matrix.actions().map(|(_, a)| context! {
                    id => a.id.clone(), title => a.title.clone(), status => a.status.code(), last => v(a.updates.last()),
                }).collect::<Vec<_>>(),
              }
            }
        };
        Ok(render(&app, l, &uri, "monitoring_plan.html", ctx))
    });
    respond(&app, &lang, result)
}

async fn regional(State(app): State<AppState>, Path(lang): Path<String>, uri: Uri) -> Response {
    let result = page_lang(&lang).and_then(|l| {
        let snap = app.snapshot_in(l.0);
        let (matrices, latest) = {
            let store = app.store.lock().expect("store lock");
            (store.matrices().map_err(internal)?, store.latest_approved().map_err(internal)?)
        };
        let empty = BTreeMap::new();
        let mut by_state: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut figures = vec![];
        for (state, matrix) in &matrices {
            let f = dashboard::state(state, matrix, latest.get(&matrix.plan).unwrap_or(&empty), today());
            let plan = snap.dataset.plans.iter().find(|p| p.id == matrix.plan);
            by_state.entry(state.clone()).or_default().push(context! { figures => v(&f), plan => v(plan) });
            figures.push(f);
        }
        let states: Vec<Value> = snap
            .dataset
            .states
            .iter()
            .map(|s| {
                let plans = by_state.remove(s.code.as_str()).unwrap_or_default();
                context! { state => v(s), plans }
            })
            .collect();
        let chart = Value::from_safe_string(crate::charts::states(&figures, &snap.dataset, l.0));
        let ctx = context! { states, chart, monitoring => figures.iter().filter(|f| f.monitors).count() };
        Ok(render(&app, l, &uri, "monitoring.html", ctx))
    });
    respond(&app, &lang, result)
}
