//! The app's side of the offline cache and the vault: maps their types to the UI's.

use crate::error::{AppError, Result};
use akashone_cache::{Cache, SortDirection, Stored, VmColumn};
use akashone_types::central::InvoiceDetail;
use akashone_types::{DashboardFigures, SecretStorage, VmPage, VmQuery, VmRow, VmSort};
use std::path::Path;

/// Now, for what the cache records.
fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

/// The folder of the cache files inside the data folder.
const CACHE_DIR: &str = "cache";

/// One profile's cache.
pub(crate) struct Store {
    cache: Cache,
}

impl Store {
    pub(crate) fn open(data_dir: &Path, profile_id: &str) -> Result<Self> {
        Ok(Self {
            cache: Cache::open(data_dir.join(CACHE_DIR), profile_id)?,
        })
    }

    /// Replaces the lists of `snapshot` (those it holds) in one transaction, on a blocking
    /// thread; says what became of each list.
    /// The cache itself, for reads that map its rows elsewhere.
    pub(crate) fn cache(&self) -> &Cache {
        &self.cache
    }

    pub(crate) async fn replace(
        &self,
        snapshot: akashone_cache::sync::Snapshot,
    ) -> Result<akashone_cache::sync::SyncReport> {
        Ok(
            akashone_cache::sync::store_async(&self.cache, snapshot, now(), &Default::default(), 0)
                .await?,
        )
    }

    /// The cached invoices and notes (their full documents).
    pub(crate) fn invoice_documents(&self) -> Result<Vec<InvoiceDetail>> {
        let mut out = Vec::new();
        for raw in self
            .cache
            .list_raw::<akashone_cache::Invoice>()?
            .into_iter()
            .chain(self.cache.list_raw::<akashone_cache::CreditNote>()?)
        {
            out.push(serde_json::from_value(raw).map_err(|e| {
                AppError::Internal(format!("a cached invoice cannot be read: {e}"))
            })?);
        }
        Ok(out)
    }

    /// One cached invoice or note by number.
    pub(crate) fn invoice_document(&self, number: &str) -> Result<Option<InvoiceDetail>> {
        let raw = match self.cache.raw::<akashone_cache::Invoice>(&[number])? {
            Some(r) => Some(r),
            None => self.cache.raw::<akashone_cache::CreditNote>(&[number])?,
        };
        raw.map(|r| {
            serde_json::from_value(r).map_err(|e| {
                AppError::Internal(format!("cached invoice {number} cannot be read: {e}"))
            })
        })
        .transpose()
    }

    /// Replaces the cached invoices and notes in one transaction.
    pub(crate) fn replace_invoices(
        &self,
        invoices: &[akashone_cache::Stored<akashone_cache::Invoice>],
        notes: &[akashone_cache::Stored<akashone_cache::CreditNote>],
    ) -> Result<()> {
        self.cache.replace_invoices(invoices, notes, now())?;
        Ok(())
    }

    /// Records that syncing a list failed; its cached rows stay.
    pub(crate) fn record_sync_error(&self, kind: akashone_cache::ListKind, message: &str) {
        if let Err(e) = self.cache.record_sync_error(kind, now(), message) {
            tracing::warn!(error = %e, "could not record a sync error");
        }
    }

    /// When a list was last synced, and why its last sync failed.
    pub(crate) fn sync_state(
        &self,
        kind: akashone_cache::ListKind,
    ) -> Result<Option<akashone_cache::SyncState>> {
        Ok(self.cache.sync_state(kind)?)
    }

    /// A fact kept for offline use (JSON text), if any.
    pub(crate) fn fact(&self, key: &str) -> Result<Option<String>> {
        Ok(self.cache.fact(key)?)
    }

    /// Keeps (or, with `None`, forgets) a fact for offline use.
    pub(crate) fn put_fact(&self, key: &str, value: Option<&str>) -> Result<()> {
        Ok(self.cache.put_fact(key, value, now())?)
    }

    pub(crate) fn last_synced(&self) -> Result<Option<String>> {
        Ok(self
            .cache
            .sync_state(akashone_cache::ListKind::Vms)?
            .and_then(|s| s.last_synced))
    }

