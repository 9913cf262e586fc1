//! A wire-compatible Apache CloudStack API simulator.
//!
//! It answers `/client/api` like a CloudStack management server: requests are signed (HMAC-SHA1,
//! signature version 3 with `expires`) and checked in the server's order, responses have the
//! server's JSON shapes (`<command>response` wrappers, `count` plus a list key, error bodies with
//! `errorcode`/`cserrorcode`/`errortext` and the matching HTTP status), lists page with
//! `page`/`pagesize`, and state-changing commands run as asynchronous jobs polled with
//! `queryAsyncJobResult`. Data is generated from a seed, in any size, and scoped by domains and
//! accounts.
//!
//! Networks and storage follow CloudStack 4.22's checks and error codes: isolated networks with
//! their CIDR (overlaps within an account and zone refused), VPCs with tiers and ACL lists,
//! public addresses with firewall, egress, port forwarding (opening the firewall by default),
//! static NAT and load balancers (members, health check and stickiness policies), volumes
//! (custom sizes and IOPS, attach/detach, resize with `shrinkok`, migrate between storage pools),
//! snapshots, snapshot policies, templates from snapshots and VM snapshots. Releasing an address
//! drops its rules, deleting a network frees its CIDR and addresses, and volumes, snapshots, VM
//! snapshots and addresses are reported by `listUsageRecords`.
//!
//! Kubernetes clusters (CKS) come with a small Kubernetes API each: while a cluster is Running,
//! a TLS listener on 127.0.0.1 (one port per cluster, kept across stop and start) requires the
//! cluster's client certificate and serves `/version`, `/readyz`, `/livez`, discovery, nodes
//! (one per member VM), namespaces and kube-system pods. `getKubernetesClusterConfig` returns a
//! kubeconfig for it. [`SimHandle::kube_api`] tells where it is; knobs make a node NotReady or
//! absent ([`SimHandle::set_kube_node_health`]) or the API unreachable or not ready while
//! CloudStack says Running ([`SimHandle::set_kube_api_reachable`],
//! [`SimHandle::set_kube_api_ready`]). Account limits are set with
//! [`SimHandle::set_account_limit`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), akashone_cloudstack_sim::SimError> {
//! use akashone_cloudstack_sim::{SimConfig, Simulator};
//! let sim = Simulator::start(SimConfig { vms: 100, ..SimConfig::default() }).await?;
//! println!("{} {} {}", sim.url(), sim.api_key(), sim.secret_key());
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
#![deny(missing_docs)]
#![recursion_limit = "256"]

mod commands;
mod config;
mod data;
mod error;
mod kubeapi;
mod kubectl;
mod params;
mod render;
mod rng;
mod server;
pub mod signing;
mod state;
mod util;

pub use commands::limits::LimitedResource;
pub use config::{Dataset, SimConfig};
pub use data::SimUser;
pub use error::SimError;
pub use kubeapi::{KubeApiInfo, KubeNodeHealth};
pub use kubectl::kubectl;
pub use server::{SimHandle, Simulator, command_names};
