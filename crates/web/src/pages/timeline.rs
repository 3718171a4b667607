//! A State's plans on a timeline: one bar per plan from its start (validity start, else
//! adoption) to its end (validity end, or the initial duration from adoption); plans still in
//! force or without an end run to the right edge, dashed. Drawn as SVG by the template; the
//! plan list beside it is the text alternative.

use chrono::{Datelike, NaiveDate};
use observa_domain::period::ValidityStatus;
use observa_domain::registry::Plan;
use serde::Serialize;

/// Width of the drawing area for bars, in SVG units (labels sit above each bar).
const WIDTH: f64 = 900.0;
const ROW: f64 = 34.0;
const TOP: f64 = 24.0;

#[derive(Serialize)]
pub struct Timeline {
    pub height: f64,
    pub width: f64,
    pub ticks: Vec<Tick>,
    pub bars: Vec<Bar>,
}

#[derive(Serialize)]
pub struct Tick {
    pub x: f64,
    pub year: i32,
}

#[derive(Serialize)]
pub struct Bar {
    pub id: String,
    pub label: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    /// The end is open (still in force, ongoing, or not stated).
    pub open: bool,
    pub last: bool,
    /// Where the label starts or ends: bars in the right half are labelled leftwards.
    pub label_x: f64,
    pub anchor: &'static str,
    pub span: String,
}

fn start(p: &Plan) -> Option<NaiveDate> {
    p.validity.from.or(p.adopted.date()).map(|d| d.earliest())
}

fn end(p: &Plan) -> Option<NaiveDate> {
    p.validity.effective_end(p.adopted.date())
}

/// At most `n` characters, with an ellipsis when cut.
fn short(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        return text.to_string();
    }
    text.chars().take(n - 1).collect::<String>() + "…"
}

/// The timeline of `plans` up to `today`; None when no plan has a date to place it. With
/// `with_state`, labels start with the State's code (the regional timeline).
pub fn timeline(plans: &[&Plan], today: NaiveDate, with_state: bool) -> Option<Timeline> {
    let dated: Vec<&&Plan> = plans.iter().filter(|p| start(p).is_some()).collect();
    let first = dated.iter().filter_map(|p| start(p)).min()?.year();
    let last_end = dated.iter().filter_map(|p| end(p)).max().map(|d| d.year()).unwrap_or(first);
    let last = last_end.max(today.year().min(first + 30)).max(first + 1) + 1;
    let x_of = |d: NaiveDate| {
        (d.year() - first) as f64 * WIDTH / (last - first) as f64
            + (d.ordinal() as f64 / 366.0) * WIDTH / (last - first) as f64
    };
    let right = WIDTH;
    let bars = dated
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let from = start(p).expect("dated");
            let stated_end = end(p);
            let ongoing = matches!(
                p.validity.status,
                Some(ValidityStatus::Ongoing | ValidityStatus::InForce | ValidityStatus::Extended)
            );
            let open = ongoing || stated_end.is_none();
            let x = x_of(from).clamp(0.0, right);
            let to = if open { right } else { x_of(stated_end.expect("closed")).min(right) };
            let span = match (stated_end, open) {
                (Some(e), false) => format!("{}–{}", from.year(), e.year()),
                _ => format!("{}–…", from.year()),
            };
            let width = (to - x).max(4.0);
            // Labels start at the bar unless that would run them off the right edge.
            let (label_x, anchor) = if x > WIDTH * 0.4 { (0.0, "start") } else { (x, "start") };
            let label = if with_state { format!("{} · {}", p.state, short(&p.name, 72)) } else { short(&p.name, 90) };
            Bar {
                id: p.id.clone(),
                label,
                x,
                y: TOP + i as f64 * ROW + 14.0,
                width,
                open,
                last: p.last_approved,
                label_x,
                anchor,
                span,
            }
        })
        .collect::<Vec<_>>();
    let step = if last - first > 20 {
        5
    } else if last - first > 8 {
        2
    } else {
        1
    };
    let ticks = (first..=last)
        .filter(|y| y % step == 0)
        .map(|year| Tick { x: x_of(NaiveDate::from_ymd_opt(year, 1, 1).expect("valid")), year })
        .collect();
    Some(Timeline { height: TOP + bars.len() as f64 * ROW + 10.0, width: WIDTH, ticks, bars })
}
