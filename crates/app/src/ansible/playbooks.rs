//! `/api/playbooks`: list, get, create, update, delete, and the rendered YAML.

use super::envelope::{done, reply};
use super::errors::AreaError;
use super::list;
use crate::http::{ApiError, JsonBody, ListQuery, blocking};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use ansible_core::catalog::{
    CatalogError, CatalogService, CatalogStore, MainDraft, Playbook, PlaybookDraft, PlaybookId,
    PlaybookKind, PlaybookQuery, RunStatus,
};
use ansible_syntax::Value as AnsibleValue;
use serde::Deserialize;
use serde_json::{Map, Value, json};

type Service<S> = web::Data<CatalogService<S>>;

pub fn configure<S: CatalogStore>(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/playbooks")
            .route(web::get().to(list::<S>))
            .route(web::post().to(create::<S>)),
    );
    cfg.service(
        web::resource("/playbooks/{id}")
            .route(web::get().to(get::<S>))
            .route(web::put().to(update::<S>))
            .route(web::delete().to(delete::<S>)),
    );
    cfg.route("/playbooks/{id}/yaml", web::get().to(yaml::<S>));
}

#[derive(Debug, Deserialize)]
pub struct TaskBody {
    id: Option<i64>,
    enabled: Option<bool>,
    content: Option<String>,
}

/// Create and update bodies; `main` is free-form: `hosts`, `gatherFacts` (or
/// `gather_facts`), and any other play keywords, kept in order.
#[derive(Debug, Deserialize)]
pub struct PlaybookBody {
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    main: Option<Map<String, Value>>,
    tasks: Option<Vec<TaskBody>>,
}

fn main_draft(mut main: Map<String, Value>) -> Result<MainDraft, CatalogError> {
    let invalid = |m: &str| CatalogError::PlaybookValidation(m.to_owned());
    let hosts = match main.shift_remove("hosts") {
        None | Some(Value::Null) => None,
        Some(Value::String(h)) => Some(h),
        Some(_) => return Err(invalid("main.hosts: must be a string (a host pattern)")),
    };
    let facts = main
        .shift_remove("gatherFacts")
        .or_else(|| main.shift_remove("gather_facts"));
    let gather_facts = match facts {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(b),
        Some(_) => return Err(invalid("main.gatherFacts: must be true or false")),
    };
    if main.contains_key("gather_facts") {
        return Err(invalid(
            "main.gather_facts: send gatherFacts or gather_facts, not both",
        ));
    }
    let extra = main
        .into_iter()
        .map(|(key, value)| {
            let value: AnsibleValue =
                serde_json::from_value(value).map_err(|e| invalid(&format!("main.{key}: {e}")))?;
            Ok((key, value))
        })
        .collect::<Result<Vec<_>, CatalogError>>()?;
    Ok(MainDraft {
        hosts,
        gather_facts,
        extra,
    })
}

impl PlaybookBody {
    fn draft(self) -> Result<PlaybookDraft, CatalogError> {
        let main = self.main.map(main_draft).transpose()?;
        let tasks = self.tasks.map(|tasks| {
            tasks
                .into_iter()
                .map(|t| (t.id, t.enabled, t.content))
                .collect()
        });
        PlaybookDraft::parse(self.name, self.kind, main, tasks)
    }
}

fn summary(p: &Playbook) -> Value {
    json!({
        "id": p.id.0,
        "name": p.name,
        "type": p.kind.as_str(),
        "status": p.status.as_str(),
        "lastRunAt": p.last_run_at,
        "createdAt": p.created_at,
        "updatedAt": p.updated_at,
    })
}

fn detail(p: &Playbook) -> Value {
    let mut main = Map::new();
    main.insert("hosts".into(), json!(p.main.hosts));
    main.insert("gatherFacts".into(), json!(p.main.gather_facts));
    for (key, value) in &p.main.extra {
        main.insert(
            key.clone(),
            serde_json::to_value(value).unwrap_or(Value::Null),
        );
    }
    let tasks: Vec<Value> = p
        .tasks
        .iter()
        .map(|t| json!({ "id": t.id, "enabled": t.enabled, "content": t.content }))
        .collect();
    let mut json = summary(p);
    json["main"] = Value::Object(main);
    json["tasks"] = Value::Array(tasks);
    json
}

fn parse_id(raw: &str) -> Result<PlaybookId, ApiError> {
    raw.trim()
        .parse()
        .map(PlaybookId)
        .map_err(|_| ApiError::from(CatalogError::PlaybookNotFound(raw.to_owned())))
}

async fn list<S: CatalogStore>(
    req: HttpRequest,
    service: Service<S>,
) -> Result<HttpResponse, AreaError> {
    let query = ListQuery::from_request(&req)?;
    let page = list::page(&query)?;
    let kind = query.text("type").map(|raw| {
        PlaybookKind::parse(raw.trim())
            .ok_or_else(|| ApiError::validation("type: must be one of: Machine, Other"))
    });
    let status = query.text("status").map(|raw| {
        RunStatus::parse(raw.trim())
            .ok_or_else(|| ApiError::validation("status: must be one of: Success, Fail, Not start"))
    });
    let (kind, status) = (kind.transpose()?, status.transpose()?);
    let query = PlaybookQuery {
        search: list::search(&query),
        kind,
        status,
        page,
    };
    let found = blocking(move || service.playbooks(&query)).await?;
    Ok(reply(
        StatusCode::OK,
        list::paged(&found, page, summary),
        "查詢成功",
    ))
}

async fn get<S: CatalogStore>(
    id: web::Path<String>,
    service: Service<S>,
) -> Result<HttpResponse, AreaError> {
    let id = parse_id(&id)?;
    let playbook = blocking(move || service.playbook(id)).await?;
    Ok(reply(StatusCode::OK, detail(&playbook), "查詢成功"))
}

async fn create<S: CatalogStore>(
    service: Service<S>,
    body: JsonBody<PlaybookBody>,
) -> Result<HttpResponse, AreaError> {
    let draft = body.0.draft()?;
    let playbook = blocking(move || service.create_playbook(draft)).await?;
    Ok(reply(
        StatusCode::CREATED,
        detail(&playbook),
        "Playbook 創建成功",
    ))
}

async fn update<S: CatalogStore>(
    id: web::Path<String>,
    service: Service<S>,
    body: JsonBody<PlaybookBody>,
) -> Result<HttpResponse, AreaError> {
    let id = parse_id(&id)?;
    let draft = body.0.draft()?;
    let playbook = blocking(move || service.update_playbook(id, draft)).await?;
    Ok(reply(
        StatusCode::OK,
        detail(&playbook),
        "Playbook 更新成功",
    ))
}

async fn delete<S: CatalogStore>(
    id: web::Path<String>,
    service: Service<S>,
) -> Result<HttpResponse, AreaError> {
    let id = parse_id(&id)?;
    blocking(move || service.delete_playbook(id)).await?;
    Ok(done("Playbook 刪除成功"))
}

/// The playbook exactly as it will run, as `application/yaml`.
async fn yaml<S: CatalogStore>(
    id: web::Path<String>,
    service: Service<S>,
) -> Result<HttpResponse, AreaError> {
    let id = parse_id(&id)?;
    let rendered = blocking(move || service.rendered_playbook(id)).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/yaml; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("inline; filename=\"playbook-{id}.yml\""),
        ))
        .body(rendered))
}
