//! The contract between the UI and the desktop shell: every command, declared once.
//!
//! Each command is a struct named after it (`vm_get` is [`VmGet`]) whose fields are its arguments, with its name on the wire
//! ([`Command::NAME`]) and the type it answers ([`Command::Output`]). The UI sends the struct
//! (`invoke(&VmGet { id })`); the shell decodes the same struct and must answer `Output`, so the
//! compiler checks both sides against this one table. [`ALL`] lists every name; the shell's tests
//! check that each one is registered and that nothing else is.
//!
//! Arguments travel as a JSON object keyed by field name in camelCase (`zoneId`), as Tauri keys
//! command parameters.

use crate::central::{
    AuditOut, CreateRole, CreateTenant, EnableOut, InvoiceDetail, Me, RegisterRequest, RoleOut,
    SellerProfileIn, SellerProfileOut, SetupOut, TenantOut, UpdateTenant, UserOut,
};
use crate::kubernetes::{
    ClusterAction, ClusterHealth, ClusterPlan, ClusterRow, CreateCluster, KubeOffering,
    KubeVersion, SavedFile,
};
use crate::network::forward::{PortForwardPlan, PortForwardSpec};
use crate::network::rules::{RuleSet, RuleSetDiff};
use crate::network::{EgressRuleRow, LbMemberRow, NetworkRow, PublicIpRow, VpcRow};
use crate::ops::{IpRulesView, Operation, VmLinks};
use crate::storage::{DiskOfferingInfo, SnapshotPolicyRow, SnapshotRow, VmSnapshotRow, VolumeRow};
use crate::{
    Choice, DashboardFigures, DeployRequest, InvoiceCopy, NewCentralProfile, NewCloudStackProfile,
    Profiles, SavedPdf, Settings, SignInStep, VmQuery, VmRow,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// One shell command: its arguments (the implementing struct), its name and its answer.
pub trait Command: Serialize + DeserializeOwned {
    /// The name the shell registers and the UI calls.
    const NAME: &'static str;
    /// What the command answers when it succeeds (failures are [`crate::ApiError`]).
    type Output: Serialize + DeserializeOwned;
}

/// Declares the command structs, their [`Command`] impls and [`ALL`] from one table.
macro_rules! commands {
    ($(
        $(#[$doc:meta])*
        $name:literal => $cmd:ident { $( $(#[$fdoc:meta])* $field:ident : $ty:ty ),* $(,)? }
            -> $out:ty;
    )*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Serialize, Deserialize)]
            #[serde(rename_all = "camelCase")]
            pub struct $cmd {
                $( $(#[$fdoc])* pub $field: $ty, )*
            }

            impl Command for $cmd {
                const NAME: &'static str = $name;
                type Output = $out;
            }
        )*

        /// Every command's name, in declaration order.
        pub const ALL: &[&str] = &[$($name),*];
    };
}

commands! {
    // ---- The app itself ----------------------------------------------------------------------

    /// Product, version, company and data folder.
    "app_info" => AppInfo {} -> crate::AppInfo;
    /// The saved settings.
    "get_settings" => GetSettings {} -> Settings;
    /// Saves the theme; answers the settings as saved.
    "set_theme" => SetTheme {
        /// The theme's name (`dark`, `light`); anything else is refused as `invalid_input`.
        theme: String,
    } -> Settings;
    /// Tells the shell the first page has rendered; answers milliseconds since start-up.
    "ui_ready" => UiReady {
        /// Which page rendered first.
        page: String,
    } -> u64;

    // ---- Connection profiles -----------------------------------------------------------------

    /// The saved profiles and the active one.
    "list_profiles" => ListProfiles {} -> Profiles;
    /// Checks the credentials with `listZones`, then saves the profile (secret in the vault).
    "add_cloudstack_profile" => AddCloudStackProfile {
        /// The new profile.
        form: NewCloudStackProfile,
    } -> Profiles;
    /// Adds the demo profile (the built-in simulator).
    "add_demo_profile" => AddDemoProfile {} -> Profiles;
    /// Removes a profile, its secret and its cache.
    "remove_profile" => RemoveProfile {
        /// The profile's id.
        id: String,
    } -> Profiles;
    /// Makes a profile the active one; the cache shows at once and a sync starts.
    "activate_profile" => ActivateProfile {
        /// The profile's id.
        id: String,
    } -> crate::ConnectionStatus;
    /// The connection as it is now.
    "connection_status" => ConnectionStatus {} -> crate::ConnectionStatus;
    /// Starts a sync of the active profile now (it also runs by itself).
    "sync_now" => SyncNow {} -> crate::ConnectionStatus;

    // ---- Virtual machines --------------------------------------------------------------------

    /// A filtered, sorted page of the VM list, from the cache.
    "vm_page" => VmPage {
        /// Filter, sort and window.
        query: VmQuery,
    } -> crate::VmPage;
    /// One VM from the cache.
    "vm_get" => VmGet {
        /// The VM's id.
        id: String,
    } -> VmRow;
    /// Live metrics of one VM (needs the cloud).
    "vm_metrics" => VmMetrics {
        /// The VM's id.
        id: String,
    } -> crate::VmMetrics;
    /// Starts a lifecycle action; progress arrives as [`crate::events::VM_JOB`] events.
    /// Answers the task id.
    "vm_action" => VmAction {
        /// The VM's id.
        id: String,
        /// What to do.
        action: crate::VmAction,
    } -> u64;
    /// Zones to deploy into.
    "deploy_zones" => DeployZones {} -> Vec<Choice>;
    /// Templates available in a zone.
    "deploy_templates" => DeployTemplates {
        /// The zone's id.
        zone_id: String,
    } -> Vec<Choice>;
    /// Service offerings.
    "deploy_offerings" => DeployOfferings {} -> Vec<Choice>;
    /// SSH key pairs.
    "deploy_keypairs" => DeployKeypairs {} -> Vec<Choice>;
    /// Networks in a zone.
    "deploy_networks" => DeployNetworks {
        /// The zone's id.
        zone_id: String,
    } -> Vec<Choice>;
    /// Deploys a VM; progress arrives as [`crate::events::VM_JOB`] events. Answers the task id.
    "deploy_vm" => DeployVm {
        /// What to deploy.
        request: DeployRequest,
    } -> u64;
    /// Dashboard figures from the cache (`None` before the first sync).
    "dashboard" => Dashboard {} -> Option<DashboardFigures>;
    /// A cached list for the read-only pages.
    "cached_list" => CachedList {
        /// One of [`crate::CACHED_LISTS`].
        kind: String,
    } -> crate::CachedList;

    // ---- Central server profiles -------------------------------------------------------------

    /// Checks that the server answers, then saves a central server profile (no password kept).
    "add_central_profile" => AddCentralProfile {
        /// The new profile.
        form: NewCentralProfile,
    } -> Profiles;
    /// The password step of signing in to a central server profile (which becomes active).
    "central_sign_in" => CentralSignIn {
        /// The profile's id.
        id: String,
        /// The user's password.
        password: String,
    } -> SignInStep;
    /// The 2FA step: a current TOTP code, or one unused recovery code.
    "central_verify_2fa" => CentralVerify2fa {
        /// A code from the authenticator.
        code: Option<String>,
        /// One unused recovery code.
        recovery_code: Option<String>,
    } -> SignInStep;
    /// Signs out of the active central server profile (the session is revoked on the server).
    "central_sign_out" => CentralSignOut {} -> crate::ConnectionStatus;
    /// Shows another tenant's data (one in the user's subtree), or the user's own with `None`.
    "act_as" => ActAs {
        /// The tenant to act as.
        tenant_id: Option<String>,
    } -> crate::ConnectionStatus;
    /// Starts 2FA set-up: the secret as an otpauth URI and a QR code image.
    "twofa_setup" => TwofaSetup {} -> SetupOut;
    /// Turns 2FA on with a code from the authenticator; answers the recovery codes (shown once).
    "twofa_enable" => TwofaEnable {
        /// A code from the authenticator.
        code: String,
    } -> EnableOut;
    /// Turns 2FA off; needs the password and a current or recovery code.
    "twofa_disable" => TwofaDisable {
        /// The user's password.
        password: String,
        /// A current or recovery code.
        code: String,
    } -> Me;
    /// The signed-in user's own failed sign-ins, password and code checks and lockouts of the
    /// last 30 days (at most 20, newest first), with the address each came from.
    "own_sign_in_failures" => OwnSignInFailures {} -> Vec<AuditOut>;
    /// Changes the password. The server revokes every session and hands this console a new one
    /// (the answer stays signed in); other devices must sign in again.
    "change_password" => ChangePassword {
        /// The password now.
        current_password: String,
        /// The password wanted.
        new_password: String,
    } -> crate::ConnectionStatus;
    /// The tenant tree under the user's tenant (the user's tenant first, then by path).
    "tenants_list" => TenantsList {} -> Vec<TenantOut>;
    /// Creates a tenant (and its CloudStack domain and account).
    "tenant_create" => TenantCreate {
        /// The new tenant.
        form: CreateTenant,
    } -> TenantOut;
    /// Renames, moves or suspends/resumes a tenant.
    "tenant_update" => TenantUpdate {
        /// The tenant's id.
        id: String,
        /// What changes.
        change: UpdateTenant,
    } -> TenantOut;
    /// Roles the user can see and grant: the built-in ones and custom roles of their subtree.
    "roles_list" => RolesList {} -> Vec<RoleOut>;
    /// Defines a custom role (with no permission beyond the user's own).
    "role_create" => RoleCreate {
        /// The new role.
        form: CreateRole,
    } -> RoleOut;
    /// Users of the subtree and the role each holds.
    "users_list" => UsersList {} -> Vec<UserOut>;
    /// Creates a user in a tenant of the subtree.
    "user_create" => UserCreate {
        /// The new user.
        form: RegisterRequest,
    } -> UserOut;
    /// Gives a user another role.
    "user_set_role" => UserSetRole {
        /// The user's id.
        id: String,
        /// The role's id.
        role_id: String,
    } -> UserOut;
    /// The audit log of the subtree, newest first; `before_id` pages back.
    "audit_list" => AuditList {
        /// Only entries older than this one.
        before_id: Option<i64>,
    } -> Vec<AuditOut>;

    // ---- Seller profile and white-label brand (central server profiles) ----------------------

    /// The seller profile of the tenant acted as; `None` while it has none.
    "seller_profile" => SellerProfile {} -> Option<SellerProfileOut>;
    /// Sets the seller profile of the tenant acted as.
    "seller_profile_save" => SellerProfileSave {
        /// The profile as it should be.
        form: SellerProfileIn,
    } -> SellerProfileOut;
    /// The logo (PNG, base64) of the white-label brand the console shows, if it has one.
    "brand_logo" => BrandLogo {} -> Option<String>;

    // ---- Invoices (central server profiles; read from the offline cache) ---------------------

    // ---- Kubernetes clusters (CloudStack Kubernetes Service) ----------------------------------

    /// The clusters as last synced, by name; readable offline.
    "kube_clusters" => KubeClusters {} -> Vec<ClusterRow>;
    /// One cached cluster.
    "kube_cluster" => KubeCluster {
        /// Cluster id.
        id: String,
    } -> ClusterRow;
    /// The Kubernetes versions of a zone (every zone's when `None`), newest first.
    "kube_versions" => KubeVersions {
        /// Zone id.
        zone_id: Option<String>,
    } -> Vec<KubeVersion>;
    /// Compute offerings with their vCPUs and memory, for the wizard's checks.
    "kube_offerings" => KubeOfferings {} -> Vec<KubeOffering>;
    /// The wizard's review: what the cluster needs, its monthly cost, and every reason it would
    /// be refused (the rules, the owner's resource limits, the zone's capacity).
    "kube_plan" => KubePlan {
        /// The cluster asked for.
        request: CreateCluster,
    } -> ClusterPlan;
    /// Creates a cluster; refused up front with the plan's problems. Progress arrives as
    /// [`crate::events::KUBE_JOB`] events. Answers the task id.
    "kube_create" => KubeCreate {
        /// The cluster.
        request: CreateCluster,
    } -> u64;
    /// A lifecycle action; refused up front in states CloudStack refuses it in. Progress as
    /// [`crate::events::KUBE_JOB`] events. Answers the task id.
    "kube_action" => KubeAction {
        /// Cluster id.
        id: String,
        /// What to do.
        action: ClusterAction,
    } -> u64;
    /// Fetches the cluster's kubeconfig and writes it with mode 0600 to `path` (default
    /// `~/.kube/<cluster>.yaml`). It is never logged; the central server audits each download.
    "kube_config_save" => KubeConfigSave {
        /// Cluster id.
        id: String,
        /// Where to write it.
        path: Option<String>,
    } -> SavedFile;
    /// The kubeconfig's text, for the clipboard.
    "kube_config_text" => KubeConfigText {
        /// Cluster id.
        id: String,
    } -> String;
    /// The cluster's own view through its kubeconfig: API reachable, nodes Ready, version,
    /// certificate expiry.
    "kube_health" => KubeHealth {
        /// Cluster id.
        id: String,
    } -> ClusterHealth;

    // ---- Networks and storage ---------------------------------------------------------------

    /// Guest networks as last synced, by name, with the VMs on each; readable offline.
    "net_networks" => NetNetworks {} -> Vec<NetworkRow>;
    /// VPCs with their tiers, as last synced.
    "net_vpcs" => NetVpcs {} -> Vec<VpcRow>;
    /// Public IP addresses as last synced.
    "net_ips" => NetIps {} -> Vec<PublicIpRow>;
    /// The firewall, port forwarding and load balancer rules of one public IP, as last synced.
    "net_ip_rules" => NetIpRules {
        /// Address id.
        ip_id: String,
    } -> IpRulesView;
    /// The egress rules of one network, as last synced.
    "net_egress_rules" => NetEgressRules {
        /// Network id.
        network_id: String,
    } -> Vec<EgressRuleRow>;
    /// The members of a load balancer rule with their state (asked for now).
    "net_lb_members" => NetLbMembers {
        /// Rule id.
        id: String,
    } -> Vec<LbMemberRow>;
    /// Network offerings of a zone for new isolated networks (or VPC tiers).
    "net_offerings" => NetOfferings {
        /// Zone id.
        zone_id: String,
        /// Offerings for VPC tiers instead.
        for_vpc: bool,
    } -> Vec<Choice>;
    /// What applying a rule set to IPs would do: each rule to add, already there, overlapping
    /// or refused, and whether anything opens to the whole internet.
    "net_rule_plan" => NetRulePlan {
        /// The rules.
        set: RuleSet,
        /// The public IPs.
        ip_ids: Vec<String>,
    } -> RuleSetDiff;
    /// Port forwards checked against each other and the rules already on their IPs, with the
    /// firewall rules that will open them to their source CIDRs only.
    "net_forward_plan" => NetForwardPlan {
        /// The forwards.
        specs: Vec<PortForwardSpec>,
    } -> PortForwardPlan;
    /// Volumes as last synced, by name.
    "storage_volumes" => StorageVolumes {} -> Vec<VolumeRow>;
    /// Volume snapshots as last synced, newest first (one volume's when given).
    "storage_snapshots" => StorageSnapshots {
        /// Volume id.
        volume_id: Option<String>,
    } -> Vec<SnapshotRow>;
    /// The recurring snapshot policies of a volume, as last synced.
    "storage_policies" => StoragePolicies {
        /// Volume id.
        volume_id: String,
    } -> Vec<SnapshotPolicyRow>;
    /// VM snapshots as last synced, newest first (one VM's when given).
    "storage_vm_snapshots" => StorageVmSnapshots {
        /// VM id.
        vm_id: Option<String>,
    } -> Vec<VmSnapshotRow>;
    /// Disk offerings for new volumes: fixed or custom size, custom IOPS or not.
    "storage_disk_offerings" => StorageDiskOfferings {} -> Vec<DiskOfferingInfo>;
    /// What points at a VM: its volumes, VM snapshots, static NAT addresses, port forwards.
    "vm_links" => VmLinksGet {
        /// VM id.
        vm_id: String,
    } -> VmLinks;
    /// Every reason an operation would be refused now (its own rules and the state of what it
    /// names, as last synced); empty when it can go ahead.
    "resource_check" => ResourceCheck {
        /// The operation.
        op: Operation,
    } -> Vec<String>;
    /// Runs a network or storage operation; refused up front with [`ResourceCheck`]'s reasons.
    /// Progress arrives as [`crate::events::RESOURCE_JOB`] events. Answers the task id.
    "resource_op" => ResourceOp {
        /// The operation.
        op: Operation,
    } -> u64;

    /// The cached invoices and notes of the active profile, newest first.
    "invoice_list" => InvoiceList {} -> crate::InvoiceList;
    /// One cached document in full (every printed particular, branding, e-invoice state, notes).
    "invoice_get" => InvoiceGet {
        /// The document's number.
        number: String,
    } -> InvoiceDetail;
    /// Renders the document's PDF on this computer (no network needed) into the invoices folder.
    "invoice_save_pdf" => InvoiceSavePdf {
        /// The document's number.
        number: String,
        /// Which copy to print.
        copy: InvoiceCopy,
    } -> SavedPdf;
    /// Renders the PDF like [`InvoiceSavePdf`], then opens it in the system's viewer to print.
    "invoice_print" => InvoicePrint {
        /// The document's number.
        number: String,
        /// Which copy to print.
        copy: InvoiceCopy,
    } -> SavedPdf;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for name in ALL {
            assert!(seen.insert(*name), "{name} is declared twice");
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{name}"
            );
        }
        assert_eq!(ALL.len(), 76);
    }

    #[test]
    fn arguments_travel_in_camel_case_and_empty_ones_as_an_object() {
        let args = serde_json::to_value(CentralVerify2fa {
            code: None,
            recovery_code: Some("r".into()),
        })
        .unwrap();
        assert_eq!(args, serde_json::json!({"code": null, "recoveryCode": "r"}));
        assert_eq!(
            serde_json::to_value(AppInfo {}).unwrap(),
            serde_json::json!({})
        );
        let back: DeployTemplates =
            serde_json::from_value(serde_json::json!({"zoneId": "z1"})).unwrap();
        assert_eq!(back.zone_id, "z1");
    }
}
