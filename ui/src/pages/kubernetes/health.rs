//! A cluster's health as its own Kubernetes API reports it through the kubeconfig: whether the
//! API answers this computer, nodes Ready against CloudStack's count, the version and when the
//! client certificate expires. "Unreachable from this computer" is told apart from unhealthy.

use crate::components::icons::Icon;
use crate::format::short_time;
use crate::services::invoke;
use akashone_types::commands as cmd;
use akashone_types::kubernetes::{ApiReach, ClusterHealth, ClusterRow};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// One cluster's last check.
#[derive(Clone, Debug, PartialEq)]
pub enum Health {
    Checking,
    Done(ClusterHealth),
    /// The check itself could not be made (the shell refused it).
    Failed(String),
}

/// The last check of each cluster, by id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HealthMap(HashMap<String, Health>);

pub enum HealthAction {
    Set(String, Health),
}

impl Reducible for HealthMap {
    type Action = HealthAction;
    fn reduce(self: Rc<Self>, action: HealthAction) -> Rc<Self> {
        let mut next = (*self).clone();
        let HealthAction::Set(id, h) = action;
        next.0.insert(id, h);
        Rc::new(next)
    }
}

impl HealthMap {
    /// The last check of a cluster, if any.
    pub fn get(&self, id: &str) -> Option<Health> {
        self.0.get(id).cloned()
    }
}

/// Asks the cluster's API how it is (once at a time per cluster).
pub fn check(map: &UseReducerHandle<HealthMap>, id: String) {
    if map.get(&id) == Some(Health::Checking) {
        return;
    }
    map.dispatch(HealthAction::Set(id.clone(), Health::Checking));
    let map = map.clone();
    spawn_local(async move {
        let h = match invoke(&cmd::KubeHealth { id: id.clone() }).await {
            Ok(h) => Health::Done(h),
            Err(e) => Health::Failed(e.message),
        };
        map.dispatch(HealthAction::Set(id, h));
    });
}

/// How a check reads: its tone (a CSS modifier and a `data-health` value) and its lines.
struct Reading {
    tone: &'static str,
    kind: &'static str,
    line: String,
    extra: Vec<String>,
}

fn read(c: &ClusterRow, h: &Health) -> Reading {
    let h = match h {
        Health::Checking => {
            return Reading {
                tone: "neutral",
                kind: "checking",
                line: "Checking…".into(),
                extra: vec![],
            };
        }
        Health::Failed(e) => {
            return Reading {
                tone: "neutral",
                kind: "failed",
                line: format!("Could not check: {e}"),
                extra: vec![],
            };
        }
        Health::Done(h) => h,
    };
    match &h.api {
        ApiReach::NoKubeconfig => Reading {
            tone: "neutral",
            kind: "no-kubeconfig",
            line: "No kubeconfig yet".into(),
            extra: vec!["Download the kubeconfig to let the console ask the cluster itself.".into()],
        },
        ApiReach::Unreachable { reason } => Reading {
            tone: "neutral",
            kind: "unreachable",
            line: format!("Unreachable from this computer: {reason}"),
            extra: vec![
                "Not the same as unhealthy: a VPN, a firewall or a stopped cluster keeps it from answering here."
                    .into(),
            ],
        },
        ApiReach::Refused { reason } => Reading {
            tone: "bad",
            kind: "refused",
            line: format!("The API refused the kubeconfig: {reason}"),
            extra: vec!["Download the kubeconfig again to get fresh credentials.".into()],
        },
        ApiReach::Reachable => {
            let mut parts = vec!["API reachable".to_owned()];
            parts.push(format!("{}/{} nodes Ready", h.nodes_ready, h.nodes));
            if let Some(v) = &h.kube_version {
                parts.push(v.clone());
            }
            if let Some(exp) = &h.cert_expires {
                parts.push(format!("cert expires {}", exp.get(..10).unwrap_or(exp)));
            }
            let mut extra = Vec::new();
            let mut tone = "ok";
            if !h.ready {
                tone = "bad";
                extra.push("The API answers but /readyz is not ok.".into());
            }
            if !h.not_ready.is_empty() {
                if tone == "ok" {
                    tone = if h.nodes_ready == 0 { "bad" } else { "warn" };
                }
                extra.push(format!("NotReady: {}", h.not_ready.join(", ")));
            }
            if h.nodes_ready != c.node_count() {
                if tone == "ok" {
                    tone = "warn";
                }
                extra.push(format!(
                    "Kubernetes has {} Ready node{}, CloudStack counts {} ({} control, {} workers).",
                    h.nodes_ready,
                    if h.nodes_ready == 1 { "" } else { "s" },
                    c.node_count(),
                    c.control_nodes,
                    c.workers
                ));
            }
            Reading {
                tone,
                kind: "reachable",
                line: parts.join(" · "),
                extra,
            }
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    pub cluster: ClusterRow,
    pub health: Health,
    /// One line (the list) rather than the lines with their explanations (the detail).
    #[prop_or_default]
    pub compact: bool,
}

/// The health of a cluster in a line (the list) or with its explanations.
#[component]
pub fn HealthSummary(props: &SummaryProps) -> Html {
    let r = read(&props.cluster, &props.health);
    let icon = match r.tone {
        "ok" => Icon::Check,
        "neutral" => Icon::Info,
        _ => Icon::Alert,
    };
    let title = std::iter::once(r.line.clone())
        .chain(r.extra.iter().cloned())
        .collect::<Vec<_>>()
        .join("\n");
    html! {
        <span class={classes!("kube-health", format!("kube-health-{}", r.tone), props.compact.then_some("compact"))}
              data-health={r.kind} title={title}>
            if r.kind == "checking" { <span class="spinner"></span> } else { { icon.render() } }
            <span class="kube-health-text">
                <span class="kube-health-line">{ &r.line }</span>
                if props.compact {
                    if let Some(first) = r.extra.first().filter(|_| r.tone != "neutral") {
                        <span class="small kube-health-extra">{ first }</span>
                    }
                } else {
                    { for r.extra.iter().map(|e| html! { <span class="small kube-health-extra">{ e }</span> }) }
                }
            </span>
        </span>
    }
}

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub cluster: ClusterRow,
    pub health: Option<Health>,
    pub on_check: Callback<String>,
}

/// The detail's health card: the reading, when it was checked, and a button to check again.
#[component]
pub fn HealthPanel(props: &PanelProps) -> Html {
    let check = {
        let on_check = props.on_check.clone();
        let id = props.cluster.id.clone();
        Callback::from(move |_| on_check.emit(id.clone()))
    };
    let checked = match &props.health {
        Some(Health::Done(h)) => Some(short_time(&h.checked_at)),
        _ => None,
    };
    html! {
        <div class="card kube-card" id="kube-health">
            <div class="card-head">
                <h2>{"Health"}</h2>
                if let Some(t) = checked { <span class="small muted">{ format!("checked {t}") }</span> }
                <button class="button button-small" id="kube-health-check" onclick={check}
                        disabled={props.health == Some(Health::Checking)}>
                    { Icon::Refresh.render() }{"Check again"}
                </button>
            </div>
            <div class="kube-health-cloudstack small muted">
                { format!("CloudStack: {} · {} nodes ({} control, {} workers)",
                          props.cluster.state, props.cluster.node_count(), props.cluster.control_nodes, props.cluster.workers) }
            </div>
            { match &props.health {
                Some(h) => html! { <HealthSummary cluster={props.cluster.clone()} health={h.clone()} /> },
                None => html! { <span class="small muted">{"Not checked yet."}</span> },
            } }
        </div>
    }
}
