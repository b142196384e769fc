//! Execute: what a job takes from the catalogue, and when it refuses.

use super::*;
use crate::catalog::InventoryDraft;

#[test]
fn a_job_keeps_what_the_catalogue_held_when_it_was_queued() {
    let hub = hub();
    let mut vars = ansible_syntax::Mapping::new();
    vars.insert("env".into(), ansible_syntax::Value::String("prod".into()));
    let request = ExecuteRequest::parse(
        Some(vec![hub.playbooks[1].0, hub.playbooks[0].0]),
        Some(hub.inventory.0),
        Some(ansible_syntax::Value::Map(vars)),
    )
    .unwrap();
    let job = hub.service.execute(request).unwrap();
    assert_eq!(job.status, JobStatus::Queued);
    assert_eq!(
        job.playbooks
            .iter()
            .map(|r| (r.name.as_str(), r.status))
            .collect::<Vec<_>>(),
        vec![
            ("Deploy", PlaybookRunStatus::Queued),
            ("Ping", PlaybookRunStatus::Queued)
        ]
    );
    let before = hub.jobs.snapshot(&job.id).unwrap().unwrap();
    let rendered = hub
        .catalog
        .get_playbook(hub.playbooks[1])
        .unwrap()
        .unwrap()
        .render()
        .unwrap();
    assert_eq!(before.playbooks[0].text, rendered);

    // Edits after execute do not reach the queued job.
    hub.catalog
        .update_playbook(
            hub.playbooks[1],
            &playbook("Deploy v2", &[(None, "ping: {}")]),
        )
        .unwrap();
    let other = InventoryDraft::parse(Some("Lab".into()), None, Some("db9\n".into())).unwrap();
    hub.catalog.update_inventory(hub.inventory, &other).unwrap();
    hub.run();
    let runs = hub.runner.runs();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].playbook_text, rendered);
    assert_eq!(runs[0].inventory, before.inventory);
    assert!(runs[0].inventory.contains("web1"));
    assert_eq!(runs[0].extra_vars_json, r#"{"env":"prod"}"#);
    assert_eq!(hub.job(&job).playbooks[0].name, "Deploy");
}

#[test]
fn no_inventory_named_runs_on_the_only_one_or_is_refused() {
    let hub = hub();
    let request = || ExecuteRequest::parse(Some(vec![hub.playbooks[0].0]), None, None).unwrap();
    assert_eq!(
        hub.service.execute(request()).unwrap().inventory,
        hub.inventory
    );
    hub.catalog.create_inventory(&inventory("Second")).unwrap();
    assert_eq!(
        hub.service.execute(request()),
        Err(JobError::InventoryRequired)
    );
    let empty = hub_with(FakeRunner::new(), JobSettings::default());
    empty.catalog.delete_inventory(empty.inventory).unwrap();
    let request = ExecuteRequest::parse(Some(vec![empty.playbooks[0].0]), None, None).unwrap();
    assert_eq!(
        empty.service.execute(request),
        Err(JobError::InventoryRequired)
    );
}

#[test]
fn unknown_references_are_not_found_and_nothing_is_queued() {
    let hub = hub();
    let request = ExecuteRequest::parse(
        Some(vec![hub.playbooks[0].0, 404]),
        Some(hub.inventory.0),
        None,
    );
    assert_eq!(
        hub.service.execute(request.unwrap()),
        Err(JobError::PlaybookNotFound(PlaybookId(404)))
    );
    let request = ExecuteRequest::parse(Some(vec![hub.playbooks[0].0]), Some(404), None);
    assert_eq!(
        hub.service.execute(request.unwrap()),
        Err(JobError::InventoryNotFound(InventoryId(404)))
    );
    assert!(hub.idle());
}

#[test]
fn cancels_answer_for_each_state() {
    let hub = hub();
    let queued = hub.execute(1);
    assert!(hub.service.inventory_in_use(hub.inventory).unwrap());
    let canceled = hub.service.cancel(&queued.id).unwrap();
    assert_eq!(
        (canceled.status, statuses(&canceled)),
        (JobStatus::Canceled, vec![PlaybookRunStatus::Skipped])
    );
    assert!(!hub.service.inventory_in_use(hub.inventory).unwrap());
    assert_eq!(
        hub.service.cancel(&queued.id),
        Err(JobError::NotCancelable {
            id: queued.id.clone(),
            status: JobStatus::Canceled
        })
    );
    let unknown = JobId::generate();
    assert_eq!(
        hub.service.cancel(&unknown),
        Err(JobError::JobNotFound(unknown.to_string()))
    );
    assert!(hub.idle(), "never runs");
    assert_eq!(
        hub.service.output(&queued.id, PlaybookId(404), 0),
        Err(JobError::PlaybookNotFound(PlaybookId(404)))
    );
    assert_eq!(
        hub.service.output(&unknown, hub.playbooks[0], 0),
        Err(JobError::JobNotFound(unknown.to_string()))
    );
}

#[test]
fn an_execute_wakes_the_idle_workers() {
    let hub = hub();
    let wakeup = hub.service.wakeup();
    let seen = wakeup.rings();
    assert!(!wakeup.wait(seen, std::time::Duration::ZERO));
    hub.execute(1);
    assert!(wakeup.wait(seen, std::time::Duration::ZERO), "rung");
}
