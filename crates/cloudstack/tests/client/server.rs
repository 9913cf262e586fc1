//! Client behaviour against the local test server.

use crate::support::{API_KEY, SECRET, TestServer};
use akashone_cloudstack::api::{DeployVirtualMachine, ListVirtualMachines, ListZones};
use akashone_cloudstack::model::JobState;
use akashone_cloudstack::{
    CancellationToken, Client, ClientConfig, Error, JobOptions, MethodPolicy, Params, RetryPolicy,
};
use akashone_types::ErrorCode;
use axum::http::Method;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
    }
}

fn client(server: &TestServer) -> Client {
    Client::new(ClientConfig::new(&server.url, API_KEY, SECRET).with_retry(fast_retry())).unwrap()
}

fn fast_jobs() -> JobOptions {
    JobOptions::default().with_poll_interval(Duration::from_millis(5), Duration::from_millis(20))
}

#[tokio::test]
async fn lists_every_page_concurrently_in_order() {
    let server = TestServer::start(1234).await;
    let mut cfg = ClientConfig::new(&server.url, API_KEY, SECRET);
    cfg.page_size = 100;
    cfg.list_concurrency = 4;
    let c = Client::new(cfg).unwrap();
    let vms = c
        .list_virtual_machines(&ListVirtualMachines::default())
        .await
        .unwrap();
    assert_eq!(vms.len(), 1234);
    for (i, vm) in vms.iter().enumerate() {
        assert_eq!(vm.id.as_deref(), Some(format!("vm-{i:05}").as_str()));
    }
    let calls = server.calls_of("listVirtualMachines");
    assert_eq!(calls.len(), 13);
    let mut pages: Vec<u32> = calls
        .iter()
        .map(|c| c.params["page"].parse().unwrap())
        .collect();
    pages.sort_unstable();
    assert_eq!(pages, (1..=13).collect::<Vec<_>>());
    assert!(calls.iter().all(|c| c.params["pagesize"] == "100"));
}

#[tokio::test]
async fn empty_and_single_page_lists() {
    let server = TestServer::start(0).await;
    let c = client(&server);
    assert!(
        c.list_virtual_machines(&ListVirtualMachines::default())
            .await
            .unwrap()
            .is_empty()
    );
    let zones = c.list_zones(&ListZones::default()).await.unwrap();
    assert_eq!(zones.len(), 2);
    assert_eq!(zones[1].name.as_deref(), Some("Chennai"));
    // An explicit page is fetched as asked, once.
    let server = TestServer::start(50).await;
    let c = client(&server);
    let mut req = ListVirtualMachines::default();
    req.extra.set("page", 2).set("pagesize", 20);
    assert_eq!(c.list_virtual_machines(&req).await.unwrap().len(), 20);
    assert_eq!(server.calls_of("listVirtualMachines").len(), 1);
}

#[tokio::test]
async fn list_is_retried_after_5xx() {
    let server = TestServer::start(10).await;
    server.fail_next("listVirtualMachines", 2);
    let c = client(&server);
    let vms = c
        .list_virtual_machines(&ListVirtualMachines::default())
        .await
        .unwrap();
    assert_eq!(vms.len(), 10);
    assert_eq!(server.calls_of("listVirtualMachines").len(), 3);
}

