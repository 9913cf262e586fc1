//! The secret type.

use akashone_vault::Secret;

#[test]
fn debug_is_redacted() {
    let s = Secret::new("hunter2-very-secret");
    assert_eq!(format!("{s:?}"), "[redacted]");
    assert_eq!(
        format!("{:#?}", Some(s.clone())),
        "Some(\n    [redacted],\n)"
    );
    assert_eq!(s.expose(), "hunter2-very-secret");
    assert_eq!(s.len(), 19);
    assert!(!s.is_empty());
    let from: Secret = String::from("x").into();
    assert_eq!(from.expose(), "x");
}
