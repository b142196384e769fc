//! The relational rules every write follows: references must point at rows, deletes restrict
//! while other rows refer to the record and take association rows along. Foreign keys back
//! these up in the schema; checking first lets a refusal name the field or the referrers.
//!
//! Where no foreign key stands behind a reference (resource-maintainers point at a row of the
//! table their type names), the check alone would race a delete on PostgreSQL: the write sees
//! the row, the delete removes it and the association rows it can see, and the write commits
//! a row that points at nothing. So a delete locks its row (`FOR UPDATE`) before anything
//! else, and such a write share-locks the rows it refers to ([`lock_references`]) until it
//! commits: whichever comes second waits, then finds the row gone (the write: a missing
//! reference) or finds the new association row to take along (the delete). Maintainer groups
//! (their manager) and members lock theirs too, though foreign keys guard them: a racing
//! delete then counts the new referrer, instead of failing on the key and being refused as
//! "in use by nothing". Which tables lock is each table's `StoredTable::LOCKS_REFERENCES`.
//! SQLite's write transaction holds the whole database, so its arms read without a lock.

use super::error::unavailable;
use crate::connection::AnyConnection;
use crate::dialect::db_run;
use crate::error::TxError;
use crate::page::row_count;
use crate::schema::*;
use diesel::dsl::{count_star, exists, select};
use diesel::prelude::*;
use diesel::result::DatabaseErrorKind;
use diesel::sql_types::Integer;
use infra_inventory::resources::{MaintainerType, ResourceType};
use infra_inventory::{
    Record, RecordKey, RecordRef, Reference, Referrer, ResourceKind, StoreError,
};

/// Runs `$run!(table, key)` on the table that holds records of `$target`'s kind, with the key
/// as its primary key column holds it (UUIDs as text, integers as they are); the value is
/// `$wrong_shape` for a key of the wrong shape for its kind, which names no row.
macro_rules! on_row_of {
    ($target:expr, $run:ident, $wrong_shape:expr) => {{
        let target: RecordRef = $target;
        macro_rules! by_uuid {
            ($table:ident) => {
                match target.key {
                    RecordKey::Uuid(id) => $run!($table, id.to_string()),
                    RecordKey::Int(_) => $wrong_shape,
                }
            };
        }
        macro_rules! by_int {
            ($table:ident) => {
                match target.key {
                    RecordKey::Int(id) => $run!($table, id),
                    RecordKey::Uuid(_) => $wrong_shape,
                }
            };
        }
        match target.kind {
            ResourceKind::Maintainer => by_uuid!(maintainers),
            ResourceKind::MaintainerGroup => by_uuid!(maintainer_groups),
            ResourceKind::MaintainerGroupMember => by_uuid!(maintainer_group_members),
            ResourceKind::ResourceMaintainer => by_uuid!(resource_maintainers),
            ResourceKind::Host => by_uuid!(hosts),
            ResourceKind::HostGroup => by_int!(host_groups),
            ResourceKind::Tenant => by_int!(tenants),
            ResourceKind::VirtualMachine => by_uuid!(virtual_machines),
            ResourceKind::VmSpecification => by_uuid!(vm_specifications),
            ResourceKind::K8sCluster => by_uuid!(k8s_clusters),
            ResourceKind::HostGroupTenantQuota => by_uuid!(host_group_tenant_quotas),
        }
    }};
}

/// Whether the row a reference points at exists.
pub(crate) fn exists_row(conn: &mut AnyConnection, target: RecordRef) -> QueryResult<bool> {
    macro_rules! exists_in {
        ($table:ident, $key:expr) => {
            select(exists($table::table.find($key))).get_result(conn)
        };
    }
    on_row_of!(target, exists_in, Ok(false))
}

/// How a transaction holds a row it found.
#[derive(Debug, Clone, Copy)]
enum RowLock {
    /// Others may read and share-lock it, not change or delete it.
    Share,
    /// Only this transaction may change or delete it.
    Update,
}

/// Whether the row a reference points at exists, locked as `lock` says until the transaction
/// ends (PostgreSQL).
fn lock_row(conn: &mut AnyConnection, target: RecordRef, lock: RowLock) -> QueryResult<bool> {
    macro_rules! lock_in {
        ($table:ident, $key:expr) => {{
            // A constant column: the lock is the point, not the row's values.
            let query = $table::table
                .find($key)
                .select(crate::fixed_sql::FixedSql::<Integer>::new("1"));
            let found: Option<i32> = db_run!(conn,
                postgres(pg) => match lock {
                    RowLock::Share => query.for_share().first(pg).optional(),
                    RowLock::Update => query.for_update().first(pg).optional(),
                },
                sqlite(lite) => query.first(lite).optional(),
            )?;
            Ok(found.is_some())
        }};
    }
    on_row_of!(target, lock_in, Ok(false))
}

