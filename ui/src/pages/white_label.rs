//! White-Label: the seller profile of the tenant acted as — the brand its customers see on
//! invoices (name, colour, logo) and the legal particulars every invoice carries (legal name,
//! GSTIN, address, bank and UPI details, series prefixes, e-invoicing, LUT), with a preview.

use crate::components::central::{
    central_gate, holds, lacks, load_error, loading, note, offline_banner,
};
use crate::components::icons::Icon;
use crate::components::page::PageHeader;
use crate::components::toast::use_toaster;
use crate::format::unix_time;
use crate::hooks::use_live;
use crate::hooks::use_shell;
use crate::hooks::{Load, use_submit};
use crate::route::Route;
use crate::services::invoke;
use akashone_types::central::{
    BankDetails, BillingAddress, Me, Permission, SellerProfileIn, SellerProfileOut,
};
use akashone_types::commands as cmd;
use base64::Engine as _;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The largest logo the server keeps.
const MAX_LOGO_BYTES: usize = 256 * 1024;
/// The colour the console and invoices use when a seller sets none.
const DEFAULT_COLOUR: &str = "#2563EB";

#[component]
pub fn WhiteLabel() -> Html {
    let live = use_live();
    let shell = use_shell();
    let body = match central_gate(&live, &shell, Route::WhiteLabel) {
        Ok((me, status)) => {
            let acting = status
                .acting_as
                .clone()
                .map(|a| (a.id, a.name))
                .unwrap_or_else(|| (me.tenant_id.clone(), me.tenant_name.clone()));
            html! { <>{ offline_banner(&status) }<SellerEditor me={me} tenant={acting.0} tenant_name={acting.1} /></> }
        }
        Err(h) => h,
    };
    html! {
        <section class="page" data-page="white-label">
            <PageHeader title="White-Label" subtitle="Your brand on invoices, and the particulars every invoice carries." />
            { body }
        </section>
    }
}

/// The form as typed: every field as text, turned into a [`SellerProfileIn`] on save.
#[derive(Clone, Debug, Default, PartialEq)]
struct Form {
    display_name: String,
    brand_colour: String,
    legal_name: String,
    trade_name: String,
    gstin: String,
    line1: String,
    line2: String,
    city: String,
    pin: String,
    phone: String,
    email: String,
    account_name: String,
    account_number: String,
    ifsc: String,
    bank_name: String,
    branch: String,
    upi_id: String,
    payment_terms: String,
    payment_due_days: String,
    invoice_prefix: String,
    credit_note_prefix: String,
    debit_note_prefix: String,
    e_invoicing: bool,
    lut_number: String,
}

/// What happens to the logo on save.
#[derive(Clone, Debug, PartialEq)]
enum Logo {
    /// The stored one (if any) stays.
    Keep(Option<String>),
    /// A new PNG, base64.
    New(String),
    /// The stored one goes.
    Remove,
}

impl Logo {
    fn shown(&self) -> Option<&str> {
        match self {
            Logo::Keep(l) => l.as_deref(),
            Logo::New(l) => Some(l),
            Logo::Remove => None,
        }
    }
}

