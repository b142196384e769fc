//! The infrastructure area (seed 000): eleven resources behind one set of generic handlers.

mod handlers;
mod hosts;
mod input;
mod list_body;
mod maintainers;
mod named;
mod resource;
mod tenancy;
mod usage;

pub use handlers::register;
pub use resource::InfraResource;
