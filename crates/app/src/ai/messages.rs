//! `POST /api/ai/messages`: one turn with the model.

use super::model_pool::ModelPool;
use super::time::Timezone;
use super::wire::TurnOut;
use crate::HubStore;
use crate::http::area::Area;
use crate::http::code::Code;
use crate::http::wire::Envelope;
use crate::http::{ApiError, JsonBody};
use crate::routes::{Op, RouteTable};
use actix_web::http::Method;
use actix_web::{HttpResponse, web};
use ai_assist::{AssistantService, MessageText, SendMessage};
use ansible_core::catalog::InventoryId;
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

/// The context of a message; snake_case (the seed's) and camelCase keys alike.
#[derive(Debug, ToSchema)]
// Only describes the context in OpenAPI: `MessageBody::request` reads it by hand.
#[allow(dead_code)]
pub struct MessageContext {
    /// The conversation to continue (`conv-…`); also `conversationId`. None starts one.
    conversation_id: Option<String>,
    /// The inventory the question is about; also `inventoryId`. Its groups and host names
    /// (never its variables) are shown to the model.
    inventory_id: Option<i64>,
}

/// `{"message": "…", "context": {"conversation_id": "conv-…", "inventory_id": 1}}`. Fields
/// are read by hand so that a wrong type is `INVALID_MESSAGE_FORMAT`, as the seed names it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MessageBody {
    /// Not blank, at most 32 KiB of UTF-8.
    #[schema(value_type = String, required = true)]
    message: Option<Value>,
    #[schema(value_type = Option<MessageContext>)]
    context: Option<Value>,
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(Code::InvalidMessageFormat, message)
}

/// The value under `snake` or `camel` of a context object.
fn context_field<'a>(
    context: &'a serde_json::Map<String, Value>,
    snake: &str,
    camel: &str,
) -> Option<&'a Value> {
    context
        .get(snake)
        .or_else(|| context.get(camel))
        .filter(|v| !v.is_null())
}

impl MessageBody {
    fn request(self) -> Result<SendMessage, ApiError> {
        let text = match self.message {
            Some(Value::String(text)) => text,
            None | Some(Value::Null) => return Err(invalid("message: is required")),
            Some(_) => return Err(invalid("message: must be a string")),
        };
        let text = MessageText::parse(text).map_err(ApiError::from)?;
        let (conversation, inventory) = match self.context {
            None | Some(Value::Null) => (None, None),
            Some(Value::Object(context)) => {
                let conversation =
                    match context_field(&context, "conversation_id", "conversationId") {
                        None => None,
                        Some(Value::String(id)) => Some(id.clone()),
                        Some(_) => {
                            return Err(invalid("context.conversation_id: must be a string"));
                        }
                    };
                let inventory = match context_field(&context, "inventory_id", "inventoryId") {
                    None => None,
                    Some(v) => {
                        Some(InventoryId(v.as_i64().ok_or_else(|| {
                            invalid("context.inventory_id: must be an integer")
                        })?))
                    }
                };
                (conversation, inventory)
            }
            Some(_) => return Err(invalid("context: must be an object")),
        };
        Ok(SendMessage {
            text,
            conversation,
            inventory,
        })
    }
}

/// A body that is JSON but not a message is `INVALID_MESSAGE_FORMAT`; a body that is not JSON
/// stays `INVALID_JSON`, and an oversized one `PAYLOAD_TOO_LARGE`.
fn as_message_format(e: ApiError) -> ApiError {
    match e.code {
        Code::ValidationError => invalid(e.message),
        _ => e,
    }
}

async fn send<S: HubStore>(
    assistant: web::Data<AssistantService<S, S>>,
    pool: web::Data<ModelPool>,
    zone: web::Data<Timezone>,
    body: Result<JsonBody<MessageBody>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let request = body.map_err(as_message_format)?.0.request()?;
    // The turn waits on the model (and a suggestion's syntax check): on the model pool, so
    // that no model holds a thread of the blocking pool the store's calls need; past the
    // pool's caps, 503 at once with nothing stored.
    let turn = pool
        .run(move || assistant.send(request))?
        .await
        .ok_or_else(|| ApiError::internal("an assistant turn ended without an answer"))??;
    for reason in &turn.declined {
        tracing::info!(conversation = %turn.conversation.id, reason = %reason, "playbook suggestion not offered");
    }
    let body = TurnOut::new(&turn, **zone).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok().json(Envelope::new(body, "訊息已送出")))
}

pub fn register<S: HubStore>(table: &mut RouteTable) {
    let op = Op::new(
        Area::Ansible,
        "sendAiMessage",
        "ai",
        "Ask the assistant; the turn is stored once the model answered",
    )
    .body::<MessageBody>()
    .answers::<Envelope<TurnOut>>(200, "The stored question and the model's answer.")
    .errors(&[400, 404, 413, 422]);
    table.add(Method::POST, "/ai/messages", send::<S>, op);
}
