//! The report's section on plan monitoring, from approved values only: which States follow their
//! plan with indicators, which focal points those indicators serve, how many have an approved
//! value from the last year, how many are on track, off track or without data, a chart comparing
//! the States and, per plan, charts of a few key indicators, each followed by its data table.
//! Every figure is the domain's (`monitoring::dashboard`): the section only lays them out. With no
//! indicator recorded anywhere it is one paragraph saying so and how a coordinator starts.

use std::collections::{BTreeMap, BTreeSet};

use observa_domain::facts::FocalPoint;
use observa_domain::monitoring::dashboard::{self, IndicatorRow, PlanFigures, StateFigures};
use observa_domain::monitoring::{IndicatorKind, Matrix, ProgressReport, Track};

use super::Ctx;
use crate::charts;
use crate::document::{Block, Inline, Table};
use crate::labels::Arg;
use crate::raster::FONT;

/// One plan's monitoring as the report reads it: its State, its action matrix and its approved
/// progress reports (callers pass approved ones only; others are dropped here all the same).
#[derive(Debug, Clone)]
pub struct PlanMonitoring {
    pub state: String,
    pub matrix: Matrix,
    pub approved: Vec<ProgressReport>,
}

/// How many indicators of a plan get a chart: the section stays a few pages for 35 plans.
const KEY_INDICATORS: usize = 3;

/// How many approved values a chart's printed table lists, the latest (the chart draws them all,
/// the workbook lists them all): a monthly indicator over ten years would fill pages.
const PRINTED_VALUES: usize = 8;

/// A plan with its figures, as the section lays it out.
struct Followed<'a> {
    plan: &'a PlanMonitoring,
    name: String,
    state_name: String,
    figures: PlanFigures,
    state: StateFigures,
}

pub(super) fn write(cx: &mut Ctx) {
    let l = cx.l;
    cx.heading(1, "monitoring", l.t("report-h-monitoring"));
    let on = cx.inp.monitored_on;
    let mut plans: Vec<Followed> = cx
        .inp
        .monitoring
        .iter()
        .map(|m| {
            let approved: Vec<ProgressReport> = m.approved.iter().filter(|r| r.approved()).cloned().collect();
            // No periods: the report shows no reports due or overdue, only what was approved.
            let figures = dashboard::plan(&m.matrix, &[], &approved, on);
            // The latest approved period per indicator, as the regional dashboard reads it.
            let latest: BTreeMap<String, _> = figures
                .indicators
                .iter()
                .filter_map(|r| r.judgement.latest.map(|(day, _)| (r.indicator.id.clone(), day)))
                .collect();
            let name = cx.inp.dataset.plans.iter().find(|p| p.id == m.matrix.plan).map(|p| p.name.clone());
            Followed {
                plan: m,
                name: name.unwrap_or_else(|| m.matrix.plan.clone()),
                state_name: cx.state_name(&m.state),
                state: dashboard::state(&m.state, &m.matrix, &latest, on),
                figures,
            }
        })
        .filter(|f| f.state.monitors)
        .collect();
    if plans.is_empty() {
        cx.para(l.t("report-monitoring-none"));
        return;
    }
    plans.sort_by(|a, b| (&a.state_name, &a.name).cmp(&(&b.state_name, &b.name)));
    if cx.inp.demonstration {
        cx.out.push(Block::Paragraph(vec![Inline::Strong(l.t("report-monitoring-demonstration"))]));
    }
    let mut names: Vec<String> = plans.iter().map(|f| f.state_name.clone()).collect();
    names.dedup();
    let members = cx.inp.dataset.states.iter().filter(|s| s.code.is_oas_member()).count();
    cx.para(l.f(
        "report-monitoring-intro",
        &[
            ("on", Arg::S(on.to_string())),
            ("count", Arg::N(names.len())),
            ("total", Arg::N(members)),
            ("states", Arg::S(l.join(&names))),
        ],
    ));
    cx.out.push(Block::Paragraph(vec![
        Inline::Strong(format!("{} ", l.t("monitoring-rule-title"))),
        Inline::Text(l.t("monitoring-rule")),
    ]));
    compared(cx, &plans);
    cx.heading(2, "monitoring-plans", l.t("report-h-monitoring-plans"));
    cx.para(l.f("report-monitoring-key-intro", &[("count", Arg::N(KEY_INDICATORS))]));
    let mut sheets = BTreeSet::new();
    for f in &plans {
        key_indicators(cx, f, &mut sheets);
    }
}

