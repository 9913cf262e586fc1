//! Network and storage changes, run against CloudStack once for every front door.
//!
//! [`run`] takes an [`akashone_types::ops::Operation`] (checked on its own already, see
//! [`akashone_types::ops::Operation::problems`]), asks CloudStack with the caller's client and
//! waits for its jobs. A batch (a rule set over several IPs, several port forwards, a load
//! balancer with its firewall rule, members and policies) either completes or is undone: what
//! was created before the failure is deleted again, so nothing is left open or billed.
//!
//! [`rows`] turns CloudStack's answers into the row types the UI, the console and the server
//! share, so that the rules of [`akashone_types::network`] can be checked against what is on
//! the cloud now.
//!
//! The desktop app runs it with the user's keys; the central server with its own, scoped to the
//! tenant ([`Scope`]) after checking that everything the operation names is the tenant's.

mod error;
pub mod rows;
mod run;
mod steps;

pub use error::{Error, Result};
pub use run::{Done, Scope, run};
