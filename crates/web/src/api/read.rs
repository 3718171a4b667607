//! The read operations: each handler with the description the OpenAPI document takes from it.
//! The answer types are in [`super::answers`].

use axum::extract::State;

use observa_domain::registry::Plan;

use super::answers::*;
use super::{as_of, only, state_param, treaty_param, Params};
use crate::extract::{ApiPath, ApiQuery, Reader};
use crate::search::{Results, SearchParams};
use crate::{AppState, WebError};

type Answer = Result<Sorted, WebError>;

#[utoipa::path(get, path = "/states", operation_id = "listStates", tag = "registry",
    summary = "All 35 OAS member States with their plan category",
    params(("as_of" = Option<String>, Query, description = "The registry as of a cycle (`2014`), a date (`2014-09-30`) or `now` (the default)"), ("lang" = Option<String>, Query, description = "The language of the texts: en, es, pt or fr; without it, the best match of Accept-Language, else English")),
    responses(
        (status = 200, description = "OK", body = StateList, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 400, description = "A parameter is wrong: an unknown query parameter, a bad code, a value out of range, a path segment that is not valid", body = Problem),
    ))]
pub async fn states(State(app): State<AppState>, Reader(lang): Reader, ApiQuery(p): Params) -> Answer {
    only(&p, &["as_of", "lang"])?;
    let snap = as_of(&app, &p, lang)?;
    let ds = &snap.dataset;
    let states = ds
        .states
        .iter()
        .map(|s| StateSummary {
            entry: StateEntry { record: s, state: &s.code, category: snap.categories.get(s.code.as_str()).copied() },
            plans: ds.plans.iter().filter(|p| p.state == s.code).count(),
            answered_2014: ds.responses.iter().any(|r| r.state == s.code && r.cycle == 2014),
        })
        .collect();
    Ok(Sorted::of(&StateList { states }))
}

#[utoipa::path(get, path = "/states/{code}", operation_id = "getState", tag = "registry",
    summary = "Everything the registry holds about one State",
    params(
        ("code" = String, Path, description = "ISO 3166-1 alpha-2 code (case-insensitive)"),
        ("as_of" = Option<String>, Query, description = "The registry as of a cycle (`2014`), a date (`2014-09-30`) or `now` (the default)"),
        ("lang" = Option<String>, Query, description = "The language of the texts: en, es, pt or fr; without it, the best match of Accept-Language, else English"),
    ),
    responses(
        (status = 200, description = "OK", body = StateProfile, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 400, description = "A parameter is wrong: an unknown query parameter, a bad code, a value out of range, a path segment that is not valid", body = Problem),
        (status = 404, description = "No such record", body = Problem),
    ))]
pub async fn state(
    State(app): State<AppState>,
    Reader(lang): Reader,
    ApiPath(code): ApiPath<String>,
    ApiQuery(p): Params,
) -> Answer {
    only(&p, &["as_of", "lang"])?;
    let code = code.to_ascii_uppercase();
    let snap = as_of(&app, &p, lang)?;
    let ds = &snap.dataset;
    let s = ds.state(&code).ok_or_else(|| WebError::NotFound(format!("no State has the code `{code}`")))?;
    fn of<T>(rows: &[T], keep: impl Fn(&T) -> bool) -> Vec<&T> {
        rows.iter().filter(|r| keep(r)).collect()
    }
    let here = |state: &observa_domain::StateCode| state.as_str() == code;
    let here_maybe = |state: &Option<observa_domain::StateCode>| state.as_ref().is_some_and(|s| s.as_str() == code);
    Ok(Sorted::of(&StateProfile {
        state: StateEntry { record: s, state: &s.code, category: snap.categories.get(&code).copied() },
        plans: of(&ds.plans, |r| here(&r.state)),
        bodies: of(&ds.bodies, |r| here(&r.state)),
        members: of(&ds.members, |r| here(&r.state)),
        organisations: of(&ds.organisations, |r| here_maybe(&r.state)),
        local_expressions: of(&ds.local_expressions, |r| here(&r.state)),
        agreements: of(&ds.agreements, |r| here(&r.state)),
        contributions: of(&ds.contributions, |r| here(&r.state)),
        actions: of(&ds.actions, |r| here(&r.state)),
        laws: of(&ds.laws, |r| here(&r.state)),
        services: of(&ds.services, |r| here(&r.state)),
        participation: of(&ds.participation, |r| here(&r.state)),
        protection: of(&ds.protection, |r| here(&r.state)),
        evaluations: of(&ds.evaluations, |r| here(&r.state)),
        responses: of(&ds.responses, |r| here(&r.state)),
        ratifications: of(&ds.ratifications, |r| here(&r.state)),
        reporting: of(&snap.reporting, |r| here(&r.report.state)),
        corrections: of(&ds.corrections, |r| here_maybe(&r.state)),
        disagreements: of(&ds.disagreements, |r| here_maybe(&r.state)),
    }))
}

