//! The shell's context: the theme, the app's facts and the dialogs every page can open.

use akashone_types::{AppInfo, Profile, Theme};
use yew::prelude::*;

/// What opens the dialog: the profile to sign in to, and why, when there is something to say
/// (the session expired, the password was just changed).
#[derive(Clone, Debug, PartialEq)]
pub struct SignInRequest {
    pub profile: Profile,
    pub notice: Option<String>,
}

/// Shared by every component: the theme and how to change it, and the app's facts.
#[derive(Clone, PartialEq)]
pub struct ShellContext {
    pub theme: Theme,
    pub toggle_theme: Callback<()>,
    pub info: Option<AppInfo>,
    pub open_about: Callback<()>,
    /// Opens the sign-in dialog of a central server profile.
    pub open_sign_in: Callback<SignInRequest>,
}

/// The shell context; every component below `Shell` has it.
#[hook]
pub fn use_shell() -> ShellContext {
    use_context::<ShellContext>().expect("ShellContext is provided by Shell")
}
