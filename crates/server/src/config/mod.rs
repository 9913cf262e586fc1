//! Configuration: command-line flags, then the environment, then a TOML file (`--config`), then
//! defaults. `Debug` never shows a secret.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use crate::crypto::PasswordCost;

mod database;
mod file;
mod secret_file;

pub use database::{DatabaseUrl, parse_postgres_url, redact_url_password, url_has_password};
pub use file::{ConfigFile, FILE_KEYS};
pub use secret_file::create_private_dir;
use secret_file::load_or_generate_secret;

/// A configuration problem, reported before the server starts.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A variable has an unusable value.
    #[error("{name}: {message}")]
    Invalid {
        /// Variable.
        name: &'static str,
        /// Why.
        message: String,
    },
    /// The configuration file is unusable (unreadable, not TOML, an unknown key, a wrong type).
    #[error("configuration file {path}: {message}")]
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The configuration file holds secrets but others may read (or write) it.
    #[error(
        "configuration file {path} holds secrets ({keys}) but its mode {mode:04o} lets group or \
         others in; make it private: chmod 600 {path}"
    )]
    InsecureFile {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
        /// The secret keys it holds.
        keys: String,
    },
    /// Reading or writing the data directory failed.
    #[error("{what} ({path}): {source}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// Where.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
}

/// A secret string whose `Debug` shows nothing.
#[derive(Clone)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(Zeroizing::new(s.into()))
    }
    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}

/// How to reach CloudStack.
#[derive(Debug, Clone)]
pub struct CloudStackConfig {
    /// API endpoint, e.g. `https://cloud.example.in/client/api`.
    pub url: String,
    /// API key (not secret by itself, but kept out of logs anyway).
    pub api_key: Secret,
    /// Secret key.
    pub secret_key: Secret,
}

/// Limits on failed logins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    /// Failed password or code checks of one account name within `window` before it is locked
    /// (names that are no account's are counted the same way).
    pub per_account: i64,
    /// Failures from one address within `window` before it is locked.
    pub per_ip: i64,
    /// The window over which failures are counted.
    pub window: Duration,
    /// How long a lock lasts.
    pub lock_for: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            per_account: 5,
            per_ip: 20,
            window: Duration::from_secs(15 * 60),
            lock_for: Duration::from_secs(15 * 60),
        }
    }
}

/// Everything the server needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Storage.
    pub database: DatabaseUrl,
    /// Secret from which session-independent keys (TOTP encryption) are derived.
    pub session_secret: Secret,
    /// CloudStack; `None` until configured (VM and tenant calls then say so).
    pub cloudstack: Option<CloudStackConfig>,
    /// Start the built-in simulator and use it as CloudStack.
    pub simulator: bool,
    /// Listening address.
    pub bind: SocketAddr,
    /// Data directory.
    pub data_dir: PathBuf,
    /// Bootstrap administrator name.
    pub admin_user: String,
    /// Bootstrap administrator password; `None`: a one-time password is generated and printed.
    pub admin_password: Option<Secret>,
    /// Session lifetime.
    pub session_ttl: Duration,
    /// Lifetime of the challenge between password and TOTP code.
    pub challenge_ttl: Duration,
    /// Age after which cached VMs are fetched again.
    pub vm_cache_ttl: Duration,
    /// Failed-login limits.
    pub login_limits: LoginLimits,
    /// Argon2id cost of new password hashes.
    pub password_cost: PasswordCost,
    /// Connections to the database: SQLite's pool of blocking connections, or the most
    /// PostgreSQL connections open at once.
    pub db_connections: usize,
}

/// Values given on the command line: they win over the environment and the file.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// `--bind`.
    pub bind: Option<SocketAddr>,
    /// `--data-dir`.
    pub data_dir: Option<PathBuf>,
    /// `--simulator`.
    pub simulator: bool,
}

/// Default listening address.
pub const DEFAULT_BIND: &str = "127.0.0.1:8787";
const SECRET_FILE: &str = "session_secret";

impl Config {
    /// Defaults for a data directory, with a given session secret (tests, embedding).
    pub fn new(data_dir: impl Into<PathBuf>, session_secret: Secret) -> Self {
        let data_dir = data_dir.into();
        Config {
            database: DatabaseUrl::Sqlite(data_dir.join("server.db")),
            session_secret,
            cloudstack: None,
            simulator: false,
            bind: DEFAULT_BIND.parse().unwrap_or_else(|_| unreachable!()),
            data_dir,
            admin_user: "admin".into(),
            admin_password: None,
            session_ttl: Duration::from_secs(12 * 3600),
            challenge_ttl: Duration::from_secs(300),
            vm_cache_ttl: Duration::from_secs(30),
            login_limits: LoginLimits::default(),
            password_cost: PasswordCost::default(),
            db_connections: 4,
        }
    }

