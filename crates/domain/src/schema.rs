//! OpenAPI schemas of the types whose JSON form is written by hand (a custom `Serialize`): the
//! API's document is generated from the record types (`utoipa::ToSchema`, derived beside each
//! record), and these say what their strings look like. The patterns are the API contract's:
//! clients and the contract test read them.

use std::borrow::Cow;

use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::date::PartialDate;
use crate::period::Adoption;
use crate::state::{StateCode, OAS_MEMBERS};

/// ISO 8601 with the precision the source has: `2012`, `2012-05`, `2012-05-03`.
pub const PARTIAL_DATE_PATTERN: &str = r"^\d{4}(-\d{2}(-\d{2})?)?$";
/// An ISO 3166-1 alpha-2 code.
pub const STATE_CODE_PATTERN: &str = "^[A-Z]{2}$";

fn string(pattern: &str, description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .pattern(Some(pattern))
        .description(Some(description))
}

impl PartialSchema for PartialDate {
    fn schema() -> RefOr<Schema> {
        string(PARTIAL_DATE_PATTERN, "ISO 8601, reduced precision where the source is partial").into()
    }
}

impl ToSchema for PartialDate {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("PartialDate")
    }
}

impl PartialSchema for StateCode {
    fn schema() -> RefOr<Schema> {
        string(STATE_CODE_PATTERN, "ISO 3166-1 alpha-2 code of an OAS member State")
            .examples(OAS_MEMBERS.iter().take(1).map(|c| serde_json::json!(c)))
            .into()
    }
}

impl ToSchema for StateCode {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("StateCode")
    }
}

impl PartialSchema for Adoption {
    fn schema() -> RefOr<Schema> {
        let status = ObjectBuilder::new().schema_type(SchemaType::new(Type::String)).enum_values(Some([
            "pending-approval",
            "to-be-submitted",
            "unknown",
        ]));
        OneOfBuilder::new()
            .item(PartialDate::schema())
            .item(status)
            .description(Some("A (partial) ISO date, or where the plan stands when not yet adopted"))
            .into()
    }
}

impl ToSchema for Adoption {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Adoption")
    }
}

/// Every code an answer's issue may have (`consultation::Issue::code`).
pub const ISSUE_CODES: [&str; 9] = [
    "unknown-question",
    "unknown-column",
    "wrong-shape",
    "too-many",
    "too-long",
    "bad-character",
    "not-an-option",
    "not-a-date",
    "required",
];

/// `Issue.code`: one of [`ISSUE_CODES`].
pub fn issue_code() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(SchemaType::new(Type::String)).enum_values(Some(ISSUE_CODES))
}
