//! run_one with the scripted runner: what each way a run can go leaves behind.

use super::*;
use crate::jobs::memory::{Script, Step};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

fn act(f: impl Fn() + Send + Sync + 'static) -> Step {
    Step::Act(Arc::new(f))
}

fn recap(exit_code: i32) -> PlaybookResult {
    let mut host_stats = HostStatsByHost::new();
    host_stats.insert(
        "web1".into(),
        HostStats {
            ok: 2,
            changed: 1,
            failed: u64::from(exit_code != 0),
            ..HostStats::default()
        },
    );
    PlaybookResult {
        exit_code,
        host_stats,
    }
}

fn script(exit_code: i32, output: &[&str]) -> Script {
    Script {
        end: Ok(recap(exit_code)),
        ..Script::exits(exit_code, output)
    }
}

#[test]
fn a_successful_run_stores_output_results_and_the_catalogue_status() {
    let hub = hub();
    hub.runner.script(
        hub.playbooks[0],
        script(0, &["PLAY [all]\n", "ok: [web1]\n"]),
    );
    let job = hub.execute(1);
    let report = hub.run();
    assert_eq!(
        (report.job.clone(), report.end, report.unrecorded.len()),
        (job.id.clone(), RunEnd::Ended(JobStatus::Completed), 0)
    );
    let done = hub.job(&job);
    assert_eq!(
        (done.status, statuses(&done), done.lease.clone()),
        (JobStatus::Completed, vec![PlaybookRunStatus::Success], None)
    );
    let run = &done.playbooks[0];
    assert_eq!(
        (run.exit_code, run.host_stats.clone()),
        (Some(0), recap(0).host_stats)
    );
    assert!(run.started_at.is_some() && run.completed_at.is_some());
    assert_eq!(hub.output(&job, 0), "PLAY [all]\nok: [web1]\n");
    assert!(
        hub.service
            .output(&job.id, hub.playbooks[0], 0)
            .unwrap()
            .complete
    );
    let playbook = hub.catalog.get_playbook(hub.playbooks[0]).unwrap().unwrap();
    assert_eq!(
        (playbook.status, playbook.last_run_at),
        (RunStatus::Success, run.completed_at)
    );
    assert_eq!(hub.runner.runs()[0].timeout, Duration::from_secs(3600));
    assert!(hub.idle(), "nothing left");
}

#[test]
fn a_failing_playbook_does_not_stop_the_next() {
    let hub = hub();
    hub.runner
        .script(hub.playbooks[0], script(2, &["fatal: [web1]: FAILED!\n"]));
    hub.runner.script(hub.playbooks[1], script(0, &["ok\n"]));
    let job = hub.execute(2);
    assert_eq!(hub.run().end, RunEnd::Ended(JobStatus::Completed));
    let done = hub.job(&job);
    assert_eq!(
        statuses(&done),
        vec![PlaybookRunStatus::Failed, PlaybookRunStatus::Success]
    );
    assert_eq!(done.playbooks[0].exit_code, Some(2));
    assert_eq!(
        (hub.catalog_status(0), hub.catalog_status(1)),
        (RunStatus::Fail, RunStatus::Success)
    );
}

