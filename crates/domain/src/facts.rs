//! Facts by Stockholm focal point: actions, laws, services, participation, evaluation, SWOT.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::PartialDate;
use crate::period::Answer;
use crate::source::Source;
use crate::state::StateCode;
use crate::Lang;

/// The five focal points of the Stockholm Agenda for Action (1996), in the report's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FocalPoint {
    Coordination,
    Prevention,
    Protection,
    Recovery,
    Participation,
}

impl FocalPoint {
    pub const ALL: [FocalPoint; 5] = [
        FocalPoint::Coordination,
        FocalPoint::Prevention,
        FocalPoint::Protection,
        FocalPoint::Recovery,
        FocalPoint::Participation,
    ];

    /// The number the report and the questionnaire give it (1 to 5).
    pub fn number(self) -> u8 {
        self as u8 + 1
    }
}

/// Whether something was evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvaluationStatus {
    Done,
    InProgress,
    Planned,
    NotDone,
    #[default]
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    Campaign,
    Training,
    Research,
    IndustryAgreement,
    Protocol,
    Helpline,
    Enforcement,
    Other,
}

/// An action or strategy reported under a focal point (mostly prevention).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    #[serde(default)]
    #[schema(required = true)]
    pub id: String,
    #[serde(default)]
    #[schema(required = true)]
    pub state: StateCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    pub focal_point: FocalPoint,
    pub kind: ActionKind,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_population: Option<String>,
    /// Organisation ids of those in charge or collaborating.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organisations: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub impact_evaluation: EvaluationStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_result: Option<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub source: Source,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LawKind {
    Constitution,
    Code,
    Law,
    Decree,
    Resolution,
    Bill,
    Other,
}

/// A law, code, decree or other legal instrument a State lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Law {
    #[serde(default)]
    #[schema(required = true)]
    pub id: String,
    #[serde(default)]
    #[schema(required = true)]
    pub state: StateCode,
    pub kind: LawKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    pub title: String,
    pub lang: Lang,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<Lang, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Ids of laws this one amends.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amends: Vec<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub source: Source,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Management {
    State,
    Private,
    Mixed,
    #[default]
    Unknown,
}

/// A figure reported about a service (an aggregate: never about individual children).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub label: String,
    pub value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
}

impl Eq for Figure {}

/// A recovery and reintegration service for child victims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    #[serde(default)]
    #[schema(required = true)]
    pub id: String,
    #[serde(default)]
    #[schema(required = true)]
    pub state: StateCode,
    pub name: String,
    #[serde(default)]
    #[schema(required = true)]
    pub management: Management,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Whether the State claims a child-rights perspective for it.
    #[serde(default)]
    #[schema(required = true)]
    pub rights_perspective: Answer,
    #[serde(default)]
    #[schema(required = true)]
    pub integrated: Answer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration_note: Option<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub evaluation: EvaluationStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_result: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weaknesses: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<Figure>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organisations: Vec<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub source: Source,
}

/// Child participation in the last approved plan (questionnaire part II, 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participation {
    #[serde(default)]
    #[schema(required = true)]
    pub id: String,
    #[serde(default)]
    #[schema(required = true)]
    pub state: StateCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub children_heard: Answer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heard_how: Option<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub organisations_in_actions: Answer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisations_how: Option<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub self_protection: Answer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_protection_how: Option<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub source: Source,
}

/// The State's view of its legal framework (questionnaire part II, 3.1 and 3.3 to 3.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Protection {
    #[serde(default)]
    #[schema(required = true)]
    pub id: String,
    #[serde(default)]
    #[schema(required = true)]
    pub state: StateCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_provisions: Option<String>,
    /// Whether the State considers its legal framework effective.
    #[serde(default)]
    #[schema(required = true)]
    pub effective: Answer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effectiveness: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub difficulties: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub improvements: Vec<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub source: Source,
}

/// An evaluation of a plan's results (questionnaire part III, 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    #[serde(default)]
    #[schema(required = true)]
    pub id: String,
    #[serde(default)]
    #[schema(required = true)]
    pub state: StateCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    pub status: EvaluationStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub difficulties: Vec<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub source: Source,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SwotCategory {
    Strength,
    Weakness,
    Opportunity,
    Threat,
}

/// An item of the report's regional SWOT synthesis, with how many States gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwotItem {
    pub id: String,
    pub category: SwotCategory,
    pub theme: String,
    /// The item in the curators' words.
    pub text: String,
    /// The number of States the report says gave it (its "(xxxx)" marks).
    pub states: u32,
    #[serde(default)]
    #[schema(required = true)]
    pub source: Source,
}

/// A State's answer to a consultation cycle: who answered (institutions, not persons).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
#[schema(as = ResponseRecord)]
pub struct Response {
    #[serde(default)]
    #[schema(required = true)]
    pub id: String,
    #[serde(default)]
    #[schema(required = true)]
    pub state: StateCode,
    pub cycle: i32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub institutions: Vec<String>,
    /// Whether the answer is listed among the report's respondents (Appendix 1).
    #[serde(default)]
    #[schema(required = true)]
    pub listed_in_appendix: bool,
    #[serde(default)]
    #[schema(required = true)]
    pub source: Source,
}
