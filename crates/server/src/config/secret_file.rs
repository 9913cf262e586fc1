//! The session secret kept in the data directory, and the owner-only files and folders that
//! hold it.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use super::{ConfigError, SECRET_FILE, Secret};

/// Reads `<data dir>/session_secret`, creating it (owner-only) with a fresh random secret and a
/// warning when absent.
pub(super) fn load_or_generate_secret(data_dir: &Path) -> Result<Secret, ConfigError> {
    let path = data_dir.join(SECRET_FILE);
    match std::fs::read_to_string(&path) {
        Ok(s) if s.trim().len() >= 32 => return Ok(Secret::new(s.trim())),
        Ok(_) => {
            return Err(ConfigError::Invalid {
                name: "SESSION_SECRET",
                message: format!("{} holds fewer than 32 characters", path.display()),
            });
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => {
            return Err(ConfigError::Io {
                what: "reading the session secret",
                path,
                source,
            });
        }
    }
    let io = |what, source| ConfigError::Io {
        what,
        path: path.clone(),
        source,
    };
    create_private_dir(data_dir).map_err(|e| io("creating the data directory", e))?;
    let mut raw = Zeroizing::new([0u8; 48]);
    rand::RngCore::fill_bytes(&mut rand::rng(), raw.as_mut());
    let secret = STANDARD.encode(raw.as_ref());
    write_private(&path, &secret).map_err(|e| io("writing the session secret", e))?;
    tracing::warn!(
        path = %path.display(),
        "SESSION_SECRET is not set: generated one and saved it in the data directory; \
         set SESSION_SECRET when running several instances"
    );
    Ok(Secret::new(secret))
}

/// Creates a directory (and missing parents) readable by the owner only: it holds the database
/// and the session secret.
pub fn create_private_dir(path: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(path)
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}
