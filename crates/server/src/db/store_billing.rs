//! [`BillingStore`] on every [`Backend`], each statement written once.
//!
//! Issuing locks first — the invoice a note corrects, then the series' counter row
//! ([`Dialect::for_update`]; under SQLite `BEGIN IMMEDIATE` holds the database) — and only then
//! checks the period, the credit limit and the date ([`super::rules`]), so concurrent issuers
//! of one series queue and each sees what the one before it committed. The number moves only
//! together with the insert of its document: a refused or failed document rolls both back,
//! leaving no gap.
//!
//! [`Dialect::for_update`]: super::dialect::Dialect::for_update

use akashone_gst::FinancialYear;
use akashone_gst::draft::iso_date;
use akashone_types::central::{DocumentKind, EInvoiceState};
use async_trait::async_trait;

use super::billing::{
    AddRateCard, BillingStore, CustomerRecord, DocumentFilter, DocumentHead, DocumentRecord,
    IrnRecord, IssueOutcome, NewDocument, RateCardRecord, RunRecord, SellerRecord,
};
use super::dialect::{Backend, Conn};
use super::record::{Arg, Columns, HEAD_COLS, RUN_COLS, args, insert_sql};
use super::rules::{self, NoteSums};
use super::{DbError, DbResult, duplicate};

/// A document head's tables: `d` the document, `i` its registration.
const HEAD_FROM: &str = "billing_documents d LEFT JOIN billing_irns i ON i.document_id = d.id";

fn json<T: serde::Serialize>(v: &T) -> DbResult<String> {
    serde_json::to_string(v).map_err(|e| DbError::Corrupt(e.to_string()))
}

fn heads_sql(condition: &str) -> String {
    format!("SELECT {HEAD_COLS} FROM {HEAD_FROM} WHERE {condition}")
}

/// Sums of taxable value and total of an invoice's notes of one kind.
async fn note_sums<C: Conn>(c: &mut C, invoice_id: &str, kind: DocumentKind) -> DbResult<NoteSums> {
    let (taxable_paise, total_paise) = c
        .one(
            "SELECT CAST(COALESCE(SUM(taxable_paise), 0) AS BIGINT), \
             CAST(COALESCE(SUM(total_paise), 0) AS BIGINT) \
             FROM billing_documents WHERE original_id = $1 AND doc_type = $2",
            &args![invoice_id, kind.as_str()],
        )
        .await?;
    Ok(NoteSums {
        taxable_paise,
        total_paise,
    })
}

