use yew::prelude::*;
#[component]
pub fn Networks() -> Html { html! {} }