#[test]
fn a_cancel_mid_run_cancels_the_running_playbook_and_skips_the_rest() {
    let hub = hub();
    let job = hub.execute(3);
    let (jobs, clock, id) = (hub.jobs.clone(), hub.clock.clone(), job.id.clone());
    hub.runner.script(
        hub.playbooks[1],
        Script {
            steps: vec![
                Step::Output("TASK [deploy]\n".into()),
                act(move || {
                    jobs.request_cancel(&id, clock.now()).unwrap();
                    // Time passes until the next renewal, which carries the request.
                    clock.advance(TimeDelta::seconds(2));
                }),
                Step::WaitForCancel,
            ],
            end: Ok(recap(0)),
        },
    );
    assert_eq!(hub.run().end, RunEnd::Ended(JobStatus::Canceled));
    let done = hub.job(&job);
    assert_eq!(
        statuses(&done),
        vec![
            PlaybookRunStatus::Success,
            PlaybookRunStatus::Canceled,
            PlaybookRunStatus::Skipped
        ]
    );
    assert_eq!(done.playbooks[1].exit_code, None);
    assert_eq!(hub.runner.runs().len(), 2, "the third playbook never ran");
    assert_eq!(
        hub.output(&job, 1),
        "TASK [deploy]\n[control-hub] the job was canceled on request\n"
    );
    assert_eq!(
        (
            hub.catalog_status(0),
            hub.catalog_status(1),
            hub.catalog_status(2)
        ),
        (RunStatus::Success, RunStatus::Fail, RunStatus::NotStart)
    );
}

#[test]
fn a_missing_runner_fails_the_job_naming_the_setting() {
    let hub = hub_with(
        FakeRunner::missing("/opt/ansible/bin/ansible-playbook"),
        JobSettings::default(),
    );
    let job = hub.execute(2);
    assert_eq!(hub.run().end, RunEnd::Ended(JobStatus::Failed));
    let done = hub.job(&job);
    assert_eq!(
        statuses(&done),
        vec![PlaybookRunStatus::Failed, PlaybookRunStatus::Skipped]
    );
    let output = hub.output(&job, 0);
    assert!(
        output.contains("HUB_ANSIBLE_PLAYBOOK")
            && output.contains("/opt/ansible/bin/ansible-playbook"),
        "{output}"
    );
    assert_eq!(hub.runner.runs().len(), 1);
    assert_eq!(
        (hub.catalog_status(0), hub.catalog_status(1)),
        (RunStatus::Fail, RunStatus::NotStart)
    );
}

#[test]
fn a_lost_lease_stops_the_run_and_writes_nothing_more() {
    let hub = hub();
    let (jobs, clock) = (hub.jobs.clone(), hub.clock.clone());
    hub.runner.script(
        hub.playbooks[0],
        Script {
            steps: vec![
                Step::Output("before\n".into()),
                // The server seems gone to the others: another server's reaper ends the job.
                act(move || {
                    clock.advance(lease() + TimeDelta::seconds(1));
                    jobs.reap(clock.now()).unwrap();
                }),
                Step::Output("after\n".into()),
            ],
            end: Ok(recap(0)),
        },
    );
    let job = hub.execute(2);
    assert_eq!(hub.run().end, RunEnd::LeaseLost);
    let reaped = hub.job(&job);
    assert_eq!(
        (reaped.status, statuses(&reaped)),
        (
            JobStatus::Failed,
            vec![PlaybookRunStatus::Failed, PlaybookRunStatus::Skipped]
        )
    );
    assert_eq!(
        hub.output(&job, 0),
        format!("before\n[control-hub] {SERVER_STOPPED}\n")
    );
    assert_eq!(hub.runner.runs().len(), 1, "the next playbook never ran");
}

#[test]
fn a_shutdown_kills_the_run_and_fails_the_job_at_once() {
    let hub = hub();
    let shutdown = Arc::new(AtomicBool::new(false));
    let signal = Arc::clone(&shutdown);
    hub.runner.script(
        hub.playbooks[0],
        Script {
            steps: vec![
                Step::Output("TASK [long]\n".into()),
                act(move || signal.store(true, Ordering::SeqCst)),
                Step::WaitForCancel,
            ],
            end: Ok(recap(0)),
        },
    );
    let job = hub.execute(2);
    assert_eq!(
        hub.run_until(&shutdown).end,
        RunEnd::Ended(JobStatus::Failed)
    );
    let done = hub.job(&job);
    assert_eq!(
        statuses(&done),
        vec![PlaybookRunStatus::Failed, PlaybookRunStatus::Skipped]
    );
    assert_eq!(
        hub.output(&job, 0),
        format!("TASK [long]\n[control-hub] {SERVER_STOPPED}\n")
    );
    assert_eq!(hub.runner.runs().len(), 1);
}

