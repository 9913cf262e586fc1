//! A billing run: for each direct child of a seller, its whole subtree's CloudStack usage of a
//! month, rated with the seller's rate card in force on the month's first day, becomes one
//! invoice. A period already invoiced is skipped (the store enforces one invoice per seller,
//! customer and period, so concurrent runs cannot duplicate either); a customer without usage
//! gets none.

use std::collections::HashSet;

use akashone_billing::{MeterTotals, cluster_hours, lines_for, rate};
use akashone_cloudstack::Client;
use akashone_cloudstack::api::{ListKubernetesClusters, ListUsageRecords};
use akashone_gst::{BillingPeriod, DocumentType, InvoiceDraft, compute};
use akashone_types::central::{BillingRunOut, RunCustomerOut, RunOutcome};
use futures::{StreamExt, stream};
use time::{Date, Duration};

use super::issue::{ToIssue, refusal, store};
use super::profile::iso;
use super::{Period, rupees};
use crate::context::{AppState, Caller};
use crate::crypto;
use crate::db::{IssueOutcome, RateCardRecord, RunRecord, SellerRecord, Tenant};
use crate::error::{Error, Result};

/// CloudStack usage types that are sold: running VMs, public IPs, volumes, snapshots.
const USAGE_TYPES: [i64; 6] = [1, 3, 6, 9, 25, 26];

/// Customers whose usage is fetched at once.
const FETCH_CONCURRENCY: usize = 4;

/// One customer's usage of the period, rated but not yet priced.
enum Metered {
    /// Summed over every account of its subtree.
    Rated {
        /// Exact quantities.
        totals: MeterTotals,
        /// Usage records read.
        records: u64,
    },
    /// A record could not be rated, or CloudStack could not be read.
    Failed {
        /// Usage records read.
        records: u64,
        /// Why.
        message: String,
    },
}

/// One domain's usage (recursively: the customer's whole subtree) in a period, rated at once so
/// only the totals are kept. Fetched type by type, so unsold types (allocated VMs, network
/// bytes…) are never transferred.
async fn meter(cs: &Client, domain: &str, period: &Period) -> Metered {
    let mut totals = MeterTotals::default();
    let mut records = 0u64;
    let control = match first_control_nodes(cs, domain).await {
        Ok(c) => c,
        Err(e) => {
            return Metered::Failed {
                records,
                message: format!("Kubernetes clusters could not be read: {e}."),
            };
        }
    };
    for usage_type in USAGE_TYPES {
        let page = cs
            .list_usage_records(&ListUsageRecords {
                startdate: Some(iso(period.first)),
                enddate: Some(iso(period.last)),
                domainid: Some(domain.to_owned()),
                isrecursive: Some(true),
                r#type: Some(usage_type),
                ..Default::default()
            })
            .await;
        let page = match page {
            Ok(p) => p,
            Err(e) => {
                return Metered::Failed {
                    records,
                    message: format!("CloudStack usage could not be read: {e}."),
                };
            }
        };
        records += page.len() as u64;
        // Kubernetes cluster-hours ride on the running hours of each cluster's first control
        // node (CloudStack's usage has no Kubernetes type); its nodes stay priced as VMs.
        let services = if usage_type == 1 {
            cluster_hours(&page, &control)
        } else {
            Vec::new()
        };
        let rated = rate(&page, &services)
            .and_then(|per_account| per_account.values().try_for_each(|t| totals.absorb(t)));
        if let Err(e) = rated {
            return Metered::Failed {
                records,
                message: format!("Usage could not be rated: {e}."),
            };
        }
    }
    Metered::Rated { totals, records }
}

/// The first control node of every Kubernetes cluster of the domain's subtree: CKS lists control
/// nodes first and names them `<cluster>-control-…`.
async fn first_control_nodes(
    cs: &Client,
    domain: &str,
) -> akashone_cloudstack::Result<HashSet<String>> {
    let mut req = ListKubernetesClusters {
        domainid: Some(domain.to_owned()),
        listall: Some(true),
        ..Default::default()
    };
    req.extra.set("isrecursive", true);
    let clusters = match cs.list_kubernetes_clusters(&req).await {
        Ok(c) => c,
        // A cloud without the Kubernetes service has no clusters to bill.
        Err(e) if e.code() == akashone_types::ErrorCode::NotFound => Vec::new(),
        Err(e) => return Err(e),
    };
    Ok(clusters
        .iter()
        .filter_map(|c| {
            let vms = c.virtualmachines.as_deref().unwrap_or_default();
            vms.iter()
                .find(|v| v.name.as_deref().is_some_and(|n| n.contains("-control-")))
                .or(vms.first())
                .and_then(|v| v.id.clone())
        })
        .collect())
}

