//! Every call out of the UI. Pages use these typed functions and never see `invoke` itself.

pub mod bridge;
pub mod commands;
pub mod events;
