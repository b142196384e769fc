//! Every error code the API answers with, and its HTTP status: one table for both areas and for
//! the parts still to come (jobs, SSH, AI), so that a code cannot mean two statuses and the
//! OpenAPI description lists exactly what a client may see.

use actix_web::http::StatusCode;
use serde::{Serialize, Serializer};
use std::fmt;

macro_rules! codes {
    ($($variant:ident = $status:literal, $text:literal;)*) => {
        /// A stable, machine-readable error code (the `code` of every error body).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as it is written on the wire, e.g. `HOST_NOT_FOUND`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }

            /// The HTTP status that always goes with this code.
            pub fn status(self) -> StatusCode {
                let status: u16 = match self {
                    $(Code::$variant => $status,)*
                };
                // Every literal in the table is a valid status; a test walks them all.
                StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    };
}

codes! {
    // Both areas: the plumbing.
    BadRequest = 400, "BAD_REQUEST";
    InvalidJson = 400, "INVALID_JSON";
    CorsRejected = 400, "CORS_REJECTED";
    Unauthorized = 401, "UNAUTHORIZED";
    NotFound = 404, "NOT_FOUND";
    MethodNotAllowed = 405, "METHOD_NOT_ALLOWED";
    RequestTimeout = 408, "REQUEST_TIMEOUT";
    PayloadTooLarge = 413, "PAYLOAD_TOO_LARGE";
    ValidationError = 422, "VALIDATION_ERROR";
    HeadersTooLarge = 431, "REQUEST_HEADER_FIELDS_TOO_LARGE";
    Internal = 500, "INTERNAL";
    ServiceUnavailable = 503, "SERVICE_UNAVAILABLE";

    // Infrastructure area (seed 000).
    MaintainerNotFound = 404, "MAINTAINER_NOT_FOUND";
    MaintainerGroupNotFound = 404, "MAINTAINER_GROUP_NOT_FOUND";
    MaintainerGroupMemberNotFound = 404, "MAINTAINER_GROUP_MEMBER_NOT_FOUND";
    ResourceMaintainerNotFound = 404, "RESOURCE_MAINTAINER_NOT_FOUND";
    HostNotFound = 404, "HOST_NOT_FOUND";
    HostGroupNotFound = 404, "HOST_GROUP_NOT_FOUND";
    TenantNotFound = 404, "TENANT_NOT_FOUND";
    VirtualMachineNotFound = 404, "VIRTUAL_MACHINE_NOT_FOUND";
    VmSpecificationNotFound = 404, "VM_SPECIFICATION_NOT_FOUND";
    K8sClusterNotFound = 404, "K8S_CLUSTER_NOT_FOUND";
    HostGroupTenantQuotaNotFound = 404, "HOST_GROUP_TENANT_QUOTA_NOT_FOUND";
    InvalidReference = 422, "INVALID_REFERENCE";
    Duplicate = 409, "DUPLICATE";
    ResourceInUse = 409, "RESOURCE_IN_USE";
    InsufficientCapacity = 409, "INSUFFICIENT_CAPACITY";
    QuotaNotGranted = 409, "QUOTA_NOT_GRANTED";
    QuotaExceeded = 409, "QUOTA_EXCEEDED";

    // Ansible area (seed 002): catalogue.
    InventoryNotFound = 404, "INVENTORY_NOT_FOUND";
    InventoryNameDuplicate = 409, "INVENTORY_NAME_DUPLICATE";
    InventoryInUse = 409, "INVENTORY_IN_USE";
    InvalidInventoryConfig = 422, "INVALID_INVENTORY_CONFIG";
    PlaybookNotFound = 404, "PLAYBOOK_NOT_FOUND";
    PlaybookNameDuplicate = 409, "PLAYBOOK_NAME_DUPLICATE";
    PlaybookValidationError = 422, "PLAYBOOK_VALIDATION_ERROR";
    InvalidYamlFormat = 422, "INVALID_YAML_FORMAT";

    // Ansible area: jobs.
    JobNotFound = 404, "JOB_NOT_FOUND";
    JobNotCancelable = 409, "JOB_NOT_CANCELABLE";
    InventoryRequired = 422, "INVENTORY_REQUIRED";
    PlaybookExecutionFailed = 500, "PLAYBOOK_EXECUTION_FAILED";

    // Ansible area: SSH connectivity (per-host codes in test results, and request failures).
    SshConnectionFailed = 502, "SSH_CONNECTION_FAILED";
    SshAuthenticationFailed = 502, "SSH_AUTHENTICATION_FAILED";
    SshTimeout = 504, "SSH_TIMEOUT";
    SshHostKeyMismatch = 502, "SSH_HOST_KEY_MISMATCH";
    SshNoCredentials = 422, "SSH_NO_CREDENTIALS";
    KnownHostNotFound = 404, "KNOWN_HOST_NOT_FOUND";
    SshTooManyHosts = 422, "SSH_TOO_MANY_HOSTS";

    // Ansible area: AI assistant.
    ConversationNotFound = 404, "CONVERSATION_NOT_FOUND";
    AiServiceUnavailable = 503, "AI_SERVICE_UNAVAILABLE";
    InvalidMessageFormat = 422, "INVALID_MESSAGE_FORMAT";
}

impl Code {
    /// The generic code of a status the framework produced without one of ours.
    pub fn for_status(status: StatusCode) -> Code {
        match status.as_u16() {
            400 => Code::BadRequest,
            401 => Code::Unauthorized,
            404 => Code::NotFound,
            405 => Code::MethodNotAllowed,
            408 => Code::RequestTimeout,
            413 => Code::PayloadTooLarge,
            422 => Code::ValidationError,
            431 => Code::HeadersTooLarge,
            503 => Code::ServiceUnavailable,
            _ => Code::Internal,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl utoipa::PartialSchema for Code {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(Code::ALL.iter().map(|c| c.as_str())))
            .description(Some("A stable, machine-readable error code."))
            .into()
    }
}

impl utoipa::ToSchema for Code {
    fn name() -> std::borrow::Cow<'static, str> {
        "ErrorCode".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_is_unique_and_has_an_error_status() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            let status = code.status();
            assert!(
                status.is_client_error() || status.is_server_error(),
                "{code}: {status}"
            );
            assert_ne!(
                (status, *code),
                (StatusCode::INTERNAL_SERVER_ERROR, Code::NotFound)
            );
        }
    }

    #[test]
    fn design_codes_have_their_statuses() {
        let expect = [
            ("UNAUTHORIZED", 401),
            ("INVALID_JSON", 400),
            ("VALIDATION_ERROR", 422),
            ("INVALID_REFERENCE", 422),
            ("DUPLICATE", 409),
            ("QUOTA_EXCEEDED", 409),
            ("PAYLOAD_TOO_LARGE", 413),
            ("SERVICE_UNAVAILABLE", 503),
            ("INVENTORY_REQUIRED", 422),
            ("JOB_NOT_CANCELABLE", 409),
            ("JOB_NOT_FOUND", 404),
            ("CONVERSATION_NOT_FOUND", 404),
            ("AI_SERVICE_UNAVAILABLE", 503),
            ("INVALID_MESSAGE_FORMAT", 422),
        ];
        for (text, status) in expect {
            let code = Code::ALL.iter().find(|c| c.as_str() == text);
            assert_eq!(code.map(|c| c.status().as_u16()), Some(status), "{text}");
        }
    }
}
