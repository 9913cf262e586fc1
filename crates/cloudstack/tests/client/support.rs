//! A small CloudStack-like server on 127.0.0.1 (port 0) for the client's tests and the CLI's
//! (which include this file). It verifies signatures with the server's rule, pages
//! `listVirtualMachines`, runs scripted async jobs and can inject transient failures. It stops
//! when dropped.
#![allow(dead_code)]

use akashone_cloudstack::sign;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

pub const API_KEY: &str = "test-api-key";
pub const SECRET: &str = "test-secret-key-do-not-print";

/// How a scripted job ends.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Succeeds after `polls` pending answers, with this jobresult.
    Succeed { polls: u32, result: Value },
    /// Fails after `polls` pending answers.
    Fail { polls: u32, code: u16, text: String },
    /// Never ends.
    Never,
}

/// A recorded request.
#[derive(Clone, Debug)]
pub struct Call {
    pub method: Method,
    pub command: String,
    pub params: HashMap<String, String>,
}

#[derive(Default)]
pub struct Inner {
    pub vm_count: usize,
    /// Command -> how many 503 answers to give before answering normally.
    pub fail_next: HashMap<String, usize>,
    pub calls: Vec<Call>,
    jobs: HashMap<String, (Outcome, u32)>,
    next_job: u64,
}

pub type Shared = Arc<Mutex<Inner>>;

pub struct TestServer {
    pub url: String,
    pub state: Shared,
    stop: Option<oneshot::Sender<()>>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

impl TestServer {
    pub async fn start(vm_count: usize) -> Self {
        let (server, serve) = Self::bind(vm_count).await;
        tokio::spawn(serve);
        server
    }

    /// The same server on a thread and runtime of its own, for tests that run blocking code
    /// (the CLI binary).
    pub fn start_on_own_thread(vm_count: usize) -> Self {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let (server, serve) = Self::bind(vm_count).await;
                tx.send(server).unwrap();
                serve.await;
            });
        });
        rx.recv().unwrap()
    }

    async fn bind(vm_count: usize) -> (Self, impl std::future::Future<Output = ()> + Send) {
        let state: Shared = Arc::new(Mutex::new(Inner {
            vm_count,
            ..Inner::default()
        }));
        let app = Router::new()
            .route("/client/api", any(handle))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let serve = async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        };
        let server = Self {
            url: format!("http://{addr}/client/api"),
            state,
            stop: Some(tx),
        };
        (server, serve)
    }

    pub fn fail_next(&self, command: &str, times: usize) {
        self.state
            .lock()
            .unwrap()
            .fail_next
            .insert(command.into(), times);
    }

    pub fn calls_of(&self, command: &str) -> Vec<Call> {
        self.state
            .lock()
            .unwrap()
            .calls
            .iter()
            .filter(|c| c.command == command)
            .cloned()
            .collect()
    }
}

fn reply(status: u16, body: Value) -> Response {
    let code = StatusCode::from_u16(status).unwrap();
    let mut r = (code, body.to_string()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        "application/json; charset=UTF-8".parse().unwrap(),
    );
    r
}

fn error(command: &str, code: u16, text: &str) -> Response {
    let key = format!("{}response", command.to_lowercase());
    reply(
        code,
        json!({ key: {"uuidList": [], "errorcode": code, "errortext": text} }),
    )
}

pub fn vm(i: usize) -> Value {
    json!({
        "id": format!("vm-{i:05}"),
        "name": format!("vm{i}"),
        "displayname": format!("VM number {i}"),
        "state": if i.is_multiple_of(3) { "Stopped" } else { "Running" },
        "zoneid": "zone-1",
        "zonename": "Mumbai",
        "cpunumber": 2,
        "memory": 2048,
        "nic": [{"id": format!("nic-{i}"), "ipaddress": "10.1.1.10", "isdefault": true}],
    })
}

