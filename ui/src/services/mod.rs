//! Every call out of the UI: [`invoke`] a command declared in [`akashone_types::commands`], or
//! listen to an event named in [`akashone_types::events`].

pub mod bridge;
pub mod events;

pub use bridge::invoke;
