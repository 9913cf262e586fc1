//! Meters, rate cards and the rating itself.

use akashone_cloudstack::model::UsageRecord;
use akashone_gst::{Discount, GstRate, HsnSac, LineDraft, Percent, Quantity, UnitPrice};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The SAC of everything rated here: hosting and IT infrastructure provisioning services.
pub const SAC_IAAS: &str = "998315";

/// Hours in a billing month (365 × 24 ÷ 12), the usual divisor for per-month prices.
const HOURS_PER_MONTH: i128 = 730;
const GIB: i128 = 1 << 30;
/// Raw usage is read in millionths of an hour.
const MICRO: i128 = 1_000_000;

/// Why usage could not be rated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatingError {
    /// A usage record lacks a field the meter needs, or has one that is not valid.
    #[error("usage record {index} ({usage_type}): {field} {problem}")]
    BadRecord {
        /// Position in the input.
        index: usize,
        /// CloudStack usage type.
        usage_type: i64,
        /// The field.
        field: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// A quantity or amount outside what an invoice can hold.
    #[error("the {0} quantity is too large to invoice")]
    Overflow(Meter),
    /// The GST library refused a line (a price or quantity out of range).
    #[error("{0}")]
    Gst(String),
}

/// What is sold, and the unit it is sold in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Meter {
    /// vCPU-hours of running VMs.
    VcpuHours,
    /// GB-hours of memory of running VMs.
    RamGbHours,
    /// GB-months of volumes.
    StorageGbMonths,
    /// Hours of public IP addresses.
    PublicIpHours,
    /// GB-months of snapshots.
    SnapshotGbMonths,
    /// Hours of Kubernetes clusters (the control plane fee; nodes are VMs).
    KubernetesClusterHours,
    /// Hours of managed database instances.
    DatabaseInstanceHours,
}

impl Meter {
    /// Every meter, in invoice order.
    pub const ALL: [Meter; 7] = [
        Meter::VcpuHours,
        Meter::RamGbHours,
        Meter::StorageGbMonths,
        Meter::SnapshotGbMonths,
        Meter::PublicIpHours,
        Meter::KubernetesClusterHours,
        Meter::DatabaseInstanceHours,
    ];

    /// The unit printed on the invoice.
    pub fn unit(self) -> &'static str {
        match self {
            Meter::VcpuHours => "vCPU-hr",
            Meter::RamGbHours => "GB-hr",
            Meter::StorageGbMonths | Meter::SnapshotGbMonths => "GB-mo",
            Meter::PublicIpHours | Meter::KubernetesClusterHours | Meter::DatabaseInstanceHours => {
                "hr"
            }
        }
    }

    /// The line's description.
    pub fn description(self) -> &'static str {
        match self {
            Meter::VcpuHours => "Cloud compute: vCPU usage",
            Meter::RamGbHours => "Cloud compute: memory usage",
            Meter::StorageGbMonths => "Block storage (volumes)",
            Meter::SnapshotGbMonths => "Snapshot storage",
            Meter::PublicIpHours => "Public IPv4 addresses",
            Meter::KubernetesClusterHours => "Managed Kubernetes clusters",
            Meter::DatabaseInstanceHours => "Managed database instances",
        }
    }

    /// The quantity in thousandths of the unit is the summed numerator divided by this.
    fn denominator(self) -> i128 {
        match self {
            // hours (µh) × vCPUs → thousandths: ÷ 1000
            Meter::VcpuHours | Meter::PublicIpHours => MICRO / 1000,
            // µh × MiB ÷ 1024 → GB-hours
            Meter::RamGbHours => MICRO / 1000 * 1024,
            // µh × bytes ÷ 2^30 ÷ 730 → GB-months
            Meter::StorageGbMonths | Meter::SnapshotGbMonths => {
                MICRO / 1000 * GIB * HOURS_PER_MONTH
            }
            Meter::KubernetesClusterHours | Meter::DatabaseInstanceHours => MICRO / 1000,
        }
    }
}

impl std::fmt::Display for Meter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.description())
    }
}

/// A seller's prices (thousandths of a rupee per unit, so ₹0.417/hour is exact).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateCard {
    /// Per vCPU-hour.
    pub vcpu_hour: UnitPrice,
    /// Per GB of memory per hour.
    pub gb_ram_hour: UnitPrice,
    /// Per GB of volume storage per month.
    pub gb_storage_month: UnitPrice,
    /// Per public IP address per hour.
    pub public_ip_hour: UnitPrice,
    /// Per GB of snapshots per month.
    pub snapshot_gb_month: UnitPrice,
    /// Per Kubernetes cluster per hour.
    pub kubernetes_cluster_hour: UnitPrice,
    /// Per managed database instance per hour.
    pub database_instance_hour: UnitPrice,
    /// A discount on every line, if any.
    #[serde(default)]
    pub discount: Option<Percent>,
}

