//! Runs the `akashone` binary against a CloudStack-like server on loopback.

mod invoice;
mod run;
#[path = "../../../cloudstack/tests/client/support.rs"]
mod server;
mod sim;
