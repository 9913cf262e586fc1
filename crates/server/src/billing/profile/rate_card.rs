//! Rate-card versions: validated prices from a month's first day, and shown back.

use akashone_billing::RateCard;
use akashone_gst::{Percent, UnitPrice};
use akashone_types::central::{RateCardIn, RateCardOut};
use time::Date;

use super::invalid;
use crate::billing::parse_date;
use crate::db::RateCardRecord;
use crate::error::Result;

fn price(field: &str, v: &str) -> Result<UnitPrice> {
    UnitPrice::parse_rupees(v).map_err(|e| invalid(field, e))
}

/// Validates a rate-card version: its first day (a month's first) and prices.
pub(crate) fn rate_card_in(req: &RateCardIn) -> Result<(Date, RateCard)> {
    let from = parse_date("effectiveFrom", &req.effective_from)?;
    if from.day() != 1 {
        return Err(invalid(
            "effectiveFrom",
            format!("{from} is not the first day of a month; prices change from a month's start."),
        ));
    }
    let discount = req
        .discount_percent
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| Percent::parse(d).map_err(|e| invalid("discountPercent", e)))
        .transpose()?
        .filter(|d| d.basis_points() > 0);
    if discount.is_some_and(|d| d.basis_points() >= 10_000) {
        return Err(invalid("discountPercent", "must be below 100."));
    }
    Ok((
        from,
        RateCard {
            vcpu_hour: price("vcpuHour", &req.vcpu_hour)?,
            gb_ram_hour: price("gbRamHour", &req.gb_ram_hour)?,
            gb_storage_month: price("gbStorageMonth", &req.gb_storage_month)?,
            public_ip_hour: price("publicIpHour", &req.public_ip_hour)?,
            snapshot_gb_month: price("snapshotGbMonth", &req.snapshot_gb_month)?,
            kubernetes_cluster_hour: price("kubernetesClusterHour", &req.kubernetes_cluster_hour)?,
            database_instance_hour: price("databaseInstanceHour", &req.database_instance_hour)?,
            discount,
        },
    ))
}

/// A stored rate-card version as the API shows it.
pub(crate) fn rate_card_out(r: &RateCardRecord) -> RateCardOut {
    let c = &r.card;
    RateCardOut {
        seller_tenant_id: r.seller_tenant_id.clone(),
        effective_from: r.effective_from.clone(),
        vcpu_hour: c.vcpu_hour.to_rupee_string(),
        gb_ram_hour: c.gb_ram_hour.to_rupee_string(),
        gb_storage_month: c.gb_storage_month.to_rupee_string(),
        public_ip_hour: c.public_ip_hour.to_rupee_string(),
        snapshot_gb_month: c.snapshot_gb_month.to_rupee_string(),
        kubernetes_cluster_hour: c.kubernetes_cluster_hour.to_rupee_string(),
        database_instance_hour: c.database_instance_hour.to_rupee_string(),
        discount_percent: c.discount.map(|d| d.to_decimal_string()),
        created_at: r.created_at,
        created_by: r.created_by.clone(),
    }
}
