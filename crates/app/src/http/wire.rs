//! The typed bodies both areas share: error bodies, seed 002's envelope and its pages. Each is
//! `Serialize` for the response and `ToSchema` for the OpenAPI description, so what is
//! described is what is sent.

use super::code::Code;
use serde::Serialize;
use std::borrow::Cow;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{RefOr, Required};
use utoipa::{PartialSchema, ToSchema};

/// Seed 000's error: `{"error": "human sentence", "code": "CODE"}`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = InfraError)]
pub struct InfraErrorBody {
    pub error: String,
    pub code: Code,
}

/// Seed 002's failure: `{"success": false, "error": {"code", "message"}}`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = EnvelopeFailure)]
pub struct EnvelopeErrorBody {
    /// Always `false`.
    pub success: bool,
    pub error: EnvelopeError,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EnvelopeError {
    pub code: Code,
    pub message: String,
}

/// Seed 000's answer to a delete: `{"message": "…"}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Deleted {
    pub message: &'static str,
}

/// Seed 002's success: `{"success": true, "data": …, "message": "…"}`.
#[derive(Debug, Serialize)]
pub struct Envelope<T> {
    pub success: bool,
    pub data: T,
    pub message: &'static str,
}

impl<T> Envelope<T> {
    pub fn new(data: T, message: &'static str) -> Self {
        Self {
            success: true,
            data,
            message,
        }
    }
}

/// Seed 002's success without data (deletes): `{"success": true, "message": "…"}`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = EnvelopeDone)]
pub struct Done {
    pub success: bool,
    pub message: &'static str,
}

impl Done {
    pub fn new(message: &'static str) -> Self {
        Self {
            success: true,
            message,
        }
    }
}

/// One page of an Ansible-area list: `{"items": [...], "pagination": {...}}`.
#[derive(Debug, Serialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub pagination: Pagination,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
    pub total_pages: u64,
}

/// A reference to a named component schema.
pub fn schema_ref<T: ToSchema>() -> RefOr<Schema> {
    RefOr::Ref(utoipa::openapi::Ref::from_schema_name(T::name()))
}

/// An object schema with `properties` given as (name, schema) pairs, every one required.
fn object(properties: Vec<(&str, RefOr<Schema>)>) -> RefOr<Schema> {
    properties
        .into_iter()
        .fold(
            ObjectBuilder::new().schema_type(Type::Object),
            |object, (name, schema)| object.property(name, schema).required(name),
        )
        .into()
}

fn typed(kind: Type) -> RefOr<Schema> {
    ObjectBuilder::new().schema_type(kind).into()
}

impl<T: ToSchema> PartialSchema for Envelope<T> {
    fn schema() -> RefOr<Schema> {
        object(vec![
            ("success", typed(Type::Boolean)),
            ("data", schema_ref::<T>()),
            ("message", typed(Type::String)),
        ])
    }
}

impl<T: ToSchema> ToSchema for Envelope<T> {
    fn name() -> Cow<'static, str> {
        format!("{}Envelope", T::name()).into()
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((T::name().into_owned(), T::schema()));
        T::schemas(schemas);
    }
}

impl<T: ToSchema> PartialSchema for Paged<T> {
    fn schema() -> RefOr<Schema> {
        object(vec![
            ("items", ArrayBuilder::new().items(schema_ref::<T>()).into()),
            ("pagination", schema_ref::<Pagination>()),
        ])
    }
}

impl<T: ToSchema> ToSchema for Paged<T> {
    fn name() -> Cow<'static, str> {
        format!("{}Page", T::name()).into()
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((T::name().into_owned(), T::schema()));
        T::schemas(schemas);
        schemas.push((Pagination::name().into_owned(), Pagination::schema()));
    }
}

/// `Required::True`, for hand-built parameters.
pub const REQUIRED: Required = Required::True;
