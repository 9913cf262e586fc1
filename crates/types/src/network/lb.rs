//! Load balancers with their health checks and stickiness, checked as CloudStack (and its HAProxy
//! virtual router) checks them, and expanded into calls that never open the firewall silently.

use super::LbAlgorithm;
use super::cidr::{Cidr, cidr_list_param, opens_to_world};
use super::ports::{PortRange, Traffic};
use super::rules::FirewallRuleCall;
use serde::{Deserialize, Serialize};

/// The port HAProxy on the virtual router serves its statistics on: CloudStack refuses a load
/// balancer on it.
pub const HAPROXY_STATS_PORT: u16 = 8081;

/// A load balancer's protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum LbProtocol {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
    /// TCP with the PROXY protocol header to the members.
    TcpProxy,
}

impl LbProtocol {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            LbProtocol::Tcp => "tcp",
            LbProtocol::Udp => "udp",
            LbProtocol::TcpProxy => "tcp-proxy",
        }
    }
}

/// A new load balancing rule (`createLoadBalancerRule` + `assignToLoadBalancerRule`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancerSpec {
    /// Name.
    pub name: String,
    /// The public IP's id.
    pub public_ip_id: String,
    /// Public port.
    pub public_port: u16,
    /// Private port on the members.
    pub private_port: u16,
    /// Algorithm.
    pub algorithm: LbAlgorithm,
    /// Protocol.
    pub protocol: LbProtocol,
    /// Source CIDRs allowed in. Required: no default to 0.0.0.0/0.
    pub cidrs: Vec<Cidr>,
    /// Member VM ids.
    pub member_vm_ids: Vec<String>,
    /// Its health check.
    #[serde(default)]
    pub health_check: Option<HealthCheckSpec>,
    /// Its stickiness.
    #[serde(default)]
    pub stickiness: Option<StickinessSpec>,
}

impl LoadBalancerSpec {
    /// Why CloudStack would refuse it; empty when fine. `ports_in_use` are the public ports of the
    /// IP's port forwards and other load balancers (CloudStack refuses overlapping ports).
    pub fn problems(&self, ports_in_use: &[PortRange]) -> Vec<String> {
        let mut out = Vec::new();
        if self.name.trim().is_empty() {
            out.push("The load balancer needs a name.".into());
        }
        for (what, p) in [("public", self.public_port), ("private", self.private_port)] {
            if p == 0 {
                out.push(format!(
                    "The {what} port 0 is not a valid port: ports are 1 to 65535."
                ));
            }
        }
        if self.public_port == HAPROXY_STATS_PORT {
            out.push(format!(
                "Can't create LB on port {HAPROXY_STATS_PORT}, haproxy is listening for LB stats on this port"
            ));
        }
        if let Some(r) = ports_in_use.iter().find(|r| r.contains(self.public_port)) {
            out.push(format!(
                "Public port {} is already used on this IP by a rule on {r}.",
                self.public_port
            ));
        }
        if self.cidrs.is_empty() {
            out.push(format!(
                "Give the source CIDRs allowed to reach port {}; nothing defaults to 0.0.0.0/0.",
                self.public_port
            ));
        }
        if self.member_vm_ids.is_empty() {
            out.push("Choose at least one member VM.".into());
        }
        if let Some(h) = &self.health_check {
            out.extend(h.problems());
        }
        if let Some(s) = &self.stickiness {
            out.extend(s.problems());
        }
        out
    }

    /// Whether it opens to 0.0.0.0/0 or ::/0: the UI must warn.
    pub fn opens_to_world(&self) -> bool {
        opens_to_world(&self.cidrs)
    }

    /// The parameters of `createLoadBalancerRule`, `openfirewall=false` always.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("name", self.name.trim().to_string()),
            ("publicipid", self.public_ip_id.clone()),
            ("publicport", self.public_port.to_string()),
            ("privateport", self.private_port.to_string()),
            ("algorithm", self.algorithm.as_str().into()),
            ("protocol", self.protocol.as_str().into()),
            ("openfirewall", "false".into()),
            ("cidrlist", cidr_list_param(&self.cidrs)),
        ]
    }

    /// The firewall rule for exactly its CIDRs (UDP balancers get a UDP rule).
    pub fn firewall_call(&self) -> FirewallRuleCall {
        let ports = PortRange::single(self.public_port).into();
        FirewallRuleCall {
            ip_address_id: self.public_ip_id.clone(),
            traffic: if self.protocol == LbProtocol::Udp {
                Traffic::Udp { ports }
            } else {
                Traffic::Tcp { ports }
            },
            cidrs: self.cidrs.clone(),
            rule_index: 0,
        }
    }
}

