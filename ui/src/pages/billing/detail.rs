//! One document as its reader expects it: who supplies whom, where, under which tax regime,
//! the lines with their SAC and tax, the tax by rate, the totals with the round-off, the amount
//! in words, how to pay and the IRN; and the buttons that save or print its PDF.

use super::{einvoice_badge, kind_badge};
use crate::components::icons::Icon;
use crate::components::toast::use_toaster;
use crate::format::{self, size_text};
use crate::hooks::Load;
use crate::services::invoke;
use akashone_types::central::{
    BillingAddress, DocumentKind, EInvoiceState, InvoiceDetail, LineOut, PartyOut, TaxOut,
};
use akashone_types::commands as cmd;
use akashone_types::{InvoiceCopy, SavedPdf};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// Why Save PDF and Print are not offered for a document awaiting its IRN.
pub const AWAITING_IRN: &str = "Awaiting its IRN: import the portal's response on the server first";

#[derive(Properties, PartialEq)]
pub struct DetailProps {
    /// The document's number.
    pub number: String,
    /// Bumped after every sync: the document is read again (its e-invoice state may change).
    pub data_version: u32,
    pub on_close: Callback<()>,
    /// Shows another document (a note of this invoice, the invoice of this note).
    pub on_select: Callback<String>,
    /// The numbers in the list, so links go only to documents that can be shown.
    pub listed: Vec<String>,
}

/// What the last Save PDF or Print of this panel wrote.
#[derive(Clone, PartialEq)]
struct Saved {
    number: String,
    pdf: SavedPdf,
    copy: InvoiceCopy,
    printed: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Busy {
    Saving,
    Printing,
}

fn copy_name(c: InvoiceCopy) -> &'static str {
    match c {
        InvoiceCopy::Original => "original",
        InvoiceCopy::Duplicate => "duplicate",
    }
}

