//! Section IV of the report: the plans by Stockholm focal point. For each focal point, the
//! comparison counts and matrix for its indicators, then a summary per responding State built
//! from its records; then the general evaluation with the SWOT synthesis.

use std::collections::BTreeMap;

use observa_domain::analysis::agencies::agency_mentions;
use observa_domain::analysis::indicators::Group;
use observa_domain::analysis::rio::rio_assessment;
use observa_domain::analysis::rio_rules::CRITERIA;
use observa_domain::analysis::swot::swot_by_theme;
use observa_domain::editorial::{annotation_map, AnnotationKind};
use observa_domain::facts::FocalPoint;
use observa_domain::period::Answer;
use observa_domain::registry::Sector;
use observa_domain::StateCode;

use super::{slug, Ctx};
use crate::document::{Block, Inline, Table};
use crate::labels::Arg;

pub(super) fn write(cx: &mut Ctx) {
    let l = cx.l;
    cx.heading(1, "focal-points", l.t("report-h-focal-points"));
    cx.para(l.t("report-focal-intro"));
    for (group, fp) in [
        (Group::Coordination, FocalPoint::Coordination),
        (Group::Prevention, FocalPoint::Prevention),
        (Group::Protection, FocalPoint::Protection),
        (Group::Recovery, FocalPoint::Recovery),
        (Group::Participation, FocalPoint::Participation),
    ] {
        let name = cx.label("fp", &fp);
        cx.heading(2, &format!("fp-{}", slug(&fp)), format!("{}. {name}", fp.number()));
        indicators(cx, group);
        let states: Vec<StateCode> = cx.table.rows.iter().map(|r| r.state.clone()).collect();
        for state in &states {
            let before = cx.out.len();
            match fp {
                FocalPoint::Coordination => coordination(cx, state),
                FocalPoint::Prevention => prevention(cx, state),
                FocalPoint::Protection => protection(cx, state),
                FocalPoint::Recovery => recovery(cx, state),
                FocalPoint::Participation => participation(cx, state),
            }
            if cx.out.len() > before {
                let heading = Block::Heading { level: 3, id: String::new(), text: cx.state_name(state.as_str()) };
                cx.out.insert(before, heading);
            }
        }
        if fp == FocalPoint::Coordination {
            agencies(cx);
        }
        if fp == FocalPoint::Protection {
            laws(cx);
        }
    }
    evaluation(cx);
}

/// The counts sentence per indicator and the matrix of States by the group's indicators.
fn indicators(cx: &mut Ctx, group: Group) {
    let l = cx.l;
    let columns: Vec<usize> =
        cx.table.columns.iter().enumerate().filter(|(_, c)| c.indicator.group == group).map(|(i, _)| i).collect();
    let total = cx.table.rows.len();
    let items = columns
        .iter()
        .map(|&i| {
            let c = &cx.table.columns[i];
            vec![Inline::Text(l.f(
                "report-indicator-counts",
                &[
                    ("indicator", Arg::S(l.t(&format!("indicator-{}", c.indicator.id)))),
                    ("yes", Arg::N(c.counts.yes)),
                    ("partly", Arg::N(c.counts.partial)),
                    ("no", Arg::N(c.counts.no)),
                    ("unknown", Arg::N(c.counts.unknown)),
                    ("total", Arg::N(total)),
                ],
            ))]
        })
        .collect();
    cx.out.push(Block::List(items));
    let rows = cx
        .table
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![cx.state_name(r.state.as_str())];
            row.extend(columns.iter().map(|&i| cx.label("answer", &r.cells[i].value)));
            row
        })
        .collect();
    let mut header = vec![l.t("col-state")];
    header.extend(columns.iter().map(|&i| l.t(&format!("indicator-{}", cx.table.columns[i].indicator.id))));
    let mut widths = vec![3];
    widths.extend(columns.iter().map(|_| 2));
    cx.table(Table {
        id: format!("indicators-{}", slug(&group)),
        caption: l.f("report-indicators-caption", &[("group", Arg::S(l.t(&format!("group-{}", slug(&group)))))]),
        header,
        rows,
        widths,
        sheet: None,
        sheet_header: Vec::new(),
        sheet_rows: Vec::new(),
    });
}

