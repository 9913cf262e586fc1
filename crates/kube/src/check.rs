//! Asking a cluster's own API how it is: `/version`, `/readyz`, `/api/v1/nodes`.

use std::error::Error as StdError;
use std::time::Duration;

use akashone_types::kubernetes::{ApiReach, ClusterHealth};
use futures::StreamExt as _;
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::config::Kubeconfig;

/// Checks one cluster through its kubeconfig, within `timeout` for everything (connection,
/// TLS handshake and the three requests together). Never fails: what went wrong is in `api`.
///
/// * `api`: `Reachable` once the server answered over TLS with the kubeconfig's CA;
///   `Unreachable` when it did not answer from this computer (connection refused, timed out,
///   name not found, no route); `Refused` when the certificates do not fit (the server's is
///   not signed by the kubeconfig's CA, has expired or is for another name; the server rejects
///   the client certificate) or the API answers 401 or 403.
/// * `ready`: `/readyz` answered 200 `ok` (false as well when the check ran out of time after
///   the server answered: slow is not healthy).
/// * `nodes`, `nodes_ready`, `not_ready`: from `/api/v1/nodes`, Ready meaning condition
///   `Ready` with status `True`.
/// * `kube_version`: `/version`'s `gitVersion`.
/// * `cert_expires`: the client certificate's notAfter, whatever the server said.
pub async fn check(cluster_id: &str, kubeconfig: &Kubeconfig, timeout: Duration) -> ClusterHealth {
    let now = OffsetDateTime::now_utc();
    let mut health = ClusterHealth {
        cluster_id: cluster_id.to_owned(),
        checked_at: rfc3339(now.replace_nanosecond(0).unwrap_or(now)),
        api: ApiReach::Unreachable {
            reason: "not checked".into(),
        },
        ready: false,
        nodes: 0,
        nodes_ready: 0,
        not_ready: Vec::new(),
        kube_version: None,
        cert_expires: kubeconfig.client_cert_not_after().map(rfc3339),
    };
    let client = match build_client(kubeconfig) {
        Ok(c) => c,
        Err(reason) => {
            health.api = ApiReach::Refused { reason };
            return health;
        }
    };
    let probe = Probe {
        client: &client,
        kubeconfig,
    };
    let timed_out = tokio::time::timeout(timeout, probe.run(&mut health))
        .await
        .is_err();
    if timed_out {
        if health.api == ApiReach::Reachable {
            // It answered, then ran out of time: reachable, but not healthy.
            health.ready = false;
        } else {
            health.api = ApiReach::Unreachable {
                reason: format!("timed out after {}", human_duration(timeout)),
            };
        }
    }
    health
}

/// Checks many clusters, at most `concurrency` at once, each within `timeout`. The results
/// come back in the order of `items`.
pub async fn check_many(
    items: Vec<(String, Kubeconfig)>,
    concurrency: usize,
    timeout: Duration,
) -> Vec<ClusterHealth> {
    let mut out: Vec<(usize, ClusterHealth)> = futures::stream::iter(items.into_iter().enumerate())
        .map(|(i, (id, kubeconfig))| async move { (i, check(&id, &kubeconfig, timeout).await) })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, h)| h).collect()
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// "5 s", "1.5 s", "300 ms".
fn human_duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// A client that trusts only the kubeconfig's CA and presents its client certificate.
fn build_client(k: &Kubeconfig) -> Result<reqwest::Client, String> {
    let roots = reqwest::Certificate::from_pem_bundle(k.ca_pem())
        .map_err(|e| format!("the kubeconfig's certificate authority cannot be used: {e}"))?;
    let mut b = reqwest::Client::builder()
        .tls_certs_only(roots)
        .https_only(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("akashone-console/", env!("CARGO_PKG_VERSION")));
    if let Some(pem) = k.identity_pem() {
        let id = reqwest::Identity::from_pem(&pem)
            .map_err(|e| format!("the kubeconfig's client certificate cannot be used: {e}"))?;
        b = b.identity(id);
    }
    b.build().map_err(|e| {
        if chain(&e).any(|s| matches!(rustls_of(s), Some(rustls::Error::InconsistentKeys(_)))) {
            "the kubeconfig's client key does not belong to its client certificate".to_owned()
        } else {
            format!(
                "the kubeconfig's certificates cannot be used: {}",
                innermost(&e)
            )
        }
    })
}

