//! The AkashOne Console UI: a Yew app compiled to wasm and hosted by the Tauri shell.
//!
//! Layout: `route` (the pages and the one `switch`), `pages/`, `components/`, `services/` (every
//! call out of the UI goes through the typed `invoke` bridge there).

mod app;
mod components;
mod live;
mod pages;
mod route;
mod services;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
