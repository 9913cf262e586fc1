//! Integration tests of the CloudStack simulator over real HTTP.

mod behaviour;
mod python;
mod signature;
mod support;
