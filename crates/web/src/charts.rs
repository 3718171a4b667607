//! The monitoring pages' charts, as inline SVG readable without JavaScript: the drawing is
//! `observa_report::charts` (the annual report draws the same charts); this module gives it the
//! page's words and the browser's sans-serif. The page puts the data table beside each chart as
//! its text alternative.

use observa_domain::monitoring::dashboard::{IndicatorRow, StateFigures};
use observa_domain::{Dataset, Lang};
use observa_report::charts;

use crate::i18n::Lang as UiLang;

/// An indicator's chart in the page's language.
pub fn indicator(row: &IndicatorRow, lang: Lang) -> String {
    charts::indicator(row, &row.indicator.id, &UiLang(lang).text("monitoring-values-of"), charts::SANS)
}

/// Horizontal bars: each followed plan's share of indicators with an approved value from the last
/// year, labelled with its State's name in the page's language.
pub fn states(figures: &[StateFigures], registry: &Dataset, lang: Lang) -> String {
    let bars: Vec<(String, f64)> = figures
        .iter()
        .map(|f| (registry.state(&f.state).map_or(f.state.clone(), |s| s.name(lang).to_string()), f.recent_share))
        .collect();
    charts::states(&bars, &UiLang(lang).text("monitoring-states-chart-caption"), charts::SANS)
}
