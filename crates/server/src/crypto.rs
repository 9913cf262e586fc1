//! Tokens, hashes, password hashing and the encryption of TOTP secrets at rest.

use aes_gcm::aead::{Aead, Generate, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hkdf::Hkdf;
use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// Random bytes, base64url without padding, behind `prefix`.
pub fn random_token(prefix: &str, bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(&buf))
}

/// A random id: 16 lowercase hex digits (no characters special to SQL `LIKE` or paths).
pub fn random_id() -> String {
    let mut buf = [0u8; 8];
    rand::rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

/// Lowercase hex SHA-256 of `s`: how tokens and recovery codes are stored.
pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Ten recovery codes like `k3f9-2m7q-x8pd` (60 bits each).
pub fn recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let mut rng = rand::rng();
    (0..10)
        .map(|_| {
            let chars: Vec<char> = (0..12)
                .map(|_| ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()] as char)
                .collect();
            chars
                .chunks(4)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// Normalises a recovery code as typed (case, spaces) before hashing.
pub fn normalise_recovery_code(code: &str) -> String {
    code.trim().to_ascii_lowercase().replace(' ', "")
}

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordCost {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl Default for PasswordCost {
    /// OWASP's first recommendation for argon2id: 19 MiB, 2 passes, 1 lane.
    fn default() -> Self {
        PasswordCost {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

impl PasswordCost {
    /// A cheap cost for tests only (hashes still verify under any cost: the PHC string carries
    /// its parameters).
    pub fn fast_for_tests() -> Self {
        PasswordCost {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
        }
    }

    fn hasher(self) -> Argon2<'static> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .unwrap_or_default();
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }
}

/// Hashes a password with argon2id and a random salt into a PHC string.
pub fn hash_password(password: &str, cost: PasswordCost) -> Result<String, String> {
    cost.hasher()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("password hashing failed: {e}"))
}

/// Whether `password` matches the PHC string (parameters are taken from the string).
pub fn verify_password(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// Encrypts and decrypts TOTP secrets with AES-256-GCM under a key derived from the session
/// secret (HKDF-SHA256). The user id is bound as associated data, so a secret copied to another
/// user's row does not decrypt.
#[derive(Clone)]
pub struct SecretBox {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(..)")
    }
}

const NONCE_LEN: usize = 12;

impl SecretBox {
    /// Derives the key from the server's session secret.
    pub fn derive(session_secret: &[u8]) -> Self {
        let hk = Hkdf::<Sha256>::new(Some(b"akashone-server"), session_secret);
        let mut key = Zeroizing::new([0u8; 32]);
        // 32 bytes is always a valid HKDF-SHA256 output length.
        hk.expand(b"totp-secret-encryption v1", key.as_mut())
            .unwrap_or_default();
        let cipher = Aes256Gcm::new_from_slice(key.as_ref())
            .unwrap_or_else(|_| unreachable!("a 32-byte key is the AES-256 key length"));
        SecretBox { cipher }
    }

    /// `nonce || ciphertext`.
    pub fn seal(&self, plain: &[u8], user_id: &str) -> Result<Vec<u8>, String> {
        let nonce = Nonce::generate();
        let ct = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: user_id.as_bytes(),
                },
            )
            .map_err(|_| "encryption failed".to_owned())?;
        let mut out = nonce.as_slice().to_vec();
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Decrypts what [`SecretBox::seal`] produced for the same user.
    pub fn open(&self, sealed: &[u8], user_id: &str) -> Result<Zeroizing<Vec<u8>>, String> {
        if sealed.len() < NONCE_LEN {
            return Err("sealed secret too short".into());
        }
        let (nonce, ct) = sealed.split_at(NONCE_LEN);
        let nonce = Nonce::try_from(nonce).map_err(|_| "bad nonce".to_owned())?;
        self.cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: ct,
                    aad: user_id.as_bytes(),
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| {
                "the stored TOTP secret does not decrypt (was SESSION_SECRET changed?)".to_owned()
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_when_equal() {
        let h = hash_password("correct horse", PasswordCost::fast_for_tests()).unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("x", "not a phc string"));
    }

    #[test]
    fn sealed_secrets_are_bound_to_key_and_user() {
        let a = SecretBox::derive(b"one secret");
        let sealed = a.seal(b"JBSWY3DP", "u1").unwrap();
        assert_eq!(a.open(&sealed, "u1").unwrap().as_slice(), b"JBSWY3DP");
        assert!(a.open(&sealed, "u2").is_err());
        assert!(SecretBox::derive(b"other").open(&sealed, "u1").is_err());
        assert_ne!(a.seal(b"JBSWY3DP", "u1").unwrap(), sealed, "fresh nonce");
    }

    #[test]
    fn recovery_codes_are_distinct_and_normalised() {
        let codes = recovery_codes();
        assert_eq!(codes.len(), 10);
        let set: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(set.len(), 10);
        assert!(codes.iter().all(|c| c.len() == 14));
        assert_eq!(normalise_recovery_code(" AB12-CD "), "ab12-cd");
    }

    #[test]
    fn ids_and_tokens_have_their_shape() {
        assert_eq!(random_id().len(), 16);
        assert!(random_token("aks_", 32).starts_with("aks_"));
        assert_eq!(sha256_hex("abc").len(), 64);
    }
}
