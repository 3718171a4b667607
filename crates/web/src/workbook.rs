//! Working offline: a State's answers as an XLSX workbook (instructions, one sheet of single
//! answers with drop-down lists, one sheet per table question, every cell text so spreadsheet
//! programs do not turn dates into numbers), and reading a filled workbook back into answers with
//! a report of what was read and what was wrong. A workbook that is not one of ours, or that is
//! over a limit (parts, expanded size, compression ratio, cells, rows, columns), is refused whole:
//! nothing is saved from it.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Seek};

use calamine::{Data, Reader, Xlsx};
use observa_domain::consultation::{Answers, Draft, Value as Answer};
use observa_domain::questionnaire::{AnswerType, Labels, Question, Questionnaire};
use rust_xlsxwriter::{DataValidation, Format, Workbook};

use crate::Lang;

pub const ANSWERS: &str = "Answers";
const INSTRUCTIONS: &str = "Instructions";
/// The most rows read from one sheet: more is not a questionnaire.
const MAX_ROWS: usize = 2_000;
/// The most columns: the answers sheet uses six, a table question's sheet one per column.
const MAX_COLUMNS: u32 = 50;
/// The most cells read from a whole workbook, empty ones included (a filled questionnaire has a
/// few thousand).
pub(crate) const MAX_CELLS: usize = 50_000;
/// What an answer workbook may expand to: a filled questionnaire is well under 1 MB of XML.
pub(crate) const ZIP_LIMITS: crate::filetype::ZipLimits =
    crate::filetype::ZipLimits { entries: 500, total_bytes: 20 * 1024 * 1024, ratio: 100 };

fn text(labels: &Labels, l: Lang) -> String {
    labels.get(&l.0).or_else(|| labels.get(&observa_domain::Lang::En)).cloned().unwrap_or_default()
}

/// A table question's sheet: its number, which is short, unique and valid as a sheet name.
fn sheet_name(q: &Question) -> String {
    format!("T {}", q.number).chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect()
}

