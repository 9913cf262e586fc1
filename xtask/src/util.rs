//! Small helpers: running commands, finding the workspace, the target and tools folders.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (the parent of this crate's folder).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_owned()
}

/// Where cargo puts builds: `CARGO_TARGET_DIR`, else what `cargo metadata` says.
pub fn target_dir() -> Result<PathBuf> {
    if let Some(dir) = env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        return Ok(if dir.is_absolute() {
            dir
        } else {
            root().join(dir)
        });
    }
    let out = Command::new(cargo())
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(root())
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("cargo metadata printed something unexpected: {e}"))?;
    meta["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .ok_or_else(|| "cargo metadata gave no target_directory".into())
}

/// Where setup keeps tools that are not cargo binaries (wasm-opt, the Python test venv).
pub fn tools_dir() -> PathBuf {
    env::var_os("AKASHONE_TOOLS_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| home().join(".cache/akashone"))
}

pub fn home() -> PathBuf {
    env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The cargo that runs us (so the same toolchain builds everything).
pub fn cargo() -> String {
    env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// The Python interpreter of the test venv.
pub fn venv_python() -> PathBuf {
    tools_dir().join("pyenv/bin/python")
}

/// `PATH` with setup's tool folders first (wasm-opt from npm, cargo's bin folder).
pub fn tool_path() -> std::ffi::OsString {
    let mut dirs = vec![
        tools_dir().join("node/node_modules/.bin"),
        home().join(".cargo/bin"),
    ];
    if let Some(path) = env::var_os("PATH") {
        dirs.extend(env::split_paths(&path));
    }
    env::join_paths(dirs).unwrap_or_default()
}

/// A command with the tool `PATH`, run from the workspace root.
pub fn cmd(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root()).env("PATH", tool_path());
    c
}

/// Runs a command, echoing it first; fails with its exit status.
pub fn run(c: &mut Command) -> Result {
    eprintln!("$ {}", describe(c));
    let status = c
        .status()
        .map_err(|e| format!("cannot start {}: {e}", c.get_program().to_string_lossy()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` exited with {status}", describe(c)))
    }
}

/// Whether a program answers `--version` (i.e. it is installed and runs).
pub fn version_of(program: &str) -> Option<String> {
    let out = cmd(program).arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

pub fn describe(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for a in c.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// The exact version of a package in Cargo.lock.
pub fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .ok_or_else(|| format!("{package} is not in Cargo.lock"))?
        + needle.len();
    let end = lock[start..].find('"').ok_or("Cargo.lock is malformed")?;
    Ok(lock[start..start + end].to_owned())
}