#[component]
pub fn Detail(props: &DetailProps) -> Html {
    let toaster = use_toaster();
    let detail = use_state(|| Load::<InvoiceDetail>::Loading);
    let copy = use_state(|| InvoiceCopy::Original);
    let busy = use_state(|| None::<Busy>);
    let saved = use_state(|| None::<Saved>);

    {
        let detail = detail.clone();
        use_effect_with(
            (props.number.clone(), props.data_version),
            move |(number, _)| {
                // Another document: show it loading; the same one after a sync: keep it up.
                if detail.ready().is_none_or(|d| &d.summary.number != number) {
                    detail.set(Load::Loading);
                }
                let number = number.clone();
                spawn_local(async move {
                    detail.set(invoke(&cmd::InvoiceGet { number }).await.into());
                });
            },
        );
    }

    let on_key = {
        let close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                close.emit(());
            }
        })
    };
    let close_button = {
        let close = props.on_close.clone();
        html! {
            <button class="icon-button" id="invoice-close" aria-label="Close the detail" title="Close (Esc)"
                    onclick={Callback::from(move |_| close.emit(()))}>
                { Icon::Close.render() }
            </button>
        }
    };

    let d = match &*detail {
        Load::Loading => {
            return html! {
                <aside class="card invoice-detail" id="invoice-detail" onkeydown={on_key} aria-busy="true">
                    <div class="detail-head">
                        <div class="list-state muted"><span class="spinner"></span>{ format!("Loading {}…", props.number) }</div>
                        { close_button }
                    </div>
                </aside>
            };
        }
        Load::Failed(e) => {
            return html! {
                <aside class="card invoice-detail" id="invoice-detail" onkeydown={on_key}>
                    <div class="detail-head">
                        <h2 class="detail-title mono">{ &props.number }</h2>
                        { close_button }
                    </div>
                    <div class="banner banner-error" role="alert" data-error-code={e.code.to_string()}>
                        { Icon::Alert.render() }
                        <span class="banner-text"><strong>{"Could not open this document."}</strong>{" "}{ &e.message }</span>
                    </div>
                </aside>
            };
        }
        Load::Ready(d) => d.clone(),
    };

    let number = d.summary.number.clone();
    let kind = d.summary.document_type;
    let doc = &d.document;
    let blocked =
        (!d.printable || d.einvoice.status == EInvoiceState::AwaitingIrn).then_some(AWAITING_IRN);

    let run = |print: bool| {
        let (busy, saved, copy, toaster) =
            (busy.clone(), saved.clone(), copy.clone(), toaster.clone());
        let number = number.clone();
        Callback::from(move |_: MouseEvent| {
            if busy.is_some() {
                return;
            }
            let (busy, saved, toaster, number) =
                (busy.clone(), saved.clone(), toaster.clone(), number.clone());
            let c = *copy;
            busy.set(Some(if print { Busy::Printing } else { Busy::Saving }));
            spawn_local(async move {
                let result = if print {
                    invoke(&cmd::InvoicePrint {
                        number: number.clone(),
                        copy: c,
                    })
                    .await
                } else {
                    invoke(&cmd::InvoiceSavePdf {
                        number: number.clone(),
                        copy: c,
                    })
                    .await
                };
                busy.set(None);
                match result {
                    Ok(pdf) => {
                        toaster.success(if print {
                            format!("{number} ({} copy) opened for printing", copy_name(c))
                        } else {
                            format!("{number} ({} copy) saved as PDF", copy_name(c))
                        });
                        saved.set(Some(Saved {
                            number,
                            pdf,
                            copy: c,
                            printed: print,
                        }));
                    }
                    Err(e) => toaster.error(e),
                }
            });
        })
    };
    let segment = |c: InvoiceCopy, id: &'static str, label: &'static str, hint: &'static str| {
        let off = blocked.is_some();
        let set = {
            let copy = copy.clone();
            Callback::from(move |_: MouseEvent| copy.set(c))
        };
        let on = *copy == c;
        html! {
            <button type="button" id={id} role="radio" aria-checked={on.to_string()} tabindex={if on { "0" } else { "-1" }}
                    class={classes!("segment", on.then_some("selected"))} title={hint} onclick={set} disabled={off}>
                { label }
            </button>
        }
    };
    let on_segment_key = {
        let copy = copy.clone();
        Callback::from(move |e: KeyboardEvent| {
            let next = match e.key().as_str() {
                "ArrowLeft" | "ArrowUp" => InvoiceCopy::Original,
                "ArrowRight" | "ArrowDown" => InvoiceCopy::Duplicate,
                _ => return,
            };
            e.prevent_default();
            copy.set(next);
            let id = match next {
                InvoiceCopy::Original => "pdf-copy-original",
                InvoiceCopy::Duplicate => "pdf-copy-duplicate",
            };
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(id))
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
            {
                let _ = el.focus();
            }
        })
    };
    let saved_here = saved.as_ref().filter(|s| s.number == number).cloned();
    let brand = format::brand_colour(d.branding.brand_colour.as_deref());
    let logo = format::logo_url(d.branding.logo_png.as_deref());
    let link = |n: &str| -> Html {
        if props.listed.iter().any(|l| l == n) {
            let (select, n2) = (props.on_select.clone(), n.to_owned());
            html! {
                <button class="link-button mono doc-link" onclick={Callback::from(move |_| select.emit(n2.clone()))}
                        title={format!("Show {n}")}>{ n }</button>
            }
        } else {
            html! { <span class="mono">{ n }</span> }
        }
    };

    html! {
        <aside class="card invoice-detail" id="invoice-detail" onkeydown={on_key}
               data-number={number.clone()} data-kind={kind.as_str()} data-printable={(blocked.is_none()).to_string()}>
            <div class="detail-head">
                <div class="invoice-heading">
                    <div class="invoice-title-row">
                        { kind_badge(kind) }
                        <h2 class="detail-title">{ &doc.title }</h2>
                        { einvoice_badge(d.einvoice.status) }
                    </div>
                    <div class="invoice-id-row">
                        <span class="mono invoice-number" id="invoice-number">{ &number }</span>
                        <span class="muted">{ format!("· {}", format::date(&doc.date)) }</span>
                    </div>
                </div>
                { close_button }
            </div>

            <div class="pdf-actions">
                <div class="segmented" role="radiogroup" aria-label="Which copy" onkeydown={on_segment_key}>
                    { segment(InvoiceCopy::Original, "pdf-copy-original", "Original", "Original for recipient") }
                    { segment(InvoiceCopy::Duplicate, "pdf-copy-duplicate", "Duplicate", "Duplicate for supplier") }
                </div>
                <button class="button button-small" id="pdf-save" onclick={run(false)}
                        disabled={blocked.is_some() || busy.is_some()}
                        title={blocked.map(str::to_owned).unwrap_or_else(|| format!("Save the {} copy as a PDF on this computer", copy_name(*copy)))}>
                    { Icon::Download.render() }{ if *busy == Some(Busy::Saving) { "Saving…" } else { "Save PDF" } }
                </button>
                <button class="button button-small button-primary" id="pdf-print" onclick={run(true)}
                        disabled={blocked.is_some() || busy.is_some()}
                        title={blocked.map(str::to_owned).unwrap_or_else(|| format!("Open the {} copy in the PDF viewer to print it", copy_name(*copy)))}>
                    { Icon::Printer.render() }{ if *busy == Some(Busy::Printing) { "Opening…" } else { "Print" } }
                </button>
            </div>
            if let Some(reason) = blocked {
                <div class="notice small" id="pdf-blocked">{ Icon::Lock.render() }<span>{ reason }{"; until then it is not a valid invoice and cannot be printed."}</span></div>
            }
            if let Some(s) = &saved_here {
                <div class="notice small pdf-saved" id="pdf-saved" role="status">
                    { Icon::Check.render() }
                    <span class="pdf-saved-text">
                        { if s.printed { format!("Opened in the PDF viewer to print ({} copy, {}). Saved at ", copy_name(s.copy), size_text(s.pdf.bytes)) }
                          else { format!("Saved the {} copy ({}) to ", copy_name(s.copy), size_text(s.pdf.bytes)) } }
                        <span class="mono pdf-path" id="pdf-saved-path">{ &s.pdf.path }</span>
                    </span>
                </div>
            }

            <article class="invoice-sheet" style={brand.as_ref().map(|c| format!("--brand: {c}"))}
                     data-brand={brand.clone().unwrap_or_default()}>
                <header class="sheet-brand">
                    if let Some(src) = logo {
                        <img class="sheet-logo" src={src} alt={format!("{} logo", d.branding.display_name)} />
                    }
                    <div class="sheet-brand-text">
                        <span class="sheet-brand-name">{ &d.branding.display_name }</span>
                        <span class="small muted">{ &doc.title }{" · FY "}{ &doc.financial_year }</span>
                    </div>
                </header>

                <dl class="facts sheet-facts">
                    <dt>{ format!("{} no.", format::kind_name(kind)) }</dt><dd class="mono">{ &doc.number }</dd>
                    <dt>{"Date"}</dt><dd>{ format::date(&doc.date) }</dd>
                    if let Some(p) = &doc.billing_period {
                        <dt>{"Billing period"}</dt><dd>{ format!("{} to {}", format::date(&p.from), format::date(&p.to)) }</dd>
                    }
                    if let Some(o) = &doc.original_invoice {
                        <dt>{"Against invoice"}</dt><dd>{ link(&o.number) }{ format!(" dated {}", format::date(&o.date)) }</dd>
                    }
                    if let Some(r) = &doc.reason {
                        <dt>{"Reason"}</dt><dd>{ r }</dd>
                    }
                    <dt>{"Place of supply"}</dt>
                    <dd>{ format!("{} ({})", doc.supply.place_of_supply_name, doc.supply.place_of_supply_code) }</dd>
                    <dt>{"Tax regime"}</dt><dd>{ format::regime(doc.supply.regime) }</dd>
                    <dt>{"Supply"}</dt>
                    <dd>
                        { supply_kind(doc.supply.kind) }
                        { format!(" · reverse charge: {}", if doc.supply.reverse_charge { "yes" } else { "no" }) }
                    </dd>
                </dl>

                <div class="parties">
                    { party("Supplier", &doc.seller) }
                    { party("Recipient", &doc.buyer) }
                </div>

                if let Some(e) = &doc.endorsement {
                    <p class="sheet-endorsement">{ e }</p>
                }
                if let Some(l) = &doc.lut_reference {
                    <p class="small muted">{"LUT: "}<span class="mono">{ l }</span></p>
                }

                { lines_table(&doc.lines, doc.supply.regime) }
                { tax_summary(&d) }
                { totals(&d) }

                <p class="amount-words"><span class="muted">{"Amount in words: "}</span>{ &doc.amount_in_words }</p>

                if let Some(p) = &doc.payment {
                    <section class="sheet-section">
                        <h3 class="sheet-h">{"Payment"}</h3>
                        <dl class="facts sheet-facts">
                            if let Some(b) = &p.bank {
                                <dt>{"Bank"}</dt><dd>{ &b.bank_name }{ b.branch.as_ref().map(|br| format!(", {br}")).unwrap_or_default() }</dd>
                                <dt>{"Account name"}</dt><dd>{ &b.account_name }</dd>
                                <dt>{"Account no."}</dt><dd class="mono">{ &b.account_number }</dd>
                                <dt>{"IFSC"}</dt><dd class="mono">{ &b.ifsc }</dd>
                            }
                            if let Some(u) = &p.upi_id {
                                <dt>{"UPI"}</dt><dd class="mono">{ u }</dd>
                            }
                            if let Some(t) = &p.terms {
                                <dt>{"Terms"}</dt><dd>{ t }</dd>
                            }
                            if let Some(due) = &p.due_date {
                                <dt>{"Due date"}</dt><dd>{ format::date(due) }</dd>
                            }
                        </dl>
                    </section>
                }

                { irn_block(&d) }

                if let Some(n) = &doc.notes {
                    <section class="sheet-section">
                        <h3 class="sheet-h">{"Notes"}</h3>
                        <p class="sheet-notes">{ n }</p>
                    </section>
                }
            </article>

            if kind == DocumentKind::Invoice {
                <section class="sheet-section linked" id="invoice-notes">
                    <h3 class="sheet-h">{"Credit and debit notes"}</h3>
                    if d.notes.is_empty() {
                        <p class="small muted">{"None against this invoice."}</p>
                    } else {
                        <ul class="linked-notes">
                            { for d.notes.iter().map(|n| html! {
                                <li data-number={n.number.clone()} data-kind={n.document_type.as_str()}>
                                    { kind_badge(n.document_type) }
                                    { link(&n.number) }
                                    <span class="muted">{ format::date(&n.date) }</span>
                                    <span class="c-amount">{ format::signed_rupees(n.document_type, &n.total) }</span>
                                </li>
                            }) }
                        </ul>
                    }
                    if d.creditable_taxable_value.is_some() || d.creditable_total.is_some() {
                        <dl class="facts sheet-facts creditable" id="invoice-creditable">
                            if let Some(t) = &d.creditable_taxable_value {
                                <dt>{"Still creditable, taxable value"}</dt><dd class="c-amount">{ format::rupees(t) }</dd>
                            }
                            if let Some(t) = &d.creditable_total {
                                <dt>{"Still creditable, total"}</dt><dd class="c-amount">{ format::rupees(t) }</dd>
                            }
                        </dl>
                    }
                </section>
            }
        </aside>
    }
}

