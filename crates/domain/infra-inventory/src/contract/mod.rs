//! The contract every adapter of [`Repository`](crate::ports::Repository) passes. Each case is
//! a function over a fresh, empty store; [`inventory_contract_tests!`](crate::inventory_contract_tests)
//! turns them into one `#[test]` each for an adapter. A case is a `pub fn` generic over an
//! [`InventoryStore`](crate::ports::InventoryStore) in a file of this module, and a test
//! (`listed.rs`) fails while one is missing from the macro's list.
//!
//! Cases panic on failure, like assertions in a test body.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod crud;
pub mod fixtures;
mod group_bound;
mod helpers;
mod host_capacity;
#[cfg(test)]
mod listed;
mod placements;
mod quota_views;
mod references;
mod tenancy;

pub use crud::*;
pub use group_bound::*;
pub use host_capacity::*;
pub use placements::*;
pub use quota_views::*;
pub use references::*;
pub use tenancy::*;

/// Generates one `#[test]` per contract case. `$make` is expanded inside each test and yields
/// `(guard, store)`: a fresh empty store and whatever must live as long as it (a temporary
/// database). It may `return` to skip a test whose backend is unavailable.
#[macro_export]
macro_rules! inventory_contract_tests {
    ($make:expr) => {
        $crate::inventory_contract_tests!(@cases $make;
            create_assigns_id_and_timestamps,
            get_of_unknown_id_is_none,
            list_filters_counts_and_pages_in_creation_order,
            keyset_pages_walk_every_record_once_in_id_order,
            update_replaces_fields_and_keeps_created_at,
            update_and_delete_of_unknown_id_report_absence,
            duplicate_email_is_refused_ignoring_case,
            own_unique_key_does_not_block_an_update,
            duplicate_pairs_are_refused,
            dangling_references_are_refused_and_nothing_is_stored,
            integer_ids_count_up_per_kind,
            deletes_restrict_while_referenced,
            deletes_take_association_rows_along,
            resource_maintainers_check_polymorphic_references,
            host_available_sets_reservation,
            host_allocation_follows_its_vms,
            host_with_vms_cannot_change_group,
            host_total_cannot_fall_below_allocation,
            host_groups_hold_at_most_the_json_bound,
            placements_claim_host_capacity,
            grouped_hosts_need_a_quota,
            quotas_bound_a_tenants_usage_in_the_group,
            deleting_a_vm_releases_its_claim,
            changing_host_spec_or_tenant_reclaims_atomically,
            lowered_limits_refuse_growth_but_never_evict,
            specifications_in_use_cannot_grow,
            quotas_in_use_cannot_be_removed_or_moved,
            quotas_are_read_with_their_usage_in_one_call,
            a_vms_cluster_belongs_to_its_tenant,
            a_cluster_with_vms_keeps_its_tenant,
            a_vm_never_lands_in_a_cluster_moved_to_another_tenant,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {$(
        #[test]
        fn $case() {
            let (_guard, store) = $make;
            $crate::contract::$case(&store);
        }
    )*};
}