#[test]
fn a_long_run_keeps_its_lease_by_renewing() {
    let hub = hub();
    let mut steps = Vec::new();
    for _ in 0..6 {
        let (jobs, clock) = (hub.jobs.clone(), hub.clock.clone());
        steps.push(act(move || {
            clock.advance(TimeDelta::seconds(10));
            // Another server's reaper finds the lease alive each time.
            assert_eq!(jobs.reap(clock.now()).unwrap(), Vec::<JobId>::new());
        }));
        steps.push(Step::Output("tick\n".into()));
    }
    hub.runner.script(
        hub.playbooks[0],
        Script {
            steps,
            end: Ok(recap(0)),
        },
    );
    let job = hub.execute(1);
    assert_eq!(hub.run().end, RunEnd::Ended(JobStatus::Completed));
    assert_eq!(hub.output(&job, 0), "tick\n".repeat(6));
}

#[test]
fn the_time_limit_spans_the_whole_job() {
    let settings = JobSettings {
        timeout: TimeDelta::seconds(10),
        ..JobSettings::default()
    };
    let hub = hub_with(FakeRunner::new(), settings);
    let clock = hub.clock.clone();
    hub.runner.script(
        hub.playbooks[0],
        Script {
            steps: vec![act(move || clock.advance(TimeDelta::seconds(11)))],
            end: Ok(recap(0)),
        },
    );
    let job = hub.execute(2);
    assert_eq!(hub.run().end, RunEnd::Ended(JobStatus::Failed));
    let done = hub.job(&job);
    assert_eq!(
        statuses(&done),
        vec![PlaybookRunStatus::Success, PlaybookRunStatus::Skipped]
    );
    assert!(hub.output(&job, 1).contains("time limit of 10 s"));

    // A runner that times out itself ends the job the same way.
    let hub = hub_with(FakeRunner::new(), JobSettings::default());
    hub.runner.script(
        hub.playbooks[0],
        Script {
            steps: vec![Step::Output("TASK [slow]\n".into())],
            end: Err(RunFailure::TimedOut),
        },
    );
    let job = hub.execute(2);
    assert_eq!(hub.run().end, RunEnd::Ended(JobStatus::Failed));
    assert_eq!(
        statuses(&hub.job(&job)),
        vec![PlaybookRunStatus::Failed, PlaybookRunStatus::Skipped]
    );
    assert!(hub.output(&job, 0).contains("HUB_JOB_TIMEOUT_SECS"));
}

#[test]
fn the_reaper_fails_orphans_and_the_catalogue_follows() {
    let hub = hub();
    let job = hub.execute(2);
    // Claimed by a server that then died.
    let gone = WorkerId::new("gone:1:0").unwrap();
    let now = hub.clock.now();
    hub.jobs.claim(&gone, now, lease()).unwrap();
    hub.jobs
        .record_playbook_start(&job.id, &gone, hub.playbooks[0], now)
        .unwrap();
    assert_eq!(hub.service.reap().unwrap().jobs, Vec::<JobId>::new());
    hub.clock.advance(lease() + TimeDelta::seconds(1));
    let report = hub.service.reap().unwrap();
    assert_eq!(
        (report.jobs, report.unrecorded.len()),
        (vec![job.id.clone()], 0)
    );
    assert_eq!(hub.job(&job).status, JobStatus::Failed);
    assert_eq!(
        (hub.catalog_status(0), hub.catalog_status(1)),
        (RunStatus::Fail, RunStatus::NotStart)
    );
    assert!(hub.idle(), "never re-run");
}

