//! Integration tests of the vault; modules mirror the crate's source.

mod backend;
mod file;
mod keyring_store;
mod secret;
mod support;
