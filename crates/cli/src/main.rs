//! The `akashone` binary: everything lives in the library so that it can be tested.

fn main() {
    std::process::exit(akashone_cli::run(std::env::args_os()));
}
