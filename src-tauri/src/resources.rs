//! Networks and storage: each command parses, calls the console, maps the error.

use crate::state::AppState;
use akashone_types::commands as cmd;
use akashone_types::network::forward::PortForwardPlan;
use akashone_types::network::rules::RuleSetDiff;
use akashone_types::network::{EgressRuleRow, LbMemberRow, NetworkRow, PublicIpRow, VpcRow};
use akashone_types::ops::{IpRulesView, VmLinks};
use akashone_types::storage::{
    DiskOfferingInfo, SnapshotPolicyRow, SnapshotRow, VmSnapshotRow, VolumeRow,
};
use akashone_types::{ApiError, Choice};

pub(crate) async fn net_networks(
    state: &AppState,
    _: cmd::NetNetworks,
) -> Result<Vec<NetworkRow>, ApiError> {
    Ok(state.console().net_networks()?)
}

pub(crate) async fn net_vpcs(state: &AppState, _: cmd::NetVpcs) -> Result<Vec<VpcRow>, ApiError> {
    Ok(state.console().net_vpcs()?)
}

pub(crate) async fn net_ips(
    state: &AppState,
    _: cmd::NetIps,
) -> Result<Vec<PublicIpRow>, ApiError> {
    Ok(state.console().net_ips()?)
}

pub(crate) async fn net_ip_rules(
    state: &AppState,
    cmd::NetIpRules { ip_id }: cmd::NetIpRules,
) -> Result<IpRulesView, ApiError> {
    Ok(state.console().net_ip_rules(&ip_id)?)
}

pub(crate) async fn net_egress_rules(
    state: &AppState,
    cmd::NetEgressRules { network_id }: cmd::NetEgressRules,
) -> Result<Vec<EgressRuleRow>, ApiError> {
    Ok(state.console().net_egress_rules(&network_id)?)
}

pub(crate) async fn net_lb_members(
    state: &AppState,
    cmd::NetLbMembers { id }: cmd::NetLbMembers,
) -> Result<Vec<LbMemberRow>, ApiError> {
    Ok(state.console().net_lb_members(&id).await?)
}

pub(crate) async fn net_offerings(
    state: &AppState,
    cmd::NetOfferings { zone_id, for_vpc }: cmd::NetOfferings,
) -> Result<Vec<Choice>, ApiError> {
    Ok(state.console().net_offerings(&zone_id, for_vpc).await?)
}

pub(crate) async fn net_rule_plan(
    state: &AppState,
    cmd::NetRulePlan { set, ip_ids }: cmd::NetRulePlan,
) -> Result<RuleSetDiff, ApiError> {
    Ok(state.console().net_rule_plan(&set, &ip_ids)?)
}

pub(crate) async fn net_forward_plan(
    state: &AppState,
    cmd::NetForwardPlan { specs }: cmd::NetForwardPlan,
) -> Result<PortForwardPlan, ApiError> {
    Ok(state.console().net_forward_plan(&specs)?)
}

pub(crate) async fn storage_volumes(
    state: &AppState,
    _: cmd::StorageVolumes,
) -> Result<Vec<VolumeRow>, ApiError> {
    Ok(state.console().storage_volumes()?)
}

pub(crate) async fn storage_snapshots(
    state: &AppState,
    cmd::StorageSnapshots { volume_id }: cmd::StorageSnapshots,
) -> Result<Vec<SnapshotRow>, ApiError> {
    Ok(state.console().storage_snapshots(volume_id.as_deref())?)
}

pub(crate) async fn storage_policies(
    state: &AppState,
    cmd::StoragePolicies { volume_id }: cmd::StoragePolicies,
) -> Result<Vec<SnapshotPolicyRow>, ApiError> {
    Ok(state.console().storage_policies(&volume_id)?)
}

pub(crate) async fn storage_vm_snapshots(
    state: &AppState,
    cmd::StorageVmSnapshots { vm_id }: cmd::StorageVmSnapshots,
) -> Result<Vec<VmSnapshotRow>, ApiError> {
    Ok(state.console().storage_vm_snapshots(vm_id.as_deref())?)
}

pub(crate) async fn storage_disk_offerings(
    state: &AppState,
    _: cmd::StorageDiskOfferings,
) -> Result<Vec<DiskOfferingInfo>, ApiError> {
    Ok(state.console().storage_disk_offerings()?)
}

pub(crate) async fn vm_links(
    state: &AppState,
    cmd::VmLinksGet { vm_id }: cmd::VmLinksGet,
) -> Result<VmLinks, ApiError> {
    Ok(state.console().vm_links(&vm_id)?)
}

pub(crate) async fn resource_check(
    state: &AppState,
    cmd::ResourceCheck { op }: cmd::ResourceCheck,
) -> Result<Vec<String>, ApiError> {
    Ok(state.console().resource_check(&op)?)
}

pub(crate) async fn resource_op(
    state: &AppState,
    cmd::ResourceOp { op }: cmd::ResourceOp,
) -> Result<u64, ApiError> {
    Ok(state.console().resource_op(&op).await?)
}