struct Probe<'a> {
    client: &'a reqwest::Client,
    kubeconfig: &'a Kubeconfig,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Version {
    #[serde(default)]
    git_version: Option<String>,
}

#[derive(Deserialize, Default)]
struct NodeList {
    #[serde(default)]
    items: Vec<Node>,
}

#[derive(Deserialize, Default)]
struct Node {
    #[serde(default)]
    metadata: Meta,
    #[serde(default)]
    status: NodeStatus,
}

#[derive(Deserialize, Default)]
struct Meta {
    #[serde(default)]
    name: String,
}

#[derive(Deserialize, Default)]
struct NodeStatus {
    #[serde(default)]
    conditions: Vec<Condition>,
}

#[derive(Deserialize, Default)]
struct Condition {
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    status: String,
}

/// One answer, or why there was none.
enum Answer {
    Got(reqwest::Response),
    /// 401 or 403: the credentials were refused.
    Refused(String),
    /// No HTTP answer.
    Failed(ApiReach),
}

impl Probe<'_> {
    async fn get(&self, path: &str) -> Answer {
        let mut req = self
            .client
            .get(self.kubeconfig.url(path))
            .header(reqwest::header::ACCEPT, "application/json, */*");
        if let Some(token) = self.kubeconfig.token() {
            req = req.bearer_auth(token);
        }
        match req.send().await {
            Ok(resp) => match resp.status().as_u16() {
                401 => Answer::Refused(format!(
                    "the cluster did not accept the kubeconfig's credentials (401 Unauthorized on {path})"
                )),
                403 => Answer::Refused(format!(
                    "the kubeconfig's user is not allowed to read {path} (403 Forbidden)"
                )),
                _ => Answer::Got(resp),
            },
            Err(e) => Answer::Failed(classify(&e, self.kubeconfig.host())),
        }
    }

    /// Fills `h` step by step, so that what was learnt stays if the time runs out.
    async fn run(&self, h: &mut ClusterHealth) {
        match self.get("/version").await {
            Answer::Got(resp) => {
                h.api = ApiReach::Reachable;
                if resp.status().is_success()
                    && let Ok(v) = resp.json::<Version>().await
                {
                    h.kube_version = v.git_version.filter(|v| !v.is_empty());
                }
            }
            Answer::Refused(reason) => {
                h.api = ApiReach::Refused { reason };
                return;
            }
            Answer::Failed(reach) => {
                h.api = reach;
                return;
            }
        }
        match self.get("/readyz").await {
            Answer::Got(resp) => {
                let ok = resp.status() == reqwest::StatusCode::OK;
                let body = resp.text().await.unwrap_or_default();
                h.ready = ok && body.trim() == "ok";
            }
            Answer::Refused(reason) => {
                h.api = ApiReach::Refused { reason };
                return;
            }
            // It answered /version: reachable, but not ready.
            Answer::Failed(_) => return,
        }
        match self.get("/api/v1/nodes").await {
            Answer::Got(resp) => {
                if !resp.status().is_success() {
                    return;
                }
                let Ok(list) = resp.json::<NodeList>().await else {
                    return;
                };
                h.nodes = u32::try_from(list.items.len()).unwrap_or(u32::MAX);
                for node in list.items {
                    let ready = node
                        .status
                        .conditions
                        .iter()
                        .any(|c| c.kind == "Ready" && c.status == "True");
                    if ready {
                        h.nodes_ready += 1;
                    } else {
                        h.not_ready.push(node.metadata.name);
                    }
                }
                h.not_ready.sort();
            }
            Answer::Refused(reason) => h.api = ApiReach::Refused { reason },
            Answer::Failed(_) => {}
        }
    }
}

/// The error and its sources, outermost first, looking inside `io::Error`s too (whose
/// `source` skips the error they carry).
fn chain<'a>(
    e: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(e), |&e| next_cause(e))
}

