use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The UI colour scheme. Dark is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Dark background, light text (the default).
    #[default]
    Dark,
    /// Light background, dark text.
    Light,
}

impl Theme {
    /// The other theme.
    pub fn toggled(self) -> Self {
        match self {
            Self::Dark => Self::Light,
            Self::Light => Self::Dark,
        }
    }

    /// The wire name, also used as the `data-theme` attribute in the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dark => "dark",
            Self::Light => "light",
        }
    }
}

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Returned when a string names no theme.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown theme {0:?}: expected \"dark\" or \"light\"")]
pub struct UnknownTheme(pub String);

impl FromStr for Theme {
    type Err = UnknownTheme;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "dark" => Ok(Self::Dark),
            "light" => Ok(Self::Light),
            other => Err(UnknownTheme(other.to_owned())),
        }
    }
}

/// Per-user desktop settings, persisted by the shell.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The colour scheme.
    pub theme: Theme,
}

/// Facts about the running application, for the about box and the status bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppInfo {
    /// Product name, e.g. "AkashOne Console".
    pub product: String,
    /// The application version (from Cargo).
    pub version: String,
    /// The legal entity behind the product.
    pub company: String,
    /// The product's web address, without scheme.
    pub website: String,
    /// Where the desktop app keeps its settings and cache on this machine.
    pub data_dir: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_round_trips_and_defaults_to_dark() {
        assert_eq!(Theme::default(), Theme::Dark);
        assert_eq!("light".parse::<Theme>().unwrap(), Theme::Light);
        assert_eq!(Theme::Light.toggled(), Theme::Dark);
        assert!("Dark".parse::<Theme>().is_err());
        let s: Settings = serde_json::from_str("{}").unwrap();
        assert_eq!(s.theme, Theme::Dark);
    }
}
