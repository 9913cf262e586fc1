//! A read-only table of one cached list (clusters, networks, addresses, volumes): filter as you
//! type, sort by any column, readable offline.

use crate::components::icons::Icon;
use crate::components::toast::use_toaster;
use crate::format::{memory_text, short_time, state_class};
use crate::hooks::use_live;
use crate::services::invoke;
use akashone_types::commands as cmd;
use akashone_types::{CachedList, Reachability};
use std::cmp::Ordering;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// How a column's text is shown.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Show {
    Text,
    Mono,
    State,
    /// A byte count, shown in GB.
    Bytes,
    /// MiB, shown as memory.
    #[allow(dead_code)] // no list shows one since Kubernetes got its own page
    MiB,
    /// An RFC 3339 time, shown in local time.
    Time,
    /// A count.
    #[allow(dead_code)] // no list shows one since Kubernetes got its own page
    Number,
}

/// One column: the row key, its heading, how it is shown.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Col(pub &'static str, pub &'static str, pub Show);

#[derive(Properties, PartialEq)]
pub struct CachedTableProps {
    pub kind: &'static str,
    pub title: &'static str,
    pub columns: &'static [Col],
    pub empty: &'static str,
}

fn cell(show: Show, text: &str) -> Html {
    match show {
        _ if text.is_empty() => html! { <span class="muted">{"—"}</span> },
        Show::Mono => html! { <span class="mono">{ text }</span> },
        Show::State => html! { <span class={state_class(text)}>{ text }</span> },
        Show::Bytes => {
            let gb = text
                .parse::<i64>()
                .map(|b| b / (1 << 30))
                .unwrap_or_default();
            html! { { format!("{gb} GB") } }
        }
        Show::MiB => {
            html! { { text.parse::<i64>().map(memory_text).unwrap_or_else(|_| text.to_owned()) } }
        }
        Show::Time => html! { { short_time(text) } },
        Show::Text | Show::Number => html! { { text } },
    }
}

fn compare(a: &str, b: &str) -> Ordering {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.total_cmp(&y),
        _ => a.to_lowercase().cmp(&b.to_lowercase()),
    }
}

#[component]
pub fn CachedTable(props: &CachedTableProps) -> Html {
    let live = use_live();
    let toaster = use_toaster();
    let list = use_state(|| None::<CachedList>);
    let filter = use_state(String::new);
    let sort = use_state(|| (0usize, false));
    let connected = live
        .status
        .as_ref()
        .is_some_and(|s| s.reachability != Reachability::NotConnected);

    {
        let list = list.clone();
        let kind = props.kind;
        use_effect_with((live.data_version, connected), move |(_, connected)| {
            if *connected {
                spawn_local(async move {
                    match invoke(&cmd::CachedList { kind: kind.into() }).await {
                        Ok(l) => list.set(Some(l)),
                        Err(e) => toaster.error(e),
                    }
                });
            }
        });
    }
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            filter.set(input.value());
        })
    };

    let Some(data) = (*list).clone() else {
        return html! { <div class="card muted">{"Loading…"}</div> };
    };
    let needle = filter.trim().to_lowercase();
    let mut rows: Vec<_> = data
        .rows
        .iter()
        .filter(|r| {
            needle.is_empty()
                || props.columns.iter().any(|c| {
                    r.get(c.0)
                        .is_some_and(|v| v.to_lowercase().contains(&needle))
                })
        })
        .collect();
    let (by, desc) = *sort;
    if let Some(Col(key, ..)) = props.columns.get(by) {
        rows.sort_by(|a, b| {
            let o = compare(
                a.get(*key).map(String::as_str).unwrap_or(""),
                b.get(*key).map(String::as_str).unwrap_or(""),
            );
            if desc { o.reverse() } else { o }
        });
    }
    let grid = format!(
        "grid-template-columns: {}",
        props
            .columns
            .iter()
            .map(|c| match c.2 {
                Show::Number | Show::Bytes | Show::MiB => "minmax(70px, 0.6fr)",
                Show::State => "110px",
                Show::Time => "140px",
                _ => "minmax(90px, 1fr)",
            })
            .collect::<Vec<_>>()
            .join(" ")
    );

    html! {
        <div class="cached" data-list={props.kind}>
            <div class="toolbar">
                <h3 class="section-title">{ props.title }</h3>
                <span class="toolbar-fill"></span>
                <label class="search small-search">
                    { Icon::Search.render() }
                    <input placeholder="Filter" value={(*filter).clone()} oninput={on_filter} />
                </label>
                <span class="small muted list-count">
                    { match (rows.len(), data.rows.len()) {
                        (1, 1) => "1 item".to_owned(),
                        (n, all) if n == all => format!("{n} items"),
                        (n, all) => format!("{n} of {all}"),
                    } }
                    { data.last_synced.as_deref().map(|t| format!(" · synced {}", short_time(t))).unwrap_or_else(|| " · not synced yet".into()) }
                </span>
            </div>
            if let Some(e) = &data.last_error {
                <div class="banner banner-warn">{ Icon::Alert.render() }<span>{ format!("The last sync of this list failed: {e}. Showing what was synced before.") }</span></div>
            }
            <div class="card table">
                <div class="table-row table-head" style={grid.clone()}>
                    { for props.columns.iter().enumerate().map(|(i, c)| {
                        let sort = sort.clone();
                        let arrow = if by == i { if desc { " ↓" } else { " ↑" } } else { "" };
                        let numeric = matches!(c.2, Show::Number | Show::Bytes | Show::MiB);
                        html! {
                            <button class={classes!("sortable", numeric.then_some("c-num"), (by == i).then_some("sorted"))}
                                    onclick={Callback::from(move |_| sort.set(if by == i { (i, !desc) } else { (i, false) }))}>
                                { c.1 }{ arrow }
                            </button>
                        }
                    }) }
                </div>
                if rows.is_empty() {
                    <div class="table-empty muted">{ if data.rows.is_empty() { props.empty } else { "Nothing matches this filter." } }</div>
                }
                { for rows.iter().map(|r| html! {
                    <div class="table-row" style={grid.clone()} data-row={r.get(props.columns[0].0).cloned().unwrap_or_default()}>
                        { for props.columns.iter().map(|c| {
                            let numeric = matches!(c.2, Show::Number | Show::Bytes | Show::MiB);
                            html! { <span class={classes!("vm-cell", numeric.then_some("c-num"))}>{ cell(c.2, r.get(c.0).map(String::as_str).unwrap_or("")) }</span> }
                        }) }
                    </div>
                }) }
            </div>
        </div>
    }
}
