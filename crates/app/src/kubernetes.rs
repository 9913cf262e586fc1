//! Kubernetes clusters (CloudStack Kubernetes Service) — the same for every kind of profile: the
//! list and detail read the cache, every request is checked with CloudStack's own rules
//! ([`akashone_types::kubernetes`]) before the profile's [`crate::cloud::Cloud`] is asked, jobs
//! report live progress as `kube-job` events, and kubeconfigs go to a 0600 file, the clipboard
//! or the vault — never to a log.

use crate::console::Console;
use crate::error::{AppError, Result};
use crate::vms::Subject;
use akashone_types::kubernetes::{
    ApiReach, ClusterAction, ClusterHealth, ClusterPlan, ClusterRow, CreateCluster, KubeOffering,
    KubeVersion, SavedFile, action_refusal, upgrade_allowed,
};
use std::path::PathBuf;
use std::sync::Arc;
use zeroize::Zeroizing;

/// How long a health check waits for a cluster's API.
const HEALTH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The vault key of a cluster's kubeconfig, per profile.
fn vault_key(profile_id: &str, cluster_id: &str) -> String {
    format!("{profile_id}/kubeconfig/{cluster_id}")
}

/// `~/.kube/<name>.yaml`.
fn default_path(name: &str) -> Result<PathBuf> {
    let home = dirs::home_dir()
        .ok_or_else(|| AppError::Invalid("no home folder: give the file's path".into()))?;
    Ok(home.join(".kube").join(format!("{name}.yaml")))
}

/// Writes `text` to `path` readable by its owner only (0600 from the start, not chmod after).
fn write_private(path: &std::path::Path, text: &str) -> Result<u64> {
    let fail = |e: std::io::Error| AppError::Profiles {
        path: path.display().to_string(),
        reason: format!("the kubeconfig cannot be written: {e}"),
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let tmp = path.with_extension("yaml.part");
    {
        use std::io::Write;
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o600);
        }
        let mut f = o.open(&tmp).map_err(fail)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(fail)?;
        }
        f.write_all(text.as_bytes()).map_err(fail)?;
        f.sync_all().map_err(fail)?;
    }
    std::fs::rename(&tmp, path).map_err(fail)?;
    Ok(text.len() as u64)
}

impl Console {
    /// The cached clusters, by name (readable offline).
    pub fn kube_clusters(&self) -> Result<Vec<ClusterRow>> {
        self.require_session()?.store.clusters()
    }

    /// One cached cluster.
    pub fn kube_cluster(&self, id: &str) -> Result<ClusterRow> {
        self.kube_clusters()?
            .into_iter()
            .find(|c| c.id == id || c.name == id)
            .ok_or_else(|| AppError::NotFound(format!("Kubernetes cluster {id}")))
    }

    /// Kubernetes versions of a zone (every zone's when `None`), newest first.
    pub async fn kube_versions(&self, zone_id: Option<&str>) -> Result<Vec<KubeVersion>> {
        let session = self.require_session()?;
        session.require_online()?;
        let versions = session.cloud.kube_versions(zone_id).await;
        self.noted(&session, versions)
    }

    /// Compute offerings with their vCPUs and memory.
    pub async fn kube_offerings(&self) -> Result<Vec<KubeOffering>> {
        let session = self.require_session()?;
        session.require_online()?;
        let offerings = session.cloud.kube_offerings().await;
        self.noted(&session, offerings)
    }

    /// The wizard's review: every reason the cluster would be refused, what it needs and costs.
    pub async fn kube_plan(&self, req: &CreateCluster) -> Result<ClusterPlan> {
        let session = self.require_session()?;
        session.require_online()?;
        let plan = session.cloud.kube_plan(req).await;
        self.noted(&session, plan)
    }

    /// Creates a cluster: refused with every problem of its plan before CloudStack is asked.
    /// Progress arrives as `kube-job` events; returns the task id.
    pub async fn kube_create(self: &Arc<Self>, req: &CreateCluster) -> Result<u64> {
        let plan = self.kube_plan(req).await?;
        if !plan.problems.is_empty() {
            return Err(AppError::Invalid(plan.problems.join(" ")));
        }
        let session = self.require_session()?;
        let event = self.job_event(Subject::Cluster, None, req.name.trim(), "create");
        let submitted = session.cloud.kube_create(req).await;
        self.submitted(Subject::Cluster, session, submitted, event)
    }