fn outcome(
    t: &Tenant,
    outcome: RunOutcome,
    records: u64,
    message: Option<String>,
) -> RunCustomerOut {
    RunCustomerOut {
        tenant_id: t.id.clone(),
        tenant_name: t.name.clone(),
        outcome,
        invoice_id: None,
        invoice_number: None,
        total: None,
        usage_records: records,
        message,
    }
}

fn skipped(
    t: &Tenant,
    id: String,
    number: String,
    total_paise: i64,
    records: u64,
) -> RunCustomerOut {
    RunCustomerOut {
        invoice_id: Some(id),
        invoice_number: Some(number.clone()),
        total: Some(rupees(total_paise)),
        ..outcome(
            t,
            RunOutcome::Skipped,
            records,
            Some(format!("Invoiced before as {number}.")),
        )
    }
}

/// The run's parameters.
pub(crate) struct RunParams<'a> {
    /// The seller.
    pub seller: &'a Tenant,
    /// The month.
    pub period: &'a Period,
    /// Date of the invoices.
    pub invoice_date: Date,
}

/// Everything one customer's invoice needs besides its usage.
struct Context<'a> {
    state: &'a AppState,
    caller: &'a Caller,
    seller: &'a SellerRecord,
    card: &'a RateCardRecord,
    params: &'a RunParams<'a>,
    run_id: &'a str,
    now: i64,
}

/// Rates one customer's usage and issues its invoice.
/// Returns what happened and the total issued (zero when nothing was).
async fn invoice_customer(
    cx: &Context<'_>,
    customer: &Tenant,
    totals: &MeterTotals,
    n: u64,
) -> Result<(RunCustomerOut, i64)> {
    let failed = |m: String| Ok((outcome(customer, RunOutcome::Failed, n, Some(m)), 0));
    let lines = match lines_for(totals, &cx.card.card, &cx.params.period.name()) {
        Ok(l) => l,
        Err(e) => return failed(format!("Usage could not be priced: {e}.")),
    };
    if lines.is_empty() {
        return Ok((outcome(customer, RunOutcome::NoUsage, n, None), 0));
    }
    let Some(details) = cx.state.db.customer_profile(&customer.id).await? else {
        return failed(format!(
            "{} has no billing details yet (PUT /api/billing/customer?tenantId={}).",
            customer.name, customer.id
        ));
    };
    let profile = &cx.seller.profile;
    let date = cx.params.invoice_date;
    let mut seller = profile.seller.clone();
    if let Some(p) = &mut seller.payment {
        p.due_date = profile
            .payment_due_days
            .map(|d| date + Duration::days(i64::from(d)));
    }
    let c = &details.profile;
    let zero_rated = c.export || c.sez;
    let lut = profile.lut_reference.clone().filter(|_| zero_rated);
    let draft = InvoiceDraft {
        document_type: DocumentType::Invoice,
        number: None,
        date,
        original_invoice: None,
        reason: None,
        billing_period: Some(BillingPeriod {
            from: cx.params.period.first,
            to: cx.params.period.last,
        }),
        seller,
        buyer: c.buyer.clone(),
        place_of_supply: None,
        export: c.export,
        sez: c.sez,
        lut: lut.is_some(),
        lut_reference: lut,
        reverse_charge: false,
        lines,
        notes: Some(format!(
            "Cloud usage of {} in {}, as metered by the platform.",
            customer.name,
            cx.params.period.name()
        )),
    };
    let computed = match compute(&draft) {
        Ok(c) => c,
        Err(e) => return failed(format!("The invoice could not be computed: {e}.")),
    };
    let (id, result) = store(
        cx.state,
        &cx.caller.user,
        ToIssue {
            seller: cx.seller,
            customer_tenant_id: &customer.id,
            draft: &draft,
            computed: &computed,
            period: Some(cx.params.period.label.clone()),
            run_id: Some(cx.run_id.to_owned()),
            original_id: None,
            credit_limit: None,
        },
        cx.now,
    )
    .await?;
    let total = computed.totals().total;
    Ok(match result {
        IssueOutcome::Issued { number, .. } => {
            cx.state
                .audit(
                    cx.now,
                    Some(&cx.caller.user),
                    Some(&cx.seller.tenant_id),
                    "invoice.issue",
                    &format!(
                        "{number} ({id}) to {} for {}: ₹{total}",
                        customer.name, cx.params.period.label
                    ),
                    "ok",
                )
                .await?;
            let out = RunCustomerOut {
                invoice_id: Some(id),
                invoice_number: Some(number),
                total: Some(total.to_rupee_string()),
                ..outcome(customer, RunOutcome::Issued, n, None)
            };
            (out, total.as_i64())
        }
        IssueOutcome::AlreadyIssued {
            id,
            number,
            total_paise,
        } => (skipped(customer, id, number, total_paise, n), 0),
        other => (
            outcome(
                customer,
                RunOutcome::Failed,
                n,
                Some(refusal(&other, date).to_string()),
            ),
            0,
        ),
    })
}

