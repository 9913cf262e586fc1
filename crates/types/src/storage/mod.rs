//! Storage: volumes, volume snapshots and their schedules, VM snapshots.