async fn handle(
    State(state): State<Shared>,
    method: Method,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let raw = if method == Method::POST {
        String::from_utf8_lossy(&body).into_owned()
    } else {
        query.unwrap_or_default()
    };
    // URLDecoder semantics: `+` is a space; pairs split on `&`, then on the first `=`.
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(raw.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let params: HashMap<String, String> = pairs.iter().cloned().collect();
    let command = params.get("command").cloned().unwrap_or_default();
    state.lock().unwrap().calls.push(Call {
        method: method.clone(),
        command: command.clone(),
        params: params.clone(),
    });

    // Signature check as ApiServer.verifyRequest does it.
    let given = pairs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("signature"))
        .map(|(_, v)| v.clone());
    let expected = sign::signature(&pairs, SECRET);
    let key_ok = pairs
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("apikey") && v == API_KEY);
    if given.as_deref() != Some(expected.as_str()) || !key_ok {
        return error(
            &command,
            401,
            "unable to verify user credentials and/or request signature",
        );
    }

    {
        let mut st = state.lock().unwrap();
        if let Some(n) = st.fail_next.get_mut(&command)
            && *n > 0
        {
            *n -= 1;
            return reply(
                503,
                json!({"errorresponse": {"errorcode": 503, "errortext": "Management server is in maintenance"}}),
            );
        }
    }

    match command.as_str() {
        "listZones" => reply(
            200,
            json!({"listzonesresponse": {"count": 2, "zone": [
                {"id": "zone-1", "name": "Mumbai", "networktype": "Advanced", "allocationstate": "Enabled"},
                {"id": "zone-2", "name": "Chennai", "networktype": "Basic", "allocationstate": "Enabled"}
            ]}}),
        ),
        "listTemplates" => reply(
            200,
            json!({"listtemplatesresponse": {"count": 1, "template": [
                {"id": "tpl-1", "name": "Ubuntu 24.04", "ostypename": "Ubuntu", "zoneid": params.get("zoneid").cloned().unwrap_or_default(), "zonename": "Mumbai", "isready": true}
            ]}}),
        ),
        "listServiceOfferings" => reply(
            200,
            json!({"listserviceofferingsresponse": {"count": 1, "serviceoffering": [
                {"id": "off-1", "name": "Small", "cpunumber": 1, "cpuspeed": 1000, "memory": 1024}
            ]}}),
        ),
        "listVirtualMachines" => {
            let total = state.lock().unwrap().vm_count;
            let page: usize = params.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
            let size: usize = params
                .get("pagesize")
                .and_then(|p| p.parse().ok())
                .unwrap_or(500);
            let start = (page - 1) * size;
            let rows: Vec<Value> = (start..total.min(start + size)).map(vm).collect();
            if rows.is_empty() {
                reply(200, json!({"listvirtualmachinesresponse": {}}))
            } else {
                reply(
                    200,
                    json!({"listvirtualmachinesresponse": {"count": total, "virtualmachine": rows}}),
                )
            }
        }
        "deployVirtualMachine" => {
            let name = params.get("name").cloned().unwrap_or_else(|| "vm".into());
            let outcome = match name.as_str() {
                "fail" => Outcome::Fail {
                    polls: 1,
                    code: 533,
                    text: "Unable to create a deployment for VM[User|i-2-9-VM]".into(),
                },
                "never" => Outcome::Never,
                _ => Outcome::Succeed {
                    polls: 2,
                    result: json!({"virtualmachine": {"id": "new-vm", "name": name, "state": "Running"}}),
                },
            };
            let mut st = state.lock().unwrap();
            st.next_job += 1;
            let jobid = format!("job-{}", st.next_job);
            st.jobs.insert(jobid.clone(), (outcome, 0));
            reply(
                200,
                json!({"deployvirtualmachineresponse": {"id": "new-vm", "jobid": jobid}}),
            )
        }
        "queryAsyncJobResult" => {
            let jobid = params.get("jobid").cloned().unwrap_or_default();
            let mut st = state.lock().unwrap();
            let Some((outcome, polls)) = st.jobs.get_mut(&jobid) else {
                return error(&command, 431, "Unable to find job by id");
            };
            *polls += 1;
            let pending = json!({"queryasyncjobresultresponse": {"jobid": jobid, "jobstatus": 0, "jobprocstatus": *polls}});
            let body = match outcome {
                Outcome::Never => pending,
                Outcome::Succeed { polls: n, result } if *polls > *n => {
                    json!({"queryasyncjobresultresponse": {"jobid": jobid, "jobstatus": 1, "jobresultcode": 0, "jobresulttype": "object", "jobresult": result}})
                }
                Outcome::Fail {
                    polls: n,
                    code,
                    text,
                } if *polls > *n => {
                    json!({"queryasyncjobresultresponse": {"jobid": jobid, "jobstatus": 2, "jobresultcode": *code, "jobresulttype": "object", "jobresult": {"errorcode": *code, "errortext": text}}})
                }
                _ => pending,
            };
            reply(200, body)
        }
        "" => error("error", 432, "Unknown API command: "),
        other => reply(
            432,
            json!({"errorresponse": {"errorcode": 432, "errortext": format!("The given command:{other} does not exist or it is not available for user")}}),
        ),
    }
}
