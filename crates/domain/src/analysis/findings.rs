//! The report's key findings, computed from the comparison and the agencies' mentions so that the
//! sentences of a report can quote figures that always agree with the tables.

use chrono::NaiveDate;
use serde::Serialize;

use super::agencies::agency_mentions;
use super::comparison::comparison;
use crate::period::Answer;
use crate::state::StateCode;
use crate::Dataset;

/// Figures about the States compared (those that answered the consultation).
#[derive(Debug, Clone, Serialize)]
pub struct Findings {
    pub on: NaiveDate,
    /// States whose last approved plan is not a specific plan against sexual exploitation,
    /// including those that once had one (Costa Rica): the plan analysed is what counts.
    pub states_without_specific_plan: Vec<StateCode>,
    /// Governing bodies that say they have a local expression, fully or in part.
    pub bodies_with_local_representation: Vec<String>,
    /// The three international agencies mentioned by the most States (ids).
    pub most_mentioned_agencies: Vec<String>,
    /// States with at least one prevention action whose impact was evaluated.
    pub states_prevention_evaluated: usize,
    /// States with at least one evaluated recovery service.
    pub states_service_evaluated: usize,
    /// States where children were heard in the plan's design, fully and in part.
    pub states_children_heard: usize,
    pub states_children_heard_partly: usize,
}

pub fn findings(ds: &Dataset, on: NaiveDate) -> Findings {
    let table = comparison(ds, on);
    let count = |indicator: &str, value: Answer| table.states_answering(indicator, value).len();
    let compared: Vec<&StateCode> = table.rows.iter().map(|r| &r.state).collect();
    let bodies = ds.bodies.iter().filter(|b| compared.contains(&&b.state));
    Findings {
        on,
        states_without_specific_plan: table
            .rows
            .iter()
            .filter(|r| table.cell(r.state.as_str(), "specific-plan").is_some_and(|c| c.value != Answer::Yes))
            .map(|r| r.state.clone())
            .collect(),
        bodies_with_local_representation: bodies
            .filter(|b| matches!(b.local_expression, Answer::Yes | Answer::Partial))
            .map(|b| b.id.clone())
            .collect(),
        most_mentioned_agencies: agency_mentions(ds).into_iter().take(3).map(|a| a.organisation).collect(),
        states_prevention_evaluated: count("prevention-evaluated", Answer::Yes),
        states_service_evaluated: count("services-evaluated", Answer::Yes),
        states_children_heard: count("children-heard", Answer::Yes),
        states_children_heard_partly: count("children-heard", Answer::Partial),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::bundled;

    fn on_update() -> Findings {
        findings(&bundled(), NaiveDate::from_ymd_opt(2014, 9, 30).unwrap())
    }

    #[test]
    fn states_without_a_specific_plan_include_those_that_moved_away_from_one() {
        let f = on_update();
        let codes: Vec<&str> = f.states_without_specific_plan.iter().map(StateCode::as_str).collect();
        assert_eq!(codes, ["AR", "CA", "CR", "EC", "SV", "JM", "MX", "NI", "PE"], "by English name");
        assert!(!codes.contains(&"CL") && !codes.contains(&"UY"));
    }

    #[test]
    fn local_representation_is_what_the_bodies_say() {
        let f = on_update();
        // Peru's working group says partly; Chile's board says no even though a local body is
        // recorded (the comparison's `local-expression` counts that record; this finding does not).
        assert_eq!(
            f.bodies_with_local_representation,
            ["ar-federal-council", "ar-focal-point-network", "pe-gtmptp", "sv-national-protection-system"]
        );
    }

    #[test]
    fn the_most_mentioned_agencies_and_the_evaluation_figures() {
        let f = on_update();
        assert_eq!(f.most_mentioned_agencies, ["ilo", "iom", "unicef"]);
        assert_eq!(f.states_prevention_evaluated, 1, "Uruguay only");
        assert_eq!(f.states_service_evaluated, 0, "none reported a finished evaluation of a service");
        assert_eq!((f.states_children_heard, f.states_children_heard_partly), (5, 0));
    }
}