fn coordination(cx: &mut Ctx, state: &StateCode) {
    let (l, ds) = (cx.l, cx.inp.dataset);
    for body in ds.bodies.iter().filter(|b| &b.state == state) {
        let mut by_sector: BTreeMap<String, usize> = BTreeMap::new();
        let members: Vec<_> = ds.members.iter().filter(|m| m.body == body.id).collect();
        for m in &members {
            let sector = ds.organisations.iter().find(|o| o.id == m.organisation).map_or(Sector::Other, |o| o.sector);
            *by_sector.entry(cx.label("sector", &sector)).or_default() += 1;
        }
        let sectors: Vec<String> = by_sector.iter().map(|(s, n)| format!("{s}: {n}")).collect();
        let name = match &body.acronym {
            Some(a) => format!("{} ({a})", body.name),
            None => body.name.clone(),
        };
        let established = body.established.map_or("—".to_string(), |d| d.to_string());
        cx.out.push(Block::Paragraph(vec![
            Inline::Strong(name),
            Inline::Text(format!(
                " — {}",
                l.f(
                    "report-body-line",
                    &[
                        ("established", Arg::S(established)),
                        ("count", Arg::N(members.len())),
                        ("sectors", Arg::S(sectors.join("; "))),
                        ("local", Arg::S(cx.label("answer", &body.local_expression))),
                    ]
                )
            )),
        ]));
        if let Some(summary) = &body.summary {
            cx.para(summary.clone());
        }
    }
    for local in ds.local_expressions.iter().filter(|x| &x.state == state) {
        if let Some(summary) = &local.summary {
            cx.field(l.t("indicator-local-expression"), summary.clone());
        }
    }
    let agreements: Vec<Vec<Inline>> = ds
        .agreements
        .iter()
        .filter(|a| &a.state == state)
        .map(|a| {
            let date = a.date.map_or(String::new(), |d| format!(" ({d})"));
            vec![Inline::Strong(format!("{}{date}", a.name)), Inline::Text(format!(": {}", a.subject))]
        })
        .collect();
    if !agreements.is_empty() {
        cx.field(l.t("indicator-agreements"), agreements.len().to_string());
        cx.out.push(Block::List(agreements));
    }
}

fn prevention(cx: &mut Ctx, state: &StateCode) {
    let ds = cx.inp.dataset;
    let items: Vec<Vec<Inline>> = ds
        .actions
        .iter()
        .filter(|a| &a.state == state && a.focal_point == FocalPoint::Prevention)
        .map(|a| {
            vec![
                Inline::Strong(a.name.clone()),
                Inline::Text(format!(
                    " — {}; {}: {}",
                    cx.label("action", &a.kind),
                    cx.l.t("report-impact-evaluation"),
                    cx.label("evaluation", &a.impact_evaluation)
                )),
            ]
        })
        .collect();
    if !items.is_empty() {
        cx.out.push(Block::List(items));
    }
}

fn protection(cx: &mut Ctx, state: &StateCode) {
    let (l, ds) = (cx.l, cx.inp.dataset);
    let laws = ds.laws.iter().filter(|x| &x.state == state).count();
    for p in ds.protection.iter().filter(|p| &p.state == state) {
        cx.field(
            l.t("report-protection-effective"),
            format!("{} ({})", cx.label("answer", &p.effective), l.f("report-laws-listed", &[("count", Arg::N(laws))])),
        );
        if let Some(text) = &p.effectiveness {
            cx.para(text.clone());
        }
        if !p.difficulties.is_empty() {
            cx.field(l.t("report-difficulties"), p.difficulties.join("; "));
        }
    }
}

fn recovery(cx: &mut Ctx, state: &StateCode) {
    let (l, ds) = (cx.l, cx.inp.dataset);
    let items: Vec<Vec<Inline>> = ds
        .services
        .iter()
        .filter(|s| &s.state == state)
        .map(|s| {
            vec![
                Inline::Strong(s.name.clone()),
                Inline::Text(format!(
                    " — {}: {}; {}: {}; {}: {}",
                    l.t("management"),
                    cx.label("management", &s.management),
                    l.t("report-integrated"),
                    cx.label("answer", &s.integrated),
                    l.t("report-evaluation"),
                    cx.label("evaluation", &s.evaluation),
                )),
            ]
        })
        .collect();
    if !items.is_empty() {
        cx.out.push(Block::List(items));
    }
}

fn participation(cx: &mut Ctx, state: &StateCode) {
    let (l, ds) = (cx.l, cx.inp.dataset);
    for p in ds.participation.iter().filter(|p| &p.state == state) {
        for (key, answer, how) in [
            ("indicator-children-heard", &p.children_heard, &p.heard_how),
            ("indicator-children-organisations", &p.organisations_in_actions, &p.organisations_how),
            ("indicator-self-protection", &p.self_protection, &p.self_protection_how),
        ] {
            let text = match how {
                Some(how) => format!("{}. {how}", cx.label("answer", answer)),
                None => cx.label("answer", answer),
            };
            cx.field(l.t(key), text);
        }
    }
}

fn agencies(cx: &mut Ctx) {
    let l = cx.l;
    cx.heading(3, "agencies", l.t("report-h-agencies"));
    let mentions = agency_mentions(cx.inp.dataset);
    let rows = mentions
        .iter()
        .map(|a| {
            let name = a.acronym.clone().map_or(a.name.clone(), |ac| format!("{} ({ac})", a.name));
            let roles: Vec<String> = a
                .roles
                .iter()
                .map(|r| {
                    let role = l.t(&format!("role-{r}"));
                    if role.starts_with("role-") {
                        l.t(&format!("contribution-{r}"))
                    } else {
                        role
                    }
                })
                .collect();
            vec![name, a.state_count.to_string(), cx.state_names(&a.states), roles.join(", ")]
        })
        .collect();
    cx.table(Table {
        id: "agencies-table".into(),
        caption: l.t("report-h-agencies"),
        header: vec![l.t("col-agency"), l.t("col-states"), l.t("report-col-which-states"), l.t("col-role")],
        rows,
        widths: vec![5, 1, 5, 3],
        sheet: Some(l.t("report-sheet-agencies")),
        sheet_header: Vec::new(),
        sheet_rows: Vec::new(),
    });
}

