//! A tiny raw client: signs like the management server checks, sends with reqwest.

use akashone_cloudstack_sim::{SimConfig, SimHandle, Simulator};
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;

/// Encodes like `java.net.URLEncoder` with `+` turned into `%20`.
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || b"._-*".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The signature of decoded pairs.
pub fn signature(pairs: &[(String, String)], secret: &str) -> String {
    let mut sorted: Vec<&(String, String)> = pairs.iter().collect();
    sorted.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    let text = sorted
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
        .to_lowercase();
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(text.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// A signed raw client for one user.
#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub url: String,
    pub key: String,
    pub secret: String,
}

impl Client {
    pub fn admin(sim: &SimHandle) -> Self {
        Self::new(sim, sim.api_key(), sim.secret_key())
    }

    pub fn new(sim: &SimHandle, key: &str, secret: &str) -> Self {
        Client {
            http: reqwest::Client::new(),
            url: sim.url(),
            key: key.into(),
            secret: secret.into(),
        }
    }

    /// The pairs of a call, with apiKey and response=json added.
    pub fn pairs(&self, command: &str, params: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut pairs = vec![
            ("command".to_string(), command.to_string()),
            ("apiKey".to_string(), self.key.clone()),
            ("response".to_string(), "json".to_string()),
        ];
        pairs.extend(params.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        pairs
    }

    /// Sends already-built pairs with the given signature as a GET query string.
    pub async fn send(&self, pairs: &[(String, String)], signature: &str) -> (u16, Value) {
        let mut query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        query.push(format!("signature={}", encode(signature)));
        let resp = self
            .http
            .get(format!("{}?{}", self.url, query.join("&")))
            .send()
            .await
            .expect("request");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// Signs and sends a GET.
    pub async fn get(&self, command: &str, params: &[(&str, &str)]) -> (u16, Value) {
        let pairs = self.pairs(command, params);
        let sig = signature(&pairs, &self.secret);
        self.send(&pairs, &sig).await
    }

    /// Signs and sends a POST with a form body.
    pub async fn post(&self, command: &str, params: &[(&str, &str)]) -> (u16, Value) {
        let pairs = self.pairs(command, params);
        let sig = signature(&pairs, &self.secret);
        let mut form: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        form.push(format!("signature={}", encode(&sig)));
        let resp = self
            .http
            .post(&self.url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.join("&"))
            .send()
            .await
            .expect("request");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// The inner object of a successful call (panics on errors).
    pub async fn ok(&self, command: &str, params: &[(&str, &str)]) -> Value {
        let (status, body) = self.get(command, params).await;
        assert_eq!(status, 200, "{command} failed: {body}");
        body[format!("{}response", command.to_lowercase())].clone()
    }

    /// Polls a job until it is no longer pending.
    pub async fn wait_job(&self, jobid: &str) -> Value {
        for _ in 0..2000 {
            let job = self.ok("queryAsyncJobResult", &[("jobid", jobid)]).await;
            if job["jobstatus"] != 0 {
                return job;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        panic!("job {jobid} never finished");
    }
}

pub async fn start(config: SimConfig) -> SimHandle {
    Simulator::start(config).await.expect("simulator starts")
}

/// The ids of a list response's items.
pub fn ids(list: &Value, key: &str) -> Vec<String> {
    list[key]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v["id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}
