//! Billing: the GST invoices issued by or to the tenant acted as, with their credit and debit
//! notes, from the offline cache (synced from the central server). The detail shows a document
//! as printed; *Save PDF* and *Print* render it on this computer, with or without the network.

mod detail;

use crate::components::central::{central_profile, lacks, load_error, loading, note};
use crate::components::icons::Icon;
use crate::components::page::PageHeader;
use crate::components::toast::use_toaster;
use crate::format::{self, short_time};
use crate::hooks::Load;
use crate::hooks::use_live;
use crate::route::Route;
use crate::services::invoke;
use akashone_types::central::{DocumentKind, EInvoiceState, InvoiceSummary, Permission};
use akashone_types::commands as cmd;
use akashone_types::{InvoiceList, ProfileKind, Reachability};
use std::collections::{HashMap, HashSet};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;
use yew_router::prelude::*;

const SUBTITLE: &str = "GST invoices, credit notes and debit notes, kept on this computer: read and print them with or without the network.";

#[component]
pub fn Billing() -> Html {
    let live = use_live();
    let body = match live.status.as_ref() {
        None => loading("the connection"),
        Some(status) if central_profile(Some(status)).is_none() => {
            let current = match status.profile.as_ref().map(|p| (&p.kind, &p.name)) {
                Some((ProfileKind::Demo, name)) => {
                    format!(
                        "The profile in use, {name}, is the built-in demo cloud, which issues no invoices."
                    )
                }
                Some((ProfileKind::CloudStack { .. }, name)) => format!(
                    "The profile in use, {name}, talks to CloudStack directly, which issues no invoices."
                ),
                _ => "No connection profile is in use.".to_owned(),
            };
            html! {
                <div class="hero card" id="needs-central">
                    <div class="hero-icon">{ Icon::Receipt.render() }</div>
                    <div class="hero-text">
                        <h2>{"Invoices come from a central server profile"}</h2>
                        <p class="muted">{ format!("An AkashOne central server issues the GST invoices, credit notes and \
                            debit notes; a central server profile keeps them on this computer so they can be read and \
                            printed offline. {current}") }</p>
                    </div>
                    <Link<Route> to={Route::Connect} classes="button button-primary">
                        {"Connect to a central server"}{ Icon::ArrowRight.render() }
                    </Link<Route>>
                </div>
            }
        }
        Some(_) => html! { <Invoices /> },
    };
    html! {
        <section class="page page-fill" data-page="billing">
            <PageHeader title="Billing" subtitle={SUBTITLE} />
            { body }
        </section>
    }
}

/// A row of the list: an invoice, or a note nested under its invoice.
#[derive(Clone, PartialEq)]
struct Row {
    doc: InvoiceSummary,
    nested: bool,
}

/// The documents in display order: invoices newest first, each followed by its notes in the
/// order they were issued; a note whose invoice is not listed stands on its own.
fn arrange(docs: &[InvoiceSummary]) -> Vec<Vec<Row>> {
    let invoice_ids: HashSet<&str> = docs
        .iter()
        .filter(|d| d.document_type == DocumentKind::Invoice)
        .map(|d| d.id.as_str())
        .collect();
    // Oldest first: the list comes newest first, so walk it backwards (ties keep issue order).
    let mut notes: HashMap<&str, Vec<&InvoiceSummary>> = HashMap::new();
    for d in docs.iter().rev() {
        if d.document_type != DocumentKind::Invoice
            && let Some(of) = d
                .original_invoice_id
                .as_deref()
                .filter(|i| invoice_ids.contains(i))
        {
            notes.entry(of).or_default().push(d);
        }
    }
    for v in notes.values_mut() {
        v.sort_by(|a, b| (&a.date, a.created_at).cmp(&(&b.date, b.created_at)));
    }
    let mut groups = Vec::new();
    for d in docs {
        let nested = d.document_type != DocumentKind::Invoice
            && d.original_invoice_id
                .as_deref()
                .is_some_and(|i| invoice_ids.contains(i));
        if nested {
            continue;
        }
        let mut group = vec![Row {
            doc: d.clone(),
            nested: false,
        }];
        if let Some(ns) = notes.get(d.id.as_str()) {
            group.extend(ns.iter().map(|n| Row {
                doc: (*n).clone(),
                nested: true,
            }));
        }
        groups.push(group);
    }
    groups
}

