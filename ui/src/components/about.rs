//! The about box: product, version, company, where data lives, font licences.

use crate::components::icons::Icon;
use akashone_types::AppInfo;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AboutProps {
    pub info: Option<AppInfo>,
    pub on_close: Callback<()>,
}

#[component]
pub fn AboutDialog(props: &AboutProps) -> Html {
    let close = {
        let c = props.on_close.clone();
        Callback::from(move |_| c.emit(()))
    };
    let stop = Callback::from(|e: MouseEvent| e.stop_propagation());
    let version = props
        .info
        .as_ref()
        .map(|i| i.version.clone())
        .unwrap_or_default();
    let data_dir = props
        .info
        .as_ref()
        .map(|i| i.data_dir.clone())
        .unwrap_or_default();
    html! {
        <div class="modal-backdrop" onclick={close.clone()}>
            <div class="modal about" role="dialog" aria-modal="true" aria-labelledby="about-title" onclick={stop}>
                <button class="icon-button modal-close" aria-label="Close" onclick={close}>{ Icon::Close.render() }</button>
                <img src="assets/akashone-mark.svg" alt="" width="56" height="56" />
                <h2 id="about-title">{"AkashOne Console"}</h2>
                <p class="muted">{"Version "}<span class="mono">{ version }</span></p>
                <p>{"A desktop console for Apache CloudStack clouds."}</p>
                <dl class="facts">
                    <dt>{"Made by"}</dt><dd id="about-company">{"Mieux Technologies Pvt Ltd"}</dd>
                    <dt>{"Web"}</dt><dd>{"AkashOne.com"}</dd>
                    <dt>{"Data folder"}</dt><dd class="mono">{ data_dir }</dd>
                    <dt>{"Fonts"}</dt><dd>{"Inter and JetBrains Mono, under the SIL Open Font License 1.1"}</dd>
                </dl>
                <p class="muted small">{"© 2026 Mieux Technologies Pvt Ltd. All rights reserved."}</p>
            </div>
        </div>
    }
}
