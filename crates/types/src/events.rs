//! Names of the events the desktop shell pushes to the UI, shared by both sides.

/// Payload: a [`crate::ConnectionStatus`] (reachability, sync, last error).
pub const CONNECTION: &str = "connection";
/// Payload: `null`. The cached lists changed (a sync or an action finished).
pub const DATA_CHANGED: &str = "data-changed";
/// Payload: a [`crate::JobEvent`] (progress of a VM action or deploy).
pub const VM_JOB: &str = "vm-job";
/// Payload: a [`crate::JobEvent`] of a Kubernetes cluster's action: `vm_id` and `vm_name` hold
/// the cluster's id and name.
pub const KUBE_JOB: &str = "kube-job";
/// Payload: a [`crate::JobEvent`] of a network or storage operation (`crate::ops::Operation`):
/// `action` is the operation's name (`volume.attach`), `vm_id` and `vm_name` the resource's id
/// and name when known.
pub const RESOURCE_JOB: &str = "resource-job";
