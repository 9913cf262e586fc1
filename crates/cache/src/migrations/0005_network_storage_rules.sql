-- What the Networks and Storage pages manage: firewall rules (ingress and egress), port
-- forwarding and load balancer rules, VPCs, volume snapshots with their recurring policies,
-- VM snapshots; and the columns of volumes and networks their actions need.
ALTER TABLE volumes ADD COLUMN device_id INTEGER;
ALTER TABLE volumes ADD COLUMN disk_offering_id TEXT;
ALTER TABLE volumes ADD COLUMN vm_state TEXT;
ALTER TABLE volumes ADD COLUMN storage TEXT;
ALTER TABLE volumes ADD COLUMN storage_id TEXT;
ALTER TABLE volumes ADD COLUMN min_iops INTEGER;
ALTER TABLE volumes ADD COLUMN max_iops INTEGER;

ALTER TABLE networks ADD COLUMN offering_id TEXT;
ALTER TABLE networks ADD COLUMN offering_name TEXT;
ALTER TABLE networks ADD COLUMN network_domain TEXT;
ALTER TABLE networks ADD COLUMN acl_id TEXT;
ALTER TABLE networks ADD COLUMN restart_required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE networks ADD COLUMN vm_names TEXT;

ALTER TABLE public_ips ADD COLUMN vpc_id TEXT;
CREATE INDEX public_ips_by_network ON public_ips (network_id);

ALTER TABLE disk_offerings ADD COLUMN custom_iops INTEGER NOT NULL DEFAULT 0;

CREATE TABLE firewall_rules (
    id         TEXT PRIMARY KEY NOT NULL,
    traffic    TEXT NOT NULL,
    ip_id      TEXT,
    ip_address TEXT,
    network_id TEXT,
    protocol   TEXT COLLATE NOCASE,
    start_port INTEGER,
    end_port   INTEGER,
    cidrs      TEXT,
    dest_cidrs TEXT,
    icmp_type  INTEGER,
    icmp_code  INTEGER,
    state      TEXT COLLATE NOCASE
);
CREATE TABLE firewall_rules_raw (
    id       TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (id) REFERENCES firewall_rules (id) ON DELETE CASCADE
);
CREATE INDEX firewall_rules_by_ip ON firewall_rules (ip_id);
CREATE INDEX firewall_rules_by_network ON firewall_rules (network_id);

CREATE TABLE port_forwards (
    id               TEXT PRIMARY KEY NOT NULL,
    ip_id            TEXT,
    ip_address       TEXT,
    network_id       TEXT,
    protocol         TEXT COLLATE NOCASE,
    public_port      INTEGER,
    public_end_port  INTEGER,
    private_port     INTEGER,
    private_end_port INTEGER,
    vm_id            TEXT,
    vm_name          TEXT COLLATE NOCASE,
    vm_guest_ip      TEXT,
    cidrs            TEXT,
    state            TEXT COLLATE NOCASE
);
CREATE TABLE port_forwards_raw (
    id       TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (id) REFERENCES port_forwards (id) ON DELETE CASCADE
);
CREATE INDEX port_forwards_by_ip ON port_forwards (ip_id);
CREATE INDEX port_forwards_by_vm ON port_forwards (vm_id);

CREATE TABLE load_balancers (
    id           TEXT PRIMARY KEY NOT NULL,
    name         TEXT COLLATE NOCASE,
    algorithm    TEXT,
    protocol     TEXT COLLATE NOCASE,
    ip_id        TEXT,
    ip_address   TEXT,
    public_port  INTEGER,
    private_port INTEGER,
    cidrs        TEXT,
    network_id   TEXT,
    zone_id      TEXT,
    state        TEXT COLLATE NOCASE,
    account      TEXT COLLATE NOCASE
);
CREATE TABLE load_balancers_raw (
    id       TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (id) REFERENCES load_balancers (id) ON DELETE CASCADE
);
CREATE INDEX load_balancers_by_ip ON load_balancers (ip_id);

CREATE TABLE vpcs (
    id               TEXT PRIMARY KEY NOT NULL,
    name             TEXT COLLATE NOCASE,
    display_text     TEXT,
    cidr             TEXT,
    state            TEXT COLLATE NOCASE,
    zone_id          TEXT,
    zone_name        TEXT COLLATE NOCASE,
    offering_name    TEXT,
    network_domain   TEXT,
    restart_required INTEGER NOT NULL DEFAULT 0,
    account          TEXT COLLATE NOCASE,
    domain           TEXT COLLATE NOCASE
);
CREATE TABLE vpcs_raw (
    id       TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (id) REFERENCES vpcs (id) ON DELETE CASCADE
);

CREATE TABLE snapshots (
    id            TEXT PRIMARY KEY NOT NULL,
    name          TEXT COLLATE NOCASE,
    state         TEXT COLLATE NOCASE,
    volume_id     TEXT,
    volume_name   TEXT COLLATE NOCASE,
    volume_type   TEXT,
    snapshot_type TEXT,
    interval_type TEXT,
    physical_size INTEGER,
    virtual_size  INTEGER,
    zone_id       TEXT,
    created       TEXT,
    revertable    INTEGER NOT NULL DEFAULT 0,
    account       TEXT COLLATE NOCASE
);
CREATE TABLE snapshots_raw (
    id       TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (id) REFERENCES snapshots (id) ON DELETE CASCADE
);
CREATE INDEX snapshots_by_volume ON snapshots (volume_id, created);

CREATE TABLE snapshot_policies (
    id            TEXT PRIMARY KEY NOT NULL,
    volume_id     TEXT,
    interval_type TEXT,
    schedule      TEXT,
    timezone      TEXT,
    max_snaps     INTEGER
);
CREATE TABLE snapshot_policies_raw (
    id       TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (id) REFERENCES snapshot_policies (id) ON DELETE CASCADE
);
CREATE INDEX snapshot_policies_by_volume ON snapshot_policies (volume_id);

CREATE TABLE vm_snapshots (
    id            TEXT PRIMARY KEY NOT NULL,
    name          TEXT COLLATE NOCASE,
    display_name  TEXT COLLATE NOCASE,
    description   TEXT,
    snapshot_type TEXT,
    state         TEXT COLLATE NOCASE,
    current       INTEGER NOT NULL DEFAULT 0,
    parent_id     TEXT,
    vm_id         TEXT,
    vm_name       TEXT COLLATE NOCASE,
    zone_id       TEXT,
    created       TEXT,
    account       TEXT COLLATE NOCASE
);
CREATE TABLE vm_snapshots_raw (
    id       TEXT NOT NULL,
    raw_json TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (id) REFERENCES vm_snapshots (id) ON DELETE CASCADE
);
CREATE INDEX vm_snapshots_by_vm ON vm_snapshots (vm_id, created);