#[utoipa::path(get, path = "/plans/{id}", operation_id = "getPlan", tag = "registry", summary = "One plan",
    params(
        ("id" = String, Path, description = "Plan id"),
        ("as_of" = Option<String>, Query, description = "The registry as of a cycle (`2014`), a date (`2014-09-30`) or `now` (the default)"),
        ("lang" = Option<String>, Query, description = "The language of the texts: en, es, pt or fr; without it, the best match of Accept-Language, else English"),
    ),
    responses(
        (status = 200, description = "OK", body = Plan, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 400, description = "A parameter is wrong: an unknown query parameter, a bad code, a value out of range, a path segment that is not valid", body = Problem),
        (status = 404, description = "No such record", body = Problem),
    ))]
pub async fn plan(
    State(app): State<AppState>,
    Reader(lang): Reader,
    ApiPath(id): ApiPath<String>,
    ApiQuery(p): Params,
) -> Answer {
    only(&p, &["as_of", "lang"])?;
    let snap = as_of(&app, &p, lang)?;
    let plan: &Plan = snap
        .dataset
        .plans
        .iter()
        .find(|x| x.id == id)
        .ok_or_else(|| WebError::NotFound(format!("no plan has the id `{id}`")))?;
    Ok(Sorted::of(plan))
}

#[utoipa::path(get, path = "/bodies/{id}", operation_id = "getBody", tag = "registry",
    summary = "One governing body with its members",
    params(
        ("id" = String, Path, description = "Body id"),
        ("as_of" = Option<String>, Query, description = "The registry as of a cycle (`2014`), a date (`2014-09-30`) or `now` (the default)"),
        ("lang" = Option<String>, Query, description = "The language of the texts: en, es, pt or fr; without it, the best match of Accept-Language, else English"),
    ),
    responses(
        (status = 200, description = "OK", body = BodyWithMembers, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 400, description = "A parameter is wrong: an unknown query parameter, a bad code, a value out of range, a path segment that is not valid", body = Problem),
        (status = 404, description = "No such record", body = Problem),
    ))]
pub async fn body(
    State(app): State<AppState>,
    Reader(lang): Reader,
    ApiPath(id): ApiPath<String>,
    ApiQuery(p): Params,
) -> Answer {
    only(&p, &["as_of", "lang"])?;
    let snap = as_of(&app, &p, lang)?;
    let ds = &snap.dataset;
    let body = ds
        .bodies
        .iter()
        .find(|x| x.id == id)
        .ok_or_else(|| WebError::NotFound(format!("no governing body has the id `{id}`")))?;
    Ok(Sorted::of(&BodyWithMembers { body, members: ds.members.iter().filter(|m| m.body == id).collect() }))
}

#[utoipa::path(get, path = "/agencies", operation_id = "listAgencies", tag = "registry",
    summary = "International agencies, most mentioned first",
    params(("lang" = Option<String>, Query, description = "The language of the texts: en, es, pt or fr; without it, the best match of Accept-Language, else English")),
    responses(
        (status = 200, description = "OK", body = AgencyList, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 400, description = "A parameter is wrong: an unknown query parameter, a bad code, a value out of range, a path segment that is not valid", body = Problem),
    ))]
pub async fn agencies(State(app): State<AppState>, Reader(lang): Reader, ApiQuery(p): Params) -> Answer {
    only(&p, &["lang"])?;
    let snap = app.snapshot_in(lang);
    let agencies = snap
        .agencies()
        .into_iter()
        .map(|(organisation, states, mentions)| AgencySummary { organisation, states, mentions })
        .collect();
    Ok(Sorted::of(&AgencyList { agencies }))
}

