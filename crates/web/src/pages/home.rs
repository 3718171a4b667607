//! Home: the regional overview. A choropleth map of the Americas by plan status (server-rendered
//! SVG, every State a link; small island States also get a marker), its legend and a table as
//! text alternative, and the key figures.

use std::sync::OnceLock;

use axum::extract::{Query, State};
use axum::http::Uri;
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;

use super::{page_lang, render, respond, LangPath, OnDate};
use crate::templates::v;
use crate::AppState;

#[derive(Deserialize)]
struct MapData {
    #[serde(rename = "viewBox")]
    view_box: String,
    attribution: String,
    states: Vec<MapState>,
    #[serde(default)]
    context: Vec<MapContext>,
}

#[derive(Deserialize)]
struct MapState {
    code: String,
    path: String,
    centroid: [f64; 2],
    area: f64,
}

#[derive(Deserialize)]
struct MapContext {
    path: String,
}

/// Below this area (in map units) a State is too small to click: it also gets a marker.
const SMALL: f64 = 65.0;

fn map() -> &'static MapData {
    static MAP: OnceLock<MapData> = OnceLock::new();
    MAP.get_or_init(|| {
        serde_json::from_str(include_str!("../../assets/americas.json")).expect("the committed map parses")
    })
}

pub async fn page(State(app): State<AppState>, lang: LangPath, uri: Uri, Query(on): Query<OnDate>) -> Response {
    let on = on.date(&app);
    let result = page_lang(&lang).and_then(|l| on.map(|on| (l, on))).map(|(lang, on)| {
        let snap = app.snapshot_in(lang.0);
        let map = map();
        let states: Vec<_> = map
            .states
            .iter()
            .filter_map(|m| {
                let s = snap.dataset.state(&m.code)?;
                let category = snap.categories.get(&m.code).copied()?;
                Some(context! {
                    code => m.code.as_str(), name => s.name(lang.0), path => m.path.as_str(), category => v(category),
                    small => m.area < SMALL, cx => m.centroid[0], cy => m.centroid[1],
                })
            })
            .collect();
        let context_paths: Vec<&str> = map.context.iter().map(|c| c.path.as_str()).collect();
        let mut table: Vec<_> = snap
            .dataset
            .states
            .iter()
            .map(|s| {
                let last = snap.dataset.plans.iter().find(|p| p.state == s.code && p.last_approved);
                context! {
                    code => s.code.as_str(), name => s.name(lang.0), category => v(snap.categories.get(s.code.as_str())),
                    plan => last.map(|p| p.name.clone()), plan_lang => last.map(|p| p.lang.code()),
                }
            })
            .collect();
        table.sort_by_key(|v| v.get_attr("name").map(|n| n.to_string()).unwrap_or_default());
        let ctx = context! {
            view_box => map.view_box.as_str(), attribution => map.attribution.as_str(), map_states => states,
            context_paths => context_paths, table => table, figures => v(snap.figures(on)),
        };
        render(&app, lang, &uri, "home.html", ctx)
    });
    respond(&app, &lang, result)
}
