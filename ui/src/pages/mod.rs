//! One module per page. Pages whose feature is not built yet share [`planned`].

pub mod connect;
pub mod dashboard;
pub mod not_found;
pub mod planned;
pub mod resources;
pub mod vms;
