//! The HTTP client: signing of each request, retries, generic calls and paging.

use crate::config::{AUTO_POST_THRESHOLD, ClientConfig, HttpMethod, MethodPolicy, is_idempotent};
use crate::error::{Error, Result, is_transient_status};
use crate::params::Params;
use crate::response::{self, Page};
use crate::sign::{self, Signer};
use futures::stream::{self, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt;
use std::sync::Arc;
use std::time::Instant;
use time::OffsetDateTime;

/// Answers at least this large are parsed on a blocking thread.
const PARSE_OFF_THREAD_BYTES: usize = 64 * 1024;

/// A signed request, ready to send.
#[derive(Clone, PartialEq, Eq)]
pub struct PreparedRequest {
    /// GET or POST.
    pub method: HttpMethod,
    /// The full URL (with the query string for GET; the bare endpoint for POST).
    pub url: String,
    /// The form body for POST.
    pub body: Option<String>,
    /// Every parameter sent, `signature` last.
    pub params: Vec<(String, String)>,
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Parameters may hold passwords (createAccount) and user data: show names only.
        let names: Vec<&str> = self.params.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("params", &names)
            .finish_non_exhaustive()
    }
}

/// A raw HTTP answer.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// The `X-Description` header (CloudStack puts the error text there).
    pub x_description: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

struct Inner {
    config: ClientConfig,
    endpoint: String,
    signer: Signer,
    http: reqwest::Client,
}

