//! The comparison of States: the States that answered the consultation, by indicator, grouped by
//! Stockholm focal point, with how many States answer each way.

use chrono::NaiveDate;
use serde::Serialize;

use super::english_name;
use super::indicators::{Cell, Indicator, StateRecords, INDICATORS};
use crate::period::Answer;
use crate::state::StateCode;
use crate::Dataset;

/// The consultation whose respondents are compared (the report's cycle).
pub const CYCLE: i32 = 2014;

/// How many States answer an indicator each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub yes: usize,
    pub partial: usize,
    pub no: usize,
    pub unknown: usize,
}

impl Counts {
    fn add(&mut self, answer: Answer) {
        match answer {
            Answer::Yes => self.yes += 1,
            Answer::Partial => self.partial += 1,
            Answer::No => self.no += 1,
            Answer::Unknown => self.unknown += 1,
        }
    }
}

/// One indicator's column: what it is and its counts over the compared States.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    #[serde(flatten)]
    pub indicator: Indicator,
    pub counts: Counts,
}

/// One State's row; `cells` follow [`Comparison::columns`].
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub state: StateCode,
    pub state_name: String,
    pub cells: Vec<Cell>,
}

/// The matrix of States by indicators on a date (the date only matters for `plan-in-force`).
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub on: NaiveDate,
    /// In [`INDICATORS`] order, so the groups are contiguous.
    pub columns: Vec<Column>,
    /// The States with a response to the [`CYCLE`] consultation, by English name.
    pub rows: Vec<Row>,
}

impl Comparison {
    /// The cell of a State (by code) and an indicator (by id).
    pub fn cell(&self, state: &str, indicator: &str) -> Option<&Cell> {
        let col = self.columns.iter().position(|c| c.indicator.id == indicator)?;
        self.rows.iter().find(|r| r.state.as_str() == state)?.cells.get(col)
    }

    /// The States (codes) whose answer to an indicator is `value`, in row order.
    pub fn states_answering(&self, indicator: &str, value: Answer) -> Vec<StateCode> {
        let rows = self.rows.iter().filter(|r| self.cell(r.state.as_str(), indicator).map(|c| c.value) == Some(value));
        rows.map(|r| r.state.clone()).collect()
    }

    /// An indicator's counts.
    pub fn counts(&self, indicator: &str) -> Option<Counts> {
        self.columns.iter().find(|c| c.indicator.id == indicator).map(|c| c.counts)
    }
}