    /// The configuration from every source: `flags` win over the environment (`env`, normally
    /// `std::env::var`), which wins over `file`, which wins over the defaults. The data directory
    /// defaults to `platform_data_dir`.
    pub fn from_sources(
        flags: &Flags,
        env: impl Fn(&str) -> Option<String>,
        file: Option<&ConfigFile>,
        platform_data_dir: PathBuf,
    ) -> Result<Self, ConfigError> {
        let lookup = |name: &str| {
            if name == "AKASHONE_DATA_DIR" && flags.data_dir.is_some() {
                return None;
            }
            env(name)
                .filter(|v| !v.trim().is_empty())
                .or_else(|| file.and_then(|f| f.get(name)))
        };
        let default_dir = flags.data_dir.clone().unwrap_or(platform_data_dir);
        let mut config = Config::from_vars(lookup, default_dir)?;
        config.simulator |= flags.simulator;
        if let Some(bind) = flags.bind {
            config.bind = bind;
        }
        Ok(config)
    }

    /// Reads the configuration through `var` (normally `std::env::var`). `data_dir` is
    /// `AKASHONE_DATA_DIR`, else the given default. SESSION_SECRET, when unset, is generated
    /// once into the data directory (with a warning).
    pub fn from_vars(
        var: impl Fn(&str) -> Option<String>,
        default_data_dir: PathBuf,
    ) -> Result<Self, ConfigError> {
        let var = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let data_dir = var("AKASHONE_DATA_DIR")
            .map(PathBuf::from)
            .unwrap_or(default_data_dir);
        let session_secret = match var("SESSION_SECRET") {
            Some(s) if s.len() < 32 => {
                return Err(ConfigError::Invalid {
                    name: "SESSION_SECRET",
                    message: "must be at least 32 characters".into(),
                });
            }
            Some(s) => Secret::new(s),
            None => load_or_generate_secret(&data_dir)?,
        };
        let mut config = Config::new(&data_dir, session_secret);
        if let Some(url) = var("DATABASE_URL") {
            config.database = DatabaseUrl::parse(&url)?;
        }
        config.db_connections = match var("AKASHONE_DB_CONNECTIONS") {
            Some(n) => match n.trim().parse::<usize>() {
                Ok(n) if (1..=1000).contains(&n) => n,
                _ => {
                    return Err(ConfigError::Invalid {
                        name: "AKASHONE_DB_CONNECTIONS",
                        message: format!("{n:?} is not a number from 1 to 1000"),
                    });
                }
            },
            // One PostgreSQL connection waits on the network, not on a disk lock: more of them
            // keep concurrent requests moving.
            None if matches!(config.database, DatabaseUrl::Postgres(_)) => 16,
            None => config.db_connections,
        };
        match (
            var("CLOUDSTACK_API_URL"),
            var("CLOUDSTACK_API_KEY"),
            var("CLOUDSTACK_SECRET_KEY"),
        ) {
            (Some(url), Some(key), Some(secret)) => {
                config.cloudstack = Some(CloudStackConfig {
                    url,
                    api_key: Secret::new(key),
                    secret_key: Secret::new(secret),
                });
            }
            (None, None, None) => {}
            _ => {
                return Err(ConfigError::Invalid {
                    name: "CLOUDSTACK_API_URL",
                    message: "set CLOUDSTACK_API_URL, CLOUDSTACK_API_KEY and CLOUDSTACK_SECRET_KEY together".into(),
                });
            }
        }
        if let Some(bind) = var("AKASHONE_BIND") {
            config.bind = bind.parse().map_err(|e| ConfigError::Invalid {
                name: "AKASHONE_BIND",
                message: format!("{bind:?} is not an address like {DEFAULT_BIND}: {e}"),
            })?;
        }
        if let Some(user) = var("AKASHONE_ADMIN_USER") {
            config.admin_user = user;
        }
        config.admin_password = var("AKASHONE_ADMIN_PASSWORD").map(Secret::new);
        Ok(config)
    }

    /// The key material of the session secret.
    pub fn secret_bytes(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(self.session_secret.expose().as_bytes().to_vec())
    }
}

/// Encodes `bytes` as standard base64 (for data URLs).
pub fn base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests;
