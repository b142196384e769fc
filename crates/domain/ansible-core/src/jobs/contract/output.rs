//! Output: appended in chunks, capped, read from an offset, resumed after a sequence number.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

const CAP: u64 = 1024;

pub fn output_is_appended_and_read_from_an_offset<S: JobStore>(store: &S) {
    let job = running(store, &[1, 2]);
    let w1 = worker("w1");
    let append =
        |playbook, text| store.append_output(&job.id, &w1, PlaybookId(playbook), text, CAP);
    assert_eq!(
        append(1, "PLAY [all]\n"),
        Ok(Appended::Stored {
            seq: 1,
            truncated: false
        })
    );
    assert_eq!(
        append(1, "ok: [wéb1]\n"),
        Ok(Appended::Stored {
            seq: 2,
            truncated: false
        })
    );
    let whole = "PLAY [all]\nok: [wéb1]\n";
    let len = whole.len() as u64;
    assert_eq!(
        store.read_output(&job.id, PlaybookId(1), 0).unwrap(),
        Some(OutputRead {
            text: whole.to_owned(),
            next_offset: len,
            complete: false
        })
    );
    let from_11 = store
        .read_output(&job.id, PlaybookId(1), 11)
        .unwrap()
        .unwrap();
    assert_eq!(
        (from_11.text.as_str(), from_11.next_offset),
        ("ok: [wéb1]\n", len)
    );
    // Byte 18 is inside "é": the read starts at the next character.
    let inside = store
        .read_output(&job.id, PlaybookId(1), 18)
        .unwrap()
        .unwrap();
    assert_eq!(inside.text, "b1]\n");
    let past = store
        .read_output(&job.id, PlaybookId(1), len + 5)
        .unwrap()
        .unwrap();
    assert_eq!((past.text.as_str(), past.next_offset), ("", len));
    assert_eq!(
        store.get(&job.id).unwrap().unwrap().playbooks[0].output_bytes,
        len
    );
    assert_eq!(
        append(2, "early"),
        Err(JobStoreError::Illegal(IllegalTransition::NotRunning(
            PlaybookId(2)
        ))),
        "a playbook that has not started takes no output"
    );
    assert_eq!(
        store.read_output(&job.id, PlaybookId(2), 0).unwrap(),
        Some(OutputRead {
            text: String::new(),
            next_offset: 0,
            complete: false
        })
    );
    store
        .record_playbook_finish(&job.id, &w1, PlaybookId(1), &exit(0), at(3))
        .unwrap();
    assert!(
        output_of(store, &job.id, 1).complete,
        "a finished run's output is complete"
    );
    assert_eq!(
        append(1, "late"),
        Err(JobStoreError::Illegal(IllegalTransition::NotRunning(
            PlaybookId(1)
        )))
    );
    assert_eq!(store.read_output(&job.id, PlaybookId(9), 0).unwrap(), None);
    assert_eq!(
        store
            .read_output(&JobId::generate(), PlaybookId(1), 0)
            .unwrap(),
        None
    );
}

pub fn output_is_capped_with_a_visible_marker<S: JobStore>(store: &S) {
    let job = running(store, &[1, 2]);
    let w1 = worker("w1");
    let append = |playbook, text| store.append_output(&job.id, &w1, PlaybookId(playbook), text, 16);
    assert_eq!(
        append(1, "0123456789"),
        Ok(Appended::Stored {
            seq: 1,
            truncated: false
        })
    );
    assert_eq!(
        append(1, "abcdefghij"),
        Ok(Appended::Stored {
            seq: 2,
            truncated: true
        })
    );
    assert_eq!(append(1, "more"), Ok(Appended::Dropped));
    let expected = format!("0123456789abcdef\n{}", truncation_marker(16));
    let out = output_of(store, &job.id, 1);
    assert_eq!(out.text, expected);
    let run = store.get(&job.id).unwrap().unwrap().playbooks[0].clone();
    assert_eq!(
        (run.output_bytes, run.output_truncated),
        (expected.len() as u64, true)
    );
    // The cap is per playbook; NUL never reaches the store.
    store
        .record_playbook_finish(&job.id, &w1, PlaybookId(1), &exit(0), at(3))
        .unwrap();
    store
        .record_playbook_start(&job.id, &w1, PlaybookId(2), at(4))
        .unwrap();
    append(2, "a\0b").unwrap();
    assert_eq!(output_of(store, &job.id, 2).text, "a\u{fffd}b");
    assert!(!store.get(&job.id).unwrap().unwrap().playbooks[1].output_truncated);
}