/// Compares the States that answered the [`CYCLE`] consultation on `on`.
pub fn comparison(ds: &Dataset, on: NaiveDate) -> Comparison {
    let mut states: Vec<&StateCode> = ds.responses.iter().filter(|r| r.cycle == CYCLE).map(|r| &r.state).collect();
    states.sort_by_key(|s| english_name(ds, s));
    states.dedup();
    let rows: Vec<Row> = states
        .into_iter()
        .map(|state| {
            let records = StateRecords::of(ds, state);
            Row {
                state: state.clone(),
                state_name: english_name(ds, state).to_string(),
                cells: INDICATORS.iter().map(|i| records.answer(i.id, on)).collect(),
            }
        })
        .collect();
    let columns = INDICATORS
        .iter()
        .enumerate()
        .map(|(i, indicator)| {
            let mut counts = Counts::default();
            rows.iter().for_each(|r| counts.add(r.cells[i].value));
            Column { indicator: *indicator, counts }
        })
        .collect();
    Comparison { on, columns, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::bundled;
    use crate::analysis::indicators::{Evidence, Group};
    use crate::facts::EvaluationStatus;
    use crate::registry::Sector;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn on_update() -> Comparison {
        comparison(&bundled(), day(2014, 9, 30))
    }

    fn answer(c: &Comparison, state: &str, indicator: &str) -> Answer {
        c.cell(state, indicator).unwrap_or_else(|| panic!("no cell {state}/{indicator}")).value
    }

    fn ids<'a>(c: &'a Comparison, state: &str, indicator: &str) -> Vec<(&'static str, &'a str)> {
        c.cell(state, indicator).unwrap().evidence.iter().map(|e| (e.table, e.id.as_str())).collect()
    }

    #[test]
    fn the_fourteen_respondents_by_every_indicator_in_group_order() {
        let c = on_update();
        let names: Vec<&str> = c.rows.iter().map(|r| r.state_name.as_str()).collect();
        assert_eq!(names.len(), 14);
        assert!(names.windows(2).all(|w| w[0] < w[1]), "{names:?}");
        assert_eq!(c.columns.len(), INDICATORS.len());
        assert!(c.columns.windows(2).all(|w| w[0].indicator.group <= w[1].indicator.group), "groups are contiguous");
        assert_eq!(c.columns.last().unwrap().indicator.group, Group::Evaluation);
        for col in &c.columns {
            let n = col.counts;
            assert_eq!(n.yes + n.partial + n.no + n.unknown, 14, "{}", col.indicator.id);
        }
        assert!(c.rows.iter().all(|r| r.cells.len() == INDICATORS.len()));
        assert_eq!(c.cell("GT", "specific-plan"), None, "Guatemala did not answer");
    }

    #[test]
    fn specific_plan_reads_the_last_approved_plan() {
        let c = on_update();
        assert_eq!(answer(&c, "CL", "specific-plan"), Answer::Yes);
        assert_eq!(ids(&c, "CL", "specific-plan"), [("plans", "cl-segundo-marco-2012")]);
        assert_eq!(answer(&c, "AR", "specific-plan"), Answer::No);
        // Costa Rica's 2008 specific plan was replaced by a broader road map: partial, both decide.
        assert_eq!(answer(&c, "CR", "specific-plan"), Answer::Partial);
        let cr = ids(&c, "CR", "specific-plan");
        assert!(cr.contains(&("plans", "cr-plan-escnna-2008")) && cr.contains(&("plans", "cr-hoja-de-ruta-2010")));
        let yes = c.states_answering("specific-plan", Answer::Yes);
        assert_eq!(yes.iter().map(StateCode::as_str).collect::<Vec<_>>(), ["BR", "CL", "PA", "PY", "UY"]);
        assert_eq!(c.counts("specific-plan"), Some(Counts { yes: 5, partial: 1, no: 8, unknown: 0 }));
    }

    #[test]
    fn plan_in_force_depends_on_the_date() {
        let ds = bundled();
        let (in_2014, in_2015) = (comparison(&ds, day(2014, 9, 30)), comparison(&ds, day(2015, 6, 1)));
        assert_eq!(answer(&in_2014, "BR", "plan-in-force"), Answer::Yes);
        assert_eq!(ids(&in_2014, "BR", "plan-in-force"), [("plans", "br-plano-enfrentamento-2013")]);
        assert_eq!(answer(&in_2014, "CL", "plan-in-force"), Answer::Yes);
        assert_eq!(answer(&in_2015, "CL", "plan-in-force"), Answer::No, "Chile's plan ran 2012-2014");
        // Mexico's programme is dated only by year: in September 2014 it may not have started yet.
        assert_eq!(answer(&in_2014, "MX", "plan-in-force"), Answer::Partial);
        assert_eq!(answer(&in_2015, "MX", "plan-in-force"), Answer::Yes);
        assert_eq!(answer(&in_2014, "AR", "plan-in-force"), Answer::Unknown, "no validity stated");
    }

    #[test]
    fn coordination_reads_bodies_members_and_contributions() {
        let ds = bundled();
        let c = comparison(&ds, day(2014, 9, 30));
        assert_eq!(answer(&c, "BR", "governing-body"), Answer::No);
        assert_eq!(answer(&c, "BR", "civil-society-in-body"), Answer::Unknown, "no body to look into");
        assert_eq!(answer(&c, "AR", "civil-society-in-body"), Answer::No);
        assert_eq!(ids(&c, "AR", "civil-society-in-body")[0], ("bodies", "ar-federal-council"));
        // Every member cited for Costa Rica is civil society, and there are some.
        let cr = ids(&c, "CR", "civil-society-in-body");
        assert!(!cr.is_empty());
        for (table, id) in cr {
            let member = ds.members.iter().find(|m| table == "members" && m.id == id).unwrap();
            let org = ds.organisations.iter().find(|o| o.id == member.organisation).unwrap();
            assert_eq!(org.sector, Sector::CivilSociety, "{id}");
        }
        // Ecuador's body has no international member, but agencies contributed.
        assert_eq!(answer(&c, "EC", "international-in-body"), Answer::Yes);
        assert!(ids(&c, "EC", "international-in-body").iter().all(|(t, _)| *t == "contributions"));
        assert_eq!(answer(&c, "AR", "international-in-body"), Answer::No);
        assert_eq!(answer(&c, "SV", "agreements"), Answer::No);
        assert_eq!(ids(&c, "BR", "agreements"), [("agreements", "br-agreement-1")]);
    }

    #[test]
    fn local_expression_counts_records_and_what_is_only_planned() {
        let c = on_update();
        // Chile's body says it has none, yet a local body is recorded: the record decides.
        assert_eq!(answer(&c, "CL", "local-expression"), Answer::Yes);
        assert_eq!(ids(&c, "CL", "local-expression"), [("local_expressions", "cl-local-1")]);
        assert_eq!(answer(&c, "MX", "local-expression"), Answer::Partial, "only planned");
        assert_eq!(answer(&c, "UY", "local-expression"), Answer::Partial, "only planned");
        assert_eq!(answer(&c, "JM", "local-expression"), Answer::No);
        assert!(ids(&c, "AR", "local-expression").contains(&("bodies", "ar-federal-council")));
    }

    #[test]
    fn evaluations_need_every_record_to_say_no() {
        let ds = bundled();
        let c = comparison(&ds, day(2014, 9, 30));
        assert_eq!(answer(&c, "UY", "prevention-evaluated"), Answer::Yes);
        for (_, id) in ids(&c, "UY", "prevention-evaluated") {
            let action = ds.actions.iter().find(|a| a.id == id).unwrap();
            assert_eq!(action.impact_evaluation, EvaluationStatus::Done, "{id}");
        }
        assert_eq!(answer(&c, "EC", "prevention-evaluated"), Answer::No, "all seven not done");
        // Chile: four actions not evaluated and one of unknown status, which is the evidence.
        assert_eq!(answer(&c, "CL", "prevention-evaluated"), Answer::Unknown);
        assert_eq!(ids(&c, "CL", "prevention-evaluated"), [("actions", "cl-action-5")]);
        assert_eq!(answer(&c, "NI", "prevention-actions"), Answer::No);
        assert_eq!(answer(&c, "JM", "services-evaluated"), Answer::Partial, "in progress");
        assert_eq!(answer(&c, "UY", "services-evaluated"), Answer::Partial, "planned");
        assert_eq!(answer(&c, "PE", "services-evaluated"), Answer::Unknown, "seven not done, one unknown");
        assert_eq!(answer(&c, "CL", "services-evaluated"), Answer::No);
        assert_eq!(answer(&c, "CL", "plan-evaluated"), Answer::Partial, "in progress");
        assert_eq!(c.counts("plan-evaluated").unwrap().unknown, 13);
    }

    #[test]
    fn protection_recovery_and_participation() {
        let c = on_update();
        assert_eq!(answer(&c, "CL", "laws-with-dates"), Answer::Yes);
        assert_eq!(answer(&c, "PA", "laws-with-dates"), Answer::Partial);
        assert_eq!(ids(&c, "PA", "laws-with-dates"), [("laws", "pa-criminal-code"), ("laws", "pa-judicial-code")]);
        assert_eq!((answer(&c, "BR", "laws-with-dates"), ids(&c, "BR", "laws-with-dates")), (Answer::No, vec![]));
        assert_eq!(answer(&c, "CA", "recovery-services"), Answer::No);
        assert_eq!(answer(&c, "EC", "children-heard"), Answer::Yes);
        assert_eq!(ids(&c, "EC", "children-heard"), [("participation", "ec-participation-1")]);
        assert_eq!(answer(&c, "CR", "children-organisations"), Answer::Partial);
        assert_eq!(answer(&c, "CL", "children-heard"), Answer::No);
        assert_eq!(answer(&c, "AR", "self-protection"), Answer::Unknown, "Argentina gave no participation answer");
    }

    #[test]
    fn all_evidence_points_to_records_of_the_row_state() {
        let ds = bundled();
        let c = comparison(&ds, day(2014, 9, 30));
        let state_of = |e: &Evidence| -> Option<&StateCode> {
            macro_rules! find {
                ($($t:ident),*) => {
                    match e.table {
                        $( stringify!($t) => ds.$t.iter().find(|r| r.id == e.id).map(|r| &r.state), )*
                        other => panic!("evidence from unexpected table {other}"),
                    }
                };
            }
            find!(
                plans,
                bodies,
                members,
                local_expressions,
                agreements,
                contributions,
                actions,
                laws,
                services,
                participation,
                evaluations
            )
        };
        for row in &c.rows {
            for e in row.cells.iter().flat_map(|cell| &cell.evidence) {
                assert_eq!(state_of(e), Some(&row.state), "{}: {e:?}", row.state);
            }
        }
    }
}