    /// A lifecycle action, refused up front where CloudStack would refuse it (the cached state,
    /// autoscaling, upgrades one minor at a time). Returns the task id.
    pub async fn kube_action(self: &Arc<Self>, id: &str, action: &ClusterAction) -> Result<u64> {
        let session = self.require_session()?;
        session.require_online()?;
        let cluster = self.kube_cluster(id)?;
        if let Some(why) = action_refusal(&cluster.state, action, cluster.autoscale.is_some()) {
            return Err(AppError::Invalid(format!("{}: {why}", cluster.name)));
        }
        match action {
            ClusterAction::Upgrade { version_id } => {
                let versions = self.kube_versions(Some(&cluster.zone_id)).await?;
                let target = versions
                    .iter()
                    .find(|v| &v.id == version_id)
                    .ok_or_else(|| {
                        AppError::Invalid(format!(
                            "Kubernetes version {version_id} is not offered in {}'s zone.",
                            cluster.name
                        ))
                    })?;
                if !upgrade_allowed(&cluster.version, &target.semantic_version) {
                    return Err(AppError::Invalid(format!(
                        "{} runs {}; CloudStack upgrades to a newer patch or the next minor version only, not to {}.",
                        cluster.name, cluster.version, target.semantic_version
                    )));
                }
            }
            ClusterAction::RemoveNodes { node_ids } => {
                for n in node_ids {
                    match cluster.nodes.iter().find(|x| &x.vm_id == n) {
                        None => {
                            return Err(AppError::Invalid(format!(
                                "{n} is not a node of {}.",
                                cluster.name
                            )));
                        }
                        Some(x) if x.role == akashone_types::kubernetes::NodeRole::Control => {
                            return Err(AppError::Invalid(format!(
                                "{} is a control node; only workers can be removed.",
                                x.name
                            )));
                        }
                        Some(_) => {}
                    }
                }
                if node_ids.len() as u32 >= cluster.workers {
                    return Err(AppError::Invalid(
                        "A cluster keeps at least one worker.".into(),
                    ));
                }
            }
            _ => {}
        }
        let event = self.job_event(
            Subject::Cluster,
            Some(cluster.id.clone()),
            &cluster.name,
            action.verb(),
        );
        let submitted = session.cloud.kube_action(&cluster, action).await;
        if submitted.is_ok() && *action == ClusterAction::Delete {
            let _ = crate::store::delete_secret(
                &self.vault,
                &vault_key(&session.profile.id, &cluster.id),
            );
        }
        self.submitted(Subject::Cluster, session, submitted, event)
    }

    /// The kubeconfig from the cloud, kept in the vault for health checks.
    async fn fetch_kubeconfig(&self, id: &str) -> Result<(ClusterRow, Zeroizing<String>)> {
        let session = self.require_session()?;
        session.require_online()?;
        let cluster = self.kube_cluster(id)?;
        let config = session.cloud.kubeconfig(&cluster.id).await;
        let config = self.noted(&session, config)?;
        crate::store::put_secret(
            &self.vault,
            &vault_key(&session.profile.id, &cluster.id),
            &config,
        )?;
        Ok((cluster, config))
    }

    /// Writes the cluster's kubeconfig to `path` (default `~/.kube/<name>.yaml`), mode 0600.
    pub async fn kube_config_save(&self, id: &str, path: Option<&str>) -> Result<SavedFile> {
        let (cluster, config) = self.fetch_kubeconfig(id).await?;
        let path = match path.map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => PathBuf::from(p),
            None => default_path(&cluster.name)?,
        };
        let bytes = write_private(&path, &config)?;
        tracing::info!(cluster = %cluster.name, path = %path.display(), "kubeconfig saved");
        Ok(SavedFile {
            path: path.display().to_string(),
            bytes,
        })
    }

    /// The cluster's kubeconfig text (for the clipboard, or the CLI's output).
    pub async fn kube_config_text(&self, id: &str) -> Result<Zeroizing<String>> {
        Ok(self.fetch_kubeconfig(id).await?.1)
    }

    /// The cluster's own view of itself, through the kubeconfig kept on this computer (none
    /// until one was downloaded or copied here: a health check does not fetch credentials).
    pub async fn kube_health(&self, id: &str) -> Result<ClusterHealth> {
        let cluster = self.kube_cluster(id)?;
        let unknown = |api: ApiReach| ClusterHealth {
            cluster_id: cluster.id.clone(),
            checked_at: time::OffsetDateTime::now_utc()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            api,
            ready: false,
            nodes: 0,
            nodes_ready: 0,
            not_ready: Vec::new(),
            kube_version: None,
            cert_expires: None,
        };
        let Some(text) = self.kept_kubeconfig(&cluster.id)? else {
            return Ok(unknown(ApiReach::NoKubeconfig));
        };
        let config = match akashone_kube::Kubeconfig::parse(&text) {
            Ok(c) => c,
            Err(e) => {
                return Ok(unknown(ApiReach::Refused {
                    reason: format!("the kept kubeconfig cannot be used: {e}"),
                }));
            }
        };
        Ok(akashone_kube::check(&cluster.id, &config, HEALTH_TIMEOUT).await)
    }

    /// The kubeconfig kept in the vault for a cluster, if one was fetched on this computer.
    pub(crate) fn kept_kubeconfig(&self, cluster_id: &str) -> Result<Option<Zeroizing<String>>> {
        let session = self.require_session()?;
        Ok(
            crate::store::get_secret(&self.vault, &vault_key(&session.profile.id, cluster_id))?
                .map(Zeroizing::new),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn kubeconfigs_are_written_for_the_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("web.yaml");
        let n = write_private(&path, "apiVersion: v1\n").unwrap();
        assert_eq!(n, 15);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // Overwriting keeps it private.
        write_private(&path, "apiVersion: v1\nkind: Config\n").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(!path.with_extension("yaml.part").exists());
    }
}
