//! The appendices: the questionnaire in the report's language, the reporting table under the
//! Optional Protocol (the source's figures beside the rule's), the ratification table, and the
//! full comparison matrix. The three tables also become sheets of the XLSX output.

use chrono::NaiveDate;
use observa_domain::checks::reporting;
use observa_domain::treaty::{RatificationStatus, TREATY_CODES};

use super::Ctx;
use crate::document::{Block, Inline, Table};
use crate::labels::Arg;

pub(super) fn write(cx: &mut Ctx) {
    let l = cx.l;
    cx.heading(1, "appendices", l.t("report-h-appendices"));
    questionnaire(cx);
    reporting_table(cx);
    ratifications(cx);
    comparison_matrix(cx);
}

fn questionnaire(cx: &mut Ctx) {
    let (l, lang) = (cx.l, cx.inp.lang);
    cx.heading(2, "appendix-1", format!("{} 1. {}", l.t("report-appendix"), l.t("report-h-questionnaire")));
    let Some(q) = cx.inp.questionnaire else {
        cx.out.push(Block::Paragraph(vec![Inline::Emph(l.t("report-no-questionnaire"))]));
        return;
    };
    let text = |labels: &observa_domain::questionnaire::Labels| {
        labels.get(&lang).or_else(|| labels.get(&observa_domain::Lang::En)).cloned().unwrap_or_default()
    };
    cx.para(
        l.f("report-questionnaire-intro", &[("id", Arg::S(q.id.clone())), ("version", Arg::N(q.version as usize))]),
    );
    for part in &q.parts {
        cx.heading(3, "", text(&part.title));
        for section in &part.sections {
            cx.out.push(Block::Paragraph(vec![Inline::Strong(text(&section.title))]));
            let items = section
                .questions
                .iter()
                .map(|question| {
                    let mut item =
                        vec![Inline::Strong(format!("{} ", question.number)), Inline::Text(text(&question.label))];
                    if !question.columns.is_empty() {
                        let columns: Vec<String> = question.columns.iter().map(|c| text(&c.label)).collect();
                        item.push(Inline::Emph(format!(" ({})", columns.join(" · "))));
                    }
                    item
                })
                .collect();
            cx.out.push(Block::List(items));
        }
    }
}

fn date(d: Option<NaiveDate>) -> String {
    d.map_or("—".to_string(), |d| d.to_string())
}

fn reporting_table(cx: &mut Ctx) {
    let l = cx.l;
    cx.heading(2, "appendix-2", format!("{} 2. {}", l.t("report-appendix"), l.t("report-h-reporting")));
    cx.para(l.t("report-reporting-intro"));
    let mut rows: Vec<Vec<String>> = reporting(cx.inp.dataset, cx.inp.on)
        .iter()
        .map(|item| {
            let r = &item.report;
            vec![
                cx.state_name(r.state.as_str()),
                r.sequence.to_string(),
                r.source_ratification_text.clone().unwrap_or_default(),
                r.source_due_text.clone().unwrap_or_default(),
                date(item.initial_report_due),
                r.distributed_text.clone().unwrap_or_default(),
                r.session_text.clone().unwrap_or_default(),
                item.flags.len().to_string(),
            ]
        })
        .collect();
    rows.sort_by(|a, b| a[0].cmp(&b[0]).then(a[1].cmp(&b[1])));
    cx.table(Table {
        id: "reporting-table".into(),
        caption: l.t("report-h-reporting"),
        header: vec![
            l.t("col-state"),
            l.t("report-col-report"),
            l.t("report-col-ratification"),
            l.t("report-col-due-source"),
            l.t("report-col-due-rule"),
            l.t("report-col-distributed"),
            l.t("report-col-discussed"),
            l.t("report-col-flags"),
        ],
        rows,
        widths: vec![3, 1, 2, 2, 2, 2, 3, 1],
        sheet: Some(l.t("report-sheet-reporting")),
        sheet_header: Vec::new(),
        sheet_rows: Vec::new(),
    });
}

