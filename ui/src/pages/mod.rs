//! One module per page. Pages whose feature is not built yet share [`planned`].

pub mod admin_rights;
pub mod billing;
pub mod connect;
pub mod dashboard;
pub mod kubernetes;
pub mod networks;
pub mod not_found;
pub mod planned;
pub mod security;
pub mod storage;
pub mod super_admin;
pub mod vms;
pub mod white_label;
