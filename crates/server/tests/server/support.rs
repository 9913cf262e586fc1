//! A server per test: its own temp data directory, port 0 and an in-process CloudStack
//! simulator; both stop when the test ends.

use std::path::PathBuf;
use std::time::Duration;

use akashone_cloudstack_sim::{SimConfig, SimHandle, Simulator};
use akashone_server::config::{CloudStackConfig, LoginLimits, Secret};
use akashone_server::crypto::PasswordCost;
use akashone_server::{Config, Server};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const ADMIN: &str = "admin";
pub const ADMIN_PASSWORD: &str = "platform-admin-pass";
pub const PASSWORD: &str = "correct-horse-battery";

pub struct TestApp {
    pub server: Server,
    pub sim: SimHandle,
    pub http: reqwest::Client,
    pub dir: tempfile::TempDir,
    pub admin: String,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(tune: impl FnOnce(&mut Config)) -> TestApp {
    let sim = Simulator::start(SimConfig {
        vms: 6,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(dir.path(), Secret::new("t".repeat(40)));
    config.bind = "127.0.0.1:0".parse().unwrap();
    config.cloudstack = Some(CloudStackConfig {
        url: sim.url(),
        api_key: Secret::new(sim.api_key()),
        secret_key: Secret::new(sim.secret_key()),
    });
    config.admin_user = ADMIN.into();
    config.admin_password = Some(Secret::new(ADMIN_PASSWORD));
    config.password_cost = PasswordCost::fast_for_tests();
    config.login_limits = LoginLimits {
        per_account: 5,
        per_ip: 1000,
        ip_window: Duration::from_secs(900),
        lock_for: Duration::from_secs(900),
    };
    tune(&mut config);
    let admin_user = config.admin_user.clone();
    let server = Server::start(config).await.expect("server starts");
    let admin_password = server
        .bootstrap()
        .one_time_password
        .as_ref()
        .map_or(ADMIN_PASSWORD.to_owned(), |p| p.expose().to_owned());
    let http = reqwest::Client::new();
    let mut app = TestApp {
        server,
        sim,
        http,
        dir,
        admin: String::new(),
    };
    app.admin = app.token(&admin_user, &admin_password).await;
    app
}

pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub text: String,
}

impl TestApp {
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("server.db")
    }

    pub async fn call(
        &self,
        method: Method,
        token: Option<&str>,
        path: &str,
        body: Option<Value>,
    ) -> Reply {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.server.url()));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let text = resp.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply { status, body, text }
    }

    pub async fn get(&self, token: &str, path: &str) -> Reply {
        self.call(Method::GET, Some(token), path, None).await
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> Reply {
        self.call(Method::POST, Some(token), path, Some(body)).await
    }

    pub async fn patch(&self, token: &str, path: &str, body: Value) -> Reply {
        self.call(Method::PATCH, Some(token), path, Some(body))
            .await
    }

    pub async fn login(&self, username: &str, password: &str) -> Reply {
        self.call(
            Method::POST,
            None,
            "/api/auth/login",
            Some(json!({"username": username, "password": password})),
        )
        .await
    }

    /// Signs in (2FA off) and returns the token.
    pub async fn token(&self, username: &str, password: &str) -> String {
        let r = self.login(username, password).await;
        assert_eq!(r.status, StatusCode::OK, "login {username}: {}", r.text);
        assert_eq!(r.body["status"], "authenticated", "{}", r.text);
        r.body["token"].as_str().unwrap().to_owned()
    }

    /// Creates a tenant as `token`'s user; returns its JSON.
    pub async fn tenant(&self, token: &str, parent: Option<&str>, name: &str) -> Value {
        let r = self
            .post(
                token,
                "/api/tenants",
                json!({"parentId": parent, "name": name}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "create tenant: {}", r.text);
        r.body
    }

    /// Creates a user and signs them in; returns the token.
    pub async fn user(&self, token: &str, tenant: &str, username: &str, role: &str) -> String {
        let r = self
            .post(
                token,
                "/api/auth/register",
                json!({"tenantId": tenant, "username": username, "password": PASSWORD, "roleId": role}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "register: {}", r.text);
        self.token(username, PASSWORD).await
    }

    /// The first zone, template and offering a tenant can use.
    pub async fn catalog(&self, token: &str) -> (String, String, String) {
        let z = self.get(token, "/api/cloudstack/zones").await;
        assert_eq!(z.status, StatusCode::OK, "{}", z.text);
        let zone = z.body[0]["id"].as_str().expect("a zone").to_owned();
        let t = self
            .get(token, &format!("/api/cloudstack/templates?zoneId={zone}"))
            .await;
        assert_eq!(t.status, StatusCode::OK, "{}", t.text);
        let template = t.body[0]["id"].as_str().expect("a template").to_owned();
        let o = self.get(token, "/api/cloudstack/service-offerings").await;
        assert_eq!(o.status, StatusCode::OK, "{}", o.text);
        let offering = o.body[0]["id"].as_str().expect("an offering").to_owned();
        (zone, template, offering)
    }

    /// Deploys a VM as `token`'s user in its own tenant; returns its JSON.
    pub async fn deploy(&self, token: &str, name: &str) -> Value {
        let (zone, template, offering) = self.catalog(token).await;
        let r = self
            .post(
                token,
                "/api/vms",
                json!({"name": name, "zoneId": zone, "templateId": template, "serviceOfferingId": offering}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "deploy: {}", r.text);
        r.body
    }

    pub async fn shutdown(self) {
        self.server.shutdown().await;
        self.sim.shutdown().await;
    }
}
