//! A list of jobs never reads their extra variables: a job whose stored variables cannot be
//! read (as if they were huge) still lists, while its own read fails on them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::DieselStore;
use crate::error::TxError;
use ansible_core::catalog::PageRequest;
use ansible_core::jobs::contract::new_job;
use ansible_core::jobs::{JobQuery, JobRepository, JobStoreError};
use diesel::RunQueryDsl;

fn lists_skip_the_extra_vars(store: &DieselStore) {
    let job = store.enqueue(&new_job(1, &[1, 2], 0)).unwrap();
    store
        .write(|conn| {
            diesel::sql_query("UPDATE jobs SET extra_vars = 'not json'")
                .execute(conn)
                .map_err(TxError::<JobStoreError>::Db)
        })
        .unwrap();
    assert!(
        matches!(store.get(&job.id), Err(JobStoreError::Unavailable(m)) if m.contains("extra vars")),
        "the job's own read reads them"
    );
    let query = JobQuery {
        status: None,
        playbook: None,
        inventory: None,
        page: PageRequest {
            page: 1,
            per_page: 10,
        },
    };
    let page = store.list(&query).unwrap();
    assert_eq!(page.items, vec![job.summary()]);
}

#[test]
fn sqlite() {
    let (_file, store) = crate::fixtures::sqlite();
    lists_skip_the_extra_vars(&store);
}

#[test]
fn postgres() {
    let Some((_db, store)) = crate::fixtures::postgres() else {
        return;
    };
    lists_skip_the_extra_vars(&store);
}
