//! `/api/playbooks`: list, get, create, update, delete, and the rendered YAML.

use super::described::Collection;
use super::list;
use super::wire::{PlaybookDetail, PlaybookSummary};
use crate::http::wire::{Done, Envelope, Paged};
use crate::http::{ApiError, JsonBody, ListQuery, blocking, path_id};
use crate::routes::{RouteTable, one_of};
use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, web};
use ansible_core::catalog::{
    CatalogError, CatalogService, CatalogStore, MainDraft, Playbook, PlaybookDraft, PlaybookId,
    PlaybookKind, PlaybookQuery, RunStatus,
};
use ansible_syntax::Value as AnsibleValue;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

type Service<S> = web::Data<CatalogService<S>>;

#[derive(Debug, Deserialize, ToSchema)]
pub struct TaskBody {
    /// Kept on update when given; new tasks are numbered.
    id: Option<i64>,
    /// Seed 002 marks it required; one left out is taken as true.
    #[schema(required = true)]
    enabled: Option<bool>,
    /// One YAML mapping: the task.
    #[schema(required = true)]
    content: Option<String>,
}

fn playbook_type() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    one_of(&["Machine", "Other"])
}

/// `main`: `hosts` required, `gatherFacts` optional, any other play keyword kept.
fn main_schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(
            "The play's header: `hosts` (required), `gatherFacts` (or `gather_facts`), and \
             other play keywords, kept in order.",
        ))
        .property(
            "hosts",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some("The host pattern the play targets.")),
        )
        .required("hosts")
        .property(
            "gatherFacts",
            ObjectBuilder::new()
                .schema_type(Type::Boolean)
                .description(Some("Default false; also `gather_facts`.")),
        )
        .additional_properties(Some(AdditionalProperties::FreeForm(true)))
        .into()
}

/// Create and update bodies; `main` is free-form: `hosts`, `gatherFacts` (or
/// `gather_facts`), and any other play keywords, kept in order.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PlaybookBody {
    #[schema(required = true, max_length = 255)]
    name: Option<String>,
    #[serde(rename = "type")]
    #[schema(required = true, schema_with = playbook_type)]
    kind: Option<String>,
    #[schema(required = true, schema_with = main_schema)]
    main: Option<Map<String, Value>>,
    #[schema(required = true)]
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

fn detail(p: &Playbook) -> Result<PlaybookDetail, ApiError> {
    PlaybookDetail::try_from(p).map_err(ApiError::internal)
}

fn parse_id(raw: &str) -> Result<PlaybookId, ApiError> {
    path_id::canonical_int(raw)
        .map(PlaybookId)
        .ok_or(())
        .map_err(|_| ApiError::from(CatalogError::PlaybookNotFound(raw.to_owned())))
}

async fn list<S: CatalogStore>(
    req: HttpRequest,
    service: Service<S>,
) -> Result<web::Json<Envelope<Paged<PlaybookSummary>>>, ApiError> {
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
    let body = list::paged(&found, page, |p| PlaybookSummary::from(p));
    Ok(web::Json(Envelope::new(body, "查詢成功")))
}

async fn get<S: CatalogStore>(
    id: web::Path<String>,
    service: Service<S>,
) -> Result<web::Json<Envelope<PlaybookDetail>>, ApiError> {
    let id = parse_id(&id)?;
    let playbook = blocking(move || service.playbook(id)).await?;
    Ok(web::Json(Envelope::new(detail(&playbook)?, "查詢成功")))
}

async fn create<S: CatalogStore>(
    service: Service<S>,
    body: JsonBody<PlaybookBody>,
) -> Result<HttpResponse, ApiError> {
    // Parsing an inventory or task YAML is CPU work: it runs on the blocking pool too.
    let playbook = blocking(move || service.create_playbook(body.0.draft()?)).await?;
    let body = Envelope::new(detail(&playbook)?, "Playbook 創建成功");
    Ok(HttpResponse::Created().json(body))
}

async fn update<S: CatalogStore>(
    id: web::Path<String>,
    service: Service<S>,
    body: JsonBody<PlaybookBody>,
) -> Result<web::Json<Envelope<PlaybookDetail>>, ApiError> {
    let id = parse_id(&id)?;
    let playbook = blocking(move || service.update_playbook(id, body.0.draft()?)).await?;
    Ok(web::Json(Envelope::new(
        detail(&playbook)?,
        "Playbook 更新成功",
    )))
}

async fn delete<S: CatalogStore>(
    id: web::Path<String>,
    service: Service<S>,
) -> Result<web::Json<Done>, ApiError> {
    let id = parse_id(&id)?;
    blocking(move || service.delete_playbook(id)).await?;
    Ok(web::Json(Done::new("Playbook 刪除成功")))
}

/// The playbook exactly as it will run, as `application/yaml`.
async fn yaml<S: CatalogStore>(
    id: web::Path<String>,
    service: Service<S>,
) -> Result<HttpResponse, ApiError> {
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

const PLAYBOOKS: Collection = Collection {
    path: "/playbooks",
    one: "Playbook",
    many: "Playbooks",
    noun: "a playbook",
};

pub fn register<S: CatalogStore>(table: &mut RouteTable) {
    let c = PLAYBOOKS;
    let list_op = c
        .list()
        .query("type", playbook_type(), "Only playbooks of this type.")
        .query(
            "status",
            one_of(&["Success", "Fail", "Not start"]),
            "Only playbooks whose last run ended so.",
        );
    let list_op = Collection::listed::<PlaybookSummary>(list_op);
    table.add(Method::GET, c.path, list::<S>, list_op);
    let create_op = c.create::<PlaybookBody, PlaybookDetail>();
    table.add(Method::POST, c.path, create::<S>, create_op);
    table.add(Method::GET, c.item(), get::<S>, c.get::<PlaybookDetail>());
    let update_op = c.update::<PlaybookBody, PlaybookDetail>();
    table.add(Method::PUT, c.item(), update::<S>, update_op);
    table.add(Method::DELETE, c.item(), delete::<S>, c.delete());
    let yaml_op = c
        .with_id(c.op(
            "getPlaybookYaml".to_owned(),
            "The playbook as it will run".to_owned(),
        ))
        .answers_as(
            200,
            "application/yaml",
            one_play(),
            "One play, as YAML: a list that holds the play, a mapping.",
        )
        .errors(&[404]);
    table.add(Method::GET, "/playbooks/{id}/yaml", yaml::<S>, yaml_op);
}

/// What the YAML answer holds once read: a list of exactly one play, a mapping.
fn one_play() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(ObjectBuilder::new().schema_type(Type::Object))
        .min_items(Some(1))
        .max_items(Some(1))
        .into()
}
