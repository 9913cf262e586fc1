//! Ports, port lists and protocols, with the combinations CloudStack accepts: ports only for TCP
//! and UDP, ICMP type and code only for ICMP, nothing more for `all`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A contiguous range of ports, `start..=end`, both 1..=65535 (a single port has `start == end`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PortRange {
    /// First port.
    pub start: u16,
    /// Last port (equal to `start` for one port).
    pub end: u16,
}

impl PortRange {
    /// A checked range: both ports 1..=65535 and `start <= end`, or CloudStack's reason.
    pub fn new(start: u16, end: u16) -> Result<PortRange, String> {
        let r = PortRange { start, end };
        match r.problem() {
            Some(p) => Err(p),
            None => Ok(r),
        }
    }

    /// One port.
    pub fn single(port: u16) -> PortRange {
        PortRange {
            start: port,
            end: port,
        }
    }

    /// Why CloudStack would refuse the range (its `isValidPort` and start/end order); `None` when fine.
    pub fn problem(&self) -> Option<String> {
        if self.start == 0 {
            return Some("Port 0 is not a valid port: ports are 1 to 65535.".into());
        }
        if self.end == 0 {
            return Some("Port 0 is not a valid port: ports are 1 to 65535.".into());
        }
        if self.start > self.end {
            return Some(format!(
                "The range {}-{} starts after it ends: the start port can't be bigger than the end port.",
                self.start, self.end
            ));
        }
        None
    }

    /// How many ports.
    pub fn len(&self) -> u32 {
        u32::from(self.end) - u32::from(self.start) + 1
    }

    /// Always false: a range has at least one port (for clippy's `len` convention).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Whether the two ranges share a port.
    pub fn overlaps(&self, other: &PortRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// Whether `port` is in the range.
    pub fn contains(&self, port: u16) -> bool {
        self.start <= port && port <= self.end
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start == self.end {
            write!(f, "{}", self.start)
        } else {
            write!(f, "{}-{}", self.start, self.end)
        }
    }
}

fn parse_port(s: &str, whole: &str) -> Result<u16, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "\"{whole}\" is not a port or a range (write 22, or 8000-8100)."
        ));
    }
    match s.parse::<u32>() {
        Ok(p @ 1..=65535) => Ok(p as u16),
        _ => Err(format!("{s} is not a valid port: ports are 1 to 65535.")),
    }
}

impl FromStr for PortRange {
    type Err = String;
    /// `"22"` or `"8000-8100"`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        match t.split_once('-') {
            None => parse_port(t, t).map(PortRange::single),
            Some((a, b)) => {
                let (a, b) = (parse_port(a.trim(), t)?, parse_port(b.trim(), t)?);
                PortRange::new(a, b)
            }
        }
    }
}

/// A list of ports and ranges, as typed in "22, 80, 443, 8000-8100": held sorted, with duplicate,
/// overlapping and adjacent entries merged into contiguous ranges (so it expands into the fewest
/// CloudStack rules — one per range). Serialised as its list of ranges.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "Vec<PortRange>", into = "Vec<PortRange>")]
pub struct PortSpec(Vec<PortRange>);

impl PortSpec {
    /// Parses the user's text; refuses garbage, port 0 or above 65535, reversed ranges and an empty
    /// list, each with its reason. Duplicates and overlaps are merged (see
    /// [`PortSpec::parse_explained`] for the notes the UI can show about them).
    pub fn parse(text: &str) -> Result<PortSpec, String> {
        Self::parse_explained(text).map(|(p, _)| p)
    }

    /// Like [`PortSpec::parse`], plus one sentence for each entry that was merged into another
    /// ("80 is listed twice", "8080 is inside 8000-8100").
    pub fn parse_explained(text: &str) -> Result<(PortSpec, Vec<String>), String> {
        let mut ranges = Vec::new();
        for item in text
            .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .filter(|s| !s.is_empty())
        {
            ranges.push(PortRange::from_str(item)?);
        }
        if ranges.is_empty() {
            return Err("Give at least one port or range (e.g. 22, 80, 443, 8000-8100).".into());
        }
        let mut notes = Vec::new();
        for (i, r) in ranges.iter().enumerate() {
            if let Some(o) = ranges[..i].iter().find(|o| o.overlaps(r)) {
                notes.push(if o == r {
                    format!("{r} is listed twice.")
                } else if o.start <= r.start && r.end <= o.end {
                    format!("{r} is inside {o}.")
                } else if r.start <= o.start && o.end <= r.end {
                    format!("{o} is inside {r}.")
                } else {
                    format!("{r} overlaps {o}; they are merged.")
                });
            }
        }
        Ok((PortSpec::from_ranges(ranges), notes))
    }

