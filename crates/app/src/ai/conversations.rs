//! `/api/ai/conversations`: start, list, read and delete conversations.

use super::time::Timezone;
use super::wire::{ConversationOut, ConversationSummary};
use crate::HubStore;
use crate::ansible::list;
use crate::http::area::Area;
use crate::http::wire::{Done, Envelope, Paged};
use crate::http::{ApiError, JsonBody, ListQuery, blocking};
use crate::routes::{Op, RouteTable, typed};
use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, web};
use ai_assist::{AssistantService, StartConversation};
use ansible_core::catalog::InventoryId;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa::openapi::schema::Type;

type Assistant<S> = web::Data<AssistantService<S, S>>;

#[derive(Debug, Deserialize, ToSchema)]
pub struct StartContext {
    /// Also `inventoryId`.
    #[serde(alias = "inventoryId")]
    inventory_id: Option<i64>,
}

/// `{"title": "…", "context": {"inventory_id": 1}}`; both optional.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StartBody {
    /// At most 255 characters; default `New conversation`.
    title: Option<String>,
    context: Option<StartContext>,
}

async fn start<S: HubStore>(
    assistant: Assistant<S>,
    zone: web::Data<Timezone>,
    body: JsonBody<StartBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let request = StartConversation {
        title: body.title,
        inventory: body.context.and_then(|c| c.inventory_id).map(InventoryId),
    };
    let conversation = blocking(move || assistant.start(request)).await?;
    let body = ConversationOut::new(&conversation, &[], **zone);
    Ok(HttpResponse::Created().json(Envelope::new(body, "新對話已創建")))
}

async fn get<S: HubStore>(
    id: web::Path<String>,
    assistant: Assistant<S>,
    zone: web::Data<Timezone>,
) -> Result<web::Json<Envelope<ConversationOut>>, ApiError> {
    let id = id.into_inner();
    let transcript = blocking(move || assistant.transcript(&id)).await?;
    let body = ConversationOut::new(&transcript.conversation, &transcript.messages, **zone);
    Ok(web::Json(Envelope::new(body, "查詢成功")))
}

async fn list_all<S: HubStore>(
    req: HttpRequest,
    assistant: Assistant<S>,
) -> Result<web::Json<Envelope<Paged<ConversationSummary>>>, ApiError> {
    let query = ListQuery::from_request(&req)?;
    let page = list::page(&query)?;
    let found = blocking(move || assistant.conversations(page)).await?;
    let body = list::paged(&found, page, |c| ConversationSummary::from(c));
    Ok(web::Json(Envelope::new(body, "查詢成功")))
}

async fn delete<S: HubStore>(
    id: web::Path<String>,
    assistant: Assistant<S>,
) -> Result<web::Json<Done>, ApiError> {
    let id = id.into_inner();
    blocking(move || assistant.delete(&id)).await?;
    Ok(web::Json(Done::new("對話已刪除")))
}

fn op(id: &str, summary: &str) -> Op {
    Op::new(Area::Ansible, id, "ai", summary)
}

fn with_id(op: Op) -> Op {
    op.path_param(
        "id",
        typed(Type::String),
        "The conversation's id (`conv-…`).",
    )
}

/// Registers GET before POST and DELETE: a path's `Allow` lists its methods in that order.
pub fn register<S: HubStore>(table: &mut RouteTable) {
    let path = "/ai/conversations";
    let item = "/ai/conversations/{id}";
    let list_op = op("listAiConversations", "List conversations, newest first")
        .query("page", typed(Type::Integer), "Page number, from 1.")
        .query(
            "per_page",
            typed(Type::Integer),
            "Page size, 1 to 100 (default 10); also `perPage`.",
        )
        .answers::<Envelope<Paged<ConversationSummary>>>(200, "One page.")
        .errors(&[422]);
    table.add(Method::GET, path, list_all::<S>, list_op);
    let start_op = op("startAiConversation", "Start a conversation")
        .body::<StartBody>()
        .answers::<Envelope<ConversationOut>>(201, "Started, without messages.")
        .errors(&[400, 404, 413, 422]);
    table.add(Method::POST, path, start::<S>, start_op);
    let get_op = with_id(op("getAiConversation", "A conversation and its messages"))
        .answers::<Envelope<ConversationOut>>(200, "Found.")
        .errors(&[404]);
    table.add(Method::GET, item, get::<S>, get_op);
    let delete_op = with_id(op("deleteAiConversation", "Delete a conversation"))
        .answers::<Done>(200, "Deleted with its messages.")
        .errors(&[404]);
    table.add(Method::DELETE, item, delete::<S>, delete_op);
}
