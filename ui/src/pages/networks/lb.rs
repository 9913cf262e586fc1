//! Load balancing on an address: its load balancers, each with its members and their state
//! (asked for now), members added and removed, deleted; and the create form — name, ports,
//! algorithm, protocol, source CIDRs (required), member VMs, an optional health check and
//! stickiness.

use crate::components::icons::Icon;
use crate::components::op::{
    OpButton, VmChecks, VmSelect, on_check, on_select, on_text, set_string,
};
use crate::format::resource_state_class;
use crate::hooks::{Load, Reload, use_live, use_load};
use akashone_types::VmRow;
use akashone_types::commands as cmd;
use akashone_types::network::cidr::{opens_to_world, parse_cidr_list};
use akashone_types::network::lb::{HealthCheckSpec, LbProtocol, LoadBalancerSpec, StickinessSpec};
use akashone_types::network::{LbAlgorithm, LoadBalancerRow, PortRange, PublicIpRow};
use akashone_types::ops::{IpRulesView, Operation, RuleKind};
use std::collections::BTreeSet;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LbProps {
    pub ip: PublicIpRow,
    pub vms: Vec<VmRow>,
    pub view: IpRulesView,
}

#[component]
pub fn Balancing(props: &LbProps) -> Html {
    let creating = use_state(|| false);
    let open = {
        let creating = creating.clone();
        Callback::from(move |_| creating.set(!*creating))
    };
    let done = {
        let creating = creating.clone();
        Callback::from(move |_| creating.set(false))
    };
    html! {
        <div class="lb" id="load-balancing">
            <div class="card kube-card" id="lb-list">
                <div class="card-head">
                    <h2>{ format!("Load balancers on {}", props.ip.address) }</h2>
                    <button class="button button-small button-primary" id="lb-create" onclick={open}>
                        { Icon::Plus.render() }{ if *creating { "Close the form" } else { "Create load balancer" } }
                    </button>
                </div>
                if props.view.load_balancers.is_empty() {
                    <p class="small muted">{"No load balancers on this address."}</p>
                }
                { for props.view.load_balancers.iter().map(|lb| html! {
                    <LbItem key={lb.id.clone()} lb={lb.clone()} vms={props.vms.clone()} />
                }) }
            </div>
            if *creating {
                <LbForm ip={props.ip.clone()} vms={props.vms.clone()} view={props.view.clone()} on_sent={done} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ItemProps {
    lb: LoadBalancerRow,
    vms: Vec<VmRow>,
}

/// One load balancer with its members as CloudStack reports them now.
#[component]
fn LbItem(props: &ItemProps) -> Html {
    let live = use_live();
    let add = use_state(String::new);
    let lb = &props.lb;
    let members = use_load(
        (lb.id.clone(), live.data_version),
        Reload::KeepShown,
        |(id, _)| Some(cmd::NetLbMembers { id: id.clone() }),
    );
    let listed: Vec<_> = match &*members {
        Load::Ready(m) => m.clone(),
        _ => lb.members.clone(),
    };
    let candidates: Vec<VmRow> = props
        .vms
        .iter()
        .filter(|v| !listed.iter().any(|m| m.vm_id == v.id))
        .cloned()
        .collect();
    html! {
        <div class="lb-item" data-lb-name={lb.name.clone()} data-lb-id={lb.id.clone()}>
            <div class="snap-head">
                <span class="res-name">{ &lb.name }</span>
                <span class="mono small">{ format!("{} {} → {}", lb.protocol, lb.public_port, lb.private_port) }</span>
                <span class="small">{ lb.algorithm.as_str() }</span>
                <span class="small">{ format!("from {}", lb.cidrs.join(", ")) }</span>
                if let Some(h) = &lb.health_check {
                    <span class="small muted">{ format!("health check {} every {} s", h.ping_path.clone().unwrap_or_else(|| "tcp".into()), h.interval_s) }</span>
                }
                if let Some(s) = &lb.stickiness { <span class="small muted">{ format!("sticky: {}", s.method_name()) }</span> }
                <span class={resource_state_class(&lb.state)}>{ &lb.state }</span>
            </div>
            <div class="lb-members" id={format!("lb-members-of-{}", lb.name)}>
                if let Load::Failed(e) = &*members {
                    <span class="field-error">{ format!("The members could not be read: {}", e.message) }</span>
                }
                if listed.is_empty() { <span class="small muted">{"No members."}</span> }
                { for listed.iter().map(|m| html! {
                    <div class="lb-member" data-member={m.vm_name.clone()} key={m.vm_id.clone()}>
                        <span>{ &m.vm_name }</span>
                        <span class="mono small">{ m.ip.clone().unwrap_or_default() }</span>
                        <span class={resource_state_class(&m.vm_state)}>{ &m.vm_state }</span>
                        if let Some(h) = &m.health {
                            <span class={if h == "Active" { "state state-running" } else { "state state-error" }} data-health={h.clone()}>{ h }</span>
                        }
                        <OpButton id="lb-member-remove" label="Remove" class="button-small"
                                  op={Some(Operation::LoadBalancerMembers { id: lb.id.clone(), add: Vec::new(), remove: vec![m.vm_id.clone()] })} lazy=true
                                  confirm={AttrValue::from(format!("Take {} out of {}?", m.vm_name, lb.name))} />
                    </div>
                }) }
            </div>
            <div class="row-ops">
                <VmSelect id="lb-add-vm" vms={candidates} value={(*add).clone()} on_change={set_string(&add)} />
                <OpButton id="lb-add-member" label="Add member" class="button-small" icon={Icon::Plus}
                          op={Some(Operation::LoadBalancerMembers { id: lb.id.clone(), add: vec![(*add).clone()], remove: Vec::new() })}
                          blocked={add.is_empty().then(|| "Choose the VM to add.".to_owned())} />
                <OpButton id="lb-delete" label="Delete" class="button-small button-danger" icon={Icon::Trash}
                          op={Some(Operation::RuleDelete { kind: RuleKind::LoadBalancer, id: lb.id.clone() })} lazy=true
                          confirm={AttrValue::from(format!("Delete the load balancer {}?", lb.name))} />
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct FormProps {
    ip: PublicIpRow,
    vms: Vec<VmRow>,
    view: IpRulesView,
    on_sent: Callback<u64>,
}

fn port(text: &str, what: &str) -> Result<u16, String> {
    text.trim().parse::<u16>().map_err(|_| {
        format!(
            "The {what} port \"{}\" is not a port (1 to 65535).",
            text.trim()
        )
    })
}

fn seconds(text: &str, what: &str) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .map_err(|_| format!("The {what} \"{}\" is not a whole number.", text.trim()))
}

#[component]
fn LbForm(props: &FormProps) -> Html {
    let name = use_state(String::new);
    let public = use_state(String::new);
    let private = use_state(String::new);
    let algorithm = use_state(|| "roundrobin".to_owned());
    let protocol = use_state(|| "tcp".to_owned());
    let cidrs = use_state(String::new);
    let members = use_state(BTreeSet::<String>::new);
    let health = use_state(|| false);
    let hc = HealthCheckSpec::default();
    let hc_path = use_state(|| hc.ping_path.clone().unwrap_or_default());
    let hc_interval = use_state(|| hc.interval_s.to_string());
    let hc_timeout = use_state(|| hc.response_timeout_s.to_string());
    let hc_healthy = use_state(|| hc.healthy_threshold.to_string());
    let hc_unhealthy = use_state(|| hc.unhealthy_threshold.to_string());
    let sticky = use_state(String::new);
    let sticky_name = use_state(|| "sticky".to_owned());
    let sticky_cookie = use_state(String::new);

    let spec = (|| -> Result<LoadBalancerSpec, String> {
        let health_check = if *health {
            Some(HealthCheckSpec {
                ping_path: Some(hc_path.trim().to_owned()).filter(|p| !p.is_empty()),
                interval_s: seconds(&hc_interval, "interval")?,
                response_timeout_s: seconds(&hc_timeout, "response timeout")?,
                healthy_threshold: seconds(&hc_healthy, "healthy threshold")?,
                unhealthy_threshold: seconds(&hc_unhealthy, "unhealthy threshold")?,
            })
        } else {
            None
        };
        let sname = sticky_name.trim().to_owned();
        let cookie = Some(sticky_cookie.trim().to_owned()).filter(|c| !c.is_empty());
        let stickiness = match sticky.as_str() {
            "LbCookie" => Some(StickinessSpec::LbCookie {
                name: sname,
                cookie_name: cookie,
                mode: None,
                nocache: false,
                indirect: false,
                postonly: false,
                domain: None,
            }),
            "AppCookie" => Some(StickinessSpec::AppCookie {
                name: sname,
                cookie_name: cookie,
                length: None,
                holdtime: None,
                request_learn: false,
                prefix: false,
                mode: None,
            }),
            "SourceBased" => Some(StickinessSpec::SourceBased {
                name: sname,
                table_size: None,
                expire: None,
            }),
            _ => None,
        };
        Ok(LoadBalancerSpec {
            name: name.trim().to_owned(),
            public_ip_id: props.ip.id.clone(),
            public_port: port(&public, "public")?,
            private_port: if private.trim().is_empty() {
                port(&public, "public")?
            } else {
                port(&private, "private")?
            },
            algorithm: match algorithm.as_str() {
                "leastconn" => LbAlgorithm::Leastconn,
                "source" => LbAlgorithm::Source,
                _ => LbAlgorithm::Roundrobin,
            },
            protocol: match protocol.as_str() {
                "udp" => LbProtocol::Udp,
                "tcp-proxy" => LbProtocol::TcpProxy,
                _ => LbProtocol::Tcp,
            },
            cidrs: parse_cidr_list(&cidrs)?,
            member_vm_ids: members.iter().cloned().collect(),
            health_check,
            stickiness,
        })
    })();
    let in_use: Vec<PortRange> = props
        .view
        .port_forwards
        .iter()
        .map(|f| f.public)
        .chain(
            props
                .view
                .load_balancers
                .iter()
                .map(|l| PortRange::single(l.public_port)),
        )
        .collect();
    let problems = match &spec {
        Ok(s) => s.problems(&in_use),
        Err(e) => vec![e.clone()],
    };
    let world = parse_cidr_list(&cidrs).is_ok_and(|c| opens_to_world(&c));
    let set_members = {
        let members = members.clone();
        Callback::from(move |s: BTreeSet<String>| members.set(s))
    };

    html! {
        <div class="card kube-card" id="lb-form">
            <div class="card-head"><h2>{"New load balancer"}</h2></div>
            <div class="form-grid">
                <label class="field"><span>{"Name"}</span><input id="lb-name" value={(*name).clone()} oninput={on_text(&name)} placeholder="web" /></label>
                <label class="field"><span>{"Public port"}</span><input id="lb-public" class="mono" value={(*public).clone()} oninput={on_text(&public)} placeholder="80" /></label>
                <label class="field"><span>{"Private port"}</span><input id="lb-private" class="mono" value={(*private).clone()} oninput={on_text(&private)} placeholder="same as public" /></label>
                <label class="field"><span>{"Algorithm"}</span>
                    <select class="select" id="lb-algorithm" onchange={on_select(&algorithm)}>
                        { for [("roundrobin", "Round robin"), ("leastconn", "Least connections"), ("source", "Source address")].iter().map(|(v, l)| html! {
                            <option value={*v} selected={*algorithm == *v}>{ *l }</option> }) }
                    </select></label>
                <label class="field"><span>{"Protocol"}</span>
                    <select class="select" id="lb-protocol" onchange={on_select(&protocol)}>
                        { for [("tcp", "TCP"), ("udp", "UDP"), ("tcp-proxy", "TCP with PROXY protocol")].iter().map(|(v, l)| html! {
                            <option value={*v} selected={*protocol == *v}>{ *l }</option> }) }
                    </select></label>
                <label class="field rule-cidrs"><span>{"Source CIDRs"}</span>
                    <input id="lb-cidrs" class="mono" value={(*cidrs).clone()} oninput={on_text(&cidrs)} placeholder="203.0.113.0/24" /></label>
            </div>
            if world {
                <div class="banner banner-error" id="lb-world-warning" role="alert">{ Icon::Alert.render() }
                    <span><strong>{"Open to the whole internet."}</strong>{" A source CIDR is 0.0.0.0/0 (or ::/0)."}</span></div>
            }
            <div class="field"><span>{"Members"}</span>
                <VmChecks id="lb-members" vms={props.vms.clone()} chosen={(*members).clone()} on_change={set_members} /></div>
            <label class="check"><input type="checkbox" id="lb-health" checked={*health} onchange={on_check(&health)} />{"Health check"}</label>
            if *health {
                <div class="form-grid">
                    <label class="field"><span>{"Ping path (empty: TCP check)"}</span><input id="lb-hc-path" class="mono" value={(*hc_path).clone()} oninput={on_text(&hc_path)} /></label>
                    <label class="field"><span>{"Interval, s"}</span><input id="lb-hc-interval" type="number" value={(*hc_interval).clone()} oninput={on_text(&hc_interval)} /></label>
                    <label class="field"><span>{"Response timeout, s"}</span><input id="lb-hc-timeout" type="number" value={(*hc_timeout).clone()} oninput={on_text(&hc_timeout)} /></label>
                    <label class="field"><span>{"Healthy after"}</span><input id="lb-hc-healthy" type="number" value={(*hc_healthy).clone()} oninput={on_text(&hc_healthy)} /></label>
                    <label class="field"><span>{"Unhealthy after"}</span><input id="lb-hc-unhealthy" type="number" value={(*hc_unhealthy).clone()} oninput={on_text(&hc_unhealthy)} /></label>
                </div>
            }
            <div class="form-grid">
                <label class="field"><span>{"Stickiness"}</span>
                    <select class="select" id="lb-sticky" onchange={on_select(&sticky)}>
                        { for [("", "None"), ("LbCookie", "Load balancer cookie"), ("AppCookie", "Application cookie"), ("SourceBased", "Source address")].iter().map(|(v, l)| html! {
                            <option value={*v} selected={*sticky == *v}>{ *l }</option> }) }
                    </select></label>
                if !sticky.is_empty() {
                    <label class="field"><span>{"Policy name"}</span><input id="lb-sticky-name" value={(*sticky_name).clone()} oninput={on_text(&sticky_name)} /></label>
                }
                if *sticky == "LbCookie" || *sticky == "AppCookie" {
                    <label class="field"><span>{"Cookie name (optional)"}</span><input id="lb-sticky-cookie" value={(*sticky_cookie).clone()} oninput={on_text(&sticky_cookie)} /></label>
                }
            </div>
            <OpButton id="lb-submit" label="Create load balancer" class="button-primary" icon={Icon::Check}
                      op={spec.ok().map(|request| Operation::LoadBalancerCreate { request })}
                      blocked={problems.first().cloned()} on_sent={props.on_sent.clone()} />
            if problems.len() > 1 {
                <ul class="op-reasons">{ for problems.iter().skip(1).map(|p| html! { <li>{ p }</li> }) }</ul>
            }
        </div>
    }
}
