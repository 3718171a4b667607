//! A plan's action matrix as an XLSX workbook, in the shape plans are usually written: one row
//! per indicator (or per action, line or objective that has none) with the objective, line of
//! action, action, responsible institutions, indicator, baseline, target and frequency side by
//! side. Reading one back gives a whole [`Matrix`] and a report of what was read, or the cells
//! that are wrong: a workbook with any problem is refused whole, because a matrix saved in part
//! would silently drop the rest of the plan.
//!
//! Columns are found by the code in brackets in the header row (`Objective [objective]`), not by
//! position, so a coordinator may reorder them. Merged cells, as plans draw an objective spanning
//! its lines, count for every row they cover; an empty cell outside a merge is empty.

use observa_domain::facts::FocalPoint;
use observa_domain::monitoring::{
    ActionStatus, Direction, Disaggregation, Frequency, Indicator, IndicatorKind, Matrix, Point,
};
use observa_domain::PartialDate;
use rust_xlsxwriter::{DataValidation, Format, Workbook};

use crate::Lang;

pub const MATRIX: &str = "Matrix";
const INSTRUCTIONS: &str = "Instructions";
/// The first row of data (0-based): row 1 holds the plan, row 2 the header.
const FIRST: u32 = 2;
/// The most merged regions read: a plan draws a few dozen.
const MAX_MERGES: usize = 10_000;

/// The columns, in the order written: (code, width).
const COLUMNS: [(&str, f64); 27] = [
    ("objective", 10.0),
    ("objective_title", 40.0),
    ("line", 10.0),
    ("line_title", 40.0),
    ("focal_points", 22.0),
    ("action", 10.0),
    ("action_title", 40.0),
    ("lead", 16.0),
    ("partners", 22.0),
    ("action_start", 12.0),
    ("action_target", 12.0),
    ("status", 14.0),
    ("resources", 24.0),
    ("source", 24.0),
    ("indicator", 10.0),
    ("indicator_name", 40.0),
    ("kind", 10.0),
    ("unit", 14.0),
    ("baseline", 10.0),
    ("baseline_date", 12.0),
    ("target", 10.0),
    ("target_date", 12.0),
    ("direction", 10.0),
    ("frequency", 12.0),
    ("starts", 12.0),
    ("data_source", 24.0),
    ("disaggregation", 18.0),
];

/// The workbook of a plan's matrix at `version` (0 and an empty matrix: the blank to fill).
pub fn build(matrix: &Matrix, version: i64, l: Lang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap().set_background_color("E8EFF3");
    let wrap = Format::new().set_text_wrap();
    let cell = Format::new().set_num_format("@").set_text_wrap();
    let help = book.add_worksheet();
    help.set_name(INSTRUCTIONS)?;
    help.set_column_width(0, 110)?;
    for (i, key) in
        ["matrix-workbook-1", "matrix-workbook-2", "matrix-workbook-3", "matrix-workbook-4"].iter().enumerate()
    {
        help.write_string_with_format(i as u32, 0, l.text(key), if i == 0 { &bold } else { &wrap })?;
    }
    let sheet = book.add_worksheet();
    sheet.set_name(MATRIX)?;
    for (c, text) in ["plan", matrix.plan.as_str(), "version"].iter().enumerate() {
        sheet.write_string(0, c as u16, *text)?;
    }
    sheet.write_number(0, 3, version as f64)?;
    sheet.write_string(0, 4, "lock_days")?;
    sheet.write_number(0, 5, f64::from(matrix.lock_days))?;
    for (c, (code, width)) in COLUMNS.iter().enumerate() {
        let label = l.text(&format!("matrix-col-{code}"));
        sheet.write_string_with_format(1, c as u16, format!("{label} [{code}]"), &bold)?;
        sheet.set_column_width(c as u16, *width)?;
        sheet.set_column_format(c as u16, &cell)?;
    }
    let lists: [(&str, Vec<&str>); 5] = [
        ("status", ActionStatus::ALL.iter().map(|s| s.code()).collect()),
        ("kind", vec!["process", "outcome"]),
        ("direction", vec!["up", "down"]),
        ("frequency", Frequency::ALL.iter().map(|f| f.code()).collect()),
        ("focal_points", vec![]),
    ];
    for (code, options) in lists.iter().filter(|(_, o)| !o.is_empty()) {
        let c = column(code) as u16;
        sheet.add_data_validation(FIRST, c, 5_000, c, &DataValidation::new().allow_list_strings(options)?)?;
    }
    for (r, row) in (FIRST..).zip(rows(matrix)) {
        for (c, value) in row.iter().enumerate() {
            if !value.is_empty() {
                sheet.write_string_with_format(r, c as u16, value, &cell)?;
            }
        }
    }
    sheet.set_freeze_panes(FIRST, 0)?;
    book.save_to_buffer()
}

