//! The matrix workbook's round trip, merged cells, and the problems a filled workbook can have.

use chrono::NaiveDate;
use observa_domain::monitoring::synthetic::{matrix as synthetic, Shape};
use observa_domain::monitoring::{ActionStatus, Frequency, IndicatorKind, Matrix};
use rust_xlsxwriter::{Format, Workbook};

use super::{build, read, COLUMNS, MATRIX};
use crate::Lang;

fn en() -> Lang {
    Lang(observa_domain::Lang::En)
}

fn sample() -> Matrix {
    let shape = Shape {
        indicators: 12,
        frequency: Frequency::Quarterly,
        starts: NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(),
        years: 3,
        seed: 7,
    };
    let mut m = synthetic("CL-2012", &["ORG-A".into(), "ORG-B".into()], shape);
    // An action status and a partial date survive the trip; status notes are the store's, not the sheet's.
    let first = m.actions().next().unwrap().1.id.clone();
    let a = m.action_mut(&first).unwrap();
    a.status = ActionStatus::InProgress;
    a.start = Some("2015-03".parse().unwrap());
    m.lock_days = 45;
    m
}

#[test]
fn a_matrix_goes_out_and_comes_back_the_same() {
    let m = sample();
    let bytes = build(&m, 3, en()).unwrap();
    let got = read("CL-2012", &bytes).unwrap();
    assert_eq!(got.version, 3);
    assert_eq!(got.matrix, m);
    assert_eq!(got.counts, [m.objectives.len(), m.objectives.iter().map(|o| o.lines.len()).sum(), m.actions().count(), 12]);
}

