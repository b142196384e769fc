//! The data directory and the files in it that hold secrets: created for the owner alone, and
//! never through a link someone else planted.

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Creates `dir` (and its parents) with mode 0700 when missing. An existing directory is
/// left as the operator made it; a warning says when others can read it.
pub fn ensure_private_dir(dir: &Path) -> std::io::Result<()> {
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let mode = std::fs::metadata(dir)?.permissions().mode();
    if mode & 0o077 != 0 {
        tracing::warn!(
            dir = %dir.display(),
            mode = format!("{:o}", mode & 0o777),
            "the data directory is open to other users; chmod 700 it"
        );
    }
    Ok(())
}

/// Creates `path` empty with mode 0600 unless it exists, so that SQLite (which keeps a file's
/// mode, and gives its WAL and shared-memory files the same) never makes it world-readable.
pub fn ensure_private_file(path: &Path) -> std::io::Result<()> {
    refuse_link(path)?;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Writes a secret to a new file readable by the owner only. A symbolic link at `path` is
/// refused, never followed; an old regular file is replaced, not written through.
pub fn write_secret(path: &Path, secret: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        ensure_private_dir(dir)?;
    }
    refuse_link(path)?;
    if path.exists() {
        std::fs::remove_file(path)?;
    }
    // O_CREAT | O_EXCL: fails on anything that appeared at `path` meanwhile, a link included.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    writeln!(file, "{secret}")?;
    file.sync_all()
}

fn refuse_link(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} is a symbolic link; refusing to use it", path.display()),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_private_and_never_written_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let token = data.join("admin-token");
        write_secret(&token, "s3cret").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&token), 0o600);
        assert_eq!(std::fs::read_to_string(&token).unwrap(), "s3cret\n");

        let target = dir.path().join("victim");
        std::fs::write(&target, "keep me").unwrap();
        std::fs::remove_file(&token).unwrap();
        std::os::unix::fs::symlink(&target, &token).unwrap();
        assert!(write_secret(&token, "other").is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    }

    #[test]
    fn the_database_file_is_created_private() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("hub.db");
        ensure_private_file(&db).unwrap();
        let mode = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
