//! The HTTPS side: a TLS listener that demands the cluster's client certificate, and the
//! handful of read-only endpoints a health check and `kubectl get` use.
//!
//! Clients may ask for Tables (`Accept: application/json;as=Table;…`) or protobuf; the answer is
//! always plain JSON, which kubectl and the Python client accept as the fallback.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State as AxState;
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use super::objects;
use crate::server::Shared;

/// Accepts TCP connections and completes TLS handshakes in the background, handing finished
/// ones to the HTTP server; a failed handshake (no or a foreign client certificate) only closes
/// that connection. Dropping it closes the socket: new connections are refused.
struct TlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    addr: SocketAddr,
    accepting: tokio::task::JoinHandle<()>,
}

impl TlsListener {
    fn new(listener: TcpListener, acceptor: TlsAcceptor) -> std::io::Result<Self> {
        let addr = listener.local_addr()?;
        let (tx, ready) = mpsc::channel(16);
        let accepting = tokio::spawn(async move {
            loop {
                let (tcp, peer) = match listener.accept().await {
                    Ok(x) => x,
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                };
                let acceptor = acceptor.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    let handshake =
                        tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp)).await;
                    if let Ok(Ok(tls)) = handshake {
                        let _ = tx.send((tls, peer)).await;
                    }
                });
            }
        });
        Ok(TlsListener {
            ready,
            addr,
            accepting,
        })
    }
}

impl Drop for TlsListener {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(x) => x,
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.addr)
    }
}

#[derive(Clone)]
struct Api {
    shared: Arc<Shared>,
    cluster: usize,
}

/// Serves cluster `cluster` on `listener` until the returned sender is used or dropped.
pub(super) fn serve(
    shared: Arc<Shared>,
    cluster: usize,
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
) -> oneshot::Sender<()> {
    let (stop, stopped) = oneshot::channel::<()>();
    let runtime = shared.runtime.clone();
    let _rt = runtime.enter();
    let listener = match TlsListener::new(listener, TlsAcceptor::from(tls)) {
        Ok(l) => l,
        Err(e) => {
            tracing::warn!("Kubernetes API listener: {e}");
            return stop;
        }
    };
    let router = Router::new()
        .fallback(handle)
        .with_state(Api { shared, cluster });
    runtime.spawn(async move {
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
        if let Err(e) = served {
            tracing::warn!("Kubernetes API stopped: {e}");
        }
    });
    stop
}

fn json_reply(status: StatusCode, v: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        v.to_string(),
    )
        .into_response()
}

fn text_reply(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        text,
    )
        .into_response()
}

fn not_found(kind: &str, name: &str) -> Response {
    json_reply(
        StatusCode::NOT_FOUND,
        objects::status(
            404,
            "NotFound",
            format!("{kind} \"{name}\" not found"),
            Some(json!({ "name": name, "kind": kind })),
        ),
    )
}

fn by_name(items: Vec<Value>, name: &str) -> Option<Value> {
    items.into_iter().find(|v| v["metadata"]["name"] == name)
}

async fn handle(AxState(api): AxState<Api>, method: Method, uri: Uri) -> Response {
    let mut s = api.shared.state();
    api.shared.tick(&mut s);
    let c = api.cluster;
    if c >= s.clusters.len() || s.clusters[c].removed || s.clusters[c].state != "Running" {
        return text_reply(
            StatusCode::SERVICE_UNAVAILABLE,
            "apiserver is shutting down",
        );
    }
    if method != Method::GET && method != Method::HEAD {
        return json_reply(
            StatusCode::METHOD_NOT_ALLOWED,
            objects::status(
                405,
                "MethodNotAllowed",
                "the server does not allow this method on the requested resource".into(),
                None,
            ),
        );
    }
    let segments: Vec<&str> = uri.path().split('/').filter(|x| !x.is_empty()).collect();
    let ok = |v: Value| json_reply(StatusCode::OK, v);
    match segments.as_slice() {
        ["version"] => ok(objects::version(&s, c)),
        ["livez"] | ["healthz"] => text_reply(StatusCode::OK, "ok"),
        ["readyz"] if s.clusters[c].api_ready => text_reply(StatusCode::OK, "ok"),
        ["readyz"] => text_reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            "[+]ping ok\n[+]log ok\n[-]etcd failed: reason withheld\nreadyz check failed\n",
        ),
        ["api"] => ok(objects::api_versions(&s, c)),
        ["apis"] => ok(objects::api_groups()),
        ["api", "v1"] => ok(objects::api_resources()),
        ["api", "v1", "nodes"] => ok(objects::list("NodeList", &s, objects::nodes(&s, c))),
        ["api", "v1", "nodes", name] => match by_name(objects::nodes(&s, c), name) {
            Some(v) => ok(v),
            None => not_found("nodes", name),
        },
        ["api", "v1", "namespaces"] => ok(objects::list(
            "NamespaceList",
            &s,
            objects::namespaces(&s, c),
        )),
        ["api", "v1", "namespaces", ns] => match by_name(objects::namespaces(&s, c), ns) {
            Some(v) => ok(v),
            None => not_found("namespaces", ns),
        },
        ["api", "v1", "pods"] => ok(objects::list("PodList", &s, objects::pods(&s, c, None))),
        ["api", "v1", "namespaces", ns, "pods"] => {
            ok(objects::list("PodList", &s, objects::pods(&s, c, Some(ns))))
        }
        ["api", "v1", "namespaces", ns, "pods", name] => {
            match by_name(objects::pods(&s, c, Some(ns)), name) {
                Some(v) => ok(v),
                None => not_found("pods", name),
            }
        }
        _ => json_reply(
            StatusCode::NOT_FOUND,
            objects::status(
                404,
                "NotFound",
                "the server could not find the requested resource".into(),
                Some(json!({})),
            ),
        ),
    }
}