impl RateCard {
    /// The price of one unit of `meter`.
    pub fn price(&self, meter: Meter) -> UnitPrice {
        match meter {
            Meter::VcpuHours => self.vcpu_hour,
            Meter::RamGbHours => self.gb_ram_hour,
            Meter::StorageGbMonths => self.gb_storage_month,
            Meter::PublicIpHours => self.public_ip_hour,
            Meter::SnapshotGbMonths => self.snapshot_gb_month,
            Meter::KubernetesClusterHours => self.kubernetes_cluster_hour,
            Meter::DatabaseInstanceHours => self.database_instance_hour,
        }
    }
}

/// Whose usage: a CloudStack account in a domain (a tenant maps onto them).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CustomerKey {
    /// The domain id.
    pub domain_id: String,
    /// The account name.
    pub account: String,
}

/// One customer's metered quantities for a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeterTotals {
    /// Exact numerators (see [`Meter`]'s denominators); rounded only when read.
    exact: BTreeMap<Meter, i128>,
    /// Usage records that contributed.
    pub records: u64,
}

impl MeterTotals {
    /// The quantity of `meter` in thousandths of its unit, rounded half-up once.
    pub fn milli(&self, meter: Meter) -> Result<i64, RatingError> {
        let n = self.exact.get(&meter).copied().unwrap_or(0);
        let d = meter.denominator();
        i64::try_from((n + d / 2) / d).map_err(|_| RatingError::Overflow(meter))
    }

    /// The quantity of `meter` for an invoice line, or `None` when there was no usage.
    pub fn quantity(&self, meter: Meter) -> Result<Option<Quantity>, RatingError> {
        match self.milli(meter)? {
            0 => Ok(None),
            m => Quantity::from_milli(m)
                .map(Some)
                .map_err(|_| RatingError::Overflow(meter)),
        }
    }

    /// Adds `other`'s usage to this one, still unrounded: a customer billed for several
    /// accounts (its whole subtree) is rounded once per meter, like a single account.
    pub fn absorb(&mut self, other: &MeterTotals) -> Result<(), RatingError> {
        for (&meter, &amount) in &other.exact {
            self.add(meter, amount)?;
        }
        self.records += other.records;
        Ok(())
    }

    fn add(&mut self, meter: Meter, amount: i128) -> Result<(), RatingError> {
        let slot = self.exact.entry(meter).or_insert(0);
        *slot = slot
            .checked_add(amount)
            .ok_or(RatingError::Overflow(meter))?;
        Ok(())
    }
}

/// Hours of a service CloudStack does not meter (Kubernetes clusters, databases), from the
/// server's own records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceHours {
    /// Whose.
    pub customer: CustomerKey,
    /// [`Meter::KubernetesClusterHours`] or [`Meter::DatabaseInstanceHours`].
    pub meter: Meter,
    /// Hours, in thousandths.
    pub hours_milli: i64,
}

/// Kubernetes cluster-hours from CloudStack's running-VM usage (type 1): a cluster runs while
/// its first control node runs, so the hours of the one VM per cluster in `first_control_nodes`
/// are its cluster-hours, per customer. Its nodes stay priced as VMs (vCPU and RAM hours); only
/// this control-plane fee is added, once per cluster whatever its control nodes.
pub fn cluster_hours(
    records: &[UsageRecord],
    first_control_nodes: &std::collections::HashSet<String>,
) -> Vec<ServiceHours> {
    let mut micro: BTreeMap<CustomerKey, i128> = BTreeMap::new();
    for r in records {
        let vm = r.virtualmachineid.as_deref().or(r.usageid.as_deref());
        if r.usagetype != Some(1) || !vm.is_some_and(|v| first_control_nodes.contains(v)) {
            continue;
        }
        let (Some(hours), Some(domain_id), Some(account)) = (
            r.rawusage.as_deref().and_then(micro_hours),
            r.domainid.clone().filter(|d| !d.is_empty()),
            r.account.clone().filter(|a| !a.is_empty()),
        ) else {
            // `rate` refuses such a record for its VM hours, so the run fails anyway.
            continue;
        };
        *micro.entry(CustomerKey { domain_id, account }).or_default() += hours;
    }
    micro
        .into_iter()
        .map(|(customer, m)| ServiceHours {
            customer,
            meter: Meter::KubernetesClusterHours,
            // Millionths to thousandths, half up.
            hours_milli: ((m + 500) / 1000) as i64,
        })
        .collect()
}

