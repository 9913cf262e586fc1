//! An address's firewall: the rules on it (each with delete), and the rule-set editor — a
//! preset ("web": TCP 80, 443; "ssh": TCP 22) or custom rows of protocol, ports
//! ("22, 443, 8000-8100") and source CIDRs (required: nothing defaults to 0.0.0.0/0), applied to
//! one or several addresses after a preview of what each rule would do there.

use crate::components::icons::Icon;
use crate::components::op::{OpButton, on_text};
use crate::components::toast::use_toaster;
use crate::format::resource_state_class;
use crate::hooks::use_submit;
use akashone_types::commands as cmd;
use akashone_types::network::cidr::{host_bits_note, opens_to_world, parse_cidr_list};
use akashone_types::network::rules::{PRESETS, RuleChange, RuleSet, RuleSetDiff, RuleSpec};
use akashone_types::network::{Cidr, PortSpec, PublicIpRow, Traffic};
use akashone_types::ops::{IpRulesView, Operation, RuleKind};
use std::collections::BTreeSet;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// One row of the editor, as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleRow {
    pub protocol: String,
    pub ports: String,
    pub icmp_type: String,
    pub icmp_code: String,
    pub cidrs: String,
}

impl Default for RuleRow {
    fn default() -> Self {
        RuleRow {
            protocol: "tcp".into(),
            ports: String::new(),
            icmp_type: String::new(),
            icmp_code: String::new(),
            cidrs: String::new(),
        }
    }
}

/// What a row's text makes: its traffic and CIDRs, or the error of each field, and notes.
pub struct ParsedRow {
    pub traffic: Result<Traffic, String>,
    pub cidrs: Result<Vec<Cidr>, String>,
    pub notes: Vec<String>,
}

fn icmp_field(text: &str) -> Result<i16, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(-1);
    }
    t.parse::<i16>()
        .map_err(|_| format!("\"{t}\" is not an ICMP type or code (a number, or -1 for any)."))
}

/// What a row's protocol, ports or ICMP fields match; notes on merged ports go to `notes`.
pub fn parse_traffic(r: &RuleRow, notes: &mut Vec<String>) -> Result<Traffic, String> {
    match r.protocol.as_str() {
        "tcp" | "udp" => PortSpec::parse_explained(&r.ports).map(|(ports, n)| {
            notes.extend(n);
            if r.protocol == "tcp" {
                Traffic::Tcp { ports }
            } else {
                Traffic::Udp { ports }
            }
        }),
        "icmp" => icmp_field(&r.icmp_type)
            .and_then(|t| icmp_field(&r.icmp_code).and_then(|c| Traffic::icmp(t, c))),
        _ => Ok(Traffic::All),
    }
}

/// Parses one row: ports with [`PortSpec::parse_explained`], CIDRs with [`parse_cidr_list`].
pub fn parse_row(r: &RuleRow) -> ParsedRow {
    let mut notes = Vec::new();
    let traffic = parse_traffic(r, &mut notes);
    notes.extend(
        r.cidrs
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter_map(host_bits_note),
    );
    ParsedRow {
        traffic,
        cidrs: parse_cidr_list(&r.cidrs),
        notes,
    }
}

#[derive(Properties, PartialEq)]
pub struct FirewallProps {
    pub ip: PublicIpRow,
    /// Every address, for applying the set to several.
    pub ips: Vec<PublicIpRow>,
    pub view: IpRulesView,
}

