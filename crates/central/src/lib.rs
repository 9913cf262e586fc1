//! Client of the AkashOne central server.
//!
//! One [`Central`] per server; a signed-in copy carries the session token ([`Central::with_token`]).
//! Request and response bodies are the server's own types from [`akashone_types::central`], so
//! both sides cannot drift apart. Every failure is a [`CentralError`] carrying the server's
//! message. The token and passwords never appear in `Debug` output or errors.

mod client;
mod error;

pub use client::{Central, Token, VmOperation};
pub use error::CentralError;
