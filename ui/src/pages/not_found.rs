use crate::components::page::PageHeader;
use crate::route::Route;
use yew::prelude::*;
use yew_router::prelude::*;

#[component]
pub fn NotFound() -> Html {
    html! {
        <section class="page" data-page="not-found">
            <PageHeader title="Page not found" subtitle="There is no page at this address." />
            <Link<Route> to={Route::Dashboard} classes="button">{"Back to the dashboard"}</Link<Route>>
        </section>
    }
}
