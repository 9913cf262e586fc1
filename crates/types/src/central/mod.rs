//! The HTTP API of the AkashOne central server: request and response bodies, defined once for
//! the server (which describes them in its OpenAPI document with the `openapi` feature) and for
//! its clients (the desktop app).
//!
//! Field names are camelCase on the wire. Secrets (passwords, tokens, codes) never show in
//! `Debug` output.

mod auth;
mod billing;
mod permission;
mod tenants;
mod vms;

pub use auth::*;
pub use billing::*;
pub use permission::Permission;
pub use tenants::*;
pub use vms::*;

/// `Debug` for a secret field: its presence, never its value.
pub(crate) struct Redacted<'a, T>(pub &'a T);

impl std::fmt::Debug for Redacted<'_, String> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "\"\""
        } else {
            "\"<redacted>\""
        })
    }
}

impl std::fmt::Debug for Redacted<'_, Option<String>> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(s) => write!(f, "Some({:?})", Redacted(s)),
            None => f.write_str("None"),
        }
    }
}

impl std::fmt::Debug for Redacted<'_, Vec<String>> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[<{} redacted>]", self.0.len())
    }
}
