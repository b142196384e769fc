//! The infrastructure area (seed 000): eleven resources behind one set of generic handlers.

mod handlers;
mod hosts;
mod input;
mod maintainers;
mod named;
mod resource;
mod tenancy;
mod usage;

pub use handlers::configure;
pub use resource::InfraResource;
