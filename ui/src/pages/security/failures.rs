//! The user's own recent failed sign-ins, password and code checks and lockouts, with the
//! address each came from: someone guessing at the account shows here.

use crate::components::central::{load_error, loading};
use crate::components::icons::Icon;
use crate::format::short_time;
use crate::hooks::{Load, Reload, use_load};
use akashone_types::central::AuditOut;
use akashone_types::commands as cmd;
use yew::prelude::*;

/// What a row was, in words.
fn what(action: &str) -> &'static str {
    match action {
        "auth.login" => "Sign-in",
        "auth.password" => "Password change",
        "auth.2fa.disable" => "Turning off two-factor authentication",
        "auth.lockout" => "Locked",
        _ => "Check",
    }
}

/// The reason, without the `failed: ` or `locked: ` the server puts first.
fn why(r: &AuditOut) -> &str {
    let t = r.result.as_str();
    t.strip_prefix("failed: ")
        .or_else(|| t.strip_prefix("locked: "))
        .unwrap_or(t)
}

#[component]
pub fn SignInFailures() -> Html {
    let reload = use_state(|| 0u32);
    let rows = use_load(*reload, Reload::KeepShown, |_| {
        Some(cmd::OwnSignInFailures {})
    });
    let refresh = {
        let reload = reload.clone();
        Callback::from(move |_: ()| reload.set(*reload + 1))
    };
    let body = match &*rows {
        Load::Loading => loading("recent failed sign-ins"),
        Load::Failed(e) => load_error("recent failed sign-ins", e, refresh.clone()),
        Load::Ready(rows) if rows.is_empty() => html! {
            <p class="muted" id="failures-none">{ Icon::Check.render() }{" No failed sign-ins in the last 30 days."}</p>
        },
        Load::Ready(rows) => {
            let locks = rows.iter().filter(|r| r.action == "auth.lockout").count();
            html! {
                <>
                    <p class="muted small" id="failures-summary">
                        { format!("{} in the last 30 days, newest first", rows.len()) }
                        { if locks > 0 { format!(" · locked {locks} time{}", if locks == 1 { "" } else { "s" }) } else { String::new() } }
                        {". If these were not you, change your password and turn on two-factor authentication."}
                    </p>
                    <div class="table" id="failures-list">
                        <div class="table-row table-head failure-row" role="row">
                            <span>{"When"}</span><span>{"What"}</span><span>{"From"}</span><span>{"Why"}</span>
                        </div>
                        { for rows.iter().map(|r| html! {
                            <div class={classes!("table-row", "failure-row", (r.action == "auth.lockout").then_some("audit-failed"))}
                                 role="row" key={r.id} data-action={r.action.clone()}>
                                <span class="muted audit-when" title={r.at.clone()}>{ short_time(&r.at) }</span>
                                <span>{ what(&r.action) }</span>
                                <span class="mono small">{ r.ip.clone().unwrap_or_else(|| "—".into()) }</span>
                                <span class="audit-result is-failed">{ Icon::Alert.render() }<span>{ why(r) }</span></span>
                            </div>
                        }) }
                    </div>
                </>
            }
        }
    };
    html! {
        <section class="card section-card" id="sign-in-failures">
            <div class="card-head">
                <span class="option-icon">{ Icon::Shield.render() }</span>
                <h2>{"Recent failed sign-ins"}</h2>
                <span class="toolbar-fill"></span>
                <button class="button" id="failures-refresh" onclick={Callback::from(move |_| refresh.emit(()))}>
                    { Icon::Refresh.render() }{"Refresh"}
                </button>
            </div>
            { body }
        </section>
    }
}
