//! Reusable pieces of the shell: sidebar, top bar, toasts, the about box, icons.

pub mod about;
pub mod cached_table;
pub mod central;
pub mod icons;
pub mod page;
pub mod sidebar;
pub mod sign_in;
pub mod toast;
pub mod topbar;
