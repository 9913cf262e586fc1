-- Version 2: managed databases, invoices and credit notes, and one index per sortable VM
-- column so that a sorted page is read in index order instead of sorting every row.

CREATE TABLE databases (
    id       TEXT PRIMARY KEY NOT NULL,
    name     TEXT COLLATE NOCASE,
    engine   TEXT,
    version  TEXT,
    state    TEXT COLLATE NOCASE,
    zone     TEXT COLLATE NOCASE,
    plan     TEXT,
    created  TEXT
);
CREATE TABLE databases_raw (
    id       TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (id) REFERENCES databases (id) ON DELETE CASCADE
);

-- Amounts are integers in paise.
CREATE TABLE invoices (
    number        TEXT PRIMARY KEY NOT NULL,
    seller_gstin  TEXT NOT NULL,
    buyer_name    TEXT COLLATE NOCASE,
    buyer_gstin   TEXT,
    invoice_date  TEXT NOT NULL,
    taxable_paise INTEGER NOT NULL,
    tax_paise     INTEGER NOT NULL,
    total_paise   INTEGER NOT NULL,
    status        TEXT NOT NULL
);
CREATE TABLE invoices_raw (
    number   TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (number),
    FOREIGN KEY (number) REFERENCES invoices (number) ON DELETE CASCADE
);
CREATE INDEX invoices_by_date ON invoices (invoice_date, number);

CREATE TABLE credit_notes (
    number         TEXT PRIMARY KEY NOT NULL,
    invoice_number TEXT NOT NULL REFERENCES invoices (number) ON DELETE CASCADE,
    note_date      TEXT NOT NULL,
    taxable_paise  INTEGER NOT NULL,
    tax_paise      INTEGER NOT NULL,
    total_paise    INTEGER NOT NULL,
    reason         TEXT,
    status         TEXT NOT NULL
);
CREATE TABLE credit_notes_raw (
    number   TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (number),
    FOREIGN KEY (number) REFERENCES credit_notes (number) ON DELETE CASCADE
);
CREATE INDEX credit_notes_by_invoice ON credit_notes (invoice_number);

CREATE INDEX vms_by_name ON vms (name, id);
CREATE INDEX vms_by_display_name ON vms (display_name, id);
CREATE INDEX vms_by_zone_name ON vms (zone_name, id);
CREATE INDEX vms_by_template_name ON vms (template_name, id);
CREATE INDEX vms_by_offering_name ON vms (offering_name, id);
CREATE INDEX vms_by_cpu_number ON vms (cpu_number, id);
CREATE INDEX vms_by_memory_mb ON vms (memory_mb, id);
CREATE INDEX vms_by_primary_ip ON vms (primary_ip, id);
CREATE INDEX vms_by_created ON vms (created, id);
CREATE INDEX vms_by_account ON vms (account, id);
CREATE INDEX vms_by_domain ON vms (domain, id);
