//! Create, list, get, update and delete, once for every resource of the area, each route
//! registered with its OpenAPI description.

use super::list_body::ListBody;
use super::resource::{FilterKind, IdKind, InfraResource};
use crate::http::area::Area;
use crate::http::domain_errors::not_found;
use crate::http::list_query::{keyset_link_header, link_header};
use crate::http::path_id;
use crate::http::wire::Deleted;
use crate::http::{ApiError, JsonBody, ListQuery, blocking};
use crate::routes::{Op, RouteTable, typed};
use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, web};
use infra_inventory::ports::{InventoryStore, Repository};
use infra_inventory::{FieldError, InventoryError, InventoryService, RecordId as _, RecordKey};
use std::str::FromStr;
use utoipa::openapi::schema::Type;

/// Default and largest `per_page` of the area.
const PER_PAGE: (u32, u32) = (100, 1000);

type Service<S> = web::Data<InventoryService<S>>;

fn parse_id<R: InfraResource>(raw: &str) -> Result<R::Id, ApiError>
where
    R::Id: FromStr,
{
    // An id that cannot exist, or is not spelled as the server writes ids, names no
    // resource: 404, like an unknown one.
    let canonical = match R::ID {
        IdKind::Uuid => path_id::is_canonical_uuid(raw),
        IdKind::Integer => path_id::canonical_int(raw).is_some(),
    };
    canonical
        .then(|| raw.parse().ok())
        .flatten()
        .ok_or_else(|| not_found(R::KIND, raw))
}

/// `after`: the id of a record of this kind, spelled as paths spell ids ([`parse_id`]); a
/// keyset page holds the records after it.
fn parse_after<R: InfraResource>(query: &ListQuery) -> Result<Option<RecordKey>, FieldError>
where
    R::Id: FromStr,
{
    let Some(raw) = query.text("after") else {
        return Ok(None);
    };
    let id = parse_id::<R>(raw).map_err(|_| {
        FieldError::new(
            "after",
            format!(
                "must be the id of a {}, as the API writes ids",
                R::KIND.singular()
            ),
        )
    })?;
    Ok(Some(id.key()))
}

async fn create<R, S>(
    service: Service<S>,
    body: JsonBody<R::Body>,
) -> Result<HttpResponse, ApiError>
where
    R: InfraResource,
    S: InventoryStore + Repository<R>,
{
    let draft = R::draft(body.0)?;
    let out = blocking(move || service.create::<R>(draft).map(|v| R::Out::from(&v))).await?;
    Ok(HttpResponse::Created().json(out))
}

async fn list<R, S>(req: HttpRequest, service: Service<S>) -> Result<HttpResponse, ApiError>
where
    R: InfraResource,
    R::Id: FromStr,
    S: InventoryStore + Repository<R>,
{
    let query = ListQuery::from_request(&req)?;
    let page = query
        .page(PER_PAGE.0, PER_PAGE.1)?
        .after(parse_after::<R>(&query)?)?;
    let filter = R::filter(&query)?;
    let (items, total, last) = blocking(move || {
        let found = service.list::<R>(&filter, page)?;
        let items: Vec<R::Out> = found.items.iter().map(R::Out::from).collect();
        let last = found.items.last().map(|v| R::key_of(v).to_string());
        Ok::<_, InventoryError>((items, found.total, last))
    })
    .await?;
    let links = match page.after {
        None => link_header(&req, &query, page, total),
        Some(_) => keyset_link_header(&req, &query, page, items.len(), last),
    };
    Ok(HttpResponse::Ok()
        .insert_header(("X-Total-Count", total.to_string()))
        .insert_header(("Link", links))
        .json(ListBody::<R> { items }))
}

async fn get<R, S>(id: web::Path<String>, service: Service<S>) -> Result<HttpResponse, ApiError>
where
    R: InfraResource,
    R::Id: FromStr,
    S: InventoryStore + Repository<R>,
{
    let id = parse_id::<R>(&id)?;
    let out = blocking(move || service.get::<R>(id).map(|v| R::Out::from(&v))).await?;
    Ok(HttpResponse::Ok().json(out))
}

async fn update<R, S>(
    id: web::Path<String>,
    service: Service<S>,
    body: JsonBody<R::Body>,
) -> Result<HttpResponse, ApiError>
where
    R: InfraResource,
    R::Id: FromStr,
    S: InventoryStore + Repository<R>,
{
    let id = parse_id::<R>(&id)?;
    let draft = R::draft(body.0)?;
    let out = blocking(move || service.update::<R>(id, draft).map(|v| R::Out::from(&v))).await?;
    Ok(HttpResponse::Ok().json(out))
}

async fn delete<R, S>(
    id: web::Path<String>,
    service: Service<S>,
) -> Result<web::Json<Deleted>, ApiError>
where
    R: InfraResource,
    R::Id: FromStr,
    S: InventoryStore + Repository<R>,
{
    let id = parse_id::<R>(&id)?;
    blocking(move || service.delete::<R>(id)).await?;
    Ok(web::Json(Deleted {
        message: R::DELETED,
    }))
}

