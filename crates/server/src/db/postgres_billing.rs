//! [`BillingStore`] on the PostgreSQL backend, sharing its pool.
//!
//! Issuing locks first — the invoice a note corrects, then the series' counter row
//! (`SELECT … FOR UPDATE`) — and only then checks the period, the credit limit and the date, so
//! concurrent issuers of one series queue on the lock and each sees what the one before it
//! committed. The number moves only together with the insert of its document: a refused or
//! failed document rolls both back, leaving no gap.

use akashone_billing::RateCard;
use akashone_gst::draft::iso_date;
use akashone_gst::{FinancialYear, Percent, UnitPrice};
use akashone_types::central::{DocumentKind, EInvoiceState};
use async_trait::async_trait;
use deadpool_postgres::Transaction;
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;

use super::billing::{
    AddRateCard, BillingStore, CustomerRecord, DocumentFilter, DocumentHead, DocumentRecord,
    IrnRecord, IssueOutcome, NewDocument, RateCardRecord, RunRecord, SellerRecord,
};
use super::postgres::{duplicate, tx_exec};
use super::{DbError, DbResult, Postgres};

type PgResult<T> = Result<T, tokio_postgres::Error>;
type Param = Box<dyn ToSql + Sync + Send>;

fn json<T: serde::Serialize>(v: &T) -> DbResult<String> {
    serde_json::to_string(v).map_err(|e| DbError::Corrupt(e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> DbResult<T> {
    serde_json::from_str(s).map_err(|e| DbError::Corrupt(format!("{what}: {e}")))
}

fn count(v: i64) -> DbResult<u32> {
    u32::try_from(v).map_err(|e| DbError::Corrupt(e.to_string()))
}

const RATE_COLS: &str = "seller_tenant_id, effective_from, vcpu_hour_milli, gb_ram_hour_milli, \
     gb_storage_month_milli, public_ip_hour_milli, snapshot_gb_month_milli, \
     kubernetes_cluster_hour_milli, database_instance_hour_milli, discount_bp, created_at, created_by";

fn rate_card_row(r: &Row) -> DbResult<RateCardRecord> {
    let price = |i: usize| -> DbResult<UnitPrice> {
        let milli: i64 = r.try_get(i)?;
        UnitPrice::from_milli_rupees(milli).map_err(|e| DbError::Corrupt(e.to_string()))
    };
    let discount: Option<i64> = r.try_get(9)?;
    let discount = discount
        .map(|bp| {
            u32::try_from(bp)
                .map_err(|e| DbError::Corrupt(e.to_string()))
                .and_then(|bp| {
                    Percent::from_basis_points(bp).map_err(|e| DbError::Corrupt(e.to_string()))
                })
        })
        .transpose()?;
    Ok(RateCardRecord {
        seller_tenant_id: r.try_get(0)?,
        effective_from: r.try_get(1)?,
        card: RateCard {
            vcpu_hour: price(2)?,
            gb_ram_hour: price(3)?,
            gb_storage_month: price(4)?,
            public_ip_hour: price(5)?,
            snapshot_gb_month: price(6)?,
            kubernetes_cluster_hour: price(7)?,
            database_instance_hour: price(8)?,
            discount,
        },
        created_at: r.try_get(10)?,
        created_by: r.try_get(11)?,
    })
}

const HEAD_COLS: &str = "d.id, d.seller_tenant_id, d.customer_tenant_id, d.doc_type, d.original_id, \
     d.period, d.run_id, d.number, d.issue_date, d.fy_start, d.seq, d.seller_name, d.customer_name, \
     d.taxable_paise, d.tax_paise, d.total_paise, d.requires_irn, \
     (i.document_id IS NOT NULL), d.created_at, d.created_by";

const HEAD_FROM: &str = "billing_documents d LEFT JOIN billing_irns i ON i.document_id = d.id";

fn head_row(r: &Row) -> DbResult<DocumentHead> {
    let kind: String = r.try_get(3)?;
    let seq: i64 = r.try_get(10)?;
    Ok(DocumentHead {
        id: r.try_get(0)?,
        seller_tenant_id: r.try_get(1)?,
        customer_tenant_id: r.try_get(2)?,
        kind: DocumentKind::parse(&kind)
            .ok_or_else(|| DbError::Corrupt(format!("document type {kind}")))?,
        original_id: r.try_get(4)?,
        period: r.try_get(5)?,
        run_id: r.try_get(6)?,
        number: r.try_get(7)?,
        issue_date: r.try_get(8)?,
        fy_start: r.try_get(9)?,
        sequence: u64::try_from(seq).map_err(|e| DbError::Corrupt(e.to_string()))?,
        seller_name: r.try_get(11)?,
        customer_name: r.try_get(12)?,
        taxable_paise: r.try_get(13)?,
        tax_paise: r.try_get(14)?,
        total_paise: r.try_get(15)?,
        requires_irn: r.try_get(16)?,
        registered: r.try_get(17)?,
        created_at: r.try_get(18)?,
        created_by: r.try_get(19)?,
    })
}

fn run_row(r: &Row) -> DbResult<RunRecord> {
    let customers: String = r.try_get(14)?;
    let records: i64 = r.try_get(8)?;
    Ok(RunRecord {
        id: r.try_get(0)?,
        seller_tenant_id: r.try_get(1)?,
        period: r.try_get(2)?,
        invoice_date: r.try_get(3)?,
        started_at: r.try_get(4)?,
        finished_at: r.try_get(5)?,
        actor_id: r.try_get(6)?,
        actor: r.try_get(7)?,
        usage_records: u64::try_from(records).map_err(|e| DbError::Corrupt(e.to_string()))?,
        issued: count(r.try_get(9)?)?,
        skipped: count(r.try_get(10)?)?,
        no_usage: count(r.try_get(11)?)?,
        failed: count(r.try_get(12)?)?,
        issued_total_paise: r.try_get(13)?,
        customers: from_json(&customers, "run customers")?,
    })
}

async fn tx_opt(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> PgResult<Option<Row>> {
    let st = tx.prepare_cached(sql).await?;
    tx.query_opt(&st, params).await
}

async fn tx_one(tx: &Transaction<'_>, sql: &str, params: &[&(dyn ToSql + Sync)]) -> PgResult<Row> {
    let st = tx.prepare_cached(sql).await?;
    tx.query_one(&st, params).await
}

async fn period_invoice(
    tx: &Transaction<'_>,
    d: &NewDocument,
    period: &str,
) -> DbResult<Option<IssueOutcome>> {
    let row = tx_opt(
        tx,
        "SELECT id, number, total_paise FROM billing_documents \
         WHERE seller_tenant_id = $1 AND customer_tenant_id = $2 AND period = $3",
        &[&d.seller_tenant_id, &d.customer_tenant_id, &period],
    )
    .await?;
    Ok(match row {
        Some(r) => Some(IssueOutcome::AlreadyIssued {
            id: r.try_get(0)?,
            number: r.try_get(1)?,
            total_paise: r.try_get(2)?,
        }),
        None => None,
    })
}

/// Sums of taxable value and total of an invoice's notes of one kind.
async fn note_sums(
    tx: &Transaction<'_>,
    invoice_id: &str,
    kind: DocumentKind,
) -> DbResult<(i64, i64)> {
    let r = tx_one(
        tx,
        "SELECT COALESCE(SUM(taxable_paise), 0)::BIGINT, COALESCE(SUM(total_paise), 0)::BIGINT \
         FROM billing_documents WHERE original_id = $1 AND doc_type = $2",
        &[&invoice_id, &kind.as_str()],
    )
    .await?;
    Ok((r.try_get(0)?, r.try_get(1)?))
}

/// The checks and the insert, inside the issuing transaction; `Err` rolls everything back.
async fn issue_in(tx: &Transaction<'_>, d: &NewDocument) -> DbResult<IssueOutcome> {
    if let Some(original) = &d.original_id {
        // Notes of one invoice queue here, whatever their financial year.
        tx_opt(
            tx,
            "SELECT id FROM billing_documents WHERE id = $1 FOR UPDATE",
            &[original],
        )
        .await?;
    }
    let fy = FinancialYear::of(d.issue_date);
    let fy_start = fy.start_year();
    let date = iso_date::format(d.issue_date);
    let kind = d.kind.as_str();
    tx_exec(
        tx,
        "INSERT INTO billing_counters (seller_tenant_id, doc_type, fy_start, last_seq, last_date) \
         VALUES ($1, $2, $3, 0, $4) ON CONFLICT (seller_tenant_id, doc_type, fy_start) DO NOTHING",
        &[&d.seller_tenant_id, &kind, &fy_start, &date],
    )
    .await?;
    let counter = tx_one(
        tx,
        "SELECT last_date FROM billing_counters \
         WHERE seller_tenant_id = $1 AND doc_type = $2 AND fy_start = $3 FOR UPDATE",
        &[&d.seller_tenant_id, &kind, &fy_start],
    )
    .await?;
    let last_date: String = counter.try_get(0)?;
    if let Some(period) = &d.period
        && let Some(found) = period_invoice(tx, d, period).await?
    {
        return Ok(found);
    }
    if let (Some(limit), Some(original)) = (d.credit_limit, &d.original_id) {
        let (credit_taxable, credit_total) =
            note_sums(tx, original, DocumentKind::CreditNote).await?;
        let (debit_taxable, debit_total) = note_sums(tx, original, DocumentKind::DebitNote).await?;
        let taxable_left = limit.taxable_paise + debit_taxable - credit_taxable;
        let total_left = limit.total_paise + debit_total - credit_total;
        if d.taxable_paise > taxable_left || d.total_paise > total_left {
            return Ok(IssueOutcome::ExceedsInvoice {
                taxable_left,
                total_left,
            });
        }
    }
    if date < last_date {
        return Ok(IssueOutcome::DateBeforeSeries { last_date });
    }
    let seq: i64 = tx_one(
        tx,
        "UPDATE billing_counters SET last_seq = last_seq + 1, last_date = $4 \
         WHERE seller_tenant_id = $1 AND doc_type = $2 AND fy_start = $3 RETURNING last_seq",
        &[&d.seller_tenant_id, &kind, &fy_start, &date],
    )
    .await?
    .try_get(0)?;
    let sequence = u64::try_from(seq).map_err(|e| DbError::Corrupt(e.to_string()))?;
    let number = match d.series.format(fy, sequence) {
        Ok(n) => n.to_string(),
        Err(e) => return Ok(IssueOutcome::SeriesExhausted(e.to_string())),
    };
    tx_exec(
        tx,
        "INSERT INTO billing_documents (id, seller_tenant_id, customer_tenant_id, doc_type, \
         original_id, period, run_id, fy_start, seq, number, issue_date, seller_name, \
         customer_name, taxable_paise, tax_paise, total_paise, requires_irn, draft, snapshot, \
         created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
         $19, $20, $21)",
        &[
            &d.id,
            &d.seller_tenant_id,
            &d.customer_tenant_id,
            &kind,
            &d.original_id,
            &d.period,
            &d.run_id,
            &fy_start,
            &seq,
            &number,
            &date,
            &d.seller_name,
            &d.customer_name,
            &d.taxable_paise,
            &d.tax_paise,
            &d.total_paise,
            &d.requires_irn,
            &d.draft,
            &d.snapshot,
            &d.created_at,
            &d.created_by,
        ],
    )
    .await
    .map_err(|e| match e {
        // Left as it is for the caller, which answers with the invoice that won.
        DbError::Postgres(e) if constraint(&e) == Some(PERIOD_KEY) => DbError::Postgres(e),
        DbError::Postgres(e) => duplicate(e, format!("document number {number}")),
        other => other,
    })?;
    Ok(IssueOutcome::Issued { number, sequence })
}

/// The unique key of one invoice per seller, customer and period.
const PERIOD_KEY: &str = "billing_documents_period_key";

fn constraint(e: &tokio_postgres::Error) -> Option<&str> {
    if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
        e.as_db_error().and_then(|d| d.constraint())
    } else {
        None
    }
}

fn filter_sql(f: &DocumentFilter) -> (String, Vec<Param>) {
    let mut args: Vec<Param> = vec![Box::new(f.scope_path.clone())];
    let mut sql = String::from("(starts_with(s.path, $1) OR starts_with(c.path, $1))");
    let mut add = |cond: &str, v: Option<String>| {
        if let Some(v) = v {
            args.push(Box::new(v));
            sql.push_str(&format!(" AND {cond} ${}", args.len()));
        }
    };
    add("d.customer_tenant_id =", f.customer_id.clone());
    add("d.seller_tenant_id =", f.seller_id.clone());
    add("d.period =", f.period.clone());
    add("d.doc_type =", f.kind.map(|k| k.as_str().to_owned()));
    match f.status {
        Some(EInvoiceState::Registered) => sql.push_str(" AND i.document_id IS NOT NULL"),
        Some(EInvoiceState::AwaitingIrn) => {
            sql.push_str(" AND i.document_id IS NULL AND d.requires_irn");
        }
        Some(EInvoiceState::NotRequired) => sql.push_str(" AND NOT d.requires_irn"),
        None => {}
    }
    (sql, args)
}

fn refs(args: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    args.iter()
        .map(|a| a.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

impl Postgres {
    async fn heads(
        &self,
        condition: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> DbResult<Vec<DocumentHead>> {
        let c = self.conn().await?;
        let st = c
            .prepare_cached(&format!(
                "SELECT {HEAD_COLS} FROM {HEAD_FROM} WHERE {condition}"
            ))
            .await?;
        c.query(&st, params).await?.iter().map(head_row).collect()
    }
}

#[async_trait]
impl BillingStore for Postgres {
    async fn seller_profile(&self, tenant_id: &str) -> DbResult<Option<SellerRecord>> {
        let c = self.conn().await?;
        let st = c
            .prepare_cached(
                "SELECT tenant_id, profile, logo_sha256, updated_at, updated_by \
                 FROM billing_sellers WHERE tenant_id = $1",
            )
            .await?;
        let Some(r) = c.query_opt(&st, &[&tenant_id]).await? else {
            return Ok(None);
        };
        let profile: String = r.try_get(1)?;
        Ok(Some(SellerRecord {
            tenant_id: r.try_get(0)?,
            profile: from_json(&profile, "seller profile")?,
            logo_sha256: r.try_get(2)?,
            updated_at: r.try_get(3)?,
            updated_by: r.try_get(4)?,
        }))
    }

    async fn put_seller_profile(
        &self,
        record: &SellerRecord,
        new_logo: Option<&[u8]>,
    ) -> DbResult<()> {
        let profile = json(&record.profile)?;
        let mut c = self.conn().await?;
        let tx = c.transaction().await?;
        if let (Some(png), Some(hash)) = (new_logo, &record.logo_sha256) {
            tx_exec(
                &tx,
                "INSERT INTO billing_logos (sha256, png, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (sha256) DO NOTHING",
                &[hash, &png, &record.updated_at],
            )
            .await?;
        }
        tx_exec(
            &tx,
            "INSERT INTO billing_sellers (tenant_id, profile, logo_sha256, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (tenant_id) DO UPDATE SET profile = excluded.profile, \
             logo_sha256 = excluded.logo_sha256, updated_at = excluded.updated_at, \
             updated_by = excluded.updated_by",
            &[
                &record.tenant_id,
                &profile,
                &record.logo_sha256,
                &record.updated_at,
                &record.updated_by,
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn logo(&self, sha256: &str) -> DbResult<Option<Vec<u8>>> {
        self.opt(
            "SELECT png FROM billing_logos WHERE sha256 = $1",
            &[&sha256],
            |r| r.try_get(0),
        )
        .await
    }

    async fn customer_profile(&self, tenant_id: &str) -> DbResult<Option<CustomerRecord>> {
        let c = self.conn().await?;
        let st = c
            .prepare_cached(
                "SELECT tenant_id, profile, updated_at, updated_by \
                 FROM billing_customers WHERE tenant_id = $1",
            )
            .await?;
        let Some(r) = c.query_opt(&st, &[&tenant_id]).await? else {
            return Ok(None);
        };
        let profile: String = r.try_get(1)?;
        Ok(Some(CustomerRecord {
            tenant_id: r.try_get(0)?,
            profile: from_json(&profile, "customer profile")?,
            updated_at: r.try_get(2)?,
            updated_by: r.try_get(3)?,
        }))
    }

    async fn put_customer_profile(&self, record: &CustomerRecord) -> DbResult<()> {
        let profile = json(&record.profile)?;
        self.exec(
            "INSERT INTO billing_customers (tenant_id, profile, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (tenant_id) DO UPDATE SET profile = excluded.profile, \
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            &[
                &record.tenant_id,
                &profile,
                &record.updated_at,
                &record.updated_by,
            ],
        )
        .await?;
        Ok(())
    }

    async fn rate_cards(&self, seller_tenant_id: &str) -> DbResult<Vec<RateCardRecord>> {
        let c = self.conn().await?;
        let st = c
            .prepare_cached(&format!(
                "SELECT {RATE_COLS} FROM billing_rate_cards WHERE seller_tenant_id = $1 \
                 ORDER BY effective_from DESC"
            ))
            .await?;
        c.query(&st, &[&seller_tenant_id])
            .await?
            .iter()
            .map(rate_card_row)
            .collect()
    }

    async fn rate_card_at(
        &self,
        seller_tenant_id: &str,
        date: &str,
    ) -> DbResult<Option<RateCardRecord>> {
        let c = self.conn().await?;
        let st = c
            .prepare_cached(&format!(
                "SELECT {RATE_COLS} FROM billing_rate_cards \
                 WHERE seller_tenant_id = $1 AND effective_from <= $2 \
                 ORDER BY effective_from DESC LIMIT 1"
            ))
            .await?;
        c.query_opt(&st, &[&seller_tenant_id, &date])
            .await?
            .as_ref()
            .map(rate_card_row)
            .transpose()
    }

    async fn add_rate_card(&self, record: &RateCardRecord) -> DbResult<AddRateCard> {
        let mut c = self.conn().await?;
        let tx = c.transaction().await?;
        // Versions of one seller are added one at a time.
        tx_exec(
            &tx,
            "SELECT pg_advisory_xact_lock(hashtext('billing_rate_cards:' || $1))",
            &[&record.seller_tenant_id],
        )
        .await?;
        let exists = tx_opt(
            &tx,
            "SELECT 1 FROM billing_rate_cards WHERE seller_tenant_id = $1 AND effective_from = $2",
            &[&record.seller_tenant_id, &record.effective_from],
        )
        .await?
        .is_some();
        if exists {
            return Ok(AddRateCard::Exists);
        }
        let month = record
            .effective_from
            .get(..7)
            .unwrap_or_default()
            .to_owned();
        let invoiced: Option<String> = tx_one(
            &tx,
            "SELECT MAX(period) FROM billing_documents \
             WHERE seller_tenant_id = $1 AND doc_type = 'invoice' AND period >= $2",
            &[&record.seller_tenant_id, &month],
        )
        .await?
        .try_get(0)?;
        if let Some(period) = invoiced {
            return Ok(AddRateCard::AlreadyInvoiced(period));
        }
        let k = &record.card;
        let discount = k.discount.map(|d| i64::from(d.basis_points()));
        tx_exec(
            &tx,
            &format!(
                "INSERT INTO billing_rate_cards ({RATE_COLS}) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
            ),
            &[
                &record.seller_tenant_id,
                &record.effective_from,
                &k.vcpu_hour.milli_rupees(),
                &k.gb_ram_hour.milli_rupees(),
                &k.gb_storage_month.milli_rupees(),
                &k.public_ip_hour.milli_rupees(),
                &k.snapshot_gb_month.milli_rupees(),
                &k.kubernetes_cluster_hour.milli_rupees(),
                &k.database_instance_hour.milli_rupees(),
                &discount,
                &record.created_at,
                &record.created_by,
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(AddRateCard::Added)
    }

    async fn issue_document(&self, doc: &NewDocument) -> DbResult<IssueOutcome> {
        let mut c = self.conn().await?;
        let tx = c.transaction().await?;
        match issue_in(&tx, doc).await {
            Ok(outcome @ IssueOutcome::Issued { .. }) => {
                tx.commit().await?;
                Ok(outcome)
            }
            // Dropping the transaction rolls the counter back.
            Ok(refused) => Ok(refused),
            Err(DbError::Postgres(e)) if constraint(&e) == Some(PERIOD_KEY) => {
                // Another issuer's invoice for this period committed first.
                drop(tx);
                let period = doc.period.as_deref().unwrap_or_default();
                match self
                    .invoice_for_period(&doc.seller_tenant_id, &doc.customer_tenant_id, period)
                    .await?
                {
                    Some(h) => Ok(IssueOutcome::AlreadyIssued {
                        id: h.id,
                        number: h.number,
                        total_paise: h.total_paise,
                    }),
                    None => Err(DbError::Postgres(e)),
                }
            }
            Err(e) => Err(e),
        }
    }

    async fn invoice_for_period(
        &self,
        seller_tenant_id: &str,
        customer_tenant_id: &str,
        period: &str,
    ) -> DbResult<Option<DocumentHead>> {
        Ok(self
            .heads(
                "d.seller_tenant_id = $1 AND d.customer_tenant_id = $2 AND d.period = $3",
                &[&seller_tenant_id, &customer_tenant_id, &period],
            )
            .await?
            .into_iter()
            .next())
    }

    async fn document(&self, id: &str) -> DbResult<Option<DocumentRecord>> {
        let Some(head) = self.heads("d.id = $1", &[&id]).await?.into_iter().next() else {
            return Ok(None);
        };
        let c = self.conn().await?;
        let st = c
            .prepare_cached("SELECT draft, snapshot FROM billing_documents WHERE id = $1")
            .await?;
        let r = c.query_one(&st, &[&id]).await?;
        let (draft, snapshot) = (r.try_get(0)?, r.try_get(1)?);
        let st = c
            .prepare_cached(
                "SELECT irn, ack_no, ack_date, signed_qr_code, signed_invoice, imported_at, \
                 imported_by FROM billing_irns WHERE document_id = $1",
            )
            .await?;
        let irn = match c.query_opt(&st, &[&id]).await? {
            Some(r) => Some(IrnRecord {
                irn: r.try_get(0)?,
                ack_no: r.try_get(1)?,
                ack_date: r.try_get(2)?,
                signed_qr_code: r.try_get(3)?,
                signed_invoice: r.try_get(4)?,
                imported_at: r.try_get(5)?,
                imported_by: r.try_get(6)?,
            }),
            None => None,
        };
        Ok(Some(DocumentRecord {
            head,
            draft,
            snapshot,
            irn,
        }))
    }

    async fn documents(&self, filter: &DocumentFilter) -> DbResult<(Vec<DocumentHead>, u64)> {
        let (condition, mut args) = filter_sql(filter);
        let from = format!(
            "{HEAD_FROM} JOIN tenants s ON s.id = d.seller_tenant_id \
             JOIN tenants c ON c.id = d.customer_tenant_id"
        );
        let c = self.conn().await?;
        let st = c
            .prepare_cached(&format!("SELECT COUNT(*) FROM {from} WHERE {condition}"))
            .await?;
        let total: i64 = c.query_one(&st, &refs(&args)).await?.try_get(0)?;
        let (limit, offset) = (args.len() + 1, args.len() + 2);
        args.push(Box::new(i64::from(filter.limit)));
        args.push(Box::new(i64::try_from(filter.offset).unwrap_or(i64::MAX)));
        let st = c
            .prepare_cached(&format!(
                "SELECT {HEAD_COLS} FROM {from} WHERE {condition} \
                 ORDER BY d.issue_date DESC, d.serial DESC LIMIT ${limit} OFFSET ${offset}"
            ))
            .await?;
        let rows = c
            .query(&st, &refs(&args))
            .await?
            .iter()
            .map(head_row)
            .collect::<DbResult<Vec<_>>>()?;
        Ok((rows, u64::try_from(total).unwrap_or(0)))
    }

    async fn notes_of(&self, invoice_id: &str) -> DbResult<Vec<DocumentHead>> {
        self.heads("d.original_id = $1 ORDER BY d.serial", &[&invoice_id])
            .await
    }

    async fn attach_irn(&self, document_id: &str, irn: &IrnRecord) -> DbResult<bool> {
        let n = self
            .exec(
                "INSERT INTO billing_irns (document_id, irn, ack_no, ack_date, signed_qr_code, \
                 signed_invoice, imported_at, imported_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (document_id) DO NOTHING",
                &[
                    &document_id,
                    &irn.irn,
                    &irn.ack_no,
                    &irn.ack_date,
                    &irn.signed_qr_code,
                    &irn.signed_invoice,
                    &irn.imported_at,
                    &irn.imported_by,
                ],
            )
            .await
            .map_err(|e| match e {
                DbError::Postgres(e) => duplicate(e, format!("IRN {}", irn.irn)),
                other => other,
            })?;
        Ok(n == 1)
    }

    async fn insert_run(&self, run: &RunRecord) -> DbResult<()> {
        let customers = json(&run.customers)?;
        let records = i64::try_from(run.usage_records).unwrap_or(i64::MAX);
        let (issued, skipped, no_usage, failed) = (
            i64::from(run.issued),
            i64::from(run.skipped),
            i64::from(run.no_usage),
            i64::from(run.failed),
        );
        self.exec(
            "INSERT INTO billing_runs (id, seller_tenant_id, period, invoice_date, started_at, \
             finished_at, actor_id, actor, usage_records, issued, skipped, no_usage, failed, \
             issued_total_paise, customers) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            &[
                &run.id,
                &run.seller_tenant_id,
                &run.period,
                &run.invoice_date,
                &run.started_at,
                &run.finished_at,
                &run.actor_id,
                &run.actor,
                &records,
                &issued,
                &skipped,
                &no_usage,
                &failed,
                &run.issued_total_paise,
                &customers,
            ],
        )
        .await?;
        Ok(())
    }

    async fn runs(&self, seller_tenant_id: &str, limit: u32) -> DbResult<Vec<RunRecord>> {
        let c = self.conn().await?;
        let st = c
            .prepare_cached(
                "SELECT id, seller_tenant_id, period, invoice_date, started_at, finished_at, \
                 actor_id, actor, usage_records, issued, skipped, no_usage, failed, \
                 issued_total_paise, customers FROM billing_runs WHERE seller_tenant_id = $1 \
                 ORDER BY started_at DESC, id DESC LIMIT $2",
            )
            .await?;
        c.query(&st, &[&seller_tenant_id, &i64::from(limit)])
            .await?
            .iter()
            .map(run_row)
            .collect()
    }
}
