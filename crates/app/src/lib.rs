//! What the desktop app does, without the window. The Tauri shell holds one [`Console`] and its
//! commands call its methods; tests drive the same methods against the simulator.
//!
//! - **Profiles** ([`profiles`]): direct CloudStack profiles (checked with `listZones` before
//!   they are saved; the secret key goes to the vault, never to the profile file) and the demo
//!   profile, which starts the built-in simulator on loopback.
//! - **Offline first**: activating a profile opens its cache, so lists show at once; a sync runs
//!   in the background, a heartbeat notices when the cloud stops answering (the UI then says
//!   "Offline — data from …" and disables actions) and syncs again when it comes back.
//! - **VM actions and deploys** run as async jobs followed in the background; progress is pushed
//!   through [`Events`], and the cached row is updated when a job ends.
#![deny(missing_docs)]

pub mod billing;
mod central;
mod cloud;
mod console;
mod error;
mod events;
mod kubernetes;
pub mod paths;
pub mod profiles;
mod resources;
mod session;
mod store;
mod sync;
mod vms;

pub use console::{Console, Options};
pub use error::{AppError, Result};
pub use events::{Events, NoEvents};
