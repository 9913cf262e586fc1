//! CIDR blocks, by hand on `u32`/`u128`: parsing, containment and overlap, and the rules CloudStack
//! applies to guest network, VPC and tier CIDRs.
//!
//! **Host bits.** CloudStack's `NetUtils.isValidIp4Cidr` accepts `10.0.0.5/24` and stores the text as
//! typed (the virtual router masks it). The console parses such a block, **normalises it to its
//! network address** (`10.0.0.0/24`) and always sends the normalised form, so that two spellings of
//! the same block compare equal in diffs and conflict checks. [`host_bits_note`] tells the user when
//! that happened. A bare address without `/n` is refused, as CloudStack refuses it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// An IPv4 or IPv6 block, always held with its host bits zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cidr {
    /// IPv4: network address and prefix length 0..=32.
    V4 {
        /// Network address (host bits zero).
        addr: u32,
        /// Prefix length.
        prefix: u8,
    },
    /// IPv6: network address and prefix length 0..=128.
    V6 {
        /// Network address (host bits zero).
        addr: u128,
        /// Prefix length.
        prefix: u8,
    },
}

fn mask4(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix))
    }
}

fn mask6(prefix: u8) -> u128 {
    if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(prefix))
    }
}

/// `0.0.0.0/0`: every IPv4 address.
pub const ANY_V4: Cidr = Cidr::V4 { addr: 0, prefix: 0 };
/// `::/0`: every IPv6 address.
pub const ANY_V6: Cidr = Cidr::V6 { addr: 0, prefix: 0 };

impl Cidr {
    /// Parses `a.b.c.d/n` (or an IPv6 `x:y::/n`), normalising host bits to zero. Refuses a bare
    /// address, a prefix out of range, octets with leading zeros and anything else, in words.
    pub fn parse(text: &str) -> Result<Cidr, String> {
        Self::parse_raw(text).map(|(c, _)| c)
    }