fn text(o: &Option<String>) -> String {
    o.clone().unwrap_or_default()
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

impl Form {
    fn from_profile(p: &SellerProfileOut) -> Self {
        let bank = p.bank.clone();
        let b = |f: fn(&BankDetails) -> String| bank.as_ref().map(f).unwrap_or_default();
        Form {
            display_name: p.display_name.clone(),
            brand_colour: text(&p.brand_colour),
            legal_name: p.legal_name.clone(),
            trade_name: text(&p.trade_name),
            gstin: p.gstin.clone(),
            line1: p.address.line1.clone(),
            line2: text(&p.address.line2),
            city: p.address.city.clone(),
            pin: text(&p.address.pin),
            phone: text(&p.phone),
            email: text(&p.email),
            account_name: b(|b| b.account_name.clone()),
            account_number: b(|b| b.account_number.clone()),
            ifsc: b(|b| b.ifsc.clone()),
            bank_name: b(|b| b.bank_name.clone()),
            branch: b(|b| b.branch.clone().unwrap_or_default()),
            upi_id: text(&p.upi_id),
            payment_terms: text(&p.payment_terms),
            payment_due_days: p
                .payment_due_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            invoice_prefix: p.invoice_prefix.clone(),
            credit_note_prefix: p.credit_note_prefix.clone(),
            debit_note_prefix: p.debit_note_prefix.clone(),
            e_invoicing: p.e_invoicing,
            lut_number: text(&p.lut_number),
        }
    }

    /// A new profile starts with the usual series prefixes.
    fn new_profile(tenant_name: &str) -> Self {
        Form {
            display_name: tenant_name.to_owned(),
            invoice_prefix: "INV".into(),
            credit_note_prefix: "CN".into(),
            debit_note_prefix: "DN".into(),
            ..Form::default()
        }
    }

    /// The request, or what is wrong with the form.
    fn to_input(&self, logo: &Logo) -> Result<SellerProfileIn, String> {
        let due = match self.payment_due_days.trim() {
            "" => None,
            d => Some(
                d.parse::<u16>()
                    .ok()
                    .filter(|d| *d <= 365)
                    .ok_or_else(|| "Payment is due within 0 to 365 days.".to_owned())?,
            ),
        };
        let bank = [
            &self.account_name,
            &self.account_number,
            &self.ifsc,
            &self.bank_name,
            &self.branch,
        ]
        .iter()
        .any(|f| !f.trim().is_empty())
        .then(|| BankDetails {
            account_name: self.account_name.trim().to_owned(),
            account_number: self.account_number.trim().to_owned(),
            ifsc: self.ifsc.trim().to_owned(),
            bank_name: self.bank_name.trim().to_owned(),
            branch: opt(&self.branch),
        });
        Ok(SellerProfileIn {
            legal_name: self.legal_name.trim().to_owned(),
            trade_name: opt(&self.trade_name),
            display_name: opt(&self.display_name),
            gstin: self.gstin.trim().to_owned(),
            address: BillingAddress {
                line1: self.line1.trim().to_owned(),
                line2: opt(&self.line2),
                city: self.city.trim().to_owned(),
                pin: opt(&self.pin),
                postal_code: None,
            },
            state_code: None,
            phone: opt(&self.phone),
            email: opt(&self.email),
            bank,
            upi_id: opt(&self.upi_id),
            payment_terms: opt(&self.payment_terms),
            payment_due_days: due,
            brand_colour: opt(&self.brand_colour),
            logo_png: match logo {
                Logo::New(l) => Some(l.clone()),
                _ => None,
            },
            remove_logo: *logo == Logo::Remove,
            invoice_prefix: self.invoice_prefix.trim().to_owned(),
            credit_note_prefix: self.credit_note_prefix.trim().to_owned(),
            debit_note_prefix: self.debit_note_prefix.trim().to_owned(),
            e_invoicing: self.e_invoicing,
            lut_number: opt(&self.lut_number),
        })
    }
}

/// A change to the form. Applied to the current state, so quick successive edits never undo
/// one another.
enum Edit {
    Text(fn(&mut Form) -> &mut String, String),
    EInvoicing(bool),
    Replace(Box<Form>),
}

impl Reducible for Form {
    type Action = Edit;

    fn reduce(self: std::rc::Rc<Self>, action: Edit) -> std::rc::Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Edit::Text(field, value) => *field(&mut next) = value,
            Edit::EInvoicing(on) => next.e_invoicing = on,
            Edit::Replace(f) => next = *f,
        }
        next.into()
    }
}

/// `#RRGGBB` when the text is one, for the colour picker and the preview.
fn valid_colour(s: &str) -> Option<String> {
    let hex = s.trim().strip_prefix('#')?;
    (hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| format!("#{}", hex.to_ascii_uppercase()))
}

#[derive(Properties, PartialEq)]
struct EditorProps {
    me: Me,
    tenant: String,
    tenant_name: String,
}

