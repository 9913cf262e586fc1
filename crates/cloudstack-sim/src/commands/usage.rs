//! listEvents and listUsageRecords (daily records computed from resource lifetimes).

use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use super::Ctx;
use crate::error::ApiError;
use crate::state::State;
use crate::util::{keyword_match, list_body, page_of, paging, parse_date, ts};

/// listEvents, newest first.
pub(crate) fn list_events(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let scope = s.list_scope(&cx.caller, p)?;
    let kind = p.get("type");
    let level = p.get("level");
    let id = p.get("id");
    let keyword = p.get("keyword");
    let resource = p.get("resourceid");
    let date = |name: &str| -> Result<Option<OffsetDateTime>, ApiError> {
        match p.get(name) {
            None => Ok(None),
            Some(v) => parse_date(v)
                .map(Some)
                .ok_or_else(|| ApiError::invalid_value(&p.command_lc, name, v)),
        }
    };
    let start = date("startdate")?;
    let end = date("enddate")?.map(|e| e + Duration::days(1));
    let matching: Vec<usize> = (0..s.events.len())
        .rev()
        .filter(|&i| {
            let e = &s.events[i];
            scope.allows(e.account)
                && id.is_none_or(|x| e.id == x)
                && kind.is_none_or(|k| e.kind.eq_ignore_ascii_case(k))
                && level.is_none_or(|l| e.level.eq_ignore_ascii_case(l))
                && resource.is_none_or(|r| e.resource.as_ref().is_some_and(|x| x.1 == r))
                && start.is_none_or(|t| e.created >= t)
                && end.is_none_or(|t| e.created < t)
                && keyword_match(keyword, &[&e.description, &e.kind])
        })
        .collect();
    page_of(p, s.knobs.max_page_size, "event", &matching, |&i| {
        let e = &s.events[i];
        let account = &s.accounts[e.account];
        let domain = &s.domains[account.domain];
        let mut v = json!({
            "id": e.id,
            "username": s.users[e.user].username,
            "type": e.kind,
            "level": e.level,
            "description": e.description,
            "account": account.name,
            "domainid": domain.id,
            "domain": domain.name,
            "domainpath": domain.path,
            "created": ts(e.created),
            "state": e.state,
            "archived": false,
        });
        if let (Some((kind, rid, rname)), Some(o)) = (&e.resource, v.as_object_mut()) {
            o.insert("resourcetype".into(), json!(kind));
            o.insert("resourceid".into(), json!(rid));
            o.insert("resourcename".into(), json!(rname));
        }
        v
    })
}

/// Hours of `[from, to)` within `[a, b)`.
fn overlap_hours(
    from: OffsetDateTime,
    to: OffsetDateTime,
    a: OffsetDateTime,
    b: OffsetDateTime,
) -> f64 {
    let start = from.max(a);
    let end = to.min(b);
    if end <= start {
        0.0
    } else {
        (end - start).as_seconds_f64() / 3600.0
    }
}

/// The usage date format (CloudStack quotes the T literally).
fn usage_date(t: OffsetDateTime) -> String {
    let f =
        time::macros::format_description!("[year]-[month]-[day]'T'[hour]:[minute]:[second]+00:00");
    t.format(&f).unwrap_or_default()
}

