//! The `akashone` command line.