fn column(code: &str) -> usize {
    COLUMNS.iter().position(|(c, _)| *c == code).expect("a known column")
}

/// The matrix as rows of cells in [`COLUMNS`] order.
fn rows(matrix: &Matrix) -> Vec<Vec<String>> {
    let mut out = vec![];
    let blank = || vec![String::new(); COLUMNS.len()];
    for o in &matrix.objectives {
        let objective = |row: &mut Vec<String>| {
            row[0] = o.id.clone();
            row[1] = o.title.clone();
        };
        for i in &o.indicators {
            let mut row = blank();
            objective(&mut row);
            indicator_cells(&mut row, i);
            out.push(row);
        }
        for line in &o.lines {
            let line_cells = |row: &mut Vec<String>| {
                objective(row);
                row[2] = line.id.clone();
                row[3] = line.title.clone();
                row[4] = line.focal_points.iter().map(|f| code_of(*f)).collect::<Vec<_>>().join(", ");
            };
            for a in &line.actions {
                let action_cells = |row: &mut Vec<String>| {
                    line_cells(row);
                    let date = |d: &Option<PartialDate>| d.map(|d| d.to_string()).unwrap_or_default();
                    let cells = [
                        a.id.clone(),
                        a.title.clone(),
                        a.lead.clone().unwrap_or_default(),
                        a.partners.join(", "),
                        date(&a.start),
                        date(&a.target),
                        a.status.code().to_string(),
                        a.resources.clone().unwrap_or_default(),
                        a.source.clone(),
                    ];
                    for (k, v) in cells.into_iter().enumerate() {
                        row[5 + k] = v;
                    }
                };
                for i in &a.indicators {
                    let mut row = blank();
                    action_cells(&mut row);
                    indicator_cells(&mut row, i);
                    out.push(row);
                }
                if a.indicators.is_empty() {
                    let mut row = blank();
                    action_cells(&mut row);
                    out.push(row);
                }
            }
            if line.actions.is_empty() {
                let mut row = blank();
                line_cells(&mut row);
                out.push(row);
            }
        }
        if o.lines.is_empty() && o.indicators.is_empty() {
            let mut row = blank();
            objective(&mut row);
            out.push(row);
        }
    }
    out
}

fn indicator_cells(row: &mut [String], i: &Indicator) {
    let number = |p: &Option<Point>| p.map(|p| p.value.to_string()).unwrap_or_default();
    let date = |p: &Option<Point>| p.map(|p| p.date.to_string()).unwrap_or_default();
    let kind = match i.kind {
        IndicatorKind::Process => "process",
        IndicatorKind::Outcome => "outcome",
    };
    let direction = match i.direction {
        Direction::Up => "up",
        Direction::Down => "down",
    };
    let cells = [
        i.id.clone(),
        i.name.clone(),
        kind.into(),
        i.unit.clone(),
        number(&i.baseline),
        date(&i.baseline),
        number(&i.target),
        date(&i.target),
        direction.into(),
        i.frequency.code().into(),
        i.starts.to_string(),
        i.data_source.clone(),
        i.disaggregation.iter().map(|d| disaggregation_code(*d)).collect::<Vec<_>>().join(", "),
    ];
    for (k, v) in cells.into_iter().enumerate() {
        row[14 + k] = v;
    }
}

fn code_of(f: FocalPoint) -> &'static str {
    match f {
        FocalPoint::Coordination => "coordination",
        FocalPoint::Prevention => "prevention",
        FocalPoint::Protection => "protection",
        FocalPoint::Recovery => "recovery",
        FocalPoint::Participation => "participation",
    }
}

fn disaggregation_code(d: Disaggregation) -> &'static str {
    match d {
        Disaggregation::Sex => "sex",
        Disaggregation::AgeBand => "age-band",
        Disaggregation::Region => "region",
    }
}

mod read;
pub use read::read;

#[cfg(test)]
mod tests;
