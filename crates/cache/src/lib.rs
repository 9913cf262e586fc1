//! The desktop app's offline cache: one SQLite file per connection profile holding the last
//! synced CloudStack lists, so that every page opens instantly and works offline.
//!
//! - **Opening** ([`Cache::open`]) puts the file in WAL mode with foreign keys and a busy timeout
//!   and applies the embedded [`schema::MIGRATIONS`] (tracked by `PRAGMA user_version`). A file
//!   written by a newer app is refused with [`Error::SchemaTooNew`] and left untouched.
//! - **Syncing**: a backend fetches its lists as the cache's own rows ([`cloudstack`] for a
//!   CloudStack API) and [`sync`] replaces them in one transaction: rows that came back are upserted, rows that vanished are deleted, and
//!   [`SyncState`] records when, how many and the last error. A process killed mid-sync leaves
//!   the previous snapshot.
//! - **Reading** runs in SQLite on a separate connection (readers never wait for a sync):
//!   [`Cache::vm_page`] filters, sorts and pages the VM list using indexes; [`Cache::dashboard`]
//!   aggregates; [`Cache::list`] reads any other list.
//! - **Single rows** change after an action without a resync: [`Cache::upsert_vm`],
//!   [`Cache::set_vm_state`], [`Cache::remove_vm`].
//!
//! Times are passed in (`now`), never read from the clock.
//!
//! ```no_run
//! # fn demo() -> akashone_cache::Result<()> {
//! use akashone_cache::{Cache, VmColumn, VmQuery};
//! let cache = Cache::open("/home/me/.local/share/akashone/cache", "prod-mumbai")?;
//! let page = cache.vm_page(&VmQuery {
//!     text: Some("web".into()),
//!     sort: "memory_mb".parse::<VmColumn>()?,
//!     ..VmQuery::default()
//! })?;
//! println!("{} of {} VMs", page.rows.len(), page.total);
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

pub mod cloudstack;
mod clusters;
mod error;
mod model;
mod query;
mod record;
mod records;
pub mod schema;
mod store;
pub mod sync;

pub use cloudstack::normalize_datetime;
pub use error::{Error, Result};
pub use model::{
    CreditNote, Dashboard, DiskOffering, FirewallRule, Invoice, KubernetesCluster, ListKind,
    LoadBalancer, ManagedDatabase, Network, PortForward, PublicIp, ServiceOffering, SnapshotPolicy,
    SshKeyPair, StateCount, SyncState, Template, Vm, VmDetail, VmSnapshot, Volume, VolumeSnapshot,
    Vpc, Zone,
};
pub use query::{MAX_PAGE_SIZE, SortDirection, VmColumn, VmPage, VmQuery};
pub use record::{Record, Stored};
pub use records::{RecordPage, RecordQuery};
pub use store::{Progress, ProgressFn};

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The file name suffix of cache files.
pub const FILE_EXTENSION: &str = "sqlite3";

/// One profile's cache. Cheap to clone (clones share the connections); `Send + Sync`.
#[derive(Clone)]
pub struct Cache {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    profile_id: String,
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache")
            .field("path", &self.inner.path)
            .field("profile_id", &self.inner.profile_id)
            .finish_non_exhaustive()
    }
}

/// Checks that a profile id can name a file on every platform.
pub fn validate_profile_id(profile_id: &str) -> Result<()> {
    let ok = !profile_id.is_empty()
        && profile_id.len() <= 128
        && !profile_id.starts_with('.')
        && profile_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidProfileId(profile_id.to_owned()))
    }
}

impl Cache {
    /// Opens (creating if needed) the cache of `profile_id` in `dir`: `dir/<profile_id>.sqlite3`.
    /// The folder is created when missing.
    pub fn open(dir: impl AsRef<Path>, profile_id: &str) -> Result<Cache> {
        validate_profile_id(profile_id)?;
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_owned(),
            source,
        })?;
        Self::open_path(
            dir.join(format!("{profile_id}.{FILE_EXTENSION}")),
            profile_id,
        )
    }

    /// Opens (creating if needed) the cache file at `path` for `profile_id`.
    pub fn open_path(path: impl Into<PathBuf>, profile_id: &str) -> Result<Cache> {
        validate_profile_id(profile_id)?;
        let path = path.into();
        let writer = schema::open_writer(&path)?;
        let reader = schema::open_reader(&path)?;
        Ok(Cache {
            inner: Arc::new(Inner {
                path,
                profile_id: profile_id.to_owned(),
                writer: Mutex::new(writer),
                reader: Mutex::new(reader),
            }),
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// The connection profile this cache belongs to.
    pub fn profile_id(&self) -> &str {
        &self.inner.profile_id
    }

    /// The file's schema version (always [`schema::LATEST_VERSION`] once open).
    pub fn schema_version(&self) -> Result<i64> {
        Ok(schema::user_version(&self.reader())?)
    }

    /// Runs `PRAGMA integrity_check`; `Ok(())` when SQLite answers `ok`, otherwise the
    /// problems it lists in [`Error::NotADatabase`].
    pub fn integrity_check(&self) -> Result<()> {
        let conn = self.reader();
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        let lines: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if lines.len() == 1 && lines[0] == "ok" {
            Ok(())
        } else {
            Err(Error::NotADatabase {
                path: self.inner.path.clone(),
                message: lines.join("; "),
            })
        }
    }

    pub(crate) fn writer(&self) -> MutexGuard<'_, Connection> {
        self.inner
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn reader(&self) -> MutexGuard<'_, Connection> {
        self.inner
            .reader
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
