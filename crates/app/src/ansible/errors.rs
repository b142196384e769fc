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
