//! The heading block every page starts with.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PageHeaderProps {
    pub title: AttrValue,
    #[prop_or_default]
    pub subtitle: Option<AttrValue>,
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn PageHeader(props: &PageHeaderProps) -> Html {
    html! {
        <div class="page-header">
            <div>
                <h1 class="page-title">{ &props.title }</h1>
                if let Some(sub) = &props.subtitle {
                    <p class="page-subtitle">{ sub }</p>
                }
            </div>
            <div class="page-actions">{ props.children.clone() }</div>
        </div>
    }
}