/// Refuses the first reference that points at no row.
pub(crate) fn check_references(
    conn: &mut AnyConnection,
    references: &[Reference],
) -> Result<(), TxError<StoreError>> {
    for reference in references {
        if !exists_row(conn, reference.target)? {
            return Err(missing(reference));
        }
    }
    Ok(())
}

/// Refuses the first reference that points at no row, and share-locks the rows the others
/// point at until the transaction ends, so that none can be deleted before the write commits
/// (see the module documentation). For references no foreign key guards; a write that locks
/// one of these rows exclusively later (a placement its host) must not share-lock it first,
/// or two such writes deadlock, each waiting to upgrade past the other's share.
pub(crate) fn lock_references(
    conn: &mut AnyConnection,
    references: &[Reference],
) -> Result<(), TxError<StoreError>> {
    for reference in references {
        if !lock_row(conn, reference.target, RowLock::Share)? {
            return Err(missing(reference));
        }
    }
    Ok(())
}

fn missing(reference: &Reference) -> TxError<StoreError> {
    StoreError::MissingReference {
        field: reference.field,
        target: reference.target,
    }
    .into()
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
    let counts: Vec<(ResourceKind, i64)> = match (target.kind, target.key) {
        (ResourceKind::Maintainer, RecordKey::Uuid(id)) => vec![(
            ResourceKind::MaintainerGroup,
            count!(maintainer_groups, group_manager_id, id.to_string()),
        )],
        (ResourceKind::Host, RecordKey::Uuid(id)) => vec![(
            ResourceKind::VirtualMachine,
            count!(virtual_machines, host_id, id.to_string()),
        )],
        (ResourceKind::HostGroup, RecordKey::Int(id)) => vec![
            (ResourceKind::Host, count!(hosts, group_id, id)),
            (
                ResourceKind::HostGroupTenantQuota,
                count!(host_group_tenant_quotas, group_id, id),
            ),
        ],
        (ResourceKind::Tenant, RecordKey::Int(id)) => vec![
            (
                ResourceKind::VirtualMachine,
                count!(virtual_machines, tenant_id, id),
            ),
            (
                ResourceKind::K8sCluster,
                count!(k8s_clusters, tenant_id, id),
            ),
            (
                ResourceKind::HostGroupTenantQuota,
                count!(host_group_tenant_quotas, tenant_id, id),
            ),
        ],
        (ResourceKind::VmSpecification, RecordKey::Uuid(id)) => vec![(
            ResourceKind::VirtualMachine,
            count!(virtual_machines, specification_id, id.to_string()),
        )],
        (ResourceKind::K8sCluster, RecordKey::Uuid(id)) => vec![(
            ResourceKind::VirtualMachine,
            count!(virtual_machines, k8s_cluster_id, id.to_string()),
        )],
        // Nothing restricts the delete of the other kinds (associations go along); and a key of
        // the wrong shape names no row, so none can refer to it.
        _ => Vec::new(),
    };
    let mut referrers = Vec::new();
    for (kind, n) in counts {
        let count = row_count(n)?;
        if count > 0 {
            referrers.push(Referrer { kind, count });
        }
    }
    Ok(referrers)
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
    macro_rules! delete_from {
        ($table:ident, $key:expr) => {
            diesel::delete($table::table.find($key)).execute(conn)
        };
    }
    on_row_of!(target, delete_from, Ok(0))
}

/// Deletes `target` in the caller's transaction: refuses while other rows refer to it,
/// otherwise removes its association rows and then the row. `Ok(false)` when absent.
///
/// The row is locked first, so that a write still referring to it (see [`lock_references`])
/// commits before the referrers are counted and the association rows taken.
pub(crate) fn delete_record(
    conn: &mut AnyConnection,
    target: RecordRef,
) -> Result<bool, TxError<StoreError>> {
    if !lock_row(conn, target, RowLock::Update)? {
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
        // Every unique index but the primary key's is a draft's unique key, and ids are fresh
        // UUIDv7s or sequence numbers: a violation the draft cannot explain is no refusal.
        Some((DatabaseErrorKind::UniqueViolation, info)) => match R::unique_key(draft) {
            Some(key) => StoreError::Duplicate {
                kind: R::KIND,
                what: key.what,
            },
            None => unavailable(info.message()),
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