    /// Sorts and merges ranges that overlap or touch.
    fn from_ranges(mut ranges: Vec<PortRange>) -> PortSpec {
        ranges.sort();
        let mut out: Vec<PortRange> = Vec::new();
        for r in ranges {
            match out.last_mut() {
                Some(l) if u32::from(r.start) <= u32::from(l.end) + 1 => l.end = l.end.max(r.end),
                _ => out.push(r),
            }
        }
        PortSpec(out)
    }

    /// The contiguous ranges, ascending.
    pub fn ranges(&self) -> &[PortRange] {
        &self.0
    }

    /// Whether any range shares a port with `range`.
    pub fn overlaps(&self, range: &PortRange) -> bool {
        self.0.iter().any(|r| r.overlaps(range))
    }

    /// How many ports in all.
    pub fn port_count(&self) -> u32 {
        self.0.iter().map(PortRange::len).sum()
    }
}

impl fmt::Display for PortSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|r| r.to_string()).collect();
        f.write_str(&parts.join(", "))
    }
}

impl FromStr for PortSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PortSpec::parse(s)
    }
}

impl TryFrom<Vec<PortRange>> for PortSpec {
    type Error = String;
    fn try_from(v: Vec<PortRange>) -> Result<Self, Self::Error> {
        if v.is_empty() {
            return Err("Give at least one port or range (e.g. 22, 80, 443, 8000-8100).".into());
        }
        if let Some(p) = v.iter().find_map(PortRange::problem) {
            return Err(p);
        }
        Ok(PortSpec::from_ranges(v))
    }
}

impl From<PortSpec> for Vec<PortRange> {
    fn from(p: PortSpec) -> Self {
        p.0
    }
}

impl From<PortRange> for PortSpec {
    fn from(r: PortRange) -> Self {
        PortSpec(vec![r])
    }
}

/// A protocol as CloudStack's rules name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
    /// ICMP.
    Icmp,
    /// Every protocol.
    All,
}

impl Protocol {
    /// The wire name: `tcp`, `udp`, `icmp`, `all`.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => "icmp",
            Protocol::All => "all",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Protocol {
    type Err = String;
    /// Case-insensitive, as CloudStack compares protocols.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "tcp" => Ok(Protocol::Tcp),
            "udp" => Ok(Protocol::Udp),
            "icmp" => Ok(Protocol::Icmp),
            "all" => Ok(Protocol::All),
            other => Err(format!(
                "\"{other}\" is not a protocol: choose tcp, udp, icmp or all."
            )),
        }
    }
}

/// `-1`: any ICMP type or code, CloudStack's default when none is given.
pub const ICMP_ANY: i16 = -1;

/// What a rule matches: a protocol with what only that protocol may carry — ports for TCP/UDP,
/// type and code for ICMP, nothing for `all`. Invalid combinations cannot be built; use
/// [`Traffic::from_wire`] to check the loose fields of a form or of a CloudStack answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "protocol", rename_all = "lowercase")]
pub enum Traffic {
    /// TCP on these ports.
    Tcp {
        /// Ports.
        ports: PortSpec,
    },
    /// UDP on these ports.
    Udp {
        /// Ports.
        ports: PortSpec,
    },
    /// ICMP of a type and code (`-1`: any).
    Icmp {
        /// ICMP type, -1 or 0..=255.
        #[serde(rename = "icmpType")]
        icmp_type: i16,
        /// ICMP code, -1 or 0..=15.
        #[serde(rename = "icmpCode")]
        icmp_code: i16,
    },
    /// Every protocol, every port.
    All,
}

impl Traffic {
    /// TCP on `ports`.
    pub fn tcp(ports: &str) -> Result<Traffic, String> {
        Ok(Traffic::Tcp {
            ports: PortSpec::parse(ports)?,
        })
    }

