//! Kubernetes clusters between the cache's row and what the console shows: one conversion each
//! way (a central server hands out [`ClusterRow`]s; CloudStack's answers become rows in
//! [`crate::cloudstack`]).

use crate::model::KubernetesCluster;
use akashone_types::kubernetes::{ClusterNode, ClusterRow};

fn count(n: Option<i64>) -> u32 {
    n.unwrap_or(0).clamp(0, i64::from(u32::MAX)) as u32
}

impl From<&KubernetesCluster> for ClusterRow {
    fn from(c: &KubernetesCluster) -> Self {
        let text = |s: &Option<String>| s.clone().unwrap_or_default();
        let nodes: Vec<ClusterNode> = c
            .nodes_json
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default();
        ClusterRow {
            id: c.id.clone(),
            name: text(&c.name),
            state: text(&c.state),
            zone_id: text(&c.zone_id),
            zone_name: text(&c.zone_name),
            version_id: text(&c.version_id),
            version: text(&c.version),
            control_nodes: count(c.control_nodes),
            workers: count(c.worker_nodes),
            autoscale: match (c.autoscale_min, c.autoscale_max) {
                (Some(a), Some(b)) => Some((count(Some(a)), count(Some(b)))),
                _ => None,
            },
            offering_id: text(&c.offering_id),
            offering_name: text(&c.offering_name),
            network_id: text(&c.network_id),
            network_name: text(&c.network_name),
            endpoint: text(&c.endpoint),
            keypair: c.keypair.clone(),
            cpu: c.cpu_number.unwrap_or(0),
            memory_mb: c.memory_mb.unwrap_or(0),
            account: text(&c.account),
            domain: text(&c.domain),
            created: text(&c.created),
            nodes,
        }
    }
}

impl From<&ClusterRow> for KubernetesCluster {
    fn from(c: &ClusterRow) -> Self {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        KubernetesCluster {
            id: c.id.clone(),
            name: some(&c.name),
            state: some(&c.state),
            zone_id: some(&c.zone_id),
            zone_name: some(&c.zone_name),
            version: some(&c.version),
            control_nodes: Some(i64::from(c.control_nodes)),
            worker_nodes: Some(i64::from(c.workers)),
            cpu_number: Some(c.cpu),
            memory_mb: Some(c.memory_mb),
            endpoint: some(&c.endpoint),
            account: some(&c.account),
            domain: some(&c.domain),
            created: some(&c.created),
            version_id: some(&c.version_id),
            offering_id: some(&c.offering_id),
            offering_name: some(&c.offering_name),
            network_id: some(&c.network_id),
            network_name: some(&c.network_name),
            autoscale_min: c.autoscale.map(|(a, _)| i64::from(a)),
            autoscale_max: c.autoscale.map(|(_, b)| i64::from(b)),
            keypair: c.keypair.clone(),
            nodes_json: serde_json::to_string(&c.nodes).ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use akashone_types::kubernetes::NodeRole;

    #[test]
    fn a_row_goes_to_the_cache_and_back_unchanged() {
        let row = ClusterRow {
            id: "c1".into(),
            name: "web".into(),
            state: "Running".into(),
            zone_id: "z".into(),
            zone_name: "Mumbai".into(),
            version_id: "v".into(),
            version: "v1.28.4".into(),
            control_nodes: 1,
            workers: 2,
            autoscale: Some((2, 5)),
            offering_id: "o".into(),
            offering_name: "Medium".into(),
            network_id: "n".into(),
            network_name: "web-network".into(),
            endpoint: "https://203.0.113.5:6443/".into(),
            keypair: Some("ops".into()),
            cpu: 6,
            memory_mb: 6144,
            account: "acme".into(),
            domain: "ROOT".into(),
            created: "2026-12-01T10:00:00Z".into(),
            nodes: vec![ClusterNode {
                vm_id: "vm1".into(),
                name: "web-control-1".into(),
                role: NodeRole::Control,
                state: "Running".into(),
                ip: Some("10.1.1.10".into()),
            }],
        };
        let cached = KubernetesCluster::from(&row);
        assert_eq!(ClusterRow::from(&cached), row);
    }
}
