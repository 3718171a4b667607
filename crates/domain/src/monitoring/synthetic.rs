//! Synthetic monitoring data, for `observa demo` and the benchmarks only: matrices and approved
//! reports that look like a plan's, made from a seed (the same seed, the same data). Every text
//! says it is a demonstration; nothing here ever reaches the default database.

use chrono::{Days, Months, NaiveDate};

use super::schedule::{periods, Frequency};
use super::*;
use crate::consultation::Status;
use crate::Lang;

/// What to make for one plan.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub indicators: usize,
    pub frequency: Frequency,
    pub starts: NaiveDate,
    pub years: u32,
    pub seed: u64,
}

/// A small deterministic generator (a linear congruential one: no dependency, reproducible).
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A matrix for `plan` with `shape.indicators` indicators spread over the five focal points, led
/// by the given organisations (ids of the registry; at least one).
pub fn matrix(plan: &str, organisations: &[String], shape: Shape) -> Matrix {
    let mut dice = Dice(shape.seed);
    let ends = shape.starts.checked_add_months(Months::new(12 * shape.years)).unwrap_or(shape.starts) - Days::new(1);
    let per_line = shape.indicators.div_ceil(FocalPoint::ALL.len()).max(1);
    let mut objectives = vec![];
    let mut made = 0;
    for (o, focal) in FocalPoint::ALL.iter().enumerate() {
        let mut actions = vec![];
        for a in 0..per_line.div_ceil(4) {
            let mut indicators = vec![];
            while indicators.len() < 4 && made < shape.indicators {
                let up = dice.next() < 0.7;
                let base = (dice.next() * 100.0).round();
                let goal = if up { base + 10.0 + (dice.next() * 90.0).round() } else { (base * 0.4).round() };
                made += 1;
                indicators.push(Indicator {
                    id: format!("i{made}"),
                    name: format!("Demonstration indicator {made}"),
                    kind: if dice.next() < 0.6 { IndicatorKind::Process } else { IndicatorKind::Outcome },
                    unit: "count".into(),
                    baseline: Some(Point { value: base, date: shape.starts }),
                    target: Some(Point { value: goal, date: ends }),
                    direction: if up { Direction::Up } else { Direction::Down },
                    frequency: shape.frequency,
                    starts: shape.starts,
                    data_source: "Demonstration data".into(),
                    disaggregation: vec![],
                });
            }
            if indicators.is_empty() {
                break;
            }
            actions.push(Action {
                id: format!("o{}.a{}", o + 1, a + 1),
                title: format!("Demonstration action {}.{}", o + 1, a + 1),
                lead: organisations.get((o + a) % organisations.len().max(1)).cloned(),
                partners: vec![],
                start: None,
                target: None,
                status: ActionStatus::ALL[(o + a) % 3],
                resources: None,
                source: "Demonstration data".into(),
                indicators,
                updates: vec![],
            });
        }
        let line = Line {
            id: format!("o{}.l1", o + 1),
            title: format!("Demonstration line {}", o + 1),
            focal_points: vec![*focal],
            actions,
        };
        objectives.push(Objective {
            id: format!("o{}", o + 1),
            title: format!("Demonstration objective {}", o + 1),
            lines: vec![line],
            indicators: vec![],
        });
    }
    Matrix { plan: plan.into(), lock_days: DEFAULT_LOCK_DAYS, objectives }
}

/// Approved reports for every period of every indicator that ended before `until`: values near
/// the line from baseline to target, some behind it, a few periods without data.
pub fn reports(matrix: &Matrix, until: NaiveDate, seed: u64) -> Vec<ProgressReport> {
    let mut dice = Dice(seed ^ 0x9e37_79b9_7f4a_7c15);
    let mut out = vec![];
    for placed in matrix.indicators() {
        let i = placed.indicator;
        let (Some(b), Some(t)) = (i.baseline, i.target) else { continue };
        let span = (t.date - b.date).num_days().max(1) as f64;
        let lag = 0.6 + dice.next() * 0.6;
        for p in periods(i).into_iter().filter(|p| p.end < until) {
            let share = ((p.end - b.date).num_days() as f64 / span).clamp(0.0, 1.0);
            let missing = dice.next() < 0.05;
            let value = b.value + (t.value - b.value) * share * lag + (dice.next() - 0.5) * 4.0;
            out.push(ProgressReport {
                key: ReportKey { plan: matrix.plan.clone(), indicator: i.id.clone(), period: p.start },
                period_end: p.end,
                status: Status::Accepted,
                value: (!missing).then_some((value * 10.0).round() / 10.0),
                no_data: missing.then(|| "Demonstration: no data for this period".to_string()),
                breakdown: Default::default(),
                narrative: "Demonstration data.".into(),
                lang: Lang::En,
                late: dice.next() < 0.1,
                version: 3,
                updated_by: "demo".into(),
                updated_at: p.end.to_string(),
                submitted_at: Some(p.end.to_string()),
            });
        }
    }
    out
}