fn supply_kind(k: akashone_types::central::SupplyKindOut) -> &'static str {
    use akashone_types::central::SupplyKindOut::*;
    match k {
        B2b => "B2B (registered recipient)",
        B2c => "B2C (unregistered recipient)",
        Export => "Export",
        Sez => "SEZ",
    }
}

fn address_lines(a: &BillingAddress) -> Vec<String> {
    let mut out = vec![a.line1.clone()];
    if let Some(l) = a.line2.as_ref().filter(|l| !l.trim().is_empty()) {
        out.push(l.clone());
    }
    let code = a.pin.as_ref().or(a.postal_code.as_ref());
    out.push(match code {
        Some(c) => format!("{} {c}", a.city),
        None => a.city.clone(),
    });
    out
}

fn party(role: &str, p: &PartyOut) -> Html {
    let state = match (&p.state_name, &p.state_code) {
        (Some(n), Some(c)) => Some(format!("{n} ({c})")),
        (Some(n), None) => Some(n.clone()),
        (None, Some(c)) => Some(format!("State code {c}")),
        (None, None) => None,
    };
    html! {
        <div class="party" data-role={role.to_lowercase()}>
            <span class="party-role">{ role }</span>
            <strong class="party-name">{ &p.legal_name }</strong>
            if let Some(t) = p.trade_name.as_ref().filter(|t| **t != p.legal_name) {
                <span class="muted">{ format!("Trading as {t}") }</span>
            }
            { for address_lines(&p.address).into_iter().map(|l| html! { <span>{ l }</span> }) }
            if let Some(s) = state { <span>{ s }</span> }
            if let Some(c) = &p.country { <span>{ c }</span> }
            <span class="party-gstin">
                <span class="muted">{"GSTIN "}</span>
                { match &p.gstin {
                    Some(g) => html! { <span class="mono">{ g }</span> },
                    None => html! { <span class="muted">{"unregistered"}</span> },
                } }
            </span>
            if let Some(ph) = &p.phone { <span class="small muted">{ ph }</span> }
            if let Some(e) = &p.email { <span class="small muted">{ e }</span> }
            if let Some(dl) = &p.delivery_address {
                <span class="small muted">{ format!("Deliver to: {}", address_lines(dl).join(", ")) }</span>
            }
        </div>
    }
}

