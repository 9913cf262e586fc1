//! Types shared by every front door of AkashOne Console: the Tauri shell, the Yew UI (compiled to
//! wasm) and, later, the central server. Request and response shapes are defined here once so the
//! two sides of the `invoke` bridge cannot drift apart.
//!
//! This crate must stay dependency-light and compile for `wasm32-unknown-unknown`.
#![deny(missing_docs)]

pub mod central;
pub mod commands;
mod error;
pub mod events;
mod invoices;
pub mod kubernetes;
pub mod network;
pub mod ops;
mod profile;
mod settings;
pub mod storage;
mod vm;

pub use error::{ApiError, ErrorCode};
pub use invoices::{InvoiceCopy, InvoiceList, SavedPdf};
pub use profile::{
    ActingTenant, ConnectionStatus, ConsoleBrand, NewCentralProfile, NewCloudStackProfile, Profile,
    ProfileKind, Profiles, Reachability, SecretStorage, SignInStep,
};
pub use settings::{AppInfo, Settings, Theme, UnknownTheme};
pub use vm::{
    CACHED_LISTS, CachedList, Choice, DashboardFigures, DeployRequest, JobEvent, JobPhase,
    UnknownSort, VmAction, VmMetrics, VmPage, VmQuery, VmRow, VmSort, vm_name_problem,
};
