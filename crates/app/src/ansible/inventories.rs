//! `/api/inventories`: list, get, create, update, delete.

use super::described::Collection;
use super::list;
use super::wire::{InventoryDetail, InventorySummary};
use crate::http::wire::{Done, Envelope, Paged};
use crate::http::{ApiError, JsonBody, ListQuery, blocking, path_id};
use crate::routes::RouteTable;
use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, web};
use ansible_core::catalog::{
    CatalogError, CatalogService, CatalogStore, InventoryDraft, InventoryId, InventoryQuery,
};
use serde::Deserialize;
use utoipa::ToSchema;

type Service<S> = web::Data<CatalogService<S>>;

/// Create and update bodies; the seed's names, nothing to convert.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InventoryBody {
    #[schema(required = true, max_length = 255)]
    name: Option<String>,
    /// Defaults to `Default`.
    group: Option<String>,
    /// Ansible inventory text, INI or YAML, at most 512 KiB.
    #[schema(required = true)]
    config: Option<String>,
}

impl InventoryBody {
    fn draft(self) -> Result<InventoryDraft, CatalogError> {
        InventoryDraft::parse(self.name, self.group, self.config)
    }
}

pub fn parse_id(raw: &str) -> Result<InventoryId, ApiError> {
    path_id::canonical_int(raw)
        .map(InventoryId)
        .ok_or(())
        .map_err(|_| ApiError::from(CatalogError::InventoryNotFound(raw.to_owned())))
}

async fn list<S: CatalogStore>(
    req: HttpRequest,
    service: Service<S>,
) -> Result<web::Json<Envelope<Paged<InventorySummary>>>, ApiError> {
    let query = ListQuery::from_request(&req)?;
    let page = list::page(&query)?;
    let search = list::search(&query);
    let found = blocking(move || service.inventories(&InventoryQuery { search, page })).await?;
    let body = list::paged(&found, page, |i| InventorySummary::from(i));
    Ok(web::Json(Envelope::new(body, "查詢成功")))
}

async fn get<S: CatalogStore>(
    id: web::Path<String>,
    service: Service<S>,
) -> Result<web::Json<Envelope<InventoryDetail>>, ApiError> {
    let id = parse_id(&id)?;
    let inventory = blocking(move || service.inventory(id)).await?;
    Ok(web::Json(Envelope::new((&inventory).into(), "查詢成功")))
}

async fn create<S: CatalogStore>(
    service: Service<S>,
    body: JsonBody<InventoryBody>,
) -> Result<HttpResponse, ApiError> {
    // Parsing an inventory or task YAML is CPU work: it runs on the blocking pool too.
    let inventory = blocking(move || service.create_inventory(body.0.draft()?)).await?;
    let body = Envelope::new(InventoryDetail::from(&inventory), "Inventory 創建成功");
    Ok(HttpResponse::Created().json(body))
}

async fn update<S: CatalogStore>(
    id: web::Path<String>,
    service: Service<S>,
    body: JsonBody<InventoryBody>,
) -> Result<web::Json<Envelope<InventoryDetail>>, ApiError> {
    let id = parse_id(&id)?;
    let inventory = blocking(move || service.update_inventory(id, body.0.draft()?)).await?;
    Ok(web::Json(Envelope::new(
        (&inventory).into(),
        "Inventory 更新成功",
    )))
}

async fn delete<S: CatalogStore>(
    id: web::Path<String>,
    service: Service<S>,
) -> Result<web::Json<Done>, ApiError> {
    let id = parse_id(&id)?;
    blocking(move || service.delete_inventory(id)).await?;
    Ok(web::Json(Done::new("Inventory 刪除成功")))
}

const INVENTORIES: Collection = Collection {
    path: "/inventories",
    one: "Inventory",
    many: "Inventories",
    noun: "an inventory",
};

pub fn register<S: CatalogStore>(table: &mut RouteTable) {
    let c = INVENTORIES;
    let list_op = Collection::listed::<InventorySummary>(c.list());
    table.add(Method::GET, c.path, list::<S>, list_op);
    let create_op = c.create::<InventoryBody, InventoryDetail>();
    table.add(Method::POST, c.path, create::<S>, create_op);
    table.add(Method::GET, c.item(), get::<S>, c.get::<InventoryDetail>());
    let update_op = c.update::<InventoryBody, InventoryDetail>();
    table.add(Method::PUT, c.item(), update::<S>, update_op);
    table.add(Method::DELETE, c.item(), delete::<S>, c.delete());
}
