//! Shared helpers: temporary caches, a simulator and client, synthetic VMs.

use akashone_cache::Cache;
use akashone_cache::cloudstack::vm;
use akashone_cache::sync::{Snapshot, store};
use akashone_cloudstack::model::VirtualMachine;
use akashone_cloudstack::{Client, ClientConfig, RetryPolicy};
use akashone_cloudstack_sim::{SimConfig, SimHandle, Simulator};
use serde_json::json;
use tempfile::TempDir;
use time::OffsetDateTime;
use time::macros::datetime;

pub const PROFILE: &str = "test-profile";

/// A fixed "now".
pub fn now() -> OffsetDateTime {
    datetime!(2026-03-01 10:00:00 UTC)
}

/// A fresh cache in a temporary folder (keep the folder alive).
pub fn cache() -> (TempDir, Cache) {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = Cache::open(dir.path(), PROFILE).expect("open cache");
    (dir, cache)
}

/// A simulator with `vms` VMs.
pub async fn sim(vms: usize) -> SimHandle {
    Simulator::start(SimConfig {
        vms,
        ..SimConfig::default()
    })
    .await
    .expect("simulator")
}

/// An admin client of the simulator that does not retry.
pub fn client(sim: &SimHandle) -> Client {
    let cfg =
        ClientConfig::new(sim.url(), sim.api_key(), sim.secret_key()).with_retry(RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        });
    Client::new(cfg).expect("client")
}

/// A small deterministic generator (xorshift).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// `n` synthetic VMs with mixed case, missing values and repeated sort keys.
pub fn synthetic_vms(n: usize, seed: u64) -> Vec<VirtualMachine> {
    let mut rng = Rng(seed | 1);
    let states = [
        "Running",
        "Stopped",
        "Starting",
        "Error",
        "Destroyed",
        "running",
    ];
    let zones = [("z1", "Mumbai-1"), ("z2", "chennai-2"), ("z3", "Delhi-3")];
    let templates = ["Ubuntu 24.04", "ubuntu 22.04", "Debian 12", "Rocky 9"];
    let offerings = [("small", 1, 1024), ("Medium", 2, 4096), ("large", 4, 8192)];
    (0..n)
        .map(|i| {
            let (zone_id, zone_name) = *rng.pick(&zones);
            let (off, cpu, mem) = *rng.pick(&offerings);
            let name = match rng.below(4) {
                0 => format!("Web-{:04}", rng.below(n as u64)),
                1 => format!("web-{:04}", rng.below(n as u64)),
                2 => format!("db-{i:05}"),
                _ => format!("Cache_{}", rng.below(50)),
            };
            let mut v = json!({
                "id": format!("{:08x}-vm-{i:06}", rng.next() as u32),
                "name": name,
                "displayname": format!("{name} box"),
                "state": rng.pick(&states),
                "zoneid": zone_id,
                "zonename": zone_name,
                "templateid": "t",
                "templatename": rng.pick(&templates),
                "serviceofferingid": off,
                "serviceofferingname": off,
                "cpunumber": cpu,
                "memory": mem,
                "created": format!("2025-{:02}-{:02}T{:02}:00:00+0530", rng.below(12) + 1, rng.below(28) + 1, rng.below(24)),
                "account": format!("Acct{}", rng.below(5)),
                "domain": if rng.below(2) == 0 { "ROOT" } else { "customers" },
                "nic": [{"ipaddress": format!("10.{}.{}.{}", rng.below(3), rng.below(256), rng.below(256)), "isdefault": true}],
            });
            // Some rows lack values that lists sort on.
            match rng.below(12) {
                0 => {
                    v["nic"] = json!([]);
                }
                1 => {
                    v.as_object_mut().map(|o| o.remove("memory"));
                }
                2 => {
                    v.as_object_mut().map(|o| o.remove("displayname"));
                }
                _ => {}
            }
            serde_json::from_value(v).expect("vm json")
        })
        .collect()
}

/// Stores `vms` as the whole VM list.
pub fn store_vms(cache: &Cache, vms: Vec<VirtualMachine>, now: OffsetDateTime) {
    let snapshot = Snapshot {
        vms: Some(Ok(vms.iter().map(|v| vm(v).expect("vm row")).collect())),
        ..Snapshot::default()
    };
    store(cache, &snapshot, now, None).expect("store");
}
