//! Analysis pages: the report's findings as computed facts, the status table on a date, the
//! comparison of States by Stockholm focal point (each cell linked to its evidence), and the SWOT
//! synthesis by theme. The analyses themselves are `observa_domain::analysis`.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use minijinja::context;
use observa_domain::analysis::{comparison, findings, rio, status, swot};
use observa_domain::editorial::{annotation_map, AnnotationKind};

use super::{page_lang, render, respond, LangPath, OnDate};
use crate::templates::v;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{lang}/analysis", get(index))
        .route("/{lang}/analysis/status", get(status_table))
        .route("/{lang}/analysis/comparison", get(comparison_matrix))
        .route("/{lang}/analysis/swot", get(swot_synthesis))
        .route("/{lang}/analysis/timeline", get(timeline))
        .route("/{lang}/analysis/rio", get(rio_commitment))
}

/// State code → name in the page's language (the analyses carry English names for ordering).
fn state_names(app: &AppState, lang: crate::Lang) -> BTreeMap<String, String> {
    app.snapshot_in(lang.0).dataset.states.iter().map(|s| (s.code.to_string(), s.name(lang.0).to_string())).collect()
}

async fn index(State(app): State<AppState>, lang: LangPath, uri: Uri, Query(on): Query<OnDate>) -> Response {
    let result = page_lang(&lang).and_then(|l| {
        let (snapshot, on) = on.reading(&app, l.0)?;
        let f = findings::findings(&snapshot.dataset, on);
        Ok(render(&app, l, &uri, "analysis.html", context! { findings => v(f), on => on.to_string() }))
    });
    respond(&app, &lang, result)
}

async fn status_table(State(app): State<AppState>, lang: LangPath, uri: Uri, Query(on): Query<OnDate>) -> Response {
    let result = page_lang(&lang).and_then(|l| {
        let (snapshot, on) = on.reading(&app, l.0)?;
        let rows = status::status_table(&snapshot.dataset, on);
        let names = state_names(&app, l);
        Ok(render(&app, l, &uri, "analysis_status.html", context! { rows => v(rows), names, on => on.to_string() }))
    });
    respond(&app, &lang, result)
}

async fn comparison_matrix(
    State(app): State<AppState>,
    lang: LangPath,
    uri: Uri,
    Query(on): Query<OnDate>,
) -> Response {
    let result = page_lang(&lang).and_then(|l| {
        let (snapshot, on) = on.reading(&app, l.0)?;
        let matrix = comparison::comparison(&snapshot.dataset, on);
        let names = state_names(&app, l);
        Ok(render(
            &app,
            l,
            &uri,
            "analysis_comparison.html",
            context! { matrix => v(matrix), names, on => on.to_string() },
        ))
    });
    respond(&app, &lang, result)
}

async fn swot_synthesis(State(app): State<AppState>, lang: LangPath, uri: Uri) -> Response {
    let result = page_lang(&lang).and_then(|l| {
        let ds = &app.snapshot_in(l.0).dataset;
        let annotations = super::annotations::of_cycle(&app, comparison::CYCLE)?;
        let regroup = annotation_map(&annotations, AnnotationKind::SwotTheme);
        let groups = swot::swot_by_theme(ds, &regroup);
        let items: BTreeMap<&str, &observa_domain::facts::SwotItem> = ds.swot.iter().map(|s| (s.id.as_str(), s)).collect();
        let groups: Vec<_> = groups
            .iter()
            .map(|g| context! { group => v(g), items => v(g.items.iter().filter_map(|id| items.get(id.as_str())).collect::<Vec<_>>()) })
            .collect();
        Ok(super::report::revalidate(render(&app, l, &uri, "analysis_swot.html", context! { groups })))
    });
    respond(&app, &lang, result)
}

/// Every dated plan of every State on one chart, grouped by State.
async fn timeline(State(app): State<AppState>, lang: LangPath, uri: Uri) -> Response {
    let result = page_lang(&lang).map(|l| {
        let ds = &app.snapshot_in(l.0).dataset;
        let mut plans: Vec<&observa_domain::registry::Plan> = ds.plans.iter().collect();
        plans.sort_by_key(|p| {
            (ds.state(p.state.as_str()).map(|s| s.name_en.clone()), p.validity.from.or(p.adopted.date()))
        });
        let chart = super::timeline::timeline(&plans, app.snapshot_in(l.0).as_of, true);
        render(
            &app,
            l,
            &uri,
            "analysis_timeline.html",
            context! { timeline => v(chart), caption => "timeline-caption-region" },
        )
    });
    respond(&app, &lang, result)
}

/// Each responding State's last approved plan against the Rio de Janeiro commitment, with the
/// rule of every criterion, the evidence of every answer and the score's arithmetic shown.
async fn rio_commitment(State(app): State<AppState>, lang: LangPath, uri: Uri) -> Response {
    let result = page_lang(&lang).and_then(|l| {
        // The States' replies: written by their liaison officers or the secretariat.
        let annotations = super::annotations::of_cycle(&app, comparison::CYCLE)?;
        let replies = annotation_map(&annotations, AnnotationKind::RioReply);
        let assessments = rio::rio_assessment(&app.snapshot_in(l.0).dataset, &replies);
        let names = state_names(&app, l);
        let ctx = context! { assessments => v(assessments), criteria => v(rio::CRITERIA), names };
        Ok(super::report::revalidate(render(&app, l, &uri, "analysis_rio.html", ctx)))
    });
    respond(&app, &lang, result)
}
