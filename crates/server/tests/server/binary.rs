//! The `akashone-server` binary: configuration from the environment and a `--config` file, the
//! one-time password printed once, on SQLite and on PostgreSQL, and clear refusals of bad
//! configuration.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use akashone_server::config::{DatabaseUrl, Secret};
use akashone_server::db::DbError;
use akashone_server::{Config, Server, StartError};

use crate::support::{Backend, TestStore};

/// Ends the child we started (by its own handle) when the test ends, even on panic.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The binary with a clean environment: none of the server's variables but those given.
fn command(args: &[&str], envs: &[(&str, &str)]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_akashone-server"));
    c.args(args).env("NO_COLOR", "1").env("RUST_LOG", "info");
    for (_, var) in akashone_server::config::FILE_KEYS {
        c.env_remove(var);
    }
    for (k, v) in envs {
        c.env(k, v);
    }
    c
}

/// Runs the binary expecting it to refuse to start; returns its standard error.
fn refused(args: &[&str], envs: &[(&str, &str)]) -> String {
    let out = command(args, envs)
        .stdin(Stdio::null())
        .output()
        .expect("run akashone-server");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "it started: {stderr}");
    stderr
}

fn start(data: &Path) -> (Running, String, Vec<String>, Vec<String>) {
    let data = data.display().to_string();
    start_with(
        &["--simulator", "--bind", "127.0.0.1:0"],
        &[("AKASHONE_DATA_DIR", &data)],
    )
}

fn start_with(args: &[&str], envs: &[(&str, &str)]) -> (Running, String, Vec<String>, Vec<String>) {
    let mut child = command(args, envs)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start akashone-server");
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let running = Running(child);
    let (tx, rx) = std::sync::mpsc::channel::<(bool, String)>();
    let tx2 = tx.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send((true, line));
        }
    });
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx2.send((false, line));
        }
    });
    let mut printed = Vec::new();
    let mut log = Vec::new();
    loop {
        let (is_stdout, line) = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no `listening` line; log so far: {log:?}"));
        if is_stdout {
            printed.push(line);
        } else if let Some(url) = line
            .split("url=")
            .nth(1)
            .filter(|_| line.contains("listening"))
        {
            // stdout was written before this log line, but its reader thread may lag behind:
            // take what the pipes already hold before answering.
            let until = std::time::Instant::now() + Duration::from_secs(2);
            while let Ok((is_stdout, line)) =
                rx.recv_timeout(until.saturating_duration_since(std::time::Instant::now()))
            {
                if is_stdout {
                    printed.push(line);
                } else {
                    log.push(line);
                }
            }
            return (running, url.trim().to_owned(), printed, log);
        } else {
            log.push(line);
        }
    }
}

