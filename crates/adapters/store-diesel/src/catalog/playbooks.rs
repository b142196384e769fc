use super::error::classify;
use super::fold::fold;
use super::search::contains_pattern;
use crate::connection::{AnyConnection, Db};
use crate::decode;
use crate::dialect::db_run;
use crate::error::TxError;
use crate::page::load_page;
use crate::schema::playbooks;
use crate::store::DieselStore;
use ansible_core::catalog::{
    Page, Playbook, PlaybookDraft, PlaybookId, PlaybookKind, PlaybookMain, PlaybookQuery,
    PlaybookRepository, RunStatus, StoreError, Task, TaskDraft, assign_task_ids,
};
use ansible_syntax::Value;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Queryable, Selectable)]
#[diesel(table_name = playbooks)]
struct Row {
    id: i64,
    name: String,
    kind: String,
    status: String,
    main: String,
    tasks: String,
    next_task_id: i64,
    last_run_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// The main section as stored: JSON, play keywords in their order.
#[derive(Serialize, Deserialize)]
struct StoredMain {
    hosts: String,
    gather_facts: bool,
    extra: Vec<(String, Value)>,
}

#[derive(Serialize, Deserialize)]
struct StoredTask {
    id: i64,
    enabled: bool,
    content: String,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = playbooks)]
struct Values<'a> {
    name: &'a str,
    name_folded: String,
    kind: &'static str,
    main: String,
    tasks: String,
    next_task_id: i64,
    updated_at: NaiveDateTime,
}

impl<'a> Values<'a> {
    /// The columns a write sets, with `main` and `tasks` encoded.
    fn new(
        draft: &'a PlaybookDraft,
        (main, tasks): (String, String),
        next_task_id: i64,
        updated_at: NaiveDateTime,
    ) -> Self {
        Values {
            name: &draft.name,
            name_folded: fold(&draft.name),
            kind: draft.kind.as_str(),
            main,
            tasks,
            next_task_id,
            updated_at,
        }
    }
}

fn encode(main: &PlaybookMain, tasks: &[Task]) -> Result<(String, String), TxError<StoreError>> {
    let main = StoredMain {
        hosts: main.hosts.clone(),
        gather_facts: main.gather_facts,
        extra: main.extra.clone(),
    };
    let tasks: Vec<StoredTask> = tasks
        .iter()
        .map(|t| StoredTask {
            id: t.id,
            enabled: t.enabled,
            content: t.content.clone(),
        })
        .collect();
    let json = |e: serde_json::Error| StoreError::Unavailable(format!("encoding a playbook: {e}"));
    Ok((
        serde_json::to_string(&main).map_err(json)?,
        serde_json::to_string(&tasks).map_err(json)?,
    ))
}

fn record(row: Row) -> Result<(Playbook, i64), StoreError> {
    let corrupt = |what: &str| {
        StoreError::Unavailable(format!("unreadable {what} in playbooks row {}", row.id))
    };
    let main: StoredMain = serde_json::from_str(&row.main).map_err(|_| corrupt("main"))?;
    let tasks: Vec<StoredTask> = serde_json::from_str(&row.tasks).map_err(|_| corrupt("tasks"))?;
    let playbook = Playbook {
        id: PlaybookId(row.id),
        kind: PlaybookKind::parse(&row.kind).ok_or_else(|| corrupt("kind"))?,
        status: RunStatus::parse(&row.status).ok_or_else(|| corrupt("status"))?,
        main: PlaybookMain {
            hosts: main.hosts,
            gather_facts: main.gather_facts,
            extra: main.extra,
        },
        tasks: tasks
            .into_iter()
            .map(|t| Task {
                id: t.id,
                enabled: t.enabled,
                content: t.content,
            })
            .collect(),
        last_run_at: row.last_run_at.map(decode::utc),
        created_at: decode::utc(row.created_at),
        updated_at: decode::utc(row.updated_at),
        name: row.name,
    };
    Ok((playbook, row.next_task_id))
}