    /// UDP on `ports`.
    pub fn udp(ports: &str) -> Result<Traffic, String> {
        Ok(Traffic::Udp {
            ports: PortSpec::parse(ports)?,
        })
    }

    /// ICMP, checked as CloudStack checks it.
    pub fn icmp(icmp_type: i16, icmp_code: i16) -> Result<Traffic, String> {
        icmp_problem(icmp_type, icmp_code).map_or(
            Ok(Traffic::Icmp {
                icmp_type,
                icmp_code,
            }),
            Err,
        )
    }

    /// Its protocol.
    pub fn protocol(&self) -> Protocol {
        match self {
            Traffic::Tcp { .. } => Protocol::Tcp,
            Traffic::Udp { .. } => Protocol::Udp,
            Traffic::Icmp { .. } => Protocol::Icmp,
            Traffic::All => Protocol::All,
        }
    }

    /// Its ports (TCP/UDP only).
    pub fn ports(&self) -> Option<&PortSpec> {
        match self {
            Traffic::Tcp { ports } | Traffic::Udp { ports } => Some(ports),
            _ => None,
        }
    }

    /// The checks CloudStack makes (`FirewallManagerImpl`, `NetworkACLServiceImpl`) on the loose
    /// fields of a rule, with CloudStack's own messages: ports only with TCP/UDP (both or neither
    /// given; neither means every port), ICMP type/code only with ICMP, none of them with `all`.
    pub fn from_wire(
        protocol: &str,
        start_port: Option<i64>,
        end_port: Option<i64>,
        icmp_type: Option<i64>,
        icmp_code: Option<i64>,
    ) -> Result<Traffic, String> {
        let p = Protocol::from_str(protocol)?;
        if p != Protocol::Icmp && (icmp_type.is_some() || icmp_code.is_some()) {
            return Err("Can specify icmpCode and icmpType for ICMP protocol only".into());
        }
        if p == Protocol::Icmp && (start_port.is_some() || end_port.is_some()) {
            return Err("Can't specify start/end port when protocol is ICMP".into());
        }
        if p == Protocol::All && (start_port.is_some() || end_port.is_some()) {
            return Err("start port and end port must be null if protocol = 'all'".into());
        }
        let port = |v: i64, what: &str| -> Result<u16, String> {
            if (1..=65535).contains(&v) {
                Ok(v as u16)
            } else {
                Err(format!("{what} is an invalid value: {v}"))
            }
        };
        match p {
            Protocol::Tcp | Protocol::Udp => {
                let range = match (start_port, end_port) {
                    (None, None) => PortRange::new(1, 65535)?,
                    (Some(s), e) => {
                        let s = port(s, "publicPort")?;
                        let e = port(e.unwrap_or(i64::from(s)), "Public port range")?;
                        if s > e {
                            return Err("Start port can't be bigger than end port".into());
                        }
                        PortRange { start: s, end: e }
                    }
                    (None, Some(e)) => {
                        let e = port(e, "Public port range")?;
                        PortRange::single(e)
                    }
                };
                let ports = PortSpec::from(range);
                Ok(if p == Protocol::Tcp {
                    Traffic::Tcp { ports }
                } else {
                    Traffic::Udp { ports }
                })
            }
            Protocol::Icmp => {
                let t = icmp_type.unwrap_or(-1);
                let c = icmp_code.unwrap_or(-1);
                let (Ok(t16), Ok(c16)) = (i16::try_from(t), i16::try_from(c)) else {
                    return Err("Invalid icmp type; should belong to [0-255] range".into());
                };
                Traffic::icmp(t16, c16)
            }
            Protocol::All => Ok(Traffic::All),
        }
    }
}

/// CloudStack's ICMP checks, with its messages: type -1 or 0..=255, code -1 or 0..=15.
pub fn icmp_problem(icmp_type: i16, icmp_code: i16) -> Option<String> {
    if icmp_type != ICMP_ANY && !(0..=255).contains(&icmp_type) {
        return Some("Invalid icmp type; should belong to [0-255] range".into());
    }
    if icmp_code != ICMP_ANY && !(0..=15).contains(&icmp_code) {
        return Some(
            "Invalid icmp code; should belong to [0-15] range and can be defined when icmpType belongs to [0-40] range"
                .into(),
        );
    }
    None
}

