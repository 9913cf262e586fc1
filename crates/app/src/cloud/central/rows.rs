//! The central server's answers as the offline cache's rows, each kept with the server's own
//! document.

use crate::error::Result;
use akashone_cache::{ServiceOffering, Stored, Template, Vm, Zone, normalize_datetime};
use akashone_types::central::{OfferingOut, TemplateOut, VmOut, ZoneOut};

fn some(s: &str) -> Option<String> {
    Some(s.to_owned()).filter(|s| !s.is_empty())
}

fn stored<T: serde::Serialize, R>(item: &T, record: R) -> Result<Stored<R>> {
    Ok(Stored::new(record, serde_json::to_value(item)?))
}

/// A VM of the server.
pub(crate) fn vm(v: &VmOut) -> Result<Stored<Vm>> {
    let ip = some(&v.ip_address);
    let record = Vm {
        id: v.id.clone(),
        name: some(&v.name),
        display_name: some(&v.display_name),
        state: some(&v.state),
        zone_id: some(&v.zone_id),
        zone_name: some(&v.zone_name),
        template_id: some(&v.template_id),
        template_name: some(&v.template_name),
        offering_id: some(&v.service_offering_id),
        offering_name: some(&v.service_offering_name),
        cpu_number: Some(v.cpu_number),
        memory_mb: Some(v.memory_mb),
        primary_ip: ip.clone(),
        ip_addresses: ip,
        created: normalize_datetime(some(&v.created).as_deref()),
        account: None,
        domain: None,
    };
    stored(v, record)
}

/// A zone the tenant may deploy into (the server lists only enabled ones).
pub(crate) fn zone(z: &ZoneOut) -> Result<Stored<Zone>> {
    let record = Zone {
        id: z.id.clone(),
        name: some(&z.name),
        allocation_state: Some("Enabled".into()),
        ..Zone::default()
    };
    stored(z, record)
}

/// A template of a zone, ready and deployable by the tenant.
pub(crate) fn template(zone: &ZoneOut, t: &TemplateOut) -> Result<Stored<Template>> {
    let record = Template {
        id: t.id.clone(),
        zone_id: zone.id.clone(),
        zone_name: some(&zone.name),
        name: some(&t.name),
        display_text: some(&t.display_text),
        os_type: some(&t.os_type),
        is_ready: true,
        executable: true,
        ..Template::default()
    };
    stored(t, record)
}

/// A compute offering of the tenant.
pub(crate) fn offering(o: &OfferingOut) -> Result<Stored<ServiceOffering>> {
    let record = ServiceOffering {
        id: o.id.clone(),
        name: some(&o.name),
        display_text: some(&o.display_text),
        cpu_number: Some(o.cpu_number),
        memory_mb: Some(o.memory_mb),
        ..ServiceOffering::default()
    };
    stored(o, record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_vm_becomes_a_cache_row_without_empty_texts() {
        let out = VmOut {
            id: "vm-1".into(),
            tenant_id: "t-1".into(),
            name: "web-1".into(),
            display_name: String::new(),
            state: "Running".into(),
            zone_id: "z-1".into(),
            zone_name: "Mumbai".into(),
            template_id: "tpl".into(),
            template_name: "Ubuntu".into(),
            service_offering_id: "off".into(),
            service_offering_name: "Small".into(),
            cpu_number: 2,
            memory_mb: 4096,
            ip_address: "10.1.1.5".into(),
            created: "2024-10-04T14:54:38+0530".into(),
            synced_at: 0,
        };
        let row = vm(&out).expect("row");
        assert_eq!(row.record.id, "vm-1");
        assert_eq!(row.record.display_name, None);
        assert_eq!(row.record.primary_ip.as_deref(), Some("10.1.1.5"));
        assert_eq!(row.record.created.as_deref(), Some("2024-10-04T09:24:38Z"));
        assert_eq!(row.raw["tenantId"], "t-1");
    }
}