    pub(crate) fn vm_page(&self, q: &VmQuery) -> Result<VmPage> {
        let query = akashone_cache::VmQuery {
            text: Some(q.text.clone()).filter(|t| !t.trim().is_empty()),
            state: q.state.clone(),
            zone_id: q.zone_id.clone(),
            sort: column(q.sort),
            direction: if q.descending {
                SortDirection::Desc
            } else {
                SortDirection::Asc
            },
            offset: u64::from(q.offset),
            limit: q.limit,
        };
        let page = self.cache.vm_page(&query)?;
        let all = if query.text.is_none() && query.state.is_none() && query.zone_id.is_none() {
            page.total
        } else {
            self.cache
                .vm_page(&akashone_cache::VmQuery {
                    limit: 0,
                    ..Default::default()
                })?
                .total
        };
        let mut rows: Vec<VmRow> = page.rows.into_iter().map(row).collect();
        self.mark_cluster_nodes(&mut rows)?;
        Ok(VmPage {
            rows,
            total: page.total,
            all,
        })
    }

    pub(crate) fn vm(&self, id: &str) -> Result<Option<VmRow>> {
        let Some(d) = self.cache.vm(id)? else {
            return Ok(None);
        };
        let mut rows = vec![row(d.vm)];
        self.mark_cluster_nodes(&mut rows)?;
        Ok(rows.pop())
    }

    /// Names the Kubernetes cluster of each VM that is one's node.
    fn mark_cluster_nodes(&self, rows: &mut [VmRow]) -> Result<()> {
        let clusters = self.clusters()?;
        if clusters.is_empty() {
            return Ok(());
        }
        let of: std::collections::HashMap<&str, &str> = clusters
            .iter()
            .flat_map(|c| c.nodes.iter().map(|n| (n.vm_id.as_str(), c.name.as_str())))
            .collect();
        for r in rows {
            r.cluster = of.get(r.id.as_str()).map(|n| (*n).to_owned());
        }
        Ok(())
    }

    pub(crate) fn put_vm(&self, vm: &Stored<akashone_cache::Vm>) -> Result<()> {
        self.cache.upsert_vm(vm)?;
        Ok(())
    }

    pub(crate) fn set_vm_state(&self, id: &str, state: &str) -> Result<()> {
        self.cache.set_vm_state(id, state)?;
        Ok(())
    }

    pub(crate) fn remove_vm(&self, id: &str) -> Result<()> {
        self.cache.remove_vm(id)?;
        Ok(())
    }

    pub(crate) fn put_cluster(&self, c: &Stored<akashone_cache::KubernetesCluster>) -> Result<()> {
        self.cache.upsert_cluster(c)?;
        Ok(())
    }

    pub(crate) fn remove_cluster(&self, id: &str) -> Result<()> {
        self.cache.remove_cluster(id)?;
        Ok(())
    }

    /// The cached Kubernetes clusters, by name.
    pub(crate) fn clusters(&self) -> Result<Vec<akashone_types::kubernetes::ClusterRow>> {
        Ok(self
            .cache
            .list::<akashone_cache::KubernetesCluster>()?
            .iter()
            .map(akashone_types::kubernetes::ClusterRow::from)
            .collect())
    }

    /// A cached list as text rows (for the read-only pages).
    pub(crate) fn cached_list(&self, kind: &str) -> Result<akashone_types::CachedList> {
        use akashone_cache::{
            DiskOffering, KubernetesCluster, ListKind, Network, PublicIp, ServiceOffering,
            SshKeyPair, Template, Volume, Zone,
        };
        let list: ListKind = kind.parse()?;
        let rows = match list {
            ListKind::Zones => text_rows(self.cache.list::<Zone>()?),
            ListKind::Templates => text_rows(self.cache.list::<Template>()?),
            ListKind::ServiceOfferings => text_rows(self.cache.list::<ServiceOffering>()?),
            ListKind::DiskOfferings => text_rows(self.cache.list::<DiskOffering>()?),
            ListKind::KubernetesClusters => text_rows(self.cache.list::<KubernetesCluster>()?),
            ListKind::Networks => text_rows(self.cache.list::<Network>()?),
            ListKind::PublicIps => text_rows(self.cache.list::<PublicIp>()?),
            ListKind::Volumes => text_rows(self.cache.list::<Volume>()?),
            ListKind::SshKeyPairs => text_rows(self.cache.list::<SshKeyPair>()?),
            other => {
                return Err(AppError::Invalid(format!(
                    "the {other} list is not shown this way; use one of {}",
                    akashone_types::CACHED_LISTS.join(", ")
                )));
            }
        };
        let state = self.cache.sync_state(list)?;
        Ok(akashone_types::CachedList {
            kind: list.as_str().to_owned(),
            rows,
            last_synced: state.as_ref().and_then(|s| s.last_synced.clone()),
            last_error: state.and_then(|s| s.last_error),
        })
    }

