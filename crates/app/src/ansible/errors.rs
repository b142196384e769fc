//! Catalogue errors as the Ansible area's codes.

use crate::http::{ApiError, WireFormat};
use actix_web::http::StatusCode;
use ansible_core::catalog::CatalogError;

impl From<CatalogError> for ApiError {
    fn from(e: CatalogError) -> Self {
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        let (status, code) = match &e {
            CatalogError::Validation { .. } => (unprocessable, "VALIDATION_ERROR"),
            CatalogError::InvalidInventoryConfig(_) => (unprocessable, "INVALID_INVENTORY_CONFIG"),
            CatalogError::PlaybookValidation(_) => (unprocessable, "PLAYBOOK_VALIDATION_ERROR"),
            CatalogError::InvalidYaml(_) => (unprocessable, "INVALID_YAML_FORMAT"),
            CatalogError::InventoryNotFound(_) => (StatusCode::NOT_FOUND, "INVENTORY_NOT_FOUND"),
            CatalogError::PlaybookNotFound(_) => (StatusCode::NOT_FOUND, "PLAYBOOK_NOT_FOUND"),
            CatalogError::InventoryNameDuplicate(_) => {
                (StatusCode::CONFLICT, "INVENTORY_NAME_DUPLICATE")
            }
            CatalogError::PlaybookNameDuplicate(_) => {
                (StatusCode::CONFLICT, "PLAYBOOK_NAME_DUPLICATE")
            }
            CatalogError::InventoryInUse(_) => (StatusCode::CONFLICT, "INVENTORY_IN_USE"),
            CatalogError::Internal(detail) => {
                return ApiError::internal(detail).in_format(WireFormat::Ansible);
            }
        };
        ApiError::new(status, code, e.to_string()).in_format(WireFormat::Ansible)
    }
}

/// The error of every Ansible-area handler: whatever fails, it answers in the envelope.
/// Handlers return it, so `?` on any [`ApiError`] or [`CatalogError`] picks the format once,
/// at the type, instead of at each call.
#[derive(Debug)]
pub struct AreaError(ApiError);

impl From<ApiError> for AreaError {
    fn from(e: ApiError) -> Self {
        Self(e.in_format(WireFormat::Ansible))
    }
}

impl From<CatalogError> for AreaError {
    fn from(e: CatalogError) -> Self {
        Self(ApiError::from(e))
    }
}

impl std::fmt::Display for AreaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl actix_web::ResponseError for AreaError {
    fn status_code(&self) -> StatusCode {
        self.0.status
    }

    fn error_response(&self) -> actix_web::HttpResponse {
        self.0.error_response()
    }
}
