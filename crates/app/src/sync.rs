//! Background work of the active profile: sync into the cache, notice when the cloud stops
//! answering, and recover by itself when it answers again.

use crate::console::{Backend, Console, Session};
use akashone_types::{ErrorCode, Reachability};
use std::sync::Arc;

/// Whether an error means the cloud is not reachable (as opposed to refusing the request).
pub(crate) fn is_unreachable(e: &akashone_cloudstack::Error) -> bool {
    matches!(e.code(), ErrorCode::Unreachable | ErrorCode::Timeout)
}

pub(crate) fn set_state(
    console: &Console,
    session: &Session,
    change: impl FnOnce(&mut crate::console::SessionState),
) {
    {
        let mut st = session.state.lock().unwrap_or_else(|p| p.into_inner());
        change(&mut st);
    }
    if is_current(console, session) {
        console.events.connection(&console.status());
    }
}

fn is_current(console: &Console, session: &Session) -> bool {
    console.is_current(session)
}

/// Records the outcome of a call to the cloud: reachable or not.
pub(crate) fn note_call(
    console: &Console,
    session: &Session,
    result: Result<(), &akashone_cloudstack::Error>,
) {
    let now = session
        .state
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .reachability;
    match result {
        Ok(()) if now != Reachability::Online => set_state(console, session, |s| {
            s.reachability = Reachability::Online;
            s.last_error = None;
        }),
        Err(e) if is_unreachable(e) && now != Reachability::Offline => {
            let msg = e.to_string();
            set_state(console, session, |s| {
                s.reachability = Reachability::Offline;
                s.last_error = Some(msg);
            })
        }
        _ => {}
    }
}

/// One full sync of the session's lists into its cache (one at a time per session).
pub(crate) async fn sync_once(console: &Arc<Console>, session: &Arc<Session>) {
    let _one = session.sync_lock.lock().await;
    set_state(console, session, |s| s.syncing = true);
    let result = match &session.backend {
        Backend::CloudStack(client) => session.store.sync(client, &session.profile.id).await,
        Backend::Central(link) => crate::central::sync(link, &session.store).await,
    };
    match &result {
        Ok(()) => {
            set_state(console, session, |s| {
                s.syncing = false;
                s.reachability = Reachability::Online;
                s.last_error = None;
            });
            if is_current(console, session) {
                console.events.data_changed();
            }
        }
        Err(e) => {
            tracing::warn!(profile = %session.profile.id, error = %e, "sync failed");
            if matches!(e, crate::AppError::SignedOut) {
                // Not signed in (yet): nothing was asked, nothing is forgotten.
                if session.central().is_some_and(|l| !l.signed_in()) {
                    set_state(console, session, |s| {
                        s.syncing = false;
                        s.reachability = Reachability::SignedOut;
                    });
                } else {
                    set_state(console, session, |s| s.syncing = false);
                }
                return;
            }
            if crate::central::ends_session(e) {
                crate::central::signed_out(console, session);
                return;
            }
            let offline = match e {
                crate::AppError::CloudStack(ce) => is_unreachable(ce),
                crate::AppError::Central(ce) => ce.is_unreachable(),
                crate::AppError::Offline(_) => true,
                _ => false,
            };
            let msg = e.to_string();
            set_state(console, session, |s| {
                s.syncing = false;
                if offline {
                    s.reachability = Reachability::Offline;
                } else if s.reachability == Reachability::Connecting {
                    s.reachability = Reachability::Online;
                }
                s.last_error = Some(msg);
            });
        }
    }
}

/// Syncs now, then keeps the session fresh until it is replaced: a cheap heartbeat notices when
/// the cloud stops answering (and when it comes back, which triggers a sync), and a full sync
/// runs every `resync`.
pub(crate) fn spawn_background(console: Arc<Console>, session: Arc<Session>) {
    tokio::spawn(async move {
        let stop = session.stop.clone();
        sync_once(&console, &session).await;
        let mut since_sync = std::time::Duration::ZERO;
        loop {
            let beat = console.options.heartbeat;
            tokio::select! {
                _ = stop.cancelled() => break,
                _ = tokio::time::sleep(beat) => {}
            }
            since_sync += beat;
            let was = session
                .state
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .reachability;
            let probe = match &session.backend {
                Backend::CloudStack(client) => client
                    .list_zones(&Default::default())
                    .await
                    .map(|_| ())
                    .map_err(|e| {
                        note_call(&console, &session, Err(&e));
                    }),
                // Without a session there is nothing to ask until the user signs in.
                Backend::Central(link) if !link.signed_in() => continue,
                Backend::Central(link) => link
                    .refresh_user()
                    .await
                    .map_err(|e| crate::central::note_call(&console, &session, &e)),
            };
            if stop.is_cancelled() {
                break;
            }
            if probe.is_ok()
                && (was != Reachability::Online || since_sync >= console.options.resync)
            {
                since_sync = std::time::Duration::ZERO;
                sync_once(&console, &session).await;
            }
        }
    });
}
