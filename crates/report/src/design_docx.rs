//! A plan in design as a Word document for the State's national commission: the draft's
//! objectives, lines of action, actions and indicators, then the Rio de Janeiro commitment's
//! checklist with what in the draft satisfies each criterion. Labels come from the caller, in the
//! page's language (`label(key)` gives the portal's interface text). Tables carry a column grid:
//! without one, pandoc and some readers see empty cells.

use docx_rs::{Docx, PageMargin, Paragraph, Run, RunFonts, Style, StyleType, Table, TableCell, TableRow, WidthType};
use observa_domain::monitoring::design::{Check, Draft, Found, Item};
use observa_domain::monitoring::{Indicator, Objective};

use crate::ReportError;

const A4: (u32, u32) = (11906, 16838);
const MARGIN: i32 = 1134;
const TEXT_WIDTH: usize = 11906 - 2 * 1134;

/// What satisfies a criterion, as one line: "action A1.2: lead institution MIN-JUS".
pub fn found_text(f: &Found, label: &dyn Fn(&str) -> String) -> String {
    let item = match f.item {
        Item::Objective => "objective",
        Item::Line => "line",
        Item::Action => "action",
        Item::Indicator => "indicator",
    };
    let value = match f.field {
        "focal-points" => label(&format!("fp-{}", f.value)),
        _ => f.value.clone(),
    };
    format!(
        "{} {}: {} {}",
        label(&format!("design-item-{item}")),
        f.id,
        label(&format!("design-field-{}", f.field)),
        value
    )
}

/// The draft and its checklist as DOCX bytes.
pub fn write_design(
    draft: &Draft,
    checklist: &[Check],
    label: &dyn Fn(&str) -> String,
) -> Result<Vec<u8>, ReportError> {
    let mut docx = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(PageMargin::new().top(MARGIN).bottom(MARGIN).left(MARGIN).right(MARGIN))
        .default_fonts(RunFonts::new().ascii("Liberation Serif").hi_ansi("Liberation Serif").cs("Liberation Serif"))
        .default_size(21)
        .add_style(Style::new("Title", StyleType::Paragraph).name("Title").size(40).bold());
    for (level, size) in [(1, 30), (2, 24)] {
        docx = docx.add_style(
            Style::new(format!("Heading{level}"), StyleType::Paragraph)
                .name(format!("Heading {level}"))
                .size(size)
                .bold()
                .color("0B4F6C")
                .outline_lvl(level - 1),
        );
    }
    let subtitle = format!(
        "{} · {} · {} {} · {} {}",
        label("design-title"),
        draft.state,
        label("design-based-on"),
        draft.based_on,
        label("design-version"),
        draft.version
    );
    docx = docx
        .add_paragraph(Paragraph::new().style("Title").add_run(Run::new().add_text(&draft.title)))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(subtitle).italic()));
    for o in &draft.body.objectives {
        docx = objective(docx, o, label);
    }
    docx = docx.add_paragraph(heading(1, &label("design-checklist")));
    let rows = checklist
        .iter()
        .map(|c| {
            let found = if c.found.is_empty() {
                label("design-nothing")
            } else {
                c.found.iter().map(|f| found_text(f, label)).collect::<Vec<_>>().join("\n")
            };
            let met = label(if c.met { "design-met" } else { "design-not-met" });
            vec![label(&format!("rio-{}", c.id)), met, found]
        })
        .collect();
    let header = [label("design-criterion"), label("design-met"), label("design-satisfied-by")];
    docx = docx.add_table(table(&header, rows, &[3, 1, 6]));
    let mut out = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut out).map_err(|e| ReportError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

fn objective(mut docx: Docx, o: &Objective, label: &dyn Fn(&str) -> String) -> Docx {
    docx = docx.add_paragraph(heading(1, &format!("{} {}: {}", label("design-item-objective"), o.id, o.title)));
    let mut indicators: Vec<&Indicator> = o.indicators.iter().collect();
    for l in &o.lines {
        docx = docx.add_paragraph(heading(2, &format!("{} {}: {}", label("design-item-line"), l.id, l.title)));
        let fps: Vec<String> = l.focal_points.iter().map(|fp| label(&format!("fp-{}", code(fp)))).collect();
        if !fps.is_empty() {
            let text = format!("{}: {}", label("monitoring-focal-points"), fps.join(", "));
            docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().add_text(text)));
        }
        if l.actions.is_empty() {
            continue;
        }
        let rows = l
            .actions
            .iter()
            .map(|a| {
                indicators.extend(&a.indicators);
                let dates = match (a.start, a.target) {
                    (None, None) => String::new(),
                    (s, t) => format!(
                        "{} – {}",
                        s.map(|d| d.to_string()).unwrap_or_default(),
                        t.map(|d| d.to_string()).unwrap_or_default()
                    ),
                };
                vec![
                    format!("{} {}", a.id, a.title),
                    a.lead.clone().unwrap_or_default(),
                    a.partners.join(", "),
                    dates,
                    a.resources.clone().unwrap_or_default(),
                ]
            })
            .collect();
        let header = [
            "design-item-action",
            "design-field-lead",
            "design-partners",
            "design-field-dates",
            "design-field-resources",
        ]
        .map(|k| capital(&label(k)));
        docx = docx.add_table(table(&header, rows, &[4, 2, 2, 2, 3])).add_paragraph(Paragraph::new());
    }
    if !indicators.is_empty() {
        let point = |p: Option<observa_domain::monitoring::Point>| {
            p.map(|p| format!("{} ({})", p.value, p.date)).unwrap_or_default()
        };
        let rows = indicators
            .iter()
            .map(|i| vec![format!("{} {}", i.id, i.name), i.unit.clone(), point(i.baseline), point(i.target)])
            .collect();
        let header = ["monitoring-indicator", "monitoring-unit", "monitoring-baseline", "monitoring-target"].map(label);
        docx = docx.add_table(table(&header, rows, &[5, 2, 2, 2])).add_paragraph(Paragraph::new());
    }
    docx
}

