//! Small helpers shared by the commands: dates, paging and list bodies.

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::format_description;

use crate::error::ApiError;
use crate::params::Params;

/// CloudStack's date format, `2021-10-04T09:24:38+0000` (always UTC here).
pub(crate) fn ts(t: OffsetDateTime) -> String {
    let f = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]+0000");
    t.to_offset(time::UtcOffset::UTC)
        .format(&f)
        .unwrap_or_default()
}

/// The window of a list: `(offset, limit)`, following BaseListCmd's rules.
pub(crate) fn paging(p: &Params, max: usize) -> Result<(usize, usize), ApiError> {
    let page = p.int("page")?;
    let size = p.int("pagesize")?;
    match (page, size) {
        (None, None) => Ok((0, max)),
        (Some(_), Some(-1)) => Err(ApiError::invalid(
            "Can't specify page parameter when pagesize is -1 (Unlimited)",
        )),
        (None, Some(-1)) => Ok((0, usize::MAX)),
        (Some(_), None) => Err(ApiError::invalid(
            "\"page\" parameter is specified but \"pagesize\" is missing",
        )),
        (None, Some(_)) => Err(ApiError::invalid(
            "\"pagesize\" parameter is specified but \"page\" is missing",
        )),
        (Some(page), Some(size)) => {
            if size > max as i64 {
                return Err(ApiError::invalid(format!(
                    "Page size can't exceed max allowed page size value: {max}"
                )));
            }
            if size < 1 {
                return Err(ApiError::invalid("Page size must be greater than 0"));
            }
            if page < 1 {
                return Err(ApiError::invalid("Page number must be greater than 0"));
            }
            let offset = (page as usize - 1).saturating_mul(size as usize);
            Ok((offset, size as usize))
        }
    }
}

/// Pages matching items and renders only the visible ones.
pub(crate) fn page_of<T, F>(
    p: &Params,
    max: usize,
    key: &str,
    matching: &[T],
    render: F,
) -> Result<Value, ApiError>
where
    F: FnMut(&T) -> Value,
{
    let (offset, limit) = paging(p, max)?;
    let items: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(limit)
        .map(render)
        .collect();
    Ok(list_body(key, matching.len(), items))
}

/// `{"count":N,"<key>":[...]}`, or `{}` for an empty result.
pub(crate) fn list_body(key: &str, total: usize, items: Vec<Value>) -> Value {
    if total == 0 {
        return json!({});
    }
    if items.is_empty() {
        return json!({ "count": total });
    }
    let mut m = serde_json::Map::new();
    m.insert("count".into(), json!(total));
    m.insert(key.into(), Value::Array(items));
    Value::Object(m)
}

/// Does `text` contain `keyword`, ignoring case?
pub(crate) fn keyword_match(keyword: Option<&str>, texts: &[&str]) -> bool {
    match keyword {
        None => true,
        Some(k) => {
            let k = k.to_lowercase();
            texts.iter().any(|t| t.to_lowercase().contains(&k))
        }
    }
}

/// `{"success":true}` for delete-type results.
pub(crate) fn success() -> Value {
    json!({ "success": true })
}

/// Parses a usage date (`yyyy-MM-dd` or `yyyy-MM-dd HH:mm:ss`), in UTC.
pub(crate) fn parse_date(value: &str) -> Option<OffsetDateTime> {
    let day = format_description!("[year]-[month]-[day]");
    let full = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    if let Ok(dt) = time::PrimitiveDateTime::parse(value, &full) {
        return Some(dt.assume_utc());
    }
    time::Date::parse(value, &day)
        .ok()
        .map(|d| d.midnight().assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_rules() {
        let p = |pairs: &[(&str, &str)]| Params::from_pairs(pairs);
        assert_eq!(paging(&p(&[]), 500).unwrap(), (0, 500));
        assert_eq!(
            paging(&p(&[("page", "3"), ("pagesize", "10")]), 500).unwrap(),
            (20, 10)
        );
        assert_eq!(
            paging(&p(&[("pagesize", "-1")]), 500).unwrap(),
            (0, usize::MAX)
        );
        assert_eq!(paging(&p(&[("page", "1")]), 500).unwrap_err().code, 431);
        assert_eq!(paging(&p(&[("pagesize", "5")]), 500).unwrap_err().code, 431);
        assert_eq!(
            paging(&p(&[("page", "1"), ("pagesize", "501")]), 500)
                .unwrap_err()
                .code,
            431
        );
        assert_eq!(
            paging(&p(&[("page", "x"), ("pagesize", "5")]), 500)
                .unwrap_err()
                .code,
            431
        );
    }

    #[test]
    fn dates() {
        let t = parse_date("2025-06-01").unwrap();
        assert_eq!(ts(t), "2025-06-01T00:00:00+0000");
        assert!(parse_date("2025-06-01 10:11:12").is_some());
        assert!(parse_date("June").is_none());
    }
}
