//! Builds the annual report's [`Document`] from the registry, the cycle's questionnaire and the
//! secretariat's editorial blocks, following the structure of the 2014 report: introduction,
//! methodology with the response figures, status table, one section per focal point, general
//! evaluation, then the monitoring of the plans (approved values only), findings and conclusions,
//! recommendations, appendices.

mod appendix;
mod focal;
mod monitoring;

pub use monitoring::PlanMonitoring;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use observa_domain::analysis::comparison::{comparison, Comparison};
use observa_domain::analysis::findings::findings;
use observa_domain::analysis::status::status_table;
use observa_domain::period::Adoption;
use observa_domain::questionnaire::Questionnaire;
use observa_domain::{Dataset, Lang};

use crate::document::{from_markdown, Block, Document, Inline, Table};
use crate::labels::{Arg, Labels};

/// Everything a report is made from.
pub struct Inputs<'a> {
    pub dataset: &'a Dataset,
    pub questionnaire: Option<&'a Questionnaire>,
    /// Editorial blocks of this cycle and language, by key (`introduction`, `methodology`,
    /// `conclusions`, `recommendations`), in Markdown.
    pub editorial: &'a BTreeMap<String, String>,
    /// The analysts' annotations of the cycle: SWOT regrouping, the States' Rio replies.
    pub annotations: &'a [observa_domain::editorial::Annotation],
    pub cycle: i32,
    pub lang: Lang,
    /// The date plans are judged "in force" on.
    pub on: NaiveDate,
    /// Each followed plan's matrix with its approved progress reports (the store's, now: later
    /// approvals change the section, unlike the registry read as of the cycle).
    pub monitoring: &'a [PlanMonitoring],
    /// The day the monitoring figures are computed on ("the last year" ends on it).
    pub monitored_on: NaiveDate,
    /// The monitoring data is synthetic (a database made by `observa demo`): the section says so.
    pub demonstration: bool,
}

/// What composing needs at hand: the inputs, the language's labels, the comparison (computed once).
struct Ctx<'a> {
    inp: &'a Inputs<'a>,
    l: Labels,
    table: Comparison,
    out: Vec<Block>,
}

pub fn compose(inp: &Inputs) -> Document {
    // The registry read in the report's language: each text in it where there is one, names in
    // their official form with the translation beside them.
    let localized = inp.dataset.localized(inp.lang).unwrap_or_else(|_| inp.dataset.clone());
    let inp = &Inputs { dataset: &localized, ..*inp };
    let l = Labels::new(inp.lang);
    let mut cx = Ctx { inp, l, table: comparison(inp.dataset, inp.on), out: Vec::new() };
    cx.introduction();
    cx.methodology();
    cx.status();
    focal::write(&mut cx);
    monitoring::write(&mut cx);
    cx.findings();
    cx.heading(1, "recommendations", l.t("report-h-recommendations"));
    cx.editorial("recommendations");
    appendix::write(&mut cx);
    Document {
        lang: inp.lang,
        title: l.f("report-title", &[("cycle", Arg::S(inp.cycle.to_string()))]),
        subtitle: l.f("report-subtitle", &[("on", Arg::S(inp.on.to_string()))]),
        contents_label: l.t("report-contents"),
        page_label: l.t("report-page"),
        chart_note: l.t("report-chart-note"),
        blocks: cx.out,
    }
}

