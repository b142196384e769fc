//! Crate-level tests that need more than one module: the differential test against the
//! real `ansible-inventory`, the `ansible-playbook --syntax-check` test, property tests
//! and the random inventory generator they share. Kept in the lib so the crate has one
//! test binary.

mod ansible;
mod bounds;
mod corpus;
mod differential;
mod generator;
mod heavy_inputs;
mod json;
mod large;
mod playbook_check;
mod proptests;
mod rng;