#[utoipa::path(get, path = "/agencies/{id}", operation_id = "getAgency", tag = "registry",
    summary = "One agency and every place it appears",
    params(("id" = String, Path, description = "Organisation id"), ("lang" = Option<String>, Query, description = "The language of the texts: en, es, pt or fr; without it, the best match of Accept-Language, else English")),
    responses(
        (status = 200, description = "OK", body = Agency, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 400, description = "A parameter is wrong: an unknown query parameter, a bad code, a value out of range, a path segment that is not valid", body = Problem),
        (status = 404, description = "No such record", body = Problem),
    ))]
pub async fn agency(
    State(app): State<AppState>,
    Reader(lang): Reader,
    ApiPath(id): ApiPath<String>,
    ApiQuery(p): Params,
) -> Answer {
    only(&p, &["lang"])?;
    let snap = app.snapshot_in(lang);
    let organisation =
        snap.organisation(&id).ok_or_else(|| WebError::NotFound(format!("no agency has the id `{id}`")))?;
    let appearances = snap.appearances.get(&id).cloned().unwrap_or_default();
    Ok(Sorted::of(&Agency { organisation, appearances }))
}

#[utoipa::path(get, path = "/treaties", operation_id = "listTreaties", tag = "registry", summary = "The ten instruments",
    responses(
        (status = 200, description = "OK", body = TreatyList, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 400, description = "A parameter is wrong: an unknown query parameter, a bad code, a value out of range, a path segment that is not valid", body = Problem),
    ))]
pub async fn treaties(State(app): State<AppState>, ApiQuery(p): Params) -> Answer {
    only(&p, &[])?;
    Ok(Sorted::of(&TreatyList { treaties: &app.snapshot().dataset.treaties }))
}

#[utoipa::path(get, path = "/ratifications", operation_id = "listRatifications", tag = "registry",
    summary = "Status of each State under each instrument (Appendix 3)",
    params(
        ("state" = Option<String>, Query, description = "ISO 3166-1 alpha-2 code of an OAS member State (case-insensitive); another code is a 400"),
        ("treaty" = Option<String>, Query, description = "Treaty code (case-insensitive), as listed by /treaties"),
        ("as_of" = Option<String>, Query, description = "The registry as of a cycle (`2014`), a date (`2014-09-30`) or `now` (the default)"),
        ("lang" = Option<String>, Query, description = "The language of the texts: en, es, pt or fr; without it, the best match of Accept-Language, else English"),
    ),
    responses(
        (status = 200, description = "OK", body = RatificationList, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 400, description = "A parameter is wrong: an unknown query parameter, a bad code, a value out of range, a path segment that is not valid", body = Problem),
    ))]
pub async fn ratifications(State(app): State<AppState>, Reader(lang): Reader, ApiQuery(p): Params) -> Answer {
    only(&p, &["state", "treaty", "as_of", "lang"])?;
    let snap = as_of(&app, &p, lang)?;
    let (state, treaty) = (state_param(&app, &p)?, treaty_param(&app, &p)?);
    let ratifications = snap
        .dataset
        .ratifications
        .iter()
        .filter(|r| {
            state.as_ref().is_none_or(|s| r.state.as_str() == s) && treaty.as_ref().is_none_or(|t| &r.treaty == t)
        })
        .collect();
    Ok(Sorted::of(&RatificationList { ratifications }))
}

#[utoipa::path(get, path = "/reporting", operation_id = "listReporting", tag = "registry",
    summary = "OPSC reports with rule-computed dates, the source's figures and flags",
    params(
        ("state" = Option<String>, Query, description = "ISO 3166-1 alpha-2 code of an OAS member State (case-insensitive); another code is a 400"),
        ("treaty" = Option<String>, Query, description = "Treaty code (case-insensitive), as listed by /treaties"),
        ("as_of" = Option<String>, Query, description = "The registry as of a cycle (`2014`), a date (`2014-09-30`) or `now` (the default); the standings are still computed on today's date"),
    ),
    responses(
        (status = 200, description = "OK", body = ReportingList, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 400, description = "A parameter is wrong: an unknown query parameter, a bad code, a value out of range, a path segment that is not valid", body = Problem),
    ))]
