//! Networks and Storage: what the last sync found, readable offline. Creating and
//! changing these resources is not built yet, and each page says so.

use crate::components::cached_table::{CachedTable, Col, Show};
use crate::components::icons::Icon;
use crate::components::page::PageHeader;
use crate::hooks::use_live;
use crate::route::Route;
use akashone_types::Reachability;
use yew::prelude::*;
use yew_router::prelude::*;

const NETWORKS: &[Col] = &[
    Col("name", "Name", Show::Text),
    Col("state", "State", Show::State),
    Col("network_type", "Type", Show::Text),
    Col("zone_name", "Zone", Show::Text),
    Col("cidr", "CIDR", Show::Mono),
    Col("gateway", "Gateway", Show::Mono),
    Col("account", "Account", Show::Text),
];

const ADDRESSES: &[Col] = &[
    Col("ip_address", "Address", Show::Mono),
    Col("state", "State", Show::State),
    Col("is_source_nat", "Source NAT", Show::Text),
    Col("vm_name", "VM", Show::Text),
    Col("zone_name", "Zone", Show::Text),
    Col("account", "Account", Show::Text),
    Col("allocated", "Allocated", Show::Time),
];

const VOLUMES: &[Col] = &[
    Col("name", "Name", Show::Text),
    Col("volume_type", "Type", Show::Text),
    Col("state", "State", Show::State),
    Col("size_bytes", "Size", Show::Bytes),
    Col("vm_name", "Attached to", Show::Text),
    Col("zone_name", "Zone", Show::Text),
    Col("disk_offering_name", "Offering", Show::Text),
    Col("created", "Created", Show::Time),
];

#[derive(Properties, PartialEq)]
struct FrameProps {
    slug: &'static str,
    title: &'static str,
    subtitle: &'static str,
    not_built: &'static str,
    icon: Icon,
    children: Html,
}

#[component]
fn Frame(props: &FrameProps) -> Html {
    let live = use_live();
    let connected = live
        .status
        .as_ref()
        .is_some_and(|s| s.reachability != Reachability::NotConnected);
    html! {
        <section class="page" data-page={props.slug}>
            <PageHeader title={props.title} subtitle={props.subtitle} />
            if connected {
                <div class="notice">
                    { Icon::Info.render() }
                    <span>{ props.not_built }</span>
                </div>
                { props.children.clone() }
            } else {
                <div class="hero card">
                    <div class="hero-icon">{ props.icon.render() }</div>
                    <div class="hero-text">
                        <h2>{"No cloud connected"}</h2>
                        <p class="muted">{"Connect to a CloudStack cloud, or start the demo, to see what it holds."}</p>
                    </div>
                    <Link<Route> to={Route::Connect} classes="button button-primary">
                        {"Set up a connection"}{ Icon::ArrowRight.render() }
                    </Link<Route>>
                </div>
            }
        </section>
    }
}

#[component]
pub fn Networks() -> Html {
    html! {
        <Frame slug="networks" title="Networks" icon={Icon::Network}
               subtitle="Guest networks and public IP addresses."
               not_built="Read-only: networks and addresses as last synced. Creating networks, acquiring addresses and editing firewall and port-forwarding rules are not built yet.">
            <CachedTable kind="networks" title="Guest networks" columns={NETWORKS} empty="No networks." />
            <CachedTable kind="public_ips" title="Public IP addresses" columns={ADDRESSES} empty="No public IP addresses." />
        </Frame>
    }
}

#[component]
pub fn Storage() -> Html {
    html! {
        <Frame slug="storage" title="Storage" icon={Icon::Storage}
               subtitle="Volumes: root disks and data disks."
               not_built="Read-only: volumes as last synced. Creating, attaching, resizing and snapshotting volumes are not built yet.">
            <CachedTable kind="volumes" title="Volumes" columns={VOLUMES} empty="No volumes." />
        </Frame>
    }
}