#[tokio::test]
async fn list_gives_up_after_the_retry_budget() {
    let server = TestServer::start(10).await;
    server.fail_next("listZones", 10);
    let c = client(&server);
    let e = c.list_zones(&ListZones::default()).await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::Api {
                http_status: 503,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(e.code(), ErrorCode::Unreachable);
    assert_eq!(server.calls_of("listZones").len(), 4);
}

#[tokio::test]
async fn deploy_is_never_retried() {
    let server = TestServer::start(0).await;
    server.fail_next("deployVirtualMachine", 1);
    let c = client(&server);
    let e = c
        .deploy_virtual_machine(&DeployVirtualMachine::new("zone-1", "off", "tpl"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Api {
                http_status: 503,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(server.calls_of("deployVirtualMachine").len(), 1);
}

#[tokio::test]
async fn async_job_success_reports_progress() {
    let server = TestServer::start(0).await;
    let c = client(&server);
    let mut req = DeployVirtualMachine::new("zone-1", "off", "tpl");
    req.name = Some("web1".into());
    let job = c.deploy_virtual_machine(&req).await.unwrap();
    assert_eq!(job.id(), Some("new-vm"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen2 = seen.clone();
    let opts = fast_jobs().with_progress(move |p| seen2.lock().unwrap().push((p.polls, p.state)));
    let vm = job.wait(&opts).await.unwrap();
    assert_eq!(vm.name.as_deref(), Some("web1"));
    assert_eq!(vm.state.as_deref(), Some("Running"));
    let seen = seen.lock().unwrap();
    assert_eq!(
        *seen,
        vec![
            (1, JobState::Pending),
            (2, JobState::Pending),
            (3, JobState::Succeeded)
        ]
    );
}

#[tokio::test]
async fn async_job_failure_is_typed() {
    let server = TestServer::start(0).await;
    let c = client(&server);
    let mut req = DeployVirtualMachine::new("zone-1", "off", "tpl");
    req.name = Some("fail".into());
    let job = c.deploy_virtual_machine(&req).await.unwrap();
    let e = job.wait(&fast_jobs()).await.unwrap_err();
    match &e {
        Error::JobFailed {
            errorcode,
            errortext,
            jobid,
            ..
        } => {
            assert_eq!(*errorcode, 533);
            assert!(errortext.contains("Unable to create a deployment"));
            assert_eq!(jobid, job.jobid());
        }
        other => panic!("expected JobFailed, got {other:?}"),
    }
    assert_eq!(e.code(), ErrorCode::Conflict);
}

#[tokio::test]
async fn async_job_times_out() {
    let server = TestServer::start(0).await;
    let c = client(&server);
    let mut req = DeployVirtualMachine::new("zone-1", "off", "tpl");
    req.name = Some("never".into());
    let job = c.deploy_virtual_machine(&req).await.unwrap();
    let e = job
        .wait(&fast_jobs().with_timeout(Duration::from_millis(100)))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Timeout { .. }), "{e:?}");
    assert_eq!(e.code(), ErrorCode::Timeout);
}

#[tokio::test]
async fn async_job_wait_can_be_cancelled() {
    let server = TestServer::start(0).await;
    let c = client(&server);
    let mut req = DeployVirtualMachine::new("zone-1", "off", "tpl");
    req.name = Some("never".into());
    let job = c.deploy_virtual_machine(&req).await.unwrap();
    let token = CancellationToken::new();
    let t2 = token.clone();
    // Cancel from the progress callback after the third poll.
    let opts = fast_jobs().with_cancel(token).with_progress(move |p| {
        if p.polls == 3 {
            t2.cancel();
        }
    });
    let e = job.wait(&opts).await.unwrap_err();
    assert!(matches!(e, Error::WaitCancelled { .. }), "{e:?}");
    assert_eq!(server.calls_of("queryAsyncJobResult").len(), 3);
}

#[tokio::test]
async fn wrong_secret_is_unauthorized_and_never_leaks() {
    let server = TestServer::start(0).await;
    let wrong = "wrong-secret-must-not-leak";
    let c = Client::new(ClientConfig::new(&server.url, API_KEY, wrong).with_retry(fast_retry()))
        .unwrap();
    let e = c.list_zones(&ListZones::default()).await.unwrap_err();
    assert!(matches!(e, Error::Unauthorized { .. }), "{e:?}");
    assert_eq!(e.code(), ErrorCode::Unauthorized);
    let shown = format!("{e} {e:?} {c:?}");
    assert!(shown.contains("unable to verify user credentials"));
    assert!(!shown.contains(wrong), "{shown}");
    // 401 is not transient: a single attempt.
    assert_eq!(server.calls_of("listZones").len(), 1);
}

#[tokio::test]
async fn unreachable_host_is_typed() {
    // A port that was free a moment ago: nothing listens there.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/client/api");
    let c = Client::new(ClientConfig::new(&url, API_KEY, SECRET).with_retry(fast_retry())).unwrap();
    let e = c.list_zones(&ListZones::default()).await.unwrap_err();
    assert!(matches!(e, Error::Unreachable { .. }), "{e:?}");
    assert_eq!(e.code(), ErrorCode::Unreachable);
    assert!(!format!("{e}").contains(SECRET));
    assert!(!format!("{e}").contains("signature="), "{e}");
}

#[tokio::test]
async fn generic_call_and_unknown_command() {
    let server = TestServer::start(3).await;
    let c = client(&server);
    let v = c.call("listZones", &Params::new()).await.unwrap();
    assert_eq!(v["count"], 2);
    let rows = c
        .list_all_values("listVirtualMachines", &Params::new())
        .await
        .unwrap();
    assert_eq!(rows.len(), 3);
    let e = c.call("frobnicate", &Params::new()).await.unwrap_err();
    assert!(matches!(e, Error::UnknownCommand { .. }), "{e:?}");
    assert_eq!(e.code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn call_and_wait_follows_the_job() {
    let server = TestServer::start(0).await;
    let c = client(&server);
    let p = Params::new()
        .with("zoneid", "zone-1")
        .with("serviceofferingid", "o")
        .with("templateid", "t")
        .with("name", "generic");
    let v = c
        .call_and_wait("deployVirtualMachine", &p, &fast_jobs())
        .await
        .unwrap();
    assert_eq!(v["virtualmachine"]["name"], "generic");
}

#[tokio::test]
async fn special_characters_and_post_are_signed_like_the_server() {
    let server = TestServer::start(0).await;
    let c = client(&server);
    let mut req = DeployVirtualMachine::new("zone-1", "off", "tpl");
    req.name = Some("ok".into());
    req.displayname = Some("näme with ~tilde~ + plus & amp = eq [x] * 😀".into());
    req.userdata = Some("I2Nsb3VkLWNvbmZpZwo=".repeat(200));
    let job = c.deploy_virtual_machine(&req).await.unwrap();
    let calls = server.calls_of("deployVirtualMachine");
    assert_eq!(calls[0].method, Method::POST);
    assert_eq!(
        calls[0].params["displayname"],
        "näme with ~tilde~ + plus & amp = eq [x] * 😀"
    );
    job.wait(&fast_jobs()).await.unwrap();
    // Forced GET works too.
    let c =
        Client::new(ClientConfig::new(&server.url, API_KEY, SECRET).with_method(MethodPolicy::Get))
            .unwrap();
    c.call("listZones", &Params::new().with("keyword", "a+b c~d"))
        .await
        .unwrap();
    let last = server.calls_of("listZones").pop().unwrap();
    assert_eq!(last.method, Method::GET);
    assert_eq!(last.params["keyword"], "a+b c~d");
    assert_eq!(last.params["signatureversion"], "3");
    assert!(last.params.contains_key("expires"));
}

#[tokio::test]
async fn client_is_cheap_to_share_between_tasks() {
    let server = TestServer::start(5).await;
    let c = client(&server);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            c.list_virtual_machines(&ListVirtualMachines::default())
                .await
                .map(|v| v.len())
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), 5);
    }
}
