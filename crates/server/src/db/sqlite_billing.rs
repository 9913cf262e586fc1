//! [`BillingStore`] on the SQLite backend, sharing its connections. Numbering and the
//! per-invoice credit limit run under `BEGIN IMMEDIATE`, so concurrent issuers queue on the
//! database's write lock and see each other's documents.

use akashone_billing::RateCard;
use akashone_gst::draft::iso_date;
use akashone_gst::{FinancialYear, Percent, UnitPrice};
use akashone_types::central::DocumentKind;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params, params_from_iter};

use super::billing::{
    AddRateCard, BillingStore, CustomerRecord, DocumentFilter, DocumentHead, DocumentRecord,
    IrnRecord, IssueOutcome, NewDocument, RateCardRecord, RunRecord, SellerRecord,
};
use super::sqlite::duplicate;
use super::{DbError, DbResult, Sqlite};
use akashone_types::central::EInvoiceState;
use async_trait::async_trait;

fn json<T: serde::Serialize>(v: &T) -> DbResult<String> {
    serde_json::to_string(v).map_err(|e| DbError::Corrupt(e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("{what}: {e}").into(),
        )
    })
}

fn corrupt(what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Integer, what.into())
}

const RATE_COLS: &str = "seller_tenant_id, effective_from, vcpu_hour_milli, gb_ram_hour_milli, \
     gb_storage_month_milli, public_ip_hour_milli, snapshot_gb_month_milli, \
     kubernetes_cluster_hour_milli, database_instance_hour_milli, discount_bp, created_at, created_by";

fn rate_card_row(r: &Row<'_>) -> rusqlite::Result<RateCardRecord> {
    let price = |i: usize| -> rusqlite::Result<UnitPrice> {
        let milli: i64 = r.get(i)?;
        UnitPrice::from_milli_rupees(milli).map_err(|e| corrupt(e.to_string()))
    };
    let discount: Option<i64> = r.get(9)?;
    let discount = discount
        .map(|bp| {
            u32::try_from(bp)
                .map_err(|e| corrupt(e.to_string()))
                .and_then(|bp| Percent::from_basis_points(bp).map_err(|e| corrupt(e.to_string())))
        })
        .transpose()?;
    Ok(RateCardRecord {
        seller_tenant_id: r.get(0)?,
        effective_from: r.get(1)?,
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
        created_at: r.get(10)?,
        created_by: r.get(11)?,
    })
}

const HEAD_COLS: &str = "d.id, d.seller_tenant_id, d.customer_tenant_id, d.doc_type, d.original_id, \
     d.period, d.run_id, d.number, d.issue_date, d.fy_start, d.seq, d.seller_name, d.customer_name, \
     d.taxable_paise, d.tax_paise, d.total_paise, d.requires_irn, \
     (i.document_id IS NOT NULL), d.created_at, d.created_by";

const HEAD_FROM: &str = "billing_documents d LEFT JOIN billing_irns i ON i.document_id = d.id";

fn head_row(r: &Row<'_>) -> rusqlite::Result<DocumentHead> {
    let kind: String = r.get(3)?;
    let seq: i64 = r.get(10)?;
    Ok(DocumentHead {
        id: r.get(0)?,
        seller_tenant_id: r.get(1)?,
        customer_tenant_id: r.get(2)?,
        kind: DocumentKind::parse(&kind).ok_or_else(|| corrupt(format!("document type {kind}")))?,
        original_id: r.get(4)?,
        period: r.get(5)?,
        run_id: r.get(6)?,
        number: r.get(7)?,
        issue_date: r.get(8)?,
        fy_start: r.get(9)?,
        sequence: u64::try_from(seq).map_err(|e| corrupt(e.to_string()))?,
        seller_name: r.get(11)?,
        customer_name: r.get(12)?,
        taxable_paise: r.get(13)?,
        tax_paise: r.get(14)?,
        total_paise: r.get(15)?,
        requires_irn: r.get(16)?,
        registered: r.get(17)?,
        created_at: r.get(18)?,
        created_by: r.get(19)?,
    })
}

