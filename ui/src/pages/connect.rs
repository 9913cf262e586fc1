//! The connection screen: how this console reaches a cloud.

use crate::components::icons::Icon;
use crate::components::page::PageHeader;
use yew::prelude::*;

struct Choice {
    icon: Icon,
    title: &'static str,
    text: &'static str,
    fields: &'static [&'static str],
}

const OPTIONS: &[Choice] = &[
    Choice {
        icon: Icon::Server,
        title: "CloudStack directly",
        text: "Talk to a CloudStack API with your API key and secret key. Every request is signed; \
               the secret key is kept in the system keyring, never in plain text.",
        fields: &["API URL", "API key", "Secret key"],
    },
    Choice {
        icon: Icon::Activity,
        title: "Demo",
        text: "Run the built-in CloudStack simulator on this computer with sample data, \
               to try the console without a cloud.",
        fields: &["No settings needed"],
    },
    Choice {
        icon: Icon::Users,
        title: "Central server",
        text: "Sign in to your organisation's AkashOne server with your password and a \
               two-factor code, and work within your tenant.",
        fields: &["Server URL", "User name", "Password", "Authenticator code"],
    },
];

#[component]
pub fn Connect() -> Html {
    html! {
        <section class="page" data-page="connect">
            <PageHeader title="Connect" subtitle="Choose how this console reaches your cloud." />
            <div class="notice">
                { Icon::Info.render() }
                <span>{"Connections are not available in this version yet: connection profiles arrive \
                        together with the offline cache and virtual machine management."}</span>
            </div>
            <div class="option-grid">
                { for OPTIONS.iter().map(|o| html! {
                    <div class="card option" aria-disabled="true">
                        <div class="option-head">
                            <span class="option-icon">{ o.icon.render() }</span>
                            <h2>{ o.title }</h2>
                            <span class="badge">{"Not built yet"}</span>
                        </div>
                        <p class="muted">{ o.text }</p>
                        <ul class="field-list">
                            { for o.fields.iter().map(|f| html! { <li>{ *f }</li> }) }
                        </ul>
                    </div>
                }) }
            </div>
        </section>
    }
}
