//! A small TLS server on loopback standing in for API servers the simulator does not play: one
//! that answers 401 or 403 (a revoked token, RBAC), one whose certificate is for another name.

use std::sync::Arc;
use std::time::Duration;

use akashone_kube::{Kubeconfig, check};
use akashone_types::kubernetes::ApiReach;
use base64::Engine as _;
use rcgen::{CertificateParams, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// Answers a request (path, head in lower case) with (status line, body).
type Routes = fn(&str, &str) -> (&'static str, &'static str);

struct Fake {
    port: u16,
    ca_pem: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves HTTPS on 127.0.0.1 with a certificate for `names`, signed by a fresh CA; one request
/// per connection.
async fn serve(names: &[&str], routes: Routes) -> Fake {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::default();
    ca.is_ca = IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);
    let key = KeyPair::generate().unwrap();
    let params =
        CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
    let cert = params.signed_by(&key, &issuer).unwrap();
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut tls = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(cert.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .unwrap();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(sock).await else {
                    return;
                };
                let mut buf = vec![0u8; 8192];
                let mut got = Vec::new();
                while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => got.extend_from_slice(&buf[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&got);
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let (status, body) = routes(&path, &head.to_lowercase());
                let reply = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(reply.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    Fake {
        port,
        ca_pem: ca_cert.pem(),
        task,
    }
}

/// A token kubeconfig for the fake server.
fn kubeconfig(fake: &Fake) -> Kubeconfig {
    let ca = base64::engine::general_purpose::STANDARD.encode(&fake.ca_pem);
    Kubeconfig::parse(&format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: c\n\
         clusters:\n- name: k\n  cluster:\n    server: https://127.0.0.1:{}\n    certificate-authority-data: {ca}\n\
         contexts:\n- name: c\n  context:\n    cluster: k\n    user: u\n\
         users:\n- name: u\n  user:\n    token: revoked-or-not\n",
        fake.port
    ))
    .unwrap()
}

const VERSION: &str = r#"{"major":"1","minor":"31","gitVersion":"v1.31.4"}"#;

#[tokio::test]
async fn answers_401_and_403_are_refused_credentials() {
    let fake = serve(&["127.0.0.1"], |_, _| {
        ("401 Unauthorized", r#"{"kind":"Status"}"#)
    })
    .await;
    let h = check("c1", &kubeconfig(&fake), Duration::from_secs(5)).await;
    assert_eq!(
        h.api,
        ApiReach::Refused {
            reason: "the cluster did not accept the kubeconfig's credentials (401 Unauthorized on /version)"
                .into()
        }
    );

    // Anonymous access to /version and /readyz, but the user may not list nodes.
    let fake = serve(&["127.0.0.1"], |path, _| match path {
        "/version" => ("200 OK", VERSION),
        "/readyz" => ("200 OK", "ok"),
        _ => ("403 Forbidden", r#"{"kind":"Status"}"#),
    })
    .await;
    let h = check("c2", &kubeconfig(&fake), Duration::from_secs(5)).await;
    assert_eq!(
        h.api,
        ApiReach::Refused {
            reason: "the kubeconfig's user is not allowed to read /api/v1/nodes (403 Forbidden)"
                .into()
        }
    );
    assert_eq!(h.kube_version.as_deref(), Some("v1.31.4"));
    assert!(h.ready);
    assert_eq!(h.nodes, 0);
}

#[tokio::test]
async fn a_server_certificate_for_another_name_is_refused() {
    let fake = serve(&["kubernetes.example"], |_, _| ("200 OK", VERSION)).await;
    let h = check("c3", &kubeconfig(&fake), Duration::from_secs(5)).await;
    assert_eq!(
        h.api,
        ApiReach::Refused {
            reason: "the server's certificate is not for 127.0.0.1".into()
        }
    );
}

#[tokio::test]
async fn a_token_is_sent_and_nodes_are_counted() {
    let fake = serve(&["127.0.0.1"], |path, head| match path {
        _ if !head.contains("\r\nauthorization: bearer revoked-or-not\r\n") => {
            ("401 Unauthorized", "{}")
        }
        "/version" => ("200 OK", VERSION),
        "/readyz" => ("200 OK", "ok"),
        "/api/v1/nodes" => (
            "200 OK",
            r#"{"kind":"NodeList","items":[
              {"metadata":{"name":"n1"},"status":{"conditions":[{"type":"Ready","status":"True"}]}},
              {"metadata":{"name":"n2"},"status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"False"}]}},
              {"metadata":{"name":"n0"},"status":{}}]}"#,
        ),
        _ => ("404 Not Found", "{}"),
    })
    .await;
    let h = check("c4", &kubeconfig(&fake), Duration::from_secs(5)).await;
    assert_eq!(h.api, ApiReach::Reachable);
    assert!(h.ready);
    assert_eq!((h.nodes, h.nodes_ready), (3, 1));
    assert_eq!(h.not_ready, vec!["n0".to_string(), "n2".to_string()]);
    assert_eq!(h.cert_expires, None);
}