#[tokio::test]
async fn the_binary_prints_a_one_time_password_once_and_serves() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (first, url, printed, log) = start(&data);
    let line = printed
        .iter()
        .find(|l| l.contains("one-time password"))
        .unwrap_or_else(|| panic!("{printed:?}"));
    let password = line.rsplit(' ').next().unwrap().to_owned();
    assert!(
        log.iter().any(|l| l.contains("SESSION_SECRET is not set")),
        "{log:?}"
    );
    assert!(
        log.iter().all(|l| !l.contains(&password)),
        "the password is never logged"
    );
    let http = reqwest::Client::new();
    let r: serde_json::Value = http
        .post(format!("{url}/api/auth/login"))
        .json(&serde_json::json!({"username": "admin", "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = r["token"].as_str().expect("signed in").to_owned();
    let vms = http
        .get(format!("{url}/api/vms"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(vms.status().is_success());
    let listed: serde_json::Value = vms.json().await.unwrap();
    assert!(
        !listed.as_array().unwrap().is_empty(),
        "the demo cloud's VMs"
    );
    drop(first);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&data).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
    // The second start finds the administrator and the secret: nothing is printed.
    let (_second, _, printed, _) = start(&data);
    assert!(
        printed.iter().all(|l| !l.contains("password")),
        "{printed:?}"
    );
}

async fn sign_in(url: &str, user: &str, password: &str) -> String {
    let r: serde_json::Value = reqwest::Client::new()
        .post(format!("{url}/api/auth/login"))
        .json(&serde_json::json!({"username": user, "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["token"]
        .as_str()
        .unwrap_or_else(|| panic!("not signed in: {r}"))
        .to_owned()
}

#[tokio::test]
async fn the_binary_runs_on_postgresql_and_never_logs_its_password() {
    let store = TestStore::new(Backend::Postgres).await;
    let TestStore::Postgres(db) = &store else {
        unreachable!()
    };
    let db_password = db.cluster().password().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    let envs = [
        ("AKASHONE_DATA_DIR", data.as_str()),
        ("DATABASE_URL", db.url()),
        ("SESSION_SECRET", "s3ss10n-s3cr3t-s3ss10n-s3cr3t-0123456789"),
    ];
    let args = ["--simulator", "--bind", "127.0.0.1:0"];
    let (first, url, printed, log) = start_with(&args, &envs);
    let line = printed
        .iter()
        .find(|l| l.contains("one-time password"))
        .unwrap_or_else(|| panic!("{printed:?}"));
    let password = line.rsplit(' ').next().unwrap().to_owned();
    assert!(
        log.iter().any(|l| l.contains("postgres:***@")),
        "the configuration is logged with the password masked: {log:?}"
    );
    for l in log.iter().chain(&printed) {
        assert!(
            !l.contains(&db_password),
            "the database password leaked: {l}"
        );
    }
    let token = sign_in(&url, "admin", &password).await;
    let http = reqwest::Client::new();
    let vms = http
        .get(format!("{url}/api/vms"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(vms.status().is_success());
    // The data lives in PostgreSQL, not in a SQLite file.
    assert_eq!(
        store.count("SELECT COUNT(*) FROM users").await,
        1,
        "the administrator"
    );
    assert!(!dir.path().join("server.db").exists());
    drop(first);
    // A second start finds the administrator: nothing is printed, and the same password works.
    let (_second, url, printed, _) = start_with(&args, &envs);
    assert!(
        printed.iter().all(|l| !l.contains("password")),
        "{printed:?}"
    );
    sign_in(&url, "admin", &password).await;
}

#[tokio::test]
async fn an_unreachable_postgresql_is_a_clear_start_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(dir.path(), Secret::new("p".repeat(40)));
    // Port 1 on loopback: nothing listens there.
    config.database =
        DatabaseUrl::parse("postgres://akash:hunter2-hunter2@127.0.0.1:1/akash?connect_timeout=5")
            .unwrap();
    let err = Server::start(config).await.unwrap_err();
    let shown = err.to_string();
    assert!(
        matches!(err, StartError::Db(DbError::Open { .. })),
        "{shown}"
    );
    assert!(
        shown.contains("postgres://akash:***@127.0.0.1:1/akash"),
        "{shown}"
    );
    assert!(!shown.contains("hunter2"), "{shown}");
}

#[test]
fn malformed_database_urls_are_refused_before_starting() {
    for (url, expect) in [
        (
            "postgres://akash:hunter2@db:notaport/akash",
            "not a usable PostgreSQL URL",
        ),
        (
            "postgres://akash:hunter2@db/akash?sslmode=require",
            "sslmode=require",
        ),
        ("postgresql://akash:hunter2@db/akash?colour=blue", "colour"),
        ("mysql://akash:hunter2@db/akash", "unsupported scheme"),
    ] {
        let stderr = refused(&["--bind", "127.0.0.1:0"], &[("DATABASE_URL", url)]);
        assert!(stderr.contains("DATABASE_URL"), "{url}: {stderr}");
        assert!(stderr.contains(expect), "{url}: {stderr}");
        assert!(!stderr.contains("hunter2"), "{url}: {stderr}");
    }
}

fn write_config(dir: &Path, text: &str, mode: u32) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("server.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path.display().to_string()
}

#[tokio::test]
async fn a_config_file_is_read_below_the_environment_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = write_config(
        dir.path(),
        &format!(
            "# the file\nbind = \"127.0.0.1:1\"\ndata_dir = \"{}\"\nadmin_user = \"file-admin\"\n\
             admin_password = \"from-the-file-123\"\nsession_secret = \"{}\"\n",
            data.display(),
            "f".repeat(40)
        ),
        0o600,
    );
    // The flag beats the file's bind (port 1 would fail); the environment beats its admin_user.
    let (_server, url, printed, _) = start_with(
        &["--config", &file, "--simulator", "--bind", "127.0.0.1:0"],
        &[("AKASHONE_ADMIN_USER", "env-admin")],
    );
    assert!(
        printed.iter().any(|l| l.contains("\"env-admin\"")),
        "{printed:?}"
    );
    sign_in(&url, "env-admin", "from-the-file-123").await;
    assert!(data.join("server.db").exists(), "the file's data_dir");
    assert!(!data.join("session_secret").exists(), "the file's secret");
}

#[test]
fn a_config_file_with_secrets_must_be_private_and_hold_known_keys() {
    let dir = tempfile::tempdir().unwrap();
    let secret = format!("session_secret = \"{}\"\n", "s".repeat(40));
    let file = write_config(dir.path(), &secret, 0o640);
    let stderr = refused(&["--config", &file], &[]);
    assert!(
        stderr.contains("holds secrets (session_secret)"),
        "{stderr}"
    );
    assert!(stderr.contains("chmod 600"), "{stderr}");
    assert!(!stderr.contains(&"s".repeat(40)), "{stderr}");

    let file = write_config(dir.path(), &format!("{secret}sesion_ttl = 5\n"), 0o600);
    let stderr = refused(&["--config", &file], &[]);
    assert!(stderr.contains("unknown key `sesion_ttl`"), "{stderr}");

    let file = write_config(dir.path(), "bind = [1, 2]\n", 0o644);
    let stderr = refused(&["--config", &file], &[]);
    assert!(stderr.contains("`bind` must be a string"), "{stderr}");

    let stderr = refused(&["--config", "/nonexistent/akashone.toml"], &[]);
    assert!(stderr.contains("cannot read it"), "{stderr}");
}
