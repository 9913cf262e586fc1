//! Runs the `akashone` binary against a CloudStack-like server, the CloudStack simulator and a
//! central server on loopback.

mod central;
#[path = "../../../app/tests/app/central_fixture.rs"]
mod central_fixture;
mod home;
mod invoice;
mod k8s;
mod resources;
mod run;
mod saved;
#[path = "../../../cloudstack/tests/client/support.rs"]
mod server;
mod sim;