/// A health check (`createLBHealthCheckPolicy`). Defaults are CloudStack's UI's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HealthCheckSpec {
    /// HTTP path to request (`/` …); `None` for a TCP check.
    #[serde(default)]
    pub ping_path: Option<String>,
    /// Seconds between checks (1..=20940).
    pub interval_s: u32,
    /// Seconds to wait for an answer (2..=60, not more than the interval).
    pub response_timeout_s: u32,
    /// Consecutive successes before a member is healthy (1 or more).
    pub healthy_threshold: u32,
    /// Consecutive failures before a member is unhealthy (1 or more).
    pub unhealthy_threshold: u32,
}

impl Default for HealthCheckSpec {
    fn default() -> Self {
        HealthCheckSpec {
            ping_path: Some("/".into()),
            interval_s: 5,
            response_timeout_s: 2,
            healthy_threshold: 2,
            unhealthy_threshold: 10,
        }
    }
}

impl HealthCheckSpec {
    /// Why CloudStack would refuse it (its documented bounds and its interval/timeout rule).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !(1..=20940).contains(&self.interval_s) {
            out.push(format!(
                "The health check interval is 1 to 20940 seconds, not {}.",
                self.interval_s
            ));
        }
        if !(2..=60).contains(&self.response_timeout_s) {
            out.push(format!(
                "The response timeout is 2 to 60 seconds, not {}.",
                self.response_timeout_s
            ));
        }
        if self.response_timeout_s > self.interval_s {
            out.push(
                "Failed to create HealthCheck policy : Monitor interval must be greater than response timeout"
                    .into(),
            );
        }
        if self.healthy_threshold < 1 || self.unhealthy_threshold < 1 {
            out.push("The healthy and unhealthy thresholds are at least 1.".into());
        }
        if let Some(p) = self
            .ping_path
            .as_ref()
            .filter(|p| !p.starts_with('/') || p.chars().any(char::is_whitespace))
        {
            out.push(format!(
                "The ping path \"{p}\" must start with / and have no spaces."
            ));
        }
        out
    }

    /// The parameters of `createLBHealthCheckPolicy` for rule `lb_rule_id`.
    pub fn params(&self, lb_rule_id: &str) -> Vec<(&'static str, String)> {
        let mut p = vec![("lbruleid", lb_rule_id.to_string())];
        if let Some(path) = &self.ping_path {
            p.push(("pingpath", path.clone()));
        }
        p.extend([
            ("intervaltime", self.interval_s.to_string()),
            ("responsetimeout", self.response_timeout_s.to_string()),
            ("healthythreshold", self.healthy_threshold.to_string()),
            ("unhealthythreshold", self.unhealthy_threshold.to_string()),
        ]);
        p
    }
}

/// How a client sticks to a member (`createLBStickinessPolicy` `methodname` and `param[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "method")]
pub enum StickinessSpec {
    /// HAProxy inserts its own cookie.
    LbCookie {
        /// Policy name.
        name: String,
        /// Cookie name (HAProxy's default when none).
        #[serde(default)]
        #[serde(rename = "cookieName")]
        cookie_name: Option<String>,
        /// `insert`, `rewrite` or `prefix`.
        #[serde(default)]
        mode: Option<String>,
        /// Send `Cache-Control: private`.
        #[serde(default)]
        nocache: bool,
        /// Strip the cookie before the member sees it.
        #[serde(default)]
        indirect: bool,
        /// Only insert it on POST.
        #[serde(default)]
        postonly: bool,
        /// Cookie domain.
        #[serde(default)]
        domain: Option<String>,
    },
    /// Learn the application's own cookie.
    AppCookie {
        /// Policy name.
        name: String,
        /// The application's cookie name.
        #[serde(default)]
        #[serde(rename = "cookieName")]
        cookie_name: Option<String>,
        /// Characters of the cookie kept (a number).
        #[serde(default)]
        length: Option<String>,
        /// How long to remember it (`3h`, `30m`, or seconds).
        #[serde(default)]
        holdtime: Option<String>,
        /// Learn it from the request too.
        #[serde(default)]
        #[serde(rename = "requestLearn")]
        request_learn: bool,
        /// The cookie is a prefix.
        #[serde(default)]
        prefix: bool,
        /// `path-parameters` or `query-string`.
        #[serde(default)]
        mode: Option<String>,
    },
    /// By source address.
    SourceBased {
        /// Policy name.
        name: String,
        /// Stick table size (`200k`, a number with k, m or g).
        #[serde(default)]
        #[serde(rename = "tableSize")]
        table_size: Option<String>,
        /// Entry lifetime (`30m`, a number with d, h, m or s).
        #[serde(default)]
        expire: Option<String>,
    },
}

