-- The same schema as migrations/sqlite/0002_billing.sql, in PostgreSQL's types. Money is integer
-- paise, prices integer thousandths of a rupee, dates ISO text (YYYY-MM-DD, "C" collation so they
-- compare by bytes), periods YYYY-MM; validated profiles are JSON text.

-- Logos by content hash, kept forever: issued documents refer to the logo they were issued with.
CREATE TABLE billing_logos (
    sha256      TEXT PRIMARY KEY,
    png         BYTEA NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE billing_sellers (
    tenant_id    TEXT PRIMARY KEY REFERENCES tenants(id),
    profile      TEXT NOT NULL,
    logo_sha256  TEXT REFERENCES billing_logos(sha256),
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT NOT NULL
);

CREATE TABLE billing_customers (
    tenant_id   TEXT PRIMARY KEY REFERENCES tenants(id),
    profile     TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  TEXT NOT NULL
);

-- Versions are only added; a period is rated with the version in force on its first day.
CREATE TABLE billing_rate_cards (
    seller_tenant_id               TEXT NOT NULL REFERENCES tenants(id),
    effective_from                 TEXT COLLATE "C" NOT NULL,
    vcpu_hour_milli                BIGINT NOT NULL,
    gb_ram_hour_milli              BIGINT NOT NULL,
    gb_storage_month_milli         BIGINT NOT NULL,
    public_ip_hour_milli           BIGINT NOT NULL,
    snapshot_gb_month_milli        BIGINT NOT NULL,
    kubernetes_cluster_hour_milli  BIGINT NOT NULL,
    database_instance_hour_milli   BIGINT NOT NULL,
    discount_bp                    BIGINT,
    created_at                     BIGINT NOT NULL,
    created_by                     TEXT NOT NULL,
    PRIMARY KEY (seller_tenant_id, effective_from)
);

-- The last number handed out per seller, document kind and financial year (April-March). The
-- issuing transaction locks this row (SELECT … FOR UPDATE) before it checks anything, and moves
-- it only together with the insert of the document it numbers.
CREATE TABLE billing_counters (
    seller_tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    doc_type          TEXT NOT NULL,
    fy_start          INTEGER NOT NULL,
    last_seq          BIGINT NOT NULL,
    last_date         TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (seller_tenant_id, doc_type, fy_start)
);

-- `serial` is the order of issue across all sellers.
CREATE TABLE billing_documents (
    id                  TEXT PRIMARY KEY,
    serial              BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    seller_tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    customer_tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    doc_type            TEXT NOT NULL CHECK (doc_type IN ('invoice', 'credit_note', 'debit_note')),
    original_id         TEXT REFERENCES billing_documents(id),
    period              TEXT COLLATE "C",
    run_id              TEXT,
    fy_start            INTEGER NOT NULL,
    seq                 BIGINT NOT NULL,
    number              TEXT NOT NULL,
    issue_date          TEXT COLLATE "C" NOT NULL,
    seller_name         TEXT NOT NULL,
    customer_name       TEXT NOT NULL,
    taxable_paise       BIGINT NOT NULL,
    tax_paise           BIGINT NOT NULL,
    total_paise         BIGINT NOT NULL,
    requires_irn        BOOLEAN NOT NULL,
    draft               TEXT NOT NULL,
    snapshot            TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    created_by          TEXT NOT NULL,
    CONSTRAINT billing_documents_seq_key UNIQUE (seller_tenant_id, doc_type, fy_start, seq),
    CONSTRAINT billing_documents_number_key UNIQUE (seller_tenant_id, number),
    -- Notes have no period (NULLs are distinct), so this binds invoices only.
    CONSTRAINT billing_documents_period_key UNIQUE (seller_tenant_id, customer_tenant_id, period)
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
    imported_at     BIGINT NOT NULL,
    imported_by     TEXT NOT NULL
);

CREATE TABLE billing_runs (
    id                  TEXT PRIMARY KEY,
    seller_tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    period              TEXT NOT NULL,
    invoice_date        TEXT NOT NULL,
    started_at          BIGINT NOT NULL,
    finished_at         BIGINT NOT NULL,
    actor_id            TEXT,
    actor               TEXT NOT NULL,
    usage_records       BIGINT NOT NULL,
    issued              BIGINT NOT NULL,
    skipped             BIGINT NOT NULL,
    no_usage            BIGINT NOT NULL,
    failed              BIGINT NOT NULL,
    issued_total_paise  BIGINT NOT NULL,
    customers           TEXT NOT NULL
);
CREATE INDEX billing_runs_seller ON billing_runs(seller_tenant_id, started_at);

-- Issued documents and their registrations are never changed or removed.
CREATE FUNCTION billing_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are immutable: issued documents are never changed or deleted',
        TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER billing_documents_immutable BEFORE UPDATE OR DELETE ON billing_documents
    FOR EACH ROW EXECUTE FUNCTION billing_refuse_change();
CREATE TRIGGER billing_documents_kept BEFORE TRUNCATE ON billing_documents
    FOR EACH STATEMENT EXECUTE FUNCTION billing_refuse_change();
CREATE TRIGGER billing_irns_immutable BEFORE UPDATE OR DELETE ON billing_irns
    FOR EACH ROW EXECUTE FUNCTION billing_refuse_change();
CREATE TRIGGER billing_irns_kept BEFORE TRUNCATE ON billing_irns
    FOR EACH STATEMENT EXECUTE FUNCTION billing_refuse_change();
