//! The report as a Word document that editors can polish in Word or LibreOffice: real heading
//! styles (so the navigation pane works and a live table of contents is one step away), real tables with a column grid
//! and a header row that repeats across pages, page numbers in the footer, A4. Charts are vector
//! images: the SVG itself (`asvg:svgBlip`, what Word 2016 and later show) with a PNG of it as the
//! picture older readers show (see [`svg_parts`]).

use std::io::Write;

use docx_rs::{
    AlignmentType, Docx, Footer, PageMargin, PageNum, Paragraph, Pic, Run, RunFonts, Style, StyleType, Table,
    TableCell, TableRow, WidthType, XMLDocx,
};

use crate::document::{Block, Document, Inline};
use crate::ReportError;

/// A4 in twentieths of a point, and the text width left by 2 cm margins.
const A4: (u32, u32) = (11906, 16838);
const MARGIN: i32 = 1134;
const TEXT_WIDTH: usize = 11906 - 2 * 1134;

pub fn write(doc: &Document) -> Result<Vec<u8>, ReportError> {
    let mut docx = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(PageMargin::new().top(MARGIN).bottom(MARGIN).left(MARGIN).right(MARGIN))
        .default_fonts(RunFonts::new().ascii("Liberation Serif").hi_ansi("Liberation Serif").cs("Liberation Serif"))
        .default_size(21)
        .footer(
            Footer::new().add_paragraph(Paragraph::new().align(AlignmentType::Center).add_page_num(PageNum::new())),
        );
    for (level, size) in [(1, 32), (2, 26), (3, 22)] {
        docx = docx.add_style(
            Style::new(format!("Heading{level}"), StyleType::Paragraph)
                .name(format!("Heading {level}"))
                .size(size)
                .bold()
                .color("0B4F6C")
                .outline_lvl(level - 1),
        );
    }
    docx = docx
        .add_style(Style::new("Title", StyleType::Paragraph).name("Title").size(44).bold())
        .add_style(Style::new("Caption", StyleType::Paragraph).name("Caption").size(18).bold());
    docx = docx
        .add_paragraph(Paragraph::new().style("Title").add_run(Run::new().add_text(&doc.title)))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(&doc.subtitle).italic()));
    // The contents as plain text: docx-rs's TOC field shows its instruction text in LibreOffice.
    // The headings carry real styles, so Word or LibreOffice insert a live table in one step.
    docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().add_text(&doc.contents_label).bold()));
    for (level, _, text) in doc.outline() {
        let indent = if level == 2 { 360 } else { 0 };
        docx = docx
            .add_paragraph(Paragraph::new().indent(Some(indent), None, None, None).add_run(Run::new().add_text(text)));
    }
    // Each chart's relationship id and SVG, added to the package once docx-rs has built it.
    let mut charts: Vec<(String, &str)> = Vec::new();
    for block in &doc.blocks {
        docx = match block {
            Block::Heading { level, text, .. } => {
                let p = Paragraph::new().style(&format!("Heading{level}")).add_run(Run::new().add_text(text));
                docx.add_paragraph(if *level == 1 { p.page_break_before(true) } else { p })
            }
            Block::Paragraph(inlines) => docx.add_paragraph(runs(Paragraph::new(), inlines)),
            Block::List(items) => items.iter().fold(docx, |d, item| {
                d.add_paragraph(runs(Paragraph::new().add_run(Run::new().add_text("• ")), item).indent(
                    Some(360),
                    Some(docx_rs::SpecialIndentType::Hanging(240)),
                    None,
                    None,
                ))
            }),
            Block::Table(t) => {
                let caption =
                    Paragraph::new().style("Caption").keep_next(true).add_run(Run::new().add_text(&t.caption));
                docx.add_paragraph(caption).add_table(table(t)).add_paragraph(Paragraph::new())
            }
            Block::Figure { caption, svg, table: data, .. } => {
                let id = format!("rIdChart{}", charts.len() + 1);
                let (png, w, h) = crate::raster::png(svg).map_err(ReportError::Docx)?;
                // The text width in EMU (635 per twentieth of a point), the height to scale.
                let width = TEXT_WIDTH as u32 * 635;
                let height = (u64::from(width) * u64::from(h) / u64::from(w.max(1))) as u32;
                let pic = Pic::new_with_dimensions(png, w, h).size(width, height).id(&id);
                charts.push((id, svg));
                let title = Paragraph::new().style("Caption").keep_next(true).add_run(Run::new().add_text(caption));
                let data_caption =
                    Paragraph::new().style("Caption").keep_next(true).add_run(Run::new().add_text(&data.caption));
                docx.add_paragraph(title)
                    .add_paragraph(Paragraph::new().keep_next(true).add_run(Run::new().add_image(pic)))
                    .add_paragraph(data_caption)
                    .add_table(table(data))
                    .add_paragraph(Paragraph::new())
            }
        };
    }
    let mut xml = docx.build();
    // docx-rs cannot mark a header row; every row it marks "cannot split" is a header row here,
    // so the mark is extended with `tblHeader`, which makes Word and LibreOffice repeat it.
    let document = String::from_utf8(xml.document)
        .map_err(|e| ReportError::Docx(format!("document.xml is not UTF-8: {e}")))?
        .replace("<w:cantSplit />", "<w:cantSplit /><w:tblHeader />");
    xml.document = document.into_bytes();
    svg_parts(&mut xml, &charts)?;
    let mut out = std::io::Cursor::new(Vec::new());
    xml.pack(&mut out).map_err(|e| ReportError::Docx(e.to_string()))?;
    if !charts.is_empty() {
        // docx-rs writes every media part as `.png`: the SVGs go into the finished package.
        let mut zip = zip::ZipWriter::new_append(out).map_err(|e| ReportError::Docx(e.to_string()))?;
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (id, svg) in &charts {
            zip.start_file(format!("word/media/{id}.svg"), options).map_err(|e| ReportError::Docx(e.to_string()))?;
            zip.write_all(svg.as_bytes()).map_err(|e| ReportError::Docx(e.to_string()))?;
        }
        out = zip.finish().map_err(|e| ReportError::Docx(e.to_string()))?;
    }
    Ok(out.into_inner())
}

