//! The AkashOne central server: accounts with argon2id passwords and TOTP two-factor
//! authentication, a tenant tree of any depth mapped onto CloudStack domains, roles made of
//! permissions, an audit log of every change, and VMs proxied to CloudStack within each
//! tenant's domain with a server-side cache.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use akashone_server::{Config, Server, config::Secret};
//! let mut config = Config::new("/var/lib/akashone", Secret::new("a".repeat(48)));
//! config.simulator = true;
//! let server = Server::start(config).await?;
//! println!("listening on {}", server.url());
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

pub mod app;
mod billing;
pub mod config;
mod context;
pub mod crypto;
pub mod db;
pub mod error;
pub mod rbac;
mod routes;
mod throttle;
pub mod totp;

pub use app::{AppState, Bootstrap, Server, StartError};
pub use config::Config;
pub use error::Error;
pub use routes::{openapi, router};
