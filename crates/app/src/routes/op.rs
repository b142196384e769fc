//! How one operation is described in OpenAPI: parameters, body, answers, and the error body of
//! its area. Handlers are generic, so their descriptions are built in code, next to the route.

use crate::http::area::Area;
use crate::http::wire::{EnvelopeErrorBody, InfraErrorBody, schema_ref};
use utoipa::ToSchema;
use utoipa::openapi::path::{OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{ContentBuilder, RefOr, Required, ResponseBuilder};

/// The schemas an operation refers to, gathered for the document's components.
pub type Schemas = Vec<(String, RefOr<Schema>)>;

/// A described operation under construction.
pub struct Op {
    area: Area,
    builder: OperationBuilder,
    pub(super) schemas: Schemas,
    pub(super) statuses: Vec<u16>,
    /// The names of the query parameters, as described: what a GET route accepts.
    query_names: Vec<String>,
}

impl std::fmt::Debug for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Op")
            .field("area", &self.area)
            .field("statuses", &self.statuses)
            .finish_non_exhaustive()
    }
}

fn collect<T: ToSchema>(schemas: &mut Schemas) {
    schemas.push((T::name().into_owned(), T::schema()));
    T::schemas(schemas);
}

/// A plain schema of one JSON type.
pub fn typed(kind: Type) -> RefOr<Schema> {
    ObjectBuilder::new().schema_type(kind).into()
}

/// A string that is one of `words`.
pub fn one_of(words: &'static [&'static str]) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(words.iter().copied()))
        .into()
}

impl Op {
    /// An operation of `area`, grouped under `tag`, with a stable `id` for client generators.
    pub fn new(area: Area, id: impl Into<String>, tag: &str, summary: impl Into<String>) -> Self {
        Self {
            area,
            builder: OperationBuilder::new()
                .operation_id(Some(id))
                .tag(tag)
                .summary(Some(summary)),
            schemas: Vec::new(),
            statuses: Vec::new(),
            query_names: Vec::new(),
        }
    }

    pub fn area(&self) -> Area {
        self.area
    }

    /// The query parameters described, in order; a GET route refuses any other.
    pub fn query_names(&self) -> &[String] {
        &self.query_names
    }

    /// A path parameter (`{id}`) of the given schema.
    pub fn path_param(mut self, name: &str, schema: RefOr<Schema>, description: &str) -> Self {
        self.builder = self.builder.parameter(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some(description))
                .schema(Some(schema)),
        );
        self
    }

    /// An optional query parameter.
    pub fn query(mut self, name: &str, schema: RefOr<Schema>, description: &str) -> Self {
        self.query_names.push(name.to_owned());
        self.builder = self.builder.parameter(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some(description))
                .schema(Some(schema)),
        );
        self
    }

    /// The JSON request body, of schema `T`.
    pub fn body<T: ToSchema>(mut self) -> Self {
        collect::<T>(&mut self.schemas);
        self.builder = self.builder.request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(schema_ref::<T>()))
                        .build(),
                )
                .build(),
        ));
        self
    }

    /// A JSON answer of schema `T`.
    pub fn answers<T: ToSchema>(mut self, status: u16, description: &str) -> Self {
        collect::<T>(&mut self.schemas);
        self.statuses.push(status);
        self.builder = self.builder.response(
            status.to_string(),
            ResponseBuilder::new().description(description).content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(schema_ref::<T>()))
                    .build(),
            ),
        );
        self
    }

    /// A text answer (`text/plain`, …): its schema is a string.
    pub fn answers_text(self, status: u16, content_type: &str, description: &str) -> Self {
        self.answers_as(status, content_type, typed(Type::String), description)
    }

    /// An answer in `content_type` whose parsed document has `schema`: a YAML answer is
    /// described by what it holds once read (as clients and schemathesis read it), not as
    /// a string.
    pub fn answers_as(
        mut self,
        status: u16,
        content_type: &str,
        schema: RefOr<Schema>,
        description: &str,
    ) -> Self {
        self.statuses.push(status);
        self.builder = self.builder.response(
            status.to_string(),
            ResponseBuilder::new().description(description).content(
                content_type,
                ContentBuilder::new().schema(Some(schema)).build(),
            ),
        );
        self
    }

    /// The error answers this operation can give, in its area's error body. Every operation
    /// behind the token can also answer 401, 500 and 503; those are added here.
    pub fn errors(mut self, statuses: &[u16]) -> Self {
        let mut all: Vec<u16> = statuses.to_vec();
        all.extend([401, 500, 503]);
        all.sort_unstable();
        all.dedup();
        // A second call adds only what the first did not.
        all.retain(|status| !self.statuses.contains(status));
        let schema = match self.area {
            Area::Infra => {
                collect::<InfraErrorBody>(&mut self.schemas);
                schema_ref::<InfraErrorBody>()
            }
            Area::Ansible => {
                collect::<EnvelopeErrorBody>(&mut self.schemas);
                schema_ref::<EnvelopeErrorBody>()
            }
        };
        for status in all {
            self.statuses.push(status);
            self.builder = self.builder.response(
                status.to_string(),
                ResponseBuilder::new()
                    .description(describe(status))
                    .content(
                        "application/json",
                        ContentBuilder::new().schema(Some(schema.clone())).build(),
                    ),
            );
        }
        self
    }

    pub(super) fn into_parts(self) -> (utoipa::openapi::path::Operation, Schemas) {
        (self.builder.build(), self.schemas)
    }
}

fn describe(status: u16) -> &'static str {
    match status {
        400 => "The body is not valid JSON (INVALID_JSON).",
        401 => "No valid bearer token (UNAUTHORIZED).",
        404 => "No such resource.",
        405 => "The path does not take this method.",
        409 => "The write conflicts with stored state.",
        413 => "The body is over 1 MiB (PAYLOAD_TOO_LARGE).",
        422 => "A field or parameter is invalid; the message names it.",
        500 => "A fault of the server (INTERNAL); details are in its log.",
        503 => "The store cannot be reached (SERVICE_UNAVAILABLE).",
        _ => "An error.",
    }
}