/// The locks, checks and inserts of issuing, in the open transaction. Only an issued document
/// is followed by a commit: a refusal or an error rolls the counter back.
async fn issue_in<C: Conn>(c: &mut C, d: &NewDocument) -> DbResult<IssueOutcome> {
    let for_update = C::DIALECT.for_update;
    if let Some(original) = &d.original_id {
        // Notes of one invoice queue here, whatever their financial year.
        let sql = format!("SELECT id FROM billing_documents WHERE id = $1{for_update}");
        c.opt::<String>(&sql, &args![original]).await?;
    }
    let fy = FinancialYear::of(d.issue_date);
    let date = iso_date::format(d.issue_date);
    let series = args![d.seller_tenant_id, d.kind.as_str(), fy.start_year(), date];
    c.exec(
        "INSERT INTO billing_counters (seller_tenant_id, doc_type, fy_start, last_seq, last_date) \
         VALUES ($1, $2, $3, 0, $4) ON CONFLICT (seller_tenant_id, doc_type, fy_start) DO NOTHING",
        &series,
    )
    .await?;
    let sql = format!(
        "SELECT last_date FROM billing_counters \
         WHERE seller_tenant_id = $1 AND doc_type = $2 AND fy_start = $3{for_update}"
    );
    let last_date: String = c.one(&sql, &series[..3]).await?;
    if let Some(period) = &d.period
        && let Some((id, number, total_paise)) = c
            .opt(
                "SELECT id, number, total_paise FROM billing_documents \
                 WHERE seller_tenant_id = $1 AND customer_tenant_id = $2 AND period = $3",
                &args![d.seller_tenant_id, d.customer_tenant_id, period],
            )
            .await?
    {
        return Ok(IssueOutcome::AlreadyIssued {
            id,
            number,
            total_paise,
        });
    }
    if let (Some(limit), Some(original)) = (d.credit_limit, &d.original_id) {
        let credited = note_sums(c, original, DocumentKind::CreditNote).await?;
        let debited = note_sums(c, original, DocumentKind::DebitNote).await?;
        if let Err(refused) =
            rules::credit_allowed(limit, credited, debited, d.taxable_paise, d.total_paise)
        {
            return Ok(refused);
        }
    }
    if let Err(refused) = rules::date_allowed(&date, &last_date) {
        return Ok(refused);
    }
    let seq: i64 = c
        .one(
            "UPDATE billing_counters SET last_seq = last_seq + 1, last_date = $4 \
             WHERE seller_tenant_id = $1 AND doc_type = $2 AND fy_start = $3 RETURNING last_seq",
            &series,
        )
        .await?;
    let sequence = u64::try_from(seq).map_err(|e| DbError::Corrupt(e.to_string()))?;
    let number = match rules::number(&d.series, fy, sequence) {
        Ok(number) => number,
        Err(refused) => return Ok(refused),
    };
    let (serial_col, serial) = C::DIALECT.document_serial.unwrap_or_default();
    let sql = format!(
        "INSERT INTO billing_documents ({serial_col}id, seller_tenant_id, customer_tenant_id, \
         doc_type, original_id, period, run_id, fy_start, seq, number, issue_date, seller_name, \
         customer_name, taxable_paise, tax_paise, total_paise, requires_irn, draft, snapshot, \
         created_at, created_by) \
         VALUES ({serial}$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
         $17, $18, $19, $20, $21)"
    );
    let row = args![
        d.id,
        d.seller_tenant_id,
        d.customer_tenant_id,
        d.kind.as_str(),
        d.original_id,
        d.period,
        d.run_id,
        fy.start_year(),
        seq,
        number,
        date,
        d.seller_name,
        d.customer_name,
        d.taxable_paise,
        d.tax_paise,
        d.total_paise,
        d.requires_irn,
        d.draft,
        d.snapshot,
        d.created_at,
        d.created_by,
    ];
    c.exec(&sql, &row)
        .await
        .map_err(|e| duplicate(e, format!("document number {number}")))?;
    Ok(IssueOutcome::Issued { number, sequence })
}

/// The condition and parameters of a document list.
fn filter_sql(f: &DocumentFilter) -> (String, Vec<Arg>) {
    let mut args = Vec::from(args![f.scope_path]);
    let mut sql =
        String::from("(substr(s.path, 1, length($1)) = $1 OR substr(c.path, 1, length($1)) = $1)");
    let mut add = |cond: &str, v: Option<String>| {
        if let Some(v) = v {
            args.push(Arg::Text(v));
            sql.push_str(&format!(" AND {cond} ${}", args.len()));
        }
    };
    add("d.customer_tenant_id =", f.customer_id.clone());
    add("d.seller_tenant_id =", f.seller_id.clone());
    add("d.period =", f.period.clone());
    add("d.doc_type =", f.kind.map(|k| k.as_str().to_owned()));
    sql.push_str(match f.status {
        Some(EInvoiceState::Registered) => " AND i.document_id IS NOT NULL",
        Some(EInvoiceState::AwaitingIrn) => " AND i.document_id IS NULL AND d.requires_irn",
        Some(EInvoiceState::NotRequired) => " AND NOT d.requires_irn",
        None => "",
    });
    (sql, args)
}

#[async_trait]
impl<B: Backend> BillingStore for B {
    async fn seller_profile(&self, tenant_id: &str) -> DbResult<Option<SellerRecord>> {
        self.opt(
            "SELECT tenant_id, profile, logo_sha256, updated_at, updated_by \
             FROM billing_sellers WHERE tenant_id = $1",
            args![tenant_id],
        )
        .await
    }

    async fn put_seller_profile(
        &self,
        record: &SellerRecord,
        new_logo: Option<&[u8]>,
    ) -> DbResult<()> {
        let logo = match (new_logo, &record.logo_sha256) {
            (Some(png), Some(hash)) => Some(args![hash, png, record.updated_at]),
            _ => None,
        };
        let seller = args![
            record.tenant_id,
            json(&record.profile)?,
            record.logo_sha256,
            record.updated_at,
            record.updated_by,
        ];
        self.tx(move |c| {
            Box::pin(async move {
                if let Some(logo) = logo {
                    c.exec(
                        "INSERT INTO billing_logos (sha256, png, created_at) VALUES ($1, $2, $3) \
                         ON CONFLICT (sha256) DO NOTHING",
                        &logo,
                    )
                    .await?;
                }
                c.exec(
                    "INSERT INTO billing_sellers \
                     (tenant_id, profile, logo_sha256, updated_at, updated_by) \
                     VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (tenant_id) DO UPDATE SET profile = excluded.profile, \
                     logo_sha256 = excluded.logo_sha256, updated_at = excluded.updated_at, \
                     updated_by = excluded.updated_by",
                    &seller,
                )
                .await?;
                Ok(())
            })
        })
        .await
    }

