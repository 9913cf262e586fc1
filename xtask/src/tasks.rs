//! Building the UI and the app, running, testing and benchmarking.

use crate::setup;
use crate::util::{self, Result, cmd, root, run};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const UI_CRATE: &str = "akashone-ui";
const APP_CRATE: &str = "akashone-console";
const APP_BIN: &str = "akashone-console";

/// Builds the Yew UI to wasm and assembles `ui/dist` (what the app embeds). Returns the folder.
///
/// Our own four steps instead of Trunk: cargo → wasm-bindgen → wasm-opt (when installed) → copy
/// the page, styles, fonts and logo. Same result, and no 14-minute Trunk install on a new machine.
pub fn ui(release: bool) -> Result<PathBuf> {
    let target = util::target_dir()?;
    let mut build = cmd(util::cargo());
    build.args([
        "build",
        "-p",
        UI_CRATE,
        "--target",
        "wasm32-unknown-unknown",
    ]);
    // `wasm-release` (Cargo.toml): release with whole-program LTO, about an eighth smaller.
    let profile = if release { "wasm-release" } else { "debug" };
    if release {
        build.args(["--profile", profile]);
    }
    run(&mut build)?;
    let wasm = target.join(format!("wasm32-unknown-unknown/{profile}/{UI_CRATE}.wasm"));

    let dist = root().join("ui/dist");
    let staging = target.join("ui-dist");
    reset_dir(&staging)?;
    run(cmd("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            UI_CRATE,
            "--out-dir",
        ])
        .arg(&staging)
        .arg(&wasm))
    .map_err(|e| format!("{e}\n(is wasm-bindgen installed? run `cargo xtask setup`)"))?;

    let bg = staging.join(format!("{UI_CRATE}_bg.wasm"));
    if release {
        if util::version_of("wasm-opt").is_some() {
            run(cmd("wasm-opt")
                .args([
                    "-Oz",
                    "--enable-bulk-memory",
                    "--enable-sign-ext",
                    "--enable-nontrapping-float-to-int",
                    "--enable-mutable-globals",
                    "--enable-reference-types",
                    "--enable-multivalue",
                    "-o",
                ])
                .arg(&bg)
                .arg(&bg))?;
        } else {
            eprintln!("--  wasm-opt not found: skipping size optimisation");
        }
    }

    reset_dir(&dist)?;
    let ui = root().join("ui");
    for file in ["index.html", "boot.js", "styles.css"] {
        copy(&ui.join(file), &dist.join(file))?;
    }
    for entry in read_dir(&staging)? {
        copy(&entry, &dist.join(entry.file_name().unwrap_or_default()))?;
    }
    let fonts = root().join("assets/fonts");
    for entry in read_dir(&fonts)? {
        copy(
            &entry,
            &dist
                .join("fonts")
                .join(entry.file_name().unwrap_or_default()),
        )?;
    }
    copy(
        &root().join("assets/logo/akashone-mark.svg"),
        &dist.join("assets/akashone-mark.svg"),
    )?;
    let size = fs::metadata(&bg).map(|m| m.len()).unwrap_or(0);
    eprintln!("ui built into {} (wasm {} KB)", dist.display(), size / 1024);
    Ok(dist)
}

/// The UI, then the desktop app (debug).
pub fn build() -> Result {
    ui(true)?;
    // The app, and the simulator the end-to-end tests start and stop as a separate process.
    run(cmd(util::cargo()).args([
        "build",
        "-p",
        APP_CRATE,
        "-p",
        "akashone-cloudstack-sim",
        "--bin",
        APP_BIN,
        "--bin",
        "akashone-cloudstack-sim",
    ]))
}

fn app_binary(profile: &str) -> Result<PathBuf> {
    Ok(util::target_dir()?.join(profile).join(APP_BIN))
}

