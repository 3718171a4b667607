//! The registry: what the States' answers establish about their plans, bodies, laws and services.
//!
//! Every record belongs to a State (`state`) and carries its [`Source`]. Narrative fields
//! (`summary`, `functions`, ...) hold the curators' own short summaries, never the source's text.
//! Records are flat (one per table row); a body's members arrive nested in data files and are
//! moved into their own table by [`crate::Dataset::normalise`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::PartialDate;
use crate::period::{deserialize_validity, Adoption, Answer, Validity};
use crate::source::Source;
use crate::state::StateCode;
use crate::Lang;

fn is_false(b: &bool) -> bool {
    !b
}

/// The kind of instrument a State lists as its plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanKind {
    /// A plan specifically against the sexual exploitation of children.
    SpecificSec,
    Trafficking,
    ChildProtection,
    Development,
    Protocol,
    Strategy,
    Other,
}

/// How one plan relates to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanLinkKind {
    RedesignOf,
    Replaces,
    MakesOperational,
    Includes,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanLink {
    pub kind: PlanLinkKind,
    pub plan: String,
}

/// A national plan, policy, strategy or protocol that a State reports.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub id: String,
    #[serde(default)]
    #[schema(required = true)]
    pub state: StateCode,
    /// The name in its original language.
    pub name: String,
    pub lang: Lang,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<Lang, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acronym: Option<String>,
    pub kind: PlanKind,
    pub adopted: Adoption,
    /// The source's wording of the adoption ("December 2008", "Pending approval by Cabinet").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopted_wording: Option<String>,
    #[serde(deserialize_with = "deserialize_validity", default)]
    #[schema(required = true)]
    pub validity: Validity,
    /// The plan the report analyses as the State's last approved plan.
    #[serde(default, skip_serializing_if = "is_false")]
    pub last_approved: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<PlanLink>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes_from_previous: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_new_plan_reason: Option<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub source: Source,
}

/// The sector an organisation belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sector {
    State,
    LocalGovernment,
    Legislative,
    Judicial,
    CivilSociety,
    International,
    Academia,
    PrivateSector,
    Other,
}

/// An agency or organisation. International ones (no `state`) are shared across all States.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<StateCode>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acronym: Option<String>,
    pub sector: Sector,
    /// Spellings used in the sources, so that they resolve to this record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// A member's role in a governing body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Chair,
    Secretariat,
    Member,
    Advisory,
}

/// A member of a governing body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    #[serde(default)]
    #[schema(required = true)]
    pub id: String,
    #[serde(default)]
    #[schema(required = true)]
    pub body: String,
    #[serde(default)]
    #[schema(required = true)]
    pub state: StateCode,
    pub organisation: String,
    pub role: Role,
    /// Its functions in the plan, in the curators' words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub functions: Option<String>,
    /// Plan components it is responsible for (as the plan names them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub source: Source,
}

/// The body (commission, council, board) that leads a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    pub id: String,
    #[serde(default)]
    #[schema(required = true)]
    pub state: StateCode,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acronym: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub established: Option<PartialDate>,
    /// Plans this body designs, leads or monitors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// How the State describes its members' rights-based perspective (curators' summary).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights_perspective: Option<String>,
    /// Whether the body has a local expression (local commissions and the like).
    #[serde(default)]
    #[schema(required = true)]
    pub local_expression: Answer,
    /// Members as written in data files; moved to the members table on load.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Member>,
    #[serde(default)]
    #[schema(required = true)]
    pub source: Source,
}

/// A local expression of coordination: local bodies, networks, regional plans, places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LocalKind {
    LocalBody,
    Network,
    RegionalPlan,
    DecentralisedOffices,
    Planned,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalExpression {
    #[serde(default)]
    #[schema(required = true)]
    pub id: String,
    #[serde(default)]
    #[schema(required = true)]
    pub state: StateCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub kind: LocalKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub source: Source,
}

/// An agreement with other States or with foreign bodies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    #[serde(default)]
    #[schema(required = true)]
    pub id: String,
    #[serde(default)]
    #[schema(required = true)]
    pub state: StateCode,
    pub name: String,
    /// Other parties: State codes where the party is a State, names otherwise.
    pub parties: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    pub subject: String,
    #[serde(default)]
    #[schema(required = true)]
    pub source: Source,
}

/// What an international agency contributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContributionKind {
    TechnicalAdvice,
    Funding,
    LeadingDesign,
    Training,
    Research,
    Implementation,
    Monitoring,
    MemberOfBody,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    #[serde(default)]
    #[schema(required = true)]
    pub id: String,
    #[serde(default)]
    #[schema(required = true)]
    pub state: StateCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    pub organisation: String,
    pub kinds: Vec<ContributionKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub source: Source,
}
