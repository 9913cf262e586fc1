//! Simulator configuration.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use time::OffsetDateTime;

use crate::error::SimError;

/// Which flavour of seeded data to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dataset {
    /// Generic data of any size: numbered names, accounts spread over a few domains.
    #[default]
    Generic,
    /// A small, pleasant dataset for the desktop app's demo mode.
    Demo,
}

/// How a simulator is seeded and how it behaves.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Seed of every generated value (ids, names, keys, states).
    pub seed: u64,
    /// Number of zones.
    pub zones: usize,
    /// Number of templates (each is available in every zone).
    pub templates: usize,
    /// Number of virtual machines generated at start.
    pub vms: usize,
    /// Number of domains besides ROOT.
    pub domains: usize,
    /// Number of user accounts besides the root admin's.
    pub accounts: usize,
    /// How long a deploy or start takes before the VM is Running; also the duration of stop,
    /// reboot and destroy jobs.
    pub start_delay: Duration,
    /// How long other asynchronous jobs (volumes, addresses, rules, clusters) take.
    pub job_delay: Duration,
    /// Added to every response.
    pub latency: Duration,
    /// Probability (0..=1) that a request is answered with a random 5xx (530 JSON, 502, 503).
    pub error_rate: f64,
    /// Probability (0..=1) that a connection is dropped before the response body is complete.
    pub drop_rate: f64,
    /// Listening address; `127.0.0.1:0` picks a free port.
    pub bind: SocketAddr,
    /// Maximum VMs holding capacity (Starting or Running) in each zone; `None` is unlimited.
    pub zone_capacity: Option<usize>,
    /// The server's `default.page.size`: the largest `pagesize` and the size of unpaged lists.
    pub max_page_size: usize,
    /// Reference time of the generated data (creation dates, usage); default today 00:00 UTC.
    pub anchor: Option<OffsetDateTime>,
    /// Generic or demo data.
    pub dataset: Dataset,
    /// The global `enforce.post.requests.and.timestamps`: require signature version 3, an
    /// `expires` at most 15 minutes ahead and POST for state-changing commands.
    pub enforce_post_and_timestamps: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 1,
            zones: 3,
            templates: 8,
            vms: 20,
            domains: 3,
            accounts: 6,
            start_delay: Duration::ZERO,
            job_delay: Duration::ZERO,
            latency: Duration::ZERO,
            error_rate: 0.0,
            drop_rate: 0.0,
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            zone_capacity: None,
            max_page_size: 500,
            anchor: None,
            dataset: Dataset::Generic,
            enforce_post_and_timestamps: false,
        }
    }
}

impl SimConfig {
    /// The demo dataset: zones named after Indian regions, familiar templates, a few domains and
    /// accounts, about 25 VMs in mixed states and a running Kubernetes cluster (one control node,
    /// three workers). Deploys take 3 seconds.
    pub fn demo() -> Self {
        SimConfig {
            seed: 2024,
            zones: 3,
            templates: 6,
            vms: 25,
            domains: 3,
            accounts: 4,
            start_delay: Duration::from_secs(3),
            job_delay: Duration::from_millis(800),
            dataset: Dataset::Demo,
            ..SimConfig::default()
        }
    }

    pub(crate) fn validate(&self) -> Result<(), SimError> {
        for (name, rate) in [
            ("error_rate", self.error_rate),
            ("drop_rate", self.drop_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(SimError::Config(format!("{name} must be within 0..=1")));
            }
        }
        if self.zones == 0 {
            return Err(SimError::Config("at least one zone is needed".into()));
        }
        if self.templates == 0 {
            return Err(SimError::Config("at least one template is needed".into()));
        }
        if self.max_page_size == 0 {
            return Err(SimError::Config("max_page_size must be positive".into()));
        }
        Ok(())
    }
}
