//! The steps an operation is made of: a CloudStack job submitted and waited for, the rules
//! already on some addresses, a batch of firewall rules created in parallel, and undoing what a
//! failed batch created.

use crate::error::Result;
use crate::rows;
use akashone_cloudstack::api::{ListFirewallRules, ListLoadBalancerRules, ListPortForwardingRules};
use akashone_cloudstack::{Client, JobOptions, Params};
use akashone_types::network::rules::FirewallRuleCall;
use akashone_types::network::{FirewallRuleRow, LoadBalancerRow, PortForwardRow};
use serde_json::Value;

/// At most this many CloudStack jobs of one batch run at once.
const PARALLEL: usize = 8;

pub(crate) fn params(pairs: Vec<(&'static str, String)>) -> Params {
    let mut p = Params::new();
    for (k, v) in pairs {
        p.set(k, v);
    }
    p
}

pub(crate) fn id_of(v: &Value, key: &str) -> Option<String> {
    let obj = v.get(key).unwrap_or(v);
    match obj.get("id") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// Submits an async command and waits for it; the job's result.
pub(crate) async fn job(
    client: &Client,
    command: &str,
    p: &Params,
    opts: &JobOptions,
) -> Result<Value> {
    let submitted = client.submit::<Value>(command, p).await?;
    Ok(submitted.wait(opts).await?)
}

pub(crate) async fn job_id(
    client: &Client,
    command: &str,
    p: Params,
    key: &str,
    opts: &JobOptions,
) -> Result<Option<String>> {
    Ok(id_of(&job(client, command, &p, opts).await?, key))
}

pub(crate) fn with_id(id: &str) -> Params {
    Params::new().with("id", id)
}

/// The rules on one IP.
pub(crate) async fn rules_of_ip(
    client: &Client,
    ip: &str,
) -> akashone_cloudstack::Result<(
    Vec<akashone_cloudstack::model::FirewallRule>,
    Vec<akashone_cloudstack::model::PortForwardingRule>,
    Vec<akashone_cloudstack::model::LoadBalancerRule>,
)> {
    let fw = ListFirewallRules {
        ipaddressid: Some(ip.to_owned()),
        listall: Some(true),
        ..Default::default()
    };
    let pf = ListPortForwardingRules {
        ipaddressid: Some(ip.to_owned()),
        listall: Some(true),
        ..Default::default()
    };
    let lb = ListLoadBalancerRules {
        publicipid: Some(ip.to_owned()),
        listall: Some(true),
        ..Default::default()
    };
    futures::try_join!(
        client.list_firewall_rules(&fw),
        client.list_port_forwarding_rules(&pf),
        client.list_load_balancer_rules(&lb)
    )
}

/// The rules already on these IPs.
pub(crate) async fn rules_on(
    client: &Client,
    ip_ids: &[String],
) -> Result<(
    Vec<FirewallRuleRow>,
    Vec<PortForwardRow>,
    Vec<LoadBalancerRow>,
)> {
    let (mut fw, mut pf, mut lb) = (Vec::new(), Vec::new(), Vec::new());
    for chunk in ip_ids.chunks(PARALLEL) {
        let per_ip =
            futures::future::try_join_all(chunk.iter().map(|ip| rules_of_ip(client, ip))).await?;
        for (f, p, l) in per_ip {
            fw.extend(f.iter().filter_map(rows::firewall_rule));
            pf.extend(p.iter().filter_map(rows::port_forward));
            lb.extend(l.iter().filter_map(rows::load_balancer));
        }
    }
    Ok((fw, pf, lb))
}

/// Deletes what a failed batch created, newest first; how many went.
pub(crate) async fn undo(
    client: &Client,
    created: &[(&'static str, String)],
    opts: &JobOptions,
) -> usize {
    let mut n = 0;
    for (command, id) in created.iter().rev() {
        match job(client, command, &with_id(id), opts).await {
            Ok(_) => n += 1,
            Err(e) => tracing::warn!(%command, %id, error = %e, "could not undo a step"),
        }
    }
    n
}

/// Creates firewall rules in parallel; on the first failure deletes the ones created.
pub(crate) async fn create_firewall_rules(
    client: &Client,
    calls: &[&FirewallRuleCall],
    created: &mut Vec<(&'static str, String)>,
    opts: &JobOptions,
) -> std::result::Result<usize, String> {
    let mut results: Vec<Result<Option<String>>> = Vec::with_capacity(calls.len());
    for chunk in calls.chunks(PARALLEL) {
        results.extend(
            futures::future::join_all(chunk.iter().map(|c| {
                job_id(
                    client,
                    "createFirewallRule",
                    params(c.params()),
                    "firewallrule",
                    opts,
                )
            }))
            .await,
        );
    }
    let mut first_error = None;
    let mut made = 0;
    for r in results {
        match r {
            Ok(Some(id)) => {
                created.push(("deleteFirewallRule", id));
                made += 1;
            }
            Ok(None) => made += 1,
            Err(e) => {
                first_error.get_or_insert_with(|| e.to_string());
            }
        }
    }
    match first_error {
        None => Ok(made),
        Some(e) => Err(e),
    }
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
