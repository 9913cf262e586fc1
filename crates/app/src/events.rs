//! Where the app's pushes go: the Tauri shell emits them to the window; tests record them.

use akashone_types::{ConnectionStatus, JobEvent};

/// Receives what happens in the background.
pub trait Events: Send + Sync + 'static {
    /// The connection changed (reachability, sync, error).
    fn connection(&self, status: &ConnectionStatus);
    /// Cached lists changed: pages should query again.
    fn data_changed(&self);
    /// A VM action or deploy made progress.
    fn job(&self, event: &JobEvent);
    /// A Kubernetes cluster's action or create made progress (`vm_id`/`vm_name` hold the
    /// cluster's).
    fn kube_job(&self, event: &JobEvent);
    /// A network or storage operation made progress (`action` is the operation's name).
    fn resource_job(&self, event: &JobEvent);
}

/// Drops every event (for callers that do not listen).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoEvents;

impl Events for NoEvents {
    fn connection(&self, _: &ConnectionStatus) {}
    fn data_changed(&self) {}
    fn job(&self, _: &JobEvent) {}
    fn kube_job(&self, _: &JobEvent) {}
    fn resource_job(&self, _: &JobEvent) {}
}