    async fn logo(&self, sha256: &str) -> DbResult<Option<Vec<u8>>> {
        self.opt(
            "SELECT png FROM billing_logos WHERE sha256 = $1",
            args![sha256],
        )
        .await
    }

    async fn customer_profile(&self, tenant_id: &str) -> DbResult<Option<CustomerRecord>> {
        self.opt(
            "SELECT tenant_id, profile, updated_at, updated_by \
             FROM billing_customers WHERE tenant_id = $1",
            args![tenant_id],
        )
        .await
    }

    async fn put_customer_profile(&self, record: &CustomerRecord) -> DbResult<()> {
        self.run(
            "INSERT INTO billing_customers (tenant_id, profile, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (tenant_id) DO UPDATE SET profile = excluded.profile, \
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            args![
                record.tenant_id,
                json(&record.profile)?,
                record.updated_at,
                record.updated_by,
            ],
        )
        .await
    }

    async fn rate_cards(&self, seller_tenant_id: &str) -> DbResult<Vec<RateCardRecord>> {
        self.all(
            RateCardRecord::select(
                "",
                "billing_rate_cards WHERE seller_tenant_id = $1 ORDER BY effective_from DESC",
            ),
            args![seller_tenant_id],
        )
        .await
    }

    async fn rate_card_at(
        &self,
        seller_tenant_id: &str,
        date: &str,
    ) -> DbResult<Option<RateCardRecord>> {
        self.opt(
            RateCardRecord::select(
                "",
                "billing_rate_cards WHERE seller_tenant_id = $1 AND effective_from <= $2 \
                 ORDER BY effective_from DESC LIMIT 1",
            ),
            args![seller_tenant_id, date],
        )
        .await
    }

    async fn add_rate_card(&self, record: &RateCardRecord) -> DbResult<AddRateCard> {
        let lock = args![format!("billing_rate_cards:{}", record.seller_tenant_id)];
        let key = args![record.seller_tenant_id, record.effective_from];
        let (effective_from, row) = (record.effective_from.clone(), record.args());
        self.tx(move |c| {
            Box::pin(async move {
                // Versions of one seller are added one at a time.
                if let Some(key_lock) = B::DIALECT.key_lock {
                    c.exec(key_lock, &lock).await?;
                }
                let exists: Option<i32> = c
                    .opt(
                        "SELECT 1 FROM billing_rate_cards \
                         WHERE seller_tenant_id = $1 AND effective_from = $2",
                        &key,
                    )
                    .await?;
                if exists.is_some() {
                    return Ok(AddRateCard::Exists);
                }
                let invoiced: Option<String> = c
                    .one(
                        "SELECT MAX(period) FROM billing_documents \
                         WHERE seller_tenant_id = $1 AND doc_type = 'invoice'",
                        &key[..1],
                    )
                    .await?;
                let allowed = rules::rate_card_allowed(&effective_from, invoiced);
                if allowed == AddRateCard::Added {
                    c.exec(&insert_sql::<RateCardRecord>("billing_rate_cards"), &row)
                        .await?;
                }
                Ok(allowed)
            })
        })
        .await
    }

    async fn issue_document(&self, doc: &NewDocument) -> DbResult<IssueOutcome> {
        let d = doc.clone();
        let issued = self
            .with(move |c| {
                Box::pin(async move {
                    c.begin().await?;
                    let outcome = issue_in(c, &d).await?;
                    if matches!(outcome, IssueOutcome::Issued { .. }) {
                        c.commit().await?;
                    }
                    // A refusal leaves the transaction open: `with` rolls the counter back.
                    Ok(outcome)
                })
            })
            .await;
        match (issued, &doc.period) {
            // Another issuer's invoice for this period committed first (under PostgreSQL, two
            // invoices of one period dated in two financial years lock two counters).
            (Err(DbError::Duplicate(what)), Some(period)) => {
                match self
                    .invoice_for_period(&doc.seller_tenant_id, &doc.customer_tenant_id, period)
                    .await?
                {
                    Some(h) => Ok(IssueOutcome::AlreadyIssued {
                        id: h.id,
                        number: h.number,
                        total_paise: h.total_paise,
                    }),
                    None => Err(DbError::Duplicate(what)),
                }
            }
            (issued, _) => issued,
        }
    }

    async fn invoice_for_period(
        &self,
        seller_tenant_id: &str,
        customer_tenant_id: &str,
        period: &str,
    ) -> DbResult<Option<DocumentHead>> {
        self.opt(
            heads_sql("d.seller_tenant_id = $1 AND d.customer_tenant_id = $2 AND d.period = $3"),
            args![seller_tenant_id, customer_tenant_id, period],
        )
        .await
    }

    async fn document(&self, id: &str) -> DbResult<Option<DocumentRecord>> {
        let id = args![id];
        self.with(move |c| {
            Box::pin(async move {
                let Some(head) = c.opt(&heads_sql("d.id = $1"), &id).await? else {
                    return Ok(None);
                };
                let (draft, snapshot) = c
                    .one(
                        "SELECT draft, snapshot FROM billing_documents WHERE id = $1",
                        &id,
                    )
                    .await?;
                let sql = IrnRecord::select("", "billing_irns WHERE document_id = $1");
                let irn = c.opt(&sql, &id).await?;
                Ok(Some(DocumentRecord {
                    head,
                    draft,
                    snapshot,
                    irn,
                }))
            })
        })
        .await
    }

    async fn documents(&self, filter: &DocumentFilter) -> DbResult<(Vec<DocumentHead>, u64)> {
        let (condition, mut args) = filter_sql(filter);
        let from = format!(
            "{HEAD_FROM} JOIN tenants s ON s.id = d.seller_tenant_id \
             JOIN tenants c ON c.id = d.customer_tenant_id"
        );
        let count = format!("SELECT COUNT(*) FROM {from} WHERE {condition}");
        let (limit, offset) = (args.len() + 1, args.len() + 2);
        let list = format!(
            "SELECT {HEAD_COLS} FROM {from} WHERE {condition} \
             ORDER BY d.issue_date DESC, d.serial DESC LIMIT ${limit} OFFSET ${offset}"
        );
        let filtered = args.len();
        args.extend(args![
            i64::from(filter.limit),
            i64::try_from(filter.offset).unwrap_or(i64::MAX)
        ]);
        self.with(move |c| {
            Box::pin(async move {
                let total: i64 = c.one(&count, &args[..filtered]).await?;
                let rows = c.all(&list, &args).await?;
                Ok((rows, u64::try_from(total).unwrap_or(0)))
            })
        })
        .await
    }

    async fn notes_of(&self, invoice_id: &str) -> DbResult<Vec<DocumentHead>> {
        self.all(
            heads_sql("d.original_id = $1 ORDER BY d.serial"),
            args![invoice_id],
        )
        .await
    }

    async fn attach_irn(&self, document_id: &str, irn: &IrnRecord) -> DbResult<bool> {
        let mut row = Vec::from(args![document_id]);
        row.extend(irn.args());
        let n = self
            .exec(
                format!(
                    "INSERT INTO billing_irns (document_id, {}) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (document_id) DO NOTHING",
                    IrnRecord::cols("")
                ),
                row,
            )
            .await
            .map_err(|e| duplicate(e, format!("IRN {}", irn.irn)))?;
        Ok(n == 1)
    }

    async fn insert_run(&self, run: &RunRecord) -> DbResult<()> {
        self.run(
            format!(
                "INSERT INTO billing_runs ({RUN_COLS}) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
            ),
            args![
                run.id,
                run.seller_tenant_id,
                run.period,
                run.invoice_date,
                run.started_at,
                run.finished_at,
                run.actor_id,
                run.actor,
                i64::try_from(run.usage_records).unwrap_or(i64::MAX),
                run.issued,
                run.skipped,
                run.no_usage,
                run.failed,
                run.issued_total_paise,
                json(&run.customers)?,
            ],
        )
        .await
    }

    async fn runs(&self, seller_tenant_id: &str, limit: u32) -> DbResult<Vec<RunRecord>> {
        self.all(
            format!(
                "SELECT {RUN_COLS} FROM billing_runs WHERE seller_tenant_id = $1 \
                 ORDER BY started_at DESC, id DESC LIMIT $2"
            ),
            args![seller_tenant_id, limit],
        )
        .await
    }
}
