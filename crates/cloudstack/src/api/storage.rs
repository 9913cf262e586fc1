//! Volumes and their snapshots.

use super::{Command, id_params};
use crate::client::Client;
use crate::error::Result;
use crate::job::AsyncJob;
use crate::model::*;
use crate::params::Params;
use serde_json::Value;

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
        /// Minimum IOPS (offerings with custom IOPS).
        miniops: i64,
        /// Maximum IOPS (offerings with custom IOPS).
        maxiops: i64,
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

request! {
    /// `resizeVolume` (async).
    ResizeVolume => "resizeVolume" {
        /// Volume id (required).
        id: String,
        /// New size in GiB (custom offerings).
        size: i64,
        /// Another disk offering.
        diskofferingid: String,
        /// Allow shrinking (data beyond the new size is lost).
        shrinkok: bool,
        /// Minimum IOPS.
        miniops: i64,
        /// Maximum IOPS.
        maxiops: i64,
    }
}

request! {
    /// `createSnapshotPolicy` (synchronous).
    CreateSnapshotPolicy => "createSnapshotPolicy" {
        /// Volume id (required).
        volumeid: String,
        /// `HOURLY`, `DAILY`, `WEEKLY`, `MONTHLY` (required).
        intervaltype: String,
        /// `MM`, `MM:HH` or `MM:HH:DD` (required).
        schedule: String,
        /// Time zone of the schedule (required).
        timezone: String,
        /// How many snapshots to keep (required).
        maxsnaps: i64,
    }
}

request! {
    /// `createTemplate` (async) from a snapshot or a stopped VM's volume.
    CreateTemplate => "createTemplate" {
        /// Name (required).
        name: String,
        /// Display text (required).
        displaytext: String,
        /// OS type id (required).
        ostypeid: String,
        /// From this snapshot.
        snapshotid: String,
        /// From this volume.
        volumeid: String,
        /// Public.
        ispublic: bool,
        /// Password-enabled.
        passwordenabled: bool,
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

    /// `attachVolume` at a chosen device id (async).
    pub async fn attach_volume_at(
        &self,
        id: &str,
        virtualmachineid: &str,
        deviceid: Option<i64>,
    ) -> Result<AsyncJob<Volume>> {
        let mut p = id_params(id).with("virtualmachineid", virtualmachineid);
        p.set_opt("deviceid", deviceid);
        self.submit("attachVolume", &p).await
    }

    /// `resizeVolume` (async).
    pub async fn resize_volume(&self, req: &ResizeVolume) -> Result<AsyncJob<Volume>> {
        self.submit(ResizeVolume::NAME, &req.to_params()).await
    }

    /// `migrateVolume` to another storage pool (async; admins).
    pub async fn migrate_volume(
        &self,
        volumeid: &str,
        storageid: &str,
        livemigrate: bool,
    ) -> Result<AsyncJob<Volume>> {
        let p = Params::new()
            .with("volumeid", volumeid)
            .with("storageid", storageid)
            .with("livemigrate", livemigrate);
        self.submit("migrateVolume", &p).await
    }

    /// `listStoragePools` (admins), every page.
    pub async fn list_storage_pools(&self, zoneid: Option<&str>) -> Result<Vec<StoragePool>> {
        let mut p = Params::new();
        p.set_opt("zoneid", zoneid);
        self.list_all("listStoragePools", &p, "storagepool").await
    }

    /// `revertSnapshot` (async): the volume goes back to the snapshot.
    pub async fn revert_snapshot(&self, id: &str) -> Result<AsyncJob<Snapshot>> {
        self.submit("revertSnapshot", &id_params(id)).await
    }

    /// `createTemplate` (async).
    pub async fn create_template(&self, req: &CreateTemplate) -> Result<AsyncJob<Template>> {
        self.submit(CreateTemplate::NAME, &req.to_params()).await
    }

    /// `createSnapshotPolicy` (synchronous).
    pub async fn create_snapshot_policy(
        &self,
        req: &CreateSnapshotPolicy,
    ) -> Result<SnapshotPolicy> {
        self.sync_object(
            CreateSnapshotPolicy::NAME,
            &req.to_params(),
            "snapshotpolicy",
        )
        .await
    }

    /// `listSnapshotPolicies` of a volume (or all the caller may see), every page.
    pub async fn list_snapshot_policies(
        &self,
        volumeid: Option<&str>,
    ) -> Result<Vec<SnapshotPolicy>> {
        let mut p = Params::new();
        match volumeid {
            Some(v) => p.set("volumeid", v),
            None => p.set("listall", true),
        };
        self.list_all("listSnapshotPolicies", &p, "snapshotpolicy")
            .await
    }

    /// `deleteSnapshotPolicies` (synchronous).
    pub async fn delete_snapshot_policies(&self, ids: &[String]) -> Result<Success> {
        let p = Params::new().with("ids", ids.to_vec());
        self.sync_success("deleteSnapshotPolicies", &p).await
    }

    /// `createVMSnapshot` (async); with memory the VM is paused while it is taken (KVM).
    pub async fn create_vm_snapshot(
        &self,
        virtualmachineid: &str,
        name: Option<&str>,
        snapshotmemory: bool,
    ) -> Result<AsyncJob<VmSnapshot>> {
        let mut p = Params::new()
            .with("virtualmachineid", virtualmachineid)
            .with("snapshotmemory", snapshotmemory);
        p.set_opt("name", name);
        self.submit("createVMSnapshot", &p).await
    }

    /// `listVMSnapshot` of a VM (or all the caller may see), every page.
    pub async fn list_vm_snapshots(
        &self,
        virtualmachineid: Option<&str>,
    ) -> Result<Vec<VmSnapshot>> {
        let mut p = Params::new();
        match virtualmachineid {
            Some(v) => p.set("virtualmachineid", v),
            None => p.set("listall", true),
        };
        self.list_all("listVMSnapshot", &p, "vmSnapshot").await
    }

    /// `revertToVMSnapshot` (async).
    pub async fn revert_to_vm_snapshot(&self, vmsnapshotid: &str) -> Result<AsyncJob<Value>> {
        let p = Params::new().with("vmsnapshotid", vmsnapshotid);
        self.submit("revertToVMSnapshot", &p).await
    }

    /// `deleteVMSnapshot` (async).
    pub async fn delete_vm_snapshot(&self, vmsnapshotid: &str) -> Result<AsyncJob<Success>> {
        let p = Params::new().with("vmsnapshotid", vmsnapshotid);
        self.submit("deleteVMSnapshot", &p).await
    }
}
