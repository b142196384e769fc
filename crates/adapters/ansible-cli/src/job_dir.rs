//! A run's private directory: made 0700 with its files 0600 (the inventory may hold
//! passwords), and removed when the run ends unless the hub keeps job directories.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

const DIR_MODE: u32 = 0o700;
const FILE_MODE: u32 = 0o600;
/// A run whose natural name is taken (a kept directory of an earlier attempt) tries the
/// name with a counter; past this many something else is wrong.
const MAX_ATTEMPTS: u32 = 100;

/// The run's directory; removed on drop unless kept.
#[derive(Debug)]
pub(crate) struct JobDir {
    path: PathBuf,
    keep: bool,
}

impl JobDir {
    /// Makes `<root>/<name>` (or `<name>-2`, …), and `root` itself when missing. The
    /// path is absolute even when `root` is not (taken against the working directory now):
    /// a run starts its program in this directory and passes it paths inside it, which a
    /// relative path would resolve a second time.
    pub(crate) fn create(root: &Path, name: &str, keep: bool) -> io::Result<Self> {
        let root = std::path::absolute(root)?;
        DirBuilder::new()
            .recursive(true)
            .mode(DIR_MODE)
            .create(&root)?;
        for attempt in 1..=MAX_ATTEMPTS {
            let candidate = if attempt == 1 {
                root.join(name)
            } else {
                root.join(format!("{name}-{attempt}"))
            };
            match make_private_dir(&candidate) {
                Ok(()) => {
                    return Ok(Self {
                        path: candidate,
                        keep,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{MAX_ATTEMPTS} directories named {name} already exist"),
        ))
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// A subdirectory, 0700.
    pub(crate) fn subdir(&self, name: &str) -> io::Result<PathBuf> {
        let path = self.path.join(name);
        make_private_dir(&path)?;
        Ok(path)
    }

    /// Writes a new file (never over an existing one), 0600.
    pub(crate) fn write_file(&self, relative: &str, contents: &str) -> io::Result<PathBuf> {
        let path = self.path.join(relative);
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(FILE_MODE)
            .open(&path)?;
        // The mode given at creation is narrowed by the umask, never widened: this is
        // already private; set it exactly anyway so what is on disk is what we say.
        file.set_permissions(fs::Permissions::from_mode(FILE_MODE))?;
        file.write_all(contents.as_bytes())?;
        file.sync_data()?;
        Ok(path)
    }
}

impl Drop for JobDir {
    fn drop(&mut self) {
        if self.keep {
            return;
        }
        if let Err(e) = fs::remove_dir_all(&self.path) {
            // Not the run's failure: its result stands; the operator learns of the leftover.
            tracing::warn!(path = %self.path.display(), error = %e, "could not remove a job directory");
        }
    }
}

fn make_private_dir(path: &Path) -> io::Result<()> {
    DirBuilder::new().mode(DIR_MODE).create(path)?;
    fs::set_permissions(path, fs::Permissions::from_mode(DIR_MODE))
}

#[cfg(test)]
mod tests {
    use super::JobDir;

    #[test]
    fn a_run_directory_under_a_relative_root_is_absolute() {
        // A relative root, as `HUB_DATA_DIR=./data` gives: inside the working directory.
        let root = tempfile::tempdir_in(".").expect("a directory here");
        let relative = std::path::Path::new(root.path().file_name().expect("a name"));
        assert!(relative.is_relative());
        let dir = JobDir::create(relative, "job-1-1", false).expect("made");
        assert!(dir.path().is_absolute(), "{}", dir.path().display());
        assert!(dir.path().is_dir());
        assert_eq!(
            dir.path().canonicalize().expect("exists"),
            root.path().join("job-1-1").canonicalize().expect("exists")
        );
    }
}
