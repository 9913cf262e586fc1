//! Where Debian's kubectl (package kubernetes-client) is found, for every test that checks the
//! simulator's Kubernetes API with an independent client.

use std::path::PathBuf;

/// `$AKASHONE_KUBECTL`, else `kubectl` in `$AKASHONE_TOOLS_DIR`, else in `~/.cache/akashone`,
/// where `cargo xtask setup` places it (not system-wide, where it could clash with another
/// kubectl). The error says how to get it.
pub fn kubectl() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("AKASHONE_KUBECTL").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let tools = std::env::var_os("AKASHONE_TOOLS_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_default()
                .join(".cache/akashone")
        });
    let path = tools.join("kubectl");
    if path.exists() {
        Ok(path)
    } else {
        Err(format!(
            "no kubectl from Debian's kubernetes-client at {}: set AKASHONE_KUBECTL or run `cargo xtask setup`",
            path.display()
        ))
    }
}
