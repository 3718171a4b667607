//! International agencies across States: where each one is mentioned (as a member of a governing
//! body, a contributor, or in charge of an action or a service) and in what roles.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::serde_name;
use crate::state::StateCode;
use crate::Dataset;

/// One international agency's mentions.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyMentions {
    pub organisation: String,
    pub name: String,
    pub acronym: Option<String>,
    /// The number of distinct States that mention it (the length of `states`).
    pub state_count: usize,
    pub states: Vec<StateCode>,
    /// Distinct member roles (`chair`, `member`, ...) and contribution kinds (`funding`, ...), in
    /// the data files' words; actions and services name no role.
    pub roles: Vec<String>,
}

#[derive(Default)]
struct Mentions<'a> {
    states: BTreeSet<&'a StateCode>,
    roles: BTreeSet<String>,
}

/// Every organisation without a State that some State mentions, most States first, then by name.
pub fn agency_mentions<'a>(ds: &'a Dataset) -> Vec<AgencyMentions> {
    let mut found: BTreeMap<&str, Mentions> = BTreeMap::new();
    let mut mention = |org: &'a str, state: &'a StateCode, role: Option<String>| {
        let m = found.entry(org).or_default();
        m.states.insert(state);
        m.roles.extend(role);
    };
    // Mentions are gathered for every organisation; national ones are dropped below, by the
    // organisations table, so that an agency is international by its record, not by its id.
    for m in &ds.members {
        mention(&m.organisation, &m.state, Some(serde_name(&m.role)));
    }
    for c in &ds.contributions {
        mention(&c.organisation, &c.state, None);
        c.kinds.iter().for_each(|k| mention(&c.organisation, &c.state, Some(serde_name(k))));
    }
    for a in &ds.actions {
        a.organisations.iter().for_each(|o| mention(o, &a.state, None));
    }
    for s in &ds.services {
        s.organisations.iter().for_each(|o| mention(o, &s.state, None));
    }
    let mut list: Vec<AgencyMentions> = ds
        .organisations
        .iter()
        .filter(|o| o.state.is_none())
        .filter_map(|o| {
            let m = found.remove(o.id.as_str())?;
            Some(AgencyMentions {
                organisation: o.id.clone(),
                name: o.name.clone(),
                acronym: o.acronym.clone(),
                state_count: m.states.len(),
                states: m.states.into_iter().cloned().collect(),
                roles: m.roles.into_iter().collect(),
            })
        })
        .collect();
    list.sort_by(|a, b| b.state_count.cmp(&a.state_count).then_with(|| a.name.cmp(&b.name)));
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::bundled;

    /// ECPAT International is in the organisations table, but no State's answer names it.
    const UNMENTIONED: &str = "ecpat";

    fn agency<'a>(list: &'a [AgencyMentions], id: &str) -> &'a AgencyMentions {
        list.iter().find(|a| a.organisation == id).unwrap_or_else(|| panic!("{id} is not mentioned"))
    }

    #[test]
    fn unicef_and_ilo_are_among_the_most_mentioned() {
        let list = agency_mentions(&bundled());
        let top: Vec<&str> = list.iter().take(4).map(|a| a.organisation.as_str()).collect();
        assert!(top.contains(&"unicef") && top.contains(&"ilo"), "{top:?}");
        assert_eq!(list[0].organisation, "ilo");
        assert_eq!(list[0].state_count, 7);
        let unicef = agency(&list, "unicef");
        let states: Vec<&str> = unicef.states.iter().map(StateCode::as_str).collect();
        assert_eq!(states, ["CL", "JM", "PE", "PY", "SV", "UY"]);
        assert_eq!(unicef.state_count, 6);
        assert!(unicef.roles.contains(&"advisory".to_string()), "{:?}", unicef.roles);
    }

    #[test]
    fn only_international_organisations_that_are_mentioned_are_listed() {
        let ds = bundled();
        let list = agency_mentions(&ds);
        assert!(!list.is_empty());
        for a in &list {
            let org = ds.organisations.iter().find(|o| o.id == a.organisation).unwrap();
            assert!(org.state.is_none(), "{} belongs to a State", a.organisation);
            assert!(a.state_count > 0);
        }
        // National agencies are mentioned too, yet none is listed.
        assert!(!list.iter().any(|a| a.organisation == "cl-sename"));
        // International organisations nobody mentions are left out.
        assert!(!list.iter().any(|a| a.organisation == UNMENTIONED), "{UNMENTIONED} is mentioned nowhere");
        assert!(ds.organisations.iter().any(|o| o.id == UNMENTIONED && o.state.is_none()));
    }

    #[test]
    fn states_are_distinct_and_the_order_is_by_states_then_name() {
        let list = agency_mentions(&bundled());
        for a in &list {
            let distinct: BTreeSet<&StateCode> = a.states.iter().collect();
            assert_eq!(distinct.len(), a.states.len(), "{a:?}");
        }
        for pair in list.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert!(
                a.state_count > b.state_count || (a.state_count == b.state_count && a.name <= b.name),
                "{a:?} {b:?}"
            );
        }
    }

    #[test]
    fn roles_come_from_memberships_and_contributions() {
        let ds = bundled();
        let list = agency_mentions(&ds);
        let iin = agency(&list, "iin-oas");
        // Chile records the IIN's technical advice and training (data/README.md's example).
        assert!(iin.states.iter().any(|s| s.as_str() == "CL"), "{iin:?}");
        assert!(iin.roles.iter().any(|r| r == "technical-advice"), "{iin:?}");
        // Every role is a member role or a contribution kind, written as in the data files.
        let known = [
            "chair",
            "secretariat",
            "member",
            "advisory",
            "technical-advice",
            "funding",
            "leading-design",
            "training",
            "research",
            "implementation",
            "monitoring",
            "member-of-body",
            "other",
        ];
        let roles: BTreeSet<&str> = list.iter().flat_map(|a| a.roles.iter().map(String::as_str)).collect();
        assert!(roles.iter().all(|r| known.contains(r)), "{roles:?}");
        assert!(roles.contains("member") && roles.contains("funding"), "{roles:?}");
    }
}
