-- GST billing. Money is integer paise, prices integer thousandths of a rupee, dates ISO text
-- (YYYY-MM-DD), periods YYYY-MM; validated profiles are JSON text.

-- Logos by content hash, kept forever: issued documents refer to the logo they were issued with.
CREATE TABLE billing_logos (
    sha256      TEXT PRIMARY KEY,
    png         BLOB NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE billing_sellers (
    tenant_id    TEXT PRIMARY KEY REFERENCES tenants(id),
    profile      TEXT NOT NULL,
    logo_sha256  TEXT REFERENCES billing_logos(sha256),
    updated_at   INTEGER NOT NULL,
    updated_by   TEXT NOT NULL
);

CREATE TABLE billing_customers (
    tenant_id   TEXT PRIMARY KEY REFERENCES tenants(id),
    profile     TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  TEXT NOT NULL
);

-- Versions are only added; a period is rated with the version in force on its first day.
CREATE TABLE billing_rate_cards (
    seller_tenant_id               TEXT NOT NULL REFERENCES tenants(id),
    effective_from                 TEXT NOT NULL,
    vcpu_hour_milli                INTEGER NOT NULL,
    gb_ram_hour_milli              INTEGER NOT NULL,
    gb_storage_month_milli         INTEGER NOT NULL,
    public_ip_hour_milli           INTEGER NOT NULL,
    snapshot_gb_month_milli        INTEGER NOT NULL,
    kubernetes_cluster_hour_milli  INTEGER NOT NULL,
    database_instance_hour_milli   INTEGER NOT NULL,
    discount_bp                    INTEGER,
    created_at                     INTEGER NOT NULL,
    created_by                     TEXT NOT NULL,
    PRIMARY KEY (seller_tenant_id, effective_from)
);

-- The last number handed out per seller, document kind and financial year (April-March),
-- moved only in the transaction that inserts the document it numbers.
CREATE TABLE billing_counters (
    seller_tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    doc_type          TEXT NOT NULL,
    fy_start          INTEGER NOT NULL,
    last_seq          INTEGER NOT NULL,
    last_date         TEXT NOT NULL,
    PRIMARY KEY (seller_tenant_id, doc_type, fy_start)
);

-- `serial` is the order of issue across all sellers (a sequence or identity column elsewhere).
CREATE TABLE billing_documents (
    id                  TEXT PRIMARY KEY,
    serial              INTEGER NOT NULL UNIQUE,
    seller_tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    customer_tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    doc_type            TEXT NOT NULL CHECK (doc_type IN ('invoice', 'credit_note', 'debit_note')),
    original_id         TEXT REFERENCES billing_documents(id),
    period              TEXT,
    run_id              TEXT,
    fy_start            INTEGER NOT NULL,
    seq                 INTEGER NOT NULL,
    number              TEXT NOT NULL,
    issue_date          TEXT NOT NULL,
    seller_name         TEXT NOT NULL,
    customer_name       TEXT NOT NULL,
    taxable_paise       INTEGER NOT NULL,
    tax_paise           INTEGER NOT NULL,
    total_paise         INTEGER NOT NULL,
    requires_irn        INTEGER NOT NULL,
    draft               TEXT NOT NULL,
    snapshot            TEXT NOT NULL,
    created_at          INTEGER NOT NULL,
    created_by          TEXT NOT NULL,
    UNIQUE (seller_tenant_id, doc_type, fy_start, seq),
    UNIQUE (seller_tenant_id, number),
    -- Notes have no period (NULLs are distinct), so this binds invoices only.
    UNIQUE (seller_tenant_id, customer_tenant_id, period)
);
CREATE INDEX billing_documents_customer ON billing_documents(customer_tenant_id, issue_date);
CREATE INDEX billing_documents_original ON billing_documents(original_id);

CREATE TABLE billing_irns (
    document_id     TEXT PRIMARY KEY REFERENCES billing_documents(id),
    irn             TEXT NOT NULL UNIQUE,
    ack_no          TEXT NOT NULL,
    ack_date        TEXT NOT NULL,
    signed_qr_code  TEXT NOT NULL,
    signed_invoice  TEXT,
    imported_at     INTEGER NOT NULL,
    imported_by     TEXT NOT NULL
);

CREATE TABLE billing_runs (
    id                  TEXT PRIMARY KEY,
    seller_tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    period              TEXT NOT NULL,
    invoice_date        TEXT NOT NULL,
    started_at          INTEGER NOT NULL,
    finished_at         INTEGER NOT NULL,
    actor_id            TEXT,
    actor               TEXT NOT NULL,
    usage_records       INTEGER NOT NULL,
    issued              INTEGER NOT NULL,
    skipped             INTEGER NOT NULL,
    no_usage            INTEGER NOT NULL,
    failed              INTEGER NOT NULL,
    issued_total_paise  INTEGER NOT NULL,
    customers           TEXT NOT NULL
);
CREATE INDEX billing_runs_seller ON billing_runs(seller_tenant_id, started_at);

-- Issued documents and their registrations are never changed or removed.
CREATE TRIGGER billing_documents_immutable BEFORE UPDATE ON billing_documents
BEGIN
    SELECT RAISE(ABORT, 'issued documents are immutable');
END;
CREATE TRIGGER billing_documents_kept BEFORE DELETE ON billing_documents
BEGIN
    SELECT RAISE(ABORT, 'issued documents are immutable: never deleted');
END;
CREATE TRIGGER billing_irns_immutable BEFORE UPDATE ON billing_irns
BEGIN
    SELECT RAISE(ABORT, 'IRN registrations are immutable');
END;
CREATE TRIGGER billing_irns_kept BEFORE DELETE ON billing_irns
BEGIN
    SELECT RAISE(ABORT, 'IRN registrations are immutable: never deleted');
END;
