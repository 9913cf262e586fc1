//! A user's home for the binary: the app's data folder, its vault key and profiles.toml under
//! one temporary folder, and nothing else from the environment.

use assert_cmd::prelude::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary home.
pub struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Self {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The app's data folder (profiles, the encrypted vault, caches).
    pub fn data_dir(&self) -> PathBuf {
        self.path().join("data")
    }

    /// The user's config folder (`~/.config`): the vault key and profiles.toml.
    pub fn config_dir(&self) -> PathBuf {
        self.path().join(".config")
    }

    /// The default profiles.toml.
    pub fn profiles_toml(&self) -> PathBuf {
        self.config_dir().join("akashone").join("profiles.toml")
    }

    /// Options for a console opened by the test on the same folders as the binary (as the
    /// desktop app would be).
    pub fn app_options(&self) -> akashone_app::Options {
        akashone_app::Options {
            vault_file_only: true,
            vault_key_file: Some(self.config_dir().join("akashone").join("vault.key")),
            demo_on_first_start: false,
            background: false,
            remember_active: false,
            ..akashone_app::Options::default()
        }
    }

    /// Saves a direct CloudStack profile `name` as the desktop app's Connect page does.
    pub fn save_cloudstack_profile(&self, name: &str, url: &str, key: &str, secret: &str) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let console = akashone_app::Console::open(
                &self.data_dir(),
                std::sync::Arc::new(akashone_app::NoEvents),
                self.app_options(),
            )
            .unwrap();
            console
                .add_cloudstack_profile(&akashone_types::NewCloudStackProfile {
                    name: name.into(),
                    url: url.into(),
                    api_key: key.into(),
                    secret_key: secret.into(),
                })
                .await
                .unwrap();
        });
    }

    /// The binary with this home only.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_akashone"));
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env(akashone_app::paths::DATA_DIR_ENV, self.data_dir())
            .env("AKASHONE_VAULT", "file");
        c
    }

    /// Runs `args` and returns the output, whatever the exit code.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// Runs `args` with `stdin` on standard input; the output, whatever the exit code.
    pub fn run_stdin(&self, args: &[String], stdin: &str) -> Output {
        assert_cmd::Command::from_std(self.cmd())
            .args(args)
            .write_stdin(stdin.to_owned())
            .output()
            .unwrap()
    }

    /// Runs `args`, expects success and parses stdout as JSON.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let out = self
            .cmd()
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone();
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
    }

    /// Every file under the home, with its bytes.
    pub fn files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if let Ok(bytes) = std::fs::read(&p) {
                    out.push((p, bytes));
                }
            }
        }
        let mut out = Vec::new();
        walk(self.path(), &mut out);
        out
    }

    /// The files under the home that hold `secret` in clear.
    pub fn files_holding(&self, secret: &str) -> Vec<PathBuf> {
        self.files()
            .into_iter()
            .filter(|(_, bytes)| bytes.windows(secret.len()).any(|w| w == secret.as_bytes()))
            .map(|(p, _)| p)
            .collect()
    }
}

/// Its code, stdout and stderr, for messages.
pub fn show(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Expects exit `code` with `needle` in stderr; returns stderr.
pub fn fails(o: &Output, code: i32, needle: &str) -> String {
    assert_eq!(o.status.code(), Some(code), "{}", show(o));
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(err.contains(needle), "{needle:?} not in: {}", show(o));
    err
}