fn laws(cx: &mut Ctx) {
    let (l, ds) = (cx.l, cx.inp.dataset);
    cx.heading(3, "laws", l.t("report-h-laws"));
    let mut rows: Vec<Vec<String>> = ds
        .laws
        .iter()
        .map(|x| {
            let number =
                x.number.clone().map_or(cx.label("law", &x.kind), |n| format!("{} {n}", cx.label("law", &x.kind)));
            let title = x.translations.get(&cx.inp.lang).cloned().unwrap_or_else(|| x.title.clone());
            vec![cx.state_name(x.state.as_str()), number, x.date.map_or("—".into(), |d| d.to_string()), title]
        })
        .collect();
    rows.sort_by(|a, b| a[0].cmp(&b[0]).then(a[2].cmp(&b[2])));
    cx.table(Table {
        id: "laws-table".into(),
        caption: l.t("report-h-laws"),
        header: vec![l.t("col-state"), l.t("col-number"), l.t("col-date"), l.t("col-law")],
        rows,
        widths: vec![3, 3, 2, 8],
        sheet: Some(l.t("report-sheet-laws")),
        sheet_header: Vec::new(),
        sheet_rows: Vec::new(),
    });
}

/// Section 6: plan evaluations and the SWOT synthesis (items by theme, with State counts).
fn evaluation(cx: &mut Ctx) {
    let (l, ds) = (cx.l, cx.inp.dataset);
    cx.heading(2, "general-evaluation", format!("6. {}", l.t("report-h-general-evaluation")));
    let states: Vec<StateCode> = cx.table.rows.iter().map(|r| r.state.clone()).collect();
    for state in &states {
        for e in ds.evaluations.iter().filter(|e| &e.state == state) {
            let mut text = cx.label("evaluation", &e.status);
            if let Some(s) = &e.summary {
                text = format!("{text}. {s}");
            }
            cx.field(cx.state_name(state.as_str()), text);
        }
    }
    rio(cx);
    cx.heading(3, "swot", l.t("report-h-swot"));
    cx.para(l.t("swot-intro"));
    let regroup = annotation_map(cx.inp.annotations, AnnotationKind::SwotTheme);
    let groups = swot_by_theme(ds, &regroup);
    let rows = groups
        .iter()
        .map(|g| {
            let items: Vec<String> = g
                .items
                .iter()
                .filter_map(|id| ds.swot.iter().find(|s| &s.id == id))
                .map(|s| format!("{} ({})", s.text, s.states))
                .collect();
            vec![cx.label("swot", &g.category), g.theme.clone(), g.total.to_string(), items.join("; ")]
        })
        .collect();
    cx.table(Table {
        id: "swot-table".into(),
        caption: l.t("report-h-swot"),
        header: vec![
            l.t("report-col-category"),
            l.t("report-col-theme"),
            l.t("report-col-total"),
            l.t("report-col-items"),
        ],
        rows,
        widths: vec![2, 3, 1, 8],
        sheet: Some(l.t("report-sheet-swot")),
        sheet_header: Vec::new(),
        sheet_rows: Vec::new(),
    });
}

/// The last approved plans against the Rio de Janeiro commitment: counts per answer, the score
/// with its denominator (unknown criteria are left out of it), and the State's reply.
fn rio(cx: &mut Ctx) {
    let l = cx.l;
    cx.heading(3, "rio", l.t("report-h-rio"));
    cx.para(l.f("report-rio-intro", &[("criteria", Arg::N(CRITERIA.len()))]));
    let replies = annotation_map(cx.inp.annotations, AnnotationKind::RioReply);
    let rows = rio_assessment(cx.inp.dataset, &replies)
        .iter()
        .map(|a| {
            let count = |v: Answer| a.results.iter().filter(|r| r.value == v).count().to_string();
            let score = match a.score.percent {
                Some(p) => format!("{}/{} ({p:.0} %)", a.score.points, a.score.possible),
                None => "—".to_string(),
            };
            vec![
                cx.state_name(a.state.as_str()),
                count(Answer::Yes),
                count(Answer::Partial),
                count(Answer::No),
                count(Answer::Unknown),
                score,
                a.reply.clone().unwrap_or_default(),
            ]
        })
        .collect();
    cx.table(Table {
        id: "rio-table".into(),
        caption: l.t("report-h-rio"),
        header: vec![
            l.t("col-state"),
            l.t("answer-yes"),
            l.t("answer-partial"),
            l.t("answer-no"),
            l.t("answer-unknown"),
            l.t("report-col-score"),
            l.t("report-col-reply"),
        ],
        rows,
        widths: vec![3, 1, 1, 1, 1, 2, 6],
        sheet: Some(l.t("report-sheet-rio")),
        sheet_header: Vec::new(),
        sheet_rows: Vec::new(),
    });
}