/// Parses CloudStack's `rawusage` (a decimal string of hours, e.g. `"23.999722"`) into
/// millionths of an hour, rounding half-up after the sixth decimal.
fn micro_hours(raw: &str) -> Option<i128> {
    let raw = raw.trim();
    let (int, frac) = raw.split_once('.').unwrap_or((raw, ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || int.len() > 12
    {
        return None;
    }
    let whole: i128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut micro: i128 = 0;
    for (i, b) in frac.bytes().take(6).enumerate() {
        micro += i128::from(b - b'0') * 10i128.pow(5 - i as u32);
    }
    if frac.len() > 6 && frac.as_bytes()[6] >= b'5' {
        micro += 1;
    }
    Some(whole * MICRO + micro)
}

/// Sums every customer's metered usage from `listUsageRecords` answers. Usage types that are not
/// sold (allocated-but-stopped VMs, network bytes, templates, ISOs...) are skipped; a record of a
/// sold type that lacks what its meter needs is refused, never guessed.
pub fn rate(
    records: &[UsageRecord],
    services: &[ServiceHours],
) -> Result<BTreeMap<CustomerKey, MeterTotals>, RatingError> {
    let mut out: BTreeMap<CustomerKey, MeterTotals> = BTreeMap::new();
    for (index, r) in records.iter().enumerate() {
        let usage_type = r.usagetype.unwrap_or(0);
        if !matches!(usage_type, 1 | 3 | 6 | 9 | 25 | 26) {
            continue;
        }
        let bad = |field: &'static str, problem: &str| RatingError::BadRecord {
            index,
            usage_type,
            field,
            problem: problem.to_owned(),
        };
        let hours = r
            .rawusage
            .as_deref()
            .and_then(micro_hours)
            .ok_or_else(|| bad("rawusage", "is missing or not a number of hours"))?;
        let key = CustomerKey {
            domain_id: r
                .domainid
                .clone()
                .filter(|d| !d.is_empty())
                .ok_or_else(|| bad("domainid", "is missing"))?,
            account: r
                .account
                .clone()
                .filter(|a| !a.is_empty())
                .ok_or_else(|| bad("account", "is missing"))?,
        };
        let totals = out.entry(key).or_default();
        totals.records += 1;
        let positive = |v: Option<i64>, field: &'static str| {
            v.filter(|n| *n > 0)
                .map(i128::from)
                .ok_or_else(|| bad(field, "is missing or not positive"))
        };
        match usage_type {
            1 => {
                let cpus = positive(r.cpunumber, "cpunumber")?;
                let mem = positive(r.memory, "memory")?;
                totals.add(Meter::VcpuHours, hours * cpus)?;
                totals.add(Meter::RamGbHours, hours * mem)?;
            }
            3 => totals.add(Meter::PublicIpHours, hours)?,
            6 => {
                let size = positive(r.size, "size")?;
                totals.add(Meter::StorageGbMonths, hours * size)?;
            }
            _ => {
                let size = positive(r.size.or(r.virtualsize), "size")?;
                totals.add(Meter::SnapshotGbMonths, hours * size)?;
            }
        }
    }
    for s in services {
        if !matches!(
            s.meter,
            Meter::KubernetesClusterHours | Meter::DatabaseInstanceHours
        ) || s.hours_milli < 0
        {
            return Err(RatingError::Gst(format!(
                "service hours must be Kubernetes or database hours, not negative: {:?}",
                s
            )));
        }
        out.entry(s.customer.clone())
            .or_default()
            .add(s.meter, i128::from(s.hours_milli) * 1000)?;
    }
    Ok(out)
}

/// The invoice lines for one customer's totals: one per meter with usage, priced from `card`,
/// SAC 998315 at the standard 18 %, described with `period` (e.g. "1–30 Nov 2025").
pub fn lines_for(
    totals: &MeterTotals,
    card: &RateCard,
    period: &str,
) -> Result<Vec<LineDraft>, RatingError> {
    let sac = HsnSac::parse(SAC_IAAS).map_err(|e| RatingError::Gst(e.to_string()))?;
    let mut lines = Vec::new();
    for meter in Meter::ALL {
        let Some(q) = totals.quantity(meter)? else {
            continue;
        };
        lines.push(LineDraft {
            description: format!("{} — {period}", meter.description()),
            sac: sac.clone(),
            quantity: Some(q),
            quantity_milli: None,
            unit: Some(meter.unit().to_owned()),
            unit_price: Some(card.price(meter)),
            unit_price_paise: None,
            discount: card.discount.map(Discount::Percent),
            gst_rate: GstRate::STANDARD,
        });
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::micro_hours;

    #[test]
    fn raw_usage_is_read_exactly() {
        assert_eq!(micro_hours("24"), Some(24_000_000));
        assert_eq!(micro_hours("23.999722"), Some(23_999_722));
        assert_eq!(micro_hours("0.5"), Some(500_000));
        assert_eq!(micro_hours(".25"), Some(250_000));
        assert_eq!(micro_hours("1.0000005"), Some(1_000_001));
        assert_eq!(micro_hours("1.0000004"), Some(1_000_000));
        for bad in ["", ".", "-1", "1e3", "abc", "1.2.3", " "] {
            assert_eq!(micro_hours(bad), None, "{bad:?}");
        }
    }
}
