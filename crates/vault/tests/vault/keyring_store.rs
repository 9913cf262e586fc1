//! The OS keyring backend, where one is available (a desktop session, or a Secret Service
//! started for the test run by `crates/vault/scripts/test-with-secret-service.sh`); skipped
//! otherwise.

use crate::support::files;
use akashone_vault::{Backend, Choice, ENV_OVERRIDE, Secret, Vault, VaultOptions};

#[test]
fn keyring_round_trip_when_available() {
    if std::env::var_os(ENV_OVERRIDE).is_some() {
        eprintln!("skipped: {ENV_OVERRIDE} is set");
        return;
    }
    let f = files();
    let service = format!("com.akashone.console.test-{}", std::process::id());
    let opts = VaultOptions::new(&f.key, &f.data)
        .with_service(&service)
        .with_choice(Choice::Keyring);
    let vault = match Vault::open(opts) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("skipped: no OS keyring here ({e})");
            return;
        }
    };
    assert_eq!(vault.backend(), Backend::Keyring);
    assert!(vault.files().is_none());
    assert!(vault.get("prod").unwrap().is_none());
    vault.set("prod", &Secret::new("keyring-secret-ü")).unwrap();
    vault.set("prod", &Secret::new("keyring-secret-2")).unwrap();
    assert_eq!(
        vault.get("prod").unwrap().unwrap().expose(),
        "keyring-secret-2"
    );
    assert!(vault.delete("prod").unwrap());
    assert!(!vault.delete("prod").unwrap());
    assert!(vault.get("prod").unwrap().is_none());
    // Nothing went to the file backend's files.
    assert!(!f.data.exists());
    // Left to choose, the vault picks the working keyring.
    let auto = Vault::open(VaultOptions::new(&f.key, &f.data).with_service(&service)).unwrap();
    assert_eq!(auto.backend(), Backend::Keyring);
    assert!(!f.key.exists());
}
