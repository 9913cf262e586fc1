//! Integration tests of the central server over HTTP on loopback, against the CloudStack
//! simulator.

mod auth;
mod billing;
mod binary;
mod kubernetes;
mod network_storage;
mod openapi;
mod stateless;
mod storage;
mod support;
mod tenants;
mod throttle;
mod twofa;
mod users;
mod vms;