/// A CloudStack API client. Cheap to clone (an `Arc` inside) and safe to share between tasks.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Builds a client. Fails on an invalid endpoint URL or empty keys.
    pub fn new(config: ClientConfig) -> Result<Self> {
        let url = url::Url::parse(config.endpoint.trim()).map_err(|e| {
            Error::Config(format!("the API URL {:?} is invalid: {e}", config.endpoint))
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::Config(format!(
                "the API URL must start with http:// or https://, got {:?}",
                config.endpoint
            )));
        }
        if config.api_key.trim().is_empty() {
            return Err(Error::Config("the API key is empty".into()));
        }
        if config.secret_key.expose().is_empty() {
            return Err(Error::Config("the secret key is empty".into()));
        }
        let mut endpoint = url.to_string();
        if url.query().is_some() {
            return Err(Error::Config(
                "the API URL must not contain a query string".into(),
            ));
        }
        if endpoint.ends_with('?') {
            endpoint.pop();
        }
        let http = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .danger_accept_invalid_certs(config.accept_invalid_certs)
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        let signer = Signer::new(config.secret_key.expose());
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                endpoint,
                signer,
                http,
            }),
        })
    }

    /// The configuration this client was built with.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The API endpoint.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// Builds and signs the request for `command` as of `now` (which sets `expires`).
    ///
    /// Adds `command`, `apikey`, `response=json` and, with signature version 3,
    /// `signatureversion=3` and `expires`; then `signature`. Caller parameters with those names
    /// are replaced, except an explicit `expires`.
    pub fn prepare(&self, command: &str, params: &Params, now: OffsetDateTime) -> PreparedRequest {
        let cfg = &self.inner.config;
        let mut pairs: Vec<(String, String)> = Vec::with_capacity(params.len() + 6);
        for (k, v) in params.pairs() {
            if matches!(
                k.as_str(),
                "command" | "apikey" | "response" | "signature" | "signatureversion"
            ) {
                continue;
            }
            pairs.push((k.clone(), v.clone()));
        }
        pairs.push(("command".into(), command.to_owned()));
        pairs.push(("apikey".into(), cfg.api_key.clone()));
        pairs.push(("response".into(), "json".into()));
        let has_expires = pairs.iter().any(|(k, _)| k == "expires");
        if has_expires {
            pairs.push(("signatureversion".into(), "3".into()));
        } else if let Some(after) = cfg.expires_after {
            let at = now + after;
            pairs.push(("signatureversion".into(), "3".into()));
            pairs.push(("expires".into(), sign::format_expires(at)));
        }
        let signature = self.inner.signer.sign(&pairs);
        pairs.push(("signature".into(), signature));
        let query = sign::encode_query(&pairs);
        let method = match cfg.method {
            MethodPolicy::Get => HttpMethod::Get,
            MethodPolicy::Post => HttpMethod::Post,
            MethodPolicy::Auto => {
                if query.len() > AUTO_POST_THRESHOLD || pairs.iter().any(|(k, _)| k == "userdata") {
                    HttpMethod::Post
                } else {
                    HttpMethod::Get
                }
            }
        };
        match method {
            HttpMethod::Get => PreparedRequest {
                method,
                url: format!("{}?{query}", self.inner.endpoint),
                body: None,
                params: pairs,
            },
            HttpMethod::Post => PreparedRequest {
                method,
                url: self.inner.endpoint.clone(),
                body: Some(query),
                params: pairs,
            },
        }
    }

    fn transport_error(&self, command: &str, e: &reqwest::Error) -> Error {
        // Never include the URL: it carries the API key and the signature.
        let mut message = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            message.push_str(": ");
            message.push_str(&s.to_string());
            source = s.source();
        }
        let message = message.replace(&self.inner.endpoint, "<endpoint>");
        if e.is_timeout() {
            let what = if is_idempotent(command) {
                command.to_owned()
            } else {
                format!("{command} (it may still have been carried out: check before retrying)")
            };
            return Error::Timeout {
                what,
                after: self.inner.config.timeout,
            };
        }
        Error::Unreachable {
            endpoint: self.inner.endpoint.clone(),
            message,
        }
    }

    /// Sends one prepared request, without retrying.
    pub async fn send_prepared(&self, command: &str, req: &PreparedRequest) -> Result<RawResponse> {
        let http = &self.inner.http;
        let builder = match req.method {
            HttpMethod::Get => http.get(&req.url),
            HttpMethod::Post => http
                .post(&req.url)
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded; charset=UTF-8",
                )
                .body(req.body.clone().unwrap_or_default()),
        };
        let resp = builder
            .send()
            .await
            .map_err(|e| self.transport_error(command, &e.without_url()))?;
        let status = resp.status().as_u16();
        let x_description = resp
            .headers()
            .get("x-description")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = resp
            .bytes()
            .await
            .map_err(|e| self.transport_error(command, &e.without_url()))?;
        Ok(RawResponse {
            status,
            x_description,
            body: body.to_vec(),
        })
    }

    /// Sends `command`, retrying idempotent commands after transient failures.
    pub async fn execute(&self, command: &str, params: &Params) -> Result<RawResponse> {
        let idempotent = is_idempotent(command);
        let retry = &self.inner.config.retry;
        let mut attempt = 0u32;
        loop {
            let req = self.prepare(command, params, OffsetDateTime::now_utc());
            let started = Instant::now();
            let result = self.send_prepared(command, &req).await;
            let transient = match &result {
                Ok(r) => is_transient_status(r.status),
                Err(e) => e.is_transient(),
            };
            match &result {
                Ok(r) => tracing::debug!(
                    command,
                    method = ?req.method,
                    status = r.status,
                    bytes = r.body.len(),
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "CloudStack call"
                ),
                Err(e) => tracing::debug!(command, error = %e, "CloudStack call failed"),
            }
            if transient && idempotent && attempt < retry.max_retries {
                let delay = retry.backoff(attempt, rand::random::<f64>());
                tracing::info!(
                    command,
                    attempt = attempt + 1,
                    ?delay,
                    "retrying after a transient failure"
                );
                tokio::time::sleep(delay).await;
                attempt += 1;
                continue;
            }
            return result;
        }
    }

    /// Calls any command; returns the object inside the `{"<command>response": ...}` envelope,
    /// or the typed error. Async commands return `{"jobid": ..., "id": ...}`: see
    /// [`Client::call_and_wait`].
    ///
    /// ```no_run
    /// # async fn f(client: akashone_cloudstack::Client) -> akashone_cloudstack::Result<()> {
    /// use akashone_cloudstack::Params;
    /// let caps = client.call("listCapabilities", &Params::new()).await?;
    /// println!("{}", caps["capability"]["cloudstackversion"]);
    /// # Ok(()) }
    /// ```
    pub async fn call(&self, command: &str, params: &Params) -> Result<Value> {
        let r = self.execute(command, params).await?;
        response::parse_value(command, r.status, r.x_description.as_deref(), &r.body)
    }

    /// Fetches one page of a list command as typed rows. Large answers are parsed on a
    /// blocking thread, off the async executor (and in parallel with other pages).
    pub async fn list_page<T: DeserializeOwned + Send + 'static>(
        &self,
        command: &str,
        params: &Params,
        item_key: Option<&str>,
    ) -> Result<Page<T>> {
        let r = self.execute(command, params).await?;
        if r.body.len() < PARSE_OFF_THREAD_BYTES {
            return response::parse_list(
                command,
                r.status,
                r.x_description.as_deref(),
                &r.body,
                item_key,
            );
        }
        let cmd = command.to_owned();
        let key = item_key.map(str::to_owned);
        tokio::task::spawn_blocking(move || {
            response::parse_list(
                &cmd,
                r.status,
                r.x_description.as_deref(),
                &r.body,
                key.as_deref(),
            )
        })
        .await
        .map_err(|e| Error::MalformedResponse {
            command: command.to_owned(),
            message: format!("the parser stopped: {e}"),
        })?
    }

    /// Fetches every row of a list command: the first page gives `count`, the remaining pages
    /// are fetched concurrently (at most `list_concurrency` at once) and returned in order.
    ///
    /// When `params` already has `page` or `pagesize`, only that one request is made.
    pub async fn list_all<T: DeserializeOwned + Send + 'static>(
        &self,
        command: &str,
        params: &Params,
        item_key: &str,
    ) -> Result<Vec<T>> {
        self.list_all_inner(command, params, Some(item_key)).await
    }

    /// [`Client::list_all`] for any command, with untyped rows (the first array in the answer).
    pub async fn list_all_values(&self, command: &str, params: &Params) -> Result<Vec<Value>> {
        self.list_all_inner(command, params, None).await
    }

    async fn list_all_inner<T: DeserializeOwned + Send + 'static>(
        &self,
        command: &str,
        params: &Params,
        item_key: Option<&str>,
    ) -> Result<Vec<T>> {
        if params.contains("page") || params.contains("pagesize") {
            return Ok(self.list_page(command, params, item_key).await?.items);
        }
        let size = self.inner.config.page_size.max(1);
        let page_params = |page: u64| {
            let mut p = params.clone();
            p.set("page", page).set("pagesize", size);
            p
        };
        let first: Page<T> = self.list_page(command, &page_params(1), item_key).await?;
        let mut rows = first.items;
        let full = |n: usize| n as u64 >= u64::from(size);
        if !full(rows.len()) {
            return Ok(rows);
        }
        match first.count {
            Some(count) => {
                if rows.len() as u64 >= count {
                    return Ok(rows);
                }
                let pages = count.div_ceil(u64::from(size));
                rows.reserve(
                    usize::try_from(count)
                        .unwrap_or(0)
                        .saturating_sub(rows.len()),
                );
                let concurrency = self.inner.config.list_concurrency.max(1);
                let mut stream = stream::iter(2..=pages)
                    .map(|page| {
                        let p = page_params(page);
                        async move { self.list_page::<T>(command, &p, item_key).await }
                    })
                    .buffered(concurrency);
                while let Some(page) = stream.try_next().await? {
                    let n = page.items.len();
                    rows.extend(page.items);
                    if n == 0 {
                        // The data shrank while we were paging: nothing more to fetch.
                        break;
                    }
                }
                Ok(rows)
            }
            None => {
                // No count: walk pages one by one until a short page.
                let mut page = 2;
                loop {
                    let next: Page<T> = self
                        .list_page(command, &page_params(page), item_key)
                        .await?;
                    let n = next.items.len();
                    rows.extend(next.items);
                    if !full(n) {
                        return Ok(rows);
                    }
                    page += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> Client {
        Client::new(ClientConfig::new(
            "http://127.0.0.1:1/client/api",
            "key",
            "s3cr3t-value",
        ))
        .unwrap()
    }

    #[test]
    fn prepare_adds_auth_and_v3() {
        let c = client();
        let now = time::macros::datetime!(2025-06-01 12:00:00 UTC);
        let r = c.prepare("listZones", &Params::new().with("name", "a b"), now);
        assert_eq!(r.method, HttpMethod::Get);
        let get = |k: &str| {
            r.params
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("expires"), Some("2025-06-01T12:10:00+0000"));
        assert_eq!(get("signatureversion"), Some("3"));
        assert_eq!(get("apikey"), Some("key"));
        let sig = get("signature").unwrap();
        let without: Vec<_> = r
            .params
            .iter()
            .filter(|(k, _)| k != "signature")
            .cloned()
            .collect();
        assert_eq!(sig, sign::signature(&without, "s3cr3t-value"));
        assert!(r.url.contains("name=a%20b"));
        assert!(!format!("{r:?}").contains("a b"));
    }

    #[test]
    fn userdata_goes_by_post() {
        let c = client();
        let now = OffsetDateTime::UNIX_EPOCH;
        let r = c.prepare(
            "deployVirtualMachine",
            &Params::new().with("userdata", "eA=="),
            now,
        );
        assert_eq!(r.method, HttpMethod::Post);
        assert!(r.body.as_deref().unwrap().contains("userdata=eA%3D%3D"));
    }

    #[test]
    fn secret_never_in_debug() {
        let c = client();
        let s = format!("{c:?} {:?}", c.config());
        assert!(!s.contains("s3cr3t-value"), "{s}");
        assert!(s.contains("redacted"));
    }

    #[test]
    fn bad_config_is_refused() {
        assert!(matches!(
            Client::new(ClientConfig::new("not a url", "k", "s")),
            Err(Error::Config(_))
        ));
        assert!(Client::new(ClientConfig::new("ftp://x/client/api", "k", "s")).is_err());
        assert!(Client::new(ClientConfig::new("http://x/client/api", "", "s")).is_err());
    }
}
