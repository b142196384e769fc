//! How the catalogue's collections describe their five operations in OpenAPI, written once.

use super::list;
use crate::http::area::Area;
use crate::http::wire::{Done, Envelope, Paged};
use crate::routes::{Op, typed};
use utoipa::ToSchema;
use utoipa::openapi::schema::Type;

/// A collection of the Ansible area, e.g. inventories.
#[derive(Debug, Clone, Copy)]
pub struct Collection {
    /// The path under `/api`, e.g. `/inventories`; items live at `{path}/{id}`.
    pub path: &'static str,
    /// For operation ids: `Inventory`, `Inventories`.
    pub one: &'static str,
    pub many: &'static str,
    /// For summaries: `an inventory`.
    pub noun: &'static str,
}

impl Collection {
    pub fn item(&self) -> String {
        format!("{}/{{id}}", self.path)
    }

    pub fn op(&self, id: String, summary: String) -> Op {
        Op::new(
            Area::Ansible,
            id,
            self.path.trim_start_matches('/'),
            summary,
        )
    }

    pub fn with_id(&self, op: Op) -> Op {
        op.path_param(
            "id",
            typed(Type::Integer),
            &format!("The id of {}.", self.noun),
        )
    }

    pub fn list(&self) -> Op {
        let op = self.op(
            format!("list{}", self.many),
            format!("List {}", self.many.to_lowercase()),
        );
        list::describe(op)
    }

    pub fn listed<T: ToSchema>(op: Op) -> Op {
        op.answers::<Envelope<Paged<T>>>(200, "One page.")
            .errors(&[422])
    }

    pub fn create<B: ToSchema, T: ToSchema>(&self) -> Op {
        self.op(
            format!("create{}", self.one),
            format!("Create {}", self.noun),
        )
        .body::<B>()
        .answers::<Envelope<T>>(201, "Created.")
        .errors(&[400, 409, 413, 422])
    }

    pub fn get<T: ToSchema>(&self) -> Op {
        self.with_id(self.op(format!("get{}", self.one), format!("Get {}", self.noun)))
            .answers::<Envelope<T>>(200, "Found.")
            .errors(&[404])
    }

    pub fn update<B: ToSchema, T: ToSchema>(&self) -> Op {
        self.with_id(self.op(
            format!("update{}", self.one),
            format!("Replace {}", self.noun),
        ))
        .body::<B>()
        .answers::<Envelope<T>>(200, "Updated.")
        .errors(&[400, 404, 409, 413, 422])
    }

    pub fn delete(&self) -> Op {
        self.with_id(self.op(
            format!("delete{}", self.one),
            format!("Delete {}", self.noun),
        ))
        .answers::<Done>(200, "Deleted.")
        .errors(&[404, 409])
    }
}
