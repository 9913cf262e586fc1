//! Permissions: what a role may allow. The tenant tree says *where*.

use serde::{Deserialize, Serialize};

macro_rules! permissions {
    ($( $(#[$m:meta])* $variant:ident = $wire:literal ),* $(,)?) => {
        /// One thing a role may allow.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum Permission {
            $( $(#[$m])* #[serde(rename = $wire)] $variant, )*
        }

        impl Permission {
            /// Every permission.
            pub const ALL: &'static [Permission] = &[$(Permission::$variant),*];

            /// The wire name, e.g. `vms.read`.
            pub fn as_str(self) -> &'static str {
                match self { $(Permission::$variant => $wire,)* }
            }
        }

        impl std::str::FromStr for Permission {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($wire => Ok(Permission::$variant),)*
                    other => Err(format!("unknown permission {other:?}")),
                }
            }
        }
    };
}

permissions! {
    /// List tenants of the subtree.
    TenantsRead = "tenants.read",
    /// Create tenants (and their CloudStack domains).
    TenantsCreate = "tenants.create",
    /// Rename, move and suspend tenants.
    TenantsUpdate = "tenants.update",
    /// List the users of the subtree.
    UsersRead = "users.read",
    /// Create users.
    UsersCreate = "users.create",
    /// Change a user's role.
    UsersUpdate = "users.update",
    /// List roles.
    RolesRead = "roles.read",
    /// Define custom roles.
    RolesCreate = "roles.create",
    /// Read the audit log.
    AuditRead = "audit.read",
    /// List VMs.
    VmsRead = "vms.read",
    /// Deploy VMs.
    VmsCreate = "vms.create",
    /// Start, stop and reboot VMs.
    VmsOperate = "vms.operate",
    /// Destroy VMs.
    VmsDelete = "vms.delete",
    /// List zones, templates and offerings.
    CatalogRead = "catalog.read",
    /// Read invoices and usage.
    BillingRead = "billing.read",
    /// Manage rate cards and invoices.
    BillingManage = "billing.manage",
    /// List Kubernetes clusters, versions and node offerings, and review a new cluster's plan.
    KubernetesRead = "kubernetes.read",
    /// Create, scale, autoscale, upgrade, start, stop and delete Kubernetes clusters.
    KubernetesOperate = "kubernetes.operate",
    /// Download a cluster's kubeconfig: an admin credential of the cluster; every download is
    /// audited.
    KubernetesKubeconfig = "kubernetes.kubeconfig",
    /// List networks, VPCs, public IPs, their firewall, egress, port forwarding and load
    /// balancer rules, and network offerings.
    NetworkRead = "network.read",
    /// Create, change and delete networks, VPCs and their ACLs; acquire and release public IPs;
    /// static NAT; firewall, egress, port forwarding and load balancer rules.
    NetworkOperate = "network.operate",
    /// List volumes, snapshots, snapshot policies, VM snapshots and disk offerings.
    StorageRead = "storage.read",
    /// Create, attach, detach, resize, migrate and delete volumes; take, revert and delete
    /// snapshots and VM snapshots; set and delete snapshot policies.
    StorageOperate = "storage.operate",
}

impl std::fmt::Display for Permission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
