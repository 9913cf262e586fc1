//! Signature verification as the management server does it.

use std::collections::BTreeMap;

use akashone_cloudstack_sim::{SimConfig, signing};
use serde_json::Value;

use crate::support::{Client, encode, signature, start};

fn vectors() -> Vec<Value> {
    let text = include_str!("../fixtures/signature_vectors.json");
    let v: Value = serde_json::from_str(text).unwrap();
    v["vectors"].as_array().unwrap().clone()
}

fn pairs_of(vector: &Value) -> Vec<(String, String)> {
    vector["params"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn every_published_vector_verifies() {
    for v in vectors() {
        let pairs = pairs_of(&v);
        let refs = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        let got = signing::sign(refs, v["secret"].as_str().unwrap());
        assert_eq!(got, v["expected"].as_str().unwrap(), "{}", v["source"]);
        assert_eq!(signature(&pairs, v["secret"].as_str().unwrap()), got);
    }
}

/// Sends a published vector's exact parameters and signature over HTTP, with its key
/// registered; commands the simulator lacks are refused as unknown (401) like the server.
#[tokio::test]
async fn published_vectors_are_accepted_over_http() {
    let sim = start(SimConfig::default()).await;
    let mut registered = BTreeMap::new();
    for v in vectors() {
        let pairs = pairs_of(&v);
        let key = pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("apikey"))
            .unwrap()
            .1
            .clone();
        let secret = v["secret"].as_str().unwrap().to_string();
        if !registered.contains_key(&key) {
            sim.create_user_with_keys(
                "ROOT/Vectors",
                &format!("vec{}", registered.len()),
                &key,
                &secret,
            )
            .unwrap();
            registered.insert(key.clone(), secret.clone());
        }
        let c = Client::new(&sim, &key, &secret);
        let command = pairs
            .iter()
            .find(|(k, _)| k == "command")
            .unwrap()
            .1
            .clone();
        let (status, body) = c.send(&pairs, v["expected"].as_str().unwrap()).await;
        let known = akashone_cloudstack_sim::command_names().contains(&command.as_str());
        if known {
            assert_ne!(status, 401, "{}: {body}", v["source"]);
        } else {
            assert_eq!(status, 401, "{}: {body}", v["source"]);
            assert_eq!(body["errorresponse"]["errorcode"], 401);
        }
        // Tampered: one character of the signature changed.
        let mut bad = v["expected"].as_str().unwrap().to_string();
        let first = if bad.starts_with('A') { "B" } else { "A" };
        bad.replace_range(0..1, first);
        let (status, body) = c.send(&pairs, &bad).await;
        assert_eq!(status, 401, "{body}");
        if known {
            let name = format!("{}response", command.to_lowercase());
            assert_eq!(
                body[&name],
                serde_json::json!({
                    "uuidList": [],
                    "errorcode": 401,
                    "errortext": "unable to verify user credentials and/or request signature"
                })
            );
        }
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn wrong_key_secret_or_params_are_refused() {
    let sim = start(SimConfig::default()).await;
    let admin = Client::admin(&sim);
    assert_eq!(admin.get("listZones", &[]).await.0, 200);
    let (status, body) = Client::new(&sim, "nobody", sim.secret_key())
        .get("listZones", &[])
        .await;
    assert_eq!(
        (status, body["listzonesresponse"]["errorcode"].clone()),
        (401, 401.into())
    );
    let (status, _) = Client::new(&sim, sim.api_key(), "wrong")
        .get("listZones", &[])
        .await;
    assert_eq!(status, 401);
    // A parameter changed after signing.
    let pairs = admin.pairs("listZones", &[("name", "a")]);
    let sig = signature(&pairs, sim.secret_key());
    let mut changed = pairs.clone();
    changed[3].1 = "b".into();
    assert_eq!(admin.send(&changed, &sig).await.0, 401);
    // Unsigned.
    let resp = reqwest::get(format!(
        "{}?command=listZones&response=json&apiKey={}",
        sim.url(),
        sim.api_key()
    ))
    .await
    .unwrap();
    assert_eq!(resp.status(), 401);
    // Unknown command: 401 under errorresponse, before any signature check.
    let (status, body) = admin.get("listTeapots", &[]).await;
    assert_eq!(status, 401);
    assert_eq!(body["errorresponse"]["errorcode"], 401);
    assert!(body["errorresponse"].get("cserrorcode").is_none());
}

#[tokio::test]
async fn signature_version_3_expiry() {
    let sim = start(SimConfig::default()).await;
    let c = Client::admin(&sim);
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second][offset_hour sign:mandatory][offset_minute]"
    );
    let future = (time::OffsetDateTime::now_utc() + time::Duration::minutes(10))
        .format(&fmt)
        .unwrap();
    let past = (time::OffsetDateTime::now_utc() - time::Duration::minutes(1))
        .format(&fmt)
        .unwrap();
    let ok = c
        .get(
            "listZones",
            &[("signatureVersion", "3"), ("expires", &future)],
        )
        .await;
    assert_eq!(ok.0, 200, "{}", ok.1);
    let rfc = (time::OffsetDateTime::now_utc() + time::Duration::minutes(10))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    assert_eq!(
        c.get("listZones", &[("signatureVersion", "3"), ("expires", &rfc)])
            .await
            .0,
        200
    );
    let expired = c
        .get(
            "listZones",
            &[("signatureVersion", "3"), ("expires", &past)],
        )
        .await;
    assert_eq!(expired.0, 401);
    assert_eq!(expired.1["listzonesresponse"]["errorcode"], 401);
    assert_eq!(
        c.get("listZones", &[("signatureVersion", "3")]).await.0,
        401
    );
    assert_eq!(
        c.get(
            "listZones",
            &[("signatureVersion", "3"), ("expires", "soon")]
        )
        .await
        .0,
        401
    );
    // Without version 3, expires is just another signed parameter.
    assert_eq!(c.get("listZones", &[("expires", &past)]).await.0, 200);
}

#[tokio::test]
async fn tilde_is_signed_as_java_encodes_it() {
    let sim = start(SimConfig::default()).await;
    let c = Client::admin(&sim);
    // The server signs `~` as %7e: a client that does the same is accepted.
    let (status, body) = c.get("listVirtualMachines", &[("keyword", "a~b")]).await;
    assert_eq!(status, 200, "{body}");
    // A client that leaves `~` raw in the string to sign (as cs and cloudmonkey do) is refused.
    let pairs = c.pairs("listVirtualMachines", &[("keyword", "a~b")]);
    let mut sorted = pairs.clone();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let text = sorted
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v).replace("%7E", "~")))
        .collect::<Vec<_>>()
        .join("&")
        .to_lowercase();
    use base64::Engine as _;
    use hmac::{KeyInit, Mac};
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(sim.secret_key().as_bytes()).unwrap();
    mac.update(text.as_bytes());
    let raw_sig = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    assert_eq!(c.send(&pairs, &raw_sig).await.0, 401);
    // Spaces, plus signs, accents and reserved characters round-trip.
    for value in ["a b", "a+b", "é/ü", "x&y=z", "[1]", "100%", "'quote'"] {
        let (status, body) = c.get("listVirtualMachines", &[("keyword", value)]).await;
        assert_eq!(status, 200, "{value}: {body}");
    }
}

#[tokio::test]
async fn mixed_case_names_are_signed_as_sent() {
    let sim = start(SimConfig::default()).await;
    let c = Client::admin(&sim);
    let zones = c.ok("listZones", &[]).await;
    let zone = zones["zone"][0]["id"].as_str().unwrap();
    // `templateId` sorts before `templatefilter` (Java compareTo): the server binds it anyway.
    let body = c
        .ok(
            "listTemplates",
            &[("templateFilter", "featured"), ("zoneId", zone)],
        )
        .await;
    assert!(body["count"].as_u64().unwrap() > 0);
}
