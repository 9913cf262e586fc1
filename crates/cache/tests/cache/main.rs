//! Integration tests of the offline cache; modules mirror the crate's source.

mod query;
mod schema;
mod store;
mod support;
mod sync;
