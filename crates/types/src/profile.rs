//! Connection profiles: how the console reaches a cloud.

use serde::{Deserialize, Serialize};

/// What a profile connects to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ProfileKind {
    /// A CloudStack management server, reached directly with an API key and a secret key.
    CloudStack {
        /// The API endpoint, e.g. `https://cloud.example.com/client/api`.
        url: String,
        /// The API key (public; the secret key is kept in the vault, never here).
        api_key: String,
    },
    /// The built-in CloudStack simulator on loopback, with seeded sample data.
    Demo,
    /// An AkashOne central server: sign-in with a password (and a 2FA code when it is on); the
    /// session token is kept in the vault like other secrets.
    Central {
        /// The server's base URL, e.g. `https://console.example.in`.
        url: String,
        /// The login name.
        username: String,
    },
}

/// Where a profile's secret is kept, so the UI can say so.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretStorage {
    /// The operating system's keyring (Secret Service, Keychain, Credential Manager).
    Keyring,
    /// No keyring is available: a file encrypted at rest, with its key kept in a separate file.
    EncryptedFile,
    /// The profile has no secret (demo).
    #[default]
    None,
}

/// A saved profile as the UI sees it (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Stable id (also names the profile's cache file).
    pub id: String,
    /// Name shown to the user.
    pub name: String,
    /// What it connects to.
    pub kind: ProfileKind,
    /// Where its secret is kept.
    pub secret_storage: SecretStorage,
}

/// The saved profiles and which one is in use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profiles {
    /// Every saved profile, in the order they were added.
    pub profiles: Vec<Profile>,
    /// The id of the active profile, if any.
    pub active: Option<String>,
    /// Where new secrets go on this machine.
    pub secret_storage: SecretStorage,
}

/// The form for a new direct CloudStack profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCloudStackProfile {
    /// Name shown to the user.
    pub name: String,
    /// The API endpoint.
    pub url: String,
    /// The API key.
    pub api_key: String,
    /// The secret key (goes to the vault, never to the profile file).
    pub secret_key: String,
}

/// The form for a new central server profile (no password: it is asked at sign-in and never
/// stored; only the session token is).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCentralProfile {
    /// Name shown to the user.
    pub name: String,
    /// The server's base URL.
    pub url: String,
    /// The login name.
    pub username: String,
}

/// Where a sign-in to the central server stands after a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum SignInStep {
    /// Signed in: the profile is active and syncing.
    SignedIn {
        /// Who is signed in.
        user: crate::central::Me,
    },
    /// The password was right and 2FA is on: send a TOTP or recovery code next.
    TwoFactorRequired,
}

/// The tenant whose data the console shows, for central server profiles: by default the
/// user's own tenant; an administrator may act as any tenant in their subtree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActingTenant {
    /// Tenant id.
    pub id: String,
    /// Tenant name.
    pub name: String,
    /// Whether it is the user's own tenant.
    pub own: bool,
}

/// Whether the active profile's cloud answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reachability {
    /// No profile is active.
    NotConnected,
    /// Connecting or syncing for the first time.
    Connecting,
    /// The last call succeeded.
    Online,
    /// The last call could not reach the cloud: lists come from the cache.
    Offline,
    /// A central server profile without a live session: sign in (lists come from the cache).
    SignedOut,
}

/// The connection as the top bar and the banners show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionStatus {
    /// Increases with every status the app hands out, so a late reply never overwrites a newer
    /// event.
    pub seq: u64,
    /// The active profile.
    pub profile: Option<Profile>,
    /// Whether its cloud answers.
    pub reachability: Reachability,
    /// Whether a sync is running now.
    pub syncing: bool,
    /// When the cache was last fully synced (RFC 3339), if ever.
    pub last_synced: Option<String>,
    /// Why the last sync or call failed, if it did.
    pub last_error: Option<String>,
    /// The code of that failure (the cloud's own, e.g. `unauthorized` when CloudStack refused
    /// the keys), when it has one.
    #[serde(default)]
    pub last_error_code: Option<crate::ErrorCode>,
    /// Central server profiles: who is signed in, when known.
    #[serde(default)]
    pub user: Option<crate::central::Me>,
    /// Central server profiles: the tenant whose data is shown.
    #[serde(default)]
    pub acting_as: Option<ActingTenant>,
    /// Central server profiles: the white-label brand the signed-in user sees, kept for offline
    /// use. The logo itself comes from the `brand_logo` command when `logo_sha256` changes.
    #[serde(default)]
    pub brand: Option<ConsoleBrand>,
}

/// The white-label brand the console shows instead of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleBrand {
    /// The seller tenant whose brand it is.
    pub tenant_id: String,
    /// The brand name.
    pub display_name: String,
    /// Brand colour, `#RRGGBB`.
    pub brand_colour: Option<String>,
    /// SHA-256 (hex) of the logo, if there is one.
    pub logo_sha256: Option<String>,
}