/// The workbook of a State's answers; `version` goes in it so that an upload based on an old
/// version is caught like any stale save.
pub fn build(q: &Questionnaire, draft: &Draft, name: &str, l: Lang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap().set_background_color("E8EFF3");
    let wrap = Format::new().set_text_wrap();
    let cell = Format::new().set_num_format("@").set_text_wrap();
    let help = book.add_worksheet();
    help.set_name(INSTRUCTIONS)?;
    help.set_column_width(0, 110)?;
    let lines = [
        format!("{} {} — {name}", l.text("response-title"), draft.cycle),
        l.text("workbook-instructions-1"),
        l.text("workbook-instructions-2"),
        l.text("workbook-instructions-3"),
        format!("{}: {}", l.text("editorial-version"), draft.version),
    ];
    for (i, line) in lines.iter().enumerate() {
        help.write_string_with_format(i as u32, 0, line, if i == 0 { &bold } else { &wrap })?;
    }

    let sheet = book.add_worksheet();
    sheet.set_name(ANSWERS)?;
    for (c, (h, w)) in
        [("id", 24.0), ("no.", 8.0), (l.text("response-question").as_str(), 60.0), ("→", 60.0)].iter().enumerate()
    {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        sheet.set_column_width(c as u16, *w)?;
    }
    sheet.write_string(0, 4, "version")?;
    sheet.write_number(0, 5, draft.version as f64)?;
    for (row, question) in (1u32..).zip(q.questions().filter(|q| q.kind != AnswerType::Table)) {
        sheet.write_string(row, 0, &question.id)?;
        sheet.write_string(row, 1, &question.number)?;
        sheet.write_string_with_format(row, 2, text(&question.label, l), &wrap)?;
        let value = match draft.answers.get(&question.id) {
            Some(Answer::Text(t)) => t.clone(),
            Some(Answer::Items(items)) => items.join("\n"),
            _ => String::new(),
        };
        sheet.write_string_with_format(row, 3, &value, &cell)?;
        let options: Vec<String> = match question.kind {
            AnswerType::YesNoPartial => ["yes", "partial", "no", "unknown"].map(String::from).to_vec(),
            AnswerType::Choice => question.options.keys().cloned().collect(),
            _ => Vec::new(),
        };
        if !options.is_empty() {
            sheet.add_data_validation(row, 3, row, 3, &DataValidation::new().allow_list_strings(&options)?)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;

    for question in q.questions().filter(|q| q.kind == AnswerType::Table) {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(question))?;
        sheet.write_string_with_format(0, 0, format!("{} {}", question.number, text(&question.label, l)), &bold)?;
        for (c, column) in question.columns.iter().enumerate() {
            sheet.write_string_with_format(
                1,
                c as u16,
                format!("{} [{}]", text(&column.label, l), column.id),
                &bold,
            )?;
            sheet.set_column_width(c as u16, 36)?;
            sheet.set_column_format(c as u16, &cell)?;
        }
        if let Some(Answer::Rows(rows)) = draft.answers.get(&question.id) {
            for (r, values) in rows.iter().enumerate() {
                for (c, column) in question.columns.iter().enumerate() {
                    let v = values.get(&column.id).map_or("", String::as_str);
                    sheet.write_string_with_format(r as u32 + 2, c as u16, v, &cell)?;
                }
            }
        }
        sheet.set_freeze_panes(2, 0)?;
    }
    book.save_to_buffer()
}

/// What reading a workbook found.
#[derive(Debug, Default)]
pub struct Reading {
    pub answers: Answers,
    pub version: i64,
    /// What was read, in the interface language's words.
    pub read: Vec<String>,
    /// Cells or sheets that could not be used.
    pub problems: Vec<String>,
}

fn cell_text(value: &Data) -> Option<String> {
    match value {
        Data::Empty => None,
        Data::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Data::Float(f) if f.fract() == 0.0 => Some(format!("{}", *f as i64)),
        other => Some(other.to_string()),
    }
}

/// A cell's name as a spreadsheet shows it: `XFD1048576` for (1048575, 16383).
pub(crate) fn cell_name(row: u32, column: u32) -> String {
    let (mut letters, mut c) = (Vec::new(), column + 1);
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// One sheet's non-empty cells as text by (row, column), read cell by cell: no range is built,
/// so memory follows the cells present, never the sheet's bounding box. A non-empty cell beyond
/// [`MAX_ROWS`] or [`MAX_COLUMNS`] refuses the workbook; every cell, empty or not, counts
/// against `budget`.
pub(crate) struct Sheet(BTreeMap<(u32, u32), String>);

impl Sheet {
    pub(crate) fn read<RS: Read + Seek>(book: &mut Xlsx<RS>, name: &str, budget: &mut usize) -> Result<Sheet, String> {
        let mut cells = book.worksheet_cells_reader(name).map_err(|e| format!("sheet `{name}`: {e}"))?;
        let mut found = BTreeMap::new();
        while let Some(cell) = cells.next_cell().map_err(|e| format!("sheet `{name}`: {e}"))? {
            *budget = budget.checked_sub(1).ok_or_else(|| {
                format!("the workbook has more than {MAX_CELLS} cells; an answer workbook has far fewer")
            })?;
            let Some(text) = cell_text(&Data::from(cell.get_value().clone())) else { continue };
            let (row, column) = cell.get_position();
            if row as usize >= MAX_ROWS || column >= MAX_COLUMNS {
                return Err(format!(
                    "sheet `{name}`: cell {} is outside the answer sheet (at most {MAX_ROWS} rows, {MAX_COLUMNS} columns)",
                    cell_name(row, column)
                ));
            }
            found.insert((row, column), text);
        }
        Ok(Sheet(found))
    }

    pub(crate) fn get(&self, row: u32, column: u32) -> Option<&String> {
        self.0.get(&(row, column))
    }

    /// The rows from `first` on that have a cell, with their number and their cells by column.
    pub(crate) fn rows_from(&self, first: u32) -> BTreeMap<u32, BTreeMap<u32, &String>> {
        let mut rows: BTreeMap<u32, BTreeMap<u32, &String>> = BTreeMap::new();
        for ((r, c), text) in self.0.range((first, 0)..) {
            rows.entry(*r).or_default().insert(*c, text);
        }
        rows
    }
}

/// Reads a filled workbook. `Err` when it is not a workbook of this questionnaire or is over a
/// limit (nothing is taken from it); otherwise the answers and a report. The container is checked
/// before anything is read ([`ZIP_LIMITS`]) and sheets are read cell by cell within
/// [`MAX_CELLS`], so a hostile file costs at most a few tens of megabytes and is refused.
pub fn read(q: &Questionnaire, bytes: &[u8]) -> Result<Reading, String> {
    crate::filetype::check_zip(bytes, &ZIP_LIMITS)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| format!("not a readable XLSX workbook: {e}"))?;
    let names = book.sheet_names();
    if !names.iter().any(|n| n == ANSWERS) {
        return Err(format!("the workbook has no sheet `{ANSWERS}`: download the form's workbook and fill that"));
    }
    let mut budget = MAX_CELLS;
    let sheet = Sheet::read(&mut book, ANSWERS, &mut budget)?;
    let mut reading = Reading::default();
    let version = sheet.get(0, 5).and_then(|v| v.parse::<i64>().ok());
    reading.version = version.ok_or_else(|| format!("sheet `{ANSWERS}`: the version in F1 is missing"))?;
    for (i, row) in sheet.rows_from(1) {
        let Some(id) = row.get(&0) else { continue };
        let Some(question) = q.questions().find(|x| &x.id == *id) else {
            reading.problems.push(format!("{ANSWERS}!A{}: no question `{id}`", i + 1));
            continue;
        };
        let Some(value) = row.get(&3).map(|v| v.to_string()) else { continue };
        let answer = match question.kind {
            AnswerType::ListOfThree => {
                Answer::Items(value.lines().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
            }
            _ => Answer::Text(value),
        };
        reading.answers.insert(question.id.clone(), answer);
    }
    reading.read.push(format!("{ANSWERS}: {}", reading.answers.len()));
    for question in q.questions().filter(|q| q.kind == AnswerType::Table) {
        let name = sheet_name(question);
        if !names.contains(&name) {
            reading.problems.push(format!("no sheet `{name}` for question {}", question.number));
            continue;
        }
        let sheet = Sheet::read(&mut book, &name, &mut budget)?;
        // Row 2 names each column as "Label [id]"; columns are found by id, not position.
        let header: BTreeMap<u32, String> = sheet
            .rows_from(1)
            .remove(&1)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(c, t)| Some((c, t.rsplit_once('[')?.1.trim_end_matches(']').to_string())))
            .collect();
        let mut rows = Vec::new();
        for (i, row) in sheet.rows_from(2) {
            let mut values = BTreeMap::new();
            for (c, text) in row {
                let Some(column) = header.get(&c) else { continue };
                if question.columns.iter().any(|x| &x.id == column) {
                    values.insert(column.clone(), text.clone());
                } else {
                    reading.problems.push(format!("{name}!{}: no column `{column}`", i + 1));
                }
            }
            if !values.is_empty() {
                rows.push(values);
            }
        }
        reading.read.push(format!("{name}: {}", rows.len()));
        if !rows.is_empty() {
            reading.answers.insert(question.id.clone(), Answer::Rows(rows));
        }
    }
    Ok(reading)
}

#[cfg(test)]
mod tests {
    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        assert_eq!(super::cell_name(0, 0), "A1");
        assert_eq!(super::cell_name(1, 25), "Z2");
        assert_eq!(super::cell_name(9, 26), "AA10");
        assert_eq!(super::cell_name(1_048_575, 16_383), "XFD1048576");
    }
}