fn next_cause<'a>(e: &'a (dyn StdError + 'static)) -> Option<&'a (dyn StdError + 'static)> {
    match e
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref())
    {
        Some(inner) => Some(inner),
        None => e.source(),
    }
}

fn rustls_of<'a>(e: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    e.downcast_ref::<rustls::Error>()
}

fn innermost(e: &(dyn StdError + 'static)) -> String {
    chain(e).last().map(|e| e.to_string()).unwrap_or_default()
}

/// Why a request got no HTTP answer, in a few words.
fn classify(e: &reqwest::Error, host: &str) -> ApiReach {
    let unreachable = |reason: String| ApiReach::Unreachable { reason };
    let refused = |reason: String| ApiReach::Refused { reason };
    for s in chain(e) {
        if let Some(tls) = rustls_of(s) {
            return match tls_reason(tls, host) {
                (true, reason) => refused(reason),
                (false, reason) => unreachable(reason),
            };
        }
    }
    for s in chain(e) {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind as K;
            let words = match io.kind() {
                K::ConnectionRefused => Some("connection refused"),
                K::ConnectionReset => Some("connection reset"),
                K::ConnectionAborted => Some("connection aborted"),
                K::TimedOut => Some("timed out"),
                K::HostUnreachable => Some("no route to the host"),
                K::NetworkUnreachable | K::NetworkDown => Some("network unreachable"),
                K::AddrNotAvailable => Some("address not available"),
                K::UnexpectedEof => Some("the connection closed during the TLS handshake"),
                _ => None,
            };
            if let Some(w) = words {
                return unreachable(w.to_owned());
            }
        }
    }
    if chain(e).any(|s| s.to_string().contains("dns error")) {
        return unreachable(format!("the name {host} was not found"));
    }
    if e.is_timeout() {
        return unreachable("timed out".into());
    }
    unreachable(format!("could not connect: {}", innermost(e)))
}

/// (caused by certificates, words).
fn tls_reason(e: &rustls::Error, host: &str) -> (bool, String) {
    use rustls::AlertDescription as A;
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(c) => (
            true,
            match c {
                C::UnknownIssuer => {
                    "the server's certificate is not signed by the kubeconfig's certificate authority"
                        .to_owned()
                }
                C::Expired | C::ExpiredContext { .. } => {
                    "the server's certificate has expired".to_owned()
                }
                C::NotValidYet | C::NotValidYetContext { .. } => {
                    "the server's certificate is not valid yet".to_owned()
                }
                C::NotValidForName | C::NotValidForNameContext { .. } => {
                    format!("the server's certificate is not for {host}")
                }
                C::Revoked => "the server's certificate has been revoked".to_owned(),
                C::BadSignature => "the server's certificate is not signed by the kubeconfig's \
                     certificate authority (the signature does not match)"
                    .to_owned(),
                C::BadEncoding => "the server's certificate is damaged".to_owned(),
                other => format!("the server's certificate was not accepted: {other:?}"),
            },
        ),
        rustls::Error::NoCertificatesPresented => {
            (true, "the server presented no certificate".to_owned())
        }
        rustls::Error::AlertReceived(alert) => match alert {
            A::CertificateExpired => (
                true,
                "the server says the client certificate has expired".to_owned(),
            ),
            A::CertificateRevoked => (
                true,
                "the server says the client certificate has been revoked".to_owned(),
            ),
            A::CertificateRequired => (
                true,
                "the server requires a client certificate, and the kubeconfig has none".to_owned(),
            ),
            A::BadCertificate
            | A::UnknownCA
            | A::CertificateUnknown
            | A::UnsupportedCertificate
            | A::AccessDenied => (
                true,
                "the server did not accept the client certificate (it may belong to another cluster)"
                    .to_owned(),
            ),
            other => (false, format!("the TLS handshake failed ({other:?})")),
        },
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => (
            false,
            "the server does not speak TLS as a Kubernetes API does".to_owned(),
        ),
        other => (false, format!("the TLS handshake failed: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::human_duration;
    use std::time::Duration;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(human_duration(Duration::from_secs(5)), "5 s");
        assert_eq!(human_duration(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(human_duration(Duration::from_millis(300)), "300 ms");
    }
}
