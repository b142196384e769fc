//! Create, list, get, update and delete, once for every resource of the area.

use super::hosts::*;
use super::maintainers::*;
use super::named::*;
use super::resource::InfraResource;
use super::tenancy::*;
use crate::http::{ApiError, JsonBody, ListQuery, list_query::link_header};
use actix_web::{HttpRequest, HttpResponse, web};
use infra_inventory::ports::{InventoryStore, Repository};
use infra_inventory::service::Rules;
use infra_inventory::{InventoryError, InventoryService, Record, RecordId};
use serde_json::json;
use std::str::FromStr;

/// Default and largest `per_page` of the area.
const PER_PAGE: (u32, u32) = (100, 1000);

type Service<S> = web::Data<InventoryService<S>>;

pub use crate::http::blocking;

fn parse_id<R: InfraResource>(raw: &str) -> Result<R::Id, ApiError>
where
    R::Id: FromStr,
{
    // An id that cannot exist names no resource: 404, like an unknown one.
    raw.parse().map_err(|_| ApiError::not_found(R::KIND, raw))
}

/// One record as the client sees it.
fn one<R: InfraResource, S: InventoryStore>(
    record: R,
    store: &S,
) -> Result<serde_json::Value, InventoryError> {
    Ok(R::present(std::slice::from_ref(&record), store)?
        .pop()
        .unwrap_or_default())
}

async fn create<R, S>(
    service: Service<S>,
    body: JsonBody<R::Body>,
) -> Result<HttpResponse, ApiError>
where
    R: InfraResource + Rules<S>,
    S: InventoryStore + Repository<R>,
{
    let draft = R::draft(body.0)?;
    let json = blocking(move || one(service.create::<R>(draft)?, service.store())).await?;
    Ok(HttpResponse::Created().json(json))
}

async fn list<R, S>(req: HttpRequest, service: Service<S>) -> Result<HttpResponse, ApiError>
where
    R: InfraResource,
    S: InventoryStore + Repository<R>,
{
    let query = ListQuery::from_request(&req)?;
    let page = query.page(PER_PAGE.0, PER_PAGE.1)?;
    let filter = R::filter(&query)?;
    let (items, total) = blocking(move || {
        let found = service.list::<R>(&filter, page)?;
        Ok::<_, InventoryError>((R::present(&found.items, service.store())?, found.total))
    })
    .await?;
    let body = match R::LIST_KEY {
        None => serde_json::Value::Array(items),
        Some(key) => json!({ key: items }),
    };
    Ok(HttpResponse::Ok()
        .insert_header(("X-Total-Count", total.to_string()))
        .insert_header(("Link", link_header(&req, &query, page, total)))
        .json(body))
}

async fn get<R, S>(id: web::Path<String>, service: Service<S>) -> Result<HttpResponse, ApiError>
where
    R: InfraResource,
    R::Id: FromStr,
    S: InventoryStore + Repository<R>,
{
    let id = parse_id::<R>(&id)?;
    let json = blocking(move || one(service.get::<R>(id)?, service.store())).await?;
    Ok(HttpResponse::Ok().json(json))
}

async fn update<R, S>(
    id: web::Path<String>,
    service: Service<S>,
    body: JsonBody<R::Body>,
) -> Result<HttpResponse, ApiError>
where
    R: InfraResource + Rules<S>,
    R::Id: FromStr,
    S: InventoryStore + Repository<R>,
{
    let id = parse_id::<R>(&id)?;
    let draft = R::draft(body.0)?;
    let json = blocking(move || one(service.update::<R>(id, draft)?, service.store())).await?;
    Ok(HttpResponse::Ok().json(json))
}

async fn delete<R, S>(id: web::Path<String>, service: Service<S>) -> Result<HttpResponse, ApiError>
where
    R: InfraResource,
    R::Id: FromStr,
    S: InventoryStore + Repository<R>,
{
    let id = parse_id::<R>(&id)?;
    blocking(move || service.delete::<R>(id)).await?;
    Ok(HttpResponse::Ok().json(json!({ "message": R::DELETED })))
}

fn routes<R, S>(cfg: &mut web::ServiceConfig)
where
    R: InfraResource + Rules<S>,
    R::Id: FromStr,
    <R as Record>::Id: RecordId,
    S: InventoryStore + Repository<R>,
{
    cfg.service(
        web::resource(format!("/{}", R::PATH))
            .route(web::get().to(list::<R, S>))
            .route(web::post().to(create::<R, S>)),
    );
    cfg.service(
        web::resource(format!("/{}/{{id}}", R::PATH))
            .route(web::get().to(get::<R, S>))
            .route(web::put().to(update::<R, S>))
            .route(web::delete().to(delete::<R, S>)),
    );
}

/// Registers every infrastructure route (under the caller's `/api` scope).
pub fn configure<S: InventoryStore>(cfg: &mut web::ServiceConfig) {
    routes::<Maintainer, S>(cfg);
    routes::<MaintainerGroup, S>(cfg);
    routes::<MaintainerGroupMember, S>(cfg);
    routes::<ResourceMaintainer, S>(cfg);
    routes::<Host, S>(cfg);
    routes::<HostGroup, S>(cfg);
    routes::<Tenant, S>(cfg);
    routes::<VirtualMachine, S>(cfg);
    routes::<VmSpecification, S>(cfg);
    routes::<K8sCluster, S>(cfg);
    routes::<HostGroupTenantQuota, S>(cfg);
    cfg.route(
        "/tenants/{id}/usage",
        web::get().to(super::usage::tenant_usage::<S>),
    );
}
