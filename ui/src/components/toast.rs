//! Toasts: short notices in the corner. Errors from the bridge are shown here with their code.

use crate::components::icons::Icon;
use akashone_types::ApiError;
use gloo_timers::callback::Timeout;
use std::rc::Rc;
use yew::prelude::*;

/// How long a toast stays before it fades by itself.
const TOAST_MS: u32 = 8_000;

#[derive(Clone, Debug, PartialEq)]
pub enum ToastKind {
    Error,
    Success,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    pub id: u32,
    pub kind: ToastKind,
    pub title: String,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ToastList {
    next_id: u32,
    pub items: Vec<Toast>,
}

pub enum ToastAction {
    Push {
        kind: ToastKind,
        title: String,
        message: String,
    },
    Dismiss(u32),
}

impl Reducible for ToastList {
    type Action = ToastAction;
    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            ToastAction::Push {
                kind,
                title,
                message,
            } => {
                next.next_id += 1;
                next.items.push(Toast {
                    id: next.next_id,
                    kind,
                    title,
                    message,
                });
                // Keep the corner readable: at most five at once, newest last.
                if next.items.len() > 5 {
                    next.items.remove(0);
                }
            }
            ToastAction::Dismiss(id) => next.items.retain(|t| t.id != id),
        }
        Rc::new(next)
    }
}

/// A handle for showing toasts from any component.
#[derive(Clone, PartialEq)]
pub struct Toaster(UseReducerHandle<ToastList>);

impl Toaster {
    /// Shows an error from the bridge: its message, with the code as a small label.
    pub fn error(&self, e: ApiError) {
        self.0.dispatch(ToastAction::Push {
            kind: ToastKind::Error,
            title: e.code.to_string(),
            message: e.message,
        });
    }

    /// Shows a success notice.
    pub fn success(&self, message: impl Into<String>) {
        self.0.dispatch(ToastAction::Push {
            kind: ToastKind::Success,
            title: "done".into(),
            message: message.into(),
        });
    }
}

#[hook]
pub fn use_toaster() -> Toaster {
    Toaster(use_context::<UseReducerHandle<ToastList>>().expect("toast context"))
}

/// The toast stack, bottom right.
#[component]
pub fn Toasts() -> Html {
    let list = use_context::<UseReducerHandle<ToastList>>().expect("toast context");
    html! {
        <div class="toasts" role="status" aria-live="polite">
            { for list.items.iter().map(|t| html! { <ToastView key={t.id} toast={t.clone()} list={list.clone()} /> }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ToastViewProps {
    toast: Toast,
    list: UseReducerHandle<ToastList>,
}

#[component]
fn ToastView(props: &ToastViewProps) -> Html {
    let id = props.toast.id;
    {
        let list = props.list.clone();
        use_effect_with(id, move |id| {
            let id = *id;
            let timer = Timeout::new(TOAST_MS, move || list.dispatch(ToastAction::Dismiss(id)));
            move || drop(timer)
        });
    }
    let dismiss = {
        let list = props.list.clone();
        Callback::from(move |_| list.dispatch(ToastAction::Dismiss(id)))
    };
    let (class, icon) = match props.toast.kind {
        ToastKind::Error => ("toast toast-error", Icon::Alert),
        ToastKind::Success => ("toast toast-success", Icon::Check),
    };
    html! {
        <div class={class}>
            <span class="toast-icon">{ icon.render() }</span>
            <div class="toast-body">
                <div class="toast-title mono">{ &props.toast.title }</div>
                <div class="toast-message">{ &props.toast.message }</div>
            </div>
            <button class="icon-button" aria-label="Dismiss" onclick={dismiss}>{ Icon::Close.render() }</button>
        </div>
    }
}