impl Ctx<'_> {
    fn heading(&mut self, level: u8, id: &str, text: String) {
        self.out.push(Block::Heading { level, id: id.to_string(), text });
    }

    fn para(&mut self, text: String) {
        self.out.push(Block::Paragraph(vec![Inline::Text(text)]));
    }

    /// A labelled paragraph: "**Label:** text".
    fn field(&mut self, label: String, text: String) {
        self.out.push(Block::Paragraph(vec![Inline::Strong(format!("{label}: ")), Inline::Text(text)]));
    }

    fn table(&mut self, table: Table) {
        self.out.push(Block::Table(table));
    }

    /// The block's Markdown, or a visible note that the secretariat has not written it yet.
    fn editorial(&mut self, key: &str) {
        match self.inp.editorial.get(key).filter(|t| !t.trim().is_empty()) {
            Some(markdown) => self.out.extend(from_markdown(markdown)),
            None => self.out.push(Block::Paragraph(vec![Inline::Emph(self.l.t("report-editorial-missing"))])),
        }
    }

    fn state_name(&self, code: &str) -> String {
        self.inp.dataset.state(code).map_or(code.to_string(), |s| s.name(self.inp.lang).to_string())
    }

    fn state_names<'s>(&self, codes: impl IntoIterator<Item = &'s observa_domain::StateCode>) -> String {
        let mut names: Vec<String> = codes.into_iter().map(|c| self.state_name(c.as_str())).collect();
        names.sort();
        self.l.join(&names)
    }

    /// A label for an enum value through its serde name: `prefix-<name>`.
    fn label<T: serde::Serialize>(&self, prefix: &str, value: &T) -> String {
        self.l.t(&format!("{prefix}-{}", slug(value)))
    }

    fn introduction(&mut self) {
        self.heading(1, "introduction", self.l.t("report-h-introduction"));
        self.editorial("introduction");
    }

    fn methodology(&mut self) {
        let (l, ds, cycle) = (self.l, self.inp.dataset, self.inp.cycle);
        self.heading(1, "methodology", l.t("report-h-methodology"));
        self.editorial("methodology");
        let answered: Vec<observa_domain::StateCode> = self.table.rows.iter().map(|r| r.state.clone()).collect();
        let members = ds.states.iter().filter(|s| s.code.is_oas_member()).count();
        self.para(l.f(
            "report-responses",
            &[("answered", Arg::N(answered.len())), ("members", Arg::N(members)), ("cycle", Arg::S(cycle.to_string()))],
        ));
        self.para(l.f("report-respondents", &[("states", Arg::S(self.state_names(&answered)))]));
        let of = |n: usize| Arg::N(n);
        self.para(l.f(
            "report-registry-figures",
            &[
                ("plans", of(ds.plans.len())),
                ("bodies", of(ds.bodies.len())),
                ("members", of(ds.members.len())),
                ("laws", of(ds.laws.len())),
                ("actions", of(ds.actions.len())),
                ("services", of(ds.services.len())),
            ],
        ));
        self.out.push(Block::Paragraph(vec![Inline::Emph(l.t("report-summaries-translated"))]));
        let mut rows = Vec::new();
        for r in ds.responses.iter().filter(|r| r.cycle == cycle) {
            rows.push(vec![self.state_name(r.state.as_str()), r.institutions.join("; ")]);
        }
        rows.sort();
        self.table(Table {
            id: "responses".into(),
            caption: l.f("report-responses-caption", &[("cycle", Arg::S(cycle.to_string()))]),
            header: vec![l.t("col-state"), l.t("answered-by")],
            rows,
            widths: vec![1, 3],
            sheet: None,
            sheet_header: Vec::new(),
            sheet_rows: Vec::new(),
        });
    }

    fn status(&mut self) {
        let l = self.l;
        self.heading(1, "status", l.t("report-h-status"));
        self.para(l.f("report-status-intro", &[("on", Arg::S(self.inp.on.to_string()))]));
        let mut rows = Vec::new();
        for row in status_table(self.inp.dataset, self.inp.on) {
            for p in &row.plans {
                // The source's wording when kept; otherwise the date, or the status in words.
                let adopted = match (&p.adopted_wording, &p.adoption) {
                    (Some(wording), _) => wording.clone(),
                    (None, Adoption::On(date)) => date.to_string(),
                    (None, status) => self.label("report-adoption", status),
                };
                let mark = if p.last_approved { " *" } else { "" };
                rows.push(vec![
                    self.state_name(row.state.as_str()),
                    format!("{}{mark}", p.name),
                    self.label("kind", &p.kind),
                    adopted,
                    p.validity.clone(),
                    self.label("answer", &p.in_force),
                ]);
            }
        }
        self.table(Table {
            id: "status-table".into(),
            caption: l.t("report-status-caption"),
            header: vec![
                l.t("col-state"),
                l.t("report-col-plan"),
                l.t("col-kind"),
                l.t("adopted"),
                l.t("validity"),
                format!("{} {}", l.t("in-force-on"), self.inp.on),
            ],
            rows,
            widths: vec![3, 8, 4, 3, 3, 2],
            sheet: Some(l.t("report-sheet-status")),
            sheet_header: Vec::new(),
            sheet_rows: Vec::new(),
        });
        self.out.push(Block::Paragraph(vec![Inline::Emph(l.t("report-status-note"))]));
    }

    fn findings(&mut self) {
        let (l, ds) = (self.l, self.inp.dataset);
        let f = findings(ds, self.inp.on);
        let n = self.table.rows.len();
        self.heading(1, "conclusions", l.t("report-h-conclusions"));
        self.heading(2, "findings", l.t("report-h-findings"));
        let body_names: Vec<String> = f
            .bodies_with_local_representation
            .iter()
            .filter_map(|id| ds.bodies.iter().find(|b| &b.id == id))
            .map(|b| {
                format!(
                    "{} ({})",
                    b.acronym.clone().unwrap_or_else(|| b.name.clone()),
                    self.state_name(b.state.as_str())
                )
            })
            .collect();
        let agencies: Vec<String> = f
            .most_mentioned_agencies
            .iter()
            .filter_map(|id| ds.organisations.iter().find(|o| &o.id == id))
            .map(|o| o.acronym.clone().unwrap_or_else(|| o.name.clone()))
            .collect();
        let items = vec![
            l.f(
                "report-finding-no-specific-plan",
                &[
                    ("count", Arg::N(f.states_without_specific_plan.len())),
                    ("total", Arg::N(n)),
                    ("states", Arg::S(self.state_names(&f.states_without_specific_plan))),
                ],
            ),
            l.f(
                "report-finding-local",
                &[("count", Arg::N(body_names.len())), ("bodies", Arg::S(l.join(&body_names)))],
            ),
            l.f("report-finding-agencies", &[("agencies", Arg::S(l.join(&agencies)))]),
            l.f("report-finding-prevention", &[("count", Arg::N(f.states_prevention_evaluated)), ("total", Arg::N(n))]),
            l.f("report-finding-services", &[("count", Arg::N(f.states_service_evaluated)), ("total", Arg::N(n))]),
            l.f(
                "report-finding-children",
                &[
                    ("count", Arg::N(f.states_children_heard)),
                    ("partly", Arg::N(f.states_children_heard_partly)),
                    ("total", Arg::N(n)),
                ],
            ),
        ];
        self.out.push(Block::List(items.into_iter().map(|t| vec![Inline::Text(t)]).collect()));
        self.heading(2, "conclusions-text", l.t("report-h-conclusions-text"));
        self.editorial("conclusions");
        self.heading(2, "disagreements", l.t("report-h-disagreements"));
        self.para(l.t("report-disagreements-intro"));
        let rows = ds
            .disagreements
            .iter()
            .map(|d| {
                vec![
                    d.state.as_ref().map_or("—".to_string(), |s| self.state_name(s.as_str())),
                    d.topic.clone(),
                    d.first.clone(),
                    d.second.clone(),
                    d.conclusion.clone().unwrap_or_default(),
                ]
            })
            .collect();
        self.table(Table {
            id: "disagreements-table".into(),
            caption: l.t("report-h-disagreements"),
            header: vec![
                l.t("col-state"),
                l.t("col-subject"),
                l.t("report-col-first"),
                l.t("report-col-second"),
                l.t("report-col-conclusion"),
            ],
            rows,
            widths: vec![2, 3, 4, 4, 4],
            sheet: None,
            sheet_header: Vec::new(),
            sheet_rows: Vec::new(),
        });
    }
}

/// An enum's serde name (`specific-sec`, `partial`), the key its labels use.
pub(crate) fn slug<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}