pub fn chunks_resume_after_a_sequence_number<S: JobStore>(store: &S) {
    let job = running(store, &[1, 2]);
    let w1 = worker("w1");
    store
        .append_output(&job.id, &w1, PlaybookId(1), "a1", CAP)
        .unwrap();
    store
        .append_output(&job.id, &w1, PlaybookId(1), "a2", CAP)
        .unwrap();
    store
        .record_playbook_finish(&job.id, &w1, PlaybookId(1), &exit(0), at(3))
        .unwrap();
    store
        .record_playbook_start(&job.id, &w1, PlaybookId(2), at(4))
        .unwrap();
    store
        .append_output(&job.id, &w1, PlaybookId(2), "b1", CAP)
        .unwrap();
    let after = |seq, limit| store.output_chunks_after(&job.id, seq, limit).unwrap();
    assert_eq!(
        after(0, 10),
        vec![
            OutputChunk {
                seq: 1,
                playbook: PlaybookId(1),
                offset: 0,
                text: "a1".into()
            },
            OutputChunk {
                seq: 2,
                playbook: PlaybookId(1),
                offset: 2,
                text: "a2".into()
            },
            OutputChunk {
                seq: 3,
                playbook: PlaybookId(2),
                offset: 0,
                text: "b1".into()
            },
        ]
    );
    assert_eq!(
        after(2, 10).iter().map(|c| c.seq).collect::<Vec<_>>(),
        vec![3]
    );
    assert_eq!(
        after(0, 2).iter().map(|c| c.seq).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(after(3, 10), Vec::new());
    assert_eq!(
        store
            .output_chunks_after(&JobId::generate(), 0, 10)
            .unwrap(),
        Vec::new()
    );
}

pub fn endings_write_their_notice_past_the_cap<S: JobStore>(store: &S) {
    let job = running(store, &[1, 2]);
    let w1 = worker("w1");
    store
        .append_output(&job.id, &w1, PlaybookId(1), "abcdefgh", 4)
        .unwrap();
    let ended = store
        .finish_job(&job.id, &w1, &JobEnd::Failed("boom".into()), at(5))
        .unwrap();
    assert_eq!(
        statuses(&ended),
        vec![PlaybookRunStatus::Failed, PlaybookRunStatus::Skipped]
    );
    let out = output_of(store, &job.id, 1);
    assert_eq!(
        out.text,
        format!("abcd\n{}[control-hub] boom\n", truncation_marker(4))
    );
    assert!(out.complete);
    assert_eq!(ended.playbooks[0].output_bytes, out.next_offset);
    let chunks = store.output_chunks_after(&job.id, 0, 10).unwrap();
    assert_eq!(
        chunks.iter().map(|c| c.seq).collect::<Vec<_>>(),
        vec![1, 2],
        "the notice is a chunk of its own, so live readers see it"
    );
    assert_eq!(chunks[1].text, "[control-hub] boom\n");
}

pub fn a_detail_has_the_last_part_of_each_output<S: JobStore>(store: &S) {
    let job = running(store, &[1, 2]);
    let w1 = worker("w1");
    let append = |text| store.append_output(&job.id, &w1, PlaybookId(1), text, CAP);
    append("0123456789\n").unwrap();
    append("ab€\n").unwrap();
    let whole = "0123456789\nab€\n";
    let detail = |tail| store.detail(&job.id, tail).unwrap().expect("the job");
    let all = detail(1000);
    assert_eq!(all.job, store.get(&job.id).unwrap().unwrap());
    assert_eq!(
        all.outputs,
        vec![
            OutputTail {
                text: whole.to_owned(),
                offset: 0
            },
            OutputTail {
                text: String::new(),
                offset: 0
            },
        ],
        "one tail per playbook, in the job's order; none written is empty"
    );
    let tails = |tail| {
        detail(tail)
            .outputs
            .into_iter()
            .map(|t| (t.text, t.offset))
            .next()
            .unwrap()
    };
    // The last 8 bytes reach back into the first chunk.
    assert_eq!(tails(8), ("9\nab€\n".to_owned(), 9));
    assert_eq!(tails(4), ("€\n".to_owned(), 13));
    // The last 3 bytes start inside "€": the tail starts after it.
    assert_eq!(tails(3), ("\n".to_owned(), 16));
    for tail in [0, 3, 4, 8, 1000] {
        let (text, offset) = tails(tail);
        assert_eq!(format!("{}{text}", &whole[..offset as usize]), whole);
        let read = store.read_output(&job.id, PlaybookId(1), offset).unwrap();
        assert_eq!(read.map(|r| r.text), Some(text), "the ranged read agrees");
    }
    assert_eq!(store.detail(&JobId::generate(), 10).unwrap(), None);
}
