//! Integration tests of the offline cache; modules mirror the crate's source.

mod query;
mod records;
mod schema;
mod store;
mod support;
mod sync;
