//! A throwaway PostgreSQL cluster for tests and benchmarks.
//!
//! The cluster runs Debian's binaries (the highest version under `/usr/lib/postgresql/*/bin`) in a
//! fresh temporary directory and listens on a unix socket in that directory only
//! (`listen_addresses = ''`), with a random password for the `postgres` superuser. `initdb`
//! refuses to run as root, so when this process is root the directory is handed to `nobody` and
//! the server runs as that user through `runuser`.
//!
//! A watchdog process (in its own process group, so a Ctrl-C to the tests does not reach it) holds
//! the read end of a pipe whose write end only this process holds. When this process ends — by
//! returning, panicking or being killed — the kernel closes the pipe, and the watchdog stops the
//! cluster (`pg_ctl stop -m immediate`) and removes the directory. Nothing is left behind.
//!
//! ```no_run
//! # async fn demo() -> Result<(), akashone_testpg::Error> {
//! let db = akashone_testpg::fresh_database().await?; // the cluster starts on first use
//! println!("{}", db.url()); // postgres://postgres:…@/t_…?host=/tmp/…
//! # Ok(()) }
//! ```
//!
//! Missing binaries are an error telling to run `cargo xtask setup`: tests that need PostgreSQL
//! fail, they are never skipped.

use std::fmt;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};

use rand::Rng;

/// The unprivileged user the cluster runs as when this process is root.
const UNPRIVILEGED_USER: &str = "nobody";

/// Why a cluster or a database could not be had.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No PostgreSQL server binaries on this machine.
    #[error(
        "PostgreSQL's server binaries (initdb, pg_ctl, postgres) were not found under \
         /usr/lib/postgresql/*/bin: run `cargo xtask setup` (it installs the Debian package \
         `postgresql`)"
    )]
    Missing,
    /// A command failed.
    #[error("{what} failed: {detail}")]
    Command {
        /// What was run.
        what: String,
        /// Its exit status and output.
        detail: String,
    },
    /// A file-system step failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// Cause.
        source: std::io::Error,
    },
    /// Talking to the cluster failed.
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// The shared cluster failed to start earlier in this process.
    #[error("the shared PostgreSQL cluster did not start: {0}")]
    Shared(String),
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
    let what = what.into();
    move |source| Error::Io { what, source }
}

/// How the cluster trades durability for speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// `fsync = off`, `synchronous_commit = off`, `full_page_writes = off`: fast, for tests.
    Off,
    /// PostgreSQL's defaults (every commit flushed): for benchmarks.
    Default,
}

/// Where Debian keeps the server binaries: the highest version under `/usr/lib/postgresql`.
pub fn find_bin_dir() -> Result<PathBuf, Error> {
    find_bin_dir_in(Path::new("/usr/lib/postgresql"))
}

fn find_bin_dir_in(root: &Path) -> Result<PathBuf, Error> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Err(Error::Missing);
    };
    let mut best: Option<(Vec<u32>, PathBuf)> = None;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(version) = name
            .split('.')
            .map(str::parse::<u32>)
            .collect::<Result<Vec<_>, _>>()
        else {
            continue;
        };
        let bin = entry.path().join("bin");
        if !["initdb", "pg_ctl", "postgres"]
            .iter()
            .all(|b| bin.join(b).is_file())
        {
            continue;
        }
        if best.as_ref().is_none_or(|(v, _)| version > *v) {
            best = Some((version, bin));
        }
    }
    best.map(|(_, bin)| bin).ok_or(Error::Missing)
}

/// A running throwaway cluster. Stopped and removed by its watchdog when this process ends.
pub struct Cluster {
    dir: PathBuf,
    password: String,
    bin: PathBuf,
    /// The write end of the watchdog's pipe: closing it (process exit) triggers the clean-up.
    watchdog: Mutex<Option<ChildStdin>>,
}

impl fmt::Debug for Cluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cluster")
            .field("dir", &self.dir)
            .field("bin", &self.bin)
            .finish_non_exhaustive()
    }
}

