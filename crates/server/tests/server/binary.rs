//! The `akashone-server` binary: configuration from the environment, the one-time password
//! printed once, and a refused PostgreSQL URL.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use akashone_server::config::Secret;
use akashone_server::{Config, Server, StartError};

/// Ends the child we started (by its own handle) when the test ends, even on panic.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(data: &std::path::Path) -> (Running, String, Vec<String>, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_akashone-server"))
        .args(["--simulator", "--bind", "127.0.0.1:0"])
        .env("AKASHONE_DATA_DIR", data)
        .env("NO_COLOR", "1")
        .env("RUST_LOG", "info")
        .env_remove("SESSION_SECRET")
        .env_remove("DATABASE_URL")
        .env_remove("AKASHONE_ADMIN_PASSWORD")
        .env_remove("AKASHONE_ADMIN_USER")
        .env_remove("AKASHONE_BIND")
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

#[tokio::test]
async fn a_postgres_url_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(dir.path(), Secret::new("p".repeat(40)));
    config.database =
        akashone_server::config::DatabaseUrl::parse("postgres://u:pw@127.0.0.1/akash").unwrap();
    let err = Server::start(config).await.unwrap_err();
    assert!(matches!(err, StartError::PostgresUnsupported), "{err}");
    assert!(err.to_string().contains("sqlite://"));
}
