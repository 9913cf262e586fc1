//! Signing in to a central server profile: the password, then, when two-factor authentication is
//! on, a six-digit code from the authenticator app or one recovery code.
//!
//! The password and codes live only in this dialog's state, are cleared after every attempt
//! (right or wrong) and are never logged.

use crate::components::icons::Icon;
use crate::components::toast::use_toaster;
use crate::hooks::{LiveAction, SignInRequest, use_live};
use crate::services::invoke;
use akashone_types::commands as cmd;
use akashone_types::{ApiError, ErrorCode, ProfileKind, SignInStep};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SignInProps {
    pub request: SignInRequest,
    pub on_close: Callback<()>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Password,
    Code,
    Recovery,
}

/// The digits of what was typed, at most six.
fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).take(6).collect()
}

#[component]
pub fn SignInDialog(props: &SignInProps) -> Html {
    let live = use_live();
    let toaster = use_toaster();
    let step = use_state(|| Step::Password);
    let secret = use_state(String::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let attempt = use_state(|| 0u32);
    let input = use_node_ref();

    // The field of the current step has the focus: on opening, on each step, after each error.
    {
        let input = input.clone();
        use_effect_with((*step, *attempt), move |_| {
            if let Some(el) = input.cast::<HtmlInputElement>() {
                let _ = el.focus();
            }
        });
    }

    let profile = props.request.profile.clone();
    let (url, username) = match &profile.kind {
        ProfileKind::Central { url, username } => (url.clone(), username.clone()),
        _ => (String::new(), String::new()),
    };

    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: ()| on_close.emit(()))
    };
    let on_key = {
        let close = close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                close.emit(());
            }
        })
    };
    let on_input = {
        let secret = secret.clone();
        let current = *step;
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            let value = el.value();
            secret.set(if current == Step::Code {
                let d = digits(&value);
                if d != value {
                    el.set_value(&d);
                }
                d
            } else {
                value
            });
        })
    };
    let go = |to: Step| {
        let step = step.clone();
        let secret = secret.clone();
        let error = error.clone();
        Callback::from(move |_: MouseEvent| {
            secret.set(String::new());
            error.set(None);
            step.set(to);
        })
    };

    let ready = match *step {
        Step::Password => !secret.is_empty(),
        Step::Code => secret.len() == 6,
        Step::Recovery => !secret.trim().is_empty(),
    };
    let hint = match *step {
        Step::Password if secret.is_empty() => Some("Enter your password."),
        Step::Code if secret.len() < 6 => Some("Enter the six digits from your authenticator app."),
        Step::Recovery if secret.trim().is_empty() => Some("Enter one of your recovery codes."),
        _ => None,
    };

    let onsubmit = {
        let (step, secret, error, busy, attempt) = (
            step.clone(),
            secret.clone(),
            error.clone(),
            busy.clone(),
            attempt.clone(),
        );
        let on_close = props.on_close.clone();
        let id = profile.id.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy || !ready {
                return;
            }
            // The secret leaves the form now: a failed attempt starts from an empty field.
            let typed = secret.trim().to_owned();
            let typed = if *step == Step::Password {
                (*secret).clone()
            } else {
                typed
            };
            secret.set(String::new());
            busy.set(true);
            let (step, error, busy, attempt) =
                (step.clone(), error.clone(), busy.clone(), attempt.clone());
            let (live, toaster, on_close, id) =
                (live.clone(), toaster.clone(), on_close.clone(), id.clone());
            let current = *step;
            spawn_local(async move {
                let result = match current {
                    Step::Password => {
                        invoke(&cmd::CentralSignIn {
                            id,
                            password: typed,
                        })
                        .await
                    }
                    Step::Code => {
                        invoke(&cmd::CentralVerify2fa {
                            code: Some(typed),
                            recovery_code: None,
                        })
                        .await
                    }
                    Step::Recovery => {
                        invoke(&cmd::CentralVerify2fa {
                            code: None,
                            recovery_code: Some(typed),
                        })
                        .await
                    }
                };
                busy.set(false);
                match result {
                    Ok(SignInStep::SignedIn { user }) => {
                        toaster.success(format!(
                            "Signed in as {} ({})",
                            user.username, user.tenant_name
                        ));
                        if let Ok(s) = invoke(&cmd::ConnectionStatus {}).await {
                            live.dispatch(LiveAction::Status(s));
                        }
                        live.dispatch(LiveAction::CentralChanged);
                        on_close.emit(());
                    }
                    Ok(SignInStep::TwoFactorRequired) => {
                        error.set(None);
                        step.set(Step::Code);
                        attempt.set(*attempt + 1);
                    }
                    Err(e) => {
                        error.set(Some(e));
                        attempt.set(*attempt + 1);
                    }
                }
            });
        })
    };

    let field = match *step {
        Step::Password => html! {
            <label class="field"><span>{"Password"}</span>
                <input id="signin-password" name="password" type="password" autocomplete="current-password"
                       ref={input.clone()} value={(*secret).clone()} oninput={on_input} readonly={*busy} />
            </label>
        },
        Step::Code => html! {
            <>
                <p class="muted">{"Two-factor authentication is on for this account. Enter the current code from \
                    your authenticator app."}</p>
                <label class="field"><span>{"Six-digit code"}</span>
                    <input id="signin-code" name="code" class="mono code-input" inputmode="numeric"
                           autocomplete="one-time-code" maxlength="6" pattern="[0-9]{6}" placeholder="000000"
                           ref={input.clone()} value={(*secret).clone()} oninput={on_input} readonly={*busy} />
                </label>
                <button type="button" class="link-button" id="signin-use-recovery" onclick={go(Step::Recovery)}>
                    {"Use a recovery code instead"}
                </button>
            </>
        },
        Step::Recovery => html! {
            <>
                <p class="muted">{"Enter one of the recovery codes you saved when you turned on two-factor \
                    authentication. Each code works once."}</p>
                <label class="field"><span>{"Recovery code"}</span>
                    <input id="signin-recovery" name="recovery" class="mono" autocomplete="off" spellcheck="false"
                           autocapitalize="off" ref={input.clone()} value={(*secret).clone()} oninput={on_input}
                           readonly={*busy} />
                </label>
                <button type="button" class="link-button" id="signin-use-code" onclick={go(Step::Code)}>
                    {"Use a code from the authenticator app instead"}
                </button>
            </>
        },
    };
    let submit_label = match (*busy, *step) {
        (true, Step::Password) => "Signing in…",
        (true, _) => "Checking…",
        (false, Step::Password) => "Sign in",
        (false, _) => "Verify",
    };

    html! {
        <div class="modal-backdrop" onkeydown={on_key}>
            <form class="modal signin form" id="signin-dialog" role="dialog" aria-modal="true"
                  aria-labelledby="signin-title" data-step={format!("{:?}", *step).to_lowercase()} onsubmit={onsubmit}>
                <button type="button" class="icon-button modal-close" aria-label="Close"
                        onclick={{ let c = close.clone(); Callback::from(move |_| c.emit(())) }}>
                    { Icon::Close.render() }
                </button>
                <div class="signin-head">
                    <span class="option-icon">{ Icon::Lock.render() }</span>
                    <div class="signin-title">
                        <h2 id="signin-title">{ format!("Sign in to {}", profile.name) }</h2>
                        <div class="small muted"><span class="mono">{ url }</span>{" · "}<span class="mono">{ username }</span></div>
                    </div>
                </div>
                if let Some(n) = &props.request.notice {
                    <div class="notice small" id="signin-notice">{ Icon::Info.render() }<span>{ n }</span></div>
                }
                { field }
                if let Some(e) = &*error {
                    // A lock refuses even the right password: say so, apart from a wrong one.
                    <div class="field-error" id="signin-error" role="alert" data-error-code={e.code.to_string()}>
                        if e.code == ErrorCode::Locked { { Icon::Lock.render() } } else { { Icon::Alert.render() } }
                        <span>{ &e.message }</span>
                    </div>
                }
                <div class="form-actions">
                    if *step != Step::Password {
                        <button type="button" class="button button-ghost" id="signin-restart" onclick={go(Step::Password)}>
                            {"Start over"}
                        </button>
                    }
                    <span class="toolbar-fill"></span>
                    <button type="button" class="button button-ghost" onclick={Callback::from(move |_| close.emit(()))}>{"Cancel"}</button>
                    <button type="submit" id="signin-submit" class="button button-primary" disabled={!ready || *busy}
                            title={hint.unwrap_or_default()}>
                        { submit_label }
                    </button>
                </div>
            </form>
        </div>
    }
}
