//! Loading what a page shows from the shell.

use crate::services::invoke;
use akashone_types::ApiError;
use akashone_types::commands::Command;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// A list as it loads: not there yet, there, or the call failed.
#[derive(Clone, Debug, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    Failed(ApiError),
}

impl<T> Load<T> {
    /// The value when it is there.
    pub fn ready(&self) -> Option<&T> {
        match self {
            Load::Ready(v) => Some(v),
            _ => None,
        }
    }
}

impl<T> From<Result<T, ApiError>> for Load<T> {
    fn from(r: Result<T, ApiError>) -> Self {
        match r {
            Ok(v) => Load::Ready(v),
            Err(e) => Load::Failed(e),
        }
    }
}

/// What a list shows while it loads again after its inputs changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reload {
    /// "Loading…" until the new answer is there.
    ShowLoading,
    /// What was there, until the new answer replaces it.
    KeepShown,
}

/// Loads what `command` asks of the shell each time `deps` change, into a [`Load`] state the
/// caller can read (and set). When `command` gives `None` (nothing to ask yet: no permission,
/// no profile) the state is left as it is.
#[hook]
pub fn use_load<C, D, F>(deps: D, reload: Reload, command: F) -> UseStateHandle<Load<C::Output>>
where
    C: Command + 'static,
    C::Output: 'static,
    D: PartialEq + 'static,
    F: FnOnce(&D) -> Option<C> + 'static,
{
    let state = use_state(|| Load::Loading);
    {
        let state = state.clone();
        use_effect_with(deps, move |deps| {
            if let Some(command) = command(deps) {
                if reload == Reload::ShowLoading {
                    state.set(Load::Loading);
                }
                let answer = invoke(&command);
                spawn_local(async move { state.set(answer.await.into()) });
            }
        });
    }
    state
}

/// A form's or a button's call to the shell: whether one is under way, and how to send one.
#[derive(Clone, PartialEq)]
pub struct Submit {
    busy: UseStateHandle<bool>,
}

impl Submit {
    /// Whether a call is under way.
    pub fn busy(&self) -> bool {
        *self.busy
    }

    /// Sends `command`, busy until `done` has handled the answer. Does nothing while a call is
    /// already under way, so a double click sends once.
    pub fn send<C>(&self, command: C, done: impl FnOnce(Result<C::Output, ApiError>) + 'static)
    where
        C: Command + 'static,
        C::Output: 'static,
    {
        if *self.busy {
            return;
        }
        let busy = self.busy.clone();
        busy.set(true);
        let answer = invoke(&command);
        spawn_local(async move {
            done(answer.await);
            busy.set(false);
        });
    }
}

/// A [`Submit`] for one form or button.
#[hook]
pub fn use_submit() -> Submit {
    Submit {
        busy: use_state(|| false),
    }
}