pub fn run_app() -> Result {
    setup::all()?;
    build()?;
    let bin = app_binary("debug")?;
    let mut app = Command::new(&bin);
    app.env("PATH", util::tool_path());
    let _display = if has_display() {
        None
    } else {
        let (xvfb, display) = start_xvfb()?;
        eprintln!(
            "no display found (DISPLAY is unset): the app runs on the virtual display {display}.\n\
             Take a screenshot with: DISPLAY={display} import -window root shot.png"
        );
        app.env("DISPLAY", &display);
        Some(KillOnDrop(xvfb))
    };
    eprintln!("starting {}", bin.display());
    run(&mut app)
}

pub fn test(args: &[String]) -> Result {
    let lint = !args.iter().any(|a| a == "--no-lint");
    setup::all()?;
    if lint {
        deny()?;
    }
    build()?;
    if lint {
        run(cmd(util::cargo()).args(["fmt", "--all", "--", "--check"]))?;
        run(cmd(util::cargo()).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))?;
    }
    let mut test = cmd(util::cargo());
    test.args(["test", "--workspace", "--no-fail-fast"])
        .env("AKASHONE_PYTHON", util::venv_python())
        .env("AKASHONE_APP_BIN", app_binary("debug")?)
        .env(
            "AKASHONE_SIM_BIN",
            util::target_dir()?.join("debug/akashone-cloudstack-sim"),
        );
    run(&mut test)?;
    eprintln!(
        "all tests passed; screenshots of every page are in {}",
        util::target_dir()?.join("e2e").display()
    );
    Ok(())
}

/// The dependency tree against `deny.toml`: licences, bans and sources, in a few seconds.
///
/// Advisories are not checked: their database cannot be fetched on the project's machines, so
/// cargo-deny runs offline. `cargo fetch` first brings in the manifests of every platform's
/// dependencies (a Linux build alone does not download the Windows and macOS ones), which
/// cargo-deny reads. Only errors are printed; `cargo deny --offline check` by hand also lists
/// the crates present in two versions.
fn deny() -> Result {
    run(cmd(util::cargo()).args(["fetch", "--quiet"]))?;
    run(cmd(util::cargo()).args([
        "deny",
        "--offline",
        "--log-level",
        "error",
        "check",
        "--hide-inclusion-graph",
        "licenses",
        "bans",
        "sources",
    ]))
    .map_err(|e| format!("{e}\n(is cargo-deny installed? run `cargo xtask setup`)"))
}

pub fn bench(args: &[String]) -> Result {
    setup::all()?;
    build()?;
    // The app is measured as users get it: optimised.
    run(cmd(util::cargo()).args(["build", "--release", "-p", APP_CRATE, "--bin", APP_BIN]))?;
    let mut bench = cmd(util::cargo());
    bench.arg("bench");
    // `--workspace` would override a `-p` given on the command line.
    if !args.iter().any(|a| a == "-p" || a.starts_with("--package")) {
        bench.arg("--workspace");
    }
    bench
        .args(args)
        .env("AKASHONE_PYTHON", util::venv_python())
        .env("AKASHONE_APP_BIN", app_binary("release")?)
        .env("AKASHONE_UI_DIST", root().join("ui/dist"));
    run(&mut bench)
}

fn has_display() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()))
}

/// Starts Xvfb on the first free display number from :90.
fn start_xvfb() -> Result<(Child, String)> {
    for n in 90..140 {
        if Path::new(&format!("/tmp/.X{n}-lock")).exists() {
            continue;
        }
        let display = format!(":{n}");
        let child = Command::new("Xvfb")
            .args([&display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start Xvfb (run `cargo xtask setup`): {e}"))?;
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        for _ in 0..100 {
            if socket.exists() {
                return Ok((child, display));
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        return Err(format!("Xvfb did not open display {display} within 5 s"));
    }
    Err("no free X display number between :90 and :139".into())
}

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn reset_dir(dir: &Path) -> Result {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

fn read_dir(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

fn copy(from: &Path, to: &Path) -> Result {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}