    /// Like [`Cidr::parse`], and whether the text had host bits set.
    fn parse_raw(text: &str) -> Result<(Cidr, bool), String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("A CIDR cannot be empty.".into());
        }
        let Some((ip, len)) = t.split_once('/') else {
            return Err(format!(
                "\"{t}\" is not a CIDR: add the prefix length, e.g. {t}/32 for one address."
            ));
        };
        let bad = || format!("\"{t}\" is not a CIDR (a.b.c.d/n, e.g. 10.0.0.0/24).");
        if len.is_empty() || !len.bytes().all(|b| b.is_ascii_digit()) || len.len() > 3 {
            return Err(bad());
        }
        let prefix: u8 = len.parse().map_err(|_| bad())?;
        if let Ok(v4) = Ipv4Addr::from_str(ip) {
            if prefix > 32 {
                return Err(format!(
                    "\"{t}\": an IPv4 prefix length is 0 to 32, not {prefix}."
                ));
            }
            let a = u32::from(v4);
            let n = a & mask4(prefix);
            Ok((Cidr::V4 { addr: n, prefix }, n != a))
        } else if let Ok(v6) = Ipv6Addr::from_str(ip) {
            if prefix > 128 {
                return Err(format!(
                    "\"{t}\": an IPv6 prefix length is 0 to 128, not {prefix}."
                ));
            }
            let a = u128::from(v6);
            let n = a & mask6(prefix);
            Ok((Cidr::V6 { addr: n, prefix }, n != a))
        } else {
            Err(bad())
        }
    }

    /// The block of one address (`/32` or `/128`).
    pub fn host(ip: IpAddr) -> Cidr {
        match ip {
            IpAddr::V4(a) => Cidr::V4 {
                addr: u32::from(a),
                prefix: 32,
            },
            IpAddr::V6(a) => Cidr::V6 {
                addr: u128::from(a),
                prefix: 128,
            },
        }
    }

    /// The network a gateway and a netmask describe (`createNetwork`'s `gateway` + `netmask`), as
    /// CloudStack's `getCidrFromGatewayAndNetmask` computes it. Refuses a non-contiguous mask.
    pub fn from_gateway_netmask(gateway: &str, netmask: &str) -> Result<Cidr, String> {
        let g = Ipv4Addr::from_str(gateway.trim())
            .map_err(|_| format!("The gateway \"{}\" is not an IPv4 address.", gateway.trim()))?;
        let m = Ipv4Addr::from_str(netmask.trim())
            .map_err(|_| format!("The netmask \"{}\" is not an IPv4 address.", netmask.trim()))?;
        let m = u32::from(m);
        let prefix = m.leading_ones();
        if m.checked_shl(prefix).unwrap_or(0) != 0 {
            return Err(format!(
                "The netmask {} is not a valid mask (its one bits must come first).",
                Ipv4Addr::from(m)
            ));
        }
        let prefix = prefix as u8;
        Ok(Cidr::V4 {
            addr: u32::from(g) & mask4(prefix),
            prefix,
        })
    }

    /// The prefix length.
    pub fn prefix(&self) -> u8 {
        match *self {
            Cidr::V4 { prefix, .. } | Cidr::V6 { prefix, .. } => prefix,
        }
    }

    /// Whether it is IPv4.
    pub fn is_v4(&self) -> bool {
        matches!(self, Cidr::V4 { .. })
    }

    /// Whether it is every address of its family (`0.0.0.0/0` or `::/0`).
    pub fn is_any(&self) -> bool {
        self.prefix() == 0
    }

    /// The network address.
    pub fn network(&self) -> IpAddr {
        match *self {
            Cidr::V4 { addr, .. } => IpAddr::V4(Ipv4Addr::from(addr)),
            Cidr::V6 { addr, .. } => IpAddr::V6(Ipv6Addr::from(addr)),
        }
    }

    /// The last address (the IPv4 broadcast address).
    pub fn last(&self) -> IpAddr {
        match *self {
            Cidr::V4 { addr, prefix } => IpAddr::V4(Ipv4Addr::from(addr | !mask4(prefix))),
            Cidr::V6 { addr, prefix } => IpAddr::V6(Ipv6Addr::from(addr | !mask6(prefix))),
        }
    }

    /// The netmask, for IPv4 (`255.255.255.0` for a `/24`).
    pub fn netmask(&self) -> Option<Ipv4Addr> {
        match *self {
            Cidr::V4 { prefix, .. } => Some(Ipv4Addr::from(mask4(prefix))),
            Cidr::V6 { .. } => None,
        }
    }

    /// Whether `ip` is inside the block (never across families).
    pub fn contains_ip(&self, ip: IpAddr) -> bool {
        match (*self, ip) {
            (Cidr::V4 { addr, prefix }, IpAddr::V4(a)) => u32::from(a) & mask4(prefix) == addr,
            (Cidr::V6 { addr, prefix }, IpAddr::V6(a)) => u128::from(a) & mask6(prefix) == addr,
            _ => false,
        }
    }

    /// Whether `other` lies wholly inside this block (a block contains itself).
    pub fn contains(&self, other: &Cidr) -> bool {
        match (*self, *other) {
            (Cidr::V4 { addr, prefix }, Cidr::V4 { addr: b, prefix: q }) => {
                q >= prefix && b & mask4(prefix) == addr
            }
            (Cidr::V6 { addr, prefix }, Cidr::V6 { addr: b, prefix: q }) => {
                q >= prefix && b & mask6(prefix) == addr
            }
            _ => false,
        }
    }

    /// Whether the two blocks share any address (for blocks, that is: one contains the other).
    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.contains(other) || other.contains(self)
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network(), self.prefix())
    }
}

impl FromStr for Cidr {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Cidr::parse(s)
    }
}

