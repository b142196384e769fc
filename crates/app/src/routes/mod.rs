//! The route table: every route of the API with its handler and its OpenAPI description.

mod op;
mod table;

pub use op::{Op, Schemas, one_of, typed};
pub use table::{Entry, RouteTable};
