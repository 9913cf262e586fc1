//! A small Kubernetes API per CKS cluster, so a console can check a cluster's health with the
//! kubeconfig `getKubernetesClusterConfig` hands out.
//!
//! Every cluster gets its own certificates ([`pki`]) and a loopback port reserved for its whole
//! life (the kubeconfig keeps working across stop and start). While the cluster is Running (and
//! the `api_reachable` knob is on) a TLS listener that requires the cluster's client certificate
//! serves `/version`, `/readyz`, `/livez`, discovery and nodes, namespaces and pods ([`http`],
//! [`objects`]); otherwise the port is bound but not listening, so connections are refused.
//!
//! Listeners follow the state: [`reconcile`] runs after every request (CloudStack's or
//! Kubernetes') and after every knob change, starting and stopping them as clusters change.

mod http;
mod objects;
mod pki;

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use base64::Engine as _;
use time::OffsetDateTime;
use tokio::net::TcpSocket;
use tokio::sync::oneshot;

use crate::server::Shared;
use crate::state::State;
pub(crate) use pki::ClusterPki;

/// How a cluster's node looks to Kubernetes, whatever CloudStack says about its VM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KubeNodeHealth {
    /// Registered and Ready while its VM is Running (the default).
    #[default]
    Ready,
    /// Registered but NotReady: the kubelet stopped posting status (condition Ready=Unknown).
    NotReady,
    /// Never joined: absent from `/api/v1/nodes` although CloudStack lists the VM as Running
    /// (apache/cloudstack#12565).
    Missing,
}

/// Where a cluster's Kubernetes API is and what its kubeconfig's client certificate says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeApiInfo {
    /// `https://127.0.0.1:PORT`, the kubeconfig's `server`.
    pub url: String,
    /// The loopback port, reserved for the cluster's whole life.
    pub port: u16,
    /// Is a listener accepting connections now (cluster Running and reachable)?
    pub listening: bool,
    /// The admin client certificate's notAfter: the cluster's creation time (whole seconds)
    /// plus 365 days.
    pub client_cert_not_after: OffsetDateTime,
    /// The cluster CA, PEM.
    pub ca_pem: String,
}

/// A cluster's API: its reserved port and certificates.
#[derive(Debug)]
pub(crate) struct ClusterApi {
    pub port: u16,
    pub pki: Arc<ClusterPki>,
}

impl ClusterApi {
    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    /// The admin kubeconfig, laid out as kubeadm's `admin.conf` (user `kubernetes-admin`,
    /// context `kubernetes-admin@<cluster>`), with the CKS cluster's name as the cluster name.
    ///
    /// Real CKS hands out the control node's admin kubeconfig with `server` set to
    /// `https://<public ip>:6443`, the cluster's `endpoint`. The simulator cannot listen on the
    /// public address, so `server` is the loopback listener; the public address stays in the
    /// cluster's `ipaddress`/`endpoint` fields and in the server certificate's SANs.
    pub fn kubeconfig(&self, cluster_name: &str) -> String {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s.as_bytes());
        let quoted = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
        let name = quoted(cluster_name);
        let context = quoted(&format!("kubernetes-admin@{cluster_name}"));
        format!(
            "apiVersion: v1\n\
             clusters:\n\
             - cluster:\n    certificate-authority-data: {ca}\n    server: {server}\n  name: {name}\n\
             contexts:\n\
             - context:\n    cluster: {name}\n    user: kubernetes-admin\n  name: {context}\n\
             current-context: {context}\n\
             kind: Config\n\
             preferences: {{}}\n\
             users:\n\
             - name: kubernetes-admin\n  user:\n    client-certificate-data: {cert}\n    client-key-data: {key}\n",
            ca = b64(&self.pki.ca_pem),
            server = self.url(),
            cert = b64(&self.pki.client_cert_pem),
            key = b64(&self.pki.client_key_pem),
        )
    }
}

/// A cluster's port: reserved (bound, not listening) or serving.
struct Slot {
    port: u16,
    reserved: Option<TcpSocket>,
    serving: Option<Serving>,
}

/// A running listener: the server's stop signal and a second handle on the listening socket,
/// shut down on stop so that connections are refused at once, not only when the server task
/// gets round to dropping its listener.
struct Serving {
    stop: oneshot::Sender<()>,
    socket: std::net::TcpListener,
}

