//! Where the app keeps its data, shared by the desktop app and the command line so both open the
//! same profiles, vault and offline caches.

use std::path::PathBuf;

/// The app's identifier (`identifier` in `tauri.conf.json`); it names the data folder.
pub const IDENTIFIER: &str = "com.akashone.console";

/// Environment variable that overrides where settings and caches are kept (tests, portable use).
pub const DATA_DIR_ENV: &str = "AKASHONE_DATA_DIR";

/// The data folder: `AKASHONE_DATA_DIR` when set, else [`default_data_dir`].
pub fn data_dir() -> Option<PathBuf> {
    std::env::var_os(DATA_DIR_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| default_data_dir(IDENTIFIER))
}

/// The per-user data folder Tauri picks for `identifier`: `$XDG_DATA_HOME/<identifier>`, else
/// `~/.local/share/<identifier>` (and `%APPDATA%\<identifier>` where there is no `HOME`).
pub fn default_data_dir(identifier: &str) -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".local/share"))
        })
        .or_else(|| std::env::var_os("APPDATA").map(PathBuf::from))?;
    Some(base.join(identifier))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_is_the_desktop_apps() {
        let conf: serde_json::Value =
            serde_json::from_str(include_str!("../../../tauri.conf.json")).unwrap();
        assert_eq!(conf["identifier"], IDENTIFIER);
    }
}
