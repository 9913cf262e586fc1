-- Version 1: the CloudStack lists of one connection profile, and the state of their syncs.
-- A list table holds what the list shows, sorts and filters on (text that lists sort on is
-- COLLATE NOCASE), so that its rows stay narrow and scans and sorts stay in memory. CloudStack's
-- full answer for each row, for the detail panels, lives in the companion <table>_raw table,
-- deleted with its row.

CREATE TABLE zones (
    id               TEXT PRIMARY KEY NOT NULL,
    name             TEXT COLLATE NOCASE,
    description      TEXT,
    network_type     TEXT,
    allocation_state TEXT
);
CREATE TABLE zones_raw (
    id       TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (id) REFERENCES zones (id) ON DELETE CASCADE
);

-- One row per template and zone: CloudStack lists a template once for each zone it is in.
CREATE TABLE templates (
    id           TEXT NOT NULL,
    zone_id      TEXT NOT NULL,
    zone_name    TEXT COLLATE NOCASE,
    name         TEXT COLLATE NOCASE,
    display_text TEXT,
    os_type      TEXT,
    hypervisor   TEXT,
    format       TEXT,
    size_bytes   INTEGER,
    is_ready     INTEGER NOT NULL,
    is_public    INTEGER NOT NULL,
    is_featured  INTEGER NOT NULL,
    executable   INTEGER NOT NULL,
    created      TEXT,
    account      TEXT,
    PRIMARY KEY (id, zone_id)
);
CREATE TABLE templates_raw (
    id       TEXT NOT NULL,
    zone_id  TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (id, zone_id),
    FOREIGN KEY (id, zone_id) REFERENCES templates (id, zone_id) ON DELETE CASCADE
);
CREATE INDEX templates_by_zone ON templates (zone_id, name);

CREATE TABLE service_offerings (
    id            TEXT PRIMARY KEY NOT NULL,
    name          TEXT COLLATE NOCASE,
    display_text  TEXT,
    cpu_number    INTEGER,
    cpu_speed_mhz INTEGER,
    memory_mb     INTEGER,
    is_customized INTEGER NOT NULL,
    storage_type  TEXT,
    created       TEXT
);
CREATE TABLE service_offerings_raw (
    id       TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (id) REFERENCES service_offerings (id) ON DELETE CASCADE
);

CREATE TABLE disk_offerings (
    id            TEXT PRIMARY KEY NOT NULL,
    name          TEXT COLLATE NOCASE,
    display_text  TEXT,
    disk_size_gb  INTEGER,
    is_customized INTEGER NOT NULL,
    storage_type  TEXT,
    created       TEXT
);
CREATE TABLE disk_offerings_raw (
    id       TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (id) REFERENCES disk_offerings (id) ON DELETE CASCADE
);

CREATE TABLE vms (
    id            TEXT PRIMARY KEY NOT NULL,
    name          TEXT COLLATE NOCASE,
    display_name  TEXT COLLATE NOCASE,
    state         TEXT COLLATE NOCASE,
    zone_id       TEXT,
    zone_name     TEXT COLLATE NOCASE,
    template_id   TEXT,
    template_name TEXT COLLATE NOCASE,
    offering_id   TEXT,
    offering_name TEXT COLLATE NOCASE,
    cpu_number    INTEGER,
    memory_mb     INTEGER,
    primary_ip    TEXT COLLATE NOCASE,
    ip_addresses  TEXT,
    created       TEXT,
    account       TEXT COLLATE NOCASE,
    domain        TEXT COLLATE NOCASE,
    -- What the list's filter box searches: ASCII-lower-cased fields, one per line.
    search        TEXT GENERATED ALWAYS AS (lower(
                      ifnull(name, '') || char(10) || ifnull(display_name, '') || char(10) ||
                      ifnull(state, '') || char(10) || ifnull(zone_name, '') || char(10) ||
                      ifnull(ip_addresses, '') || char(10) || ifnull(template_name, '')
                  )) STORED
);
CREATE TABLE vms_raw (
    id       TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (id) REFERENCES vms (id) ON DELETE CASCADE
);
CREATE INDEX vms_by_state ON vms (state, name, id);
CREATE INDEX vms_by_zone ON vms (zone_id, name, id);

