//! The AkashOne Console UI: a Yew app compiled to wasm and hosted by the Tauri shell.
//!
//! Layout: `app` (the shell and the one `switch` to the pages), `route`, `pages/`, `components/` (never importing a
//! page), `hooks/` (shared state and loading), `format` (how figures, money, dates and sizes
//! read), `services/` (every call out of the UI goes through the typed `invoke` bridge there).

mod app;
mod components;
mod format;
mod hooks;
mod pages;
mod route;
mod services;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