#[test]
fn the_reaper_ends_what_runs_of_finished_jobs_left_here_and_nothing_else() {
    let hub = hub();
    // A killed server left processes of its run; its job is reaped in this very pass.
    let reaped = hub.execute(1);
    let gone = WorkerId::new("gone:1:0").unwrap();
    hub.jobs.claim(&gone, hub.clock.now(), lease()).unwrap();
    // A job that ran to its end here, whose directory is still on disk.
    let finished = hub.execute(1);
    assert_eq!(hub.run().job, finished.id);
    // A job still running under a live lease elsewhere, and one this hub never had.
    let running = hub.execute(1);
    let alive = WorkerId::new("alive:1:0").unwrap();
    hub.clock.advance(lease() + TimeDelta::seconds(1));
    hub.jobs.claim(&alive, hub.clock.now(), lease()).unwrap();
    let foreign = JobId::generate();
    for (job, processes) in [
        (&reaped.id, 3),
        (&finished.id, 0),
        (&running.id, 2),
        (&foreign, 1),
    ] {
        hub.runner.leave_behind(job, processes);
    }

    let report = hub.service.reap().unwrap();

    assert_eq!(report.jobs, vec![reaped.id.clone()]);
    let mut strays = report.strays.clone();
    strays.sort();
    let mut expected = vec![(reaped.id.clone(), 3), (finished.id.clone(), 0)];
    expected.sort();
    assert_eq!(strays, expected);
    assert!(report.stray_failures.is_empty());
    let ended = hub.runner.ended_strays();
    assert!(
        !ended.contains(&running.id),
        "a live run is never cut short"
    );
    assert!(!ended.contains(&foreign), "another hub's run is left alone");
    assert_eq!(hub.job(&running).status, JobStatus::Running);
}

#[test]
fn output_past_the_cap_is_cut_with_the_marker() {
    let settings = JobSettings {
        output_cap: 8,
        ..JobSettings::default()
    };
    let hub = hub_with(FakeRunner::new(), settings);
    hub.runner
        .script(hub.playbooks[0], script(0, &["0123456789\n", "dropped\n"]));
    let job = hub.execute(1);
    hub.run();
    assert_eq!(
        hub.output(&job, 0),
        format!("01234567\n{}", truncation_marker(8))
    );
    assert!(hub.job(&job).playbooks[0].output_truncated);
}

#[test]
fn each_run_gets_the_trusted_host_keys() {
    use crate::connectivity::memory::MemoryKnownHosts;
    use crate::connectivity::{HostKey, KnownHostRepository, NewKnownHost};
    let known = MemoryKnownHosts::new();
    let key = HostKey {
        key_type: "ssh-ed25519".into(),
        key_base64: "AAAAC3NzaC1lZDI1NTE5AAAAIHub".into(),
        fingerprint: "SHA256:x".into(),
    };
    let seen_at = Utc.timestamp_opt(1_736_510_400, 0).unwrap();
    known
        .trust_first_seen(&NewKnownHost {
            address: "10.0.0.5".into(),
            port: 2222,
            key,
            seen_at,
        })
        .unwrap();
    let mut hub = hub();
    hub.service = JobService::new(
        hub.jobs.clone(),
        hub.catalog.clone(),
        Arc::new(hub.runner.clone()),
        Arc::new(hub.clock.clone()),
        JobSettings::default(),
    )
    .with_known_hosts(Arc::new(known));
    hub.execute(2);
    assert_eq!(hub.run().end, RunEnd::Ended(JobStatus::Completed));
    let runs = hub.runner.runs();
    assert_eq!(runs.len(), 2);
    for run in &runs {
        assert_eq!(
            run.known_hosts.as_deref(),
            Some("[10.0.0.5]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHub\n")
        );
    }
    // Without a store of keys the runner uses its own file.
    let plain = hub_with(FakeRunner::new(), JobSettings::default());
    plain.execute(1);
    plain.run();
    assert_eq!(plain.runner.runs()[0].known_hosts, None);
}
