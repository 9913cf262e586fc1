//! Where credentials come from: a named profile, the environment, or the `default` profile.
//!
//! Profile file: `<config dir>/akashone/profiles.toml` (Linux `~/.config/akashone/profiles.toml`,
//! macOS `~/Library/Application Support/akashone/profiles.toml`, Windows
//! `%APPDATA%\akashone\profiles.toml`), or the file named by `--config` / `AKASHONE_CONFIG`.
//! One table per profile:
//!
//! ```toml
//! [default]
//! url = "https://cloud.example.com/client/api"
//! api_key = "..."
//! secret_key = "..."
//!
//! [lab]
//! url = "http://10.0.0.5:8080/client/api"
//! api_key = "..."
//! secret_key = "..."
//! timeout_secs = 60        # optional, per request (default 30)
//! verify_tls = false       # optional, accept self-signed certificates (default true)
//! post = true              # optional, always use POST (default: GET, POST for user data)
//! ```
//!
//! Resolution order: `--profile NAME` (or `AKASHONE_PROFILE`); else the environment variables
//! `CLOUDSTACK_API_URL`, `CLOUDSTACK_API_KEY`, `CLOUDSTACK_SECRET_KEY`; else the `default`
//! profile.

use akashone_cloudstack::{ClientConfig, MethodPolicy};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Environment variable with the API URL.
pub const ENV_URL: &str = "CLOUDSTACK_API_URL";
/// Environment variable with the API key.
pub const ENV_KEY: &str = "CLOUDSTACK_API_KEY";
/// Environment variable with the secret key.
pub const ENV_SECRET: &str = "CLOUDSTACK_SECRET_KEY";
/// Environment variable naming the profile file.
pub const ENV_CONFIG: &str = "AKASHONE_CONFIG";
/// Environment variable naming the profile.
pub const ENV_PROFILE: &str = "AKASHONE_PROFILE";

/// One profile of the profile file.
#[derive(Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The API endpoint.
    pub url: String,
    /// The API key.
    pub api_key: String,
    /// The secret key.
    pub secret_key: String,
    /// Per-request timeout in seconds.
    pub timeout_secs: Option<u64>,
    /// Verify TLS certificates (default true).
    pub verify_tls: Option<bool>,
    /// Always POST.
    pub post: Option<bool>,
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("url", &self.url)
            .field("api_key", &self.api_key)
            .field("secret_key", &"<redacted>")
            .field("timeout_secs", &self.timeout_secs)
            .field("verify_tls", &self.verify_tls)
            .field("post", &self.post)
            .finish()
    }
}

impl Profile {
    /// The client configuration for this profile.
    pub fn client_config(&self) -> ClientConfig {
        let mut c = ClientConfig::new(&self.url, &self.api_key, self.secret_key.as_str());
        if let Some(t) = self.timeout_secs {
            c.timeout = Duration::from_secs(t.max(1));
        }
        if self.verify_tls == Some(false) {
            c.accept_invalid_certs = true;
        }
        if self.post == Some(true) {
            c.method = MethodPolicy::Post;
        }
        c
    }
}

/// A configuration problem (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// The default profile file.
pub fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("akashone").join("profiles.toml"))
}

/// Parses a profile file's text.
pub fn parse_profiles(text: &str, path: &Path) -> Result<BTreeMap<String, Profile>, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError(format!("{}: {e}", path.display())))
}

/// What the environment provides (a seam for tests).
pub trait Env {
    /// A variable's value, if set and not empty.
    fn var(&self, name: &str) -> Option<String>;
}

/// The process environment.
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
}