/// Runs billing for a seller and period, records the run and audits it.
pub(crate) async fn run(
    state: &AppState,
    caller: &Caller,
    params: &RunParams<'_>,
    now: i64,
) -> Result<RunRecord> {
    let seller = params.seller;
    let profile = state.db.seller_profile(&seller.id).await?.ok_or_else(|| {
        Error::Conflict(format!(
            "{} has no seller profile yet: set it first (PUT /api/billing/seller).",
            seller.name
        ))
    })?;
    let first = iso(params.period.first);
    let card = state
        .db
        .rate_card_at(&seller.id, &first)
        .await?
        .ok_or_else(|| {
            Error::Conflict(format!(
                "{} has no rate card in force on {first}: add one (PUT /api/billing/rate-card).",
                seller.name
            ))
        })?;
    let cs = state.cs()?;
    let mut children: Vec<Tenant> = state
        .db
        .subtree(&seller.path)
        .await?
        .into_iter()
        .filter(|t| t.parent_id.as_deref() == Some(seller.id.as_str()))
        .collect();
    children.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));

    // Customers invoiced before, or without a domain, need no usage.
    let mut results: Vec<Option<RunCustomerOut>> = Vec::with_capacity(children.len());
    let mut to_fetch = Vec::new();
    for (i, c) in children.iter().enumerate() {
        if let Some(h) = state
            .db
            .invoice_for_period(&seller.id, &c.id, &params.period.label)
            .await?
        {
            results.push(Some(skipped(c, h.id, h.number, h.total_paise, 0)));
        } else if let Some(domain) = c.cs_domain_id.clone() {
            results.push(None);
            to_fetch.push((i, domain));
        } else {
            results.push(Some(outcome(
                c,
                RunOutcome::Failed,
                0,
                Some("The tenant has no CloudStack domain.".into()),
            )));
        }
    }
    let run_id = crypto::random_id();
    let cx = Context {
        state,
        caller,
        seller: &profile,
        card: &card,
        params,
        run_id: &run_id,
        now,
    };
    // A few customers' usage is read at once; each is invoiced as soon as it is rated, in order.
    let mut metered = stream::iter(to_fetch)
        .map(|(i, domain)| async move { (i, meter(cs, &domain, params.period).await) })
        .buffered(FETCH_CONCURRENCY);
    let mut issued_total_paise = 0i64;
    while let Some((i, usage)) = metered.next().await {
        let c = &children[i];
        results[i] = Some(match usage {
            Metered::Rated { totals, records } => {
                let (out, total) = invoice_customer(&cx, c, &totals, records).await?;
                issued_total_paise += total;
                out
            }
            Metered::Failed { records, message } => {
                outcome(c, RunOutcome::Failed, records, Some(message))
            }
        });
    }
    let customers: Vec<RunCustomerOut> = results.into_iter().flatten().collect();
    let count = |o: RunOutcome| customers.iter().filter(|c| c.outcome == o).count() as u32;
    let record = RunRecord {
        id: run_id,
        seller_tenant_id: seller.id.clone(),
        period: params.period.label.clone(),
        invoice_date: iso(params.invoice_date),
        started_at: now,
        finished_at: crate::context::now(),
        actor_id: Some(caller.user.id.clone()),
        actor: caller.user.username.clone(),
        usage_records: customers.iter().map(|c| c.usage_records).sum(),
        issued: count(RunOutcome::Issued),
        skipped: count(RunOutcome::Skipped),
        no_usage: count(RunOutcome::NoUsage),
        failed: count(RunOutcome::Failed),
        issued_total_paise,
        customers,
    };
    state.db.insert_run(&record).await?;
    state
        .audit(
            now,
            Some(&caller.user),
            Some(&seller.id),
            "billing.run",
            &format!(
                "{} for {}: {} issued (₹{}), {} skipped, {} without usage, {} failed",
                record.id,
                record.period,
                record.issued,
                rupees(record.issued_total_paise),
                record.skipped,
                record.no_usage,
                record.failed
            ),
            &if record.failed == 0 {
                "ok".to_owned()
            } else {
                format!(
                    "failed: {} of {} customers not invoiced",
                    record.failed,
                    record.customers.len()
                )
            },
        )
        .await?;
    Ok(record)
}

/// A recorded run as the API shows it.
pub(crate) fn run_out(r: RunRecord) -> BillingRunOut {
    BillingRunOut {
        id: r.id,
        seller_tenant_id: r.seller_tenant_id,
        period: r.period,
        invoice_date: r.invoice_date,
        started_at: r.started_at,
        finished_at: r.finished_at,
        actor: r.actor,
        usage_records: r.usage_records,
        issued: r.issued,
        skipped: r.skipped,
        no_usage: r.no_usage,
        failed: r.failed,
        issued_total: rupees(r.issued_total_paise),
        customers: r.customers,
    }
}