impl Serialize for Cidr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cidr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Cidr::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Cidr {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "A CIDR block: `a.b.c.d/n` or an IPv6 `x::/n`, host bits zero (e.g. `10.0.0.0/24`).",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Cidr {}

/// When `text` is a CIDR with host bits set, the sentence that says which block the console will
/// send instead (`10.0.0.5/24` → `10.0.0.0/24`); `None` for a clean block or bad text.
pub fn host_bits_note(text: &str) -> Option<String> {
    match Cidr::parse_raw(text) {
        Ok((c, true)) => Some(format!(
            "{} has host bits set; it is the block {c}, which is what will be sent.",
            text.trim()
        )),
        _ => None,
    }
}

/// Parses a CIDR list as a user types it: entries separated by commas and/or white space, at
/// least one, duplicates (after normalising) dropped, order kept. The first bad entry is refused
/// with its reason.
pub fn parse_cidr_list(text: &str) -> Result<Vec<Cidr>, String> {
    let mut out: Vec<Cidr> = Vec::new();
    for item in text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
    {
        let c = Cidr::parse(item)?;
        if !out.contains(&c) {
            out.push(c);
        }
    }
    if out.is_empty() {
        return Err("Give at least one source CIDR (e.g. 203.0.113.7/32 for one address).".into());
    }
    Ok(out)
}

/// The `cidrlist` parameter: entries joined by commas, as CloudStack takes them.
pub fn cidr_list_param(cidrs: &[Cidr]) -> String {
    cidrs
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Whether any entry opens to the whole Internet (`0.0.0.0/0` or `::/0`): the UI must warn.
pub fn opens_to_world(cidrs: &[Cidr]) -> bool {
    cidrs.iter().any(Cidr::is_any)
}

/// A network the new CIDR must not overlap: its name and block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SiblingNetwork {
    /// Name, for the message.
    pub name: String,
    /// Its CIDR.
    pub cidr: Cidr,
}

/// The blocks CloudStack's `NetUtils.validateGuestCidr` accepts for guest networks and VPCs:
/// RFC 1918's private ranges and RFC 6598's shared range.
pub const GUEST_CIDR_BLOCKS: [&str; 4] = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
];

/// Why CloudStack would refuse `cidr` as a guest network's or a VPC's CIDR: not IPv4, or outside
/// [`GUEST_CIDR_BLOCKS`]. `None` when fine.
pub fn guest_cidr_problem(cidr: &Cidr) -> Option<String> {
    if !cidr.is_v4() {
        return Some(format!(
            "{cidr} is IPv6: a guest network's CIDR is IPv4 (give IPv6 as ip6cidr)."
        ));
    }
    let inside = GUEST_CIDR_BLOCKS
        .iter()
        .filter_map(|b| Cidr::parse(b).ok())
        .any(|b| b.contains(cidr));
    (!inside).then(|| {
        format!(
            "{cidr} is not a private range: guest networks use {}.",
            GUEST_CIDR_BLOCKS.join(", ")
        )
    })
}

/// Why a guest network's or VPC tier's CIDR would be refused: not a private IPv4 range ([`guest_cidr_problem`]), overlapping a sibling
/// network (another tier of the VPC, or another network of the account in the zone), or — for a
/// tier — not inside its VPC's CIDR. `None` when it is fine.
pub fn network_cidr_problem(
    cidr: &Cidr,
    siblings: &[SiblingNetwork],
    vpc_cidr: Option<&Cidr>,
) -> Option<String> {
    if let Some(p) = guest_cidr_problem(cidr) {
        return Some(p);
    }
    if cidr.prefix() > 30 {
        return Some(format!(
            "{cidr} is too small for a network: it needs at least a /30 (a gateway and one VM)."
        ));
    }
    if let Some(v) = vpc_cidr.filter(|v| !v.contains(cidr)) {
        return Some(format!(
            "The tier's CIDR {cidr} is not inside the VPC's CIDR {v}."
        ));
    }
    siblings
        .iter()
        .find(|s| s.cidr.overlaps(cidr))
        .map(|s| format!("{cidr} overlaps the network {} ({}).", s.name, s.cidr))
}

