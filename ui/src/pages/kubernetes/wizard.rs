//! The create wizard: name and zone → Kubernetes version → control nodes and workers (a fixed
//! count or autoscaling) → offerings → network and SSH key pair → review with the plan (needs,
//! limits, monthly cost, every problem). Each step is checked with CloudStack's own rules as the
//! user types; Create stays disabled while the plan has problems.

use super::{review, steps};
use crate::components::icons::Icon;
use crate::components::toast::use_toaster;
use crate::hooks::{Load, Reload, use_load, use_submit};
use akashone_types::Choice;
use akashone_types::commands as cmd;
use akashone_types::kubernetes::{
    ClusterNetwork, CreateCluster, KubeOffering, KubeVersion, MIN_NODE_CPUS, MIN_NODE_MEMORY_MB,
    Workers, cluster_name_problem, create_problems,
};
use yew::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Step {
    Zone,
    Version,
    Nodes,
    Offering,
    Network,
    Review,
}

const STEPS: &[(Step, &str)] = &[
    (Step::Zone, "Name & zone"),
    (Step::Version, "Version"),
    (Step::Nodes, "Nodes"),
    (Step::Offering, "Offering"),
    (Step::Network, "Network"),
    (Step::Review, "Review"),
];

/// What the wizard has been told so far.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    pub name: String,
    pub zone_id: String,
    pub version_id: String,
    pub control_nodes: u32,
    /// Workers when not autoscaling.
    pub size: u32,
    pub autoscale: bool,
    pub min: u32,
    pub max: u32,
    pub offering_id: String,
    pub control_offering_id: Option<String>,
    pub worker_offering_id: Option<String>,
    /// An existing network; `None`: CloudStack creates an isolated one.
    pub network_id: Option<String>,
    pub keypair: Option<String>,
}

impl Default for Form {
    fn default() -> Self {
        Form {
            name: String::new(),
            zone_id: String::new(),
            version_id: String::new(),
            control_nodes: 1,
            size: 1,
            autoscale: false,
            min: 1,
            max: 3,
            offering_id: String::new(),
            control_offering_id: None,
            worker_offering_id: None,
            network_id: None,
            keypair: None,
        }
    }
}

impl Form {
    /// The request as it would be sent.
    pub fn request(&self) -> CreateCluster {
        CreateCluster {
            name: self.name.trim().to_owned(),
            description: None,
            zone_id: self.zone_id.clone(),
            version_id: self.version_id.clone(),
            control_nodes: self.control_nodes,
            workers: if self.autoscale {
                Workers::Autoscale {
                    min: self.min,
                    max: self.max,
                }
            } else {
                Workers::Fixed { size: self.size }
            },
            offering_id: self.offering_id.clone(),
            control_offering_id: self.control_offering_id.clone(),
            worker_offering_id: self.worker_offering_id.clone(),
            network: match &self.network_id {
                Some(id) => ClusterNetwork::Existing { id: id.clone() },
                None => ClusterNetwork::New,
            },
            keypair: self.keypair.clone(),
        }
    }
}

/// What the steps read: the form, how to change it, and the lists it picks from.
#[derive(Clone)]
pub struct Ctx {
    pub form: Form,
    pub set: Callback<Form>,
    pub zones: Load<Vec<Choice>>,
    pub versions: Load<Vec<KubeVersion>>,
    pub offerings: Load<Vec<KubeOffering>>,
    pub networks: Load<Vec<Choice>>,
    pub keypairs: Load<Vec<Choice>>,
}

impl Ctx {
    /// The chosen version.
    pub fn version(&self) -> Option<&KubeVersion> {
        self.versions
            .ready()?
            .iter()
            .find(|v| v.id == self.form.version_id)
    }

    /// An offering by id.
    pub fn offering(&self, id: &str) -> Option<&KubeOffering> {
        self.offerings.ready()?.iter().find(|o| o.id == id)
    }

    /// CloudStack's objections to what is chosen so far. Before an offering is chosen (or with
    /// `with_offering` false), one that just meets the version's minimum stands in, so only the
    /// version's and the nodes' rules speak.
    pub fn problems(&self, with_offering: bool) -> Vec<String> {
        let Some(v) = self.version() else {
            return Vec::new();
        };
        let least = KubeOffering {
            id: String::new(),
            name: "minimum".into(),
            cpu: v.min_cpu.max(MIN_NODE_CPUS),
            memory_mb: v.min_memory_mb.max(MIN_NODE_MEMORY_MB),
        };
        let pick = |id: Option<&String>| {
            with_offering
                .then(|| id.and_then(|id| self.offering(id)))
                .flatten()
        };
        let offering = pick(Some(&self.form.offering_id)).unwrap_or(&least);
        create_problems(
            &self.form.request(),
            v,
            offering,
            pick(self.form.control_offering_id.as_ref()),
            pick(self.form.worker_offering_id.as_ref()),
        )
    }
}

#[derive(Properties, PartialEq)]
pub struct WizardProps {
    pub on_close: Callback<()>,
}

