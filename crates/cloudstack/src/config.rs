//! How a client is set up: endpoint and keys, request method, retries, time-outs and paging.

use std::fmt;
use std::time::Duration;

/// The user agent sent with every request.
pub const USER_AGENT: &str = concat!("AkashOne-Console/", env!("CARGO_PKG_VERSION"));

/// A CloudStack secret key. It is never printed: `Debug` shows `<redacted>` and there is no
/// `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(String);

impl SecretKey {
    /// Wraps a secret key.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The key itself, for signing. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl From<String> for SecretKey {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl From<&str> for SecretKey {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

/// Which HTTP method to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MethodPolicy {
    /// GET, except POST (form body) when the request carries `userdata` or is large.
    #[default]
    Auto,
    /// Always GET.
    Get,
    /// Always POST with a form body (what `enforce.post.requests.and.timestamps` demands).
    Post,
}

/// The HTTP method of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    /// Parameters in the query string.
    Get,
    /// Parameters in an `application/x-www-form-urlencoded` body.
    Post,
}

/// Requests whose encoded parameters exceed this many bytes are POSTed under [`MethodPolicy::Auto`].
pub const AUTO_POST_THRESHOLD: usize = 2048;

/// Retries of idempotent commands (`list*`, `query*`, `get*`) after transport errors and
/// transient 5xx answers. State-changing commands are never retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// Delay before the first retry.
    pub initial_backoff: Duration,
    /// Upper bound of the delay.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// The delay before retry number `attempt` (0-based): exponential, capped, then scaled by
    /// `jitter` in `[0, 1]` to between half and all of it.
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let base = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt.min(16)))
            .min(self.max_backoff);
        base.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
    }
}

/// True for commands that only read (`list*`, `query*`, `get*`): safe to retry.
pub fn is_idempotent(command: &str) -> bool {
    let c = command.as_bytes();
    let starts = |p: &str| c.len() >= p.len() && c[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    starts("list") || starts("query") || starts("get")
}

/// How to reach and authenticate to one CloudStack endpoint.
#[derive(Clone)]
pub struct ClientConfig {
    /// The API endpoint, e.g. `https://cloud.example.com/client/api`.
    pub endpoint: String,
    /// The API key.
    pub api_key: String,
    /// The secret key.
    pub secret_key: SecretKey,
    /// Time limit of one HTTP request (connect, send, read the answer).
    pub timeout: Duration,
    /// Time limit of connecting.
    pub connect_timeout: Duration,
    /// GET or POST.
    pub method: MethodPolicy,
    /// Sign with signature version 3 and `expires` = now + this (the server refuses expired
    /// requests); `None` sends neither.
    pub expires_after: Option<Duration>,
    /// Retries of idempotent commands.
    pub retry: RetryPolicy,
    /// Rows per page when listing everything (CloudStack's default maximum is 500).
    pub page_size: u32,
    /// How many pages are fetched at once after the first.
    pub list_concurrency: usize,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// Accept any TLS certificate (self-signed lab servers). Off by default.
    pub accept_invalid_certs: bool,
}

impl ClientConfig {
    /// A configuration with defaults: 30 s timeout, automatic GET/POST, signature version 3
    /// with a 10-minute expiry, 3 retries of idempotent calls, pages of 500, 4 pages at once.
    pub fn new(
        endpoint: impl Into<String>,
        api_key: impl Into<String>,
        secret_key: impl Into<SecretKey>,
    ) -> Self {
        Self {
            endpoint: endpoint.into(),
            api_key: api_key.into(),
            secret_key: secret_key.into(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            method: MethodPolicy::Auto,
            expires_after: Some(Duration::from_secs(600)),
            retry: RetryPolicy::default(),
            page_size: 500,
            list_concurrency: 8,
            user_agent: USER_AGENT.to_owned(),
            accept_invalid_certs: false,
        }
    }

    /// Sets the request timeout.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the method policy.
    #[must_use]
    pub fn with_method(mut self, method: MethodPolicy) -> Self {
        self.method = method;
        self
    }

    /// Sets the retry policy.
    #[must_use]
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("endpoint", &self.endpoint)
            .field("api_key", &self.api_key)
            .field("secret_key", &self.secret_key)
            .field("timeout", &self.timeout)
            .field("method", &self.method)
            .field("expires_after", &self.expires_after)
            .field("retry", &self.retry)
            .field("page_size", &self.page_size)
            .field("list_concurrency", &self.list_concurrency)
            .field("user_agent", &self.user_agent)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_and_backoff() {
        assert!(is_idempotent("listZones"));
        assert!(is_idempotent("queryAsyncJobResult"));
        assert!(is_idempotent("getKubernetesClusterConfig"));
        assert!(!is_idempotent("deployVirtualMachine"));
        let r = RetryPolicy::default();
        assert_eq!(r.backoff(0, 1.0), Duration::from_millis(200));
        assert_eq!(r.backoff(1, 0.0), Duration::from_millis(200));
        assert_eq!(r.backoff(10, 1.0), Duration::from_secs(5));
    }
}
