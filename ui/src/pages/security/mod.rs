//! Security: the signed-in user's two-factor authentication (set up with a QR code, recovery
//! codes shown once, turned off with the password and a code), their password, and their own
//! recent failed sign-ins.

mod failures;

use crate::components::central::{central_gate, central_profile, offline_banner};
use crate::components::icons::Icon;
use crate::components::page::PageHeader;
use crate::components::toast::use_toaster;
use crate::hooks::use_shell;
use crate::hooks::{LiveAction, use_live};
use crate::hooks::{SignInRequest, use_submit};
use crate::route::Route;
use akashone_types::central::{Me, SetupOut};
use akashone_types::commands as cmd;
use akashone_types::{Profile, Reachability};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use akashone_types::central::MIN_PASSWORD_CHARS as MIN_PASSWORD;

#[component]
pub fn Security() -> Html {
    let live = use_live();
    let shell = use_shell();
    let body = match central_gate(&live, &shell, Route::Security) {
        Ok((me, status)) => {
            let profile = central_profile(Some(&status)).map(|(p, ..)| p.clone());
            html! {
                <>
                    { offline_banner(&status) }
                    if let Some(profile) = profile {
                        <SecurityBody me={me} profile={profile} />
                    }
                </>
            }
        }
        Err(h) => h,
    };
    html! {
        <section class="page" data-page="security">
            <PageHeader title="Security" subtitle="Your sign-in: two-factor authentication and your password." />
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct BodyProps {
    me: Me,
    profile: Profile,
}

#[component]
fn SecurityBody(props: &BodyProps) -> Html {
    let me = &props.me;
    let url = match &props.profile.kind {
        akashone_types::ProfileKind::Central { url, .. } => url.clone(),
        _ => String::new(),
    };
    html! {
        <>
            <div class="card">
                <dl class="facts account-facts" id="account-facts">
                    <dt>{"User name"}</dt><dd class="mono">{ &me.username }</dd>
                    <dt>{"Tenant"}</dt><dd>{ &me.tenant_name }</dd>
                    <dt>{"Role"}</dt><dd>{ &me.role_name }</dd>
                    <dt>{"Server"}</dt><dd class="mono">{ url }</dd>
                </dl>
            </div>
            <TwoFactor me={me.clone()} />
            <ChangePassword profile={props.profile.clone()} />
            <failures::SignInFailures />
        </>
    }
}

/// Where the two-factor card stands.
#[derive(Clone, PartialEq)]
enum Mode {
    Idle,
    Setup(SetupOut),
    /// The recovery codes, shown once.
    Codes(Vec<String>),
    Disable {
        confirm: bool,
    },
}

/// `JBSWY3DPEHPK3PXP` → `JBSW Y3DP EHPK 3PXP`.
fn grouped(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().filter(|c| !c.is_whitespace()).collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

fn text_input(set: UseStateHandle<String>, digits_only: bool) -> Callback<InputEvent> {
    Callback::from(move |e: InputEvent| {
        let el: HtmlInputElement = e.target_unchecked_into();
        let v = el.value();
        if digits_only {
            let d: String = v.chars().filter(char::is_ascii_digit).take(6).collect();
            if d != v {
                el.set_value(&d);
            }
            set.set(d);
        } else {
            set.set(v);
        }
    })
}

#[derive(Properties, PartialEq)]
struct TwoFactorProps {
    me: Me,
}

#[component]
fn TwoFactor(props: &TwoFactorProps) -> Html {
    let live = use_live();
    let toaster = use_toaster();
    let mode = use_state(|| Mode::Idle);
    // What this page last changed, until the signed-in user's facts catch up.
    let changed = use_state(|| None::<bool>);
    let code = use_state(String::new);
    let password = use_state(String::new);
    let error = use_state(|| None::<String>);
    // Setting up, then turning on or off, each one call at a time; the signed-in user's facts
    // are read again after either.
    let setup = use_submit();
    let submit = use_submit();
    let refresh = use_submit();
    let code_ref = use_node_ref();
    let password_ref = use_node_ref();
    {
        let changed = changed.clone();
        use_effect_with(props.me.two_factor_enabled, move |_| changed.set(None));
    }
    let on = changed.unwrap_or(props.me.two_factor_enabled);
    // The code field has the focus once the QR code shows.
    {
        let code_ref = code_ref.clone();
        let showing_setup = matches!(*mode, Mode::Setup(_));
        use_effect_with(showing_setup, move |s| {
            if *s && let Some(el) = code_ref.cast::<HtmlInputElement>() {
                let _ = el.focus();
            }
        });
    }

    // The password field of the turn-off form has the focus when it opens and after an error.
    {
        let password_ref = password_ref.clone();
        let editing = matches!(*mode, Mode::Disable { confirm: false });
        use_effect_with((editing, (*error).clone()), move |(editing, _)| {
            if *editing && let Some(el) = password_ref.cast::<HtmlInputElement>() {
                let _ = el.focus();
            }
        });
    }
    let reset = {
        let (mode, code, password, error) =
            (mode.clone(), code.clone(), password.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            code.set(String::new());
            password.set(String::new());
            error.set(None);
            mode.set(Mode::Idle);
        })
    };
    let start = {
        let (mode, error, toaster, setup) =
            (mode.clone(), error.clone(), toaster.clone(), setup.clone());
        Callback::from(move |_: MouseEvent| {
            let (mode, toaster) = (mode.clone(), toaster.clone());
            error.set(None);
            setup.send(cmd::TwofaSetup {}, move |answer| match answer {
                Ok(s) => mode.set(Mode::Setup(s)),
                Err(e) => toaster.error(e),
            });
        })
    };
    // The connection status carries the signed-in user's facts: read again after a change.
    let refresh_status = {
        let (refresh, live) = (refresh.clone(), live.clone());
        move || {
            let live = live.clone();
            refresh.send(cmd::ConnectionStatus {}, move |answer| {
                if let Ok(s) = answer {
                    live.dispatch(LiveAction::Status(s));
                }
            });
        }
    };
    let enable = {
        let (mode, code, error, submit) =
            (mode.clone(), code.clone(), error.clone(), submit.clone());
        let (changed, code_ref, refresh_status) =
            (changed.clone(), code_ref.clone(), refresh_status.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if submit.busy() || code.len() != 6 {
                return;
            }
            let typed = (*code).clone();
            code.set(String::new());
            let (mode, error, changed, code_ref, refresh_status) = (
                mode.clone(),
                error.clone(),
                changed.clone(),
                code_ref.clone(),
                refresh_status.clone(),
            );
            submit.send(
                cmd::TwofaEnable { code: typed },
                move |answer| match answer {
                    Ok(out) => {
                        error.set(None);
                        changed.set(Some(true));
                        mode.set(Mode::Codes(out.recovery_codes));
                        refresh_status();
                    }
                    Err(e) => {
                        error.set(Some(e.message));
                        if let Some(el) = code_ref.cast::<HtmlInputElement>() {
                            let _ = el.focus();
                        }
                    }
                },
            );
        })
    };
    let saved = {
        let mode = mode.clone();
        let toaster = toaster.clone();
        Callback::from(move |_: MouseEvent| {
            // The codes leave memory here: the state that held them is replaced.
            mode.set(Mode::Idle);
            toaster.success("Two-factor authentication is on");
        })
    };
    let ask_disable = {
        let (mode, error) = (mode.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            error.set(None);
            mode.set(Mode::Disable { confirm: false });
        })
    };
    let disable_ready = !password.is_empty() && !code.trim().is_empty();
    let disable_submit = {
        let mode = mode.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if disable_ready {
                mode.set(Mode::Disable { confirm: true });
            }
        })
    };
    let disable = {
        let (mode, code, password, error, submit) = (
            mode.clone(),
            code.clone(),
            password.clone(),
            error.clone(),
            submit.clone(),
        );
        let (changed, toaster) = (changed.clone(), toaster.clone());
        Callback::from(move |_: MouseEvent| {
            if submit.busy() {
                return;
            }
            let (pw, c) = ((*password).clone(), code.trim().to_owned());
            password.set(String::new());
            code.set(String::new());
            let (mode, error, changed, toaster, refresh_status) = (
                mode.clone(),
                error.clone(),
                changed.clone(),
                toaster.clone(),
                refresh_status.clone(),
            );
            let command = cmd::TwofaDisable {
                password: pw,
                code: c,
            };
            submit.send(command, move |answer| match answer {
                Ok(me) => {
                    error.set(None);
                    changed.set(Some(me.two_factor_enabled));
                    mode.set(Mode::Idle);
                    toaster.success("Two-factor authentication is off");
                    refresh_status();
                }
                Err(e) => {
                    error.set(Some(e.message));
                    mode.set(Mode::Disable { confirm: false });
                }
            });
        })
    };

    let error_html = match &*error {
        Some(e) => {
            html! { <div class="field-error" id="twofa-error" role="alert">{ Icon::Alert.render() }<span>{ e }</span></div> }
        }
        None => Html::default(),
    };

    let body = match (*mode).clone() {
        Mode::Idle if !on => html! {
            <>
                <p class="muted">{"Off: signing in needs only your password. With two-factor authentication on, \
                    it also needs a six-digit code from an authenticator app on your phone."}</p>
                <div class="form-actions">
                    <button class="button button-primary" id="twofa-start" onclick={start} disabled={setup.busy()}>
                        { Icon::Shield.render() }
                        { if setup.busy() { "Preparing…" } else { "Set up two-factor authentication" } }
                    </button>
                </div>
            </>
        },
        Mode::Idle => html! {
            <>
                <p class="muted">{"On: after your password, signing in asks for a code from your authenticator app \
                    (or one of your recovery codes)."}</p>
                <div class="form-actions">
                    <button class="button button-danger" id="twofa-disable-start" onclick={ask_disable}>{"Turn off…"}</button>
                </div>
            </>
        },
        Mode::Setup(setup) => {
            let ready = code.len() == 6;
            html! {
                <form class="twofa-setup" id="twofa-setup" onsubmit={enable}>
                    <div class="qr-box">
                        <img id="twofa-qr" src={setup.qr_png.clone()} alt="QR code to scan with your authenticator app" />
                    </div>
                    <ol class="setup-steps">
                        <li>
                            <strong>{"Scan the QR code"}</strong>
                            <span class="muted">{" with an authenticator app (Google Authenticator, Microsoft \
                                Authenticator, Aegis, 1Password…)."}</span>
                        </li>
                        <li>
                            <strong>{"Cannot scan it?"}</strong>
                            <span class="muted">{" Add the account by hand with this key (time-based, 6 digits, every 30 seconds):"}</span>
                            <div class="secret-key mono" id="twofa-secret" data-secret={setup.secret.clone()}>{ grouped(&setup.secret) }</div>
                        </li>
                        <li>
                            <strong>{"Enter the code the app shows"}</strong>{" to check that it works."}
                            <div class="inline-form">
                                <input id="twofa-code" class="mono code-input" inputmode="numeric" autocomplete="one-time-code"
                                       maxlength="6" pattern="[0-9]{6}" placeholder="000000" aria-label="Six-digit code"
                                       ref={code_ref.clone()} value={(*code).clone()} oninput={text_input(code.clone(), true)} />
                                <button type="submit" class="button button-primary" id="twofa-enable" disabled={!ready || submit.busy()}
                                        title={if ready { "" } else { "Enter the six digits the app shows" }}>
                                    { if submit.busy() { "Checking…" } else { "Turn on" } }
                                </button>
                                <button type="button" class="button button-ghost" id="twofa-cancel" onclick={reset.clone()}>{"Cancel"}</button>
                            </div>
                        </li>
                    </ol>
                    { error_html.clone() }
                </form>
            }
        }
        Mode::Codes(codes) => html! {
            <div class="recovery">
                <div class="banner banner-warn" role="alert">
                    { Icon::Alert.render() }
                    <span class="banner-text"><strong>{"Save these recovery codes now: they are shown only this once."}</strong>
                        {" Each one signs you in a single time if you lose your phone. Keep them somewhere safe, \
                          away from this computer (a password manager, or printed). Once you leave this step they \
                          cannot be shown again."}</span>
                </div>
                <ol class="recovery-grid mono" id="recovery-codes">
                    { for codes.iter().map(|c| html! { <li>{ c }</li> }) }
                </ol>
                <div class="form-actions">
                    <button class="button button-primary" id="recovery-saved" onclick={saved}>
                        { Icon::Check.render() }{"I have saved them"}
                    </button>
                </div>
            </div>
        },
        Mode::Disable { confirm } => html! {
            <form class="form narrow" id="twofa-disable" onsubmit={disable_submit}>
                <p class="muted">{"To turn two-factor authentication off, confirm with your password and a current code \
                    from the app (or an unused recovery code)."}</p>
                <label class="field"><span>{"Password"}</span>
                    <input id="twofa-disable-password" type="password" autocomplete="current-password" readonly={confirm}
                           ref={password_ref.clone()}
                           value={(*password).clone()} oninput={text_input(password.clone(), false)} /></label>
                <label class="field"><span>{"Code from the app, or a recovery code"}</span>
                    <input id="twofa-disable-code" class="mono" autocomplete="one-time-code" spellcheck="false" readonly={confirm}
                           value={(*code).clone()} oninput={text_input(code.clone(), false)} /></label>
                { error_html.clone() }
                if confirm {
                    <div class="confirm" id="twofa-disable-confirm-box">
                        <p>{"Turn off two-factor authentication? Anyone who learns your password could then sign in \
                            as you. Your recovery codes stop working."}</p>
                        <div class="form-actions">
                            <button type="button" class="button button-ghost"
                                    onclick={{ let m = mode.clone(); Callback::from(move |_| m.set(Mode::Disable { confirm: false })) }}>
                                {"Back"}
                            </button>
                            <button type="button" class="button button-danger solid" id="twofa-disable-confirm" disabled={submit.busy()} onclick={disable}>
                                { if submit.busy() { "Turning off…" } else { "Turn it off" } }
                            </button>
                        </div>
                    </div>
                } else {
                    <div class="form-actions">
                        <button type="button" class="button button-ghost" onclick={reset.clone()}>{"Cancel"}</button>
                        <button type="submit" class="button button-danger" id="twofa-disable-submit" disabled={!disable_ready}
                                title={if disable_ready { "" } else { "Enter your password and a code" }}>
                            {"Turn off two-factor authentication"}
                        </button>
                    </div>
                }
            </form>
        },
    };

    html! {
        <div class="card section-card" id="twofa-card" data-enabled={on.to_string()}>
            <div class="card-head">
                <span class="option-icon">{ Icon::Shield.render() }</span>
                <h2>{"Two-factor authentication"}</h2>
                <span id="twofa-status" class={if on { "state state-running" } else { "state state-stopped" }}>
                    { if on { "On" } else { "Off" } }
                </span>
            </div>
            { body }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ChangePasswordProps {
    profile: Profile,
}

/// Why the new password cannot be sent yet, if anything.
fn password_problem(current: &str, new: &str, confirm: &str) -> Option<String> {
    let n = new.chars().count();
    if current.is_empty() {
        Some("Enter your current password.".into())
    } else if n < MIN_PASSWORD {
        Some(format!(
            "The new password needs at least {MIN_PASSWORD} characters ({n} so far)."
        ))
    } else if new == current {
        Some("The new password must differ from the current one.".into())
    } else if confirm.is_empty() {
        Some("Type the new password again to confirm it.".into())
    } else if confirm != new {
        Some("The two new passwords do not match.".into())
    } else {
        None
    }
}

#[component]
fn ChangePassword(props: &ChangePasswordProps) -> Html {
    let live = use_live();
    let shell = use_shell();
    let toaster = use_toaster();
    let current = use_state(String::new);
    let new = use_state(String::new);
    let confirm = use_state(String::new);
    let error = use_state(|| None::<String>);
    let submit = use_submit();
    // The password was changed and this console kept its (new) session.
    let done = use_state(|| false);

    let problem = password_problem(&current, &new, &confirm);
    let onsubmit = {
        let (current, new, confirm, error, submit) = (
            current.clone(),
            new.clone(),
            confirm.clone(),
            error.clone(),
            submit.clone(),
        );
        let (live, toaster, done) = (live.clone(), toaster.clone(), done.clone());
        let open = shell.open_sign_in.clone();
        let profile = props.profile.clone();
        let ok = problem.is_none();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !ok || submit.busy() {
                return;
            }
            let (cur, next) = ((*current).clone(), (*new).clone());
            current.set(String::new());
            done.set(false);
            let done = done.clone();
            let (new, confirm, error, live, toaster, open, profile) = (
                new.clone(),
                confirm.clone(),
                error.clone(),
                live.clone(),
                toaster.clone(),
                open.clone(),
                profile.clone(),
            );
            let command = cmd::ChangePassword {
                current_password: cur,
                new_password: next,
            };
            submit.send(command, move |answer| match answer {
                Ok(status) => {
                    new.set(String::new());
                    confirm.set(String::new());
                    error.set(None);
                    let signed_out =
                        status.reachability == Reachability::SignedOut || status.user.is_none();
                    live.dispatch(LiveAction::Status(status));
                    if signed_out {
                        toaster.success("Password changed: sign in again with the new one");
                        open.emit(SignInRequest {
                            profile,
                            notice: Some(
                                "Your password was changed and every session was signed out, this \
                                     one included. Sign in with the new password."
                                    .into(),
                            ),
                        });
                    } else {
                        done.set(true);
                        toaster.success("Password changed");
                    }
                }
                Err(e) => error.set(Some(e.message)),
            });
        })
    };

    html! {
        <form class="card section-card form" id="password-form" onsubmit={onsubmit}>
            <div class="card-head">
                <span class="option-icon">{ Icon::Key.render() }</span>
                <h2>{"Change password"}</h2>
            </div>
            <p class="muted">{ format!("At least {MIN_PASSWORD} characters; a long phrase is easier to remember than a short jumble. \
                Changing it signs out every other session of this account.") }</p>
            <div class="form-grid">
                <label class="field"><span>{"Current password"}</span>
                    <input id="pw-current" type="password" autocomplete="current-password"
                           value={(*current).clone()} oninput={text_input(current.clone(), false)} /></label>
                <label class="field"><span>{"New password"}</span>
                    <input id="pw-new" type="password" autocomplete="new-password"
                           value={(*new).clone()} oninput={text_input(new.clone(), false)} /></label>
                <label class="field"><span>{"New password again"}</span>
                    <input id="pw-confirm" type="password" autocomplete="new-password"
                           value={(*confirm).clone()} oninput={text_input(confirm.clone(), false)} /></label>
            </div>
            if let Some(e) = &*error {
                <div class="field-error" id="pw-error" role="alert">{ Icon::Alert.render() }<span>{ e }</span></div>
            }
            if *done {
                <div class="notice small" id="pw-done" role="status">{ Icon::Check.render() }
                    <span>{"Password changed. Every other session of this account was signed out; this console goes on \
                            with a new session. Other devices must sign in again with the new password."}</span></div>
            }
            <div class="form-actions">
                <button type="submit" class="button button-primary" id="pw-submit" disabled={problem.is_some() || submit.busy()}
                        title={problem.clone().unwrap_or_default()}>
                    { if submit.busy() { "Changing…" } else { "Change password" } }
                </button>
                if let Some(p) = &problem {
                    <span class="small muted" id="pw-reason">{ p }</span>
                }
            </div>
        </form>
    }
}
