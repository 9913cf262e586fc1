//! `POST /api/operations`: one network or storage change, run to its end against CloudStack in
//! the tenant's account, once everything it names is found to be the tenant's.

use akashone_cloudstack::{JobOptions, Params};
use akashone_resources::{Done, Scope};
use akashone_types::central::ScopeQuery;
use akashone_types::ops::{Area, Named, Operation, OperationOut, RuleKind};
use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use serde_json::Value;

use super::scope::{TenantScope, absent_is_empty};
use crate::context::{AppState, Caller, now};
use crate::db::User;
use crate::error::{Error, Result};
use crate::rbac::Permission;
use crate::routes::{ApiJson, ApiQuery, ErrorBody};

fn job_options() -> JobOptions {
    JobOptions::default().with_timeout(std::time::Duration::from_secs(1800))
}

/// A caller whose role may change networks or storage (either); the operation's own area is
/// checked once its body is read.
pub(crate) struct Operator(Caller);

impl FromRequestParts<AppState> for Operator {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if caller.can(Permission::NetworkOperate) || caller.can(Permission::StorageOperate) {
            Ok(Operator(caller))
        } else {
            Err(Error::Forbidden(
                "Your role includes neither the network.operate nor the storage.operate permission."
                    .into(),
            ))
        }
    }
}

fn id_of(row: &Value) -> Option<&str> {
    row.get("id").and_then(Value::as_str)
}

fn text<'a>(row: &'a Value, key: &str) -> Option<&'a str> {
    row.get(key)
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
}

fn gone(row: &Value) -> bool {
    matches!(
        text(row, "state"),
        Some("Destroyed" | "Destroy" | "Expunging" | "Expunged")
    )
}

/// The row with this id that CloudStack lists within the tenant's scope.
async fn scoped(
    state: &AppState,
    sc: &TenantScope,
    command: &str,
    key: &str,
    id_key: &str,
    id: &str,
) -> Result<Option<Value>> {
    let rows: Vec<Value> = sc.find(state, command, key, id_key, id).await?;
    Ok(rows.into_iter().find(|r| id_of(r) == Some(id) && !gone(r)))
}

/// The row with this id anywhere (for rows CloudStack lists without their owner, whose parent
/// is checked next).
async fn anywhere(state: &AppState, command: &str, key: &str, id: &str) -> Result<Option<Value>> {
    let p = Params::new().with("id", id).with("listall", true);
    let rows = absent_is_empty(
        state
            .cs()?
            .list_all::<Value>(command, &p, key)
            .await
            .map_err(Error::from),
    )?;
    Ok(rows.into_iter().find(|r| id_of(r) == Some(id)))
}

fn missing(what: &str, id: &str) -> Error {
    Error::NotFound(format!("{what} {id}"))
}

async fn network(state: &AppState, sc: &TenantScope, id: &str) -> Result<()> {
    scoped(state, sc, "listNetworks", "network", "id", id)
        .await?
        .map(|_| ())
        .ok_or_else(|| missing("Network", id))
}

async fn vpc(state: &AppState, sc: &TenantScope, id: &str) -> Result<()> {
    scoped(state, sc, "listVPCs", "vpc", "id", id)
        .await?
        .map(|_| ())
        .ok_or_else(|| missing("VPC", id))
}

async fn ip(state: &AppState, sc: &TenantScope, id: &str) -> Result<()> {
    scoped(
        state,
        sc,
        "listPublicIpAddresses",
        "publicipaddress",
        "id",
        id,
    )
    .await?
    .map(|_| ())
    .ok_or_else(|| missing("Public IP", id))
}

async fn volume(state: &AppState, sc: &TenantScope, id: &str) -> Result<()> {
    scoped(state, sc, "listVolumes", "volume", "id", id)
        .await?
        .map(|_| ())
        .ok_or_else(|| missing("Volume", id))
}

/// An ACL list of one of the tenant's VPCs; CloudStack's default lists (of no VPC) only where
/// `default_ok` (a new tier may follow one; nobody may change them).
async fn acl_list(state: &AppState, sc: &TenantScope, id: &str, default_ok: bool) -> Result<()> {
    let list = anywhere(state, "listNetworkACLLists", "networkacllist", id)
        .await?
        .ok_or_else(|| missing("ACL list", id))?;
    match text(&list, "vpcid") {
        Some(v) => vpc(state, sc, v).await.map_err(|_| missing("ACL list", id)),
        None if default_ok => Ok(()),
        None => Err(missing("ACL list", id)),
    }
}

