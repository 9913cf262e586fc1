//! akashone-kube against kubeconfigs made here and against the CloudStack simulator's
//! Kubernetes APIs (mTLS, one per running cluster), and a small TLS server for the answers the
//! simulator does not give (401, 403, a certificate for another name).

mod fake;
mod health;
mod parse;
mod support;