pub async fn reporting(State(app): State<AppState>, Reader(lang): Reader, ApiQuery(p): Params) -> Answer {
    only(&p, &["state", "treaty", "as_of", "lang"])?;
    let snap = as_of(&app, &p, lang)?;
    let (state, treaty) = (state_param(&app, &p)?, treaty_param(&app, &p)?);
    let reporting = snap
        .reporting
        .iter()
        .filter(|r| {
            state.as_ref().is_none_or(|s| r.report.state.as_str() == s)
                && treaty.as_ref().is_none_or(|t| &r.report.treaty == t)
        })
        .collect();
    Ok(Sorted::of(&ReportingList { as_of: app.snapshot().as_of.to_string(), reporting }))
}

#[utoipa::path(get, path = "/search", operation_id = "search", tag = "registry",
    summary = "Full-text search in four languages with facets and highlighted snippets",
    params(
        ("q" = String, Query, description = "Search text (1 to 200 characters)", min_length = 1, max_length = 200),
        ("state" = Option<String>, Query, description = "Filter: ISO 3166-1 alpha-2 code of an OAS member State (case-insensitive)"),
        ("kind" = Option<String>, Query, description = "Filter: state, plan, body, agency, law, action, service"),
        ("focal_point" = Option<String>, Query, description = "Filter: coordination, prevention, protection, recovery, participation"),
        ("limit" = Option<u8>, Query, description = "Hits to return, 1 to 100 (default 20)", minimum = 1, maximum = 100),
        ("lang" = Option<String>, Query, description = "The language of the texts: en, es, pt or fr; without it, the best match of Accept-Language, else English"),
    ),
    responses(
        (status = 200, description = "OK", body = Results, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 400, description = "A parameter is wrong: an unknown query parameter, a bad code, a value out of range, a path segment that is not valid", body = Problem),
    ))]
pub async fn search(State(app): State<AppState>, Reader(lang): Reader, ApiQuery(p): Params) -> Answer {
    only(&p, &["q", "state", "kind", "focal_point", "limit", "lang"])?;
    let q = p.get("q").ok_or_else(|| WebError::BadRequest("the query parameter `q` is required".into()))?;
    let limit = match p.get("limit") {
        None => 20,
        Some(l) => l.parse::<usize>().ok().filter(|n| (1..=100).contains(n)).ok_or_else(|| {
            WebError::BadRequest(format!("`limit` must be a whole number from 1 to 100; `{l}` is not"))
        })?,
    };
    let params = SearchParams {
        q: Some(q.clone()),
        state: p.get("state").cloned(),
        kind: p.get("kind").cloned(),
        focal_point: p.get("focal_point").cloned(),
    };
    Ok(Sorted::of(&app.search().search(q, &params, limit, lang)?))
}

/// What changed in the registry between two readings (`from`, `to`: cycles, dates or `now`),
/// record by record and field by field, each with its source; `state` keeps one State's.
#[utoipa::path(get, path = "/changes", operation_id = "listChanges", tag = "registry",
    summary = "What changed in the registry between two readings, record by record and field by field, with the source of each change",
    params(
        ("from" = Option<String>, Query, description = "The earlier reading: a cycle (`2014`), a date (`2014-09-30`) or `now`; by default the cycle before the newest"),
        ("to" = Option<String>, Query, description = "The later reading: a cycle, a date or `now` (the default)"),
        ("state" = Option<String>, Query, description = "ISO 3166-1 alpha-2 code of an OAS member State (case-insensitive): only that State's records; another code is a 400"),
    ),
    responses(
        (status = 200, description = "OK", body = ChangeList, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 400, description = "A parameter is wrong: an unknown query parameter, a bad code, a value out of range, a path segment that is not valid", body = Problem),
    ))]
pub async fn changes(State(app): State<AppState>, ApiQuery(p): Params) -> Answer {
    only(&p, &["from", "to", "state"])?;
    let state = state_param(&app, &p)?;
    let history = crate::changes::History::read(&app)?;
    let (from, to) = history.interval(p.get("from").map(String::as_str), p.get("to").map(String::as_str))?;
    let subject = match &state {
        Some(code) => crate::changes::Subject::State(code.clone()),
        None => crate::changes::Subject::All,
    };
    let changes = history.between(from, to, &subject)?;
    Ok(Sorted::of(&ChangeList { from: from.to_string(), to: to.to_string(), changes }))
}