/// Resolves the credentials to use.
pub fn resolve(
    profile: Option<&str>,
    config_path: Option<&Path>,
    env: &dyn Env,
) -> Result<Profile, ConfigError> {
    let path = config_path
        .map(Path::to_path_buf)
        .or_else(|| env.var(ENV_CONFIG).map(PathBuf::from))
        .or_else(default_path);
    let profile = profile.map(str::to_owned).or_else(|| env.var(ENV_PROFILE));

    let load = |name: &str, required: bool| -> Result<Option<Profile>, ConfigError> {
        let Some(path) = &path else {
            return if required {
                Err(ConfigError(
                    "no configuration directory on this system; use --config".into(),
                ))
            } else {
                Ok(None)
            };
        };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return Ok(None),
            Err(e) => {
                return Err(ConfigError(format!(
                    "cannot read the profile file {}: {e}",
                    path.display()
                )));
            }
        };
        let mut all = parse_profiles(&text, path)?;
        match all.remove(name) {
            Some(p) => Ok(Some(p)),
            None if required => Err(ConfigError(format!(
                "no profile [{name}] in {} (profiles there: {})",
                path.display(),
                if all.is_empty() {
                    "none".to_owned()
                } else {
                    all.keys().cloned().collect::<Vec<_>>().join(", ")
                }
            ))),
            None => Ok(None),
        }
    };

    if let Some(name) = profile {
        return load(&name, true).map(|p| p.unwrap_or_else(|| unreachable!("required profile")));
    }
    let url = env.var(ENV_URL);
    let key = env.var(ENV_KEY);
    let secret = env.var(ENV_SECRET);
    match (url, key, secret) {
        (Some(url), Some(api_key), Some(secret_key)) => {
            return Ok(Profile {
                url,
                api_key,
                secret_key,
                timeout_secs: None,
                verify_tls: None,
                post: None,
            });
        }
        (None, None, None) => {}
        _ => {
            return Err(ConfigError(format!(
                "set all three of {ENV_URL}, {ENV_KEY} and {ENV_SECRET}, or use --profile"
            )));
        }
    }
    load("default", false)?.ok_or_else(|| {
        ConfigError(format!(
            "no CloudStack credentials: set {ENV_URL}, {ENV_KEY} and {ENV_SECRET}, or add a [default] profile to {}",
            path.map(|p| p.display().to_string()).unwrap_or_else(|| "the profile file".into())
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct FakeEnv(HashMap<&'static str, String>);
    impl Env for FakeEnv {
        fn var(&self, name: &str) -> Option<String> {
            self.0.get(name).cloned()
        }
    }

    const FILE: &str = r#"
[default]
url = "http://d/client/api"
api_key = "dk"
secret_key = "ds"

[lab]
url = "http://lab/client/api"
api_key = "lk"
secret_key = "ls"
timeout_secs = 5
verify_tls = false
post = true
"#;

    #[test]
    fn resolution_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profiles.toml");
        std::fs::write(&path, FILE).unwrap();
        let empty = FakeEnv(HashMap::new());
        let p = resolve(Some("lab"), Some(&path), &empty).unwrap();
        assert_eq!(p.api_key, "lk");
        let c = p.client_config();
        assert!(c.accept_invalid_certs);
        assert_eq!(c.method, MethodPolicy::Post);
        assert_eq!(c.timeout, Duration::from_secs(5));
        assert_eq!(resolve(None, Some(&path), &empty).unwrap().api_key, "dk");

        let env = FakeEnv(HashMap::from([
            (ENV_URL, "http://e/client/api".to_owned()),
            (ENV_KEY, "ek".to_owned()),
            (ENV_SECRET, "es".to_owned()),
        ]));
        assert_eq!(resolve(None, Some(&path), &env).unwrap().api_key, "ek");
        assert_eq!(
            resolve(Some("lab"), Some(&path), &env).unwrap().api_key,
            "lk"
        );

        let e = resolve(Some("nope"), Some(&path), &empty).unwrap_err();
        assert!(e.0.contains("default, lab"), "{e}");
        let partial = FakeEnv(HashMap::from([(ENV_URL, "http://e".to_owned())]));
        assert!(resolve(None, Some(&path), &partial).is_err());
        let missing = dir.path().join("none.toml");
        let e = resolve(None, Some(&missing), &empty).unwrap_err();
        assert!(e.0.contains("no CloudStack credentials"));
        assert!(!format!("{p:?}").contains("ls\""));
    }
}
