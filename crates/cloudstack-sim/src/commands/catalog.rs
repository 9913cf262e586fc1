//! What a cloud offers: zones, templates, offerings, capabilities, Kubernetes versions.

use serde_json::{Value, json};

use super::Ctx;
use crate::error::ApiError;
use crate::state::Ref;
use crate::util::{keyword_match, page_of, ts};

fn zone_filter(cx: &Ctx) -> Result<Option<usize>, ApiError> {
    cx.state.lookup_opt(cx.p, "zoneid", |r| match r {
        Ref::Zone(z) => Some(z),
        _ => None,
    })
}

/// listZones.
pub(crate) fn list_zones(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let id = p.get("id");
    let ids = p.list("ids");
    let name = p.get("name");
    let keyword = p.get("keyword");
    let nettype = p.get("networktype");
    let matching: Vec<usize> = (0..s.zones.len())
        .filter(|&i| {
            let z = &s.zones[i];
            id.is_none_or(|id| z.id == id)
                && (ids.is_empty() || ids.contains(&z.id))
                && name.is_none_or(|n| z.name == n)
                && nettype.is_none_or(|t| t.eq_ignore_ascii_case("Advanced"))
                && keyword_match(keyword, &[&z.name, &z.description])
        })
        .collect();
    page_of(p, s.knobs.max_page_size, "zone", &matching, |&i| {
        let z = &s.zones[i];
        json!({
            "id": z.id,
            "name": z.name,
            "description": z.description,
            "dns1": z.dns1,
            "dns2": z.dns2,
            "internaldns1": "10.0.0.2",
            "guestcidraddress": "10.0.0.0/8",
            "networktype": "Advanced",
            "securitygroupsenabled": false,
            "allocationstate": "Enabled",
            "zonetoken": format!("{}-token", &z.id[..8]),
            "dhcpprovider": "VirtualRouter",
            "localstorageenabled": false,
            "ismultiarch": false,
            "routedmodeenabled": false,
            "type": "Core",
            "tags": [],
            "resourcedetails": {},
        })
    })
}

const TEMPLATE_FILTERS: [&str; 8] = [
    "featured",
    "self",
    "selfexecutable",
    "sharedexecutable",
    "executable",
    "community",
    "all",
    "system",
];

/// listTemplates: one entry per template and zone, filtered by `templatefilter`.
pub(crate) fn list_templates(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let filter = p.required("templatefilter")?.to_lowercase();
    if !TEMPLATE_FILTERS.contains(&filter.as_str()) {
        return Err(ApiError::invalid(format!(
            "Please specify a valid template filter: {}",
            TEMPLATE_FILTERS.join(", ")
        )));
    }
    if (filter == "all" || filter == "system") && !cx.caller.is_admin() {
        return Err(ApiError::invalid(format!(
            "Filter {filter} can be specified by admin only"
        )));
    }
    let zone = zone_filter(cx)?;
    let id = p.get("id");
    let ids = p.list("ids");
    let name = p.get("name");
    let keyword = p.get("keyword");
    let hypervisor = p.get("hypervisor");
    let caller = cx.caller;
    let mut matching = Vec::new();
    for (t, tpl) in s.templates.iter().enumerate() {
        if tpl.removed {
            continue;
        }
        let own = tpl.account == caller.account;
        let sees_private = own || s.can_access(&caller, tpl.account) && caller.is_admin();
        let visible = match filter.as_str() {
            "featured" => tpl.featured && tpl.public,
            "community" => !tpl.featured && tpl.public,
            "self" | "selfexecutable" => own,
            "sharedexecutable" | "system" => false,
            "all" => tpl.public || sees_private,
            _ => tpl.public || own,
        };
        if !visible
            || id.is_some_and(|id| tpl.id != id)
            || !(ids.is_empty() || ids.contains(&tpl.id))
            || name.is_some_and(|n| tpl.name != n)
            || !hypervisor.is_none_or(|h| tpl.hypervisor.eq_ignore_ascii_case(h))
            || !keyword_match(keyword, &[&tpl.name, &tpl.display])
        {
            continue;
        }
        for z in 0..s.zones.len() {
            if zone.is_none_or(|zz| zz == z) && tpl.zone.is_none_or(|tz| tz == z) {
                matching.push((t, z));
            }
        }
    }
    page_of(
        p,
        s.knobs.max_page_size,
        "template",
        &matching,
        |&(t, z)| template_json(s, t, z),
    )
}

