//! Request parameters: an ordered list of `name=value` pairs with lower-case names.

/// A value that can be sent as a CloudStack parameter.
pub trait ToParam {
    /// The wire form of the value.
    fn to_param(&self) -> String;
}

impl ToParam for str {
    fn to_param(&self) -> String {
        self.to_owned()
    }
}
impl ToParam for String {
    fn to_param(&self) -> String {
        self.clone()
    }
}
impl ToParam for bool {
    fn to_param(&self) -> String {
        if *self { "true" } else { "false" }.to_owned()
    }
}
macro_rules! to_param_display {
    ($($t:ty),*) => { $(impl ToParam for $t { fn to_param(&self) -> String { self.to_string() } })* };
}
to_param_display!(i32, i64, u16, u32, u64, usize);

/// Lists are sent comma-separated, as CloudStack expects for `ids`, `networkids`...
impl<T: ToParam> ToParam for Vec<T> {
    fn to_param(&self) -> String {
        self.iter()
            .map(ToParam::to_param)
            .collect::<Vec<_>>()
            .join(",")
    }
}
impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> String {
        (**self).to_param()
    }
}

/// Request parameters. Names are lower-cased when added (the server binds names
/// case-insensitively but signs them as sent, so one spelling avoids surprises); setting a name
/// twice replaces the value.
///
/// ```
/// use akashone_cloudstack::Params;
/// let p = Params::new().with("zoneId", "z1").with("listall", true);
/// assert_eq!(p.get("zoneid"), Some("z1"));
/// assert_eq!(p.get("listall"), Some("true"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// No parameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `name` (lower-cased) to `value`, replacing an earlier value.
    pub fn set(&mut self, name: &str, value: impl ToParam) -> &mut Self {
        let name = name.to_lowercase();
        let value = value.to_param();
        if let Some(slot) = self.pairs.iter_mut().find(|(k, _)| *k == name) {
            slot.1 = value;
        } else {
            self.pairs.push((name, value));
        }
        self
    }

    /// Builder form of [`Params::set`].
    #[must_use]
    pub fn with(mut self, name: &str, value: impl ToParam) -> Self {
        self.set(name, value);
        self
    }

    /// Sets the parameter only when `value` is `Some`.
    pub fn set_opt<T: ToParam>(&mut self, name: &str, value: Option<T>) -> &mut Self {
        if let Some(v) = value {
            self.set(name, v);
        }
        self
    }

    /// Adds a map parameter the way CloudStack reads it: `name[0].key=value` for each entry
    /// (e.g. `details[0].cpunumber=2`).
    pub fn set_map<K: AsRef<str>, V: ToParam>(
        &mut self,
        name: &str,
        entries: &[(K, V)],
    ) -> &mut Self {
        for (k, v) in entries {
            self.set(&format!("{name}[0].{}", k.as_ref()), v.to_param());
        }
        self
    }

    /// Adds a list-of-maps parameter: `name[i].key=value` for each map `i`
    /// (e.g. `tags[0].key=env&tags[0].value=prod`).
    pub fn set_map_list<K: AsRef<str>, V: ToParam>(
        &mut self,
        name: &str,
        maps: &[Vec<(K, V)>],
    ) -> &mut Self {
        for (i, map) in maps.iter().enumerate() {
            for (k, v) in map {
                self.set(&format!("{name}[{i}].{}", k.as_ref()), v.to_param());
            }
        }
        self
    }

    /// The value of a parameter (name matched case-insensitively).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Removes a parameter, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        let i = self
            .pairs
            .iter()
            .position(|(k, _)| k.eq_ignore_ascii_case(name))?;
        Some(self.pairs.remove(i).1)
    }

    /// True when a parameter is set.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Adds all parameters of `other` (its values win).
    pub fn extend(&mut self, other: &Params) -> &mut Self {
        for (k, v) in &other.pairs {
            self.set(k, v.as_str());
        }
        self
    }

    /// The pairs, in insertion order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

impl<K: AsRef<str>, V: ToParam> FromIterator<(K, V)> for Params {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut p = Params::new();
        for (k, v) in iter {
            p.set(k.as_ref(), v);
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_cases_and_replaces() {
        let mut p = Params::new();
        p.set("zoneId", "a").set("ZONEID", "b");
        assert_eq!(p.pairs(), &[("zoneid".to_owned(), "b".to_owned())]);
        p.set("ids", vec!["x", "y"]);
        assert_eq!(p.get("ids"), Some("x,y"));
        p.set_map("details", &[("cpuNumber", 2)]);
        assert_eq!(p.get("details[0].cpunumber"), Some("2"));
        assert_eq!(p.remove("zoneid").as_deref(), Some("b"));
        assert_eq!(p.len(), 2);
    }
}
