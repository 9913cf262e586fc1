//! A job's live progress — a Kubernetes cluster's, or a network or storage operation's: its
//! phase, CloudStack's polls, the time so far, and on failure CloudStack's error text.

use crate::components::icons::Icon;
use akashone_types::{JobEvent, JobPhase};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct JobProps {
    pub job: JobEvent,
    /// What it is doing, for the text ("Scale cluster-1", "Volume attach data-01").
    pub what: AttrValue,
    /// The element id (`kube-job` in the detail).
    #[prop_or_default]
    pub id: Option<AttrValue>,
    /// A close button, when the line may be dismissed.
    #[prop_or_default]
    pub on_dismiss: Option<Callback<MouseEvent>>,
}

fn phase_name(p: JobPhase) -> &'static str {
    match p {
        JobPhase::Submitting => "submitting",
        JobPhase::Running => "running",
        JobPhase::Succeeded => "succeeded",
        JobPhase::Failed => "failed",
    }
}

/// `12 s`, `3 min 05 s`.
fn elapsed(ms: u64) -> String {
    let s = ms / 1000;
    if s < 60 {
        format!("{s} s")
    } else {
        format!("{} min {:02} s", s / 60, s % 60)
    }
}

#[component]
pub fn JobLine(props: &JobProps) -> Html {
    let j = &props.job;
    let what = props.what.trim();
    let (class, icon, text) = match j.phase {
        JobPhase::Submitting => ("busy", None, format!("{what}: sending to CloudStack…")),
        JobPhase::Running => (
            "busy",
            None,
            format!(
                "{what}: CloudStack is working on it · {} poll{} · {}",
                j.polls,
                if j.polls == 1 { "" } else { "s" },
                elapsed(j.elapsed_ms)
            ),
        ),
        JobPhase::Succeeded => (
            "ok",
            Some(Icon::Check),
            format!("{what}: done in {}", elapsed(j.elapsed_ms)),
        ),
        JobPhase::Failed => (
            "failed",
            Some(Icon::Alert),
            format!("{what}: failed after {}", elapsed(j.elapsed_ms)),
        ),
    };
    html! {
        <div class={classes!("kube-job", format!("kube-job-{class}"))} id={props.id.clone()}
             data-phase={phase_name(j.phase)} data-action={j.action.clone()} data-job-name={j.vm_name.clone()}
             data-task={j.task_id.to_string()} role="status">
            { match icon { Some(i) => i.render(), None => html! { <span class="spinner"></span> } } }
            <div class="kube-job-text">
                <span>{ text }</span>
                if let Some(e) = j.error.as_ref().filter(|_| j.phase == JobPhase::Failed) {
                    <span class="kube-job-error">{ e }</span>
                }
                if let Some(id) = &j.job_id {
                    <span class="small muted mono">{ format!("job {id}") }</span>
                }
            </div>
            if let Some(dismiss) = &props.on_dismiss {
                <button class="icon-button kube-job-dismiss" aria-label="Dismiss" onclick={dismiss.clone()}>{ Icon::Close.render() }</button>
            }
        </div>
    }
}