fn heads(c: &Connection, condition: &str, args: &[Value]) -> DbResult<Vec<DocumentHead>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {HEAD_COLS} FROM {HEAD_FROM} WHERE {condition}"
    ))?;
    let rows = st.query_map(params_from_iter(args), head_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Sums of taxable value and total of an invoice's notes of one kind.
fn note_sums(c: &Connection, invoice_id: &str, kind: DocumentKind) -> DbResult<(i64, i64)> {
    Ok(c.query_row(
        "SELECT COALESCE(SUM(taxable_paise), 0), COALESCE(SUM(total_paise), 0) \
         FROM billing_documents WHERE original_id = ?1 AND doc_type = ?2",
        params![invoice_id, kind.as_str()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

fn issue(c: &mut Connection, d: &NewDocument) -> DbResult<IssueOutcome> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let Some(period) = &d.period
        && let Some(h) = heads(
            &tx,
            "d.seller_tenant_id = ?1 AND d.customer_tenant_id = ?2 AND d.period = ?3",
            &[
                Value::Text(d.seller_tenant_id.clone()),
                Value::Text(d.customer_tenant_id.clone()),
                Value::Text(period.clone()),
            ],
        )?
        .into_iter()
        .next()
    {
        return Ok(IssueOutcome::AlreadyIssued {
            id: h.id,
            number: h.number,
            total_paise: h.total_paise,
        });
    }
    if let (Some(limit), Some(original)) = (d.credit_limit, &d.original_id) {
        let (credit_taxable, credit_total) = note_sums(&tx, original, DocumentKind::CreditNote)?;
        let (debit_taxable, debit_total) = note_sums(&tx, original, DocumentKind::DebitNote)?;
        let taxable_left = limit.taxable_paise + debit_taxable - credit_taxable;
        let total_left = limit.total_paise + debit_total - credit_total;
        if d.taxable_paise > taxable_left || d.total_paise > total_left {
            return Ok(IssueOutcome::ExceedsInvoice {
                taxable_left,
                total_left,
            });
        }
    }
    let fy = FinancialYear::of(d.issue_date);
    let date = iso_date::format(d.issue_date);
    let kind = d.kind.as_str();
    tx.execute(
        "INSERT INTO billing_counters (seller_tenant_id, doc_type, fy_start, last_seq, last_date) \
         VALUES (?1, ?2, ?3, 0, ?4) ON CONFLICT (seller_tenant_id, doc_type, fy_start) DO NOTHING",
        params![d.seller_tenant_id, kind, fy.start_year(), date],
    )?;
    let last_date: String = tx.query_row(
        "SELECT last_date FROM billing_counters \
         WHERE seller_tenant_id = ?1 AND doc_type = ?2 AND fy_start = ?3",
        params![d.seller_tenant_id, kind, fy.start_year()],
        |r| r.get(0),
    )?;
    if date < last_date {
        return Ok(IssueOutcome::DateBeforeSeries { last_date });
    }
    let seq: i64 = tx.query_row(
        "UPDATE billing_counters SET last_seq = last_seq + 1, last_date = ?4 \
         WHERE seller_tenant_id = ?1 AND doc_type = ?2 AND fy_start = ?3 RETURNING last_seq",
        params![d.seller_tenant_id, kind, fy.start_year(), date],
        |r| r.get(0),
    )?;
    let sequence = u64::try_from(seq).map_err(|e| DbError::Corrupt(e.to_string()))?;
    let number = match d.series.format(fy, sequence) {
        Ok(n) => n.to_string(),
        // Dropping the transaction gives the number back.
        Err(e) => return Ok(IssueOutcome::SeriesExhausted(e.to_string())),
    };
    let serial: i64 = tx.query_row(
        "SELECT COALESCE(MAX(serial), 0) + 1 FROM billing_documents",
        [],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO billing_documents (serial, id, seller_tenant_id, customer_tenant_id, doc_type, \
         original_id, period, run_id, fy_start, seq, number, issue_date, seller_name, \
         customer_name, taxable_paise, tax_paise, total_paise, requires_irn, draft, snapshot, \
         created_at, created_by) \
         VALUES (?22, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, \
         ?17, ?18, ?19, ?20, ?21)",
        params![
            d.id,
            d.seller_tenant_id,
            d.customer_tenant_id,
            kind,
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
            serial
        ],
    )
    .map_err(|e| duplicate(e, format!("document number {number}")))?;
    tx.commit()?;
    Ok(IssueOutcome::Issued { number, sequence })
}

fn filter_sql(f: &DocumentFilter) -> (String, Vec<Value>) {
    let mut args = vec![Value::Text(f.scope_path.clone())];
    let mut sql =
        String::from("(substr(s.path, 1, length(?1)) = ?1 OR substr(c.path, 1, length(?1)) = ?1)");
    let mut add = |cond: &str, v: Option<Value>| {
        if let Some(v) = v {
            args.push(v);
            sql.push_str(&format!(" AND {cond} ?{}", args.len()));
        }
    };
    add(
        "d.customer_tenant_id =",
        f.customer_id.clone().map(Value::Text),
    );
    add("d.seller_tenant_id =", f.seller_id.clone().map(Value::Text));
    add("d.period =", f.period.clone().map(Value::Text));
    add(
        "d.doc_type =",
        f.kind.map(|k| Value::Text(k.as_str().to_owned())),
    );
    match f.status {
        Some(EInvoiceState::Registered) => sql.push_str(" AND i.document_id IS NOT NULL"),
        Some(EInvoiceState::AwaitingIrn) => {
            sql.push_str(" AND i.document_id IS NULL AND d.requires_irn = 1");
        }
        Some(EInvoiceState::NotRequired) => sql.push_str(" AND d.requires_irn = 0"),
        None => {}
    }
    (sql, args)
}

fn run_row(r: &Row<'_>) -> rusqlite::Result<RunRecord> {
    let customers: String = r.get(14)?;
    let count = |i: usize| -> rusqlite::Result<u32> {
        let v: i64 = r.get(i)?;
        u32::try_from(v).map_err(|e| corrupt(e.to_string()))
    };
    let records: i64 = r.get(8)?;
    Ok(RunRecord {
        id: r.get(0)?,
        seller_tenant_id: r.get(1)?,
        period: r.get(2)?,
        invoice_date: r.get(3)?,
        started_at: r.get(4)?,
        finished_at: r.get(5)?,
        actor_id: r.get(6)?,
        actor: r.get(7)?,
        usage_records: u64::try_from(records).map_err(|e| corrupt(e.to_string()))?,
        issued: count(9)?,
        skipped: count(10)?,
        no_usage: count(11)?,
        failed: count(12)?,
        issued_total_paise: r.get(13)?,
        customers: from_json(&customers, "run customers")?,
    })
}

#[async_trait]
impl BillingStore for Sqlite {
    async fn seller_profile(&self, tenant_id: &str) -> DbResult<Option<SellerRecord>> {
        let id = tenant_id.to_owned();
        self.run(move |c| {
            Ok(c.query_row(
                "SELECT tenant_id, profile, logo_sha256, updated_at, updated_by \
                 FROM billing_sellers WHERE tenant_id = ?1",
                [id],
                |r| {
                    let profile: String = r.get(1)?;
                    Ok(SellerRecord {
                        tenant_id: r.get(0)?,
                        profile: from_json(&profile, "seller profile")?,
                        logo_sha256: r.get(2)?,
                        updated_at: r.get(3)?,
                        updated_by: r.get(4)?,
                    })
                },
            )
            .optional()?)
        })
        .await
    }

    async fn put_seller_profile(
        &self,
        record: &SellerRecord,
        new_logo: Option<&[u8]>,
    ) -> DbResult<()> {
        let rec = record.clone();
        let logo = new_logo.map(<[u8]>::to_vec);
        let profile = json(&rec.profile)?;
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if let (Some(png), Some(hash)) = (&logo, &rec.logo_sha256) {
                tx.execute(
                    "INSERT INTO billing_logos (sha256, png, created_at) VALUES (?1, ?2, ?3) \
                     ON CONFLICT (sha256) DO NOTHING",
                    params![hash, png, rec.updated_at],
                )?;
            }
            tx.execute(
                "INSERT INTO billing_sellers (tenant_id, profile, logo_sha256, updated_at, updated_by) \
                 VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (tenant_id) DO UPDATE SET profile = excluded.profile, \
                 logo_sha256 = excluded.logo_sha256, updated_at = excluded.updated_at, \
                 updated_by = excluded.updated_by",
                params![
                    rec.tenant_id,
                    profile,
                    rec.logo_sha256,
                    rec.updated_at,
                    rec.updated_by
                ],
            )?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn logo(&self, sha256: &str) -> DbResult<Option<Vec<u8>>> {
        let hash = sha256.to_owned();
        self.run(move |c| {
            Ok(c.query_row(
                "SELECT png FROM billing_logos WHERE sha256 = ?1",
                [hash],
                |r| r.get(0),
            )
            .optional()?)
        })
        .await
    }

    async fn customer_profile(&self, tenant_id: &str) -> DbResult<Option<CustomerRecord>> {
        let id = tenant_id.to_owned();
        self.run(move |c| {
            Ok(c.query_row(
                "SELECT tenant_id, profile, updated_at, updated_by \
                 FROM billing_customers WHERE tenant_id = ?1",
                [id],
                |r| {
                    let profile: String = r.get(1)?;
                    Ok(CustomerRecord {
                        tenant_id: r.get(0)?,
                        profile: from_json(&profile, "customer profile")?,
                        updated_at: r.get(2)?,
                        updated_by: r.get(3)?,
                    })
                },
            )
            .optional()?)
        })
        .await
    }

    async fn put_customer_profile(&self, record: &CustomerRecord) -> DbResult<()> {
        let rec = record.clone();
        let profile = json(&rec.profile)?;
        self.run(move |c| {
            c.execute(
                "INSERT INTO billing_customers (tenant_id, profile, updated_at, updated_by) \
                 VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (tenant_id) DO UPDATE SET profile = excluded.profile, \
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                params![rec.tenant_id, profile, rec.updated_at, rec.updated_by],
            )?;
            Ok(())
        })
        .await
    }

    async fn rate_cards(&self, seller_tenant_id: &str) -> DbResult<Vec<RateCardRecord>> {
        let id = seller_tenant_id.to_owned();
        self.run(move |c| {
            let mut st = c.prepare_cached(&format!(
                "SELECT {RATE_COLS} FROM billing_rate_cards WHERE seller_tenant_id = ?1 \
                 ORDER BY effective_from DESC"
            ))?;
            let rows = st.query_map([id], rate_card_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    async fn rate_card_at(
        &self,
        seller_tenant_id: &str,
        date: &str,
    ) -> DbResult<Option<RateCardRecord>> {
        let (id, date) = (seller_tenant_id.to_owned(), date.to_owned());
        self.run(move |c| {
            Ok(c.query_row(
                &format!(
                    "SELECT {RATE_COLS} FROM billing_rate_cards \
                     WHERE seller_tenant_id = ?1 AND effective_from <= ?2 \
                     ORDER BY effective_from DESC LIMIT 1"
                ),
                params![id, date],
                rate_card_row,
            )
            .optional()?)
        })
        .await
    }

    async fn add_rate_card(&self, record: &RateCardRecord) -> DbResult<AddRateCard> {
        let rec = record.clone();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let exists = tx
                .query_row(
                    "SELECT 1 FROM billing_rate_cards WHERE seller_tenant_id = ?1 AND effective_from = ?2",
                    params![rec.seller_tenant_id, rec.effective_from],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            if exists {
                return Ok(AddRateCard::Exists);
            }
            let month = rec.effective_from.get(..7).unwrap_or_default().to_owned();
            let invoiced: Option<String> = tx
                .query_row(
                    "SELECT MAX(period) FROM billing_documents \
                     WHERE seller_tenant_id = ?1 AND doc_type = 'invoice' AND period >= ?2",
                    params![rec.seller_tenant_id, month],
                    |r| r.get(0),
                )?;
            if let Some(period) = invoiced {
                return Ok(AddRateCard::AlreadyInvoiced(period));
            }
            let k = &rec.card;
            tx.execute(
                &format!(
                    "INSERT INTO billing_rate_cards ({RATE_COLS}) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
                ),
                params![
                    rec.seller_tenant_id,
                    rec.effective_from,
                    k.vcpu_hour.milli_rupees(),
                    k.gb_ram_hour.milli_rupees(),
                    k.gb_storage_month.milli_rupees(),
                    k.public_ip_hour.milli_rupees(),
                    k.snapshot_gb_month.milli_rupees(),
                    k.kubernetes_cluster_hour.milli_rupees(),
                    k.database_instance_hour.milli_rupees(),
                    k.discount.map(|d| i64::from(d.basis_points())),
                    rec.created_at,
                    rec.created_by
                ],
            )?;
            tx.commit()?;
            Ok(AddRateCard::Added)
        })
        .await
    }

    async fn issue_document(&self, doc: &NewDocument) -> DbResult<IssueOutcome> {
        let d = doc.clone();
        self.run(move |c| issue(c, &d)).await
    }

    async fn invoice_for_period(
        &self,
        seller_tenant_id: &str,
        customer_tenant_id: &str,
        period: &str,
    ) -> DbResult<Option<DocumentHead>> {
        let args = vec![
            Value::Text(seller_tenant_id.to_owned()),
            Value::Text(customer_tenant_id.to_owned()),
            Value::Text(period.to_owned()),
        ];
        self.run(move |c| {
            Ok(heads(
                c,
                "d.seller_tenant_id = ?1 AND d.customer_tenant_id = ?2 AND d.period = ?3",
                &args,
            )?
            .into_iter()
            .next())
        })
        .await
    }

    async fn document(&self, id: &str) -> DbResult<Option<DocumentRecord>> {
        let id = id.to_owned();
        self.run(move |c| {
            let Some(head) = heads(c, "d.id = ?1", &[Value::Text(id.clone())])?
                .into_iter()
                .next()
            else {
                return Ok(None);
            };
            let (draft, snapshot): (String, String) = c.query_row(
                "SELECT draft, snapshot FROM billing_documents WHERE id = ?1",
                [&id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let irn = c
                .query_row(
                    "SELECT irn, ack_no, ack_date, signed_qr_code, signed_invoice, imported_at, \
                     imported_by FROM billing_irns WHERE document_id = ?1",
                    [&id],
                    |r| {
                        Ok(IrnRecord {
                            irn: r.get(0)?,
                            ack_no: r.get(1)?,
                            ack_date: r.get(2)?,
                            signed_qr_code: r.get(3)?,
                            signed_invoice: r.get(4)?,
                            imported_at: r.get(5)?,
                            imported_by: r.get(6)?,
                        })
                    },
                )
                .optional()?;
            Ok(Some(DocumentRecord {
                head,
                draft,
                snapshot,
                irn,
            }))
        })
        .await
    }

    async fn documents(&self, filter: &DocumentFilter) -> DbResult<(Vec<DocumentHead>, u64)> {
        let f = filter.clone();
        self.run(move |c| {
            let (condition, mut args) = filter_sql(&f);
            let from = format!(
                "{HEAD_FROM} JOIN tenants s ON s.id = d.seller_tenant_id \
                 JOIN tenants c ON c.id = d.customer_tenant_id"
            );
            let total: i64 = c.query_row(
                &format!("SELECT COUNT(*) FROM {from} WHERE {condition}"),
                params_from_iter(&args),
                |r| r.get(0),
            )?;
            let (limit, offset) = (args.len() + 1, args.len() + 2);
            args.push(Value::Integer(i64::from(f.limit)));
            args.push(Value::Integer(i64::try_from(f.offset).unwrap_or(i64::MAX)));
            let mut st = c.prepare_cached(&format!(
                "SELECT {HEAD_COLS} FROM {from} WHERE {condition} \
                 ORDER BY d.issue_date DESC, d.serial DESC \
                 LIMIT ?{limit} OFFSET ?{offset}"
            ))?;
            let rows = st.query_map(params_from_iter(&args), head_row)?;
            let rows = rows.collect::<Result<Vec<_>, _>>()?;
            Ok((rows, u64::try_from(total).unwrap_or(0)))
        })
        .await
    }

    async fn notes_of(&self, invoice_id: &str) -> DbResult<Vec<DocumentHead>> {
        let args = vec![Value::Text(invoice_id.to_owned())];
        self.run(move |c| heads(c, "d.original_id = ?1 ORDER BY d.serial", &args))
            .await
    }

    async fn attach_irn(&self, document_id: &str, irn: &IrnRecord) -> DbResult<bool> {
        let (id, irn) = (document_id.to_owned(), irn.clone());
        self.run(move |c| {
            let n = c
                .execute(
                    "INSERT INTO billing_irns (document_id, irn, ack_no, ack_date, signed_qr_code, \
                     signed_invoice, imported_at, imported_by) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (document_id) DO NOTHING",
                    params![
                        id,
                        irn.irn,
                        irn.ack_no,
                        irn.ack_date,
                        irn.signed_qr_code,
                        irn.signed_invoice,
                        irn.imported_at,
                        irn.imported_by
                    ],
                )
                .map_err(|e| duplicate(e, format!("IRN {}", irn.irn)))?;
            Ok(n == 1)
        })
        .await
    }

    async fn insert_run(&self, run: &RunRecord) -> DbResult<()> {
        let r = run.clone();
        let customers = json(&r.customers)?;
        self.run(move |c| {
            c.execute(
                "INSERT INTO billing_runs (id, seller_tenant_id, period, invoice_date, started_at, \
                 finished_at, actor_id, actor, usage_records, issued, skipped, no_usage, failed, \
                 issued_total_paise, customers) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                params![
                    r.id,
                    r.seller_tenant_id,
                    r.period,
                    r.invoice_date,
                    r.started_at,
                    r.finished_at,
                    r.actor_id,
                    r.actor,
                    i64::try_from(r.usage_records).unwrap_or(i64::MAX),
                    r.issued,
                    r.skipped,
                    r.no_usage,
                    r.failed,
                    r.issued_total_paise,
                    customers
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn runs(&self, seller_tenant_id: &str, limit: u32) -> DbResult<Vec<RunRecord>> {
        let id = seller_tenant_id.to_owned();
        self.run(move |c| {
            let mut st = c.prepare_cached(
                "SELECT id, seller_tenant_id, period, invoice_date, started_at, finished_at, \
                 actor_id, actor, usage_records, issued, skipped, no_usage, failed, \
                 issued_total_paise, customers FROM billing_runs WHERE seller_tenant_id = ?1 \
                 ORDER BY started_at DESC, id DESC LIMIT ?2",
            )?;
            let rows = st.query_map(params![id, limit], run_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }
}
