//! Treaties (the ratification matrix of Appendix 3 and the OPSC reporting table of Appendix 2
//! with computed values and flags), sources and curation, search, downloads.

use axum::extract::{Query, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use minijinja::{context, Value};

use super::{page_lang, render, respond, LangPath};
use crate::search::SearchParams;
use crate::templates::v;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{lang}/treaties", get(treaties))
        .route("/{lang}/sources", get(sources))
        .route("/{lang}/search", get(search))
        .route("/{lang}/downloads", get(downloads))
}

async fn treaties(State(app): State<AppState>, lang: LangPath, uri: Uri) -> Response {
    let result = page_lang(&lang).map(|l| {
        let ds = &app.snapshot_in(l.0).dataset;
        let rows: Vec<Value> = ds
            .states
            .iter()
            .filter(|s| ds.ratifications.iter().any(|r| r.state == s.code))
            .map(|s| {
                let cells: Vec<Value> = ds
                    .treaties
                    .iter()
                    .map(|t| v(ds.ratifications.iter().find(|r| r.state == s.code && r.treaty == t.code)))
                    .collect();
                context! { code => s.code.as_str(), name => s.name(l.0), cells }
            })
            .collect();
        let reporting: Vec<Value> = app
            .snapshot_in(l.0)
            .reporting
            .iter()
            .map(|r| context! { item => v(r), name => ds.state(r.report.state.as_str()).map(|s| s.name(l.0)) })
            .collect();
        let missing: Vec<String> = ds
            .states
            .iter()
            .filter(|s| !ds.ratifications.iter().any(|r| r.state == s.code))
            .map(|s| s.name(l.0).to_string())
            .collect();
        let ctx = context! {
            treaties => v(&ds.treaties), rows, reporting, missing,
            as_of => app.snapshot_in(l.0).as_of.to_string(),
        };
        render(&app, l, &uri, "treaties.html", ctx)
    });
    respond(&app, &lang, result)
}

async fn sources(State(app): State<AppState>, lang: LangPath, uri: Uri) -> Response {
    let result = page_lang(&lang).map(|l| {
        let ds = &app.snapshot_in(l.0).dataset;
        let flags: Vec<Value> = app
            .snapshot_in(l.0)
            .reporting
            .iter()
            .flat_map(|r| {
                r.flags.iter().map(
                    move |f| context! { state => r.report.state.as_str(), sequence => r.report.sequence, flag => v(f) },
                )
            })
            .collect();
        let ctx = context! {
            documents => v(&ds.documents),
            corrections => v(&ds.corrections),
            disagreements => v(&ds.disagreements),
            flags,
        };
        render(&app, l, &uri, "sources.html", ctx)
    });
    respond(&app, &lang, result)
}

async fn search(State(app): State<AppState>, lang: LangPath, uri: Uri, Query(params): Query<SearchParams>) -> Response {
    let result = page_lang(&lang).and_then(|l| {
        let q = params.q.clone().unwrap_or_default();
        let results = if q.trim().is_empty() {
            None
        } else {
            Some(app.search().search(&q, &params, 50, l.0)?)
        };
        Ok(render(&app, l, &uri, "search.html", context! { q, results => v(&results), params => v(context!{ state => params.state, kind => params.kind, focal_point => params.focal_point }) }))
    });
    respond(&app, &lang, result)
}

async fn downloads(State(app): State<AppState>, lang: LangPath, uri: Uri) -> Response {
    let result = page_lang(&lang).and_then(|l| {
        let cycles = crate::changes::History::read(&app)?.cycles();
        Ok(render(&app, l, &uri, "downloads.html", context! { files => v(app.downloads().listing()), cycles }))
    });
    respond(&app, &lang, result)
}
