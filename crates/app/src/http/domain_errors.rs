//! The one mapping from every domain's errors to the code table.

use super::code::Code;
use super::error::ApiError;
use ai_assist::{AssistError, ChatError};
use ansible_core::catalog::CatalogError;
use ansible_core::connectivity::ConnectivityError;
use ansible_core::jobs::JobError;
use infra_inventory::{FieldError, InventoryError, ResourceKind};

/// `MAINTAINER_GROUP_NOT_FOUND` and the like.
pub fn not_found_code(kind: ResourceKind) -> Code {
    match kind {
        ResourceKind::Maintainer => Code::MaintainerNotFound,
        ResourceKind::MaintainerGroup => Code::MaintainerGroupNotFound,
        ResourceKind::MaintainerGroupMember => Code::MaintainerGroupMemberNotFound,
        ResourceKind::ResourceMaintainer => Code::ResourceMaintainerNotFound,
        ResourceKind::Host => Code::HostNotFound,
        ResourceKind::HostGroup => Code::HostGroupNotFound,
        ResourceKind::Tenant => Code::TenantNotFound,
        ResourceKind::VirtualMachine => Code::VirtualMachineNotFound,
        ResourceKind::VmSpecification => Code::VmSpecificationNotFound,
        ResourceKind::K8sCluster => Code::K8sClusterNotFound,
        ResourceKind::HostGroupTenantQuota => Code::HostGroupTenantQuotaNotFound,
    }
}

/// A resource of `kind` named `key` does not exist (or `key` cannot name one).
pub fn not_found(kind: ResourceKind, key: &str) -> ApiError {
    ApiError::new(
        not_found_code(kind),
        format!("{} {key} not found", kind.singular()),
    )
}

impl From<InventoryError> for ApiError {
    fn from(e: InventoryError) -> Self {
        match e {
            InventoryError::Validation(f) => ApiError::validation(f.to_string()),
            InventoryError::NotFound { kind, key } => not_found(kind, &key),
            InventoryError::InvalidReference(m) => ApiError::new(Code::InvalidReference, m),
            InventoryError::Duplicate(m) => ApiError::new(Code::Duplicate, m),
            InventoryError::InUse(m) => ApiError::new(Code::ResourceInUse, m),
            InventoryError::InsufficientCapacity(c) => {
                ApiError::new(Code::InsufficientCapacity, c.to_string())
            }
            InventoryError::QuotaNotGranted(m) => ApiError::new(Code::QuotaNotGranted, m),
            InventoryError::QuotaExceeded(q) => ApiError::new(Code::QuotaExceeded, q.to_string()),
            InventoryError::Unavailable(detail) => ApiError::unavailable(detail),
            InventoryError::Internal(detail) => ApiError::internal(detail),
        }
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::validation(e.to_string())
    }
}

impl From<CatalogError> for ApiError {
    fn from(e: CatalogError) -> Self {
        let code = match &e {
            CatalogError::Validation { .. } => Code::ValidationError,
            CatalogError::InvalidInventoryConfig(_) => Code::InvalidInventoryConfig,
            CatalogError::PlaybookValidation(_) => Code::PlaybookValidationError,
            CatalogError::InvalidYaml(_) => Code::InvalidYamlFormat,
            CatalogError::InventoryNotFound(_) => Code::InventoryNotFound,
            CatalogError::PlaybookNotFound(_) => Code::PlaybookNotFound,
            CatalogError::InventoryNameDuplicate(_) => Code::InventoryNameDuplicate,
            CatalogError::PlaybookNameDuplicate(_) => Code::PlaybookNameDuplicate,
            CatalogError::InventoryInUse(_) => Code::InventoryInUse,
            CatalogError::Unavailable(detail) => return ApiError::unavailable(detail),
            CatalogError::Internal(detail) => return ApiError::internal(detail),
        };
        ApiError::new(code, e.to_string())
    }
}

impl From<JobError> for ApiError {
    fn from(e: JobError) -> Self {
        let e = match e {
            JobError::Catalog(c) => return c.into(),
            other => other,
        };
        let code = match &e {
            JobError::Validation { .. } => Code::ValidationError,
            JobError::InventoryRequired => Code::InventoryRequired,
            JobError::InventoryNotFound(_) => Code::InventoryNotFound,
            JobError::PlaybookNotFound(_) => Code::PlaybookNotFound,
            JobError::JobNotFound(_) => Code::JobNotFound,
            JobError::NotCancelable { .. } => Code::JobNotCancelable,
            JobError::Catalog(_) => Code::Internal,
            JobError::Unavailable(detail) => return ApiError::unavailable(detail),
            JobError::Internal(detail) => return ApiError::internal(detail),
        };
        ApiError::new(code, e.to_string())
    }
}

impl From<AssistError> for ApiError {
    fn from(e: AssistError) -> Self {
        let code = match &e {
            AssistError::InvalidMessage(_) => Code::InvalidMessageFormat,
            AssistError::InvalidTitle(_) => Code::ValidationError,
            AssistError::ConversationNotFound(_) => Code::ConversationNotFound,
            AssistError::InventoryNotFound(_) => Code::InventoryNotFound,
            AssistError::ModelUnavailable(why) => {
                tracing::warn!(detail = %why, "AI model unavailable");
                return ApiError::new(Code::AiServiceUnavailable, model_unavailable(why));
            }
            AssistError::Unavailable(detail) => return ApiError::unavailable(detail),
            AssistError::Internal(detail) => return ApiError::internal(detail),
        };
        ApiError::new(code, e.to_string())
    }
}

/// What a client is told of a model that gave no answer: which of the kinds it was, so
/// that "try again" is said only where trying again can help. The adapter's own text
/// names the endpoint, so it goes to the log only; a missing setting is named to the
/// client, as it is no secret and is the fix.
fn model_unavailable(why: &ChatError) -> String {
    match why {
        ChatError::NotConfigured(detail) => format!(
            "{detail}; the assistant cannot answer until an administrator configures a model"
        ),
        ChatError::Timeout(_) => "the AI model did not answer in time (HUB_LLM_TIMEOUT_SECS); \
             try again, or ask for less"
            .to_owned(),
        ChatError::Unreachable(_) => {
            "the AI model's server cannot be reached; try again shortly (the server log says why)"
                .to_owned()
        }
        ChatError::Refused(_) => {
            "the AI model's server refused the request (the server log says why)".to_owned()
        }
        ChatError::Malformed(_) => {
            "the AI model answered something that is not an answer (the server log says why)"
                .to_owned()
        }
    }
}

impl From<ConnectivityError> for ApiError {
    fn from(e: ConnectivityError) -> Self {
        let code = match &e {
            ConnectivityError::InventoryNotFound(_) => Code::InventoryNotFound,
            ConnectivityError::KnownHostNotFound(_) => Code::KnownHostNotFound,
            ConnectivityError::TooManyHosts { .. } => Code::SshTooManyHosts,
            // No one waits for it (the client went away, or the server is stopping).
            ConnectivityError::Canceled => Code::ServiceUnavailable,
            ConnectivityError::Unavailable(detail) => return ApiError::unavailable(detail),
        };
        ApiError::new(code, e.to_string())
    }
}
