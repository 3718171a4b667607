//! The read API's answers as types: what each operation sends, and (through `utoipa::ToSchema`)
//! what the OpenAPI document says it sends. Records are the domain's own types, so a new field
//! on a record appears in the answers and in the document at once.

use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
use utoipa::ToSchema;

use observa_domain::checks::ReportingItem;
use observa_domain::facts::{Action, Evaluation, Law, Participation, Protection, Response as Answered, Service};
use observa_domain::history::SourcedChange;
use observa_domain::registry::{Agreement, Body, Contribution, LocalExpression, Member, Organisation, Plan};
use observa_domain::source::{Correction, Disagreement};
use observa_domain::treaty::{Ratification, Treaty};
use observa_domain::{State, StateCode};

use crate::snapshot::{Appearance, Category};

/// An answer sent with its object keys in sorted order, as the read API has always sent them
/// (the answers were `serde_json::Value`s, whose maps are sorted): the bytes, and so the ETags
/// and the snapshot tests, do not depend on the order of a struct's fields.
/// It is made from the answer's type while the records it borrows are at hand.
pub struct Sorted(serde_json::Value);

impl Sorted {
    pub fn of<T: Serialize>(answer: &T) -> Self {
        Sorted(serde_json::to_value(answer).unwrap_or(serde_json::Value::Null))
    }
}

impl IntoResponse for Sorted {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

/// The problem body of every error answer.
#[derive(Serialize, ToSchema)]
#[schema(as = Error)]
pub struct Problem {
    /// The HTTP reason phrase.
    pub error: String,
    /// What was wrong and where.
    pub message: String,
}

/// A State with its code again as `state` (as every other record names its State) and its map
/// category.
#[derive(Serialize, ToSchema)]
pub struct StateEntry<'a> {
    #[serde(flatten)]
    pub record: &'a State,
    pub state: &'a StateCode,
    #[schema(required = true)]
    pub category: Option<Category>,
}

/// One State in the list, with how many plans it has and whether it answered in 2014.
#[derive(Serialize, ToSchema)]
pub struct StateSummary<'a> {
    #[serde(flatten)]
    pub entry: StateEntry<'a>,
    pub plans: usize,
    pub answered_2014: bool,
}

#[derive(Serialize, ToSchema)]
pub struct StateList<'a> {
    pub states: Vec<StateSummary<'a>>,
}

/// Everything the registry has on one State, table by table.
#[derive(Serialize, ToSchema)]
pub struct StateProfile<'a> {
    pub state: StateEntry<'a>,
    pub plans: Vec<&'a Plan>,
    pub bodies: Vec<&'a Body>,
    pub members: Vec<&'a Member>,
    pub organisations: Vec<&'a Organisation>,
    pub local_expressions: Vec<&'a LocalExpression>,
    pub agreements: Vec<&'a Agreement>,
    pub contributions: Vec<&'a Contribution>,
    pub actions: Vec<&'a Action>,
    pub laws: Vec<&'a Law>,
    pub services: Vec<&'a Service>,
    pub participation: Vec<&'a Participation>,
    pub protection: Vec<&'a Protection>,
    pub evaluations: Vec<&'a Evaluation>,
    pub responses: Vec<&'a Answered>,
    pub ratifications: Vec<&'a Ratification>,
    pub reporting: Vec<&'a ReportingItem>,
    pub corrections: Vec<&'a Correction>,
    pub disagreements: Vec<&'a Disagreement>,
}

/// A governing body with its members.
#[derive(Serialize, ToSchema)]
pub struct BodyWithMembers<'a> {
    #[serde(flatten)]
    pub body: &'a Body,
    pub members: Vec<&'a Member>,
}

/// An agency with in how many States and how many times it appears.
#[derive(Serialize, ToSchema)]
pub struct AgencySummary<'a> {
    #[serde(flatten)]
    pub organisation: &'a Organisation,
    pub states: usize,
    pub mentions: usize,
}

#[derive(Serialize, ToSchema)]
pub struct AgencyList<'a> {
    pub agencies: Vec<AgencySummary<'a>>,
}

/// An agency with every place it appears.
#[derive(Serialize, ToSchema)]
pub struct Agency<'a> {
    #[serde(flatten)]
    pub organisation: &'a Organisation,
    pub appearances: Vec<Appearance>,
}

#[derive(Serialize, ToSchema)]
pub struct TreatyList<'a> {
    pub treaties: &'a [Treaty],
}

#[derive(Serialize, ToSchema)]
pub struct RatificationList<'a> {
    pub ratifications: Vec<&'a Ratification>,
}

/// The OPSC reporting view: Appendix 2's rows with what the rules compute beside them.
#[derive(Serialize, ToSchema)]
pub struct ReportingList<'a> {
    /// The date the standings are computed on (today).
    #[schema(value_type = observa_domain::date::PartialDate)]
    pub as_of: String,
    pub reporting: Vec<&'a ReportingItem>,
}

/// What changed between two readings of the registry.
#[derive(Serialize, ToSchema)]
pub struct ChangeList {
    /// The first reading, as given (a cycle, a date or `now`).
    pub from: String,
    /// The second reading.
    pub to: String,
    pub changes: Vec<SourcedChange>,
}

/// The kinds of search hit (the `kind` facet).
pub const HIT_KINDS: [&str; 7] = ["state", "plan", "body", "agency", "law", "action", "service"];

/// `Hit.kind`: one of [`HIT_KINDS`].
pub fn hit_kind() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(SchemaType::new(Type::String)).enum_values(Some(HIT_KINDS))
}
