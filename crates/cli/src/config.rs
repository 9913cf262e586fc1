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

/// The profile file to read: `config_path`, else `AKASHONE_CONFIG`, else [`default_path`].
pub fn profile_file(config_path: Option<&Path>, env: &dyn Env) -> Option<PathBuf> {
    config_path
        .map(Path::to_path_buf)
        .or_else(|| env.var(ENV_CONFIG).map(PathBuf::from))
        .or_else(default_path)
}

/// Every profile of the profile file (none when there is no file).
pub fn load_all(file: Option<&Path>) -> Result<BTreeMap<String, Profile>, ConfigError> {
    let Some(path) = file else {
        return Ok(BTreeMap::new());
    };
    match std::fs::read_to_string(path) {
        Ok(text) => parse_profiles(&text, path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(e) => Err(ConfigError(format!(
            "cannot read the profile file {}: {e}",
            path.display()
        ))),
    }
}

/// The profile `name` of the profile file, if the file and the profile exist.
pub fn load(file: Option<&Path>, name: &str) -> Result<Option<Profile>, ConfigError> {
    Ok(load_all(file)?.remove(name))
}

/// Whether any of the `CLOUDSTACK_*` variables is set (all three are then required).
pub fn env_has_credentials(env: &dyn Env) -> bool {
    [ENV_URL, ENV_KEY, ENV_SECRET]
        .iter()
        .any(|v| env.var(v).is_some())
}

/// Removes the profiles `names` from the profile file, keeping the others as they were
/// written (comments included); the file is deleted when no profile is left in it. Returns the
/// names of the profiles left.
pub fn remove_profiles(path: &Path, names: &[String]) -> Result<Vec<String>, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError(format!("cannot read {}: {e}", path.display())))?;
    // Split the file at its table headers, so what is kept stays byte for byte.
    let mut sections: Vec<(Option<String>, String)> = vec![(None, String::new())];
    for line in text.split_inclusive('\n') {
        if let Some(name) = table_header(line) {
            sections.push((Some(name), String::new()));
        }
        if let Some(last) = sections.last_mut() {
            last.1.push_str(line);
        }
    }
    let mut kept = String::new();
    let mut left = Vec::new();
    for (name, body) in sections {
        match name {
            Some(n) if names.contains(&n) => {}
            Some(n) => {
                left.push(n);
                kept.push_str(&body);
            }
            None => kept.push_str(&body),
        }
    }
    // What is kept must still be a valid profile file with exactly the other profiles.
    let check = parse_profiles(&kept, path)?;
    if check.keys().cloned().collect::<Vec<_>>() != {
        let mut l = left.clone();
        l.sort();
        l
    } {
        return Err(ConfigError(format!(
            "{} has a layout this command does not rewrite safely; remove the imported profiles from it by hand",
            path.display()
        )));
    }
    let result = if left.is_empty() {
        std::fs::remove_file(path)
    } else {
        // The other profiles keep their secrets: keep the file's permissions too.
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, kept)
            .and_then(|()| std::fs::set_permissions(&tmp, std::fs::metadata(path)?.permissions()))
            .and_then(|()| std::fs::rename(&tmp, path))
    };
    result.map_err(|e| ConfigError(format!("cannot rewrite {}: {e}", path.display())))?;
    Ok(left)
}

/// The name of a `[name]` table header line.
fn table_header(line: &str) -> Option<String> {
    let t = line.trim();
    let inner = t.strip_prefix('[')?;
    if inner.starts_with('[') {
        return None;
    }
    let end = inner.find(']')?;
    let rest = inner[end + 1..].trim();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    let name = inner[..end].trim();
    let name = name
        .strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
        .or_else(|| name.strip_prefix('\'').and_then(|n| n.strip_suffix('\'')))
        .unwrap_or(name);
    Some(name.to_owned())
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

    #[test]
    fn removing_profiles_keeps_the_rest_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profiles.toml");
        let text = format!(
            "# my clouds\n{FILE}\n[\"other one\"] # keep\nurl = \"u\"\napi_key = \"k\"\nsecret_key = \"s\"\n"
        );
        std::fs::write(&path, &text).unwrap();
        let left = remove_profiles(&path, &["lab".into()]).unwrap();
        assert_eq!(left, ["default", "other one"]);
        let now = std::fs::read_to_string(&path).unwrap();
        assert!(now.starts_with("# my clouds\n"));
        assert!(!now.contains("ls"), "{now}");
        assert!(now.contains("[\"other one\"] # keep"));
        let all = load_all(Some(&path)).unwrap();
        assert_eq!(all.len(), 2);
        let left = remove_profiles(&path, &["default".into(), "other one".into()]).unwrap();
        assert!(left.is_empty());
        assert!(!path.exists());
        assert!(load_all(Some(&path)).unwrap().is_empty());
    }
}
