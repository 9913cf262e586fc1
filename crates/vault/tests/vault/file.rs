//! The encrypted file backend.

use crate::support::{file_vault, files, options};
use akashone_types::ErrorCode;
use akashone_vault::{Backend, Error, Secret, Vault};
use std::sync::Arc;

const SECRET: &str = "Kx9-Qv2Lr8sT0pZ-cloudstack-secret-key-4f1e";

#[test]
fn round_trip_and_delete() {
    let f = files();
    let vault = file_vault(&f);
    assert_eq!(vault.backend(), Backend::EncryptedFile);
    assert_eq!(vault.backend().to_string(), "encrypted file");
    assert!(vault.get("prod").unwrap().is_none());
    vault.set("prod", &Secret::new(SECRET)).unwrap();
    vault.set("staging", &Secret::new("other")).unwrap();
    vault.set("empty", &Secret::new("")).unwrap();
    assert_eq!(vault.get("prod").unwrap().unwrap().expose(), SECRET);
    assert_eq!(vault.get("empty").unwrap().unwrap().expose(), "");
    // Replacing a secret.
    vault.set("staging", &Secret::new("rotated")).unwrap();
    // Another instance (another run of the app) reads the same secrets.
    let again = file_vault(&f);
    assert_eq!(again.get("staging").unwrap().unwrap().expose(), "rotated");
    assert_eq!(
        again.profile_ids().unwrap().unwrap(),
        ["empty", "prod", "staging"]
    );
    assert!(again.delete("prod").unwrap());
    assert!(!again.delete("prod").unwrap());
    assert!(again.get("prod").unwrap().is_none());
    assert!(vault.get("prod").unwrap().is_none());
    assert_eq!(vault.get("staging").unwrap().unwrap().expose(), "rotated");
    assert_eq!(vault.files(), Some((f.key.as_path(), f.data.as_path())));
}

#[test]
fn the_files_never_hold_the_secret_in_clear() {
    let f = files();
    let vault = file_vault(&f);
    vault.set("prod-mumbai", &Secret::new(SECRET)).unwrap();
    for path in [&f.key, &f.data] {
        let bytes = std::fs::read(path).unwrap();
        for needle in [
            SECRET.as_bytes(),
            b"prod-mumbai",
            &SECRET.as_bytes()[10..20],
        ] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{} holds {:?}",
                path.display(),
                String::from_utf8_lossy(needle)
            );
        }
    }
    // The key file is exactly a key; the secrets file is not in the key's folder.
    assert_eq!(std::fs::read(&f.key).unwrap().len(), 32);
    assert_ne!(f.key.parent(), f.data.parent());
    // Two writes of the same secret differ (fresh nonce every time).
    let first = std::fs::read(&f.data).unwrap();
    vault.set("prod-mumbai", &Secret::new(SECRET)).unwrap();
    assert_ne!(std::fs::read(&f.data).unwrap(), first);
    // Debug output of the vault shows no secret either.
    let dbg = format!("{vault:?}");
    assert!(!dbg.contains(SECRET), "{dbg}");
}

#[test]
fn a_tampered_file_is_refused() {
    let f = files();
    file_vault(&f).set("prod", &Secret::new(SECRET)).unwrap();
    let good = std::fs::read(&f.data).unwrap();
    // Flip one bit anywhere after the key id: header nonce, ciphertext or tag.
    for at in [12usize, 20, good.len() / 2, good.len() - 1] {
        let mut bad = good.clone();
        bad[at] ^= 0x01;
        std::fs::write(&f.data, &bad).unwrap();
        let err = Vault::open(options(&f)).unwrap_err();
        assert!(matches!(err, Error::Tampered { .. }), "byte {at}: {err:?}");
        assert_eq!(err.code(), ErrorCode::Storage);
    }
    // Truncated, or not a vault file at all.
    for bad in [&good[..good.len() - 5], &b"hello"[..], &b"AKV1"[..]] {
        std::fs::write(&f.data, bad).unwrap();
        assert!(matches!(
            Vault::open(options(&f)).unwrap_err(),
            Error::Tampered { .. }
        ));
    }
    // A vault opened before the damage refuses to read it too, and does not overwrite it.
    std::fs::write(&f.data, &good).unwrap();
    let vault = file_vault(&f);
    let mut bad = good.clone();
    let last = bad.len() - 1;
    bad[last] ^= 0x80;
    std::fs::write(&f.data, &bad).unwrap();
    assert!(matches!(vault.get("prod"), Err(Error::Tampered { .. })));
    assert!(matches!(
        vault.set("other", &Secret::new("x")),
        Err(Error::Tampered { .. })
    ));
    assert_eq!(std::fs::read(&f.data).unwrap(), bad);
}