/// The heads charged, in printed order: the regime's, then any other found on the lines.
fn heads_of<'a>(
    regime: akashone_types::central::TaxRegimeOut,
    taxes: impl Iterator<Item = &'a TaxOut>,
) -> Vec<String> {
    let mut heads: Vec<String> = format::regime_heads(regime)
        .iter()
        .map(|h| (*h).to_owned())
        .collect();
    for t in taxes {
        if !heads.iter().any(|h| h == &t.head) {
            heads.push(t.head.clone());
        }
    }
    heads
}

fn tax_cell(taxes: &[TaxOut], head: &str) -> Html {
    match taxes.iter().find(|t| t.head == head) {
        Some(t) => html! {
            <td class="c-amount">
                <span>{ format::rupees(&t.amount) }</span>
                <span class="tax-rate">{ format::percent(&t.rate) }</span>
            </td>
        },
        None => html! { <td class="c-amount muted">{"—"}</td> },
    }
}

fn lines_table(lines: &[LineOut], regime: akashone_types::central::TaxRegimeOut) -> Html {
    let heads = heads_of(regime, lines.iter().flat_map(|l| l.taxes.iter()));
    let discount = lines.iter().any(|l| !format::is_zero(&l.discount));
    html! {
        <div class="sheet-table-wrap">
            <table class="sheet-table" id="invoice-lines">
                <thead>
                    <tr>
                        <th class="c-sl">{"#"}</th>
                        <th>{"Description"}</th>
                        <th>{"SAC"}</th>
                        <th class="c-amount">{"Qty @ rate"}</th>
                        if discount { <th class="c-amount">{"Discount"}</th> }
                        <th class="c-amount">{"Taxable"}</th>
                        { for heads.iter().map(|h| html! { <th class="c-amount">{ h }</th> }) }
                        <th class="c-amount">{"Total"}</th>
                    </tr>
                </thead>
                <tbody>
                    { for lines.iter().map(|l| html! {
                        <tr>
                            <td class="c-sl muted">{ l.sl_no }</td>
                            <td class="c-desc">{ &l.description }</td>
                            <td class="mono c-sac">{ &l.sac }</td>
                            <td class="c-amount">
                                <span>
                                    { format::quantity(&l.quantity) }
                                    if let Some(u) = &l.unit { <span class="muted">{ format!(" {u}") }</span> }
                                </span>
                                <span class="tax-rate">{ format!("@ {}", format::rupees(&l.unit_price)) }</span>
                            </td>
                            if discount { <td class="c-amount">{ format::rupees(&l.discount) }</td> }
                            <td class="c-amount">{ format::rupees(&l.taxable_value) }</td>
                            { for heads.iter().map(|h| tax_cell(&l.taxes, h)) }
                            <td class="c-amount strong">{ format::rupees(&l.total) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

fn tax_summary(d: &InvoiceDetail) -> Html {
    let rows = &d.document.tax_summary;
    if rows.is_empty() {
        return Html::default();
    }
    let heads = heads_of(
        d.document.supply.regime,
        rows.iter().flat_map(|r| r.taxes.iter()),
    );
    html! {
        <section class="sheet-section">
            <h3 class="sheet-h">{"Tax by rate"}</h3>
            <div class="sheet-table-wrap">
                <table class="sheet-table compact" id="invoice-tax-summary">
                    <thead>
                        <tr>
                            <th>{"GST rate"}</th>
                            <th class="c-amount">{"Taxable value"}</th>
                            { for heads.iter().map(|h| html! { <th class="c-amount">{ h }</th> }) }
                            <th class="c-amount">{"Total tax"}</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for rows.iter().map(|r| html! {
                            <tr>
                                <td>{ format::percent(&r.gst_rate) }</td>
                                <td class="c-amount">{ format::rupees(&r.taxable_value) }</td>
                                { for heads.iter().map(|h| tax_cell(&r.taxes, h)) }
                                <td class="c-amount">{ format::rupees(&r.total_tax) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

fn totals(d: &InvoiceDetail) -> Html {
    let t = &d.document.totals;
    let regime = format::regime_heads(d.document.supply.regime);
    let heads: Vec<(&str, &String)> = [
        ("CGST", &t.cgst),
        ("SGST", &t.sgst),
        ("UTGST", &t.utgst),
        ("IGST", &t.igst),
    ]
    .into_iter()
    .filter(|(h, v)| regime.contains(h) || !format::is_zero(v))
    .collect();
    let discount = !format::is_zero(&t.discount);
    let line = |label: String, value: &str, class: &'static str| {
        html! { <><dt class={class}>{ label }</dt><dd class={classes!("c-amount", class)}>{ format::rupees(value) }</dd></> }
    };
    html! {
        <dl class="sheet-totals" id="invoice-totals">
            if discount {
                { line("Gross value".into(), &t.gross, "") }
                { line("Discount".into(), &t.discount, "") }
            }
            { line("Taxable value".into(), &t.taxable_value, "") }
            { for heads.iter().map(|(h, v)| line((*h).to_owned(), v, "")) }
            { line("Round off".into(), &t.round_off, "round-off") }
            <dt class="grand">{"Total"}</dt>
            <dd class="c-amount grand" id="invoice-total">{ format::rupees(&t.total) }</dd>
        </dl>
    }
}

fn irn_block(d: &InvoiceDetail) -> Html {
    let e = &d.einvoice;
    match e.status {
        EInvoiceState::NotRequired => Html::default(),
        EInvoiceState::AwaitingIrn => html! {
            <section class="sheet-section irn irn-awaiting" id="invoice-irn">
                <h3 class="sheet-h">{"E-invoice"}</h3>
                <p class="small">{"Reported to the Invoice Registration Portal; its IRN has not been imported yet."}</p>
                if let Some(x) = &e.expected_irn {
                    <dl class="facts sheet-facts">
                        <dt>{"Expected IRN"}</dt><dd class="mono irn-value">{ x }</dd>
                    </dl>
                }
            </section>
        },
        EInvoiceState::Registered => html! {
            <section class="sheet-section irn" id="invoice-irn">
                <h3 class="sheet-h">{"E-invoice"}</h3>
                <dl class="facts sheet-facts">
                    <dt>{"IRN"}</dt><dd class="mono irn-value">{ e.irn.clone().unwrap_or_else(|| "—".into()) }</dd>
                    <dt>{"Ack no."}</dt><dd class="mono">{ e.ack_no.clone().unwrap_or_else(|| "—".into()) }</dd>
                    <dt>{"Ack date"}</dt><dd>{ e.ack_date.clone().unwrap_or_else(|| "—".into()) }</dd>
                    <dt>{"Signed QR code"}</dt>
                    <dd class="muted">{ if e.signed_qr_code.is_some() { "Printed on the PDF" } else { "Not received" } }</dd>
                </dl>
            </section>
        },
    }
}
