//! Background work of the active profile: sync into the cache, notice when the cloud stops
//! answering, and recover by itself when it answers again. Written once for every kind of
//! profile: it only asks the profile's [`crate::cloud::Cloud`].

use crate::console::Console;
use crate::error::{AppError, Result};
use crate::session::{Session, SessionState};
use akashone_types::{ApiError, ErrorCode, Reachability};
use std::sync::Arc;
use std::time::Duration;

impl Console {
    /// Changes the connection state and tells the UI (when the session is still the active
    /// one).
    pub(crate) fn set_state(&self, session: &Session, change: impl FnOnce(&mut SessionState)) {
        {
            let mut st = session.state.lock().unwrap_or_else(|p| p.into_inner());
            change(&mut st);
        }
        if self.is_current(session) {
            self.events.connection(&self.status());
        }
    }

    /// Records what a call to the cloud says about the connection: it answered (online), it
    /// could not be reached (offline), or the session ended (signed out). Other refusals say
    /// nothing about the connection.
    pub(crate) fn note(&self, session: &Session, result: std::result::Result<(), &AppError>) {
        let now = session.state().reachability;
        match result {
            Ok(()) if matches!(now, Reachability::Offline | Reachability::Connecting) => self
                .set_state(session, |s| {
                    s.reachability = Reachability::Online;
                    s.last_error = None;
                }),
            Err(e) if e.ends_session() => self.signed_out(session),
            Err(e) if e.is_unreachable() && now != Reachability::Offline => {
                let error = ApiError::new(e.code(), e.to_string());
                self.set_state(session, |s| {
                    s.reachability = Reachability::Offline;
                    s.last_error = Some(error);
                })
            }
            _ => {}
        }
    }

    /// [`Console::note`] of a result, handed back unchanged.
    pub(crate) fn noted<T>(&self, session: &Session, result: Result<T>) -> Result<T> {
        self.note(session, result.as_ref().map(|_| ()));
        result
    }

    /// The session ended: its credentials are forgotten and the UI asks to sign in again.
    pub(crate) fn signed_out(&self, session: &Session) {
        session.cloud.forget();
        self.set_state(session, |s| {
            s.syncing = false;
            s.reachability = Reachability::SignedOut;
            s.last_error = Some(ApiError::new(
                ErrorCode::Unauthorized,
                "The session ended: sign in again.",
            ));
        });
    }

    /// Fetches the cloud's lists and replaces the cached ones, then what else the cloud keeps.
    /// The VM list failing fails the sync with the cloud's own error (so "unreachable" is told
    /// apart); other lists failing are logged and keep their previous rows.
    async fn sync_into(&self, session: &Session) -> Result<()> {
        let snapshot = session.cloud.snapshot().await?;
        let vms_error = snapshot.vms_error().cloned();
        let report = session.store.replace(snapshot).await?;
        for k in &report.kinds {
            if let Some(e) = &k.error {
                tracing::warn!(profile = %session.profile.id, list = k.kind.as_str(), error = %e.message, "list not synced");
            }
        }
        if let Some(e) = vms_error {
            let e = AppError::Api(e);
            return Err(if e.is_unreachable() {
                AppError::Offline(e.to_string())
            } else {
                e
            });
        }
        session.cloud.after_sync(&session.store).await
    }

    /// Reads some lists again after an operation changed them (the next full sync reads the
    /// rest). A failure is logged and left to the next sync.
    pub(crate) async fn sync_lists(&self, session: &Session, kinds: &[akashone_cache::ListKind]) {
        let _one = session.sync_lock.lock().await;
        let result = async {
            let snapshot = session.cloud.snapshot_of(kinds).await?;
            session.store.replace(snapshot).await?;
            Ok::<_, AppError>(())
        }
        .await;
        if let Err(e) = result {
            tracing::warn!(profile = %session.profile.id, error = %e, "lists not read again after an operation");
        }
    }

    /// One full sync of the session's lists into its cache (one at a time per session).
    pub(crate) async fn sync_once(&self, session: &Session) {
        let _one = session.sync_lock.lock().await;
        if !session.cloud.ready() {
            // Not signed in (yet): nothing is asked, nothing is forgotten.
            self.set_state(session, |s| {
                s.syncing = false;
                s.reachability = Reachability::SignedOut;
            });
            return;
        }
        self.set_state(session, |s| s.syncing = true);
        match self.sync_into(session).await {
            Ok(()) => {
                self.set_state(session, |s| {
                    s.syncing = false;
                    s.reachability = Reachability::Online;
                    s.last_error = None;
                });
                if self.is_current(session) {
                    self.events.data_changed();
                }
            }
            Err(e) if e.ends_session() => self.signed_out(session),
            Err(e) => {
                tracing::warn!(profile = %session.profile.id, error = %e, "sync failed");
                let offline = e.is_unreachable();
                let signed_out = !session.cloud.ready();
                let error = ApiError::new(e.code(), e.to_string());
                self.set_state(session, |s| {
                    s.syncing = false;
                    if signed_out {
                        s.reachability = Reachability::SignedOut;
                    } else if offline {
                        s.reachability = Reachability::Offline;
                    } else if s.reachability == Reachability::Connecting {
                        s.reachability = Reachability::Online;
                    }
                    s.last_error = Some(error);
                });
            }
        }
    }

    /// Syncs now, then keeps the session fresh until it is replaced: a cheap heartbeat notices
    /// when the cloud stops answering (and when it comes back, which triggers a sync), and a
    /// full sync runs every `resync`.
    pub(crate) fn spawn_background(self: &Arc<Self>, session: Arc<Session>) {
        let console = self.clone();
        tokio::spawn(async move {
            let stop = session.stop.clone();
            console.sync_once(&session).await;
            let mut since_sync = Duration::ZERO;
            loop {
                let beat = console.options.heartbeat;
                tokio::select! {
                    _ = stop.cancelled() => break,
                    _ = tokio::time::sleep(beat) => {}
                }
                since_sync += beat;
                // Without a session there is nothing to ask until the user signs in.
                if !session.cloud.ready() {
                    continue;
                }
                let was = session.state().reachability;
                let probe = session.cloud.probe().await;
                if let Err(e) = &probe {
                    console.note(&session, Err(e));
                }
                if stop.is_cancelled() {
                    break;
                }
                if probe.is_ok()
                    && (was != Reachability::Online || since_sync >= console.options.resync)
                {
                    since_sync = Duration::ZERO;
                    console.sync_once(&session).await;
                }
            }
        });
    }
}