fn ratifications(cx: &mut Ctx) {
    let (l, ds) = (cx.l, cx.inp.dataset);
    cx.heading(2, "appendix-3", format!("{} 3. {}", l.t("report-appendix"), l.t("report-h-ratifications")));
    cx.para(l.t("report-ratifications-intro"));
    let mut rows: Vec<Vec<String>> = ds
        .states
        .iter()
        .filter(|s| s.code.is_oas_member())
        .map(|s| {
            let mut row = vec![s.name(cx.inp.lang).to_string()];
            for code in TREATY_CODES {
                let cell = ds.ratifications.iter().find(|r| r.state == s.code && r.treaty == code);
                row.push(match cell {
                    None => String::new(),
                    Some(r) => {
                        let mark = match r.status {
                            RatificationStatus::Accession => " a",
                            RatificationStatus::Succession => " d",
                            RatificationStatus::Signature => " s",
                            _ => "",
                        };
                        match r.date {
                            Some(d) => format!("{d}{mark}"),
                            None if r.status == RatificationStatus::None => "—".to_string(),
                            None => mark.trim().to_string(),
                        }
                    }
                });
            }
            row
        })
        .collect();
    rows.sort();
    let mut header = vec![l.t("col-state")];
    header.extend(TREATY_CODES.iter().map(|c| c.to_string()));
    let mut widths = vec![4];
    widths.extend(TREATY_CODES.iter().map(|_| 2));
    cx.table(Table {
        id: "ratifications-table".into(),
        caption: l.t("report-h-ratifications"),
        header,
        rows,
        widths,
        sheet: Some(l.t("report-sheet-ratifications")),
        sheet_header: Vec::new(),
        sheet_rows: Vec::new(),
    });
    let legend: Vec<Vec<Inline>> = ds
        .treaties
        .iter()
        .map(|t| {
            let name = match cx.inp.lang {
                observa_domain::Lang::En => &t.name_en,
                observa_domain::Lang::Es => &t.name_es,
                observa_domain::Lang::Pt => &t.name_pt,
                observa_domain::Lang::Fr => &t.name_fr,
            };
            vec![Inline::Strong(format!("{}: ", t.code)), Inline::Text(name.clone())]
        })
        .collect();
    cx.out.push(Block::List(legend));
}

fn comparison_matrix(cx: &mut Ctx) {
    let l = cx.l;
    cx.heading(2, "appendix-4", format!("{} 4. {}", l.t("report-appendix"), l.t("report-h-comparison")));
    cx.para(l.f("report-comparison-intro", &[("on", Arg::S(cx.inp.on.to_string()))]));
    let short = |a: &observa_domain::period::Answer| l.t(&format!("report-short-{}", super::slug(a)));
    let rows = cx
        .table
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![cx.state_name(r.state.as_str())];
            row.extend(r.cells.iter().map(|c| short(&c.value)));
            row
        })
        .collect();
    let mut header = vec![l.t("col-state")];
    header.extend((1..=cx.table.columns.len()).map(|i| i.to_string()));
    let mut widths = vec![5];
    widths.extend(cx.table.columns.iter().map(|_| 1));
    cx.table(Table {
        id: "comparison-table".into(),
        caption: l.t("report-h-comparison"),
        header,
        rows,
        widths,
        sheet: Some(l.t("report-sheet-comparison")),
        sheet_header: std::iter::once(l.t("col-state"))
            .chain(cx.table.columns.iter().map(|c| l.t(&format!("indicator-{}", c.indicator.id))))
            .collect(),
        sheet_rows: Vec::new(),
    });
    let legend = cx
        .table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| vec![Inline::Text(format!("{}: {}", i + 1, l.t(&format!("indicator-{}", c.indicator.id))))])
        .collect();
    cx.out.push(Block::List(legend));
    cx.para(l.t("report-short-legend"));
}