    pub(crate) fn dashboard(&self) -> Result<DashboardFigures> {
        let d = self.cache.dashboard()?;
        Ok(DashboardFigures {
            by_state: d
                .vms_by_state
                .into_iter()
                .map(|s| (s.state, s.count))
                .collect(),
            vms: d.vm_total,
            zones: d.zone_count,
            vcpus: d.allocated_vcpus,
            memory_mb: d.allocated_memory_mb,
            last_synced: self.last_synced()?,
        })
    }
}

/// Each record as column → text (numbers as digits, booleans as "yes"/"no", missing as "").
fn text_rows<R: serde::Serialize>(
    records: Vec<R>,
) -> Vec<std::collections::BTreeMap<String, String>> {
    records
        .iter()
        .filter_map(|r| serde_json::to_value(r).ok())
        .filter_map(|v| match v {
            serde_json::Value::Object(m) => Some(
                m.into_iter()
                    .map(|(k, v)| {
                        let text = match v {
                            serde_json::Value::Null => String::new(),
                            serde_json::Value::Bool(b) => if b { "yes" } else { "no" }.to_owned(),
                            serde_json::Value::String(s) => s,
                            other => other.to_string(),
                        };
                        (k, text)
                    })
                    .collect(),
            ),
            _ => None,
        })
        .collect()
}

fn column(s: VmSort) -> VmColumn {
    match s {
        VmSort::Name => VmColumn::Name,
        VmSort::State => VmColumn::State,
        VmSort::Zone => VmColumn::Zone,
        VmSort::Template => VmColumn::Template,
        VmSort::Offering => VmColumn::Offering,
        VmSort::Cpu => VmColumn::CpuNumber,
        VmSort::Memory => VmColumn::MemoryMb,
        VmSort::Ip => VmColumn::Ip,
        VmSort::Created => VmColumn::Created,
        VmSort::Account => VmColumn::Account,
    }
}

fn row(v: akashone_cache::Vm) -> VmRow {
    VmRow {
        id: v.id,
        name: v.name.unwrap_or_default(),
        display_name: v.display_name.unwrap_or_default(),
        state: v.state.unwrap_or_default(),
        zone_id: v.zone_id.unwrap_or_default(),
        zone_name: v.zone_name.unwrap_or_default(),
        template_id: v.template_id.unwrap_or_default(),
        template_name: v.template_name.unwrap_or_default(),
        offering_id: v.offering_id.unwrap_or_default(),
        offering_name: v.offering_name.unwrap_or_default(),
        cpu: v.cpu_number.unwrap_or_default(),
        memory_mb: v.memory_mb.unwrap_or_default(),
        ip: v.primary_ip.unwrap_or_default(),
        created: v.created.unwrap_or_default(),
        account: v.account.unwrap_or_default(),
        domain: v.domain.unwrap_or_default(),
        cluster: None,
    }
}

/// Removes a profile's cache files (the database and its WAL and shared-memory files).
pub(crate) fn remove_cache(data_dir: &Path, profile_id: &str) -> Result<()> {
    let dir = data_dir.join(CACHE_DIR);
    let base = format!("{profile_id}.{}", akashone_cache::FILE_EXTENSION);
    for suffix in ["", "-wal", "-shm"] {
        let path = dir.join(format!("{base}{suffix}"));
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(AppError::Profiles {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                });
            }
        }
    }
    Ok(())
}

// ---- Vault ---------------------------------------------------------------------------------

pub(crate) use akashone_vault::Vault;

/// Opens the vault: the OS keyring when it works, else the encrypted file (`secrets.vault` in
/// the data folder) whose key lives in `key_file`, outside the data folder.
pub(crate) fn open_vault(data_dir: &Path, key_file: &Path, file_only: bool) -> Result<Vault> {
    let mut options = akashone_vault::VaultOptions::new(key_file, data_dir.join("secrets.vault"));
    if file_only {
        options = options.with_choice(akashone_vault::Choice::File);
    }
    Ok(Vault::open(options)?)
}

pub(crate) fn storage_of(vault: &Vault) -> SecretStorage {
    match vault.backend() {
        akashone_vault::Backend::Keyring => SecretStorage::Keyring,
        akashone_vault::Backend::EncryptedFile => SecretStorage::EncryptedFile,
    }
}

pub(crate) fn put_secret(vault: &Vault, id: &str, secret: &str) -> Result<()> {
    Ok(vault.set(id, &akashone_vault::Secret::new(secret))?)
}

pub(crate) fn get_secret(vault: &Vault, id: &str) -> Result<Option<String>> {
    Ok(vault.get(id)?.map(|s| s.expose().to_owned()))
}

pub(crate) fn delete_secret(vault: &Vault, id: &str) -> Result<()> {
    vault.delete(id)?;
    Ok(())
}