#[component]
fn SellerEditor(props: &EditorProps) -> Html {
    let live = use_live();
    let toaster = use_toaster();
    let loaded = use_state(|| Load::<Option<SellerProfileOut>>::Loading);
    let reload = use_state(|| 0u32);
    let form = use_reducer(Form::default);
    let logo = use_state(|| Logo::Keep(None));
    let error = use_state(|| None::<String>);
    let submit = use_submit();
    let me = &props.me;
    let can_read = holds(me, Permission::BillingRead);

    {
        let (loaded, form, logo, error) =
            (loaded.clone(), form.clone(), logo.clone(), error.clone());
        let tenant_name = props.tenant_name.clone();
        use_effect_with(
            (
                *reload,
                can_read,
                live.central_version,
                props.tenant.clone(),
            ),
            move |(_, can_read, _, _)| {
                if *can_read {
                    loaded.set(Load::Loading);
                    spawn_local(async move {
                        let r = invoke(&cmd::SellerProfile {}).await;
                        if let Ok(p) = &r {
                            form.dispatch(Edit::Replace(Box::new(match p {
                                Some(p) => Form::from_profile(p),
                                None => Form::new_profile(&tenant_name),
                            })));
                            logo.set(Logo::Keep(p.as_ref().and_then(|p| p.logo_png.clone())));
                            error.set(None);
                        }
                        loaded.set(r.into());
                    });
                }
            },
        );
    }

    if !can_read {
        return note(
            lacks(me, Permission::BillingRead).unwrap_or_default()
                + " Ask an administrator above you for a role that can read billing.",
        );
    }
    let retry = {
        let reload = reload.clone();
        Callback::from(move |_| reload.set(*reload + 1))
    };
    let stored = match &*loaded {
        Load::Loading => return loading("the seller profile"),
        Load::Failed(e) => return load_error("the seller profile", e, retry),
        Load::Ready(p) => p.clone(),
    };
    let no_manage = lacks(me, Permission::BillingManage);
    let read_only = no_manage.is_some();

    // One text field of the form.
    let field = |label: &'static str,
                 id: &'static str,
                 get: fn(&Form) -> &String,
                 set: fn(&mut Form) -> &mut String,
                 mono: bool,
                 hint: &'static str| {
        let oninput = {
            let form = form.clone();
            Callback::from(move |e: InputEvent| {
                let el: HtmlInputElement = e.target_unchecked_into();
                form.dispatch(Edit::Text(set, el.value()));
            })
        };
        html! {
            <label class="field"><span>{ label }</span>
                <input id={id} class={classes!(mono.then_some("mono"))} value={get(&form).clone()}
                       placeholder={hint} disabled={read_only} oninput={oninput} />
            </label>
        }
    };

    let on_colour = {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            form.dispatch(Edit::Text(
                |f| &mut f.brand_colour,
                el.value().to_ascii_uppercase(),
            ));
        })
    };
    let on_einvoicing = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let el: HtmlInputElement = e.target_unchecked_into();
            form.dispatch(Edit::EInvoicing(el.checked()));
        })
    };
    let on_logo_file = {
        let (logo, error) = (logo.clone(), error.clone());
        Callback::from(move |e: Event| {
            let el: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = el.files().and_then(|f| f.get(0)) else {
                return;
            };
            el.set_value("");
            let (logo, error) = (logo.clone(), error.clone());
            spawn_local(async move {
                match read_png(&file).await {
                    Ok(b64) => {
                        error.set(None);
                        logo.set(Logo::New(b64));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let on_logo_remove = {
        let logo = logo.clone();
        Callback::from(move |_: MouseEvent| logo.set(Logo::Remove))
    };
    let on_logo_undo = {
        let logo = logo.clone();
        let stored_logo = stored.as_ref().and_then(|p| p.logo_png.clone());
        Callback::from(move |_: MouseEvent| logo.set(Logo::Keep(stored_logo.clone())))
    };

    let onsubmit = {
        let (form, logo, error, submit, loaded, toaster) = (
            form.clone(),
            logo.clone(),
            error.clone(),
            submit.clone(),
            loaded.clone(),
            toaster.clone(),
        );
        let tenant_name = props.tenant_name.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if submit.busy() {
                return;
            }
            let input = match form.to_input(&logo) {
                Ok(i) => i,
                Err(e) => {
                    error.set(Some(e));
                    return;
                }
            };
            let (form, logo, error, loaded, toaster) = (
                form.clone(),
                logo.clone(),
                error.clone(),
                loaded.clone(),
                toaster.clone(),
            );
            let tenant_name = tenant_name.clone();
            submit.send(
                cmd::SellerProfileSave { form: input },
                move |answer| match answer {
                    Ok(p) => {
                        form.dispatch(Edit::Replace(Box::new(Form::from_profile(&p))));
                        logo.set(Logo::Keep(p.logo_png.clone()));
                        error.set(None);
                        toaster.success(format!("Seller profile of {tenant_name} saved"));
                        loaded.set(Load::Ready(Some(p)));
                    }
                    // The form keeps what was typed, so nothing is lost.
                    Err(e) => error.set(Some(e.message)),
                },
            );
        })
    };

    let f = &*form;
    let colour = valid_colour(&f.brand_colour);
    let picker = colour.clone().unwrap_or_else(|| DEFAULT_COLOUR.to_owned());
    let status_line = match &stored {
        Some(p) => html! {
            <p class="muted small" id="seller-updated">
                { format!("Last changed {} by {}. Invoices already issued keep the particulars they were issued with.",
                    unix_time(p.updated_at), p.updated_by) }
            </p>
        },
        None => html! {
            <div class="notice small" id="seller-missing">{ Icon::Info.render() }
                <span>{ format!("{} has no seller profile yet, so it cannot issue invoices to its customers. \
                    Fill in its particulars and save.", props.tenant_name) }</span></div>
        },
    };
    let logo_shown = logo.shown().map(|b| format!("data:image/png;base64,{b}"));
    let logo_note = match &*logo {
        Logo::New(_) => Some("New logo: saved with the profile."),
        Logo::Remove => Some("The logo will be removed when you save."),
        Logo::Keep(_) => None,
    };

    html! {
        <div class="white-label">
            <form class="card section-card form" id="seller-form" onsubmit={onsubmit}>
                <div class="card-head">
                    <span class="option-icon">{ Icon::Palette.render() }</span>
                    <h2>{ format!("Seller profile of {}", props.tenant_name) }</h2>
                </div>
                { status_line }

                <h3 class="form-section">{"Brand"}</h3>
                <div class="form-grid">
                    { field("Brand name", "seller-display-name", |f| &f.display_name, |f| &mut f.display_name, false, "Shown on invoices") }
                    <label class="field"><span>{"Brand colour"}</span>
                        <span class="colour-field">
                            <input type="color" id="seller-colour-picker" value={picker} disabled={read_only} oninput={on_colour.clone()} />
                            <input id="seller-colour" class="mono" value={f.brand_colour.clone()} placeholder={DEFAULT_COLOUR}
                                   disabled={read_only} oninput={on_colour} />
                        </span>
                    </label>
                    <div class="field"><span>{"Logo (PNG, at most 256 KiB)"}</span>
                        <span class="logo-field">
                            if let Some(src) = &logo_shown {
                                <img class="logo-thumb" id="seller-logo" src={src.clone()} alt="Logo" />
                            } else {
                                <span class="logo-thumb logo-empty muted small">{"No logo"}</span>
                            }
                            <label class={classes!("button", "button-small", read_only.then_some("disabled"))}>
                                { Icon::Download.render() }{"Choose…"}
                                <input type="file" id="seller-logo-file" accept="image/png" hidden=true
                                       disabled={read_only} onchange={on_logo_file} />
                            </label>
                            if matches!(&*logo, Logo::Keep(Some(_)) | Logo::New(_)) {
                                <button type="button" class="button button-small button-ghost" id="seller-logo-remove"
                                        disabled={read_only} onclick={on_logo_remove}>{ Icon::Trash.render() }{"Remove"}</button>
                            }
                            if logo_note.is_some() {
                                <button type="button" class="button button-small button-ghost" onclick={on_logo_undo}>{"Undo"}</button>
                            }
                        </span>
                        if let Some(n) = logo_note { <span class="small muted">{ n }</span> }
                    </div>
                </div>

                <h3 class="form-section">{"Legal particulars"}</h3>
                <div class="form-grid">
                    { field("Legal name", "seller-legal-name", |f| &f.legal_name, |f| &mut f.legal_name, false, "As registered") }
                    { field("Trade name", "seller-trade-name", |f| &f.trade_name, |f| &mut f.trade_name, false, "If different") }
                    { field("GSTIN", "seller-gstin", |f| &f.gstin, |f| &mut f.gstin, true, "e.g. 29AABCM1234A1Z5") }
                    { field("Address", "seller-line1", |f| &f.line1, |f| &mut f.line1, false, "Building and street") }
                    { field("Area", "seller-line2", |f| &f.line2, |f| &mut f.line2, false, "Optional") }
                    { field("City", "seller-city", |f| &f.city, |f| &mut f.city, false, "") }
                    { field("PIN code", "seller-pin", |f| &f.pin, |f| &mut f.pin, true, "e.g. 560001") }
                    { field("Phone", "seller-phone", |f| &f.phone, |f| &mut f.phone, false, "Optional") }
                    { field("E-mail", "seller-email", |f| &f.email, |f| &mut f.email, false, "Optional") }
                </div>
                if let Some(p) = &stored {
                    <p class="small muted">{ format!("State of registration: {} ({}), from the GSTIN.", p.state_name, p.state_code) }</p>
                }

                <h3 class="form-section">{"Payment"}</h3>
                <div class="form-grid">
                    { field("Account name", "seller-account-name", |f| &f.account_name, |f| &mut f.account_name, false, "") }
                    { field("Account number", "seller-account-number", |f| &f.account_number, |f| &mut f.account_number, true, "") }
                    { field("IFSC", "seller-ifsc", |f| &f.ifsc, |f| &mut f.ifsc, true, "e.g. HDFC0001234") }
                    { field("Bank", "seller-bank", |f| &f.bank_name, |f| &mut f.bank_name, false, "") }
                    { field("Branch", "seller-branch", |f| &f.branch, |f| &mut f.branch, false, "Optional") }
                    { field("UPI ID", "seller-upi", |f| &f.upi_id, |f| &mut f.upi_id, true, "e.g. name@bank") }
                    { field("Payment terms", "seller-terms", |f| &f.payment_terms, |f| &mut f.payment_terms, false, "Optional") }
                    { field("Due after (days)", "seller-due-days", |f| &f.payment_due_days, |f| &mut f.payment_due_days, false, "e.g. 15") }
                </div>

                <h3 class="form-section">{"Numbering and e-invoicing"}</h3>
                <div class="form-grid">
                    { field("Invoice prefix", "seller-invoice-prefix", |f| &f.invoice_prefix, |f| &mut f.invoice_prefix, true, "INV") }
                    { field("Credit note prefix", "seller-cn-prefix", |f| &f.credit_note_prefix, |f| &mut f.credit_note_prefix, true, "CN") }
                    { field("Debit note prefix", "seller-dn-prefix", |f| &f.debit_note_prefix, |f| &mut f.debit_note_prefix, true, "DN") }
                    { field("LUT reference", "seller-lut", |f| &f.lut_number, |f| &mut f.lut_number, true, "Exports and SEZ without IGST") }
                </div>
                <label class="check"><input type="checkbox" id="seller-einvoicing" checked={f.e_invoicing}
                        disabled={read_only} onchange={on_einvoicing} />
                    <span>{"E-invoicing applies (aggregate turnover above ₹5 crore): B2B, SEZ and export invoices await an IRN"}</span></label>

                if let Some(e) = &*error {
                    <div class="field-error" id="seller-error" role="alert">{ Icon::Alert.render() }<span>{ e }</span></div>
                }
                <div class="form-actions">
                    <button type="submit" class="button button-primary" id="seller-save" disabled={read_only || submit.busy()}
                            title={no_manage.clone().unwrap_or_default()}>
                        { if submit.busy() { "Saving…" } else { "Save seller profile" } }
                    </button>
                    if let Some(r) = &no_manage {
                        <span class="small muted" id="seller-reason">{ r }</span>
                    }
                </div>
            </form>
            { preview(f, colour.as_deref(), logo_shown.as_deref(), stored.as_ref()) }
        </div>
    }
}

/// How the top of this seller's invoices will look with what is typed now.
fn preview(
    f: &Form,
    colour: Option<&str>,
    logo: Option<&str>,
    stored: Option<&SellerProfileOut>,
) -> Html {
    let colour = colour.unwrap_or(DEFAULT_COLOUR).to_owned();
    let brand = opt(&f.display_name)
        .or_else(|| opt(&f.trade_name))
        .or_else(|| opt(&f.legal_name))
        .unwrap_or_else(|| "Your brand".into());
    let address = [f.line1.trim(), f.line2.trim(), f.city.trim(), f.pin.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let example = stored
        .filter(|p| p.invoice_prefix == f.invoice_prefix.trim())
        .map(|p| p.invoice_number_example.clone())
        .unwrap_or_else(|| format!("{}/…/1", f.invoice_prefix.trim()));
    html! {
        <aside class="card section-card seller-preview" id="seller-preview" aria-label="Invoice preview">
            <div class="card-head"><h2>{"Preview"}</h2><span class="small muted">{"The top of an invoice"}</span></div>
            <div class="sheet-mini">
                <div class="sheet-mini-band" style={format!("background: {colour}")}></div>
                <div class="sheet-mini-head">
                    if let Some(src) = logo {
                        <img class="sheet-mini-logo" src={src.to_owned()} alt="" />
                    }
                    <div class="sheet-mini-seller">
                        <strong id="preview-brand" style={format!("color: {colour}")}>{ brand }</strong>
                        if !f.legal_name.trim().is_empty() && f.legal_name.trim() != f.display_name.trim() {
                            <span class="small">{ f.legal_name.trim() }</span>
                        }
                        if !address.is_empty() { <span class="small muted">{ address }</span> }
                        if !f.gstin.trim().is_empty() {
                            <span class="small">{"GSTIN "}<span class="mono">{ f.gstin.trim().to_ascii_uppercase() }</span></span>
                        }
                    </div>
                    <div class="sheet-mini-title">
                        <span style={format!("color: {colour}")}>{"TAX INVOICE"}</span>
                        <span class="mono small">{ example }</span>
                    </div>
                </div>
                <div class="sheet-mini-lines">
                    <span></span><span></span><span></span>
                </div>
            </div>
            <p class="small muted">{"The PDF printed on this computer uses this brand name, colour and logo. \
                Customers' invoices already issued keep the brand they were issued with."}</p>
        </aside>
    }
}

/// Reads a chosen file and returns it as base64 when it is a PNG small enough for invoices.
async fn read_png(file: &web_sys::File) -> Result<String, String> {
    if file.size() > MAX_LOGO_BYTES as f64 {
        return Err(format!(
            "{} is {} KiB; the logo can be at most 256 KiB.",
            file.name(),
            (file.size() / 1024.0).ceil()
        ));
    }
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("{} could not be read.", file.name()))?;
    let bytes = js_sys::Uint8Array::new(buffer.unchecked_ref()).to_vec();
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(format!("{} is not a PNG image.", file.name()));
    }
    Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_checked_and_normalised() {
        assert_eq!(valid_colour(" #1a73e8 ").as_deref(), Some("#1A73E8"));
        assert_eq!(valid_colour("1a73e8"), None);
        assert_eq!(valid_colour("#12345"), None);
    }

    #[test]
    fn the_form_becomes_a_request_without_empty_parts() {
        let mut f = Form::new_profile("Acme Reseller");
        f.legal_name = " Acme Cloud LLP ".into();
        f.payment_due_days = "15".into();
        let r = f.to_input(&Logo::Remove).unwrap();
        assert_eq!(r.legal_name, "Acme Cloud LLP");
        assert_eq!(r.display_name.as_deref(), Some("Acme Reseller"));
        assert!(r.bank.is_none() && r.trade_name.is_none() && r.remove_logo);
        assert_eq!(r.payment_due_days, Some(15));
        f.payment_due_days = "400".into();
        assert!(f.to_input(&Logo::Keep(None)).is_err());
    }
}
