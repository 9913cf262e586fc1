//! Pages whose feature is not built yet. Each says so plainly and describes what it will do.

use crate::components::icons::Icon;
use crate::components::page::PageHeader;
use crate::route::Route;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PlannedProps {
    pub route: Route,
}

/// One line on what the page is for, and what it will let you do.
fn plan(route: Route) -> (&'static str, &'static [&'static str]) {
    match route {
        Route::VirtualMachines => (
            "Every virtual machine in your cloud, readable offline.",
            &[
                "List, filter and sort thousands of VMs instantly from the offline cache",
                "Start, stop, reboot and destroy with live job progress",
                "Deploy with a wizard: zone, template, offering, network, SSH key",
            ],
        ),
        Route::Kubernetes => (
            "Kubernetes clusters from CloudStack Kubernetes Service.",
            &[
                "Create, scale (with autoscaling), upgrade, start, stop and delete clusters",
                "Download a cluster's kubeconfig",
            ],
        ),
        Route::Databases => (
            "Managed database instances.",
            &["Create and manage database instances and see their state"],
        ),
        Route::Networks => (
            "Networks, public IPs, firewall and port forwarding.",
            &[
                "Create networks from network offerings",
                "Acquire public IPs and manage firewall and port forwarding rules",
            ],
        ),
        Route::Storage => (
            "Volumes and snapshots.",
            &[
                "Create, attach and detach volumes",
                "Take and restore snapshots",
            ],
        ),
        Route::Monitoring => (
            "Live metrics and events.",
            &[
                "CPU, memory, network and disk I/O per VM",
                "The cloud's event stream",
            ],
        ),
        Route::Resellers => (
            "Your resellers and their rate cards.",
            &["Create resellers, set their prices and discounts"],
        ),
        Route::ResellerCustomers => (
            "The customers of each reseller.",
            &["Create customers, see their usage and invoices"],
        ),
        // These have pages of their own.
        Route::Dashboard
        | Route::Connect
        | Route::SuperAdmin
        | Route::AdminRights
        | Route::Security
        | Route::Billing
        | Route::WhiteLabel
        | Route::NotFound => ("", &[]),
    }
}

#[component]
pub fn Planned(props: &PlannedProps) -> Html {
    let (summary, items) = plan(props.route);
    html! {
        <section class="page" data-page={props.route.slug()}>
            <PageHeader title={props.route.title()} subtitle={summary} />
            <div class="card planned">
                <div class="planned-head">
                    <span class="planned-icon">{ props.route.icon().render() }</span>
                    <div>
                        <h2>{"Not built yet"}</h2>
                        <p class="muted">{"This page is part of the plan but does not work in this version. \
                                           When it does, it will let you:"}</p>
                    </div>
                </div>
                <ul class="plan-list">
                    { for items.iter().map(|i| html! { <li>{ Icon::Check.render() }<span>{ *i }</span></li> }) }
                </ul>
            </div>
        </section>
    }
}
