//! Guest networks: listNetworks and createNetwork.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::Ctx;
use crate::error::ApiError;
use crate::state::model::Network;
use crate::state::{Ref, State};
use crate::util::{keyword_match, page_of, ts};

/// Adds a network and returns its index.
pub(crate) fn add_network(
    s: &mut State,
    account: usize,
    zone: usize,
    offering: usize,
    name: String,
    display: String,
    when: OffsetDateTime,
) -> usize {
    let idx = s.networks.len();
    let id = s.rng.uuid();
    let vlan = 1000 + s.rng.below(3000) as u32;
    s.networks.push(Network {
        id: id.clone(),
        name,
        display,
        zone,
        offering,
        account,
        octets: [(1 + (idx / 250) % 250) as u8, (idx % 250) as u8],
        vlan,
        state: "Allocated",
        created: when,
        next_host: 0,
        removed: false,
    });
    s.index(&id, Ref::Network(idx));
    idx
}

/// The account's network in a zone, created on first use as CloudStack does for accounts
/// without one (with the default isolated offering).
pub(crate) fn default_network(s: &mut State, account: usize, zone: usize) -> usize {
    if let Some(n) = s
        .networks
        .iter()
        .position(|n| !n.removed && n.account == account && n.zone == zone)
    {
        return n;
    }
    let name = format!("{}-network", s.accounts[account].name);
    add_network(
        s,
        account,
        zone,
        0,
        name.clone(),
        name,
        OffsetDateTime::now_utc(),
    )
}

/// The `network` object.
pub(crate) fn network_json(s: &State, i: usize) -> Value {
    let n = &s.networks[i];
    let account = &s.accounts[n.account];
    let domain = &s.domains[account.domain];
    let zone = &s.zones[n.zone];
    let off = &s.network_offerings[n.offering];
    let services: Vec<Value> = off
        .services
        .iter()
        .map(|name| json!({ "name": name }))
        .collect();
    json!({
        "id": n.id,
        "name": n.name,
        "displaytext": n.display,
        "broadcastdomaintype": "Vlan",
        "broadcasturi": format!("vlan://{}", n.vlan),
        "vlan": n.vlan.to_string(),
        "traffictype": "Guest",
        "gateway": format!("10.{}.{}.1", n.octets[0], n.octets[1]),
        "netmask": "255.255.255.0",
        "cidr": format!("10.{}.{}.0/24", n.octets[0], n.octets[1]),
        "zoneid": zone.id,
        "zonename": zone.name,
        "networkofferingid": off.id,
        "networkofferingname": off.name,
        "networkofferingdisplaytext": off.display,
        "networkofferingconservemode": true,
        "networkofferingavailability": off.availability,
        "issystem": false,
        "state": n.state,
        "related": n.id,
        "dns1": zone.dns1,
        "dns2": zone.dns2,
        "type": off.guest_ip_type,
        "acltype": "Account",
        "account": account.name,
        "domainid": domain.id,
        "domain": domain.name,
        "domainpath": domain.path,
        "service": services,
        "networkdomain": format!("cs{}cloud.internal", n.account + 2),
        "restartrequired": false,
        "specifyipranges": false,
        "canusefordeploy": true,
        "ispersistent": false,
        "displaynetwork": true,
        "redundantrouter": false,
        "supportsvmautoscaling": true,
        "egressdefaultpolicy": true,
        "internetprotocol": "IPv4",
        "created": ts(n.created),
        "tags": [],
    })
}

/// listNetworks.
pub(crate) fn list(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let scope = s.list_scope(&cx.caller, p)?;
    let zone = s.lookup_opt(p, "zoneid", |r| match r {
        Ref::Zone(z) => Some(z),
        _ => None,
    })?;
    let id = p.get("id");
    let name = p.get("name");
    let keyword = p.get("keyword");
    let kind = p.get("type");
    let matching: Vec<usize> = (0..s.networks.len())
        .filter(|&i| {
            let n = &s.networks[i];
            !n.removed
                && scope.allows(n.account)
                && zone.is_none_or(|z| n.zone == z)
                && id.is_none_or(|id| n.id == id)
                && name.is_none_or(|nm| n.name == nm)
                && kind.is_none_or(|k| {
                    s.network_offerings[n.offering]
                        .guest_ip_type
                        .eq_ignore_ascii_case(k)
                })
                && keyword_match(keyword, &[&n.name, &n.display])
        })
        .collect();
    page_of(p, s.knobs.max_page_size, "network", &matching, |&i| {
        network_json(s, i)
    })
}

/// createNetwork (synchronous).
pub(crate) fn create(cx: &mut Ctx) -> Result<Value, ApiError> {
    let p = cx.p;
    let name = p.required("name")?.to_string();
    let offering = cx.state.lookup(p, "networkofferingid", |r| match r {
        Ref::NetworkOffering(o) => Some(o),
        _ => None,
    })?;
    let zone = cx.state.lookup(p, "zoneid", |r| match r {
        Ref::Zone(z) => Some(z),
        _ => None,
    })?;
    let account = cx.state.owner_for_create(&cx.caller, p)?;
    let display = p.get("displaytext").unwrap_or(&name).to_string();
    let now = OffsetDateTime::now_utc();
    let n = add_network(
        cx.state,
        account,
        zone,
        offering,
        name.clone(),
        display,
        now,
    );
    let id = cx.state.networks[n].id.clone();
    cx.state.event(
        &cx.caller,
        "NETWORK.CREATE",
        format!("Successfully completed creating network. Network Id: {id}"),
        Some(("Network", id, name)),
        now,
    );
    Ok(json!({ "network": network_json(cx.state, n) }))
}

/// Hands out a public address in a zone and returns its index.
pub(crate) fn allocate_ip(
    s: &mut State,
    account: usize,
    zone: usize,
    network: usize,
    source_nat: bool,
    when: OffsetDateTime,
) -> usize {
    let z = &mut s.zones[zone];
    z.next_public += 1;
    let n = z.next_public;
    let address = format!(
        "{}.{}.{}.{}",
        z.public_prefix[0],
        z.public_prefix[1],
        (n / 250) % 256,
        2 + n % 250
    );
    let vlan_id = z.id.clone();
    let idx = s.ips.len();
    let id = s.rng.uuid();
    s.ips.push(crate::state::model::PublicIp {
        id: id.clone(),
        address,
        zone,
        account,
        network,
        source_nat,
        state: "Allocated",
        allocated: when,
        vlan_id,
        pending_job: None,
        removed: false,
        released: None,
    });
    s.index(&id, Ref::Ip(idx));
    idx
}
