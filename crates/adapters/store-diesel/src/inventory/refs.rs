//! The relational rules every write follows: references must point at rows, deletes restrict
//! while other rows refer to the record and take association rows along. Foreign keys back
//! these up in the schema; checking first lets a refusal name the field or the referrers.

use super::error::unavailable;
use crate::connection::AnyConnection;
use crate::error::TxError;
use crate::schema::*;
use diesel::dsl::{count_star, exists, select};
use diesel::prelude::*;
use diesel::result::DatabaseErrorKind;
use infra_inventory::resources::{MaintainerType, ResourceType};
use infra_inventory::{
    Record, RecordKey, RecordRef, Reference, Referrer, ResourceKind, StoreError,
};

fn text(key: RecordKey) -> Option<String> {
    match key {
        RecordKey::Uuid(u) => Some(u.to_string()),
        RecordKey::Int(_) => None,
    }
}

fn int(key: RecordKey) -> Option<i64> {
    match key {
        RecordKey::Int(i) => Some(i),
        RecordKey::Uuid(_) => None,
    }
}

/// Runs `$by_text!(table)` or `$by_int!(table)` for the table that holds records of `$kind`.
macro_rules! on_table_of {
    ($kind:expr, $by_text:ident, $by_int:ident) => {
        match $kind {
            ResourceKind::Maintainer => $by_text!(maintainers),
            ResourceKind::MaintainerGroup => $by_text!(maintainer_groups),
            ResourceKind::MaintainerGroupMember => $by_text!(maintainer_group_members),
            ResourceKind::ResourceMaintainer => $by_text!(resource_maintainers),
            ResourceKind::Host => $by_text!(hosts),
            ResourceKind::HostGroup => $by_int!(host_groups),
            ResourceKind::Tenant => $by_int!(tenants),
            ResourceKind::VirtualMachine => $by_text!(virtual_machines),
            ResourceKind::VmSpecification => $by_text!(vm_specifications),
            ResourceKind::K8sCluster => $by_text!(k8s_clusters),
            ResourceKind::HostGroupTenantQuota => $by_text!(host_group_tenant_quotas),
        }
    };
}

/// Whether the row a reference points at exists. A key of the wrong shape for the kind
/// points at nothing.
pub(crate) fn exists_row(conn: &mut AnyConnection, target: RecordRef) -> QueryResult<bool> {
    macro_rules! by_text {
        ($table:ident) => {
            match text(target.key) {
                Some(id) => select(exists($table::table.find(id))).get_result(conn),
                None => Ok(false),
            }
        };
    }
    macro_rules! by_int {
        ($table:ident) => {
            match int(target.key) {
                Some(id) => select(exists($table::table.find(id))).get_result(conn),
                None => Ok(false),
            }
        };
    }
    on_table_of!(target.kind, by_text, by_int)
}

/// Refuses the first reference that points at no row.
pub(crate) fn check_references(
    conn: &mut AnyConnection,
    references: &[Reference],
) -> Result<(), TxError<StoreError>> {
    for reference in references {
        if !exists_row(conn, reference.target)? {
            return Err(StoreError::MissingReference {
                field: reference.field,
                target: reference.target,
            }
            .into());
        }
    }
    Ok(())
}

/// How many rows of each other kind still refer to `target` (associations not counted).
fn restricting(conn: &mut AnyConnection, target: RecordRef) -> QueryResult<Vec<Referrer>> {
    macro_rules! count {
        ($table:ident, $column:ident, $key:expr) => {
            $table::table
                .filter($table::$column.eq($key))
                .select(count_star())
                .get_result::<i64>(conn)?
        };
    }
    let (t, i) = (
        text(target.key).unwrap_or_default(),
        int(target.key).unwrap_or_default(),
    );
    let counts: Vec<(ResourceKind, i64)> = match target.kind {
        ResourceKind::Maintainer => vec![(
            ResourceKind::MaintainerGroup,
            count!(maintainer_groups, group_manager_id, &t),
        )],
        ResourceKind::Host => vec![(
            ResourceKind::VirtualMachine,
            count!(virtual_machines, host_id, &t),
        )],
        ResourceKind::HostGroup => vec![
            (ResourceKind::Host, count!(hosts, group_id, i)),
            (
                ResourceKind::HostGroupTenantQuota,
                count!(host_group_tenant_quotas, group_id, i),
            ),
        ],
        ResourceKind::Tenant => vec![
            (
                ResourceKind::VirtualMachine,
                count!(virtual_machines, tenant_id, i),
            ),
            (ResourceKind::K8sCluster, count!(k8s_clusters, tenant_id, i)),
            (
                ResourceKind::HostGroupTenantQuota,
                count!(host_group_tenant_quotas, tenant_id, i),
            ),
        ],
        ResourceKind::VmSpecification => vec![(
            ResourceKind::VirtualMachine,
            count!(virtual_machines, specification_id, &t),
        )],
        ResourceKind::K8sCluster => vec![(
            ResourceKind::VirtualMachine,
            count!(virtual_machines, k8s_cluster_id, &t),
        )],
        _ => Vec::new(),
    };
    Ok(counts
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(kind, n)| Referrer {
            kind,
            count: u64::try_from(n).unwrap_or_default(),
        })
        .collect())
}

