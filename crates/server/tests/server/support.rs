//! A server per test: its own temp data directory, port 0, an in-process CloudStack simulator,
//! and its own database — a SQLite file, or a fresh database in this process's throwaway
//! PostgreSQL cluster ([`Backend`]); all of it goes when the test ends.
//!
//! [`on_both!`] runs a test written as `async fn name(backend: Backend)` once per backend.

use std::sync::Arc;
use std::time::Duration;

use akashone_server::config::DatabaseUrl;
use akashone_server::db::Database;

use akashone_cloudstack_sim::{SimConfig, SimHandle, Simulator};
use akashone_server::config::{CloudStackConfig, LoginLimits, Secret};
use akashone_server::crypto::PasswordCost;
use akashone_server::{Config, Server};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const ADMIN: &str = "admin";
pub const ADMIN_PASSWORD: &str = "platform-admin-pass";
pub const PASSWORD: &str = "correct-horse-battery";

/// Instantiates each `async fn name(backend: Backend)` listed as two tests, `name::sqlite` and
/// `name::postgres`. `multi_thread:` before the names runs them on a multi-threaded runtime.
macro_rules! on_both {
    (multi_thread: $($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                super::$name(crate::support::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                super::$name(crate::support::Backend::Postgres).await
            }
        }
    )+};
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name(crate::support::Backend::Sqlite).await
            }
            #[tokio::test]
            async fn postgres() {
                super::$name(crate::support::Backend::Postgres).await
            }
        }
    )+};
}
pub(crate) use on_both;

/// Which storage a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file in a temporary directory.
    Sqlite,
    /// A fresh database in the process's throwaway PostgreSQL cluster.
    Postgres,
}

/// One test's database; removed when dropped.
pub enum TestStore {
    Sqlite(tempfile::TempDir),
    Postgres(akashone_testpg::TestDb),
}

impl TestStore {
    /// A new, empty database. Without PostgreSQL's binaries this panics with the fix (`cargo
    /// xtask setup`): the test fails, it is never skipped.
    pub async fn new(backend: Backend) -> TestStore {
        match backend {
            Backend::Sqlite => TestStore::Sqlite(tempfile::tempdir().unwrap()),
            Backend::Postgres => TestStore::Postgres(
                akashone_testpg::fresh_database()
                    .await
                    .unwrap_or_else(|e| panic!("{e}")),
            ),
        }
    }

    pub fn url(&self) -> DatabaseUrl {
        match self {
            TestStore::Sqlite(dir) => DatabaseUrl::Sqlite(dir.path().join("server.db")),
            TestStore::Postgres(db) => DatabaseUrl::parse(db.url()).unwrap(),
        }
    }

    /// The backend through the server's own storage layer (migrations applied).
    pub async fn open(&self) -> Arc<dyn Database> {
        akashone_server::db::open(&self.url(), 3).await.unwrap()
    }

    /// The first column of `sql`'s rows, as text (`sql` is plain, without parameters).
    pub async fn texts(&self, sql: &str) -> Vec<Option<String>> {
        match self {
            TestStore::Sqlite(dir) => {
                let c = rusqlite::Connection::open(dir.path().join("server.db")).unwrap();
                let mut st = c.prepare(sql).unwrap();
                st.query_map([], |r| r.get::<_, Option<String>>(0))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap()
            }
            TestStore::Postgres(db) => {
                let c = db.connect().await.unwrap();
                c.query(sql, &[])
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.get::<_, Option<String>>(0))
                    .collect()
            }
        }
    }

    /// The first column of `sql`'s rows, as bytes.
    pub async fn blobs(&self, sql: &str) -> Vec<Option<Vec<u8>>> {
        match self {
            TestStore::Sqlite(dir) => {
                let c = rusqlite::Connection::open(dir.path().join("server.db")).unwrap();
                let mut st = c.prepare(sql).unwrap();
                st.query_map([], |r| r.get::<_, Option<Vec<u8>>>(0))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap()
            }
            TestStore::Postgres(db) => {
                let c = db.connect().await.unwrap();
                c.query(sql, &[])
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.get::<_, Option<Vec<u8>>>(0))
                    .collect()
            }
        }
    }

    /// A count (`SELECT COUNT(*) …`).
    pub async fn count(&self, sql: &str) -> i64 {
        match self {
            TestStore::Sqlite(dir) => {
                let c = rusqlite::Connection::open(dir.path().join("server.db")).unwrap();
                c.query_row(sql, [], |r| r.get(0)).unwrap()
            }
            TestStore::Postgres(db) => {
                let c = db.connect().await.unwrap();
                c.query_one(sql, &[]).await.unwrap().get(0)
            }
        }
    }

    /// Runs statements.
    pub async fn execute(&self, sql: &str) {
        match self {
            TestStore::Sqlite(dir) => {
                let c = rusqlite::Connection::open(dir.path().join("server.db")).unwrap();
                c.execute_batch(sql).unwrap();
            }
            TestStore::Postgres(db) => {
                db.connect()
                    .await
                    .unwrap()
                    .batch_execute(sql)
                    .await
                    .unwrap();
            }
        }
    }
}

pub struct TestApp {
    pub server: Server,
    pub sim: SimHandle,
    pub http: reqwest::Client,
    pub dir: tempfile::TempDir,
    pub admin: String,
    /// Dropped after the server (fields drop in order).
    pub store: Arc<TestStore>,
}

/// A server on SQLite.
#[allow(dead_code)] // for tests that concern SQLite only
pub async fn spawn_app() -> TestApp {
    spawn_on(Backend::Sqlite).await
}

/// A server on SQLite, with the configuration tuned.
#[allow(dead_code)] // for tests that concern SQLite only
pub async fn spawn_app_with(tune: impl FnOnce(&mut Config)) -> TestApp {
    spawn_with_on(Backend::Sqlite, tune).await
}

/// A server on `backend`.
pub async fn spawn_on(backend: Backend) -> TestApp {
    spawn_with_on(backend, |_| {}).await
}

/// A server on `backend`, with the configuration tuned.
pub async fn spawn_with_on(backend: Backend, tune: impl FnOnce(&mut Config)) -> TestApp {
    let store = Arc::new(TestStore::new(backend).await);
    spawn_with_store(store, tune).await
}

/// A server on an existing database (e.g. a second instance sharing one PostgreSQL database).
pub async fn spawn_with_store(store: Arc<TestStore>, tune: impl FnOnce(&mut Config)) -> TestApp {
    let sim = Simulator::start(SimConfig {
        vms: 6,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(dir.path(), Secret::new("t".repeat(40)));
    config.database = store.url();
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
        window: Duration::from_secs(900),
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
        store,
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
    /// A configuration for another server on the same data directory and database.
    pub fn config_again(&self) -> Config {
        let mut config = Config::new(self.dir.path(), Secret::new("t".repeat(40)));
        config.database = self.store.url();
        config.bind = "127.0.0.1:0".parse().unwrap();
        config.password_cost = PasswordCost::fast_for_tests();
        config
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