/// The States side by side: the chart of recent data with its table, focal-point coverage, and
/// the verdicts per plan.
fn compared(cx: &mut Ctx, plans: &[Followed]) {
    let l = cx.l;
    cx.heading(2, "monitoring-states", l.t("report-h-monitoring-states"));
    let bars: Vec<(String, f64)> = plans.iter().map(|f| (f.state_name.clone(), f.state.recent_share)).collect();
    let caption = l.t("monitoring-states-chart-caption");
    let rows = plans
        .iter()
        .map(|f| {
            let points: Vec<String> = f.state.focal_points.iter().map(|fp| cx.label("fp", fp)).collect();
            vec![
                f.state_name.clone(),
                f.name.clone(),
                f.state.indicators.to_string(),
                points.join("; "),
                f.state.with_recent_data.to_string(),
                format!("{:.0}", f.state.recent_share),
            ]
        })
        .collect();
    cx.out.push(Block::Figure {
        id: "monitoring-states-chart".into(),
        svg: charts::states(&bars, &caption, FONT),
        caption,
        table: Table {
            id: "monitoring-states-table".into(),
            caption: l.t("report-monitoring-states-table"),
            header: vec![
                l.t("col-state"),
                l.t("report-col-plan"),
                l.t("monitoring-indicators"),
                l.t("monitoring-focal-points"),
                l.t("report-col-recent"),
                l.t("report-col-recent-share"),
            ],
            rows,
            widths: vec![3, 6, 2, 5, 3, 2],
            sheet: Some(l.t("report-sheet-monitoring")),
            sheet_header: Vec::new(),
            sheet_rows: Vec::new(),
        },
    });
    let coverage = FocalPoint::ALL
        .iter()
        .map(|fp| {
            let mut states: Vec<String> =
                plans.iter().filter(|f| f.state.focal_points.contains(fp)).map(|f| f.state_name.clone()).collect();
            states.dedup();
            vec![cx.label("fp", fp), states.len().to_string(), l.join(&states)]
        })
        .collect();
    cx.table(Table {
        id: "monitoring-coverage".into(),
        caption: l.t("report-monitoring-coverage-caption"),
        header: vec![l.t("monitoring-focal-point"), l.t("report-col-total"), l.t("report-col-which-states")],
        rows: coverage,
        widths: vec![3, 1, 6],
        sheet: None,
        sheet_header: Vec::new(),
        sheet_rows: Vec::new(),
    });
    let count = |f: &Followed, t: Track| f.figures.tracks.get(&t).copied().unwrap_or_default().to_string();
    let rows = plans
        .iter()
        .map(|f| {
            vec![
                f.state_name.clone(),
                f.name.clone(),
                f.figures.indicators.len().to_string(),
                count(f, Track::OnTrack),
                count(f, Track::OffTrack),
                count(f, Track::NoData),
            ]
        })
        .collect();
    cx.table(Table {
        id: "monitoring-tracks".into(),
        caption: l.t("report-monitoring-tracks-caption"),
        header: vec![
            l.t("col-state"),
            l.t("report-col-plan"),
            l.t("monitoring-indicators"),
            l.t("track-on-track"),
            l.t("track-off-track"),
            l.t("track-no-data"),
        ],
        rows,
        widths: vec![3, 6, 2, 2, 2, 2],
        sheet: Some(l.t("report-sheet-monitoring-tracks")),
        sheet_header: Vec::new(),
        sheet_rows: Vec::new(),
    });
}

