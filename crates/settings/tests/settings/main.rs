use akashone_settings::{FILE_NAME, SettingsFile};
use akashone_types::{ErrorCode, Theme};

#[test]
fn defaults_to_dark_and_persists_the_theme() {
    let dir = tempfile::tempdir().unwrap();
    let s = SettingsFile::open(dir.path()).unwrap();
    assert_eq!(s.get().theme, Theme::Dark);
    assert_eq!(s.set_theme("light").unwrap().theme, Theme::Light);
    drop(s);

    let reopened = SettingsFile::open(dir.path()).unwrap();
    assert_eq!(reopened.get().theme, Theme::Light);
    assert!(reopened.recovered().is_none());
}

#[test]
fn rejects_an_unknown_theme_and_keeps_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let s = SettingsFile::open(dir.path()).unwrap();
    s.set_theme("light").unwrap();
    let err = s.set_theme("purple").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("purple"), "{err}");
    assert_eq!(s.get().theme, Theme::Light);
    drop(s);
    assert_eq!(
        SettingsFile::open(dir.path()).unwrap().get().theme,
        Theme::Light
    );
}

#[test]
fn an_unreadable_file_is_moved_aside_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(FILE_NAME), b"{not json").unwrap();
    let s = SettingsFile::open(dir.path()).unwrap();
    assert_eq!(s.get().theme, Theme::Dark);
    let aside = s.recovered().expect("moved aside").to_owned();
    assert_eq!(std::fs::read(aside).unwrap(), b"{not json");
}

#[test]
fn a_folder_that_cannot_be_created_is_a_storage_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"x").unwrap();
    let err = SettingsFile::open(&blocker.join("sub")).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Storage);
}

#[test]
fn unknown_fields_from_a_newer_version_do_not_break_loading() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(FILE_NAME),
        br#"{"theme":"light","sidebar":"collapsed"}"#,
    )
    .unwrap();
    assert_eq!(
        SettingsFile::open(dir.path()).unwrap().get().theme,
        Theme::Light
    );
}
