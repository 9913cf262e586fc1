//! Integration tests of the CloudStack simulator over real HTTP.

mod behaviour;
mod kubernetes_api;
mod kubernetes_rules;
mod network_storage;
mod python;
mod signature;
mod support;