#[component]
pub fn Firewall(props: &FirewallProps) -> Html {
    let toaster = use_toaster();
    let rows = use_state(|| vec![RuleRow::default()]);
    let name = use_state(|| "custom".to_owned());
    let chosen = use_state(|| BTreeSet::from([props.ip.id.clone()]));
    let plan = use_state(|| None::<(Operation, RuleSetDiff)>);
    let previewing = use_submit();

    let parsed: Vec<ParsedRow> = rows.iter().map(parse_row).collect();
    let set = (|| -> Result<RuleSet, String> {
        let mut rules = Vec::new();
        for (i, p) in parsed.iter().enumerate() {
            let traffic = p
                .traffic
                .clone()
                .map_err(|e| format!("Rule {}: {e}", i + 1))?;
            let cidrs = p
                .cidrs
                .clone()
                .map_err(|e| format!("Rule {}: {e}", i + 1))?;
            rules.push(RuleSpec { traffic, cidrs });
        }
        Ok(RuleSet {
            name: name.trim().to_owned(),
            rules,
        })
    })();
    let ip_ids: Vec<String> = chosen.iter().cloned().collect();
    let op = set.as_ref().ok().map(|s| Operation::RuleSetApply {
        set: s.clone(),
        ip_ids: ip_ids.clone(),
    });
    let problems: Vec<String> = match (&set, &op) {
        (Err(e), _) => vec![e.clone()],
        (_, Some(op)) => op.problems(),
        _ => Vec::new(),
    };
    let world = parsed
        .iter()
        .any(|p| p.cidrs.as_ref().is_ok_and(|c| opens_to_world(c)));
    let fresh = plan
        .as_ref()
        .filter(|(o, _)| Some(o) == op.as_ref())
        .map(|(_, d)| d.clone());

    let update = |i: usize, f: fn(&mut RuleRow, String)| {
        let rows = rows.clone();
        Callback::from(move |v: String| {
            let mut next = (*rows).clone();
            if let Some(r) = next.get_mut(i) {
                f(r, v);
            }
            rows.set(next);
        })
    };
    let input = |cb: Callback<String>| {
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            cb.emit(el.value());
        })
    };
    let select = |cb: Callback<String>| {
        Callback::from(move |e: Event| {
            let el: HtmlSelectElement = e.target_unchecked_into();
            cb.emit(el.value());
        })
    };
    let preset = |p: &'static str| {
        let (rows, name) = (rows.clone(), name.clone());
        Callback::from(move |_| {
            // The preset's ports; the CIDRs typed so far are kept, never filled in.
            let cidrs = rows.first().map(|r| r.cidrs.clone()).unwrap_or_default();
            if let Some(set) = RuleSet::preset(p, Vec::new()) {
                rows.set(
                    set.rules
                        .iter()
                        .map(|r| RuleRow {
                            protocol: r.traffic.protocol().as_str().into(),
                            ports: r.traffic.ports().map(|p| p.to_string()).unwrap_or_default(),
                            cidrs: cidrs.clone(),
                            ..RuleRow::default()
                        })
                        .collect(),
                );
                name.set(p.into());
            }
        })
    };
    let add_row = {
        let rows = rows.clone();
        Callback::from(move |_| {
            let mut next = (*rows).clone();
            next.push(RuleRow::default());
            rows.set(next);
        })
    };
    let preview = {
        let (previewing, plan, toaster, op) = (
            previewing.clone(),
            plan.clone(),
            toaster.clone(),
            op.clone(),
        );
        Callback::from(move |_| {
            let Some(op) = op.clone() else { return };
            let Operation::RuleSetApply { set, ip_ids } = op.clone() else {
                return;
            };
            let (plan, toaster) = (plan.clone(), toaster.clone());
            previewing.send(cmd::NetRulePlan { set, ip_ids }, move |r| match r {
                Ok(d) => plan.set(Some((op, d))),
                Err(e) => toaster.error(e),
            });
        })
    };
    let applied = {
        let plan = plan.clone();
        Callback::from(move |_| plan.set(None))
    };
    let address = |id: &str| {
        props
            .ips
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.address.clone())
            .unwrap_or_else(|| id.to_owned())
    };
    let apply_why = if !problems.is_empty() {
        problems.first().cloned()
    } else {
        match &fresh {
            None => Some("Preview the changes first.".to_owned()),
            Some(d) => {
                let (_, _, _, conflicts) = d.counts();
                if conflicts > 0 {
                    Some(format!(
                        "{conflicts} of the rules conflict with rules already on the addresses; change them first."
                    ))
                } else if d.to_send().is_empty() {
                    Some("Nothing to add: every rule is already there.".to_owned())
                } else {
                    None
                }
            }
        }
    };
    let allocated: Vec<&PublicIpRow> = props
        .ips
        .iter()
        .filter(|i| i.state == "Allocated" || i.id == props.ip.id)
        .collect();

    html! {
        <div class="fw" id="firewall">
            <div class="card kube-card" id="fw-rules">
                <div class="card-head"><h2>{ format!("Firewall rules of {}", props.ip.address) }</h2></div>
                if props.view.firewall.is_empty() {
                    <p class="small muted">{"No ingress rules: nothing reaches this address from outside."}</p>
                }
                { for props.view.firewall.iter().map(|r| html! {
                    <div class="snap-line" data-firewall-rule={r.id.clone()} key={r.id.clone()}>
                        <div class="snap-head">
                            <span class="mono">{ r.traffic.to_string() }</span>
                            <span class="small">{ format!("from {}", r.cidrs.join(", ")) }</span>
                            if r.cidrs.iter().any(|c| c == "0.0.0.0/0" || c == "::/0") { <span class="badge badge-warn">{"whole internet"}</span> }
                            <span class={resource_state_class(&r.state)}>{ &r.state }</span>
                        </div>
                        <div class="row-ops">
                            <OpButton id="fw-delete" label="Delete" class="button-small button-danger" icon={Icon::Trash}
                                      op={Some(Operation::RuleDelete { kind: RuleKind::Firewall, id: r.id.clone() })} lazy=true
                                      confirm={AttrValue::from(format!("Delete the rule {} from {}?", r.traffic, r.cidrs.join(", ")))} />
                        </div>
                    </div>
                }) }
            </div>
            <div class="card kube-card" id="rules-editor">
                <div class="card-head"><h2>{"Open ports with a rule set"}</h2></div>
                <div class="inline-form">
                    <span class="small muted">{"Presets:"}</span>
                    { for PRESETS.iter().map(|p| html! {
                        <button class="button button-small" id={format!("rules-preset-{p}")} onclick={preset(p)}>{ match *p {
                            "web" => "web (80, 443)", "ssh" => "ssh (22)", other => other } }</button>
                    }) }
                    <label class="field inline-field"><span>{"Name"}</span>
                        <input id="rules-name" value={(*name).clone()} oninput={on_text(&name)} /></label>
                </div>
                { for rows.iter().enumerate().map(|(i, r)| {
                    let suffix = if i == 0 { String::new() } else { format!("-{}", i + 1) };
                    let p = &parsed[i];
                    // A row's errors show once something is typed in it (or it was added).
                    let touched = i > 0 || !(r.ports.trim().is_empty() && r.cidrs.trim().is_empty()
                        && r.icmp_type.trim().is_empty() && r.icmp_code.trim().is_empty());
                    let remove = (rows.len() > 1).then(|| {
                        let rows = rows.clone();
                        Callback::from(move |_| {
                            let mut next = (*rows).clone();
                            next.remove(i);
                            rows.set(next);
                        })
                    });
                    html! {
                        <div class="rule-row" data-rule-row={(i + 1).to_string()}>
                            <label class="field"><span>{"Protocol"}</span>
                                <select class="select" id={format!("rules-protocol{suffix}")} onchange={select(update(i, |r, v| r.protocol = v))}>
                                    { for ["tcp", "udp", "icmp", "all"].iter().map(|x| html! { <option value={*x} selected={r.protocol == *x}>{ *x }</option> }) }
                                </select>
                            </label>
                            if r.protocol == "tcp" || r.protocol == "udp" {
                                <label class="field rule-ports"><span>{"Ports"}</span>
                                    <input id={format!("rules-ports{suffix}")} class="mono" placeholder="22, 443, 8000-8100"
                                           value={r.ports.clone()} oninput={input(update(i, |r, v| r.ports = v))} /></label>
                            }
                            if r.protocol == "icmp" {
                                <label class="field"><span>{"ICMP type"}</span>
                                    <input id={format!("rules-icmp-type{suffix}")} placeholder="-1 (any)" value={r.icmp_type.clone()} oninput={input(update(i, |r, v| r.icmp_type = v))} /></label>
                                <label class="field"><span>{"ICMP code"}</span>
                                    <input id={format!("rules-icmp-code{suffix}")} placeholder="-1 (any)" value={r.icmp_code.clone()} oninput={input(update(i, |r, v| r.icmp_code = v))} /></label>
                            }
                            <label class="field rule-cidrs"><span>{"Source CIDRs"}</span>
                                <input id={format!("rules-cidrs{suffix}")} class="mono" placeholder="203.0.113.7/32, 198.51.100.0/24"
                                       value={r.cidrs.clone()} oninput={input(update(i, |r, v| r.cidrs = v))} /></label>
                            if let Some(remove) = remove {
                                <button class="icon-button" aria-label="Remove this rule" onclick={remove}>{ Icon::Close.render() }</button>
                            }
                            <div class="rule-notes">
                                if let (true, Err(e)) = (touched, &p.traffic) {
                                    <span class="field-error" id={format!("rules-ports-error{suffix}")}>{ e }</span>
                                }
                                if let (true, Err(e)) = (touched, &p.cidrs) {
                                    <span class="field-error" id={format!("rules-cidrs-error{suffix}")}>{ e }</span>
                                }
                                { for p.notes.iter().map(|n| html! { <span class="small muted">{ n }</span> }) }
                            </div>
                        </div>
                    }
                }) }
                <div class="inline-form">
                    <button class="button button-small" id="rules-add-row" onclick={add_row}>{ Icon::Plus.render() }{"Add a rule"}</button>
                </div>
                if world {
                    <div class="banner banner-error" id="rules-world-warning" role="alert">{ Icon::Alert.render() }
                        <span><strong>{"Open to the whole internet."}</strong>{" A source CIDR is 0.0.0.0/0 (or ::/0): anyone anywhere can reach these ports. Give your own addresses instead unless this is a public service."}</span></div>
                }
                <div class="field">
                    <span>{"Apply to"}</span>
                    <div class="vm-checks" id="rules-ips">
                        { for allocated.iter().map(|i| {
                            let toggle = {
                                let (chosen, id) = (chosen.clone(), i.id.clone());
                                Callback::from(move |_: Event| {
                                    let mut next = (*chosen).clone();
                                    if !next.remove(&id) { next.insert(id.clone()); }
                                    chosen.set(next);
                                })
                            };
                            html! {
                                <label class="check" data-ip-address={i.address.clone()} key={i.id.clone()}>
                                    <input type="checkbox" checked={chosen.contains(&i.id)} onchange={toggle} />
                                    <span class="mono">{ &i.address }</span><span class="small muted">{ super::NetData::ip_home(i) }</span>
                                </label>
                            }
                        }) }
                    </div>
                </div>
                <div class="form-actions">
                    <button class="button" id="rules-preview" onclick={preview}
                            disabled={!problems.is_empty() || previewing.busy()} title={problems.first().cloned().unwrap_or_default()}>
                        { Icon::Search.render() }{ if previewing.busy() { "Previewing…" } else { "Preview" } }
                    </button>
                    if !problems.is_empty() {
                        <span class="small muted" id="rules-problem">{ problems.first().cloned().unwrap_or_default() }</span>
                    }
                </div>
                if let Some(d) = &fresh {
                    { plan_table(d, &address) }
                }
                <OpButton id="rules-apply" label="Apply rule set" class="button-primary" icon={Icon::Check}
                          op={op.clone()} blocked={apply_why} on_sent={applied} />
            </div>
        </div>
    }
}

