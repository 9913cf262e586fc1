//! Configuration: command-line flags, then the environment, then a TOML file (`--config`), then
//! defaults. `Debug` never shows a secret.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use crate::crypto::PasswordCost;

mod database;
mod file;

pub use database::{DatabaseUrl, parse_postgres_url, redact_url_password, url_has_password};
pub use file::{ConfigFile, FILE_KEYS};

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
    /// Failures of one account before it is locked.
    pub per_account: i64,
    /// Failures from one address within `ip_window` before it is locked.
    pub per_ip: i64,
    /// The window over which failures of an address are counted.
    pub ip_window: Duration,
    /// How long a lock lasts.
    pub lock_for: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            per_account: 5,
            per_ip: 20,
            ip_window: Duration::from_secs(15 * 60),
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

/// Reads `<data dir>/session_secret`, creating it (owner-only) with a fresh random secret and a
/// warning when absent.
fn load_or_generate_secret(data_dir: &Path) -> Result<Secret, ConfigError> {
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

/// Encodes `bytes` as standard base64 (for data URLs).
pub fn base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn defaults_and_generated_secret_persist() {
        let dir = tempfile::tempdir().unwrap();
        let a = Config::from_vars(vars(&[]), dir.path().into()).unwrap();
        assert_eq!(
            a.database,
            DatabaseUrl::Sqlite(dir.path().join("server.db"))
        );
        assert_eq!(a.bind.to_string(), DEFAULT_BIND);
        assert!(a.cloudstack.is_none());
        let b = Config::from_vars(vars(&[]), dir.path().into()).unwrap();
        assert_eq!(a.session_secret.expose(), b.session_secret.expose());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(SECRET_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn debug_hides_every_secret() {
        let dir = tempfile::tempdir().unwrap();
        let c = Config::from_vars(
            vars(&[
                ("SESSION_SECRET", "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t"),
                ("DATABASE_URL", "postgres://akash:pa55w0rd@db.local/akash"),
                ("CLOUDSTACK_API_URL", "http://cs.local/client/api"),
                ("CLOUDSTACK_API_KEY", "the-api-key"),
                ("CLOUDSTACK_SECRET_KEY", "the-secret-key"),
                ("AKASHONE_ADMIN_PASSWORD", "admin-pa55"),
                ("AKASHONE_BIND", "0.0.0.0:9000"),
            ]),
            dir.path().into(),
        )
        .unwrap();
        let shown = format!("{c:?}");
        for secret in [
            "s3cr3t",
            "pa55w0rd",
            "the-api-key",
            "the-secret-key",
            "admin-pa55",
        ] {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
        assert!(shown.contains("postgres://akash:***@db.local/akash"));
        assert_eq!(c.bind.to_string(), "0.0.0.0:9000");
    }

    #[test]
    fn database_urls() {
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/a.db").unwrap(),
            DatabaseUrl::Sqlite("/var/lib/a.db".into())
        );
        assert!(DatabaseUrl::parse("/nonexistent/typo.db").is_err());
        assert!(DatabaseUrl::parse("mysql://x").is_err());
        assert!(matches!(
            DatabaseUrl::parse("postgresql://u@h/d").unwrap(),
            DatabaseUrl::Postgres(_)
        ));
        assert_eq!(redact_url_password("postgres://u@h/d"), "postgres://u@h/d");
    }

    #[test]
    fn short_secret_and_partial_cloudstack_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            Config::from_vars(vars(&[("SESSION_SECRET", "short")]), dir.path().into()).is_err()
        );
        assert!(
            Config::from_vars(
                vars(&[("CLOUDSTACK_API_URL", "http://x/client/api")]),
                dir.path().into()
            )
            .is_err()
        );
    }

    fn file(text: &str, mode: u32) -> Result<ConfigFile, ConfigError> {
        ConfigFile::parse(Path::new("/etc/akashone/server.toml"), text, Some(mode))
    }

    #[test]
    fn flags_beat_the_environment_which_beats_the_file_which_beats_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let secret = "f".repeat(40);
        let f = file(
            &format!(
                "bind = \"10.0.0.1:1000\"\nadmin_user = \"from-file\"\n\
                 admin_password = \"file-pass\"\nsession_secret = \"{secret}\"\n\
                 data_dir = \"{}\"\ndb_connections = 9\n",
                dir.path().join("from-file").display()
            ),
            0o600,
        )
        .unwrap();
        let env = vars(&[
            ("AKASHONE_BIND", "10.0.0.2:2000"),
            ("AKASHONE_ADMIN_USER", "from-env"),
            // Empty in the environment: unset, so the file's value holds.
            ("AKASHONE_ADMIN_PASSWORD", ""),
        ]);
        let none = Flags::default();
        let c = Config::from_sources(&none, &env, Some(&f), dir.path().join("platform")).unwrap();
        assert_eq!(c.bind.to_string(), "10.0.0.2:2000", "env over file");
        assert_eq!(c.admin_user, "from-env");
        assert_eq!(c.admin_password.unwrap().expose(), "file-pass");
        assert_eq!(c.session_secret.expose(), secret);
        assert_eq!(
            c.data_dir,
            dir.path().join("from-file"),
            "file over default"
        );
        assert_eq!(c.db_connections, 9);
        let flags = Flags {
            bind: Some("10.0.0.3:3000".parse().unwrap()),
            data_dir: Some(dir.path().join("from-flag")),
            simulator: true,
        };
        let c = Config::from_sources(&flags, &env, Some(&f), dir.path().join("platform")).unwrap();
        assert_eq!(c.bind.to_string(), "10.0.0.3:3000", "flag over env");
        assert_eq!(c.data_dir, dir.path().join("from-flag"), "flag over file");
        assert!(c.simulator);
        let c = Config::from_sources(&none, vars(&[]), None, dir.path().join("platform")).unwrap();
        assert_eq!(c.bind.to_string(), DEFAULT_BIND);
        assert_eq!(c.data_dir, dir.path().join("platform"));
        assert_eq!(c.admin_user, "admin");
        assert_eq!(c.db_connections, 4);
    }

    #[test]
    fn postgres_gets_a_larger_pool_unless_told() {
        let dir = tempfile::tempdir().unwrap();
        let pg = ("DATABASE_URL", "postgres://u:p@db.local/akash");
        let c = Config::from_vars(vars(&[pg]), dir.path().into()).unwrap();
        assert_eq!(c.db_connections, 16);
        let c = Config::from_vars(
            vars(&[pg, ("AKASHONE_DB_CONNECTIONS", "40")]),
            dir.path().into(),
        )
        .unwrap();
        assert_eq!(c.db_connections, 40);
        for bad in ["0", "lots", "100000"] {
            let e = Config::from_vars(vars(&[("AKASHONE_DB_CONNECTIONS", bad)]), dir.path().into())
                .unwrap_err();
            assert!(e.to_string().contains("AKASHONE_DB_CONNECTIONS"), "{e}");
        }
    }

    #[test]
    fn unknown_keys_wrong_types_and_bad_toml_are_named() {
        let e = file("bind = \"127.0.0.1:1\"\nsesion_secret = \"x\"\n", 0o600).unwrap_err();
        assert!(e.to_string().contains("unknown key `sesion_secret`"), "{e}");
        assert!(e.to_string().contains("/etc/akashone/server.toml"), "{e}");
        let e = file("[cloudstack]\napi_url = \"x\"\n", 0o600).unwrap_err();
        assert!(e.to_string().contains("unknown key `cloudstack`"), "{e}");
        let e = file("bind = 8787\n", 0o600).unwrap_err();
        assert!(e.to_string().contains("`bind` must be a string"), "{e}");
        let e = file("db_connections = \"many\"\n", 0o600).unwrap_err();
        assert!(
            e.to_string().contains("`db_connections` must be a number"),
            "{e}"
        );
        let e = file("bind = \"unterminated\n", 0o600).unwrap_err();
        assert!(e.to_string().contains("not valid TOML"), "{e}");
    }

    #[test]
    fn a_file_with_secrets_must_be_private() {
        for (text, key) in [
            (
                "session_secret = \"s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t\"",
                "session_secret",
            ),
            ("admin_password = \"pa55\"", "admin_password"),
            ("cloudstack_secret_key = \"k\"", "cloudstack_secret_key"),
            ("cloudstack_api_key = \"k\"", "cloudstack_api_key"),
            (
                "database_url = \"postgres://u:pa55@db/akash\"",
                "database_url",
            ),
            (
                "database_url = \"postgres://u@db/akash?password=pa55\"",
                "database_url",
            ),
        ] {
            for mode in [0o640, 0o604, 0o660, 0o644, 0o602] {
                let e = file(text, mode).unwrap_err();
                assert!(
                    matches!(e, ConfigError::InsecureFile { .. }),
                    "{text} {mode:o}: {e}"
                );
                let shown = e.to_string();
                assert!(
                    shown.contains(key) && shown.contains("chmod 600"),
                    "{shown}"
                );
                assert!(
                    !shown.contains("pa55") && !shown.contains("s3cr3t"),
                    "{shown}"
                );
            }
            file(text, 0o600).unwrap();
            file(text, 0o400).unwrap();
        }
        // Without secrets any mode will do.
        file(
            "bind = \"127.0.0.1:9000\"\ndatabase_url = \"postgres://u@db/akash\"",
            0o644,
        )
        .unwrap();
        let f = file("admin_password = \"pa55\"", 0o600).unwrap();
        assert!(!format!("{f:?}").contains("pa55"));
    }

    #[test]
    fn postgres_urls_are_checked_and_their_passwords_masked() {
        assert_eq!(
            redact_url_password("postgres://u:pw@h/d?sslmode=disable&password=pw2&user=x"),
            "postgres://u:***@h/d?sslmode=disable&password=***&user=x"
        );
        assert_eq!(
            redact_url_password("postgres://u@/d?host=/run/postgresql"),
            "postgres://u@/d?host=/run/postgresql"
        );
        for bad in [
            "postgres://u:pw@h:port/d",
            "postgres://u:pw@h/d?sslmode=require",
            "postgres://u:pw@h/d?nonsense=1",
            "postgres://u:pw@/d",
        ] {
            let e = DatabaseUrl::parse(bad).unwrap_err().to_string();
            assert!(e.starts_with("DATABASE_URL"), "{e}");
            assert!(!e.contains("pw"), "{bad}: {e}");
        }
        let ok = DatabaseUrl::parse("postgres://u:pw@/d?host=/run/postgresql").unwrap();
        assert_eq!(
            format!("{ok:?}"),
            "postgres://u:***@/d?host=/run/postgresql"
        );
    }
}
