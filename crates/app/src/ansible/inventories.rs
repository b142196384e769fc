//! `/api/inventories`: list, get, create, update, delete.

use super::envelope::{done, reply};
use super::errors::AreaError;
use super::list;
use crate::http::{ApiError, JsonBody, ListQuery, blocking};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use ansible_core::catalog::{
    CatalogError, CatalogService, CatalogStore, Inventory, InventoryDraft, InventoryId,
    InventoryQuery,
};
use serde::Deserialize;
use serde_json::{Value, json};

type Service<S> = web::Data<CatalogService<S>>;

pub fn configure<S: CatalogStore>(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/inventories")
            .route(web::get().to(list::<S>))
            .route(web::post().to(create::<S>)),
    );
    cfg.service(
        web::resource("/inventories/{id}")
            .route(web::get().to(get::<S>))
            .route(web::put().to(update::<S>))
            .route(web::delete().to(delete::<S>)),
    );
}

/// Create and update bodies; the seed's names, nothing to convert.
#[derive(Debug, Deserialize)]
pub struct InventoryBody {
    name: Option<String>,
    group: Option<String>,
    config: Option<String>,
}

impl InventoryBody {
    fn draft(self) -> Result<InventoryDraft, CatalogError> {
        InventoryDraft::parse(self.name, self.group, self.config)
    }
}

/// A list item: no config, which can be long.
fn summary(i: &Inventory) -> Value {
    json!({
        "id": i.id.0,
        "name": i.name,
        "status": i.status.as_str(),
        "sshStatus": i.ssh_status.as_str(),
        "group": i.group,
        "createdAt": i.created_at,
        "updatedAt": i.updated_at,
    })
}

/// The whole inventory, as the edit page loads it.
fn detail(i: &Inventory) -> Value {
    let mut json = summary(i);
    json["config"] = json!(i.config);
    json
}

pub fn parse_id(raw: &str) -> Result<InventoryId, ApiError> {
    raw.trim()
        .parse()
        .map(InventoryId)
        .map_err(|_| ApiError::from(CatalogError::InventoryNotFound(raw.to_owned())))
}

async fn list<S: CatalogStore>(
    req: HttpRequest,
    service: Service<S>,
) -> Result<HttpResponse, AreaError> {
    let query = ListQuery::from_request(&req)?;
    let page = list::page(&query)?;
    let search = list::search(&query);
    let found = blocking(move || service.inventories(&InventoryQuery { search, page })).await?;
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
    let inventory = blocking(move || service.inventory(id)).await?;
    Ok(reply(StatusCode::OK, detail(&inventory), "查詢成功"))
}

async fn create<S: CatalogStore>(
    service: Service<S>,
    body: JsonBody<InventoryBody>,
) -> Result<HttpResponse, AreaError> {
    let draft = body.0.draft()?;
    let inventory = blocking(move || service.create_inventory(draft)).await?;
    Ok(reply(
        StatusCode::CREATED,
        detail(&inventory),
        "Inventory 創建成功",
    ))
}

async fn update<S: CatalogStore>(
    id: web::Path<String>,
    service: Service<S>,
    body: JsonBody<InventoryBody>,
) -> Result<HttpResponse, AreaError> {
    let id = parse_id(&id)?;
    let draft = body.0.draft()?;
    let inventory = blocking(move || service.update_inventory(id, draft)).await?;
    Ok(reply(
        StatusCode::OK,
        detail(&inventory),
        "Inventory 更新成功",
    ))
}

async fn delete<S: CatalogStore>(
    id: web::Path<String>,
    service: Service<S>,
) -> Result<HttpResponse, AreaError> {
    let id = parse_id(&id)?;
    blocking(move || service.delete_inventory(id)).await?;
    Ok(done("Inventory 刪除成功"))
}