async fn rule(state: &AppState, sc: &TenantScope, kind: RuleKind, id: &str) -> Result<()> {
    let (what, command, key) = match kind {
        RuleKind::Firewall => ("Firewall rule", "listFirewallRules", "firewallrule"),
        RuleKind::Egress => ("Egress rule", "listEgressFirewallRules", "firewallrule"),
        RuleKind::PortForward => (
            "Port forward",
            "listPortForwardingRules",
            "portforwardingrule",
        ),
        RuleKind::LoadBalancer => {
            return scoped(
                state,
                sc,
                "listLoadBalancerRules",
                "loadbalancerrule",
                "id",
                id,
            )
            .await?
            .map(|_| ())
            .ok_or_else(|| missing("Load balancer", id));
        }
        RuleKind::Acl => ("ACL rule", "listNetworkACLs", "networkacl"),
    };
    let row = anywhere(state, command, key, id)
        .await?
        .ok_or_else(|| missing(what, id))?;
    let parent = match kind {
        RuleKind::Firewall | RuleKind::PortForward => match text(&row, "ipaddressid") {
            Some(i) => ip(state, sc, i).await,
            None => Err(missing(what, id)),
        },
        RuleKind::Egress => match text(&row, "networkid") {
            Some(n) => network(state, sc, n).await,
            None => Err(missing(what, id)),
        },
        _ => match text(&row, "aclid") {
            Some(a) => acl_list(state, sc, a, false).await,
            None => Err(missing(what, id)),
        },
    };
    parent.map_err(|_| missing(what, id))
}

/// Refuses, as not found, anything `op` names that is not the tenant's (zones are anyone's).
async fn check_names(state: &AppState, sc: &TenantScope, op: &Operation) -> Result<()> {
    let default_acl_ok = matches!(op, Operation::TierCreate { .. });
    for named in op.names() {
        match named {
            Named::Zone(_) => {}
            Named::Network(id) => network(state, sc, id).await?,
            Named::Vpc(id) => vpc(state, sc, id).await?,
            Named::AclList(id) => acl_list(state, sc, id, default_acl_ok).await?,
            Named::Ip(id) => ip(state, sc, id).await?,
            Named::Vm(id) => {
                scoped(state, sc, "listVirtualMachines", "virtualmachine", "id", id)
                    .await?
                    .ok_or_else(|| missing("VM", id))?;
            }
            Named::Rule(kind, id) => rule(state, sc, kind, id).await?,
            Named::Volume(id) => volume(state, sc, id).await?,
            Named::Snapshot(id) => {
                scoped(state, sc, "listSnapshots", "snapshot", "id", id)
                    .await?
                    .ok_or_else(|| missing("Snapshot", id))?;
            }
            Named::SnapshotPolicy(id) => {
                let policy = anywhere(state, "listSnapshotPolicies", "snapshotpolicy", id)
                    .await?
                    .ok_or_else(|| missing("Snapshot policy", id))?;
                match text(&policy, "volumeid") {
                    Some(v) => volume(state, sc, v)
                        .await
                        .map_err(|_| missing("Snapshot policy", id))?,
                    None => return Err(missing("Snapshot policy", id)),
                }
            }
            Named::VmSnapshot(id) => {
                scoped(
                    state,
                    sc,
                    "listVMSnapshot",
                    "vmSnapshot",
                    "vmsnapshotid",
                    id,
                )
                .await?
                .ok_or_else(|| missing("VM snapshot", id))?;
            }
        }
    }
    Ok(())
}

fn named_id<'a>(n: &Named<'a>) -> &'a str {
    match *n {
        Named::Zone(id)
        | Named::Network(id)
        | Named::Vpc(id)
        | Named::AclList(id)
        | Named::Ip(id)
        | Named::Vm(id)
        | Named::Rule(_, id)
        | Named::Volume(id)
        | Named::Snapshot(id)
        | Named::SnapshotPolicy(id)
        | Named::VmSnapshot(id) => id,
    }
}

/// The resources the audit entry names: those the operation names (zones only when it names
/// nothing else), then what it created.
fn audit_target(op: &Operation, created: Option<&str>) -> String {
    let names = op.names();
    let mut ids: Vec<&str> = Vec::new();
    for n in names.iter().filter(|n| !matches!(n, Named::Zone(_))) {
        if !ids.contains(&named_id(n)) {
            ids.push(named_id(n));
        }
    }
    if ids.is_empty()
        && created.is_none()
        && let Some(zone) = names.first()
    {
        ids.push(named_id(zone));
    }
    let named = ids.join(", ");
    match created {
        Some(c) if named.is_empty() => c.to_owned(),
        Some(c) if !ids.contains(&c) => format!("{named} → {c}"),
        _ => named,
    }
}

