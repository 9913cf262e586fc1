//! The one place commands are registered: a table from each command of
//! [`akashone_types::commands`] to the function that answers it.
//!
//! The table expands to the invoke handler and to [`REGISTERED`]. A handler takes the command's
//! own argument struct and must answer its declared `Output`, so the shell and the UI cannot
//! disagree on a name, an argument or a reply; the command tests check that every declared
//! command is registered exactly once.

use crate::state::AppState;
use akashone_types::ApiError;
use akashone_types::commands::{self as cmd, Command};
use tauri::ipc::{Invoke, InvokeBody, InvokeError};
use tauri::{Manager, Runtime};

/// Decodes the arguments of `C` from the whole payload (an object keyed by field name).
fn decode<C: Command, R: Runtime>(invoke: &Invoke<R>) -> Result<C, String> {
    let problem =
        |e: &dyn std::fmt::Display| format!("invalid args for command `{}`: {e}", C::NAME);
    match invoke.message.payload() {
        InvokeBody::Json(value) => C::deserialize(value).map_err(|e| problem(&e)),
        InvokeBody::Raw(_) => Err(problem(&"expected a JSON object")),
    }
}

macro_rules! handlers {
    ($($cmd:ty => $handler:path),* $(,)?) => {
        /// The name of every command the shell answers, in registration order.
        pub const REGISTERED: &[&str] = &[$(<$cmd as Command>::NAME),*];

        /// The invoke handler: finds the command by name, decodes its arguments and answers off
        /// the main thread. Answers `false` (Tauri's "not found") for any other name.
        pub(crate) fn dispatch<R: Runtime>(invoke: Invoke<R>) -> bool {
            let name = invoke.message.command();
            $(
                if name == <$cmd as Command>::NAME {
                    match decode::<$cmd, R>(&invoke) {
                        Ok(args) => {
                            let app = invoke.message.webview().app_handle().clone();
                            invoke.resolver.respond_async(async move {
                                let state = app.state::<AppState>();
                                let answer: Result<<$cmd as Command>::Output, ApiError> =
                                    $handler(&state, args).await;
                                answer.map_err(InvokeError::from)
                            });
                        }
                        Err(message) => invoke.resolver.reject(message),
                    }
                    return true;
                }
            )*
            false
        }
    };
}

use crate::{central, commands, invoices, kubernetes, resources};

handlers! {
    cmd::AppInfo => commands::app_info,
    cmd::GetSettings => commands::get_settings,
    cmd::SetTheme => commands::set_theme,
    cmd::UiReady => commands::ui_ready,
    cmd::ListProfiles => commands::list_profiles,
    cmd::AddCloudStackProfile => commands::add_cloudstack_profile,
    cmd::AddDemoProfile => commands::add_demo_profile,
    cmd::RemoveProfile => commands::remove_profile,
    cmd::ActivateProfile => commands::activate_profile,
    cmd::ConnectionStatus => commands::connection_status,
    cmd::SyncNow => commands::sync_now,
    cmd::VmPage => commands::vm_page,
    cmd::VmGet => commands::vm_get,
    cmd::VmMetrics => commands::vm_metrics,
    cmd::VmAction => commands::vm_action,
    cmd::DeployZones => commands::deploy_zones,
    cmd::DeployTemplates => commands::deploy_templates,
    cmd::DeployOfferings => commands::deploy_offerings,
    cmd::DeployKeypairs => commands::deploy_keypairs,
    cmd::DeployNetworks => commands::deploy_networks,
    cmd::DeployVm => commands::deploy_vm,
    cmd::Dashboard => commands::dashboard,
    cmd::CachedList => commands::cached_list,
    cmd::AddCentralProfile => central::add_central_profile,
    cmd::CentralSignIn => central::central_sign_in,
    cmd::CentralVerify2fa => central::central_verify_2fa,
    cmd::CentralSignOut => central::central_sign_out,
    cmd::ActAs => central::act_as,
    cmd::TwofaSetup => central::twofa_setup,
    cmd::TwofaEnable => central::twofa_enable,
    cmd::TwofaDisable => central::twofa_disable,
    cmd::ChangePassword => central::change_password,
    cmd::OwnSignInFailures => central::own_sign_in_failures,
    cmd::TenantsList => central::tenants_list,
    cmd::TenantCreate => central::tenant_create,
    cmd::TenantUpdate => central::tenant_update,
    cmd::RolesList => central::roles_list,
    cmd::RoleCreate => central::role_create,
    cmd::UsersList => central::users_list,
    cmd::UserCreate => central::user_create,
    cmd::UserSetRole => central::user_set_role,
    cmd::AuditList => central::audit_list,
    cmd::SellerProfile => central::seller_profile,
    cmd::SellerProfileSave => central::seller_profile_save,
    cmd::BrandLogo => central::brand_logo,
    cmd::KubeClusters => kubernetes::kube_clusters,
    cmd::KubeCluster => kubernetes::kube_cluster,
    cmd::KubeVersions => kubernetes::kube_versions,
    cmd::KubeOfferings => kubernetes::kube_offerings,
    cmd::KubePlan => kubernetes::kube_plan,
    cmd::KubeCreate => kubernetes::kube_create,
    cmd::KubeAction => kubernetes::kube_action,
    cmd::KubeConfigSave => kubernetes::kube_config_save,
    cmd::KubeConfigText => kubernetes::kube_config_text,
    cmd::KubeHealth => kubernetes::kube_health,
    cmd::NetNetworks => resources::net_networks,
    cmd::NetVpcs => resources::net_vpcs,
    cmd::NetIps => resources::net_ips,
    cmd::NetIpRules => resources::net_ip_rules,
    cmd::NetEgressRules => resources::net_egress_rules,
    cmd::NetLbMembers => resources::net_lb_members,
    cmd::NetOfferings => resources::net_offerings,
    cmd::NetRulePlan => resources::net_rule_plan,
    cmd::NetForwardPlan => resources::net_forward_plan,
    cmd::StorageVolumes => resources::storage_volumes,
    cmd::StorageSnapshots => resources::storage_snapshots,
    cmd::StoragePolicies => resources::storage_policies,
    cmd::StorageVmSnapshots => resources::storage_vm_snapshots,
    cmd::StorageDiskOfferings => resources::storage_disk_offerings,
    cmd::VmLinksGet => resources::vm_links,
    cmd::ResourceCheck => resources::resource_check,
    cmd::ResourceOp => resources::resource_op,
    cmd::InvoiceList => invoices::invoice_list,
    cmd::InvoiceGet => invoices::invoice_get,
    cmd::InvoiceSavePdf => invoices::invoice_save_pdf,
    cmd::InvoicePrint => invoices::invoice_print,
}
