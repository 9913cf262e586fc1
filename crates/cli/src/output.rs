//! Rendering results as a table, JSON or CSV.

use serde_json::Value;
use std::fmt::Write as _;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people.
    Table,
    /// Pretty-printed JSON (all fields).
    Json,
    /// Comma-separated values with a header row.
    Csv,
}

/// One cell's text: strings as they are, other scalars printed, nested values as compact JSON.
fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(other) => other.to_string(),
    }
}

/// Columns to show: the given ones, or every scalar field in order of first appearance.
fn columns(rows: &[Value], wanted: &[&str]) -> Vec<String> {
    if !wanted.is_empty() {
        return wanted.iter().map(|s| (*s).to_owned()).collect();
    }
    let mut cols: Vec<String> = Vec::new();
    for r in rows {
        if let Some(obj) = r.as_object() {
            for (k, v) in obj {
                if !v.is_object() && !v.is_array() && !cols.iter().any(|c| c == k) {
                    cols.push(k.clone());
                }
            }
        }
    }
    // Objects come with sorted keys: put the identifying columns first.
    let rank = |c: &String| match c.as_str() {
        "id" => 0,
        "name" => 1,
        _ => 2,
    };
    cols.sort_by_key(rank);
    cols
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Renders rows (JSON objects). `wanted` picks table/CSV columns; JSON shows whole rows.
pub fn render_rows(rows: &[Value], wanted: &[&str], format: Format) -> String {
    match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".into());
            s.push('\n');
            s
        }
        Format::Csv => {
            let cols = columns(rows, wanted);
            let mut out = String::new();
            out.push_str(
                &cols
                    .iter()
                    .map(|c| csv_field(c))
                    .collect::<Vec<_>>()
                    .join(","),
            );
            out.push('\n');
            for r in rows {
                let line: Vec<String> = cols.iter().map(|c| csv_field(&cell(r.get(c)))).collect();
                out.push_str(&line.join(","));
                out.push('\n');
            }
            out
        }
        Format::Table => {
            let cols = columns(rows, wanted);
            if rows.is_empty() {
                return "(no results)\n".to_owned();
            }
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    cols.iter()
                        .map(|c| cell(r.get(c)).replace(['\n', '\r'], " "))
                        .collect()
                })
                .collect();
            let mut widths: Vec<usize> = cols.iter().map(|c| c.chars().count()).collect();
            for row in &cells {
                for (w, c) in widths.iter_mut().zip(row) {
                    *w = (*w).max(c.chars().count());
                }
            }
            let mut out = String::new();
            let line = |out: &mut String, items: &[String]| {
                let mut l = String::new();
                for (i, (item, w)) in items.iter().zip(&widths).enumerate() {
                    if i > 0 {
                        l.push_str("  ");
                    }
                    let _ = write!(l, "{item:<w$}");
                }
                out.push_str(l.trim_end());
                out.push('\n');
            };
            let header: Vec<String> = cols.iter().map(|c| c.to_uppercase()).collect();
            line(&mut out, &header);
            for row in &cells {
                line(&mut out, row);
            }
            out
        }
    }
}

/// Renders a single object: JSON as is; table as KEY/VALUE lines; CSV as one row.
pub fn render_object(v: &Value, format: Format) -> String {
    match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Csv => render_rows(std::slice::from_ref(v), &[], Format::Csv),
        Format::Table => {
            let Some(obj) = v.as_object() else {
                return format!("{}\n", cell(Some(v)));
            };
            let width = obj.keys().map(|k| k.chars().count()).max().unwrap_or(0);
            let mut out = String::new();
            for (k, val) in obj {
                let _ = writeln!(out, "{k:<width$}  {}", cell(Some(val)));
            }
            out
        }
    }
}

/// Renders the answer of any command: a list answer (`{"count": n, "<items>": [...]}`) as rows,
/// anything else as an object.
pub fn render_answer(v: &Value, format: Format) -> String {
    if format != Format::Json
        && let Some(obj) = v.as_object()
    {
        let arrays: Vec<&Value> = obj.values().filter(|x| x.is_array()).collect();
        let only_list = obj.iter().all(|(k, x)| k == "count" || x.is_array());
        if arrays.len() == 1
            && only_list
            && let Some(rows) = arrays[0].as_array()
        {
            return render_rows(rows, &[], format);
        }
        // A single nested object (`{"virtualmachine": {...}}`): show that object.
        if obj.len() == 1
            && let Some(inner) = obj.values().next().filter(|x| x.is_object())
        {
            return render_object(inner, format);
        }
    }
    render_object(v, format)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn table_csv_json() {
        let rows = vec![
            json!({"id": "a", "name": "web, \"1\"", "n": 2, "nested": {"x": 1}}),
            json!({"id": "bb", "state": "Running"}),
        ];
        let t = render_rows(&rows, &[], Format::Table);
        assert_eq!(
            t,
            "ID  NAME      N  STATE\na   web, \"1\"  2\nbb               Running\n"
        );
        let c = render_rows(&rows, &["id", "name"], Format::Csv);
        assert_eq!(c, "id,name\na,\"web, \"\"1\"\"\"\nbb,\n");
        let j: Value = serde_json::from_str(&render_rows(&rows, &["id"], Format::Json)).unwrap();
        assert_eq!(j[0]["nested"]["x"], 1);
        assert_eq!(render_rows(&[], &["id"], Format::Table), "(no results)\n");
    }

    #[test]
    fn answers() {
        let list = json!({"count": 1, "zone": [{"id": "z", "name": "Mumbai"}]});
        assert_eq!(
            render_answer(&list, Format::Table),
            "ID  NAME\nz   Mumbai\n"
        );
        let job = json!({"jobid": "j1", "id": "v1"});
        assert_eq!(render_answer(&job, Format::Table), "id     v1\njobid  j1\n");
        let vm = json!({"virtualmachine": {"id": "v1"}});
        assert_eq!(render_answer(&vm, Format::Csv), "id\nv1\n");
    }
}