fn run(cmd: &mut Command, what: &str) -> Result<(), Error> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(io(format!("running {what}")))?;
    if out.status.success() {
        return Ok(());
    }
    Err(Error::Command {
        what: what.to_owned(),
        detail: format!(
            "{}: {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    })
}

fn random_hex(bytes: usize) -> String {
    let mut rng = rand::rng();
    (0..bytes)
        .map(|_| format!("{:02x}", rng.random::<u8>()))
        .collect()
}

impl Cluster {
    /// Initialises and starts a new cluster in a fresh temporary directory.
    pub fn start(durability: Durability) -> Result<Cluster, Error> {
        let bin = find_bin_dir()?;
        // A unix socket path must stay under ~107 bytes: keep the directory short.
        let base = std::env::temp_dir();
        let base = if base.as_os_str().len() > 60 {
            PathBuf::from("/tmp")
        } else {
            base
        };
        let dir = base.join(format!("akashone-pg-{}", random_hex(6)));
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&dir)
            .map_err(io(format!("creating {}", dir.display())))?;
        let cluster = Cluster {
            dir,
            password: random_hex(16),
            bin,
            watchdog: Mutex::new(None),
        };
        // From here on, `cluster`'s watchdog (or, before it exists, `abandon`) cleans up.
        match cluster.init_and_start(durability) {
            Ok(()) => Ok(cluster),
            Err(e) => {
                cluster.abandon();
                Err(e)
            }
        }
    }

    fn as_root(&self) -> Result<bool, Error> {
        // The directory was created by this process: its owner is our effective user.
        let meta = std::fs::metadata(&self.dir).map_err(io("reading the cluster directory"))?;
        Ok(meta.uid() == 0)
    }

    /// A command running one of the cluster's binaries, as the unprivileged user when root.
    fn pg_command(&self, root: bool, program: &str) -> Command {
        let program = self.bin.join(program);
        if root {
            let mut c = Command::new("runuser");
            c.args(["-u", UNPRIVILEGED_USER, "--"]).arg(program);
            c
        } else {
            Command::new(program)
        }
    }

    fn init_and_start(&self, durability: Durability) -> Result<(), Error> {
        let root = self.as_root()?;
        let pwfile = self.dir.join("pwfile");
        std::fs::write(&pwfile, &self.password).map_err(io("writing the password file"))?;
        if root {
            run(
                Command::new("chown")
                    .arg("-R")
                    .arg(format!("{UNPRIVILEGED_USER}:"))
                    .arg(&self.dir),
                &format!("chown of the cluster directory to {UNPRIVILEGED_USER}"),
            )?;
        }
        let data = self.dir.join("data");
        run(
            self.pg_command(root, "initdb")
                .arg("-D")
                .arg(&data)
                .args([
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--auth=scram-sha-256",
                    "--no-sync",
                ])
                .arg(format!("--pwfile={}", pwfile.display())),
            "initdb",
        )?;
        std::fs::remove_file(&pwfile).map_err(io("removing the password file"))?;
        let mut settings = format!(
            "\n# akashone-testpg\nlisten_addresses = ''\nunix_socket_directories = '{}'\n\
             max_connections = 300\nlog_min_messages = warning\n",
            self.dir.display()
        );
        if durability == Durability::Off {
            settings.push_str("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
        }
        std::fs::OpenOptions::new()
            .append(true)
            .open(data.join("postgresql.conf"))
            .and_then(|mut f| f.write_all(settings.as_bytes()))
            .map_err(io("writing postgresql.conf"))?;
        // The watchdog first, so that a failure (or a kill) from here on still cleans up.
        self.spawn_watchdog(root)?;
        run(
            self.pg_command(root, "pg_ctl")
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(self.dir.join("server.log"))
                .args(["-w", "-t", "60", "start"]),
            "pg_ctl start",
        )
        .map_err(|e| match e {
            Error::Command { what, detail } => Error::Command {
                what,
                detail: format!(
                    "{detail}\nserver log:\n{}",
                    std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
                ),
            },
            e => e,
        })
    }

    fn spawn_watchdog(&self, root: bool) -> Result<(), Error> {
        let pg_ctl = self.bin.join("pg_ctl");
        let data = self.dir.join("data");
        // $1 pg_ctl, $2 data directory, $3 cluster directory, $4 user ("" when not root).
        let script = r#"
cat >/dev/null
if [ -n "$4" ]; then
    runuser -u "$4" -- "$1" -D "$2" -m immediate -w -t 30 stop >/dev/null 2>&1
else
    "$1" -D "$2" -m immediate -w -t 30 stop >/dev/null 2>&1
fi
rm -rf -- "$3"
"#;
        let child = Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg("akashone-testpg-watchdog")
            .arg(&pg_ctl)
            .arg(&data)
            .arg(&self.dir)
            .arg(if root { UNPRIVILEGED_USER } else { "" })
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group: a Ctrl-C sent to the tests' group does not stop it first.
            .process_group(0)
            .spawn()
            .map_err(io("starting the watchdog"))?;
        let stdin = child.stdin.ok_or_else(|| Error::Command {
            what: "the watchdog".into(),
            detail: "no pipe to its standard input".into(),
        })?;
        *self.watchdog.lock().unwrap_or_else(|e| e.into_inner()) = Some(stdin);
        Ok(())
    }

    /// Clean-up after a failed start: the watchdog when it runs, else by hand.
    fn abandon(&self) {
        let pipe = self
            .watchdog
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if pipe.is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
        // Dropping the pipe makes the watchdog stop the server and remove the directory.
    }

    /// Stops the cluster now and removes its directory (otherwise this happens when the process
    /// ends).
    pub fn stop(self) {
        let pipe = self
            .watchdog
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        drop(pipe);
    }

    /// The cluster's directory (socket, data, log).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The directory holding the unix socket.
    pub fn socket_dir(&self) -> &Path {
        &self.dir
    }

    /// The superuser's password.
    pub fn password(&self) -> &str {
        &self.password
    }

    /// A URL for database `db` as the superuser, over the unix socket.
    pub fn url(&self, db: &str) -> String {
        format!(
            "postgres://postgres:{}@/{db}?host={}",
            self.password,
            self.dir.display()
        )
    }

    /// A connection as the superuser to database `db`; its driver runs on the current runtime.
    pub async fn connect(&self, db: &str) -> Result<tokio_postgres::Client, Error> {
        let config: tokio_postgres::Config = self.url(db).parse()?;
        let (client, conn) = config.connect(tokio_postgres::NoTls).await?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(client)
    }

    /// Creates an empty database with a random name.
    pub async fn create_database(&'static self) -> Result<TestDb, Error> {
        let name = format!("t_{}", random_hex(8));
        let admin = self.connect("postgres").await?;
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await?;
        Ok(TestDb {
            url: self.url(&name),
            name,
            cluster: self,
        })
    }
}

static SHARED: OnceLock<Result<Cluster, String>> = OnceLock::new();

/// The cluster shared by this process (fast settings), started on first use.
pub fn shared() -> Result<&'static Cluster, Error> {
    SHARED
        .get_or_init(|| Cluster::start(Durability::Off).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| Error::Shared(e.clone()))
}

/// A fresh database in the shared cluster.
pub async fn fresh_database() -> Result<TestDb, Error> {
    let cluster = tokio::task::spawn_blocking(|| shared().map(|_| ()))
        .await
        .map_err(|e| Error::Shared(e.to_string()))?;
    cluster?;
    shared()?.create_database().await
}

/// A database of a cluster, dropped (with its connections) when this value is dropped.
pub struct TestDb {
    url: String,
    name: String,
    cluster: &'static Cluster,
}

impl fmt::Debug for TestDb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestDb")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl TestDb {
    /// Its URL (with the password).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The cluster it lives in.
    pub fn cluster(&self) -> &'static Cluster {
        self.cluster
    }

    /// A connection to it as the superuser; its driver runs on the current runtime.
    pub async fn connect(&self) -> Result<tokio_postgres::Client, Error> {
        self.cluster.connect(&self.name).await
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // Drop runs outside any async context we could borrow: use a thread with its own small
        // runtime. WITH (FORCE) ends the connections still open to it.
        let (cluster, name) = (self.cluster, self.name.clone());
        let done = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(admin) = cluster.connect("postgres").await {
                    let _ = admin
                        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                }
            });
        });
        let _ = done.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_highest_version_with_every_binary_is_chosen() {
        let root = std::env::temp_dir().join(format!("akashone-testpg-find-{}", random_hex(4)));
        for (v, complete) in [("13", true), ("15", true), ("16", false), ("9.6", true)] {
            let bin = root.join(v).join("bin");
            std::fs::create_dir_all(&bin).unwrap();
            let names: &[&str] = if complete {
                &["initdb", "pg_ctl", "postgres"]
            } else {
                &["initdb"]
            };
            for b in names {
                std::fs::write(bin.join(b), "").unwrap();
            }
        }
        std::fs::create_dir_all(root.join("not-a-version/bin")).unwrap();
        assert_eq!(find_bin_dir_in(&root).unwrap(), root.join("15/bin"));
        std::fs::remove_dir_all(&root).unwrap();
        let missing = find_bin_dir_in(&root).unwrap_err();
        assert!(
            missing.to_string().contains("cargo xtask setup"),
            "{missing}"
        );
    }

    #[test]
    fn a_killed_owner_leaves_nothing_behind() {
        // A child process (this same test binary) starts a cluster, prints its directory and is
        // killed: the watchdog must stop the server and remove the directory.
        if std::env::var_os("AKASHONE_TESTPG_CHILD").is_some() {
            let cluster = Cluster::start(Durability::Off).expect("cluster");
            println!("{}", cluster.dir().display());
            std::io::stdout().flush().unwrap();
            std::thread::sleep(std::time::Duration::from_secs(120));
            return;
        }
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "tests::a_killed_owner_leaves_nothing_behind",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("AKASHONE_TESTPG_CHILD", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut dir = None;
        let mut line = String::new();
        while std::io::BufRead::read_line(&mut out, &mut line).unwrap() > 0 {
            // The harness writes `test … ... ` before the test's own output, on the same line.
            if let Some(i) = line.find("/").filter(|_| line.contains("akashone-pg-")) {
                dir = Some(PathBuf::from(line[i..].trim()));
                break;
            }
            line.clear();
        }
        let dir = dir.expect("the child printed its cluster directory");
        assert!(dir.join("data/postmaster.pid").exists());
        let pid = std::fs::read_to_string(dir.join("data/postmaster.pid")).unwrap();
        let pid = pid.lines().next().unwrap().trim().to_owned();
        child.kill().unwrap();
        child.wait().unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        // A postmaster nobody reaped yet (a zombie) has stopped too.
        let alive = |pid: &str| {
            std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
                s.rsplit(')')
                    .next()
                    .is_some_and(|r| !r.trim_start().starts_with('Z'))
            })
        };
        while dir.exists() || alive(&pid) {
            assert!(
                std::time::Instant::now() < deadline,
                "{} or postmaster {pid} still there",
                dir.display()
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    #[tokio::test]
    async fn databases_are_fresh_and_dropped() {
        let db = fresh_database().await.unwrap();
        let c = db.connect().await.unwrap();
        c.batch_execute("CREATE TABLE t (x int); INSERT INTO t VALUES (1)")
            .await
            .unwrap();
        let other = fresh_database().await.unwrap();
        assert_ne!(db.name(), other.name());
        let c2 = other.connect().await.unwrap();
        assert!(c2.query("SELECT * FROM t", &[]).await.is_err());
        let name = db.name().to_owned();
        drop(c);
        drop(db);
        let admin = shared().unwrap().connect("postgres").await.unwrap();
        let left = admin
            .query("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
            .await
            .unwrap();
        assert!(left.is_empty());
        // Only the socket: no TCP listener.
        let row = admin.query_one("SHOW listen_addresses", &[]).await.unwrap();
        assert_eq!(row.get::<_, String>(0), "");
        assert!(db_url_has_no_tcp_host(other.url()));
    }

    fn db_url_has_no_tcp_host(url: &str) -> bool {
        url.contains("@/") && url.contains("?host=/")
    }
}