fn number(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// One usage record before rendering.
struct Rec {
    kind: u8,
    entity: usize,
    day: OffsetDateTime,
    amount: f64,
}

/// listUsageRecords: one record per resource, usage type and day with usage.
pub(crate) fn list_usage(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let parse = |name: &str| -> Result<OffsetDateTime, ApiError> {
        let v = p.required(name)?;
        parse_date(v).ok_or_else(|| ApiError::invalid_value(&p.command_lc, name, v))
    };
    let start = parse("startdate")?;
    let end = parse("enddate")?;
    if end < start {
        return Err(ApiError::invalid(
            "Incorrect Date Range. Start date: ".to_string()
                + &ts(start)
                + " is after end date:"
                + &ts(end),
        ));
    }
    let scope =
        if p.get("domainid").is_some() || p.get("account").is_some() || !cx.caller.is_admin() {
            s.list_scope(&cx.caller, p)?
        } else {
            let mut all = p.clone();
            all.add_encoded("listall=true", true);
            s.list_scope(&cx.caller, &all)?
        };
    let kind = p.int("type")?;
    let account_id = p.get("accountid");
    let usage_id = p.get("usageid");
    let now = OffsetDateTime::now_utc();
    let first_day = start.date().midnight().assume_utc();
    let days = ((end.date() - start.date()).whole_days() + 1).max(1);
    let (offset, limit) = paging(p, s.knobs.max_page_size)?;
    let mut total = 0usize;
    let mut page = Vec::new();
    let mut emit = |r: Rec, total: &mut usize| {
        if *total >= offset && page.len() < limit {
            page.push(r);
        }
        *total += 1;
    };
    let wanted = |k: u8| kind.is_none_or(|t| t == k as i64);
    let owner_ok = |a: usize| scope.allows(a) && account_id.is_none_or(|x| s.accounts[a].id == x);
    for (i, vm) in s.vms.iter().enumerate() {
        if !owner_ok(vm.account) || usage_id.is_some_and(|u| u != vm.id) {
            continue;
        }
        let gone = vm.destroyed_at.unwrap_or(now).min(now);
        for d in 0..days {
            let a = first_day + Duration::days(d);
            let b = a + Duration::days(1);
            if wanted(1) {
                let h: f64 = vm
                    .running
                    .iter()
                    .map(|(x, y)| overlap_hours(*x, y.unwrap_or(now).min(now), a, b))
                    .sum();
                if h > 0.0 {
                    emit(
                        Rec {
                            kind: 1,
                            entity: i,
                            day: a,
                            amount: h,
                        },
                        &mut total,
                    );
                }
            }
            if wanted(2) {
                let h = overlap_hours(vm.created, gone, a, b);
                if h > 0.0 {
                    emit(
                        Rec {
                            kind: 2,
                            entity: i,
                            day: a,
                            amount: h,
                        },
                        &mut total,
                    );
                }
            }
        }
    }
    if wanted(6) {
        for (i, v) in s.volumes.iter().enumerate() {
            if !owner_ok(v.account) || usage_id.is_some_and(|u| u != v.id) {
                continue;
            }
            let vm_gone = v.vm.and_then(|m| s.vms[m].destroyed_at).filter(|_| v.root);
            let gone = v.removed_at.or(vm_gone).unwrap_or(now).min(now);
            for d in 0..days {
                let a = first_day + Duration::days(d);
                let h = overlap_hours(v.created, gone, a, a + Duration::days(1));
                if h > 0.0 {
                    emit(
                        Rec {
                            kind: 6,
                            entity: i,
                            day: a,
                            amount: h,
                        },
                        &mut total,
                    );
                }
            }
        }
    }
    if wanted(3) {
        for (i, ip) in s.ips.iter().enumerate() {
            if !owner_ok(ip.account) || usage_id.is_some_and(|u| u != ip.id) {
                continue;
            }
            let gone = ip.released.unwrap_or(now).min(now);
            for d in 0..days {
                let a = first_day + Duration::days(d);
                let h = overlap_hours(ip.allocated, gone, a, a + Duration::days(1));
                if h > 0.0 {
                    emit(
                        Rec {
                            kind: 3,
                            entity: i,
                            day: a,
                            amount: h,
                        },
                        &mut total,
                    );
                }
            }
        }
    }
    if wanted(9) {
        for (i, sn) in s.snapshots.iter().enumerate() {
            if (sn.removed && sn.removed_at.is_none())
                || !owner_ok(sn.account)
                || usage_id.is_some_and(|u| u != sn.id)
            {
                continue;
            }
            let gone = sn.removed_at.unwrap_or(now).min(now);
            for d in 0..days {
                let a = first_day + Duration::days(d);
                let h = overlap_hours(sn.created, gone, a, a + Duration::days(1));
                if h > 0.0 {
                    emit(
                        Rec {
                            kind: 9,
                            entity: i,
                            day: a,
                            amount: h,
                        },
                        &mut total,
                    );
                }
            }
        }
    }
    if wanted(25) {
        for (i, sn) in s.vm_snapshots.iter().enumerate() {
            if !owner_ok(sn.account) || usage_id.is_some_and(|u| u != sn.id) {
                continue;
            }
            let gone = sn.removed_at.unwrap_or(now).min(now);
            for d in 0..days {
                let a = first_day + Duration::days(d);
                let h = overlap_hours(sn.created, gone, a, a + Duration::days(1));
                if h > 0.0 {
                    emit(
                        Rec {
                            kind: 25,
                            entity: i,
                            day: a,
                            amount: h,
                        },
                        &mut total,
                    );
                }
            }
        }
    }
    let items = page.iter().map(|r| record_json(s, r)).collect();
    Ok(list_body("usagerecord", total, items))
}

fn record_json(s: &State, r: &Rec) -> Value {
    let (account, zone, usage_id, description, mut extra) = match r.kind {
        1 | 2 => {
            let vm = &s.vms[r.entity];
            let so = &s.service_offerings[vm.offering];
            let what = if r.kind == 1 {
                "running time"
            } else {
                "allocated time"
            };
            (
                vm.account,
                vm.zone,
                vm.id.clone(),
                format!(
                    "{} {what} (ServiceOffering: {}) (Template: {})",
                    vm.name, so.id, s.templates[vm.template].id
                ),
                json!({
                    "virtualmachineid": vm.id,
                    "name": vm.name,
                    "offeringid": so.id,
                    "templateid": s.templates[vm.template].id,
                    "type": "KVM",
                    "cpunumber": so.cpus,
                    "cpuspeed": so.speed,
                    "memory": so.memory,
                    "osdisplayname": s.templates[vm.template].ostype_name,
                }),
            )
        }
        6 => {
            let v = &s.volumes[r.entity];
            let mut extra = json!({ "size": v.size });
            if let Some(d) = v.disk_offering {
                extra["offeringid"] = json!(s.disk_offerings[d].id);
            }
            if let Some(t) = v.template {
                extra["templateid"] = json!(s.templates[t].id);
            }
            (
                v.account,
                v.zone,
                v.id.clone(),
                format!("Volume Id: {} usage time", v.id),
                extra,
            )
        }
        3 => {
            let ip = &s.ips[r.entity];
            (
                ip.account,
                ip.zone,
                ip.id.clone(),
                format!("IPAddress: {}", ip.address),
                {
                    let mut extra = json!({ "issourcenat": ip.source_nat, "issystem": false });
                    if let Some(n) = ip.network {
                        extra["networkid"] = json!(s.networks[n].id);
                    }
                    extra
                },
            )
        }
        25 => {
            let sn = &s.vm_snapshots[r.entity];
            let vm = &s.vms[sn.vm];
            (
                sn.account,
                sn.zone,
                sn.id.clone(),
                format!("VMSnapshot Id: {} on VM: {} usage time", sn.id, vm.id),
                json!({ "size": sn.size, "virtualmachineid": vm.id, "name": vm.name }),
            )
        }
        _ => {
            let sn = &s.snapshots[r.entity];
            (
                sn.account,
                sn.zone,
                sn.id.clone(),
                format!(
                    "Snapshot Id: {} Volume Id: {} usage time",
                    sn.id, s.volumes[sn.volume].id
                ),
                json!({ "size": sn.size }),
            )
        }
    };
    let acc = &s.accounts[account];
    let domain = &s.domains[acc.domain];
    let hours = number(r.amount);
    let base = json!({
        "account": acc.name,
        "accountid": acc.id,
        "domainid": domain.id,
        "domain": domain.name,
        "domainpath": domain.path,
        "zoneid": s.zones[zone].id,
        "description": description,
        "usage": format!("{hours} Hrs"),
        "usagetype": r.kind,
        "rawusage": hours,
        "usageid": usage_id,
        "startdate": usage_date(r.day),
        "enddate": usage_date(r.day + Duration::days(1) - Duration::seconds(1)),
        "tags": [],
    });
    if let (Some(o), Some(e)) = (extra.as_object_mut(), base.as_object()) {
        for (k, v) in e {
            o.insert(k.clone(), v.clone());
        }
    }
    extra
}
