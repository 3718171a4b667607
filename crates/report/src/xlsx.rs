//! The report's tables as an XLSX workbook: every table marked with a sheet (status, agencies,
//! laws, SWOT, the appendices, the comparison), one sheet each, header row frozen and filtered.

use rust_xlsxwriter::{Format, Workbook};

use crate::document::Document;
use crate::ReportError;

pub fn write(doc: &Document) -> Result<Vec<u8>, ReportError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap().set_background_color("E8EFF3");
    let wrap = Format::new().set_text_wrap();
    for table in doc.tables() {
        let Some(name) = &table.sheet else { continue };
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        let header = if table.sheet_header.is_empty() { &table.header } else { &table.sheet_header };
        for (c, h) in header.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h, &bold)?;
            let width = (table.widths.get(c).copied().unwrap_or(2) as f64 * 6.0).clamp(8.0, 60.0);
            sheet.set_column_width(c as u16, width)?;
        }
        let rows = if table.sheet_rows.is_empty() { &table.rows } else { &table.sheet_rows };
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string_with_format(r as u32 + 1, c as u16, cell, &wrap)?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        if !rows.is_empty() {
            sheet.autofilter(0, 0, rows.len() as u32, header.len().saturating_sub(1) as u16)?;
        }
    }
    Ok(book.save_to_buffer()?)
}
