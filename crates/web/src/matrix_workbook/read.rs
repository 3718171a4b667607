//! Reading a filled matrix workbook back into a [`Matrix`]: the header's codes locate the
//! columns, merged cells count for every row they cover, and every cell that cannot be used is
//! reported with its name; any problem refuses the workbook whole.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Reader, Xlsx};
use chrono::NaiveDate;
use observa_domain::facts::FocalPoint;
use observa_domain::monitoring::{
    Action, ActionStatus, Direction, Disaggregation, Frequency, Indicator, IndicatorKind, Line, Matrix, Objective,
    Point,
};
use observa_domain::PartialDate;

use super::{code_of, COLUMNS, FIRST, MATRIX, MAX_MERGES};
use crate::workbook::{cell_name, Sheet, ZIP_LIMITS};

/// What reading a matrix workbook found.
#[derive(Debug)]
pub struct Reading {
    pub matrix: Matrix,
    /// The version the workbook was downloaded at (0: a blank).
    pub version: i64,
    /// Counts of what was read: objectives, lines, actions, indicators.
    pub counts: [usize; 4],
}

/// Reads a filled matrix workbook for `plan`. `Err` with every problem found, each naming its
/// cell, when the workbook is not ours, is over a limit, or has a cell that cannot be used.
pub fn read(plan: &str, bytes: &[u8]) -> Result<Reading, Vec<String>> {
    crate::filetype::check_zip(bytes, &ZIP_LIMITS).map_err(|e| vec![e])?;
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| vec![format!("not a readable XLSX workbook: {e}")])?;
    if !book.sheet_names().iter().any(|n| n == MATRIX) {
        return Err(vec![format!(
            "the workbook has no sheet `{MATRIX}`: download the plan's matrix workbook and fill that"
        )]);
    }
    let mut budget = crate::workbook::MAX_CELLS;
    let sheet = Sheet::read(&mut book, MATRIX, &mut budget).map_err(|e| vec![e])?;
    let merges = book.merge_cells_by_sheet_name(MATRIX).map_err(|e| vec![format!("sheet `{MATRIX}`: {e}")])?;
    if merges.len() > MAX_MERGES {
        return Err(vec![format!("sheet `{MATRIX}` has more than {MAX_MERGES} merged regions")]);
    }
    let mut problems = vec![];
    let named = sheet.get(0, 1).cloned().unwrap_or_default();
    if named != plan {
        problems.push(format!("{MATRIX}!B1: the workbook is for plan `{}`, not `{plan}`", shown(&named)));
    }
    let version = number_at(&sheet, 0, 3, &mut problems, "D1: the version").unwrap_or(0.0) as i64;
    let lock_days = number_at(&sheet, 0, 5, &mut problems, "F1: lock_days").unwrap_or(60.0);
    let mut matrix = Matrix::new(plan);
    matrix.lock_days = if (0.0..=366.0).contains(&lock_days) && lock_days.fract() == 0.0 {
        lock_days as u32
    } else {
        problems.push(format!("{MATRIX}!F1: lock_days is a whole number of days from 0 to 366"));
        60
    };
    // Row 2 names each column as "Label [code]".
    let mut at: BTreeMap<&str, u32> = BTreeMap::new();
    for (c, text) in sheet.rows_from(1).remove(&1).unwrap_or_default() {
        let Some(code) = text.rsplit_once('[').map(|(_, c)| c.trim_end_matches(']').trim()) else { continue };
        match COLUMNS.iter().find(|(k, _)| *k == code) {
            Some((k, _)) => {
                at.insert(k, c);
            }
            None => problems.push(format!("{}: no column `{}`", cell(1, c), shown(code))),
        }
    }
    for needed in ["objective", "objective_title"] {
        if !at.contains_key(needed) {
            problems.push(format!("{MATRIX}!2: the header has no column [{needed}]"));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // The merged regions over each column read, by first row: a lookup is a binary search, not a
    // scan of every region for every cell (a hostile workbook may hold thousands).
    let mut spans: BTreeMap<u32, Vec<&calamine::Dimensions>> = BTreeMap::new();
    for m in &merges {
        for &c in at.values().filter(|&&c| m.start.1 <= c && c <= m.end.1) {
            spans.entry(c).or_default().push(m);
        }
    }
    spans.values_mut().for_each(|v| v.sort_by_key(|m| m.start.0));
    let value = |r: u32, code: &str| -> String {
        let Some(&c) = at.get(code) else { return String::new() };
        let over = spans.get(&c).and_then(|v| {
            let k = v.partition_point(|m| m.start.0 <= r);
            k.checked_sub(1).map(|k| v[k]).filter(|m| r <= m.end.0)
        });
        let (r0, c0) = over.map_or((r, c), |m| m.start);
        sheet.get(r0, c0).cloned().unwrap_or_default()
    };
    // A cell named as the coordinator sees it: where its column is in this workbook.
    let place = |r: u32, code: &str| -> String {
        at.get(code).map_or_else(|| format!("{MATRIX} row {} [{code}]", r + 1), |&c| cell(r, c))
    };
    for (r, _) in sheet.rows_from(FIRST) {
        row(&mut matrix, r, &value, &place, &mut problems);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let counts = [
        matrix.objectives.len(),
        matrix.objectives.iter().map(|o| o.lines.len()).sum(),
        matrix.actions().count(),
        matrix.indicators().len(),
    ];
    Ok(Reading { matrix, version, counts })
}

/// Adds one row's objective, line, action and indicator to `matrix` (each once, by id).
fn row(
    matrix: &mut Matrix,
    r: u32,
    value: &dyn Fn(u32, &str) -> String,
    place: &dyn Fn(u32, &str) -> String,
    problems: &mut Vec<String>,
) {
    let v = |code: &str| value(r, code);
    let at = |code: &str| place(r, code);
    let objective_id = v("objective");
    if objective_id.is_empty() {
        problems.push(format!("{}: every row names its objective", at("objective")));
        return;
    }
    let objective = match matrix.objectives.iter().position(|o| o.id == objective_id) {
        Some(k) => &mut matrix.objectives[k],
        None => {
            matrix.objectives.push(Objective {
                id: objective_id,
                title: v("objective_title"),
                lines: vec![],
                indicators: vec![],
            });
            matrix.objectives.last_mut().expect("just pushed")
        }
    };
    let (line_id, action_id, indicator_id) = (v("line"), v("action"), v("indicator"));
    if line_id.is_empty() {
        if !action_id.is_empty() {
            problems.push(format!("{}: an action belongs to a line of action", at("line")));
        } else if !indicator_id.is_empty() {
            match indicator(&v, &at, IndicatorKind::Outcome) {
                Ok(i) => objective.indicators.push(i),
                Err(mut p) => problems.append(&mut p),
            }
        }
        return;
    }
    let line = match objective.lines.iter().position(|l| l.id == line_id) {
        Some(k) => &mut objective.lines[k],
        None => {
            let mut focal_points = vec![];
            for part in list(&v("focal_points")) {
                match focal_point(&part) {
                    Some(f) if !focal_points.contains(&f) => focal_points.push(f),
                    Some(_) => {}
                    None => problems.push(format!(
                        "{}: `{}` is not a focal point (coordination, prevention, protection, recovery, participation or 1 to 5)",
                        at("focal_points"),
                        shown(&part)
                    )),
                }
            }
            objective.lines.push(Line { id: line_id, title: v("line_title"), focal_points, actions: vec![] });
            objective.lines.last_mut().expect("just pushed")
        }
    };
    if action_id.is_empty() {
        if !indicator_id.is_empty() {
            problems
                .push(format!("{}: an indicator hangs on an action or on its objective, not on a line", at("action")));
        }
        return;
    }
    let action = match line.actions.iter().position(|a| a.id == action_id) {
        Some(k) => &mut line.actions[k],
        None => match new_action(action_id, &v, &at) {
            Ok(a) => {
                line.actions.push(a);
                line.actions.last_mut().expect("just pushed")
            }
            Err(mut p) => {
                problems.append(&mut p);
                return;
            }
        },
    };
    if !indicator_id.is_empty() {
        match indicator(&v, &at, IndicatorKind::Process) {
            Ok(i) => action.indicators.push(i),
            Err(mut p) => problems.append(&mut p),
        }
    }
}

fn new_action(id: String, v: &dyn Fn(&str) -> String, at: &dyn Fn(&str) -> String) -> Result<Action, Vec<String>> {
    let mut problems = vec![];
    let mut date = |code: &str| -> Option<PartialDate> {
        let text = v(code);
        if text.is_empty() {
            return None;
        }
        PartialDate::parse_iso(&excel_date(&text))
            .map_err(|_| {
                problems.push(format!("{}: `{}` is not a date (2015, 2015-06 or 2015-06-30)", at(code), shown(&text)))
            })
            .ok()
    };
    let (start, target) = (date("action_start"), date("action_target"));
    let status_text = v("status");
    let status = if status_text.is_empty() {
        ActionStatus::NotStarted
    } else {
        ActionStatus::parse(&status_text).unwrap_or_else(|| {
            problems.push(format!(
                "{}: `{}` is not a status (not-started, in-progress, completed, discontinued)",
                at("status"),
                shown(&status_text)
            ));
            ActionStatus::NotStarted
        })
    };
    let optional = |text: String| Some(text).filter(|t| !t.is_empty());
    let action = Action {
        id,
        title: v("action_title"),
        lead: optional(v("lead")),
        partners: list(&v("partners")),
        start,
        target,
        status,
        resources: optional(v("resources")),
        source: v("source"),
        indicators: vec![],
        updates: vec![],
    };
    if problems.is_empty() {
        Ok(action)
    } else {
        Err(problems)
    }
}

fn indicator(
    v: &dyn Fn(&str) -> String,
    at: &dyn Fn(&str) -> String,
    default_kind: IndicatorKind,
) -> Result<Indicator, Vec<String>> {
    let mut problems = vec![];
    let mut required = |code: &str, what: &str| {
        let text = v(code);
        if text.is_empty() {
            problems.push(format!("{}: the indicator's {what} is missing", at(code)));
        }
        text
    };
    let (name, unit) = (required("indicator_name", "name"), required("unit", "unit"));
    let starts_text = required("starts", "first reporting day (starts)");
    let day = |code: &str, text: &str, problems: &mut Vec<String>| -> Option<NaiveDate> {
        let parsed = NaiveDate::parse_from_str(&excel_date(text), "%Y-%m-%d").ok();
        if parsed.is_none() && !text.is_empty() {
            problems.push(format!("{}: `{}` is not a day (2015-06-30)", at(code), shown(text)));
        }
        parsed
    };
    let starts = day("starts", &starts_text, &mut problems);
    let point = |value: &str, date: &str, problems: &mut Vec<String>| -> Option<Point> {
        let (text, when) = (v(value), v(date));
        if text.is_empty() && when.is_empty() {
            return None;
        }
        let number = text.replace(',', ".").parse::<f64>().ok().filter(|n| n.is_finite());
        if number.is_none() {
            problems.push(format!("{}: `{}` is not a number", at(value), shown(&text)));
        }
        let on = day(date, &when, problems);
        if when.is_empty() {
            problems.push(format!("{}: a {value} needs its date", at(date)));
        }
        Some(Point { value: number?, date: on? })
    };
    let baseline = point("baseline", "baseline_date", &mut problems);
    let target = point("target", "target_date", &mut problems);
    let kind = match v("kind").as_str() {
        "" => default_kind,
        "process" => IndicatorKind::Process,
        "outcome" => IndicatorKind::Outcome,
        other => {
            problems.push(format!("{}: `{}` is not process or outcome", at("kind"), shown(other)));
            default_kind
        }
    };
    let direction = match v("direction").as_str() {
        "" | "up" => Direction::Up,
        "down" => Direction::Down,
        other => {
            problems.push(format!("{}: `{}` is not up or down", at("direction"), shown(other)));
            Direction::Up
        }
    };
    let frequency_text = v("frequency");
    let frequency = Frequency::parse(&frequency_text);
    if frequency.is_none() {
        problems.push(format!(
            "{}: `{}` is not a frequency (monthly, quarterly, half-yearly, yearly, once, or 1, 3, 6, 12 months)",
            at("frequency"),
            shown(&frequency_text)
        ));
    }
    let mut disaggregation = vec![];
    for part in list(&v("disaggregation")) {
        match part.as_str() {
            "sex" => disaggregation.push(Disaggregation::Sex),
            "age-band" | "age" => disaggregation.push(Disaggregation::AgeBand),
            "region" => disaggregation.push(Disaggregation::Region),
            other => {
                problems.push(format!("{}: `{}` is not sex, age-band or region", at("disaggregation"), shown(other)))
            }
        }
    }
    match (starts, frequency, problems.is_empty()) {
        (Some(starts), Some(frequency), true) => Ok(Indicator {
            id: v("indicator"),
            name,
            kind,
            unit,
            baseline,
            target,
            direction,
            frequency,
            starts,
            data_source: v("data_source"),
            disaggregation,
        }),
        _ => Err(problems),
    }
}

/// A cell's date as ISO text: spreadsheet programs turn typed dates into serial day numbers
/// (days since 1899-12-30), which the reader gives back as a number.
fn excel_date(text: &str) -> String {
    match text.parse::<f64>() {
        Ok(serial) if (1.0..200_000.0).contains(&serial) && !text.contains('-') && text.len() > 4 => {
            let base = NaiveDate::from_ymd_opt(1899, 12, 30).expect("a valid date");
            (base + chrono::Days::new(serial.floor() as u64)).to_string()
        }
        _ => text.to_string(),
    }
}

fn focal_point(text: &str) -> Option<FocalPoint> {
    let t = text.trim().to_lowercase();
    FocalPoint::ALL.into_iter().find(|f| code_of(*f) == t || f.number().to_string() == t)
}

/// A cell's list: items separated by commas, semicolons or line breaks.
fn list(text: &str) -> Vec<String> {
    text.split([',', ';', '\n']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

fn cell(row: u32, column: u32) -> String {
    format!("{MATRIX}!{}", cell_name(row, column))
}

fn number_at(sheet: &Sheet, row: u32, column: u32, problems: &mut Vec<String>, what: &str) -> Option<f64> {
    let text = sheet.get(row, column)?;
    let n = text.parse::<f64>().ok();
    if n.is_none() {
        problems.push(format!("{MATRIX}!{what} is not a number"));
    }
    n
}

/// At most 80 characters of a cell, for a problem's text.
fn shown(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(80).collect()
}
