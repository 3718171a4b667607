//! The status table: every State that lists plans, each plan with its adoption, its validity as
//! the source words it, and whether it is in force on a date the caller chooses.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::english_name;
use crate::period::{Adoption, Answer};
use crate::registry::{Plan, PlanKind};
use crate::state::StateCode;
use crate::{Dataset, Lang};

/// One State's row of the status table.
#[derive(Debug, Clone, Serialize)]
pub struct StatusRow {
    pub state: StateCode,
    pub state_name: String,
    /// In adoption order; plans without an adoption date come last, in the data's order.
    pub plans: Vec<PlanStatus>,
}

/// One plan as the status table shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PlanStatus {
    pub id: String,
    /// The name in its original language (`lang`).
    pub name: String,
    pub lang: Lang,
    pub kind: PlanKind,
    pub adoption: Adoption,
    pub adopted_wording: Option<String>,
    /// The source's wording of the validity, or the period when no wording was kept.
    pub validity: String,
    pub in_force: Answer,
    pub last_approved: bool,
}

/// The status table on `on`: States sorted by English name, plans in adoption order.
pub fn status_table(ds: &Dataset, on: NaiveDate) -> Vec<StatusRow> {
    let mut by_state: BTreeMap<&StateCode, Vec<&Plan>> = BTreeMap::new();
    for plan in &ds.plans {
        by_state.entry(&plan.state).or_default().push(plan);
    }
    let mut rows: Vec<StatusRow> = by_state
        .into_iter()
        .map(|(state, mut plans)| {
            // A pending or unknown adoption has no place on the time line, so it goes last;
            // the sort is stable, so those keep the order the curators gave them.
            plans.sort_by_key(|p| (p.adopted.date().is_none(), p.adopted.date()));
            StatusRow {
                state: state.clone(),
                state_name: english_name(ds, state).to_string(),
                plans: plans.into_iter().map(|p| plan_status(p, on)).collect(),
            }
        })
        .collect();
    rows.sort_by(|a, b| a.state_name.cmp(&b.state_name));
    rows
}

fn plan_status(plan: &Plan, on: NaiveDate) -> PlanStatus {
    PlanStatus {
        id: plan.id.clone(),
        name: plan.name.clone(),
        lang: plan.lang,
        kind: plan.kind,
        adoption: plan.adopted,
        adopted_wording: plan.adopted_wording.clone(),
        validity: plan.validity.to_string(),
        in_force: plan.validity.in_force_on(on, plan.adopted.date()),
        last_approved: plan.last_approved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::bundled;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn plan<'a>(table: &'a [StatusRow], id: &str) -> &'a PlanStatus {
        table.iter().flat_map(|r| &r.plans).find(|p| p.id == id).unwrap_or_else(|| panic!("no plan {id}"))
    }

    #[test]
    fn every_state_with_plans_appears_once_in_english_name_order() {
        let table = status_table(&bundled(), day(2014, 9, 30));
        let names: Vec<&str> = table.iter().map(|r| r.state_name.as_str()).collect();
        assert_eq!(names.len(), 14, "{names:?}");
        assert_eq!(names.first(), Some(&"Argentina"));
        assert_eq!(names.last(), Some(&"Uruguay"));
        assert!(names.windows(2).all(|w| w[0] < w[1]), "{names:?}");
        // "El Salvador" sorts among the E's by its English name, not by its code SV.
        let ec = names.iter().position(|n| *n == "Ecuador").unwrap();
        assert_eq!(names[ec + 1], "El Salvador");
    }

    #[test]
    fn plans_follow_adoption_and_undated_plans_come_last() {
        let table = status_table(&bundled(), day(2014, 9, 30));
        let ids = |code: &str| -> Vec<String> {
            let row = table.iter().find(|r| r.state.as_str() == code).unwrap();
            row.plans.iter().map(|p| p.id.clone()).collect()
        };
        // Costa Rica: November 2007, June 2010, December 2010.
        assert_eq!(ids("CR"), ["cr-plan-escnna-2008", "cr-hoja-de-ruta-2010", "cr-pnd-2011"]);
        let uy = ids("UY");
        assert_eq!(uy, ["uy-plan-2007", "uy-plan-2011"]);
        // Jamaica: 1997, 2007, 2010, 2013 adopted; two pending and one to be submitted after them.
        let jm = ids("JM");
        assert_eq!(jm[..4], ["jm-national-policy-children", "jm-npacl", "jm-npacj", "jm-school-aged-mothers-policy"]);
        let jm_rows = &table.iter().find(|r| r.state.as_str() == "JM").unwrap().plans;
        assert!(jm_rows[4..].iter().all(|p| p.adoption.date().is_none()), "{jm:?}");
        assert_eq!(jm_rows[4].adopted_wording.as_deref(), Some("Pending approval by Cabinet"));
    }

    #[test]
    fn in_force_depends_on_the_date_asked() {
        let ds = bundled();
        let in_2014 = status_table(&ds, day(2014, 9, 30));
        let in_2030 = status_table(&ds, day(2030, 1, 1));
        let uy = plan(&in_2014, "uy-plan-2011");
        assert_eq!((uy.in_force, uy.last_approved, uy.validity.as_str()), (Answer::Yes, true, "December 2015"));
        assert_eq!(plan(&in_2030, "uy-plan-2011").in_force, Answer::No);
        assert_eq!(plan(&in_2014, "br-plano-enfrentamento-2013").in_force, Answer::Yes);
        assert_eq!(plan(&in_2014, "cl-segundo-marco-2012").in_force, Answer::Yes);
        assert_eq!(plan(&in_2014, "cr-plan-escnna-2008").in_force, Answer::No, "2008-2010 had ended");
        // Panama's 2008-2010 plan was kept in force by a decision: still in force in 2030 as far as we know.
        assert_eq!(plan(&in_2030, "pa-plan-escnna-2008").in_force, Answer::Yes);
        // Argentina's protocol states no validity: the table cannot tell.
        let ar = plan(&in_2014, "ar-protocolo-asistencia-2008");
        assert_eq!((ar.in_force, ar.validity.as_str()), (Answer::Unknown, "-"));
    }

    #[test]
    fn names_stay_in_their_original_language_with_the_source_wording() {
        let table = status_table(&bundled(), day(2014, 9, 30));
        let cl = plan(&table, "cl-segundo-marco-2012");
        assert!(cl.name.starts_with("Segundo Marco"), "{}", cl.name);
        assert_eq!((cl.lang, cl.kind), (Lang::Es, PlanKind::SpecificSec));
        assert_eq!(cl.adoption.to_string(), "2012-05");
        assert_eq!(cl.adopted_wording.as_deref(), Some("May 2012"));
        assert_eq!(cl.validity, "2012-2014");
    }
}
