//! The TOML configuration file: the same settings as the environment.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::{ConfigError, url_has_password};

/// The keys a configuration file may hold, each with the environment variable it stands for.
pub const FILE_KEYS: &[(&str, &str)] = &[
    ("database_url", "DATABASE_URL"),
    ("session_secret", "SESSION_SECRET"),
    ("cloudstack_api_url", "CLOUDSTACK_API_URL"),
    ("cloudstack_api_key", "CLOUDSTACK_API_KEY"),
    ("cloudstack_secret_key", "CLOUDSTACK_SECRET_KEY"),
    ("bind", "AKASHONE_BIND"),
    ("data_dir", "AKASHONE_DATA_DIR"),
    ("admin_user", "AKASHONE_ADMIN_USER"),
    ("admin_password", "AKASHONE_ADMIN_PASSWORD"),
    ("db_connections", "AKASHONE_DB_CONNECTIONS"),
];

/// Keys whose values are secrets: a file holding any of them must be private to its owner.
const SECRET_KEYS: &[&str] = &[
    "session_secret",
    "cloudstack_api_key",
    "cloudstack_secret_key",
    "admin_password",
];

/// A parsed configuration file (`--config <file.toml>`): flat `key = value` lines, the keys of
/// [`FILE_KEYS`]. `Debug` shows the keys only.
#[derive(Clone, Default)]
pub struct ConfigFile {
    path: PathBuf,
    /// By environment variable name.
    values: BTreeMap<&'static str, String>,
}

impl fmt::Debug for ConfigFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigFile")
            .field("path", &self.path)
            .field("variables", &self.values.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl ConfigFile {
    /// Reads and checks the file at `path`: TOML, known keys only, and private to its owner
    /// when it holds a secret.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::File {
            path: path.to_owned(),
            message: format!("cannot read it: {e}"),
        })?;
        #[cfg(unix)]
        let mode = {
            use std::os::unix::fs::PermissionsExt;
            let meta = std::fs::metadata(path).map_err(|e| ConfigError::File {
                path: path.to_owned(),
                message: format!("cannot read its permissions: {e}"),
            })?;
            Some(meta.permissions().mode() & 0o7777)
        };
        #[cfg(not(unix))]
        let mode = None;
        Self::parse(path, &text, mode)
    }

    /// Parses `text` (read from `path`, with permission bits `mode` when known).
    pub fn parse(path: &Path, text: &str, mode: Option<u32>) -> Result<Self, ConfigError> {
        let file_err = |message: String| ConfigError::File {
            path: path.to_owned(),
            message,
        };
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| file_err(format!("not valid TOML: {}", e.message())))?;
        let mut values = BTreeMap::new();
        let mut secrets = Vec::new();
        for (key, value) in &table {
            let Some(&(_, var)) = FILE_KEYS.iter().find(|(k, _)| k == key) else {
                return Err(file_err(format!(
                    "unknown key `{key}`; the keys are {}",
                    FILE_KEYS
                        .iter()
                        .map(|(k, _)| *k)
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            };
            let numeric = key == "db_connections";
            let value = match value {
                toml::Value::String(s) if !numeric => s.clone(),
                toml::Value::Integer(n) if numeric => n.to_string(),
                other => {
                    return Err(file_err(format!(
                        "`{key}` must be a {}, not a {}",
                        if numeric { "number" } else { "string" },
                        other.type_str()
                    )));
                }
            };
            let secret = SECRET_KEYS.contains(&key.as_str())
                || (key == "database_url" && url_has_password(&value));
            if secret && !value.is_empty() {
                secrets.push(key.clone());
            }
            values.insert(var, value);
        }
        if let Some(mode) = mode
            && mode & 0o077 != 0
            && !secrets.is_empty()
        {
            return Err(ConfigError::InsecureFile {
                path: path.to_owned(),
                mode,
                keys: secrets.join(", "),
            });
        }
        Ok(ConfigFile {
            path: path.to_owned(),
            values,
        })
    }

    /// The value standing for environment variable `var`.
    pub fn get(&self, var: &str) -> Option<String> {
        self.values.get(var).cloned()
    }

    /// Where it was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }
}