/// The `template` object of a template in a zone.
pub(crate) fn template_json(s: &crate::state::State, t: usize, z: usize) -> Value {
    let tpl = &s.templates[t];
    let zone = &s.zones[z];
    let owner = &s.accounts[tpl.account];
    let domain = &s.domains[owner.domain];
    let mut v = json!({
        "id": tpl.id,
        "name": tpl.name,
        "displaytext": tpl.display,
        "ispublic": tpl.public,
        "created": ts(tpl.created),
        "isready": tpl.ready,
        "status": if tpl.ready { "Download Complete" } else { "Processing" },
        "passwordenabled": tpl.password_enabled,
        "sshkeyenabled": false,
        "format": tpl.format,
        "isfeatured": tpl.featured,
        "crossZones": false,
        "ostypeid": tpl.ostype_id,
        "ostypename": tpl.ostype_name,
        "account": owner.name,
        "accountid": owner.id,
        "zoneid": zone.id,
        "zonename": zone.name,
        "size": tpl.size,
        "physicalsize": tpl.size / 3,
        "templatetype": tpl.kind,
        "hypervisor": tpl.hypervisor,
        "domain": domain.name,
        "domainid": domain.id,
        "isextractable": false,
        "bootable": true,
        "isdynamicallyscalable": false,
        "directdownload": false,
        "deployasis": false,
        "requireshvm": true,
        "arch": "x86_64",
        "details": {},
        "tags": [],
    });
    if let (Some(sn), Some(o)) = (tpl.snapshot, v.as_object_mut()) {
        o.insert("sourcetemplateid".into(), json!(s.snapshots[sn].id));
        o.insert("snapshotid".into(), json!(s.snapshots[sn].id));
    }
    crate::state::jobs::with_pending(v, s.pending(tpl.pending_job))
}

/// listServiceOfferings.
pub(crate) fn list_service_offerings(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let id = p.get("id");
    let name = p.get("name");
    let keyword = p.get("keyword");
    let cpus = p.int("cpunumber")?;
    let memory = p.int("memory")?;
    let matching: Vec<usize> = (0..s.service_offerings.len())
        .filter(|&i| {
            let o = &s.service_offerings[i];
            id.is_none_or(|id| o.id == id)
                && name.is_none_or(|n| o.name == n)
                && cpus.is_none_or(|c| o.cpus as i64 >= c)
                && memory.is_none_or(|m| o.memory as i64 >= m)
                && keyword_match(keyword, &[&o.name, &o.display])
        })
        .collect();
    page_of(
        p,
        s.knobs.max_page_size,
        "serviceoffering",
        &matching,
        |&i| {
            let o = &s.service_offerings[i];
            json!({
                "id": o.id,
                "name": o.name,
                "displaytext": o.display,
                "cpunumber": o.cpus,
                "cpuspeed": o.speed,
                "memory": o.memory,
                "created": ts(o.created),
                "storagetype": "shared",
                "provisioningtype": "thin",
                "offerha": o.offer_ha,
                "limitcpuuse": false,
                "isvolatile": false,
                "issystem": false,
                "defaultuse": false,
                "iscustomized": false,
                "rootdisksize": o.root_gb,
                "diskofferingstrictness": false,
                "dynamicscalingenabled": true,
                "encryptroot": false,
                "hasannotations": false,
                "state": "Active",
            })
        },
    )
}

/// listDiskOfferings.
pub(crate) fn list_disk_offerings(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let id = p.get("id");
    let name = p.get("name");
    let keyword = p.get("keyword");
    let matching: Vec<usize> = (0..s.disk_offerings.len())
        .filter(|&i| {
            let o = &s.disk_offerings[i];
            id.is_none_or(|id| o.id == id)
                && name.is_none_or(|n| o.name == n)
                && keyword_match(keyword, &[&o.name, &o.display])
        })
        .collect();
    page_of(p, s.knobs.max_page_size, "diskoffering", &matching, |&i| {
        let o = &s.disk_offerings[i];
        json!({
            "id": o.id,
            "name": o.name,
            "displaytext": o.display,
            "disksize": o.size_gb,
            "created": ts(o.created),
            "iscustomized": o.customized,
            "iscustomizediops": o.custom_iops,
            "storagetype": "shared",
            "provisioningtype": "thin",
            "displayoffering": true,
            "encrypt": false,
            "disksizestrictness": false,
            "hasannotations": false,
            "state": "Active",
        })
    })
}

/// listNetworkOfferings.
pub(crate) fn list_network_offerings(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let id = p.get("id");
    let name = p.get("name");
    let keyword = p.get("keyword");
    let guest = p.get("guestiptype");
    let is_default = p.flag("isdefault");
    let state = p.get("state");
    let matching: Vec<usize> = (0..s.network_offerings.len())
        .filter(|&i| {
            let o = &s.network_offerings[i];
            id.is_none_or(|id| o.id == id)
                && name.is_none_or(|n| o.name == n)
                && guest.is_none_or(|g| o.guest_ip_type.eq_ignore_ascii_case(g))
                && is_default.is_none_or(|d| o.is_default == d)
                && state.is_none_or(|st| st.eq_ignore_ascii_case("Enabled"))
                && keyword_match(keyword, &[&o.name, &o.display])
        })
        .collect();
    page_of(
        p,
        s.knobs.max_page_size,
        "networkoffering",
        &matching,
        |&i| network_offering_json(s, i),
    )
}

