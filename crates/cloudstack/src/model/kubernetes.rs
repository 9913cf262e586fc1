//! Kubernetes clusters, supported versions and kubeconfigs.

use super::VirtualMachine;
use crate::de::model;

model! {
    /// A CloudStack Kubernetes Service cluster.
    pub struct KubernetesCluster {
        /// Cluster id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Description.
        pub description: String,
        /// State (`Created`, `Starting`, `Running`, `Stopped`, `Scaling`, `Upgrading`, `Error`...).
        pub state: String,
        /// Zone id.
        pub zoneid: String,
        /// Zone name.
        pub zonename: String,
        /// Service offering id.
        pub serviceofferingid: String,
        /// Service offering name.
        pub serviceofferingname: String,
        /// Template id.
        pub templateid: String,
        /// Network id.
        pub networkid: String,
        /// Network name.
        pub associatednetworkname: String,
        /// Kubernetes version id.
        pub kubernetesversionid: String,
        /// Kubernetes version name.
        pub kubernetesversionname: String,
        /// Account.
        pub account: String,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
        /// Control nodes.
        pub controlnodes: i64,
        /// Control nodes (old name).
        pub masternodes: i64,
        /// Worker nodes.
        pub size: i64,
        /// vCPUs (a string on the wire).
        pub cpunumber: i64,
        /// Memory (a string on the wire).
        pub memory: i64,
        /// API endpoint.
        pub endpoint: String,
        /// Dashboard URL.
        pub consoleendpoint: String,
        /// Autoscaling enabled.
        pub autoscalingenabled: bool,
        /// Autoscaling minimum size.
        pub minsize: i64,
        /// Autoscaling maximum size.
        pub maxsize: i64,
        /// Cluster type (`CloudManaged`, `ExternalManaged`).
        pub clustertype: String,
        /// SSH key pair of the nodes.
        pub keypair: String,
        /// The control nodes' own offering, when per-role offerings are used.
        pub controlofferingid: String,
        /// Its name.
        pub controlofferingname: String,
        /// The workers' own offering, when per-role offerings are used.
        pub workerofferingid: String,
        /// Its name.
        pub workerofferingname: String,
        /// Node VMs.
        pub virtualmachines: Vec<VirtualMachine>,
        /// Node VM ids (older servers).
        pub virtualmachineids: Vec<String>,
        /// Creation date.
        pub created: String,
    }
}

model! {
    /// A Kubernetes version CKS can deploy.
    pub struct KubernetesSupportedVersion {
        /// Version id.
        pub id: String,
        /// Name, e.g. `v1.28.4`.
        pub name: String,
        /// Semantic version, e.g. `1.28.4`.
        pub semanticversion: String,
        /// Binaries ISO id.
        pub isoid: String,
        /// Binaries ISO name.
        pub isoname: String,
        /// ISO state.
        pub isostate: String,
        /// `Enabled` or `Disabled`.
        pub state: String,
        /// Supports HA (multiple control nodes).
        pub supportsha: bool,
        /// Supports autoscaling.
        pub supportsautoscaling: bool,
        /// Minimum vCPUs.
        pub mincpunumber: i64,
        /// Minimum memory (MiB).
        pub minmemory: i64,
        /// Zone id.
        pub zoneid: String,
        /// Creation date.
        pub created: String,
    }
}

model! {
    /// `getKubernetesClusterConfig`: the kubeconfig of a cluster.
    pub struct KubernetesClusterConfig {
        /// Cluster id.
        pub id: String,
        /// Cluster name.
        pub name: String,
        /// The kubeconfig file contents.
        pub configdata: String,
    }
}