CREATE TABLE volumes (
    id                 TEXT PRIMARY KEY NOT NULL,
    name               TEXT COLLATE NOCASE,
    volume_type        TEXT,
    state              TEXT COLLATE NOCASE,
    size_bytes         INTEGER,
    zone_id            TEXT,
    zone_name          TEXT COLLATE NOCASE,
    vm_id              TEXT,
    vm_name            TEXT COLLATE NOCASE,
    disk_offering_name TEXT,
    created            TEXT,
    account            TEXT COLLATE NOCASE,
    domain             TEXT COLLATE NOCASE
);
CREATE TABLE volumes_raw (
    id       TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (id) REFERENCES volumes (id) ON DELETE CASCADE
);
CREATE INDEX volumes_by_vm ON volumes (vm_id);

CREATE TABLE networks (
    id           TEXT PRIMARY KEY NOT NULL,
    name         TEXT COLLATE NOCASE,
    display_text TEXT,
    state        TEXT COLLATE NOCASE,
    network_type TEXT,
    zone_id      TEXT,
    zone_name    TEXT COLLATE NOCASE,
    cidr         TEXT,
    gateway      TEXT,
    vpc_id       TEXT,
    account      TEXT COLLATE NOCASE,
    domain       TEXT COLLATE NOCASE
);
CREATE TABLE networks_raw (
    id       TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (id) REFERENCES networks (id) ON DELETE CASCADE
);

CREATE TABLE public_ips (
    id            TEXT PRIMARY KEY NOT NULL,
    ip_address    TEXT,
    state         TEXT COLLATE NOCASE,
    is_source_nat INTEGER NOT NULL,
    is_static_nat INTEGER NOT NULL,
    zone_id       TEXT,
    zone_name     TEXT COLLATE NOCASE,
    network_id    TEXT,
    vm_id         TEXT,
    vm_name       TEXT COLLATE NOCASE,
    allocated     TEXT,
    account       TEXT COLLATE NOCASE,
    domain        TEXT COLLATE NOCASE
);
CREATE TABLE public_ips_raw (
    id       TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (id) REFERENCES public_ips (id) ON DELETE CASCADE
);

-- Key pairs have no id on older servers: the key is then domain id / account / name.
CREATE TABLE ssh_key_pairs (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT COLLATE NOCASE,
    fingerprint TEXT,
    account     TEXT COLLATE NOCASE,
    domain      TEXT COLLATE NOCASE
);
CREATE TABLE ssh_key_pairs_raw (
    id       TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (id) REFERENCES ssh_key_pairs (id) ON DELETE CASCADE
);

CREATE TABLE kubernetes_clusters (
    id            TEXT PRIMARY KEY NOT NULL,
    name          TEXT COLLATE NOCASE,
    state         TEXT COLLATE NOCASE,
    zone_id       TEXT,
    zone_name     TEXT COLLATE NOCASE,
    version       TEXT,
    control_nodes INTEGER,
    worker_nodes  INTEGER,
    cpu_number    INTEGER,
    memory_mb     INTEGER,
    endpoint      TEXT,
    account       TEXT COLLATE NOCASE,
    domain        TEXT COLLATE NOCASE,
    created       TEXT
);
CREATE TABLE kubernetes_clusters_raw (
    id       TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (id) REFERENCES kubernetes_clusters (id) ON DELETE CASCADE
);

CREATE TABLE sync_state (
    profile_id   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    last_synced  TEXT,
    last_attempt TEXT,
    row_count    INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    PRIMARY KEY (profile_id, kind)
);
