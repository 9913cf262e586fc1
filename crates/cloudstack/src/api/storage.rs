//! Volumes and their snapshots.

use super::{Command, id_params};
use crate::client::Client;
use crate::error::Result;
use crate::job::AsyncJob;
use crate::model::*;
use crate::params::Params;

list_request! {
    /// `listVolumes`.
    ListVolumes => "listVolumes" {
        /// Volume id.
        id: String,
        /// VM id.
        virtualmachineid: String,
        /// Zone id.
        zoneid: String,
        /// `ROOT` or `DATADISK`.
        r#type: String,
        /// List everything the caller may see.
        listall: bool,
        /// Domain id.
        domainid: String,
        /// Account.
        account: String,
        /// Project id.
        projectid: String,
    }
}

request! {
    /// `createVolume` (async).
    CreateVolume => "createVolume" {
        /// Name.
        name: String,
        /// Zone id.
        zoneid: String,
        /// Disk offering id.
        diskofferingid: String,
        /// Size (GiB) for custom offerings.
        size: i64,
        /// Create from this snapshot.
        snapshotid: String,
        /// Attach to this VM.
        virtualmachineid: String,
        /// Domain id.
        domainid: String,
        /// Account.
        account: String,
        /// Project id.
        projectid: String,
    }
}

list_request! {
    /// `listSnapshots`.
    ListSnapshots => "listSnapshots" {
        /// Snapshot id.
        id: String,
        /// Volume id.
        volumeid: String,
        /// Zone id.
        zoneid: String,
        /// List everything the caller may see.
        listall: bool,
        /// Domain id.
        domainid: String,
        /// Account.
        account: String,
        /// Project id.
        projectid: String,
    }
}

impl Client {
    /// `listVolumes`, every page.
    pub async fn list_volumes(&self, req: &ListVolumes) -> Result<Vec<Volume>> {
        self.list_typed(req, "volume").await
    }

    /// `createVolume` (async).
    pub async fn create_volume(&self, req: &CreateVolume) -> Result<AsyncJob<Volume>> {
        self.submit(CreateVolume::NAME, &req.to_params()).await
    }

    /// `attachVolume` (async).
    pub async fn attach_volume(
        &self,
        id: &str,
        virtualmachineid: &str,
    ) -> Result<AsyncJob<Volume>> {
        let p = id_params(id).with("virtualmachineid", virtualmachineid);
        self.submit("attachVolume", &p).await
    }

    /// `detachVolume` (async).
    pub async fn detach_volume(&self, id: &str) -> Result<AsyncJob<Volume>> {
        self.submit("detachVolume", &id_params(id)).await
    }

    /// `deleteVolume` (synchronous).
    pub async fn delete_volume(&self, id: &str) -> Result<Success> {
        self.sync_success("deleteVolume", &id_params(id)).await
    }

    /// `listSnapshots`, every page.
    pub async fn list_snapshots(&self, req: &ListSnapshots) -> Result<Vec<Snapshot>> {
        self.list_typed(req, "snapshot").await
    }

    /// `createSnapshot` of a volume (async).
    pub async fn create_snapshot(
        &self,
        volumeid: &str,
        name: Option<&str>,
    ) -> Result<AsyncJob<Snapshot>> {
        let mut p = Params::new().with("volumeid", volumeid);
        p.set_opt("name", name);
        self.submit("createSnapshot", &p).await
    }

    /// `deleteSnapshot` (async).
    pub async fn delete_snapshot(&self, id: &str) -> Result<AsyncJob<Success>> {
        self.submit("deleteSnapshot", &id_params(id)).await
    }
}