pub(crate) fn network_offering_json(s: &crate::state::State, i: usize) -> Value {
    let o = &s.network_offerings[i];
    let services: Vec<Value> = o
        .services
        .iter()
        .map(|name| json!({ "name": name, "provider": [{ "name": "VirtualRouter" }] }))
        .collect();
    json!({
        "id": o.id,
        "name": o.name,
        "displaytext": o.display,
        "traffictype": "Guest",
        "isdefault": o.is_default,
        "specifyvlan": o.guest_ip_type != "Isolated",
        "conservemode": true,
        "specifyipranges": o.guest_ip_type == "Shared",
        "availability": o.availability,
        "networkrate": 200,
        "state": "Enabled",
        "guestiptype": o.guest_ip_type,
        "service": services,
        "forvpc": false,
        "ispersistent": false,
        "egressdefaultpolicy": true,
        "supportsstrechedl2subnet": false,
        "supportspublicaccess": false,
        "internetprotocol": "IPv4",
        "created": ts(o.created),
    })
}

/// listCapabilities.
pub(crate) fn list_capabilities(cx: &mut Ctx) -> Result<Value, ApiError> {
    let _ = cx;
    Ok(json!({
        "capability": {
            "securitygroupsenabled": false,
            "dynamicrolesenabled": true,
            "cloudstackversion": "4.22.0.0",
            "userpublictemplateenabled": true,
            "supportELB": "false",
            "projectinviterequired": false,
            "allowusercreateprojects": true,
            "customdiskofferingminsize": 1,
            "customdiskofferingmaxsize": 1024,
            "regionsecondaryenabled": false,
            "kvmsnapshotenabled": true,
            "allowuserviewdestroyedvm": true,
            "allowuserexpungerecovervm": false,
            "allowuserexpungerecovervolume": true,
            "allowuserviewalldomainaccounts": false,
            "kubernetesserviceenabled": true,
            "kubernetesclusterexperimentalfeaturesenabled": false,
            "defaultuipagesize": 20,
            "sharedfsvmmincpucount": 2,
            "sharedfsvmminramsize": 1024,
        }
    }))
}

/// listKubernetesSupportedVersions.
pub(crate) fn list_kube_versions(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let id = p.get("id");
    let keyword = p.get("keyword");
    let min_version = match (
        p.get("minimumsemanticversion"),
        p.get("minimumkubernetesversionid"),
    ) {
        (Some(v), _) => Some(
            parse_semver(v)
                .ok_or_else(|| ApiError::invalid(format!("Invalid version format: {v}")))?,
        ),
        (None, Some(_)) => {
            let k = s.lookup(p, "minimumkubernetesversionid", |r| match r {
                Ref::KubeVersion(k) => Some(k),
                _ => None,
            })?;
            Some(s.kube_versions[k].semver)
        }
        (None, None) => None,
    };
    let matching: Vec<usize> = (0..s.kube_versions.len())
        .filter(|&i| {
            let k = &s.kube_versions[i];
            id.is_none_or(|id| k.id == id)
                && min_version.is_none_or(|m| k.semver >= m)
                && keyword_match(keyword, &[&k.semantic()])
        })
        .collect();
    page_of(
        p,
        s.knobs.max_page_size,
        "kubernetessupportedversion",
        &matching,
        |&i| kube_version_json(s, i),
    )
}

pub(crate) fn kube_version_json(s: &crate::state::State, i: usize) -> Value {
    let k = &s.kube_versions[i];
    let sem = k.semantic();
    json!({
        "id": k.id,
        "name": format!("v{sem}"),
        "semanticversion": sem,
        "isoid": k.iso_id,
        "isoname": format!("v{sem}-Kubernetes-Binaries-ISO"),
        "isostate": "Ready",
        "supportsha": k.supports_ha(),
        "supportsautoscaling": k.autoscaling,
        "state": if k.enabled { "Enabled" } else { "Disabled" },
        "mincpunumber": 2,
        "minmemory": 2048,
        "arch": "x86_64",
        "directdownload": false,
        "created": ts(k.created),
    })
}

/// Parses `1.28.4`.
pub(crate) fn parse_semver(v: &str) -> Option<(u32, u32, u32)> {
    let mut it = v.trim_start_matches('v').split('.');
    let a = it.next()?.parse().ok()?;
    let b = it.next()?.parse().ok()?;
    let c = it.next().unwrap_or("0").parse().ok()?;
    Some((a, b, c))
}