/// docx-rs has no SVG pictures: each chart's picture (the PNG, `r:embed="<id>"`) gets the
/// Office 2016 extension naming its SVG part (`<id>-svg`), which Word draws instead; the
/// relationship and the `svg` content type go beside. Readers that do not know the extension
/// ignore it and show the PNG.
fn svg_parts(xml: &mut XMLDocx, charts: &[(String, &str)]) -> Result<(), ReportError> {
    if charts.is_empty() {
        return Ok(());
    }
    let text = |bytes: &[u8], part: &str| {
        String::from_utf8(bytes.to_vec()).map_err(|e| ReportError::Docx(format!("{part} is not UTF-8: {e}")))
    };
    let mut document = text(&xml.document, "document.xml")?;
    let mut rels = text(&xml.document_rels, "document.xml.rels")?;
    for (id, _) in charts {
        let blip = format!("<a:blip r:embed=\"{id}\" />");
        if !document.contains(&blip) {
            return Err(ReportError::Docx(format!("the picture of chart {id} is not in document.xml")));
        }
        let svg_blip = format!(
            "<a:blip r:embed=\"{id}\"><a:extLst><a:ext uri=\"{{96DAC541-7B7A-43D3-8B79-37D633B846F1}}\"><asvg:svgBlip xmlns:asvg=\"http://schemas.microsoft.com/office/drawing/2016/SVG/main\" r:embed=\"{id}-svg\" /></a:ext></a:extLst></a:blip>"
        );
        document = document.replace(&blip, &svg_blip);
        let relationship = format!(
            "<Relationship Id=\"{id}-svg\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/{id}.svg\" /></Relationships>"
        );
        rels = rels.replacen("</Relationships>", &relationship, 1);
    }
    let types = text(&xml.content_type, "[Content_Types].xml")?.replacen(
        "</Types>",
        "<Default Extension=\"svg\" ContentType=\"image/svg+xml\" /></Types>",
        1,
    );
    (xml.document, xml.document_rels, xml.content_type) =
        (document.into_bytes(), rels.into_bytes(), types.into_bytes());
    Ok(())
}

fn runs(mut p: Paragraph, inlines: &[Inline]) -> Paragraph {
    for i in inlines {
        p = p.add_run(match i {
            Inline::Text(t) => Run::new().add_text(t),
            Inline::Strong(t) => Run::new().add_text(t).bold(),
            Inline::Emph(t) => Run::new().add_text(t).italic(),
        });
    }
    p
}

fn table(t: &crate::document::Table) -> Table {
    let total: usize = t.widths.iter().map(|w| *w as usize).sum::<usize>().max(1);
    let grid: Vec<usize> = t.widths.iter().map(|w| TEXT_WIDTH * *w as usize / total).collect();
    let small = if t.header.len() > 8 { 14 } else { 16 };
    let cell = |text: &str, bold: bool, width: usize| {
        let run = Run::new().add_text(text).size(small);
        TableCell::new().width(width, WidthType::Dxa).add_paragraph(Paragraph::new().add_run(if bold {
            run.bold()
        } else {
            run
        }))
    };
    let header = TableRow::new(t.header.iter().zip(&grid).map(|(h, w)| cell(h, true, *w)).collect()).cant_split();
    let mut rows = vec![header];
    for row in &t.rows {
        rows.push(TableRow::new(row.iter().zip(&grid).map(|(c, w)| cell(c, false, *w)).collect()));
    }
    Table::new(rows).set_grid(grid).width(TEXT_WIDTH, WidthType::Dxa)
}