/// What is refused before CloudStack is asked: the operation's own problems, and anything it
/// names that is not the tenant's.
async fn precheck(state: &AppState, sc: &TenantScope, op: &Operation) -> Result<()> {
    let problems = op.problems();
    if !problems.is_empty() {
        return Err(Error::Invalid(problems.join(" ")));
    }
    check_names(state, sc, op).await
}

async fn audit(
    state: &AppState,
    user: &User,
    tenant_id: &str,
    op: &Operation,
    outcome: std::result::Result<Option<&str>, &Error>,
    now: i64,
) -> Result<()> {
    let (target, outcome) = match outcome {
        Ok(created) => (audit_target(op, created), "ok".to_owned()),
        Err(e) => (audit_target(op, None), format!("failed: {e}")),
    };
    state
        .audit(
            now,
            Some(user),
            Some(tenant_id),
            op.name(),
            &target,
            &outcome,
        )
        .await
}

/// Runs the operation in the tenant's account and audits it, as a task of its own: once started
/// it finishes and is audited even when the caller goes away.
async fn run_and_audit(
    state: AppState,
    user: User,
    sc: TenantScope,
    op: Operation,
    now: i64,
) -> Result<Done> {
    let scope = match &sc.tenant.cs_account {
        Some(account) => Scope {
            account: Some(account.clone()),
            domain_id: Some(sc.domain.clone()),
        },
        None => Scope::default(),
    };
    tokio::spawn(async move {
        let result = match state.cs() {
            Ok(client) => akashone_resources::run(client, &op, &scope, &job_options())
                .await
                .map_err(Error::from),
            Err(e) => Err(e),
        };
        let outcome = result.as_ref().map(|d| d.id.as_deref());
        audit(&state, &user, &sc.tenant.id, &op, outcome, now).await?;
        result
    })
    .await
    .map_err(|e| Error::Internal(format!("The operation stopped unexpectedly: {e}")))?
}

/// Runs one network or storage change (an `Operation`, tagged by `op`) in the tenant's
/// CloudStack account and waits until CloudStack has finished it: rule sets and port forwards
/// are checked against the rules on the addresses now, and a batch that fails half-way is
/// undone. Every resource it names must be the tenant's (`tenantId`, default the caller's);
/// another tenant's reads as not found. Refused with the operation's own problems before
/// CloudStack is asked. Every operation is in the audit log. Requires `network.operate` or
/// `storage.operate`, as the operation's area says.
#[utoipa::path(
    post,
    path = "/api/operations",
    tag = "network",
    security(("bearer" = [])),
    params(ScopeQuery),
    request_body = Operation,
    responses(
        (status = 200, description = "Done", body = OperationOut),
        (status = 400, description = "Malformed or unknown operation, its problems, or refused for what the cloud holds now", body = ErrorBody),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `network.operate` or `storage.operate`, or the tenant is suspended", body = ErrorBody),
        (status = 404, description = "The tenant, or a resource the operation names, is not in the caller's subtree", body = ErrorBody),
        (status = 409, description = "CloudStack's job failed (its error text), or a batch was undone", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn operate(
    State(state): State<AppState>,
    Operator(caller): Operator,
    ApiQuery(q): ApiQuery<ScopeQuery>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<OperationOut>> {
    let now = now();
    let tenant = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    if state.db.suspended_in_path(&tenant.path).await? {
        return Err(Error::Forbidden(format!(
            "Tenant {} is suspended.",
            tenant.name
        )));
    }
    let op: Operation = serde_json::from_value(body)
        .map_err(|e| Error::Invalid(format!("The operation is not valid: {e}.")))?;
    caller.require(match op.area() {
        Area::Network => Permission::NetworkOperate,
        Area::Storage => Permission::StorageOperate,
    })?;
    let sc = TenantScope::of(&state, tenant).await?;
    if let Err(e) = precheck(&state, &sc, &op).await {
        audit(&state, &caller.user, &sc.tenant.id, &op, Err(&e), now).await?;
        return Err(e);
    }
    let done = run_and_audit(state.clone(), caller.user, sc, op, now).await?;
    Ok(Json(OperationOut {
        message: done.message,
        id: done.id,
    }))
}
