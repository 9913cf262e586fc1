//! Rating: turning CloudStack usage records into priced invoice lines.
//!
//! A seller (the platform, or a reseller buying at the platform's price and selling at its own)
//! has a [`RateCard`]: a price per vCPU-hour, GB-RAM-hour, GB-storage-month, public-IP-hour and
//! snapshot GB-month, plus an optional discount. [`rate`] reads `listUsageRecords` answers
//! (CloudStack's usage types: running VMs, IP addresses, volumes, snapshots) and sums each
//! customer's quantities in exact thousandths, then prices them as [`LineDraft`]s with SAC
//! 998315 ("hosting and IT infrastructure provisioning services") at 18 % — ready for
//! [`akashone_gst::compute`]. Nothing here uses floating point.
//!
//! Quantities (thousandths, rounded half-up once per customer and meter, never per record):
//! - vCPU-hours: running hours × vCPUs (usage type 1);
//! - GB-RAM-hours: running hours × memory MiB ÷ 1024 (usage type 1);
//! - GB-storage-months: allocated hours × size bytes ÷ 2³⁰ ÷ 730 (usage type 6, volumes);
//! - snapshot GB-months: the same for snapshots (usage types 9, 25, 26);
//! - public-IP-hours: allocated hours (usage type 3), the source-NAT address included.
//!
//! CloudStack's usage service has no Kubernetes or database types: Kubernetes cluster-hours are
//! the running hours of each cluster's first control node ([`cluster_hours`]), database hours
//! come from the server's own records ([`ServiceHours`]).
#![deny(missing_docs)]

mod rate;

pub use rate::{
    CustomerKey, Meter, MeterTotals, RateCard, RatingError, ServiceHours, cluster_hours, lines_for,
    rate,
};
