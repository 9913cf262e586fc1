//! The storage URL: SQLite or PostgreSQL, with its password kept out of logs.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use tokio_postgres::config::SslMode;

use super::ConfigError;

/// Where the data lives, from `DATABASE_URL`.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL URL (`postgres://` or `postgresql://`); its password never shows in `Debug`.
    Postgres(String),
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite(p) => write!(f, "sqlite://{}", p.display()),
            DatabaseUrl::Postgres(url) => write!(f, "{}", redact_url_password(url)),
        }
    }
}

/// `postgres://user:pw@host/db?password=pw` → `postgres://user:***@host/db?password=***`.
pub fn redact_url_password(url: &str) -> String {
    match url.split_once('?') {
        Some((base, query)) => {
            let query = query
                .split('&')
                .map(|kv| match kv.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => kv.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("&");
            format!("{}?{query}", redact_authority(base))
        }
        None => redact_authority(url),
    }
}

/// Whether a URL carries a password (in its user part or a `password=` parameter).
pub fn url_has_password(url: &str) -> bool {
    redact_url_password(url) != url
}

fn redact_authority(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            let masked = if userinfo.contains(':') {
                format!("{user}:***")
            } else {
                user.to_owned()
            };
            format!("{scheme}://{masked}@{host}{tail}")
        }
        None => url.to_owned(),
    }
}

/// Parses and checks a `postgres://` URL; the error never contains the password.
pub fn parse_postgres_url(url: &str) -> Result<tokio_postgres::Config, String> {
    let config = tokio_postgres::Config::from_str(url).map_err(|e| {
        format!(
            "{} is not a usable PostgreSQL URL: {e}",
            redact_url_password(url)
        )
    })?;
    if config.get_ssl_mode() == SslMode::Require {
        return Err(format!(
            "{}: sslmode=require is not supported by this build (it connects without TLS); \
             reach PostgreSQL over a unix socket, loopback or a private network",
            redact_url_password(url)
        ));
    }
    if config.get_hosts().is_empty() {
        return Err(format!(
            "{} names no host: write postgres://user:password@host/database \
             (or ?host=/run/postgresql for a unix socket)",
            redact_url_password(url)
        ));
    }
    Ok(config)
}

impl DatabaseUrl {
    /// Parses `DATABASE_URL`. A value without a scheme is taken as a SQLite path only when the
    /// file exists, so a typo never creates an empty database somewhere.
    pub fn parse(value: &str) -> Result<Self, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            name: "DATABASE_URL",
            message,
        };
        if let Some(path) = value.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(invalid("sqlite:// needs a file path".into()));
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if let Some(path) = value.strip_prefix("sqlite:") {
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            parse_postgres_url(value).map_err(invalid)?;
            return Ok(DatabaseUrl::Postgres(value.to_owned()));
        }
        if value.contains("://") {
            return Err(invalid(format!(
                "unsupported scheme in {}; use sqlite://<path> or postgres://…",
                redact_url_password(value)
            )));
        }
        if Path::new(value).is_file() {
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(value)));
        }
        Err(invalid(format!(
            "{value} has no scheme and no such file exists; write sqlite://{value} to create it"
        )))
    }
}
