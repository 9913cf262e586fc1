//! Line icons drawn for the console (24×24, stroked with the current text colour).

use yew::prelude::*;

/// Every icon the console uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    Dashboard,
    Server,
    Kubernetes,
    Database,
    Network,
    Storage,
    Activity,
    Receipt,
    Handshake,
    Palette,
    Users,
    Tree,
    Key,
    Shield,
    Plug,
    Alert,
    Sun,
    Moon,
    Info,
    Close,
    Cloud,
    Check,
    ArrowRight,
    Play,
    Square,
    Refresh,
    Trash,
    Plus,
    Search,
    Power,
    Edit,
    Move,
    LogOut,
    Lock,
    User,
    Pause,
    Download,
    Printer,
}

impl Icon {
    fn paths(self) -> &'static [&'static str] {
        match self {
            Self::Dashboard => &[
                "M3 3h7v9H3z",
                "M14 3h7v5h-7z",
                "M14 12h7v9h-7z",
                "M3 16h7v5H3z",
            ],
            Self::Server => &[
                "M5 4h14a2 2 0 0 1 2 2v3a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
                "M5 13h14a2 2 0 0 1 2 2v3a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-3a2 2 0 0 1 2-2z",
                "M7 7.5h.01",
                "M7 16.5h.01",
            ],
            Self::Kubernetes => &[
                "M12 2l8.5 4.9v9.8L12 21.6l-8.5-4.9V6.9z",
                "M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6z",
                "M12 2v7",
                "M12 15v6.6",
                "M3.5 6.9l6 3.5",
                "M14.5 13.6l6 3.1",
            ],
            Self::Database => &[
                "M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3z",
                "M4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6",
                "M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3",
            ],
            Self::Network => &[
                "M12 2.5a2.5 2.5 0 1 0 0 5a2.5 2.5 0 1 0 0-5z",
                "M5 16.5a2.5 2.5 0 1 0 0 5a2.5 2.5 0 1 0 0-5z",
                "M19 16.5a2.5 2.5 0 1 0 0 5a2.5 2.5 0 1 0 0-5z",
                "M12 7.5v4.5M12 12l-5.5 5M12 12l5.5 5",
            ],
            Self::Storage => &[
                "M4 12h16a2 2 0 0 1 2 2v4a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2v-4a2 2 0 0 1 2-2z",
                "M2 14l3.5-8h13L22 14",
                "M6 16h.01M10 16h.01",
            ],
            Self::Activity => &["M22 12h-4l-3 9L9 3l-3 9H2"],
            Self::Receipt => &[
                "M5 3h14v18l-3-2-2 2-2-2-2 2-2-2-3 2z",
                "M9 8h6M9 12h6M9 16h4",
            ],
            Self::Handshake => &[
                "M5 7h14a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V9a2 2 0 0 1 2-2z",
                "M9 7V5a2 2 0 0 1 2-2h2a2 2 0 0 1 2 2v2",
                "M3 13h18",
            ],
            Self::Palette => &[
                "M12 3a9 9 0 1 0 0 18c1.1 0 1.5-.8 1.5-1.6 0-.9-.7-1.4-.7-2.2 0-.9.7-1.6 1.6-1.6H17a4 4 0 0 0 4-4c0-4.7-4-8.6-9-8.6z",
                "M7.5 11h.01M10 7h.01M15 7.5h.01",
            ],
            Self::Users => &[
                "M9 4.5a3.5 3.5 0 1 0 0 7a3.5 3.5 0 1 0 0-7z",
                "M2.5 20a6.5 6.5 0 0 1 13 0",
                "M16 4.5a3.5 3.5 0 0 1 0 7",
                "M18 14.5a5.5 5.5 0 0 1 3.5 5.5",
            ],
            Self::Tree => &[
                "M10 2h4a1 1 0 0 1 1 1v3a1 1 0 0 1-1 1h-4a1 1 0 0 1-1-1V3a1 1 0 0 1 1-1z",
                "M3 17h4a1 1 0 0 1 1 1v3a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1v-3a1 1 0 0 1 1-1z",
                "M17 17h4a1 1 0 0 1 1 1v3a1 1 0 0 1-1 1h-4a1 1 0 0 1-1-1v-3a1 1 0 0 1 1-1z",
                "M12 7v5M5 17v-3h14v3",
            ],
            Self::Key => &[
                "M7.5 11a4.5 4.5 0 1 0 0 9a4.5 4.5 0 1 0 0-9z",
                "M10.7 12.3L21 2",
                "M16 7l3 3M18.5 4.5l2 2",
            ],
            Self::Shield => &[
                "M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z",
                "M9 12l2 2 4-4",
            ],
            Self::Plug => &["M9 2v6M15 2v6", "M6 8h12v4a6 6 0 0 1-12 0z", "M12 18v4"],
            Self::Alert => &["M12 3l10 18H2z", "M12 10v4M12 17.5h.01"],
            Self::Sun => &[
                "M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8z",
                "M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4",
            ],
            Self::Moon => &["M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z"],
            Self::Info => &["M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z", "M12 16v-4M12 8h.01"],
            Self::Close => &["M18 6L6 18M6 6l12 12"],
            Self::Cloud => &["M17.5 19a4.5 4.5 0 1 0-1.4-8.8A6 6 0 0 0 4.5 12 3.5 3.5 0 0 0 5 19z"],
            Self::Check => &["M20 6L9 17l-5-5"],
            Self::ArrowRight => &["M5 12h14M13 6l6 6-6 6"],
            Self::Play => &["M7 4.5v15l12-7.5z"],
            Self::Square => &["M6 6h12v12H6z"],
            Self::Refresh => &["M20 11a8 8 0 1 0-2.3 5.7", "M20 4v7h-7"],
            Self::Trash => &[
                "M4 7h16",
                "M9 7V4h6v3",
                "M6 7l1 13h10l1-13",
                "M10 11v6M14 11v6",
            ],
            Self::Plus => &["M12 5v14M5 12h14"],
            Self::Search => &["M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14z", "M20 20l-4-4"],
            Self::Power => &["M12 3v9", "M6.3 6.3a8 8 0 1 0 11.4 0"],
            Self::Edit => &["M4 20h4L19 9l-4-4L4 16z", "M13.5 6.5l4 4"],
            Self::Move => &[
                "M5 9l-3 3 3 3M9 5l3-3 3 3M15 19l-3 3-3-3M19 9l3 3-3 3",
                "M2 12h20M12 2v20",
            ],
            Self::LogOut => &[
                "M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4",
                "M16 17l5-5-5-5",
                "M21 12H9",
            ],
            Self::Lock => &["M5 11h14v10H5z", "M8 11V7a4 4 0 0 1 8 0v4"],
            Self::User => &["M12 3a4 4 0 1 0 0 8a4 4 0 1 0 0-8z", "M4 21a8 8 0 0 1 16 0"],
            Self::Pause => &["M8 5v14M16 5v14"],
            Self::Download => &["M12 4v11", "M7 10l5 5 5-5", "M5 20h14"],
            Self::Printer => &[
                "M7 9V3h10v6",
                "M7 17H5a2 2 0 0 1-2-2v-4a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v4a2 2 0 0 1-2 2h-2",
                "M7 14h10v7H7z",
            ],
        }
    }

    /// The icon as inline SVG.
    pub fn render(self) -> Html {
        html! {
            <svg class="icon" viewBox="0 0 24 24" width="18" height="18" fill="none"
                 stroke="currentColor" stroke-width="1.75" stroke-linecap="round"
                 stroke-linejoin="round" aria-hidden="true">
                { for self.paths().iter().map(|d| html! { <path d={*d} /> }) }
            </svg>
        }
    }
}