/// A plan's verdicts in one sentence and charts of its key indicators: those with approved
/// values, outcome indicators first, then the most values, in the matrix's order.
fn key_indicators(cx: &mut Ctx, f: &Followed, sheets: &mut BTreeSet<String>) {
    let l = cx.l;
    let plan = &f.plan.matrix.plan;
    cx.heading(3, &format!("monitoring-{plan}"), format!("{}: {}", f.state_name, f.name));
    let n = |t: Track| Arg::N(f.figures.tracks.get(&t).copied().unwrap_or_default());
    cx.para(l.f(
        "report-monitoring-plan-summary",
        &[
            ("indicators", Arg::N(f.figures.indicators.len())),
            ("on", n(Track::OnTrack)),
            ("off", n(Track::OffTrack)),
            ("none", n(Track::NoData)),
        ],
    ));
    let mut key: Vec<&IndicatorRow> = f.figures.indicators.iter().filter(|r| !r.series.is_empty()).collect();
    key.sort_by_key(|r| (r.indicator.kind != IndicatorKind::Outcome, std::cmp::Reverse(r.series.len())));
    if key.is_empty() {
        cx.para(l.t("report-monitoring-no-key"));
    }
    for row in key.into_iter().take(KEY_INDICATORS) {
        let i = &row.indicator;
        let id = format!("{plan}-{}", i.id);
        let track = cx.label("track", &row.judgement.track);
        let point =
            |what: &str, day: chrono::NaiveDate, value: f64| vec![l.t(what), day.to_string(), value.to_string()];
        let values: Vec<Vec<String>> =
            row.series.iter().map(|(day, value)| point("report-monitoring-approved", *day, *value)).collect();
        let earlier = values.len().saturating_sub(PRINTED_VALUES);
        let mut rows: Vec<Vec<String>> =
            i.baseline.iter().map(|b| point("monitoring-baseline", b.date, b.value)).collect();
        let mut sheet_rows = rows.clone();
        sheet_rows.extend(values.iter().cloned());
        if earlier > 0 {
            rows.push(vec![
                l.f("report-monitoring-earlier", &[("count", Arg::N(earlier))]),
                String::new(),
                String::new(),
            ]);
        }
        rows.extend(values.into_iter().skip(earlier));
        let target: Vec<Vec<String>> = i.target.iter().map(|t| point("monitoring-target", t.date, t.value)).collect();
        rows.extend(target.iter().cloned());
        sheet_rows.extend(target);
        cx.out.push(Block::Figure {
            id: format!("chart-{id}"),
            caption: l.f(
                "report-monitoring-chart-caption",
                &[("indicator", Arg::S(i.name.clone())), ("unit", Arg::S(i.unit.clone())), ("track", Arg::S(track))],
            ),
            svg: charts::indicator(row, &id, &l.t("monitoring-values-of"), FONT),
            table: Table {
                id: format!("data-{id}"),
                caption: l.f("report-monitoring-data-caption", &[("indicator", Arg::S(i.name.clone()))]),
                header: vec![l.t("report-col-point"), l.t("report-col-date"), l.t("monitoring-value")],
                rows,
                widths: vec![5, 2, 2],
                sheet: Some(sheet_name(&f.plan.state, &i.id, sheets)),
                sheet_header: Vec::new(),
                // The workbook keeps every value; print keeps the latest.
                sheet_rows: if earlier > 0 { sheet_rows } else { Vec::new() },
            },
        });
    }
}

/// A workbook sheet's name for an indicator's data: its State's code and the indicator's id, in
/// at most 31 characters (Excel's limit), without the characters a sheet name may not hold, and
/// numbered when taken already (`used`, lowercased: Excel compares names without case).
fn sheet_name(state: &str, indicator: &str, used: &mut BTreeSet<String>) -> String {
    let base: String = format!("{state} {indicator}").chars().filter(|c| !"[]:*?/\\'".contains(*c)).collect();
    let mut name: String = base.chars().take(31).collect();
    for n in 2.. {
        if used.insert(name.to_lowercase()) {
            break;
        }
        let suffix = format!(" {n}");
        name = base.chars().take(31 - suffix.len()).collect::<String>() + &suffix;
    }
    name
}