/// A number with one of `ends` after it (`30m`), or — when `bare` — a plain number: HAProxy's
/// formats as CloudStack's `HAProxyLBRule.containsOnlyNumbers` checks them.
fn number_with_suffix(s: &str, ends: &str, bare: bool) -> bool {
    let all_digits =
        |t: &str| !t.is_empty() && t.len() <= 9 && t.bytes().all(|b| b.is_ascii_digit());
    if bare && all_digits(s) {
        return true;
    }
    match s.char_indices().last() {
        Some((i, c)) if ends.contains(c) => all_digits(&s[..i]),
        _ => false,
    }
}

impl StickinessSpec {
    /// CloudStack's method name.
    pub fn method_name(&self) -> &'static str {
        match self {
            StickinessSpec::LbCookie { .. } => "LbCookie",
            StickinessSpec::AppCookie { .. } => "AppCookie",
            StickinessSpec::SourceBased { .. } => "SourceBased",
        }
    }

    /// The policy name.
    pub fn name(&self) -> &str {
        match self {
            StickinessSpec::LbCookie { name, .. }
            | StickinessSpec::AppCookie { name, .. }
            | StickinessSpec::SourceBased { name, .. } => name,
        }
    }

    /// Why the virtual router would refuse it, with CloudStack's causes.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.name().trim().is_empty() {
            out.push("The stickiness policy needs a name.".into());
        }
        match self {
            StickinessSpec::SourceBased {
                table_size, expire, ..
            } => {
                if let Some(e) = expire
                    .as_deref()
                    .filter(|e| !number_with_suffix(e, "dhms", false))
                {
                    out.push(format!("expire is not in timeformat: {e} (e.g. 30m)"));
                }
                if let Some(t) = table_size
                    .as_deref()
                    .filter(|t| !number_with_suffix(t, "kmg", false))
                {
                    out.push(format!("tablesize is not in size format: {t} (e.g. 200k)"));
                }
            }
            StickinessSpec::AppCookie {
                length, holdtime, ..
            } => {
                if let Some(l) = length
                    .as_deref()
                    .filter(|l| !number_with_suffix(l, "", true))
                {
                    out.push(format!("length is not a number: {l}"));
                }
                if let Some(h) = holdtime
                    .as_deref()
                    .filter(|h| !number_with_suffix(h, "dhms", true))
                {
                    out.push(format!("holdtime is not in timeformat: {h} (e.g. 3h)"));
                }
            }
            StickinessSpec::LbCookie { mode, .. } => {
                if let Some(m) = mode
                    .as_deref()
                    .filter(|m| !["insert", "rewrite", "prefix"].contains(m))
                {
                    out.push(format!("mode is insert, rewrite or prefix, not {m}"));
                }
            }
        }
        out
    }

    /// `param[i].name`/`param[i].value` pairs, in a stable order (flags as `true`).
    pub fn params(&self) -> Vec<(String, String)> {
        let mut p: Vec<(String, String)> = Vec::new();
        let mut opt = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                p.push((k.into(), v.clone()));
            }
        };
        match self {
            StickinessSpec::LbCookie {
                cookie_name,
                mode,
                domain,
                ..
            } => {
                opt("cookie-name", cookie_name);
                opt("mode", mode);
                opt("domain", domain);
            }
            StickinessSpec::AppCookie {
                cookie_name,
                length,
                holdtime,
                mode,
                ..
            } => {
                opt("cookie-name", cookie_name);
                opt("length", length);
                opt("holdtime", holdtime);
                opt("mode", mode);
            }
            StickinessSpec::SourceBased {
                table_size, expire, ..
            } => {
                opt("tablesize", table_size);
                opt("expire", expire);
            }
        }
        let flags: Vec<(&str, bool)> = match self {
            StickinessSpec::LbCookie {
                nocache,
                indirect,
                postonly,
                ..
            } => vec![
                ("nocache", *nocache),
                ("indirect", *indirect),
                ("postonly", *postonly),
            ],
            StickinessSpec::AppCookie {
                request_learn,
                prefix,
                ..
            } => vec![("request-learn", *request_learn), ("prefix", *prefix)],
            StickinessSpec::SourceBased { .. } => vec![],
        };
        p.extend(
            flags
                .into_iter()
                .filter(|(_, on)| *on)
                .map(|(k, _)| (k.to_string(), "true".to_string())),
        );
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::cidr::parse_cidr_list;

    fn spec() -> LoadBalancerSpec {
        LoadBalancerSpec {
            name: "web".into(),
            public_ip_id: "ip".into(),
            public_port: 80,
            private_port: 8080,
            algorithm: LbAlgorithm::Leastconn,
            protocol: LbProtocol::Tcp,
            cidrs: parse_cidr_list("198.51.100.0/24").unwrap(),
            member_vm_ids: vec!["vm1".into(), "vm2".into()],
            health_check: Some(HealthCheckSpec::default()),
            stickiness: None,
        }
    }

    #[test]
    fn a_plain_balancer_passes_and_expands() {
        let s = spec();
        assert!(s.problems(&[]).is_empty(), "{:?}", s.problems(&[]));
        assert!(s.params().contains(&("openfirewall", "false".into())));
        assert!(s.params().contains(&("algorithm", "leastconn".into())));
        assert_eq!(s.firewall_call().traffic.to_string(), "tcp 80");
        assert!(!s.opens_to_world());
        let h = HealthCheckSpec::default().params("lb1");
        assert_eq!(h[1], ("pingpath", "/".to_string()));
        assert_eq!(h[2], ("intervaltime", "5".to_string()));
    }

    #[test]
    fn balancer_rules() {
        let mut s = spec();
        s.public_port = 8081;
        s.cidrs.clear();
        s.member_vm_ids.clear();
        assert_eq!(
            s.problems(&[PortRange::new(8000, 8100).unwrap()]),
            [
                "Can't create LB on port 8081, haproxy is listening for LB stats on this port",
                "Public port 8081 is already used on this IP by a rule on 8000-8100.",
                "Give the source CIDRs allowed to reach port 8081; nothing defaults to 0.0.0.0/0.",
                "Choose at least one member VM."
            ]
        );
    }

    #[test]
    fn health_check_bounds() {
        let h = HealthCheckSpec {
            ping_path: Some("health".into()),
            interval_s: 0,
            response_timeout_s: 61,
            healthy_threshold: 0,
            unhealthy_threshold: 3,
        };
        assert_eq!(
            h.problems(),
            [
                "The health check interval is 1 to 20940 seconds, not 0.",
                "The response timeout is 2 to 60 seconds, not 61.",
                "Failed to create HealthCheck policy : Monitor interval must be greater than response timeout",
                "The healthy and unhealthy thresholds are at least 1.",
                "The ping path \"health\" must start with / and have no spaces."
            ]
        );
    }

    #[test]
    fn stickiness_formats() {
        let ok = StickinessSpec::SourceBased {
            name: "s".into(),
            table_size: Some("200k".into()),
            expire: Some("30m".into()),
        };
        assert!(ok.problems().is_empty());
        assert_eq!(
            ok.params(),
            [
                ("tablesize".to_string(), "200k".to_string()),
                ("expire".into(), "30m".into())
            ]
        );
        let bad = StickinessSpec::SourceBased {
            name: "".into(),
            table_size: Some("big".into()),
            expire: Some("30".into()),
        };
        assert_eq!(
            bad.problems(),
            [
                "The stickiness policy needs a name.",
                "expire is not in timeformat: 30 (e.g. 30m)",
                "tablesize is not in size format: big (e.g. 200k)"
            ]
        );
        let app = StickinessSpec::AppCookie {
            name: "a".into(),
            cookie_name: Some("JSESSIONID".into()),
            length: Some("x".into()),
            holdtime: Some("3600".into()),
            request_learn: true,
            prefix: false,
            mode: None,
        };
        assert_eq!(app.problems(), ["length is not a number: x"]);
        assert_eq!(app.method_name(), "AppCookie");
        assert!(
            app.params()
                .contains(&("request-learn".into(), "true".into()))
        );
        let lb = StickinessSpec::LbCookie {
            name: "c".into(),
            cookie_name: None,
            mode: Some("sideways".into()),
            nocache: true,
            indirect: false,
            postonly: false,
            domain: None,
        };
        assert_eq!(
            lb.problems(),
            ["mode is insert, rewrite or prefix, not sideways"]
        );
        let j = serde_json::to_value(&lb).unwrap();
        assert_eq!(j["method"], "LbCookie");
        assert_eq!(j["cookieName"], serde_json::Value::Null);
    }
}