impl Serving {
    fn close(self) {
        let _ = socket2::SockRef::from(&self.socket).shutdown(std::net::Shutdown::Both);
        let _ = self.stop.send(());
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some(serving) = self.serving.take() {
            serving.close();
        }
    }
}

/// The listeners of all clusters, by cluster index.
#[derive(Default)]
pub(crate) struct Servers {
    slots: HashMap<usize, Slot>,
}

impl std::fmt::Debug for Servers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Servers")
            .field("clusters", &self.slots.len())
            .finish()
    }
}

impl Servers {
    /// Stops every listener and frees every port.
    pub fn clear(&mut self) {
        self.slots.clear();
    }

    pub fn listening(&self, cluster: usize) -> bool {
        self.slots
            .get(&cluster)
            .is_some_and(|s| s.serving.is_some())
    }
}

/// Binds 127.0.0.1:`port` (0 = any free port) without listening.
fn reserve(port: u16) -> std::io::Result<(TcpSocket, u16)> {
    let socket = TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))?;
    let port = socket.local_addr()?.port();
    Ok((socket, port))
}

/// Brings listeners in line with the clusters: certificates and a port for every cluster, a
/// listener for each Running one whose API is reachable, nothing for removed ones.
pub(crate) fn reconcile(shared: &Arc<Shared>, s: &mut State) {
    let mut servers = shared.kube();
    servers
        .slots
        .retain(|&c, _| c < s.clusters.len() && !s.clusters[c].removed);
    for c in 0..s.clusters.len() {
        if s.clusters[c].removed {
            continue;
        }
        if s.clusters[c].api.is_none() {
            let cl = &s.clusters[c];
            let pki = match ClusterPki::generate(cl.created, &cl.endpoint_ip) {
                Ok(p) => Arc::new(p),
                Err(e) => {
                    tracing::warn!(cluster = %cl.name, "no Kubernetes API: {e}");
                    continue;
                }
            };
            let (socket, port) = match reserve(0) {
                Ok(x) => x,
                Err(e) => {
                    tracing::warn!(cluster = %cl.name, "no port for the Kubernetes API: {e}");
                    continue;
                }
            };
            servers.slots.insert(
                c,
                Slot {
                    port,
                    reserved: Some(socket),
                    serving: None,
                },
            );
            s.clusters[c].api = Some(Arc::new(ClusterApi { port, pki }));
        }
        let cl = &s.clusters[c];
        let Some(api) = cl.api.clone() else { continue };
        let want = cl.state == "Running" && cl.api_reachable;
        let slot = servers.slots.entry(c).or_insert(Slot {
            port: api.port,
            reserved: None,
            serving: None,
        });
        match (want, slot.serving.is_some()) {
            (true, false) => {
                let socket = match slot.reserved.take() {
                    Some(sock) => Ok(sock),
                    None => reserve(slot.port).map(|(sock, _)| sock),
                };
                let listener = {
                    let _rt = shared.runtime.enter();
                    socket.and_then(|sock| {
                        let l = sock.listen(128)?;
                        let dup = socket2::SockRef::from(&l).try_clone()?;
                        Ok((l, std::net::TcpListener::from(dup)))
                    })
                };
                match listener {
                    Ok((l, socket)) => {
                        let stop = http::serve(shared.clone(), c, l, api.pki.tls.clone());
                        slot.serving = Some(Serving { stop, socket });
                    }
                    Err(e) => tracing::warn!(cluster = %cl.name, port = slot.port,
                        "cannot listen for the Kubernetes API: {e}"),
                }
            }
            (false, true) => {
                if let Some(serving) = slot.serving.take() {
                    serving.close();
                }
                // Keep the port: a saved kubeconfig works again after the next start.
                slot.reserved = reserve(slot.port).ok().map(|(sock, _)| sock);
            }
            _ => {}
        }
    }
}

/// The public view of a cluster's API.
pub(crate) fn info(shared: &Shared, s: &State, c: usize) -> Option<KubeApiInfo> {
    let api = s.clusters[c].api.as_ref()?;
    Some(KubeApiInfo {
        url: api.url(),
        port: api.port,
        listening: shared.kube().listening(c),
        client_cert_not_after: api.pki.client_not_after,
        ca_pem: api.pki.ca_pem.clone(),
    })
}