/// A workbook written the way plans are drawn: the objective and the line merged down the rows
/// they span, the columns in another order, typed numbers and an outcome indicator on the objective.
fn handmade(rows: &[&[(&str, &str)]], merges: &[(u32, u32, &str)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(MATRIX).unwrap();
    sheet.write_string(0, 0, "plan").unwrap();
    sheet.write_string(0, 1, "CL-2012").unwrap();
    sheet.write_string(0, 2, "version").unwrap();
    sheet.write_number(0, 3, 0.0).unwrap();
    let order: Vec<&str> = COLUMNS.iter().rev().map(|(c, _)| *c).collect();
    for (c, code) in order.iter().enumerate() {
        sheet.write_string(1, c as u16, format!("x [{code}]")).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (code, value) in row.iter() {
            let c = order.iter().position(|x| x == code).unwrap() as u16;
            match value.parse::<f64>() {
                Ok(n) if !value.contains('-') => sheet.write_number(r as u32 + 2, c, n).unwrap(),
                _ => sheet.write_string(r as u32 + 2, c, *value).unwrap(),
            };
        }
    }
    for (first, last, code) in merges {
        let c = order.iter().position(|x| x == code).unwrap() as u16;
        let value = rows[*first as usize].iter().find(|(k, _)| k == code).unwrap().1;
        sheet.merge_range(first + 2, c, last + 2, c, value, &Format::new()).unwrap();
    }
    book.save_to_buffer().unwrap()
}

const IND: [(&str, &str); 5] =
    [("indicator_name", "Workshops held"), ("unit", "workshops"), ("frequency", "3"), ("starts", "2015-01-01"), ("kind", "")];

#[test]
fn merged_cells_count_for_every_row_they_cover_and_columns_are_found_by_code() {
    let row = |line: &str, action: &str, indicator: &str| -> Vec<(&'static str, String)> {
        let mut r = vec![("objective", "O1".to_string()), ("objective_title", "Coordinate".into())];
        if !line.is_empty() {
            r.extend([("line", line.to_string()), ("line_title", "A line".into()), ("focal_points", "1; protection".into())]);
        }
        if !action.is_empty() {
            r.extend([("action", action.to_string()), ("action_title", "An action".into())]);
        }
        r.push(("indicator", indicator.to_string()));
        r
    };
    let owned = [row("", "", "I0"), row("L1", "A1", "I1"), row("L1", "A1", "I2"), row("L1", "A2", "I3")];
    let rows: Vec<Vec<(&str, &str)>> = owned
        .iter()
        .map(|r| r.iter().map(|(k, v)| (*k, v.as_str())).chain(IND).collect())
        .collect();
    let refs: Vec<&[(&str, &str)]> = rows.iter().map(|r| r.as_slice()).collect();
    // The objective spans all four rows; rows 2-4 are written with the objective only in the first.
    let mut bytes_rows = refs.clone();
    let trimmed: Vec<Vec<(&str, &str)>> =
        rows.iter().skip(1).map(|r| r.iter().filter(|(k, _)| !k.starts_with("objective")).copied().collect()).collect();
    for (k, r) in trimmed.iter().enumerate() {
        bytes_rows[k + 1] = r;
    }
    let bytes = handmade(&bytes_rows, &[(0, 3, "objective"), (0, 3, "objective_title")]);
    let got = read("CL-2012", &bytes).unwrap();
    let o = &got.matrix.objectives;
    assert_eq!(o.len(), 1, "{o:?}");
    assert_eq!(o[0].indicators.len(), 1);
    assert_eq!(o[0].indicators[0].kind, IndicatorKind::Outcome, "an objective's indicator is an outcome by default");
    assert_eq!(o[0].lines[0].actions.len(), 2);
    assert_eq!(o[0].lines[0].actions[0].indicators.len(), 2);
    assert_eq!(o[0].lines[0].focal_points.len(), 2);
    assert_eq!(o[0].lines[0].actions[0].indicators[0].frequency, Frequency::Quarterly, "`3` months is quarterly");
    assert_eq!(got.counts, [1, 1, 2, 4]);
}

#[test]
fn every_wrong_cell_is_named_and_nothing_is_read() {
    let bad: &[(&str, &str)] = &[
        ("objective", "O1"),
        ("objective_title", "Coordinate"),
        ("line", "L1"),
        ("line_title", "A line"),
        ("focal_points", "seven"),
        ("action", "A1"),
        ("action_title", "An action"),
        ("action_start", "June"),
        ("status", "halfway"),
    ];
    let no_objective: &[(&str, &str)] = &[("line", "L2"), ("indicator", "I9")];
    let bad_indicator: &[(&str, &str)] = &[
        ("objective", "O1"),
        ("line", "L1"),
        ("action", "A2"),
        ("indicator", "I1"),
        ("indicator_name", "Reports"),
        ("unit", "reports"),
        ("frequency", "weekly"),
        ("starts", "2015-01-01"),
        ("baseline", "many"),
        ("baseline_date", "2014-12-31"),
    ];
    let bytes = handmade(&[bad, no_objective, bad_indicator], &[]);
    let problems = read("CL-2012", &bytes).unwrap_err();
    let all = problems.join("\n");
    for expected in ["`seven` is not a focal point", "`June` is not a date", "`halfway` is not a status", "every row names its objective", "`weekly` is not a frequency", "`many` is not a number"] {
        assert!(all.contains(expected), "{expected} missing from:\n{all}");
    }
    assert!(problems.iter().all(|p| p.starts_with("Matrix!")), "each problem names its cell:\n{all}");
    // Columns are reversed in `handmade`: focal_points is column 27 - 5 = 22 (W), row 3.
    assert!(all.contains("Matrix!W3: `seven`"), "{all}");
}

#[test]
fn a_workbook_for_another_plan_or_not_ours_is_refused() {
    let bytes = build(&sample(), 1, en()).unwrap();
    let problems = read("PY-2012", &bytes).unwrap_err();
    assert!(problems[0].contains("is for plan `CL-2012`, not `PY-2012`"), "{problems:?}");
    let mut other = Workbook::new();
    other.add_worksheet().write_string(0, 0, "hello").unwrap();
    let problems = read("CL-2012", &other.save_to_buffer().unwrap()).unwrap_err();
    assert!(problems[0].contains("no sheet `Matrix`"), "{problems:?}");
    assert!(read("CL-2012", b"PK\x03\x04 not really").is_err());
}