#[test]
fn a_wrong_or_missing_key_is_refused() {
    let f = files();
    file_vault(&f).set("prod", &Secret::new(SECRET)).unwrap();
    let key = std::fs::read(&f.key).unwrap();
    let mut other = key.clone();
    other[0] ^= 0xff;
    std::fs::write(&f.key, &other).unwrap();
    let err = Vault::open(options(&f)).unwrap_err();
    assert!(matches!(err, Error::WrongKey { .. }), "{err:?}");
    assert!(err.to_string().contains("different key"));

    // A key file of the wrong size.
    std::fs::write(&f.key, &key[..16]).unwrap();
    assert!(matches!(
        Vault::open(options(&f)).unwrap_err(),
        Error::BadKeyFile { .. }
    ));

    // No key file: the secrets are not overwritten by a new key.
    std::fs::remove_file(&f.key).unwrap();
    let before = std::fs::read(&f.data).unwrap();
    assert!(matches!(
        Vault::open(options(&f)).unwrap_err(),
        Error::KeyMissing { .. }
    ));
    assert!(!f.key.exists());
    assert_eq!(std::fs::read(&f.data).unwrap(), before);

    // The right key restores access.
    std::fs::write(&f.key, &key).unwrap();
    assert_eq!(
        file_vault(&f).get("prod").unwrap().unwrap().expose(),
        SECRET
    );
}

#[cfg(unix)]
#[test]
fn files_are_private_to_the_owner() {
    use std::os::unix::fs::PermissionsExt;
    let f = files();
    let vault = file_vault(&f);
    vault.set("prod", &Secret::new(SECRET)).unwrap();
    let lock = f.data.with_file_name("secrets.vault.lock");
    for path in [&f.key, &f.data, &lock] {
        let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", path.display());
    }
    // A key file made readable by others is tightened on open.
    std::fs::set_permissions(&f.key, std::fs::Permissions::from_mode(0o644)).unwrap();
    file_vault(&f);
    let mode = std::fs::metadata(&f.key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(f.data.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp-")), "{names:?}");
}

#[test]
fn concurrent_writers_lose_no_entries() {
    let f = files();
    // Created once so that every writer shares one key.
    drop(file_vault(&f));
    let shared = Arc::new(file_vault(&f));
    let threads: Vec<_> = (0..8)
        .map(|t| {
            // Half the threads share one vault (the mutex), half open their own (the file lock).
            let vault = if t % 2 == 0 {
                shared.clone()
            } else {
                Arc::new(file_vault(&f))
            };
            std::thread::spawn(move || {
                for i in 0..25 {
                    vault
                        .set(&format!("p{t}-{i}"), &Secret::new(format!("s{t}-{i}")))
                        .unwrap();
                    if i % 5 == 4 {
                        assert!(vault.delete(&format!("p{t}-{}", i - 1)).unwrap());
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let vault = file_vault(&f);
    let ids = vault.profile_ids().unwrap().unwrap();
    assert_eq!(ids.len(), 8 * 20);
    for t in 0..8 {
        for i in 0..25 {
            let got = vault.get(&format!("p{t}-{i}")).unwrap();
            if i % 5 == 3 {
                assert!(got.is_none());
            } else {
                assert_eq!(got.unwrap().expose(), format!("s{t}-{i}"));
            }
        }
    }
}

#[test]
fn bad_profile_ids_and_oversized_secrets_are_refused() {
    let f = files();
    let vault = file_vault(&f);
    for bad in ["", "a\nb", &"x".repeat(257)] {
        assert!(matches!(
            vault.set(bad, &Secret::new("s")),
            Err(Error::InvalidProfileId(_))
        ));
        assert!(matches!(vault.get(bad), Err(Error::InvalidProfileId(_))));
    }
    let big = Secret::new("x".repeat(akashone_vault::MAX_SECRET_LEN + 1));
    let err = vault.set("prod", &big).unwrap_err();
    assert!(matches!(err, Error::SecretTooLong { .. }));
    assert_eq!(err.code(), ErrorCode::InvalidInput);
}
