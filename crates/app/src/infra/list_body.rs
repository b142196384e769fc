//! The body of an infrastructure list: seed 000 answers maintainers as a bare array and every
//! other resource as an object keyed by its plural (`{"hosts": [...]}`).

use super::resource::InfraResource;
use crate::http::wire::schema_ref;
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::borrow::Cow;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

pub struct ListBody<R: InfraResource> {
    pub items: Vec<R::Out>,
}

impl<R: InfraResource> std::fmt::Debug for ListBody<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ListBody({} items)", self.items.len())
    }
}

impl<R: InfraResource> Serialize for ListBody<R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match R::LIST_KEY {
            None => self.items.serialize(serializer),
            Some(key) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry(key, &self.items)?;
                map.end()
            }
        }
    }
}

impl<R: InfraResource> PartialSchema for ListBody<R> {
    fn schema() -> RefOr<Schema> {
        let items: RefOr<Schema> = ArrayBuilder::new().items(schema_ref::<R::Out>()).into();
        match R::LIST_KEY {
            None => items,
            Some(key) => ObjectBuilder::new()
                .schema_type(Type::Object)
                .property(key, items)
                .required(key)
                .into(),
        }
    }
}

impl<R: InfraResource> ToSchema for ListBody<R> {
    fn name() -> Cow<'static, str> {
        format!("{}List", R::NAME).into()
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((R::Out::name().into_owned(), R::Out::schema()));
        R::Out::schemas(schemas);
    }
}
