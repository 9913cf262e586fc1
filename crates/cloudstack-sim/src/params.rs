//! Request parameters: parsed like the management server's servlet, looked up case-insensitively.

use std::collections::HashMap;

use crate::error::ApiError;
use crate::signing::java_url_decode;

/// The parameters of one request.
#[derive(Debug, Default, Clone)]
pub(crate) struct Params {
    /// Names as sent, values decoded: what the signature covers.
    pairs: Vec<(String, String)>,
    /// Lower-cased name → index into `pairs`.
    index: HashMap<String, usize>,
    /// The lower-cased command name, used in error messages.
    pub(crate) command_lc: String,
}

impl Params {
    /// Parses a query string or a form body: split on `&`, then on the first `=`, both halves
    /// decoded with Java's URLDecoder. With `last_wins`, a repeated name replaces the earlier
    /// value (GET); otherwise the first value stays (servlet parameter maps).
    pub(crate) fn add_encoded(&mut self, raw: &str, last_wins: bool) {
        for part in raw.split('&') {
            if part.is_empty() {
                continue;
            }
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            let name = java_url_decode(name).unwrap_or_else(|| name.to_string());
            let value = java_url_decode(value).unwrap_or_else(|| value.to_string());
            self.insert(name, value, last_wins);
        }
    }

    fn insert(&mut self, name: String, value: String, last_wins: bool) {
        // The signature check sees a map keyed by the exact name.
        if let Some(pos) = self.pairs.iter().position(|(n, _)| *n == name) {
            if last_wins {
                self.pairs[pos].1 = value;
            }
            return;
        }
        let lc = name.to_lowercase();
        self.pairs.push((name, value));
        let idx = self.pairs.len() - 1;
        if last_wins || !self.index.contains_key(&lc) {
            self.index.insert(lc, idx);
        }
    }

    /// Builds parameters from already-decoded pairs (in-process use and tests).
    #[cfg(test)]
    pub(crate) fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        let mut p = Params::default();
        for (n, v) in pairs {
            p.insert((*n).to_string(), (*v).to_string(), true);
        }
        p
    }

    /// All pairs, as signed.
    pub(crate) fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// A parameter by lower-case name; empty values count as absent, as the server's binder does.
    pub(crate) fn get(&self, lc_name: &str) -> Option<&str> {
        self.raw(lc_name).filter(|v| !v.is_empty())
    }

    /// A parameter by lower-case name, empty or not.
    pub(crate) fn raw(&self, lc_name: &str) -> Option<&str> {
        self.index.get(lc_name).map(|&i| self.pairs[i].1.as_str())
    }

    /// A required parameter: missing gives the server's 431.
    pub(crate) fn required(&self, lc_name: &str) -> Result<&str, ApiError> {
        self.get(lc_name)
            .ok_or_else(|| ApiError::missing_param(&self.command_lc, lc_name))
    }

    /// A boolean parameter (Java `Boolean.parseBoolean`: only "true", any case, is true).
    pub(crate) fn flag(&self, lc_name: &str) -> Option<bool> {
        self.get(lc_name).map(|v| v.eq_ignore_ascii_case("true"))
    }

    /// A boolean parameter with a default.
    pub(crate) fn flag_or(&self, lc_name: &str, default: bool) -> bool {
        self.flag(lc_name).unwrap_or(default)
    }

    /// An integer parameter; a malformed value gives the server's 431.
    pub(crate) fn int(&self, lc_name: &str) -> Result<Option<i64>, ApiError> {
        match self.get(lc_name) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse::<i64>()
                .map(Some)
                .map_err(|_| ApiError::invalid_value(&self.command_lc, lc_name, v)),
        }
    }

    /// A comma-separated list parameter.
    pub(crate) fn list(&self, lc_name: &str) -> Vec<String> {
        self.get(lc_name)
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_the_servlet() {
        let mut p = Params::default();
        p.add_encoded(
            "command=listZones&zoneId=a%20b+c&x=1&x=2&empty=&novalue",
            true,
        );
        assert_eq!(p.get("command"), Some("listZones"));
        assert_eq!(p.get("zoneid"), Some("a b c"));
        assert_eq!(p.get("x"), Some("2"));
        assert_eq!(p.get("empty"), None);
        assert_eq!(p.raw("empty"), Some(""));
        assert_eq!(p.raw("novalue"), Some(""));
        let signed: Vec<_> = p.pairs().collect();
        assert!(signed.contains(&("zoneId", "a b c")));

        let mut first = Params::default();
        first.add_encoded("x=1&x=2", false);
        assert_eq!(first.get("x"), Some("1"));
    }
}