/// The five operations of one resource, described.
struct Described<R>(std::marker::PhantomData<R>);

impl<R: InfraResource> Described<R> {
    fn op(verb: &str, summary: String) -> Op {
        let id = match verb {
            "list" => format!("list{}s", R::NAME),
            _ => format!("{verb}{}", R::NAME),
        };
        Op::new(Area::Infra, id, R::PATH, summary)
    }

    fn with_id(op: Op) -> Op {
        let schema = match R::ID {
            IdKind::Uuid => typed(Type::String),
            IdKind::Integer => typed(Type::Integer),
        };
        op.path_param("id", schema, "The resource's id.")
    }

    fn list() -> Op {
        let mut op = Self::op("list", format!("List {}", R::KIND.plural()))
            .query("page", typed(Type::Integer), "Page number, from 1.")
            .query(
                "per_page",
                typed(Type::Integer),
                "Page size, 1 to 1000 (default 100).",
            )
            .query(
                "after",
                match R::ID {
                    IdKind::Uuid => typed(Type::String),
                    IdKind::Integer => typed(Type::Integer),
                },
                "Keyset paging: only records whose id comes after this one, in id order \
                 (not with page). The Link header's next link carries the page's last id.",
            );
        for filter in R::FILTERS {
            let schema = match filter.kind {
                FilterKind::Uuid | FilterKind::Text => typed(Type::String),
                FilterKind::Integer => typed(Type::Integer),
                FilterKind::Words(words) => super::resource::words::schema(words),
            };
            op = op.query(filter.name, schema, "Only records with this value.");
        }
        op.answers::<ListBody<R>>(200, "One page; X-Total-Count and Link headers page on.")
            .errors(&[422])
    }

    fn create() -> Op {
        Self::op("create", format!("Create a {}", R::KIND.singular()))
            .body::<R::Body>()
            .answers::<R::Out>(201, "Created.")
            .errors(&[400, 409, 413, 422])
    }

    fn get() -> Op {
        Self::with_id(Self::op("get", format!("Get a {}", R::KIND.singular())))
            .answers::<R::Out>(200, "The resource.")
            .errors(&[404])
    }

    fn update() -> Op {
        Self::with_id(Self::op(
            "update",
            format!("Replace a {}", R::KIND.singular()),
        ))
        .body::<R::Body>()
        .answers::<R::Out>(200, "Updated.")
        .errors(&[400, 404, 409, 413, 422])
    }

    fn delete() -> Op {
        Self::with_id(Self::op(
            "delete",
            format!("Delete a {}", R::KIND.singular()),
        ))
        .answers::<Deleted>(200, "Deleted.")
        .errors(&[404, 409])
    }
}

fn routes<R, S>(table: &mut RouteTable)
where
    R: InfraResource,
    R::Id: FromStr,
    S: InventoryStore + Repository<R>,
{
    let path = format!("/{}", R::PATH);
    let item = format!("/{}/{{id}}", R::PATH);
    table.add(Method::GET, &path, list::<R, S>, Described::<R>::list());
    table.add(
        Method::POST,
        &path,
        create::<R, S>,
        Described::<R>::create(),
    );
    table.add(Method::GET, &item, get::<R, S>, Described::<R>::get());
    table.add(Method::PUT, &item, update::<R, S>, Described::<R>::update());
    table.add(
        Method::DELETE,
        &item,
        delete::<R, S>,
        Described::<R>::delete(),
    );
}

/// Adds every infrastructure route to the table.
pub fn register<S: InventoryStore>(table: &mut RouteTable) {
    use infra_inventory::resources::{
        Host, HostGroup, HostGroupTenantQuota, K8sCluster, Maintainer, MaintainerGroup,
        MaintainerGroupMember, ResourceMaintainer, Tenant, VirtualMachine, VmSpecification,
    };
    routes::<Maintainer, S>(table);
    routes::<MaintainerGroup, S>(table);
    routes::<MaintainerGroupMember, S>(table);
    routes::<ResourceMaintainer, S>(table);
    routes::<Host, S>(table);
    routes::<HostGroup, S>(table);
    routes::<Tenant, S>(table);
    routes::<VirtualMachine, S>(table);
    routes::<VmSpecification, S>(table);
    routes::<K8sCluster, S>(table);
    routes::<HostGroupTenantQuota, S>(table);
    table.add(
        Method::GET,
        "/tenants/{id}/usage",
        super::usage::tenant_usage::<S>,
        Op::new(
            Area::Infra,
            "getTenantUsage",
            "tenants",
            "What a tenant uses in each host group it holds a quota in",
        )
        .path_param("id", typed(Type::Integer), "The tenant's id.")
        .answers::<super::usage::TenantUsage>(200, "Usage against each quota.")
        .errors(&[404]),
    );
}
