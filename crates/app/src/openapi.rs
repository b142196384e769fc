//! The OpenAPI 3.1 description of the API, built from the route table, and the Swagger UI that
//! shows it (vendored: it works with no network).

use crate::routes::RouteTable;
use actix_web::{HttpResponse, web};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, OpenApi, OpenApiBuilder};
use utoipa_swagger_ui::SwaggerUi;

/// The description of every route in `table`, with bearer auth on all of them.
pub fn document(table: RouteTable) -> OpenApi {
    let (paths, schemas) = table.describe();
    let mut components = ComponentsBuilder::new().security_scheme(
        "bearer",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
    );
    let mut seen = std::collections::HashSet::new();
    for (name, schema) in schemas {
        if seen.insert(name.clone()) {
            components = components.schema(name, schema);
        }
    }
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("control-hub")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Private-cloud inventory and capacity (seed 000: `{error, code}` errors, \
                     snake_case) and the Ansible control hub (seed 002: the \
                     `{success, data, message}` envelope, camelCase). Every `/api` route needs \
                     `Authorization: Bearer <token>`.",
                ))
                .build(),
        )
        .paths(paths)
        .components(Some(components.build()))
        .security(Some([SecurityRequirement::new(
            "bearer",
            Vec::<String>::new(),
        )]))
        .build()
}

/// `GET /api/openapi.json` and the Swagger UI at `/api/docs/`, both public.
pub fn configure(spec: OpenApi) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.route(
            "/api/docs",
            web::get().to(|| async {
                HttpResponse::PermanentRedirect()
                    .insert_header(("Location", "/api/docs/"))
                    .finish()
            }),
        )
        .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", spec));
    }
}
