//! How a resource of the inventory appears on the wire: its path, list key, body, filters and
//! answer, each a type that also describes itself in OpenAPI.

use crate::http::ListQuery;
use infra_inventory::{FieldError, ReadModel, Record};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

/// The JSON type of a resource's id in paths and bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Uuid,
    Integer,
}

/// A list filter a resource accepts, for the description of its list operation.
#[derive(Debug, Clone, Copy)]
pub struct FilterParam {
    pub name: &'static str,
    pub kind: FilterKind,
}

#[derive(Debug, Clone, Copy)]
pub enum FilterKind {
    Uuid,
    Integer,
    Text,
    Words(&'static [&'static str]),
}

pub trait InfraResource: Record + ReadModel {
    /// The path segment under `/api`, e.g. `maintainer-groups`.
    const PATH: &'static str;
    /// The key of the list object (`host_groups`), or `None` for a bare array (maintainers).
    const LIST_KEY: Option<&'static str>;
    /// The `message` of a successful delete, as the seed words it.
    const DELETED: &'static str;
    /// The resource's name in operation ids, e.g. `HostGroup` (`listHostGroups`).
    const NAME: &'static str;
    const ID: IdKind;
    /// The filters `filter` reads, as the list operation describes them.
    const FILTERS: &'static [FilterParam];

    /// The request body of create and update (PUT replaces the whole resource).
    type Body: DeserializeOwned + ToSchema + 'static;
    /// The resource as the client reads it, made from what the service returns for it
    /// ([`ReadModel::View`]: the record itself, or a quota with its usage).
    type Out: Serialize + ToSchema + Send + 'static + for<'a> From<&'a Self::View>;

    fn draft(body: Self::Body) -> Result<Self::Draft, FieldError>;

    fn filter(query: &ListQuery) -> Result<Self::Filter, FieldError>;
}

/// Status vocabularies as OpenAPI enums.
pub mod words {
    pub use crate::routes::one_of as schema;
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::Schema;

    macro_rules! vocabulary_schema {
        ($($fn:ident: $words:expr;)*) => {$(
            pub fn $fn() -> RefOr<Schema> {
                schema($words)
            }
        )*};
    }

    use infra_inventory::resources::ResourceType;
    use infra_inventory::values::{ActiveStatus, ClusterStatus, HostStatus, VmStatus};
    vocabulary_schema! {
        active: ActiveStatus::WORDS;
        host: HostStatus::WORDS;
        vm: VmStatus::WORDS;
        cluster: ClusterStatus::WORDS;
        resource_type: ResourceType::WORDS;
    }
}
