//! Reusable pieces of the shell: sidebar, top bar, toasts, the about box, icons, and the
//! operation button, job progress and VM pickers of the Networks and Storage pages.

pub mod about;
pub mod central;
pub mod icons;
pub mod job;
pub mod op;
pub mod page;
pub mod sidebar;
pub mod sign_in;
pub mod toast;
pub mod topbar;
