//! akashone-kube against kubeconfigs made here and against the CloudStack simulator's
//! Kubernetes APIs (mTLS, one per running cluster).

mod health;
mod parse;
mod support;