fn code(fp: &observa_domain::facts::FocalPoint) -> String {
    serde_json::to_value(fp).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

/// A label as a column heading: its first letter in capitals.
fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn heading(level: usize, text: &str) -> Paragraph {
    Paragraph::new().style(&format!("Heading{level}")).add_run(Run::new().add_text(text))
}

/// A table with a header row and a column grid in proportion to `widths`.
fn table(header: &[String], rows: Vec<Vec<String>>, widths: &[usize]) -> Table {
    let total: usize = widths.iter().sum::<usize>().max(1);
    let grid: Vec<usize> = widths.iter().map(|w| TEXT_WIDTH * w / total).collect();
    let cell = |text: &str, bold: bool, width: usize| {
        let mut p = Paragraph::new();
        for (n, line) in text.split('\n').enumerate() {
            let run = Run::new().size(18);
            let run = if n > 0 { run.add_break(docx_rs::BreakType::TextWrapping) } else { run };
            let run = run.add_text(line);
            p = p.add_run(if bold { run.bold() } else { run });
        }
        TableCell::new().width(width, WidthType::Dxa).add_paragraph(p)
    };
    let mut out = vec![TableRow::new(header.iter().zip(&grid).map(|(h, w)| cell(h, true, *w)).collect()).cant_split()];
    for row in rows {
        out.push(TableRow::new(row.iter().zip(&grid).map(|(c, w)| cell(c, false, *w)).collect()));
    }
    Table::new(out).set_grid(grid).width(TEXT_WIDTH, WidthType::Dxa)
}

#[cfg(test)]
mod tests {
    use observa_domain::monitoring::design::{Check, Draft, Origin};
    use observa_domain::monitoring::Matrix;

    #[test]
    fn a_draft_is_a_docx_with_its_objectives_and_checklist() {
        let mut body = Matrix::new("p");
        let add =
            observa_domain::monitoring::edit::Edit::AddObjective { id: "O1".into(), title: "Protect children".into() };
        observa_domain::monitoring::edit::apply(&mut body, &add).unwrap();
        let draft = Draft {
            id: 1,
            state: "PY".into(),
            title: "Next plan".into(),
            based_on: "p".into(),
            origin: Origin::Matrix,
            body,
            version: 1,
            created_by: String::new(),
            created_at: String::new(),
            updated_by: String::new(),
            updated_at: String::new(),
        };
        let checks = vec![Check { id: "adequate-resources", met: false, found: vec![] }];
        let bytes = super::write_design(&draft, &checks, &|k| k.to_string()).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }
}
