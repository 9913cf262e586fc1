//! IPv4 addresses and CIDR blocks, as CloudStack's NetUtils checks them.

use std::fmt;
use std::net::Ipv4Addr;

/// An IPv4 CIDR block, kept normalised (host bits cleared).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cidr {
    pub base: u32,
    pub len: u8,
}

/// Parses a dotted-quad IPv4 address.
pub(crate) fn parse_ip(s: &str) -> Option<u32> {
    s.trim().parse::<Ipv4Addr>().ok().map(u32::from)
}

/// Formats an IPv4 address.
pub(crate) fn ip_string(ip: u32) -> String {
    Ipv4Addr::from(ip).to_string()
}

/// The prefix length of a netmask, if it is a valid contiguous netmask.
pub(crate) fn netmask_len(mask: &str) -> Option<u8> {
    let m = parse_ip(mask)?;
    let len = m.leading_ones();
    (m.checked_shl(len).unwrap_or(0) == 0 && len >= 1).then_some(len as u8)
}

fn mask(len: u8) -> u32 {
    if len == 0 {
        0
    } else {
        u32::MAX << (32 - len as u32)
    }
}

impl Cidr {
    /// A block from an address and prefix length.
    pub fn new(ip: u32, len: u8) -> Self {
        Cidr {
            base: ip & mask(len),
            len,
        }
    }

    /// Parses `a.b.c.d/n` (n in 0..=32). CloudStack refuses host bits set only in some places,
    /// so they are cleared here.
    pub fn parse(s: &str) -> Option<Self> {
        let (ip, len) = s.trim().split_once('/')?;
        let len: u8 = len.parse().ok()?;
        if len > 32 {
            return None;
        }
        Some(Cidr::new(parse_ip(ip)?, len))
    }

    pub fn netmask(&self) -> u32 {
        mask(self.len)
    }

    pub fn size(&self) -> u64 {
        1u64 << (32 - self.len as u32)
    }

    pub fn last(&self) -> u32 {
        self.base | !self.netmask()
    }

    pub fn contains_ip(&self, ip: u32) -> bool {
        ip & self.netmask() == self.base
    }

    /// Is `other` entirely inside this block?
    pub fn contains(&self, other: &Cidr) -> bool {
        other.len >= self.len && self.contains_ip(other.base)
    }

    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.contains(other) || other.contains(self)
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", Ipv4Addr::from(self.base), self.len)
    }
}

/// Checks a comma-separated CIDR list: every entry must parse. Returns the normalised text.
pub(crate) fn cidr_list(value: &str) -> Result<Vec<Cidr>, String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| Cidr::parse(c).ok_or_else(|| c.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_compares() {
        let a = Cidr::parse("10.1.0.0/16").unwrap();
        let b = Cidr::parse("10.1.2.7/24").unwrap();
        assert_eq!(b.to_string(), "10.1.2.0/24");
        assert!(a.contains(&b) && a.overlaps(&b) && b.overlaps(&a));
        assert!(!b.contains(&a));
        let c = Cidr::parse("10.2.0.0/24").unwrap();
        assert!(!a.overlaps(&c));
        assert_eq!(netmask_len("255.255.255.0"), Some(24));
        assert_eq!(netmask_len("255.0.255.0"), None);
        assert!(Cidr::parse("10.0.0.0/33").is_none());
        assert!(cidr_list("0.0.0.0/0, 1.2.3.4/32").is_ok());
        assert_eq!(cidr_list("1.2.3/8").unwrap_err(), "1.2.3/8");
    }
}