/// Removes the association rows that point at `target`.
fn cascade(conn: &mut AnyConnection, target: RecordRef) -> QueryResult<()> {
    let key = target.key.to_string();
    if let Some(resource_type) = ResourceType::of_kind(target.kind) {
        diesel::delete(
            resource_maintainers::table
                .filter(resource_maintainers::resource_type.eq(resource_type.as_str()))
                .filter(resource_maintainers::resource_id.eq(&key)),
        )
        .execute(conn)?;
    }
    if let Some(maintainer_type) = MaintainerType::of_kind(target.kind) {
        diesel::delete(
            resource_maintainers::table
                .filter(resource_maintainers::maintainer_type.eq(maintainer_type.as_str()))
                .filter(resource_maintainers::maintainer_id.eq(&key)),
        )
        .execute(conn)?;
    }
    match target.kind {
        ResourceKind::Maintainer => {
            diesel::delete(
                maintainer_group_members::table
                    .filter(maintainer_group_members::maintainer_id.eq(&key)),
            )
            .execute(conn)?;
        }
        ResourceKind::MaintainerGroup => {
            diesel::delete(
                maintainer_group_members::table.filter(maintainer_group_members::group_id.eq(&key)),
            )
            .execute(conn)?;
        }
        _ => {}
    }
    Ok(())
}

fn delete_row(conn: &mut AnyConnection, target: RecordRef) -> QueryResult<usize> {
    macro_rules! by_text {
        ($table:ident) => {
            diesel::delete($table::table.find(text(target.key).unwrap_or_default())).execute(conn)
        };
    }
    macro_rules! by_int {
        ($table:ident) => {
            diesel::delete($table::table.find(int(target.key).unwrap_or_default())).execute(conn)
        };
    }
    on_table_of!(target.kind, by_text, by_int)
}

/// Deletes `target` in the caller's transaction: refuses while other rows refer to it,
/// otherwise removes its association rows and then the row. `Ok(false)` when absent.
pub(crate) fn delete_record(
    conn: &mut AnyConnection,
    target: RecordRef,
) -> Result<bool, TxError<StoreError>> {
    if !exists_row(conn, target)? {
        return Ok(false);
    }
    let referrers = restricting(conn, target)?;
    if !referrers.is_empty() {
        return Err(StoreError::InUse(referrers).into());
    }
    cascade(conn, target)?;
    Ok(delete_row(conn, target)? > 0)
}

/// Classifies the failure of a create or update of `R` from `draft`: a unique index names the
/// draft's unique key; a foreign key its first reference (a row deleted concurrently).
pub(crate) fn write_error<R: Record>(draft: &R::Draft, e: TxError<StoreError>) -> StoreError {
    match e.violation() {
        Some((DatabaseErrorKind::UniqueViolation, _)) => StoreError::Duplicate {
            kind: R::KIND,
            what: R::unique_key(draft).map(|k| k.what).unwrap_or("id"),
        },
        Some((DatabaseErrorKind::ForeignKeyViolation, info)) => {
            match R::references(draft).first() {
                Some(r) => StoreError::MissingReference {
                    field: r.field,
                    target: r.target,
                },
                None => unavailable(info.message()),
            }
        }
        _ => e.into_domain(),
    }
}

/// Classifies the failure of a delete: a foreign key means a referrer appeared concurrently.
pub(crate) fn delete_error(e: TxError<StoreError>) -> StoreError {
    match e.violation() {
        Some((DatabaseErrorKind::ForeignKeyViolation, _)) => StoreError::InUse(Vec::new()),
        _ => e.into_domain(),
    }
}