#[component]
pub fn CreateWizard(props: &WizardProps) -> Html {
    let toaster = use_toaster();
    let step = use_state(|| Step::Zone);
    let form = use_state(Form::default);
    let submit = use_submit();
    let error = use_state(|| None::<String>);

    let zones = use_load((), Reload::ShowLoading, |_| Some(cmd::DeployZones {}));
    let offerings = use_load((), Reload::ShowLoading, |_| Some(cmd::KubeOfferings {}));
    let keypairs = use_load((), Reload::ShowLoading, |_| Some(cmd::DeployKeypairs {}));
    let versions = use_load(form.zone_id.clone(), Reload::ShowLoading, |z| {
        (!z.is_empty()).then(|| cmd::KubeVersions {
            zone_id: Some(z.clone()),
        })
    });
    let networks = use_load(form.zone_id.clone(), Reload::ShowLoading, |z| {
        (!z.is_empty()).then(|| cmd::DeployNetworks { zone_id: z.clone() })
    });
    let current = *step;
    let request = form.request();
    let plan = use_load(
        (current == Step::Review, request.clone()),
        Reload::ShowLoading,
        |(review, request)| {
            review.then(|| cmd::KubePlan {
                request: request.clone(),
            })
        },
    );

    let set = {
        let form = form.clone();
        Callback::from(move |f: Form| form.set(f))
    };
    let ctx = Ctx {
        form: (*form).clone(),
        set,
        zones: (*zones).clone(),
        versions: (*versions).clone(),
        offerings: (*offerings).clone(),
        networks: (*networks).clone(),
        keypairs: (*keypairs).clone(),
    };

    let index = STEPS.iter().position(|(s, _)| *s == current).unwrap_or(0);
    let step_ok = match current {
        Step::Zone => cluster_name_problem(&form.name).is_none() && !form.zone_id.is_empty(),
        Step::Version => ctx.version().is_some_and(|v| v.usable()),
        Step::Nodes => ctx.problems(false).is_empty(),
        Step::Offering => {
            ctx.offering(&form.offering_id).is_some() && ctx.problems(true).is_empty()
        }
        Step::Network | Step::Review => true,
    };
    let instant = ctx.problems(true);
    let go = |to: Option<usize>| {
        let step = step.clone();
        Callback::from(move |_| {
            if let Some((s, _)) = to.and_then(|i| STEPS.get(i)) {
                step.set(*s);
            }
        })
    };
    let next = go(Some(index + 1));
    let back = go(index.checked_sub(1));
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    let plan_problems = plan.ready().map(|p| p.problems.clone());
    let blocked = match &plan_problems {
        _ if !instant.is_empty() => Some("Solve the problems above first."),
        None => Some("Waiting for the review of the plan."),
        Some(p) if !p.is_empty() => {
            Some("CloudStack would refuse this cluster: see the problems above.")
        }
        Some(_) => None,
    };
    let create = {
        let toaster = toaster.clone();
        let on_close = props.on_close.clone();
        let submit = submit.clone();
        let error = error.clone();
        let request = request.clone();
        Callback::from(move |_| {
            let toaster = toaster.clone();
            let on_close = on_close.clone();
            let error = error.clone();
            error.set(None);
            submit.send(
                cmd::KubeCreate {
                    request: request.clone(),
                },
                move |r| match r {
                    Ok(_) => on_close.emit(()),
                    Err(e) => {
                        error.set(Some(e.message.clone()));
                        toaster.error(e);
                    }
                },
            );
        })
    };

    let body = match current {
        Step::Zone => steps::zone(&ctx),
        Step::Version => steps::version(&ctx),
        Step::Nodes => steps::nodes(&ctx),
        Step::Offering => steps::offering(&ctx),
        Step::Network => steps::network(&ctx),
        Step::Review => review::review(&ctx, &plan, &instant),
    };
    // The rules speak as soon as a version is chosen (the review lists them itself).
    let show_instant = !matches!(current, Step::Zone | Step::Review) && !instant.is_empty();

    html! {
        <div class="modal-backdrop">
            <div class="modal wizard kube-wizard" id="kube-wizard" role="dialog" aria-label="Create a Kubernetes cluster">
                <div class="wizard-head">
                    <h2>{"Create a Kubernetes cluster"}</h2>
                    <button class="icon-button" aria-label="Close" onclick={close.clone()}>{ Icon::Close.render() }</button>
                </div>
                <ol class="steps">
                    { for STEPS.iter().enumerate().map(|(i, (_, label))| html! {
                        <li class={classes!(if i < index { "done" } else if i == index { "current" } else { "" })}>
                            <span class="step-n">{ i + 1 }</span>{ *label }
                        </li>
                    }) }
                </ol>
                <div class="wizard-body" data-step={format!("{current:?}").to_lowercase()}>
                    { body }
                    if show_instant {
                        <ul class="kube-problems kube-instant" id="kube-instant">
                            { for instant.iter().map(|p| html! { <li>{ Icon::Alert.render() }<span>{ p }</span></li> }) }
                        </ul>
                    }
                </div>
                if let Some(e) = &*error {
                    <div class="banner banner-error" id="kube-submit-error">{ Icon::Alert.render() }<span>{ e }</span></div>
                }
                <div class="form-actions">
                    if index > 0 { <button class="button button-ghost" id="kube-back" onclick={back}>{"Back"}</button> }
                    <span class="toolbar-fill"></span>
                    if current == Step::Review {
                        if let Some(b) = blocked { <span class="small muted kube-blocked">{ b }</span> }
                        <button class="button button-primary" id="kube-submit" disabled={blocked.is_some() || submit.busy()}
                                title={blocked.unwrap_or_default()} onclick={create}>
                            { if submit.busy() { "Creating…" } else { "Create cluster" } }
                        </button>
                    } else {
                        <button class="button button-primary" id="kube-next" disabled={!step_ok} onclick={next}>{"Next"}</button>
                    }
                </div>
            </div>
        </div>
    }
}
