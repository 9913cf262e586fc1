//! What the end-to-end tests and the start-up benchmark need: a virtual display, the WebDriver
//! bridge, the built app, and readings of a process tree's memory.
//!
//! Everything here fails loudly with the fix in the message: these tests must run in CI, never
//! skip.

pub mod memory;

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The app binary: `AKASHONE_APP_BIN`, else `akashone-console` next to this test's profile folder.
pub fn app_binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("AKASHONE_APP_BIN").filter(|b| !b.is_empty()) {
        return PathBuf::from(bin);
    }
    profile_dir().join("akashone-console")
}

/// `target/<profile>`: test and bench executables live in its `deps/` folder.
pub fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test knows its own path");
    exe.parent()
        .and_then(Path::parent)
        .expect("test executables live in target/<profile>/deps")
        .to_owned()
}

/// Where screenshots go: `target/e2e/`.
pub fn e2e_dir() -> PathBuf {
    let dir = profile_dir()
        .parent()
        .expect("target/<profile> has a parent")
        .join("e2e");
    std::fs::create_dir_all(&dir).expect("can create target/e2e");
    dir
}

/// Fails with a clear message unless the app has been built.
pub fn require_app() -> PathBuf {
    let bin = app_binary();
    assert!(
        bin.is_file(),
        "the desktop app is not built at {}: run `cargo xtask test` (it builds the UI and the app first)",
        bin.display()
    );
    bin
}

/// A child process killed (and reaped) when dropped, so nothing outlives a failed test.
#[derive(Debug)]
pub struct Guard(pub Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A child started as the leader of its own process group; the whole group (the child and
/// everything it started, e.g. tauri-driver's WebKitWebDriver and the app) is killed when dropped.
#[derive(Debug)]
pub struct GroupGuard(pub Child);

impl GroupGuard {
    /// Spawns `cmd` in a new process group.
    pub fn spawn(cmd: &mut Command) -> std::io::Result<Self> {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0).spawn().map(Self)
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.0.wait();
    }
}

/// An Xvfb virtual display that stops when dropped.
#[derive(Debug)]
pub struct Display {
    _xvfb: Guard,
    /// The `DISPLAY` value, e.g. `:101`.
    pub name: String,
}

/// Starts Xvfb (1280×800, 24-bit) on a free display number.
pub fn start_display() -> Display {
    for n in 100..400u32 {
        if Path::new(&format!("/tmp/.X{n}-lock")).exists() {
            continue;
        }
        let name = format!(":{n}");
        let child = Command::new("Xvfb")
            .args([&name, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start a display: Xvfb did not start ({e}); run `cargo xtask setup`")
            });
        let mut guard = Guard(child);
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if socket.exists() {
                return Display { _xvfb: guard, name };
            }
            if let Ok(Some(_)) = guard.0.try_wait() {
                break; // lost a race for this number: try the next
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
    panic!("cannot start a display: no Xvfb display could be opened between :100 and :399");
}

/// A port on loopback that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("can bind a loopback port")
}

/// `tauri-driver` (and through it WebKitWebDriver) on loopback; stops when dropped.
#[derive(Debug)]
pub struct Driver {
    _child: GroupGuard,
    /// The WebDriver URL to connect to.
    pub url: String,
}

/// Starts tauri-driver on `display`; the apps it launches get `env` too.
pub fn start_driver(display: &Display, env: &[(&str, &Path)]) -> Driver {
    let port = free_port();
    let native = free_port();
    let mut cmd = Command::new(tool("tauri-driver"));
    cmd.args([
        "--port",
        &port.to_string(),
        "--native-port",
        &native.to_string(),
    ])
    .env("DISPLAY", &display.name)
    .stdout(Stdio::null())
    .stderr(Stdio::inherit());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let guard = GroupGuard::spawn(&mut cmd).unwrap_or_else(|e| {
        panic!("cannot start tauri-driver ({e}); run `cargo xtask setup` to install it")
    });
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
            return Driver {
                _child: guard,
                url: format!("http://127.0.0.1:{port}"),
            };
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("tauri-driver did not listen on port {port} within 15 s");
}

impl Driver {
    /// The process id of tauri-driver (the app it launches is a descendant).
    pub fn pid(&self) -> u32 {
        self._child.0.id()
    }
}

/// The app's process id below `driver`, once it runs.
pub fn app_pid(driver: &Driver) -> Option<u32> {
    memory::tree(driver.pid()).into_iter().find(|p| {
        std::fs::read_to_string(format!("/proc/{p}/comm"))
            .is_ok_and(|c| c.trim().starts_with("akashone-consol"))
    })
}

/// A tool from `PATH`, else from cargo's bin folder (where `cargo xtask setup` installs it).
pub fn tool(name: &str) -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(name))
                .find(|f| f.is_file())
        })
        .unwrap_or_default();
    on_path.unwrap_or_else(|| {
        let home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default();
        home.join(".cargo/bin").join(name)
    })
}

/// Opens a WebDriver session that launches the app; retries while the driver warms up.
pub async fn open_app(driver: &Driver, app: &Path) -> fantoccini::Client {
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": app.display().to_string() }),
    );
    let mut last = String::new();
    for _ in 0..40 {
        match fantoccini::ClientBuilder::native()
            .capabilities(caps.clone())
            .connect(&driver.url)
            .await
        {
            Ok(client) => return client,
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("could not open the app through WebDriver: {last}");
}

/// The CloudStack simulator as a separate process, so a test can stop it and start it again.
#[derive(Debug)]
pub struct SimProcess {
    _child: Guard,
    /// Its API URL.
    pub url: String,
    /// Root admin API key.
    pub api_key: String,
    /// Root admin secret key.
    pub secret_key: String,
}

/// The simulator binary: `AKASHONE_SIM_BIN`, else `akashone-cloudstack-sim` in this profile.
pub fn sim_binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("AKASHONE_SIM_BIN").filter(|b| !b.is_empty()) {
        return PathBuf::from(bin);
    }
    profile_dir().join("akashone-cloudstack-sim")
}

/// Starts the simulator on loopback `port` with `args` and reads its URL and keys.
pub fn start_simulator(port: u16, args: &[&str]) -> SimProcess {
    use std::io::{BufRead, BufReader};
    let bin = sim_binary();
    assert!(
        bin.is_file(),
        "the simulator is not built at {}: run `cargo xtask test`",
        bin.display()
    );
    let mut child = Command::new(&bin)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
    let stdout = child.stdout.take().expect("piped stdout");
    let guard = Guard(child);
    // Read the banner, then keep draining stdout so the simulator never blocks on a full pipe.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let (mut url, mut key, mut secret) = (String::new(), String::new(), String::new());
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(30)) {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("URL:"), Some(v)) => url = v.to_owned(),
            (Some("apiKey:"), Some(v)) => key = v.to_owned(),
            (Some("secretKey:"), Some(v)) => secret = v.to_owned(),
            _ => {}
        }
        if !url.is_empty() && !key.is_empty() && !secret.is_empty() {
            break;
        }
    }
    assert!(
        !secret.is_empty(),
        "the simulator did not print its URL and keys"
    );
    SimProcess {
        _child: guard,
        url,
        api_key: key,
        secret_key: secret,
    }
}

/// Held by each test that drives the real app, so they run one at a time: two WebKit instances
/// competing for a small machine make WebDriver calls time out.
pub async fn one_app_at_a_time() -> tokio::sync::MutexGuard<'static, ()> {
    static LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    LOCK.lock().await
}
