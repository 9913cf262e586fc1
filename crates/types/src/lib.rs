//! Types shared by every front door of AkashOne Console: the Tauri shell, the Yew UI (compiled to
//! wasm) and, later, the central server. Request and response shapes are defined here once so the
//! two sides of the `invoke` bridge cannot drift apart.
//!
//! This crate must stay dependency-light and compile for `wasm32-unknown-unknown`.
#![deny(missing_docs)]

mod error;
mod settings;

pub use error::{ApiError, ErrorCode};
pub use settings::{AppInfo, Settings, Theme, UnknownTheme};
