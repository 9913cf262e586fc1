-- Facts about the profile kept for offline use, one value per key (for example the white-label
-- brand a central server profile shows). Values are JSON text written by the app.
CREATE TABLE profile_facts (
    profile_id TEXT NOT NULL,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (profile_id, key)
);

-- The VM list filtered by zone and state (the dashboard's drill-down and the VM page's filters):
-- counted from the index alone, whatever the sort.
CREATE INDEX vms_by_zone_state ON vms (zone_id, state);