impl fmt::Display for Traffic {
    /// `tcp 22, 80`, `icmp type 8 code 0`, `icmp (any)`, `all`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Traffic::Tcp { ports } => write!(f, "tcp {ports}"),
            Traffic::Udp { ports } => write!(f, "udp {ports}"),
            Traffic::Icmp {
                icmp_type: -1,
                icmp_code: -1,
            } => f.write_str("icmp (any)"),
            Traffic::Icmp {
                icmp_type,
                icmp_code,
            } => write!(f, "icmp type {icmp_type} code {icmp_code}"),
            Traffic::All => f.write_str("all"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists_and_merges() {
        let p = PortSpec::parse("22, 80, 443, 8000-8100").unwrap();
        assert_eq!(p.to_string(), "22, 80, 443, 8000-8100");
        assert_eq!(p.ranges().len(), 4);
        assert_eq!(p.port_count(), 3 + 101);
        let (p, notes) = PortSpec::parse_explained("443 80 80;8080,8000-8100 8101 81").unwrap();
        assert_eq!(p.to_string(), "80-81, 443, 8000-8101");
        assert_eq!(notes, ["80 is listed twice.", "8080 is inside 8000-8100."]);
        let (_, notes) = PortSpec::parse_explained("10-20, 15-30").unwrap();
        assert_eq!(notes, ["15-30 overlaps 10-20; they are merged."]);
    }

    #[test]
    fn refuses_bad_ports() {
        for (bad, why) in [
            (
                "",
                "Give at least one port or range (e.g. 22, 80, 443, 8000-8100).",
            ),
            ("0", "0 is not a valid port: ports are 1 to 65535."),
            ("65536", "65536 is not a valid port: ports are 1 to 65535."),
            (
                "http",
                "\"http\" is not a port or a range (write 22, or 8000-8100).",
            ),
            (
                "22,x",
                "\"x\" is not a port or a range (write 22, or 8000-8100).",
            ),
            (
                "100-10",
                "The range 100-10 starts after it ends: the start port can't be bigger than the end port.",
            ),
            (
                "-5",
                "\"-5\" is not a port or a range (write 22, or 8000-8100).",
            ),
            (
                "1-2-3",
                "\"1-2-3\" is not a port or a range (write 22, or 8000-8100).",
            ),
            (
                "99999999999999999999",
                "99999999999999999999 is not a valid port: ports are 1 to 65535.",
            ),
        ] {
            assert_eq!(PortSpec::parse(bad).unwrap_err(), why, "{bad:?}");
        }
    }

    #[test]
    fn serde_normalises_and_validates() {
        let p = PortSpec::parse("443, 80").unwrap();
        let j = serde_json::to_string(&p).unwrap();
        assert_eq!(j, r#"[{"start":80,"end":80},{"start":443,"end":443}]"#);
        assert_eq!(serde_json::from_str::<PortSpec>(&j).unwrap(), p);
        assert!(serde_json::from_str::<PortSpec>("[]").is_err());
        assert!(serde_json::from_str::<PortSpec>(r#"[{"start":9,"end":1}]"#).is_err());
        let t = Traffic::tcp("22").unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"protocol":"tcp","ports":[{"start":22,"end":22}]}"#
        );
        for t in [
            Traffic::All,
            Traffic::icmp(-1, -1).unwrap(),
            Traffic::udp("53").unwrap(),
        ] {
            let j = serde_json::to_string(&t).unwrap();
            assert_eq!(serde_json::from_str::<Traffic>(&j).unwrap(), t, "{j}");
        }
        assert_eq!(
            serde_json::to_string(&Traffic::All).unwrap(),
            r#"{"protocol":"all"}"#
        );
        let i = Traffic::icmp(8, 0).unwrap();
        assert_eq!(
            serde_json::to_string(&i).unwrap(),
            r#"{"protocol":"icmp","icmpType":8,"icmpCode":0}"#
        );
    }

    #[cfg(feature = "openapi")]
    #[test]
    fn the_openapi_schema_names_the_wire_fields() {
        use utoipa::PartialSchema;
        let j = serde_json::to_string(&Traffic::schema()).unwrap();
        assert!(j.contains("icmpType") && !j.contains("icmp_type"), "{j}");
        let c = serde_json::to_string(&crate::network::Cidr::schema()).unwrap();
        assert!(c.contains("\"string\""), "{c}");
    }

    #[test]
    fn protocol_combinations_follow_cloudstack() {
        assert_eq!(
            Traffic::from_wire("TCP", Some(80), Some(81), None, None).unwrap(),
            Traffic::tcp("80-81").unwrap()
        );
        assert_eq!(
            Traffic::from_wire("tcp", None, None, None, None).unwrap(),
            Traffic::tcp("1-65535").unwrap()
        );
        assert_eq!(
            Traffic::from_wire("tcp", Some(80), None, Some(8), None).unwrap_err(),
            "Can specify icmpCode and icmpType for ICMP protocol only"
        );
        assert_eq!(
            Traffic::from_wire("icmp", Some(80), None, None, None).unwrap_err(),
            "Can't specify start/end port when protocol is ICMP"
        );
        assert_eq!(
            Traffic::from_wire("all", Some(1), Some(2), None, None).unwrap_err(),
            "start port and end port must be null if protocol = 'all'"
        );
        assert_eq!(
            Traffic::from_wire("udp", Some(0), None, None, None).unwrap_err(),
            "publicPort is an invalid value: 0"
        );
        assert_eq!(
            Traffic::from_wire("udp", Some(10), Some(70000), None, None).unwrap_err(),
            "Public port range is an invalid value: 70000"
        );
        assert_eq!(
            Traffic::from_wire("udp", Some(10), Some(9), None, None).unwrap_err(),
            "Start port can't be bigger than end port"
        );
        assert_eq!(
            Traffic::from_wire("icmp", None, None, None, None).unwrap(),
            Traffic::Icmp {
                icmp_type: -1,
                icmp_code: -1
            }
        );
        assert_eq!(
            Traffic::from_wire("icmp", None, None, Some(256), None).unwrap_err(),
            "Invalid icmp type; should belong to [0-255] range"
        );
        assert!(Traffic::from_wire("icmp", None, None, Some(3), Some(16)).is_err());
        assert_eq!(
            Traffic::from_wire("gre", None, None, None, None).unwrap_err(),
            "\"gre\" is not a protocol: choose tcp, udp, icmp or all."
        );
        assert_eq!(Traffic::icmp(-1, -1).unwrap().to_string(), "icmp (any)");
        assert_eq!(Traffic::All.to_string(), "all");
    }

    mod prop {
        use super::super::*;
        use proptest::prelude::*;

        fn ranges() -> impl Strategy<Value = Vec<(u16, u16)>> {
            prop::collection::vec((1u16..=65535, 0u16..300), 1..12).prop_map(|v| {
                v.into_iter()
                    .map(|(s, len)| (s, s.saturating_add(len)))
                    .collect()
            })
        }

        proptest! {
            #[test]
            fn merged_ranges_cover_exactly_the_ports_typed(v in ranges()) {
                let text: Vec<String> = v
                    .iter()
                    .map(|(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") })
                    .collect();
                let p = PortSpec::parse(&text.join(", ")).unwrap();
                let r = p.ranges();
                for w in r.windows(2) {
                    // Sorted, disjoint and not touching: one CloudStack rule per range.
                    prop_assert!(u32::from(w[0].end) + 1 < u32::from(w[1].start));
                }
                for (a, b) in &v {
                    prop_assert!(r.iter().any(|x| x.start <= *a && *b <= x.end));
                }
                for x in r {
                    for port in [x.start, x.end] {
                        prop_assert!(v.iter().any(|(a, b)| *a <= port && port <= *b));
                    }
                }
                prop_assert_eq!(PortSpec::parse(&p.to_string()).unwrap(), p);
            }

            #[test]
            fn garbage_is_refused_or_reparses(s in "[0-9 ,;a-z-]{0,16}") {
                if let Ok(p) = PortSpec::parse(&s) {
                    prop_assert_eq!(PortSpec::parse(&p.to_string()).unwrap(), p);
                }
            }
        }
    }
}
