//! The health of a CloudStack Kubernetes Service cluster as its own API reports it, checked from
//! this computer through the cluster's kubeconfig.
//!
//! CloudStack knows a cluster's VMs; only the cluster itself knows whether its API answers,
//! whether it is ready, which nodes are Ready and which Kubernetes version runs. [`Kubeconfig`]
//! reads the kubeconfig CloudStack hands out (refusing one that turns off certificate checks),
//! [`check`] asks the API (`/version`, `/readyz`, `/api/v1/nodes`) trusting only the
//! kubeconfig's certificate authority and signing in with its client certificate or token, and
//! [`check_many`] does that for a whole list at once. The answer is an
//! [`akashone_types::kubernetes::ClusterHealth`], where an API that does not answer from here
//! (`Unreachable`: a VPN, a firewall) is told apart from one that refuses the credentials
//! (`Refused`) and from one that answers but is unhealthy.
//!
//! ```no_run
//! # async fn demo(yaml: &str) -> Result<(), akashone_kube::KubeError> {
//! use std::time::Duration;
//! let kubeconfig = akashone_kube::Kubeconfig::parse(yaml)?;
//! let health = akashone_kube::check("cluster-id", &kubeconfig, Duration::from_secs(5)).await;
//! println!("{:?}: {}/{} nodes Ready", health.api, health.nodes_ready, health.nodes);
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod check;
mod config;
mod error;

pub use check::{check, check_many};
pub use config::Kubeconfig;
pub use error::KubeError;