/// Whether a document matches the filter: its number, either party, or its period (as stored,
/// `2026-10`, or as shown, `Oct 2026`).
fn matches(d: &InvoiceSummary, needle: &str) -> bool {
    let period = d.period.as_deref().unwrap_or_default();
    [
        d.number.as_str(),
        d.customer_name.as_str(),
        d.seller_name.as_str(),
        period,
        &format::period(period),
        &format::date(&d.date),
    ]
    .iter()
    .any(|f| f.to_lowercase().contains(needle))
}

/// The groups the filter keeps: a group whose invoice matches, whole; otherwise the invoice and
/// the notes that match.
fn filtered(groups: &[Vec<Row>], needle: &str) -> Vec<Vec<Row>> {
    if needle.is_empty() {
        return groups.to_vec();
    }
    groups
        .iter()
        .filter_map(|g| {
            let (head, rest) = g.split_first()?;
            if matches(&head.doc, needle) {
                return Some(g.clone());
            }
            let hits: Vec<Row> = rest
                .iter()
                .filter(|r| matches(&r.doc, needle))
                .cloned()
                .collect();
            (!hits.is_empty()).then(|| std::iter::once(head.clone()).chain(hits).collect())
        })
        .collect()
}

/// The e-invoice state as a badge (nothing when no IRN is needed).
pub fn einvoice_badge(state: EInvoiceState) -> Html {
    match state {
        EInvoiceState::NotRequired => Html::default(),
        EInvoiceState::AwaitingIrn => html! {
            <span class="state state-warn einvoice" data-einvoice="awaiting_irn"
                  title="Awaiting its IRN: not a valid invoice until the portal's response is imported on the server">
                <span class="einvoice-text">{"Awaiting IRN"}</span>
            </span>
        },
        EInvoiceState::Registered => html! {
            <span class="state state-running einvoice" data-einvoice="registered" title="Registered with the Invoice Registration Portal">
                <span class="einvoice-text">{"IRN registered"}</span>
            </span>
        },
    }
}

/// The CN / DN badge of a note.
pub fn kind_badge(kind: DocumentKind) -> Html {
    match format::kind_badge(kind) {
        Some(b) => html! {
            <span class={classes!("doc-kind", if kind == DocumentKind::CreditNote { "doc-kind-cn" } else { "doc-kind-dn" })}
                  title={format::kind_name(kind)}>{ b }</span>
        },
        None => Html::default(),
    }
}