/// The preview: each planned rule on each address, as add / already there / overlaps / conflict.
fn plan_table(d: &RuleSetDiff, address: &dyn Fn(&str) -> String) -> Html {
    let (add, present, overlaps, conflicts) = d.counts();
    html! {
        <div class="rules-plan" id="rules-plan" data-add={add.to_string()} data-present={present.to_string()}
             data-overlaps={overlaps.to_string()} data-conflicts={conflicts.to_string()}>
            <p class="small" id="rules-plan-summary">{ format!("{add} to add · {present} already there · {overlaps} overlapping · {conflicts} in conflict") }</p>
            if d.opens_to_world {
                <div class="banner banner-error" id="rules-plan-world">{ Icon::Alert.render() }
                    <span>{"Rules that will be sent open ports to the whole internet (0.0.0.0/0)."}</span></div>
            }
            <div class="card table">
                <div class="table-row table-head plan-row"><span>{"Address"}</span><span>{"Rule"}</span><span>{"From"}</span><span>{"Change"}</span></div>
                { for d.rules.iter().map(|r| {
                    let (slug, label, note, class) = match &r.change {
                        RuleChange::Add => ("add", "add".to_owned(), String::new(), "state state-running"),
                        RuleChange::AlreadyPresent { .. } => ("already_present", "already there".to_owned(), "skipped".to_owned(), "state state-other"),
                        RuleChange::Overlaps { note, .. } => ("overlaps", "overlaps".to_owned(), note.clone(), "state state-busy"),
                        RuleChange::Conflict { reason, .. } => ("conflict", "conflict".to_owned(), reason.clone(), "state state-error"),
                    };
                    html! {
                        <div class="table-row plan-row" data-change={slug}>
                            <span class="mono small">{ address(&r.call.ip_address_id) }</span>
                            <span class="mono small">{ r.call.traffic.to_string() }</span>
                            <span class="mono small">{ r.call.cidrs.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ") }</span>
                            <span><span class={class}>{ label }</span>
                                if !note.is_empty() { <span class="small muted plan-note">{ note }</span> }</span>
                        </div>
                    }
                }) }
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::{RuleRow, parse_row};
    use akashone_types::network::Traffic;

    fn row(protocol: &str, ports: &str, cidrs: &str) -> RuleRow {
        RuleRow {
            protocol: protocol.into(),
            ports: ports.into(),
            cidrs: cidrs.into(),
            ..RuleRow::default()
        }
    }

    #[test]
    fn rows_parse_ports_and_cidrs_with_their_errors_and_notes() {
        let p = parse_row(&row("tcp", "22, 443, 8000-8100, 8080", "198.51.100.5/24"));
        assert_eq!(p.traffic.unwrap().to_string(), "tcp 22, 443, 8000-8100");
        assert_eq!(p.cidrs.unwrap()[0].to_string(), "198.51.100.0/24");
        assert!(
            p.notes
                .iter()
                .any(|n| n.contains("8080 is inside 8000-8100")),
            "{:?}",
            p.notes
        );
        assert!(
            p.notes.iter().any(|n| n.contains("host bits")),
            "{:?}",
            p.notes
        );

        // No CIDRs is an error: nothing defaults to 0.0.0.0/0.
        let p = parse_row(&row("udp", "53", "  "));
        assert!(p.cidrs.is_err());
        assert!(
            parse_row(&row("tcp", "80-70", "10.0.0.0/8"))
                .traffic
                .is_err()
        );
        assert!(parse_row(&row("tcp", "0", "10.0.0.0/8")).traffic.is_err());

        let icmp = RuleRow {
            protocol: "icmp".into(),
            icmp_type: "8".into(),
            icmp_code: "".into(),
            cidrs: "10.0.0.0/8".into(),
            ..RuleRow::default()
        };
        assert_eq!(
            parse_row(&icmp).traffic.unwrap(),
            Traffic::Icmp {
                icmp_type: 8,
                icmp_code: -1
            }
        );
        assert_eq!(
            parse_row(&row("all", "", "10.0.0.0/8")).traffic.unwrap(),
            Traffic::All
        );
    }
}
