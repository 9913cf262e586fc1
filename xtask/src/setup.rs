//! `cargo xtask setup`: installs what is missing, and only that. Safe to run again and again.

use crate::util::{self, Result, cmd, run, tools_dir};
use std::process::Command;

/// The cargo-deny that setup installs and `test` runs (with `deny.toml` at the root).
pub const CARGO_DENY_VERSION: &str = "0.20.2";

/// Debian/Ubuntu packages: Tauri's build needs, the virtual display and WebDriver for the
/// end-to-end tests, poppler for reading PDFs in tests, venv for the Python cross-check tools.
const APT_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "file",
    "libssl-dev",
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "librsvg2-dev",
    "libayatana-appindicator3-dev",
    "libsoup-3.0-dev",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "poppler-utils",
    "python3-venv",
    // PostgreSQL's server binaries: the server's tests and bench start throwaway clusters.
    "postgresql",
];

/// Cargo-installed tools, at exact versions. `locked` = install with `--locked`.
struct CargoTool {
    package: &'static str,
    version: String,
    locked: bool,
}

/// Python packages the cross-check tests use (clients nobody here wrote).
const PYTHON_PACKAGES: &[&str] = &["cs==5.2.0", "pyotp==2.12.1", "kubernetes==37.0.2"];

/// The Debian package whose kubectl (1.20) checks the simulator's Kubernetes API. Unpacked into
/// the tools folder, not installed: a system-wide install clashes with other kubectl builds.
const KUBECTL_DEB: &str = "kubernetes-client";

/// wasm-opt from the npm registry (Debian's binaryen is too old for current wasm-bindgen output).
const BINARYEN_NPM: &str = "binaryen@132";

pub fn all() -> Result {
    apt()?;
    wasm_target()?;
    let tools = [
        CargoTool {
            package: "wasm-bindgen-cli",
            version: util::locked_version("wasm-bindgen")?,
            // Its own lockfile pins a crate version the registry no longer has.
            locked: false,
        },
        CargoTool {
            package: "tauri-driver",
            version: "2.1.0".into(),
            locked: true,
        },
        // `cargo xtask test` checks the dependency tree's licences, bans and sources with it.
        CargoTool {
            package: "cargo-deny",
            version: CARGO_DENY_VERSION.into(),
            locked: true,
        },
    ];
    let installed = cargo_installed()?;
    for tool in &tools {
        let wanted = format!("{} v{}:", tool.package, tool.version);
        if installed.lines().any(|l| l.trim() == wanted) {
            eprintln!("ok  {} {}", tool.package, tool.version);
            continue;
        }
        let mut c = cmd(util::cargo());
        c.args([
            "install",
            tool.package,
            "--version",
            &tool.version,
            "--force",
        ]);
        if tool.locked {
            c.arg("--locked");
        }
        run(&mut c)?;
    }
    wasm_opt();
    python_tools()?;
    kubectl()?;
    eprintln!("setup complete");
    Ok(())
}

fn apt() -> Result {
    if std::env::var_os("AKASHONE_SKIP_APT").is_some() {
        eprintln!("--  Debian packages not checked (AKASHONE_SKIP_APT is set)");
        return Ok(());
    }
    if util::version_of("dpkg-query").is_none() {
        eprintln!(
            "--  not a Debian/Ubuntu system: install the equivalents of {} yourself",
            APT_PACKAGES.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .copied()
        .filter(|p| !apt_installed(p))
        .collect();
    if missing.is_empty() {
        eprintln!("ok  Debian packages ({})", APT_PACKAGES.len());
        return Ok(());
    }
    let install = format!(
        "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends {}",
        missing.join(" ")
    );
    let prefix = if is_root() {
        ""
    } else if Command::new("sudo")
        .args(["-n", "true"])
        .status()
        .is_ok_and(|s| s.success())
    {
        "sudo "
    } else {
        return Err(format!(
            "these Debian packages are missing: {}\nrun this as root, then run the task again:\n\n    sudo sh -c '{install}'\n",
            missing.join(" ")
        ));
    };
    let script = if prefix.is_empty() {
        install
    } else {
        format!("sudo sh -c '{install}'")
    };
    run(Command::new("sh").args(["-c", &script]))
}

fn apt_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn wasm_target() -> Result {
    let out = cmd("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup is needed to add the wasm32 target: {e}"))?;
    if String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        eprintln!("ok  wasm32-unknown-unknown target");
        return Ok(());
    }
    run(cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn cargo_installed() -> Result<String> {
    let out = cmd(util::cargo())
        .args(["install", "--list"])
        .output()
        .map_err(|e| format!("cargo install --list: {e}"))?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Optional: without wasm-opt the UI still builds, only larger.
fn wasm_opt() {
    let prefix = tools_dir().join("node");
    if prefix.join("node_modules/.bin/wasm-opt").exists() {
        eprintln!("ok  wasm-opt ({BINARYEN_NPM})");
        return;
    }
    if util::version_of("npm").is_none() {
        eprintln!("--  npm not found: the UI will be built without wasm-opt (a larger bundle)");
        return;
    }
    let result = run(cmd("npm").args([
        "install",
        "--prefix",
        &prefix.to_string_lossy(),
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        BINARYEN_NPM,
    ]));
    if let Err(e) = result {
        eprintln!("--  wasm-opt not installed ({e}): the UI will be built without it");
    }
}

fn python_tools() -> Result {
    let python = util::venv_python();
    let check = "import cs, pyotp, kubernetes";
    if cmd(&python)
        .args(["-c", check])
        .output()
        .is_ok_and(|o| o.status.success())
    {
        eprintln!("ok  Python test tools ({})", PYTHON_PACKAGES.join(", "));
        return Ok(());
    }
    let venv = tools_dir().join("pyenv");
    if !python.exists() {
        run(cmd("python3").args(["-m", "venv", &venv.to_string_lossy()]))?;
    }
    run(cmd(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(PYTHON_PACKAGES))
}

/// `tools_dir()/kubectl` from Debian's kubernetes-client: downloaded with `apt-get download`
/// and unpacked with `dpkg-deb -x` in a scratch folder (no system-wide install).
fn kubectl() -> Result {
    let target = tools_dir().join("kubectl");
    if target.exists() {
        eprintln!("ok  kubectl ({KUBECTL_DEB})");
        return Ok(());
    }
    if util::version_of("dpkg-deb").is_none() {
        eprintln!(
            "--  not a Debian/Ubuntu system: put a kubectl at {}",
            target.display()
        );
        return Ok(());
    }
    let scratch = tools_dir().join("kubectl-download");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let download = run(cmd("apt-get")
        .args(["download", KUBECTL_DEB])
        .current_dir(&scratch));
    if download.is_err() {
        // The package lists may be missing or stale.
        run(cmd("apt-get").arg("update"))?;
        run(cmd("apt-get")
            .args(["download", KUBECTL_DEB])
            .current_dir(&scratch))?;
    }
    let deb = std::fs::read_dir(&scratch)
        .map_err(|e| format!("{}: {e}", scratch.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "deb"))
        .ok_or_else(|| format!("apt-get download {KUBECTL_DEB} left no .deb"))?;
    let unpacked = scratch.join("root");
    run(cmd("dpkg-deb").arg("-x").arg(&deb).arg(&unpacked))?;
    std::fs::copy(unpacked.join("usr/bin/kubectl"), &target)
        .map_err(|e| format!("copying kubectl to {}: {e}", target.display()))?;
    let _ = std::fs::remove_dir_all(&scratch);
    eprintln!("ok  kubectl ({KUBECTL_DEB}) at {}", target.display());
    Ok(())
}
