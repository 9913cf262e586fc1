-- What the Kubernetes page shows of a cluster beyond the list: its version id, offering,
-- network, autoscaling bounds, key pair and member VMs (a JSON array of nodes with their role,
-- state and address), so the detail reads offline too.
ALTER TABLE kubernetes_clusters ADD COLUMN version_id TEXT;
ALTER TABLE kubernetes_clusters ADD COLUMN offering_id TEXT;
ALTER TABLE kubernetes_clusters ADD COLUMN offering_name TEXT;
ALTER TABLE kubernetes_clusters ADD COLUMN network_id TEXT;
ALTER TABLE kubernetes_clusters ADD COLUMN network_name TEXT;
ALTER TABLE kubernetes_clusters ADD COLUMN autoscale_min INTEGER;
ALTER TABLE kubernetes_clusters ADD COLUMN autoscale_max INTEGER;
ALTER TABLE kubernetes_clusters ADD COLUMN keypair TEXT;
ALTER TABLE kubernetes_clusters ADD COLUMN nodes_json TEXT;
