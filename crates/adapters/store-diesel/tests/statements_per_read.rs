//! Each read is the statements its design says, counted by diesel's own instrumentation on
//! the thread that reads: one for a host with its allocation, a quota with its usage or a VM;
//! a list page is its page and, unless the count is kept, its count. A read split into
//! several statements again (a row, then its sums) fails here, on both backends.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use diesel::connection::{Instrumentation, InstrumentationEvent, set_default_instrumentation};
use infra_inventory::PageRequest;
use infra_inventory::contract::fixtures::{host, placement, vm};
use infra_inventory::ports::{Repository, UsageReader};
use infra_inventory::resources::*;
use std::cell::Cell;
use std::sync::Once;

thread_local! {
    /// Statements started on this thread's connections' behalf, by whichever connection.
    static STATEMENTS: Cell<u32> = const { Cell::new(0) };
}

fn counting() -> Option<Box<dyn Instrumentation>> {
    Some(Box::new(|event: InstrumentationEvent<'_>| {
        if matches!(event, InstrumentationEvent::StartQuery { .. }) {
            STATEMENTS.with(|n| n.set(n.get() + 1));
        }
    }))
}

/// Every connection opened from now on counts its statements.
fn count_statements() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| set_default_instrumentation(counting).expect("instrumentation set"));
}

/// What `read` returns, and how many statements it ran on this thread.
fn statements<T>(read: impl FnOnce() -> T) -> (T, u32) {
    let before = STATEMENTS.with(Cell::get);
    let value = read();
    (value, STATEMENTS.with(Cell::get) - before)
}

fn first_page() -> PageRequest {
    PageRequest {
        page: 1,
        per_page: 10,
        after: None,
    }
}

fn reads_cost_what_they_should(fresh: &support::Fresh) {
    let store = &fresh.store;
    let p = placement(store, 8, 2);
    let placed: VirtualMachine = store.create(&vm(p.tenant, p.host, p.spec)).unwrap();
    let _loose: Host = store.create(&host(None, 4, 1024, 10)).unwrap();

    let (found, n) = statements(|| Repository::<Host>::get(store, p.host).unwrap());
    assert_eq!(found.expect("stored").capacity.allocated.cpu, 2);
    assert_eq!(n, 1, "a host with its allocation");

    let (found, n) = statements(|| store.quota_with_usage(p.quota).unwrap());
    assert_eq!(found.expect("stored").usage.used.cpu, 2);
    assert_eq!(n, 1, "a quota with its usage");

    let (found, n) = statements(|| Repository::<VirtualMachine>::get(store, placed.id).unwrap());
    assert!(found.is_some());
    assert_eq!(n, 1, "a VM");

    // A page and its count, then the page alone while the count is kept.
    let hosts = HostFilter::default();
    let (page, n) = statements(|| Repository::<Host>::list(store, &hosts, first_page()).unwrap());
    assert_eq!((page.total, n), (2, 2), "the first host page and its count");
    let (page, n) = statements(|| Repository::<Host>::list(store, &hosts, first_page()).unwrap());
    assert_eq!((page.total, n), (2, 1), "a host page, its count kept");
    assert_eq!(
        page.items[0].capacity.allocated.cpu + page.items[1].capacity.allocated.cpu,
        2
    );

    let quotas = QuotaFilter::default();
    let (page, n) = statements(|| store.quotas_with_usage(&quotas, first_page()).unwrap());
    assert_eq!(
        (page.total, n),
        (1, 2),
        "the first quota page and its count"
    );
    let (page, n) = statements(|| store.quotas_with_usage(&quotas, first_page()).unwrap());
    assert_eq!((page.total, n), (1, 1), "a quota page, its count kept");
    assert_eq!(page.items[0].usage.group_total_cpu, 8);
}

#[test]
fn sqlite_reads_are_one_statement_each() {
    count_statements();
    reads_cost_what_they_should(&support::Fresh::sqlite());
}

#[test]
fn postgres_reads_are_one_statement_each() {
    count_statements();
    let Some(fresh) = support::Fresh::postgres() else {
        return;
    };
    reads_cost_what_they_should(&fresh);
}
