//! Temporary vault files.

use akashone_vault::{Choice, Vault, VaultOptions};
use std::path::PathBuf;
use tempfile::TempDir;

/// Key in `config/`, secrets in `data/`, like the app lays them out.
pub struct Files {
    pub dir: TempDir,
    pub key: PathBuf,
    pub data: PathBuf,
}

pub fn files() -> Files {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = dir.path().join("config").join("vault.key");
    let data = dir.path().join("data").join("secrets.vault");
    Files { dir, key, data }
}

pub fn options(f: &Files) -> VaultOptions {
    VaultOptions::new(&f.key, &f.data).with_choice(Choice::File)
}

/// A file-backed vault (the environment override, if any, is `file` in CI too).
pub fn file_vault(f: &Files) -> Vault {
    Vault::open(options(f)).expect("open vault")
}