/// Why `gateway` cannot be the gateway of `cidr`: not an IPv4 address, outside the block, or its
/// network or broadcast address. `None` when it is fine.
pub fn gateway_problem(gateway: &str, cidr: &Cidr) -> Option<String> {
    let g = match Ipv4Addr::from_str(gateway.trim()) {
        Ok(g) => IpAddr::V4(g),
        Err(_) => {
            return Some(format!(
                "The gateway \"{}\" is not an IPv4 address.",
                gateway.trim()
            ));
        }
    };
    if !cidr.contains_ip(g) {
        return Some(format!("The gateway {g} is not inside {cidr}."));
    }
    if cidr.prefix() < 31 && (g == cidr.network() || g == cidr.last()) {
        return Some(format!(
            "The gateway {g} is the network or broadcast address of {cidr}; choose an address inside it."
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Cidr {
        Cidr::parse(s).unwrap()
    }

    #[test]
    fn parses_and_normalises() {
        assert_eq!(c("10.0.0.0/24").to_string(), "10.0.0.0/24");
        assert_eq!(c(" 10.0.0.5/24 ").to_string(), "10.0.0.0/24");
        assert_eq!(c("0.0.0.0/0"), ANY_V4);
        assert_eq!(c("2001:db8::1/32").to_string(), "2001:db8::/32");
        assert_eq!(c("::/0"), ANY_V6);
        assert_eq!(
            host_bits_note("10.0.0.5/24").as_deref(),
            Some(
                "10.0.0.5/24 has host bits set; it is the block 10.0.0.0/24, which is what will be sent."
            )
        );
        assert_eq!(host_bits_note("10.0.0.0/24"), None);
    }

    #[test]
    fn refuses_garbage_with_reasons() {
        for (bad, why) in [
            ("", "A CIDR cannot be empty."),
            (
                "10.0.0.1",
                "\"10.0.0.1\" is not a CIDR: add the prefix length, e.g. 10.0.0.1/32 for one address.",
            ),
            (
                "10.0.0/24",
                "\"10.0.0/24\" is not a CIDR (a.b.c.d/n, e.g. 10.0.0.0/24).",
            ),
            (
                "10.0.0.256/24",
                "\"10.0.0.256/24\" is not a CIDR (a.b.c.d/n, e.g. 10.0.0.0/24).",
            ),
            (
                "010.0.0.1/24",
                "\"010.0.0.1/24\" is not a CIDR (a.b.c.d/n, e.g. 10.0.0.0/24).",
            ),
            (
                "10.0.0.0/33",
                "\"10.0.0.0/33\": an IPv4 prefix length is 0 to 32, not 33.",
            ),
            (
                "10.0.0.0/-1",
                "\"10.0.0.0/-1\" is not a CIDR (a.b.c.d/n, e.g. 10.0.0.0/24).",
            ),
            (
                "10.0.0.0/",
                "\"10.0.0.0/\" is not a CIDR (a.b.c.d/n, e.g. 10.0.0.0/24).",
            ),
            (
                "::/129",
                "\"::/129\": an IPv6 prefix length is 0 to 128, not 129.",
            ),
            (
                "web/24",
                "\"web/24\" is not a CIDR (a.b.c.d/n, e.g. 10.0.0.0/24).",
            ),
        ] {
            assert_eq!(Cidr::parse(bad).unwrap_err(), why, "{bad}");
        }
    }

    #[test]
    fn containment_and_overlap() {
        let big = c("10.1.0.0/16");
        assert!(big.contains(&c("10.1.2.0/24")));
        assert!(!c("10.1.2.0/24").contains(&big));
        assert!(big.overlaps(&c("10.1.2.0/24")));
        assert!(c("10.1.2.0/24").overlaps(&big));
        assert!(!c("10.1.2.0/24").overlaps(&c("10.1.3.0/24")));
        assert!(ANY_V4.contains(&c("192.168.0.0/16")));
        assert!(!ANY_V4.contains(&ANY_V6));
        assert!(big.contains_ip("10.1.255.255".parse().unwrap()));
        assert!(!big.contains_ip("10.2.0.0".parse().unwrap()));
        assert!(c("2001:db8::/32").contains(&c("2001:db8:1::/48")));
        assert_eq!(big.netmask(), Some(Ipv4Addr::new(255, 255, 0, 0)));
        assert_eq!(big.last().to_string(), "10.1.255.255");
    }

    #[test]
    fn gateway_and_netmask() {
        assert_eq!(
            Cidr::from_gateway_netmask("10.1.1.1", "255.255.255.0").unwrap(),
            c("10.1.1.0/24")
        );
        assert_eq!(
            Cidr::from_gateway_netmask("10.1.1.1", "255.0.255.0").unwrap_err(),
            "The netmask 255.0.255.0 is not a valid mask (its one bits must come first)."
        );
        assert!(Cidr::from_gateway_netmask("x", "255.255.255.0").is_err());
        let n = c("10.1.1.0/24");
        assert_eq!(gateway_problem("10.1.1.1", &n), None);
        assert_eq!(
            gateway_problem("10.1.2.1", &n).as_deref(),
            Some("The gateway 10.1.2.1 is not inside 10.1.1.0/24.")
        );
        assert!(gateway_problem("10.1.1.255", &n).is_some());
        assert!(gateway_problem("10.1.1.0", &n).is_some());
        assert!(gateway_problem("gw", &n).is_some());
    }

    #[test]
    fn cidr_lists() {
        let l = parse_cidr_list("10.0.0.0/8, 192.168.1.7/32 10.0.0.1/8").unwrap();
        assert_eq!(cidr_list_param(&l), "10.0.0.0/8,192.168.1.7/32");
        assert!(!opens_to_world(&l));
        assert!(opens_to_world(&parse_cidr_list("0.0.0.0/0").unwrap()));
        assert_eq!(
            parse_cidr_list(" , ").unwrap_err(),
            "Give at least one source CIDR (e.g. 203.0.113.7/32 for one address)."
        );
        assert!(parse_cidr_list("10.0.0.0/8, nope").is_err());
    }

    #[test]
    fn network_rules() {
        let vpc = c("10.1.0.0/16");
        let sib = [SiblingNetwork {
            name: "web".into(),
            cidr: c("10.1.1.0/24"),
        }];
        assert_eq!(
            network_cidr_problem(&c("10.1.2.0/24"), &sib, Some(&vpc)),
            None
        );
        assert_eq!(
            network_cidr_problem(&c("10.1.1.128/25"), &sib, Some(&vpc)).as_deref(),
            Some("10.1.1.128/25 overlaps the network web (10.1.1.0/24).")
        );
        assert_eq!(
            network_cidr_problem(&c("10.2.0.0/24"), &sib, Some(&vpc)).as_deref(),
            Some("The tier's CIDR 10.2.0.0/24 is not inside the VPC's CIDR 10.1.0.0/16.")
        );
        assert!(network_cidr_problem(&c("10.1.3.0/31"), &[], None).is_some());
        assert!(network_cidr_problem(&c("fd00::/64"), &[], None).is_some());
        assert_eq!(
            network_cidr_problem(&c("8.8.8.0/24"), &[], None).as_deref(),
            Some(
                "8.8.8.0/24 is not a private range: guest networks use 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10."
            )
        );
        assert_eq!(guest_cidr_problem(&c("100.64.1.0/24")), None);
        assert!(guest_cidr_problem(&c("172.32.0.0/16")).is_some());
    }

    #[test]
    fn serde_is_the_text() {
        let j = serde_json::to_string(&c("10.0.0.9/8")).unwrap();
        assert_eq!(j, "\"10.0.0.0/8\"");
        let back: Cidr = serde_json::from_str(&j).unwrap();
        assert_eq!(back, c("10.0.0.0/8"));
        assert!(serde_json::from_str::<Cidr>("\"10.0.0.1\"").is_err());
    }

    mod prop {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn v4_math_agrees_with_addresses(a in any::<u32>(), p in 0u8..=32, b in any::<u32>(), q in 0u8..=32) {
                let x = Cidr::parse(&format!("{}/{p}", Ipv4Addr::from(a))).unwrap();
                let y = Cidr::parse(&format!("{}/{q}", Ipv4Addr::from(b))).unwrap();
                prop_assert_eq!(Cidr::parse(&x.to_string()).unwrap(), x);
                prop_assert!(x.contains_ip(IpAddr::V4(Ipv4Addr::from(a))));
                prop_assert!(x.contains_ip(x.network()) && x.contains_ip(x.last()));
                prop_assert_eq!(x.overlaps(&y), y.overlaps(&x));
                let shares = x.contains_ip(y.network()) || y.contains_ip(x.network());
                prop_assert_eq!(x.overlaps(&y), shares);
                if x.contains(&y) {
                    prop_assert!(x.contains_ip(y.network()) && x.contains_ip(y.last()));
                }
            }

            #[test]
            fn v6_round_trips(a in any::<u128>(), p in 0u8..=128) {
                let x = Cidr::parse(&format!("{}/{p}", Ipv6Addr::from(a))).unwrap();
                prop_assert_eq!(Cidr::parse(&x.to_string()).unwrap(), x);
                prop_assert!(x.contains_ip(IpAddr::V6(Ipv6Addr::from(a))));
            }

            #[test]
            fn garbage_never_panics(s in "[0-9a-f.:/ -]{0,24}") {
                if let Ok(c) = Cidr::parse(&s) {
                    prop_assert_eq!(Cidr::parse(&c.to_string()).unwrap(), c);
                }
            }
        }
    }
}
