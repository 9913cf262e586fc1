//! State shared across the UI and the hooks that reach it: the shell's context, the live state
//! the shell pushes, and loading from the shell.

mod live;
mod load;
mod shell;

pub use live::{Live, LiveAction, use_live};
pub use load::{Load, Reload, use_load, use_submit};
pub use shell::{ShellContext, SignInRequest, use_shell};
