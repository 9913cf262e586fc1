//! Choosing the backend: options, the `AKASHONE_VAULT` override, and the keyring probe.

use crate::support::files;
use akashone_vault::{Backend, Choice, ENV_OVERRIDE, Error, Secret, Vault, VaultOptions};
use std::process::Command;

#[test]
fn choices_parse_and_unknown_overrides_are_refused() {
    assert_eq!("file".parse::<Choice>().unwrap(), Choice::File);
    assert_eq!(" FILE ".parse::<Choice>().unwrap(), Choice::File);
    assert_eq!("keyring".parse::<Choice>().unwrap(), Choice::Keyring);
    assert_eq!("Auto".parse::<Choice>().unwrap(), Choice::Auto);
    let err = "plaintext".parse::<Choice>().unwrap_err();
    assert!(matches!(err, Error::InvalidOverride(_)));
    assert!(err.to_string().contains("AKASHONE_VAULT"));
    assert_eq!(
        serde_json::to_string(&Backend::EncryptedFile).unwrap(),
        "\"encrypted_file\""
    );
    assert_eq!(Backend::Keyring.as_str(), "keyring");
    assert_eq!(Backend::Keyring.to_string(), "OS keyring");
}

const CHILD_ENV: &str = "AKASHONE_VAULT_TEST_CHILD_DIR";

/// Run in a child process by [`the_environment_overrides_the_options`]; a no-op otherwise.
#[test]
fn env_child_entry() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    // The options ask for the keyring; the environment decides.
    let opts = VaultOptions::new(dir.join("k"), dir.join("d")).with_choice(Choice::Keyring);
    match Vault::open(opts) {
        Ok(v) => {
            v.set("child", &Secret::new("from-the-child")).unwrap();
            println!("\nBACKEND {}", v.backend().as_str());
        }
        Err(Error::InvalidOverride(v)) => println!("\nINVALID_OVERRIDE {v}"),
        Err(e) => println!("\nERROR {e}"),
    }
}

fn run_child(dir: &std::path::Path, value: &str) -> String {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "backend::env_child_entry", "--nocapture"])
        .env(CHILD_ENV, dir)
        .env(ENV_OVERRIDE, value)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_environment_overrides_the_options() {
    let f = files();
    let out = run_child(f.dir.path(), "file");
    assert!(out.contains("BACKEND encrypted_file"), "{out}");
    let vault = Vault::open(
        VaultOptions::new(f.dir.path().join("k"), f.dir.path().join("d")).with_choice(Choice::File),
    )
    .unwrap();
    assert_eq!(
        vault.get("child").unwrap().unwrap().expose(),
        "from-the-child"
    );
    let out = run_child(f.dir.path(), "plaintext");
    assert!(out.contains("INVALID_OVERRIDE plaintext"), "{out}");
}

/// No session bus, no display: nothing can answer for a keyring.
fn headless() -> bool {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none()
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
        && std::env::var_os(ENV_OVERRIDE).is_none()
        && cfg!(target_os = "linux")
}

#[test]
fn without_a_keyring_auto_falls_back_to_the_encrypted_file() {
    if !headless() {
        eprintln!("skipped: a session bus or display may provide a keyring here");
        return;
    }
    let f = files();
    let vault = Vault::open(VaultOptions::new(&f.key, &f.data)).unwrap();
    assert_eq!(vault.backend(), Backend::EncryptedFile);
    vault.set("prod", &Secret::new("s3cret")).unwrap();
    assert!(f.data.exists() && f.key.exists());

    let forced = Vault::open(VaultOptions::new(&f.key, &f.data).with_choice(Choice::Keyring));
    let err = forced.unwrap_err();
    assert!(matches!(err, Error::KeyringUnavailable(_)), "{err:?}");
    assert_eq!(err.code(), akashone_types::ErrorCode::NotConfigured);
}
