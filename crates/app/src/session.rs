//! The active profile: what it talks to, its cache, and how the connection is doing.

use crate::cloud::Cloud;
use crate::error::{AppError, Result};
use crate::store::Store;
use akashone_cloudstack::CancellationToken;
use akashone_types::{ApiError, Profile, Reachability};
use std::sync::{Arc, Mutex};

/// The active profile.
pub(crate) struct Session {
    pub(crate) profile: Profile,
    pub(crate) cloud: Arc<dyn Cloud>,
    pub(crate) store: Store,
    pub(crate) state: Mutex<SessionState>,
    /// Cancelled when the profile is closed: its background work and job waits stop.
    pub(crate) stop: CancellationToken,
    /// One sync at a time.
    pub(crate) sync_lock: tokio::sync::Mutex<()>,
}

/// How the connection is doing.
#[derive(Debug, Clone)]
pub(crate) struct SessionState {
    pub(crate) reachability: Reachability,
    pub(crate) syncing: bool,
    /// Why the last sync or call failed, with its code.
    pub(crate) last_error: Option<ApiError>,
}

impl Session {
    pub(crate) fn new(
        profile: Profile,
        cloud: Arc<dyn Cloud>,
        store: Store,
        reachability: Reachability,
        last_error: Option<ApiError>,
    ) -> Self {
        Self {
            profile,
            cloud,
            store,
            state: Mutex::new(SessionState {
                reachability,
                syncing: false,
                last_error,
            }),
            stop: CancellationToken::new(),
            sync_lock: tokio::sync::Mutex::new(()),
        }
    }

    /// A copy of the connection state.
    pub(crate) fn state(&self) -> SessionState {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Refuses an action while the cloud does not answer (the cache stays readable).
    pub(crate) fn require_online(&self) -> Result<()> {
        let st = self.state();
        if st.reachability == Reachability::Offline {
            return Err(AppError::Offline(
                st.last_error
                    .map(|e| e.message)
                    .unwrap_or_else(|| "no answer".into()),
            ));
        }
        Ok(())
    }
}