fn filtered(query: &PlaybookQuery) -> playbooks::BoxedQuery<'static, Db> {
    let mut q = playbooks::table.into_boxed();
    if let Some(search) = query.search.as_deref() {
        q = q.filter(
            playbooks::name_folded
                .like(contains_pattern(search))
                .escape('\\'),
        );
    }
    if let Some(kind) = query.kind {
        q = q.filter(playbooks::kind.eq(kind.as_str()));
    }
    if let Some(status) = query.status {
        q = q.filter(playbooks::status.eq(status.as_str()));
    }
    q
}

fn insert(
    conn: &mut AnyConnection,
    draft: &PlaybookDraft,
) -> Result<Playbook, TxError<StoreError>> {
    // A new playbook numbers its tasks 1, 2, … whatever ids the request sent.
    let fresh: Vec<TaskDraft> = draft
        .tasks
        .iter()
        .map(|t| TaskDraft {
            id: None,
            ..t.clone()
        })
        .collect();
    let (tasks, next) = assign_task_ids(1, &fresh);
    let (main, tasks_json) = encode(&draft.main, &tasks)?;
    let at = decode::now();
    let row = (
        playbooks::status.eq(RunStatus::NotStart.as_str()),
        playbooks::created_at.eq(at.naive_utc()),
        Values::new(draft, (main, tasks_json), next, at.naive_utc()),
    );
    // diesel types RETURNING per backend: the same statement, built for each.
    let id: i64 = db_run!(conn, any(c) => {
        diesel::insert_into(playbooks::table)
            .values(row)
            .returning(playbooks::id)
            .get_result(c)
    })?;
    Ok(Playbook {
        id: PlaybookId(id),
        name: draft.name.clone(),
        kind: draft.kind,
        status: RunStatus::NotStart,
        main: draft.main.clone(),
        tasks,
        last_run_at: None,
        created_at: at,
        updated_at: at,
    })
}

fn read(
    conn: &mut AnyConnection,
    id: PlaybookId,
) -> Result<Option<(Playbook, i64)>, TxError<StoreError>> {
    let row: Option<Row> = playbooks::table
        .find(id.0)
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(record).transpose()?)
}

impl PlaybookRepository for DieselStore {
    fn create_playbook(&self, draft: &PlaybookDraft) -> Result<Playbook, StoreError> {
        self.write(|conn| insert(conn, draft)).map_err(classify)
    }

    fn get_playbook(&self, id: PlaybookId) -> Result<Option<Playbook>, StoreError> {
        self.read(|conn| Ok(read(conn, id)?.map(|(p, _)| p)))
    }

    fn list_playbooks(&self, query: &PlaybookQuery) -> Result<Page<Playbook>, StoreError> {
        self.read(|conn| {
            let page = load_page(
                conn,
                crate::page::Total::Counted,
                || filtered(query),
                Ok,
                Row::as_select(),
                playbooks::id.asc(),
                query.page.into(),
            )?;
            Ok(super::records(page, |row| record(row).map(|(p, _)| p))?)
        })
    }

    fn update_playbook(
        &self,
        id: PlaybookId,
        draft: &PlaybookDraft,
    ) -> Result<Option<Playbook>, StoreError> {
        self.write(|conn| {
            let Some((mut playbook, next)) = read(conn, id)? else {
                return Ok(None);
            };
            let (tasks, next) = assign_task_ids(next, &draft.tasks);
            let (main, tasks_json) = encode(&draft.main, &tasks)?;
            let at = decode::now().max(playbook.created_at);
            let values = Values::new(draft, (main, tasks_json), next, at.naive_utc());
            diesel::update(playbooks::table.find(id.0))
                .set(values)
                .execute(conn)?;
            playbook.name = draft.name.clone();
            playbook.kind = draft.kind;
            playbook.main = draft.main.clone();
            playbook.tasks = tasks;
            playbook.updated_at = at;
            Ok(Some(playbook))
        })
        .map_err(classify)
    }

    fn delete_playbook(&self, id: PlaybookId) -> Result<bool, StoreError> {
        self.write(|conn| Ok(diesel::delete(playbooks::table.find(id.0)).execute(conn)? > 0))
            .map_err(classify)
    }
}
