//! The key inventory secrets are sealed with: `HUB_SECRET_KEY`, else `$HUB_DATA_DIR/secret-key`
//! (created 0600 on first start, never logged). Rotation writes the new key beside the old one
//! first, so that a crash between re-sealing and replacing the file loses nothing.

use crate::config::Settings;
use crate::private_files;
use std::path::PathBuf;
use store_diesel::secrets::SecretKey;

/// Where the key comes from.
#[derive(Debug)]
pub enum KeySource {
    Environment,
    File(PathBuf),
}

fn key_file(settings: &Settings) -> PathBuf {
    settings.data_dir.join("secret-key")
}

/// The file a rotation writes before it re-seals.
pub fn pending_file(settings: &Settings) -> PathBuf {
    settings.data_dir.join("secret-key.new")
}

fn read_key(path: &std::path::Path) -> Result<SecretKey, String> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(format!(
            "{} is a symbolic link; refusing to use it",
            path.display()
        ));
    }
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    SecretKey::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The configured key, creating the key file on a first start without one.
pub fn load_or_create(settings: &Settings) -> Result<(SecretKey, KeySource), String> {
    if let Some(text) = settings
        .secret_key
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        let key = SecretKey::parse(text).map_err(|e| format!("HUB_SECRET_KEY: {e}"))?;
        return Ok((key, KeySource::Environment));
    }
    let path = key_file(settings);
    if std::fs::symlink_metadata(&path).is_ok() {
        return Ok((read_key(&path)?, KeySource::File(path)));
    }
    let key = SecretKey::generate();
    private_files::write_secret(&path, &key.encode())
        .map_err(|e| format!("writing {}: {e}", path.display()))?;
    tracing::info!(path = %path.display(), "no secret key existed: created one (back it up with the database)");
    Ok((key, KeySource::File(path)))
}

/// The key a rotation left beside the old one, if a crash interrupted it.
pub fn pending(settings: &Settings) -> Option<SecretKey> {
    read_key(&pending_file(settings)).ok()
}

/// Makes the pending key the key file (the rotation's last step).
pub fn promote_pending(settings: &Settings) -> Result<(), String> {
    let (from, to) = (pending_file(settings), key_file(settings));
    std::fs::rename(&from, &to)
        .map_err(|e| format!("renaming {} to {}: {e}", from.display(), to.display()))
}

/// Writes `key` as the pending key, 0600.
pub fn write_pending(settings: &Settings, key: &SecretKey) -> Result<(), String> {
    let path = pending_file(settings);
    private_files::write_secret(&path, &key.encode())
        .map_err(|e| format!("writing {}: {e}", path.display()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use clap::Parser;
    use std::os::unix::fs::PermissionsExt;

    fn settings(dir: &std::path::Path, key: Option<&str>) -> Settings {
        let mut args = vec![
            "control-hub".to_owned(),
            "--data-dir".to_owned(),
            dir.display().to_string(),
        ];
        if let Some(key) = key {
            args.extend(["--secret-key".to_owned(), key.to_owned()]);
        }
        crate::config::Cli::try_parse_from(args).unwrap().settings
    }

    #[test]
    fn the_key_file_is_made_once_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let s = settings(dir.path(), None);
        let (first, _) = load_or_create(&s).unwrap();
        let path = dir.path().join("secret-key");
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let (again, source) = load_or_create(&s).unwrap();
        assert_eq!(first.id(), again.id());
        assert!(matches!(source, KeySource::File(_)));
    }

    #[test]
    fn a_bad_environment_key_names_the_setting() {
        let dir = tempfile::tempdir().unwrap();
        let err = load_or_create(&settings(dir.path(), Some("not-a-key"))).unwrap_err();
        assert!(err.starts_with("HUB_SECRET_KEY:"), "{err}");
        let key = SecretKey::generate();
        let (parsed, source) = load_or_create(&settings(dir.path(), Some(&key.encode()))).unwrap();
        assert_eq!(parsed.id(), key.id());
        assert!(matches!(source, KeySource::Environment));
        assert!(!dir.path().join("secret-key").exists());
    }
}
