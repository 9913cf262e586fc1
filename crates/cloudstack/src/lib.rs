//! An async client for the Apache CloudStack API.
//!
//! - **Signing** exactly as the server verifies it ([`sign`]): names as sent, values encoded
//!   with Java `URLEncoder` rules (`+` → `%20`, `~` → `%7E`), sorted in Java `String` order,
//!   lower-cased, HMAC-SHA1, Base64. Signature version 3 with `expires` by default. Parameter
//!   names are always sent lower-case.
//! - **Typed commands** ([`api`]) for zones, templates, offerings, VMs, SSH keys, networks,
//!   volumes, snapshots, public IPs, firewall and port forwarding rules, usage records, domains,
//!   accounts, events and Kubernetes clusters; lenient [`model`]s (ids as numbers or strings,
//!   missing fields, unknown fields ignored). Any other command goes through [`Client::call`].
//! - **Listing** fetches every page: the first page tells `count`, the rest are fetched a few at
//!   a time ([`Client::list_all`]).
//! - **Async jobs** ([`AsyncJob`]) are polled with backoff, report progress, can be cancelled
//!   (token or dropping the future) and time out; a failed job is [`Error::JobFailed`] with
//!   CloudStack's `errorcode` and `errortext`.
//! - **Errors** ([`Error`]) are typed and carry CloudStack's message; [`Error::code`] maps them
//!   to the UI's [`akashone_types::ErrorCode`]. Idempotent commands (`list*`, `query*`, `get*`)
//!   are retried with backoff after transport errors and transient 5xx answers; state-changing
//!   commands never are.
//! - The secret key never appears in `Debug` output, logs or error messages.
//!
//! ```no_run
//! use akashone_cloudstack::{Client, ClientConfig, JobOptions, api::{DeployVirtualMachine, ListZones}};
//! use std::time::Duration;
//!
//! # async fn demo() -> akashone_cloudstack::Result<()> {
//! let client = Client::new(
//!     ClientConfig::new("https://cloud.example.com/client/api", "API-KEY", "SECRET-KEY")
//!         .with_timeout(Duration::from_secs(20)),
//! )?;
//! let zones = client.list_zones(&ListZones::default()).await?;
//! let zone = zones[0].id.clone().unwrap_or_default();
//!
//! let job = client
//!     .deploy_virtual_machine(&DeployVirtualMachine::new(zone, "OFFERING-ID", "TEMPLATE-ID"))
//!     .await?;
//! let opts = JobOptions::default().with_progress(|p| eprintln!("{} poll {}", p.jobid, p.polls));
//! let vm = job.wait(&opts).await?;
//! println!("{:?} is {:?}", vm.name, vm.state);
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

pub mod api;
mod client;
mod config;
mod de;
pub mod error;
pub mod job;
pub mod model;
mod params;
pub mod response;
pub mod sign;

pub use client::{Client, PreparedRequest, RawResponse};
pub use config::{
    AUTO_POST_THRESHOLD, ClientConfig, HttpMethod, MethodPolicy, RetryPolicy, SecretKey,
    USER_AGENT, is_idempotent,
};
pub use de::Lenient;
pub use error::{Error, Result};
pub use job::{AsyncJob, JobOptions, JobOutput, JobProgress, ProgressFn, ResultKey};
pub use params::{Params, ToParam};
pub use response::Page;
pub use tokio_util::sync::CancellationToken;
