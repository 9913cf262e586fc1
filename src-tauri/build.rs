fn main() {
    // The UI is embedded at compile time; without it the app would open on an error page.
    if !std::path::Path::new("../ui/dist/index.html").exists() {
        panic!(
            "ui/dist/index.html is missing: build the UI first with `cargo xtask ui` \
             (or use `cargo xtask run` / `cargo xtask test`, which do it for you)"
        );
    }
    tauri_build::try_build(tauri_build::Attributes::new().config_path("../tauri.conf.json"))
        .expect("tauri build step failed");
}
