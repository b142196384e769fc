//! The one place that turns failures into HTTP: status, code and the area's wire format.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use infra_inventory::{InventoryError, ResourceKind};
use serde_json::json;
use std::fmt;

/// Which error body an area speaks: seed 000's `{error, code}` or seed 002's envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireFormat {
    Infra,
    Ansible,
}

impl WireFormat {
    /// The Ansible area owns these path prefixes; everything else speaks the infra format.
    pub fn for_path(path: &str) -> Self {
        const ANSIBLE: [&str; 4] = ["/api/inventories", "/api/playbooks", "/api/ssh", "/api/ai"];
        if ANSIBLE
            .iter()
            .any(|prefix| path == *prefix || path.starts_with(&format!("{prefix}/")))
        {
            WireFormat::Ansible
        } else {
            WireFormat::Infra
        }
    }
}

/// A failed request: status, stable code, a sentence for humans, and the format to speak.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub format: WireFormat,
}

impl ApiError {
    pub fn new(status: StatusCode, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            format: WireFormat::Infra,
        }
    }

    pub fn in_format(mut self, format: WireFormat) -> Self {
        self.format = format;
        self
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "a valid bearer token is required",
        )
    }

    pub fn invalid_json(detail: impl fmt::Display) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "INVALID_JSON",
            format!("request body is not valid JSON: {detail}"),
        )
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
            message,
        )
    }

    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            format!("request body exceeds {limit} bytes"),
        )
    }

    pub fn not_found(kind: ResourceKind, key: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            not_found_code(kind),
            format!("{} {key} not found", kind.singular()),
        )
    }

    /// A fault of ours. The detail goes to the log under the request id, never to the client.
    pub fn internal(detail: impl fmt::Display) -> Self {
        tracing::error!(detail = %detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "internal server error",
        )
    }
}

/// `MAINTAINER_GROUP_NOT_FOUND` and the like.
pub fn not_found_code(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Maintainer => "MAINTAINER_NOT_FOUND",
        ResourceKind::MaintainerGroup => "MAINTAINER_GROUP_NOT_FOUND",
        ResourceKind::MaintainerGroupMember => "MAINTAINER_GROUP_MEMBER_NOT_FOUND",
        ResourceKind::ResourceMaintainer => "RESOURCE_MAINTAINER_NOT_FOUND",
        ResourceKind::Host => "HOST_NOT_FOUND",
        ResourceKind::HostGroup => "HOST_GROUP_NOT_FOUND",
        ResourceKind::Tenant => "TENANT_NOT_FOUND",
        ResourceKind::VirtualMachine => "VIRTUAL_MACHINE_NOT_FOUND",
        ResourceKind::VmSpecification => "VM_SPECIFICATION_NOT_FOUND",
        ResourceKind::K8sCluster => "K8S_CLUSTER_NOT_FOUND",
        ResourceKind::HostGroupTenantQuota => "HOST_GROUP_TENANT_QUOTA_NOT_FOUND",
    }
}

impl From<InventoryError> for ApiError {
    fn from(e: InventoryError) -> Self {
        let conflict = |code: &str, m: String| ApiError::new(StatusCode::CONFLICT, code, m);
        match e {
            InventoryError::Validation(f) => ApiError::validation(f.to_string()),
            InventoryError::NotFound { kind, key } => ApiError::not_found(kind, &key),
            InventoryError::InvalidReference(m) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "INVALID_REFERENCE", m)
            }
            InventoryError::Duplicate(m) => conflict("DUPLICATE", m),
            InventoryError::InUse(m) => conflict("RESOURCE_IN_USE", m),
            InventoryError::InsufficientCapacity(c) => {
                conflict("INSUFFICIENT_CAPACITY", c.to_string())
            }
            InventoryError::QuotaNotGranted(m) => conflict("QUOTA_NOT_GRANTED", m),
            InventoryError::QuotaExceeded(q) => conflict("QUOTA_EXCEEDED", q.to_string()),
            InventoryError::Internal(detail) => ApiError::internal(detail),
        }
    }
}

impl From<infra_inventory::FieldError> for ApiError {
    fn from(e: infra_inventory::FieldError) -> Self {
        ApiError::validation(e.to_string())
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let body = match self.format {
            WireFormat::Infra => json!({ "error": self.message, "code": self.code }),
            WireFormat::Ansible => json!({
                "success": false,
                "error": { "code": self.code, "message": self.message },
            }),
        };
        HttpResponse::build(self.status).json(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_are_told_apart_by_path() {
        assert_eq!(
            WireFormat::for_path("/api/inventories"),
            WireFormat::Ansible
        );
        assert_eq!(
            WireFormat::for_path("/api/playbooks/jobs/job-1"),
            WireFormat::Ansible
        );
        assert_eq!(WireFormat::for_path("/api/inventoriesx"), WireFormat::Infra);
        assert_eq!(WireFormat::for_path("/api/hosts"), WireFormat::Infra);
    }
}
