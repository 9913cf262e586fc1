//! Runs the `akashone` binary against a CloudStack-like server on loopback.

mod invoice;
mod run;
mod server;
mod sim;
