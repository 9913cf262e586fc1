//! `cargo xtask <task>`: the one entry point for setting up, building, running, testing and
//! benchmarking AkashOne Console. Each step says what it does; nothing is downloaded from
//! anywhere but the package registries.

mod setup;
mod tasks;
mod util;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task> [options]

tasks:
  setup           install what building, running and testing need (idempotent)
  ui [--release]  build the wasm UI into ui/dist
  build           build the UI and the desktop app (debug)
  run             setup, build, then start the desktop app
  test            setup, build, then run every test (incl. the real app under Xvfb),
                  formatting, lints and the dependency check (deny.toml)
  bench           setup, build, then run the benchmarks and print their figures

environment:
  CARGO_TARGET_DIR      where builds go (CI keeps it outside the clone)
  AKASHONE_TOOLS_DIR    where setup puts wasm-opt and the Python test tools
                        (default: ~/.cache/akashone)
  AKASHONE_SKIP_APT=1   do not check or install Debian packages
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(task) = args.first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let rest = &args[1..];
    let result = match task.as_str() {
        "setup" => setup::all(),
        "ui" => tasks::ui(rest.iter().any(|a| a == "--release")).map(|_| ()),
        "build" => tasks::build(),
        "run" => tasks::run_app(),
        "test" => tasks::test(rest),
        "bench" => tasks::bench(rest),
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => {
            eprintln!("unknown task {other:?}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask {task} failed: {e}");
            ExitCode::FAILURE
        }
    }
}
