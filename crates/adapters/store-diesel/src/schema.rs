//! The tables, as the migrations in `migrations/` create them on both backends.

diesel::table! {
    api_tokens (id) {
        id -> Text,
        name -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    maintainers (id) {
        id -> Text,
        name -> Text,
        email -> Text,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    maintainer_groups (id) {
        id -> Text,
        name -> Text,
        group_manager_id -> Nullable<Text>,
        description -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    maintainer_group_members (id) {
        id -> Text,
        group_id -> Text,
        maintainer_id -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    resource_maintainers (id) {
        id -> Text,
        resource_type -> Text,
        resource_id -> Text,
        maintainer_type -> Text,
        maintainer_id -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    host_groups (id) {
        id -> BigInt,
        name -> Text,
        description -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    tenants (id) {
        id -> BigInt,
        name -> Text,
        description -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    hosts (id) {
        id -> Text,
        name -> Text,
        status -> Text,
        total_cpu -> BigInt,
        total_memory -> BigInt,
        total_storage -> BigInt,
        reserved_cpu -> BigInt,
        reserved_memory -> BigInt,
        reserved_storage -> BigInt,
        group_id -> Nullable<BigInt>,
        region -> Nullable<Text>,
        dc -> Nullable<Text>,
        room -> Nullable<Text>,
        rack -> Nullable<Text>,
        external_system_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    vm_specifications (id) {
        id -> Text,
        name -> Text,
        required_cpu -> BigInt,
        required_memory -> BigInt,
        required_storage -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    k8s_clusters (id) {
        id -> Text,
        name -> Text,
        tenant_id -> BigInt,
        description -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    virtual_machines (id) {
        id -> Text,
        name -> Text,
        tenant_id -> BigInt,
        host_id -> Text,
        specification_id -> Text,
        k8s_cluster_id -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    host_group_tenant_quotas (id) {
        id -> Text,
        group_id -> BigInt,
        tenant_id -> BigInt,
        cpu_quota_percentage -> Double,
        memory_quota -> BigInt,
        storage_quota -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(virtual_machines -> vm_specifications (specification_id));
diesel::joinable!(virtual_machines -> hosts (host_id));
diesel::allow_tables_to_appear_in_same_query!(
    api_tokens,
    maintainers,
    maintainer_groups,
    maintainer_group_members,
    resource_maintainers,
    host_groups,
    tenants,
    hosts,
    vm_specifications,
    k8s_clusters,
    virtual_machines,
    host_group_tenant_quotas,
);

// Usage sums group VMs by their tenant and their host's group.
diesel::allow_columns_to_appear_in_same_group_by_clause!(
    virtual_machines::tenant_id,
    hosts::group_id
);

diesel::table! {
    inventories (id) {
        id -> BigInt,
        name -> Text,
        group_name -> Text,
        config -> Text,
        status -> Text,
        ssh_status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        sealed_config -> Nullable<Text>,
        name_folded -> Nullable<Text>,
        last_tested_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    ssh_known_hosts (id) {
        id -> BigInt,
        address -> Text,
        port -> Integer,
        key_type -> Text,
        key_base64 -> Text,
        fingerprint -> Text,
        first_seen_at -> Timestamp,
    }
}

diesel::table! {
    secret_key_check (id) {
        id -> Integer,
        key_id -> Text,
        sealed -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    playbooks (id) {
        id -> BigInt,
        name -> Text,
        kind -> Text,
        status -> Text,
        main -> Text,
        tasks -> Text,
        next_task_id -> BigInt,
        last_run_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        name_folded -> Nullable<Text>,
    }
}

diesel::table! {
    jobs (id) {
        id -> Text,
        seq -> BigInt,
        inventory_id -> BigInt,
        status -> Text,
        created_at -> Timestamp,
        started_at -> Nullable<Timestamp>,
        completed_at -> Nullable<Timestamp>,
        extra_vars -> Text,
        sealed_inventory -> Text,
        lease_worker -> Nullable<Text>,
        lease_expires_at -> Nullable<Timestamp>,
        cancel_requested -> Bool,
    }
}

diesel::table! {
    job_playbooks (job_id, position) {
        job_id -> Text,
        position -> Integer,
        playbook_id -> BigInt,
        name -> Text,
        status -> Text,
        started_at -> Nullable<Timestamp>,
        completed_at -> Nullable<Timestamp>,
        exit_code -> Nullable<Integer>,
        host_stats -> Text,
        output_bytes -> BigInt,
        output_truncated -> Bool,
        playbook_text -> Text,
    }
}

diesel::table! {
    job_output (job_id, seq) {
        job_id -> Text,
        seq -> BigInt,
        playbook_id -> BigInt,
        byte_offset -> BigInt,
        text -> Text,
    }
}

diesel::joinable!(job_playbooks -> jobs (job_id));
diesel::allow_tables_to_appear_in_same_query!(jobs, job_playbooks);

diesel::table! {
    ai_conversations (id) {
        id -> Text,
        title -> Text,
        inventory_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    ai_messages (id) {
        id -> Text,
        conversation_id -> Text,
        position -> BigInt,
        is_user -> Bool,
        text -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(ai_messages -> ai_conversations (conversation_id));
diesel::allow_tables_to_appear_in_same_query!(ai_conversations, ai_messages);
