//! SSH key pairs: create, register, list, delete.

use base64::Engine as _;
use serde_json::{Value, json};
use sha1::{Digest, Sha1};
use time::OffsetDateTime;

use super::Ctx;
use crate::error::ApiError;
use crate::state::State;
use crate::util::{keyword_match, page_of, success, ts};

fn keypair_json(s: &State, i: usize) -> Value {
    let k = &s.keypairs[i];
    let account = &s.accounts[k.account];
    let domain = &s.domains[account.domain];
    json!({
        "id": k.id,
        "name": k.name,
        "fingerprint": k.fingerprint,
        "account": account.name,
        "accountid": account.id,
        "domainid": domain.id,
        "domain": domain.name,
        "domainpath": domain.path,
        "created": ts(k.created),
    })
}

fn fingerprint(bytes: &[u8]) -> String {
    Sha1::digest(bytes)[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn find(s: &State, account: usize, name: &str) -> Option<usize> {
    s.keypairs
        .iter()
        .position(|k| !k.removed && k.account == account && k.name == name)
}

fn add(cx: &mut Ctx, name: &str, fp: String) -> Result<usize, ApiError> {
    let account = cx.state.owner_for_create(&cx.caller, cx.p)?;
    if find(cx.state, account, name).is_some() {
        return Err(ApiError::invalid(format!(
            "A key pair with name '{name}' already exists."
        )));
    }
    let i = crate::state::entities::add_keypair(cx.state, account, name, OffsetDateTime::now_utc());
    cx.state.keypairs[i].fingerprint = fp;
    Ok(i)
}

/// createSSHKeyPair: returns the private key once.
pub(crate) fn create(cx: &mut Ctx) -> Result<Value, ApiError> {
    let name = cx.p.required("name")?.to_string();
    let mut material = [0u8; 96];
    for chunk in material.chunks_mut(8) {
        let v = cx.state.rng.below(u64::MAX).to_le_bytes();
        chunk.copy_from_slice(&v[..chunk.len()]);
    }
    let i = add(cx, &name, fingerprint(&material))?;
    let b64 = base64::engine::general_purpose::STANDARD.encode(material);
    let private =
        format!("-----BEGIN RSA PRIVATE KEY-----\n{b64}\n-----END RSA PRIVATE KEY-----\n");
    let mut v = keypair_json(cx.state, i);
    v["privatekey"] = json!(private);
    Ok(json!({ "keypair": v }))
}

/// registerSSHKeyPair: validates the public key's shape.
pub(crate) fn register(cx: &mut Ctx) -> Result<Value, ApiError> {
    let name = cx.p.required("name")?.to_string();
    let public = cx.p.required("publickey")?.trim().to_string();
    let mut parts = public.split_whitespace();
    let kind = parts.next().unwrap_or("");
    let body = parts.next().unwrap_or("");
    let decoded = base64::engine::general_purpose::STANDARD.decode(body);
    let valid = (kind.starts_with("ssh-") || kind.starts_with("ecdsa-"))
        && decoded.as_ref().is_ok_and(|d| !d.is_empty());
    let Some(bytes) = decoded.ok().filter(|_| valid) else {
        return Err(ApiError::invalid("Public key is invalid"));
    };
    let i = add(cx, &name, fingerprint(&bytes))?;
    Ok(json!({ "keypair": keypair_json(cx.state, i) }))
}

/// listSSHKeyPairs.
pub(crate) fn list(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let scope = s.list_scope(&cx.caller, p)?;
    let id = p.get("id");
    let name = p.get("name");
    let fp = p.get("fingerprint");
    let keyword = p.get("keyword");
    let matching: Vec<usize> = (0..s.keypairs.len())
        .filter(|&i| {
            let k = &s.keypairs[i];
            !k.removed
                && scope.allows(k.account)
                && id.is_none_or(|x| k.id == x)
                && name.is_none_or(|x| k.name == x)
                && fp.is_none_or(|x| k.fingerprint == x)
                && keyword_match(keyword, &[&k.name])
        })
        .collect();
    page_of(p, s.knobs.max_page_size, "sshkeypair", &matching, |&i| {
        keypair_json(s, i)
    })
}

/// deleteSSHKeyPair (synchronous).
pub(crate) fn delete(cx: &mut Ctx) -> Result<Value, ApiError> {
    let name = cx.p.required("name")?.to_string();
    let account = cx.state.owner_for_create(&cx.caller, cx.p)?;
    match find(cx.state, account, &name) {
        Some(i) => {
            cx.state.keypairs[i].removed = true;
            Ok(success())
        }
        None => {
            let a = &cx.state.accounts[account];
            Err(ApiError::invalid(format!(
                "A key pair with name '{name}' does not exist for account {} in specified domain id: {}",
                a.name, cx.state.domains[a.domain].id
            )))
        }
    }
}