/// Focuses the row of a document (arrow keys, closing the detail).
fn focus_row(number: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&row_id(number)))
        .and_then(|el| el.dyn_into::<HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

fn row_id(number: &str) -> String {
    format!("invoice-row-{number}")
}

#[component]
fn Invoices() -> Html {
    let live = use_live();
    let toaster = use_toaster();
    let list = use_state(|| Load::<InvoiceList>::Loading);
    let reload = use_state(|| 0u32);
    let filter = use_state(String::new);
    let selected = use_state(|| None::<String>);
    let status = live.status.clone();
    let profile_id = status
        .as_ref()
        .and_then(|s| s.profile.as_ref())
        .map(|p| p.id.clone());
    let acting = status
        .as_ref()
        .and_then(|s| s.acting_as.as_ref())
        .map(|a| a.id.clone());

    // A new profile or tenant: start over.
    {
        let (list, selected, filter) = (list.clone(), selected.clone(), filter.clone());
        use_effect_with((profile_id.clone(), acting.clone()), move |_| {
            list.set(Load::Loading);
            selected.set(None);
            filter.set(String::new());
        });
    }
    // The cached list: on arrival, after every sync ("data-changed"), and on demand. The list
    // shown stays up while the next one loads.
    {
        let (list, selected) = (list.clone(), selected.clone());
        use_effect_with(
            (live.data_version, *reload, profile_id, acting),
            move |_| {
                spawn_local(async move {
                    let next: Load<InvoiceList> = invoke(&cmd::InvoiceList {}).await.into();
                    // A document that left the cache (another tenant acted as) is no longer shown.
                    if let (Load::Ready(l), Some(n)) = (&next, (*selected).as_ref())
                        && !l.documents.iter().any(|d| &d.number == n)
                    {
                        selected.set(None);
                    }
                    list.set(next);
                });
            },
        );
    }

    let retry = {
        let reload = reload.clone();
        Callback::from(move |_: ()| reload.set(*reload + 1))
    };
    let Some(status) = status else {
        return loading("the connection");
    };
    let data = match &*list {
        Load::Loading => return loading("the invoices"),
        Load::Failed(e) => return load_error("the invoices", e, retry),
        Load::Ready(l) => l,
    };

    let me = status.user.as_ref();
    let no_read = me.and_then(|m| lacks(m, Permission::BillingRead));
    let offline = status.reachability == Reachability::Offline;
    let can_sync = live.can_act();
    let synced = data.last_synced.as_deref().map(short_time);

    let groups = arrange(&data.documents);
    let needle = filter.trim().to_lowercase();
    let shown = filtered(&groups, &needle);
    let invoices_all = data
        .documents
        .iter()
        .filter(|d| d.document_type == DocumentKind::Invoice)
        .count();
    let notes_all = data.documents.len() - invoices_all;
    let invoices_shown = shown
        .iter()
        .flatten()
        .filter(|r| r.doc.document_type == DocumentKind::Invoice)
        .count();
    let flat: Vec<&Row> = shown.iter().flatten().collect();

    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            filter.set(input.value());
        })
    };
    let on_filter_key = {
        let filter = filter.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && !filter.is_empty() {
                e.prevent_default();
                filter.set(String::new());
            }
        })
    };
    let select = {
        let selected = selected.clone();
        Callback::from(move |n: String| selected.set(Some(n)))
    };
    let close = {
        let selected = selected.clone();
        Callback::from(move |_: ()| {
            if let Some(n) = (*selected).clone() {
                focus_row(&n);
            }
            selected.set(None);
        })
    };
    let refresh = {
        let toaster = toaster.clone();
        Callback::from(move |_: MouseEvent| {
            let toaster = toaster.clone();
            spawn_local(async move {
                if let Err(e) = invoke(&cmd::SyncNow {}).await {
                    toaster.error(e);
                }
            });
        })
    };

    let count = {
        let invoices = if needle.is_empty() {
            format::plural(invoices_all, "invoice", "invoices")
        } else {
            format!(
                "{invoices_shown} of {}",
                format::plural(invoices_all, "invoice", "invoices")
            )
        };
        let notes = if notes_all > 0 {
            format!(
                ", {}",
                format::plural(notes_all, "credit or debit note", "credit and debit notes")
            )
        } else {
            String::new()
        };
        let when = match &synced {
            Some(t) => format!(" · synced {t}"),
            None => " · not synced yet".to_owned(),
        };
        format!("{invoices}{notes}{when}")
    };

    let selected_now = (*selected).clone();
    let row_html = |i: usize, r: &Row| -> Html {
        let d = &r.doc;
        let number = d.number.clone();
        let is_selected = selected_now.as_deref() == Some(number.as_str());
        let prev = i
            .checked_sub(1)
            .and_then(|p| flat.get(p))
            .map(|r| r.doc.number.clone());
        let next = flat.get(i + 1).map(|r| r.doc.number.clone());
        let onclick = {
            let (select, number) = (select.clone(), number.clone());
            Callback::from(move |_: MouseEvent| select.emit(number.clone()))
        };
        let onkeydown = {
            let (select, close, number) = (select.clone(), close.clone(), number.clone());
            let open = selected_now.is_some();
            Callback::from(move |e: KeyboardEvent| {
                let go = match e.key().as_str() {
                    "Enter" | " " => Some(number.clone()),
                    "ArrowDown" => next.clone(),
                    "ArrowUp" => prev.clone(),
                    "Escape" if open => {
                        e.prevent_default();
                        close.emit(());
                        return;
                    }
                    _ => return,
                };
                e.prevent_default();
                if let Some(n) = go {
                    focus_row(&n);
                    select.emit(n);
                }
            })
        };
        let kind = d.document_type;
        let period = d.period.as_deref().map(format::period);
        html! {
            <div key={d.id.clone()} id={row_id(&number)}
                 class={classes!("table-row", "invoice-row", r.nested.then_some("is-note"), is_selected.then_some("selected"))}
                 role="row" tabindex="0" aria-selected={is_selected.to_string()}
                 data-number={number.clone()} data-kind={kind.as_str()} data-einvoice={d.einvoice_status.as_str()}
                 onclick={onclick} onkeydown={onkeydown}>
                <span class="inv-number" role="cell">
                    if r.nested { <span class="tree-elbow" aria-hidden="true"></span> }
                    { kind_badge(kind) }
                    <span class="mono inv-number-text" title={format!("{} {}", format::kind_name(kind), d.number)}>{ &d.number }</span>
                </span>
                <span class="inv-date" role="cell">
                    <span>{ format::date(&d.date) }</span>
                    if let Some(p) = &period {
                        <span class="small muted inv-period" title="Billing period">{ p }</span>
                    }
                </span>
                <span class="inv-parties" role="cell">
                    <span class="inv-customer" title={format!("Billed to {}", d.customer_name)}>{ &d.customer_name }</span>
                    <span class="small muted inv-seller" title={format!("Issued by {}", d.seller_name)}>{ format!("by {}", d.seller_name) }</span>
                </span>
                <span class="c-amount inv-taxable" role="cell">{ format::signed_rupees(kind, &d.taxable_value) }</span>
                <span class="c-amount inv-tax" role="cell">{ format::signed_rupees(kind, &d.total_tax) }</span>
                <span class={classes!("c-amount", "inv-total", (kind == DocumentKind::CreditNote).then_some("is-credit"))} role="cell">
                    { format::signed_rupees(kind, &d.total) }
                </span>
                <span class="inv-einvoice" role="cell">{ einvoice_badge(d.einvoice_status) }</span>
            </div>
        }
    };

    let empty = if !data.documents.is_empty() {
        html! { <div class="table-empty muted" id="invoices-no-match">{"Nothing matches this filter."}</div> }
    } else if no_read.is_some() {
        html! { <div class="table-empty muted" id="invoices-empty">{"No invoices on this computer."}</div> }
    } else if status.syncing && data.last_synced.is_none() {
        html! {
            <div class="table-empty muted list-state" id="invoices-empty" aria-busy="true">
                <span class="spinner"></span>{"Syncing the invoices…"}
            </div>
        }
    } else {
        html! {
            <div class="table-empty muted" id="invoices-empty">
                {"No invoices yet — they appear after the server's first billing run."}
            </div>
        }
    };

    html! {
        <>
            if offline {
                <div class="banner banner-warn" id="invoices-offline" title={status.last_error.clone().unwrap_or_default()}>
                    { Icon::Alert.render() }
                    <span class="banner-text">
                        <strong>{ format!("Offline — invoices from {}, printing still works.", synced.clone().unwrap_or_else(|| "no sync yet".into())) }</strong>
                        {" The central server does not answer. Save PDF and Print render on this computer from what was synced."}
                    </span>
                </div>
            }
            if let Some(r) = &no_read {
                { note(format!("{r} New invoices are not synced; what is shown was kept from before.")) }
            }
            <div class="toolbar">
                <label class="search">
                    { Icon::Search.render() }
                    <input id="invoice-filter" placeholder="Filter by number, customer, seller or period"
                           aria-label="Filter invoices" value={(*filter).clone()} oninput={on_filter} onkeydown={on_filter_key} />
                </label>
                <span class="toolbar-fill"></span>
                <span class="small muted list-count" id="invoice-count">{ count }</span>
                <button class="button button-small" id="invoice-refresh" onclick={refresh}
                        disabled={status.syncing || can_sync.is_err()}
                        title={can_sync.clone().err().unwrap_or_else(|| "Sync the invoices from the central server now".into())}>
                    { Icon::Refresh.render() }{ if status.syncing { "Syncing…" } else { "Refresh" } }
                </button>
            </div>
            if let Some(e) = &data.last_error {
                <p class="small muted sync-error" id="invoice-sync-error" title={e.clone()}>
                    { Icon::Info.render() }
                    <span>{ format!("The last sync of invoices did not finish ({e}); the list shows what was synced before.") }</span>
                </p>
            }
            <div class={classes!("billing-layout", selected_now.is_some().then_some("has-detail"))}>
                <div class="card table invoice-table" id="invoice-list" role="table" aria-label="Invoices, credit notes and debit notes">
                    <div class="table-row table-head invoice-row" role="row">
                        <span class="sortable" role="columnheader">{"Number"}</span>
                        <span class="sortable" role="columnheader">{"Date · period"}</span>
                        <span class="sortable" role="columnheader">{"Customer · seller"}</span>
                        <span class="sortable c-amount" role="columnheader">{"Taxable value"}</span>
                        <span class="sortable c-amount" role="columnheader">{"Tax"}</span>
                        <span class="sortable c-amount" role="columnheader">{"Total"}</span>
                        <span class="sortable" role="columnheader">{"E-invoice"}</span>
                    </div>
                    <div class="invoice-scroller">
                        if flat.is_empty() {
                            { empty }
                        }
                        { for flat.iter().enumerate().map(|(i, r)| row_html(i, r)) }
                    </div>
                </div>
                if let Some(n) = selected_now.clone() {
                    <detail::Detail number={n} data_version={live.data_version} on_close={close} on_select={select.clone()}
                                    listed={data.documents.iter().map(|d| d.number.clone()).collect::<Vec<_>>()} />
                }
            </div>
        </>
    }
}
