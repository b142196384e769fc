//! Settings made whole once, at start-up: every path absolute, the database URL fixed, the
//! listen address checked. Everything after start-up (job runs that change their working
//! directory, the doctor, log lines) then sees one meaning of each setting.

use super::Settings;
use std::path::{Path, PathBuf};
use store_diesel::DatabaseUrl;

/// `path` against the working directory, unless it is absolute already.
fn absolute(setting: &str, path: &Path) -> Result<PathBuf, String> {
    std::path::absolute(path).map_err(|e| {
        format!(
            "{setting}: cannot make {} absolute (is the working directory gone?): {e}",
            path.display()
        )
    })
}

/// A program setting: a bare name (`ansible-playbook`) is looked up on `PATH` when run and
/// stays as it is; anything with a directory in it is a path, made absolute.
fn program(setting: &str, program: &Path) -> Result<PathBuf, String> {
    if program.components().count() > 1 {
        absolute(setting, program)
    } else {
        Ok(program.to_path_buf())
    }
}

impl Settings {
    /// These settings with every path absolute against the working directory of now:
    /// `HUB_DATA_DIR` (so the SQLite file, the job directories, the secret key and the
    /// first-run token under it), a SQLite `HUB_DATABASE_URL` (or `DATABASE_URL`), and a
    /// `HUB_ANSIBLE_PLAYBOOK` given as a path. The database URL is fixed here too, so that
    /// `DATABASE_URL` is read once. Errors: a URL that is not one, or a path that cannot
    /// be made absolute, named by its setting.
    pub fn resolved(mut self) -> Result<Self, String> {
        self.data_dir = absolute("HUB_DATA_DIR", &self.data_dir)?;
        self.ansible_playbook = program("HUB_ANSIBLE_PLAYBOOK", &self.ansible_playbook)?;
        let url = match self.database_url()? {
            DatabaseUrl::Sqlite(path) => format!(
                "sqlite://{}",
                absolute("HUB_DATABASE_URL", &path)?.display()
            ),
            DatabaseUrl::Postgres(url) => url,
        };
        self.database_url = Some(url);
        Ok(self)
    }
}

/// `HUB_BIND`: `HOST:PORT` with an IP address (`[::1]:8000` for IPv6) or a host name, and a
/// port number. Read when the command line is parsed, so that a wrong one stops every
/// command before anything is opened or started.
pub fn parse_bind(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    if raw.parse::<std::net::SocketAddr>().is_ok() {
        return Ok(raw.to_owned());
    }
    let expected = "expected HOST:PORT, e.g. 127.0.0.1:8000, 0.0.0.0:8000 or [::1]:8000";
    let Some((host, port)) = raw.rsplit_once(':') else {
        return Err(format!("{raw:?} has no port: {expected}"));
    };
    if port.parse::<u16>().is_err() {
        return Err(format!(
            "{port:?} is not a port number (0-65535): {expected}"
        ));
    }
    if !is_host_name(host) {
        return Err(format!(
            "{host:?} is neither an IP address nor a host name: {expected}"
        ));
    }
    Ok(raw.to_owned())
}

/// A DNS name: dot-separated labels of letters, digits and inner hyphens, at most 253
/// characters. (An IPv6 address without brackets, or with a port that is not one, ends up
/// here and fails.)
fn is_host_name(host: &str) -> bool {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    !host.is_empty() && host.len() <= 253 && host.split('.').all(label_ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_host_names_with_a_port_are_accepted() {
        for ok in [
            "127.0.0.1:8000",
            "0.0.0.0:0",
            "[::1]:8000",
            "[::]:80",
            "localhost:8000",
            "hub.example.com:443",
        ] {
            assert_eq!(parse_bind(ok).as_deref(), Ok(ok), "{ok}");
        }
    }

    #[test]
    fn anything_else_is_refused_saying_what_is_expected() {
        for bad in [
            "nonsense",
            "127.0.0.1",
            "127.0.0.1:",
            "127.0.0.1:99999",
            "127.0.0.1:http",
            ":8000",
            "::1:8000",
            "bad host:8000",
            "-x:8000",
            "a..b:8000",
        ] {
            let e = parse_bind(bad).expect_err(bad);
            assert!(e.contains("HOST:PORT"), "{bad}: {e}");
        }
    }

    fn settings(args: &[&str]) -> Settings {
        use clap::Parser;
        let mut argv = vec!["control-hub"];
        argv.extend_from_slice(args);
        super::super::Cli::try_parse_from(argv)
            .expect("parses")
            .settings
    }

    #[test]
    fn relative_paths_become_absolute_against_the_working_directory() {
        let cwd = std::env::current_dir().expect("cwd");
        let s = settings(&[
            "--data-dir",
            "./data",
            "--ansible-playbook",
            "venv/bin/ansible-playbook",
            "--database-url",
            "sqlite://db/hub.db",
        ])
        .resolved()
        .expect("resolves");
        assert_eq!(s.data_dir, cwd.join("data"));
        assert_eq!(s.ansible_playbook, cwd.join("venv/bin/ansible-playbook"));
        assert_eq!(
            s.database_url(),
            DatabaseUrl::parse(&format!("sqlite://{}", cwd.join("db/hub.db").display()))
        );
    }

    #[test]
    fn the_default_database_is_an_absolute_file_in_the_data_directory() {
        let s = settings(&["--data-dir", "rel"])
            .resolved()
            .expect("resolves");
        let cwd = std::env::current_dir().expect("cwd");
        assert_eq!(
            s.database_url(),
            DatabaseUrl::parse(&format!(
                "sqlite://{}",
                cwd.join("rel/control-hub.db").display()
            ))
        );
    }

    #[test]
    fn a_program_name_stays_a_name_and_absolute_paths_stay_as_they_are() {
        let s = settings(&[
            "--ansible-playbook",
            "ansible-playbook",
            "--data-dir",
            "/srv/hub",
            "--database-url",
            "postgres://u@h/db",
        ])
        .resolved()
        .expect("resolves");
        assert_eq!(s.ansible_playbook, PathBuf::from("ansible-playbook"));
        assert_eq!(s.data_dir, PathBuf::from("/srv/hub"));
        assert_eq!(s.database_url.as_deref(), Some("postgres://u@h/db"));
    }

    #[test]
    fn a_bind_address_that_is_none_fails_when_the_command_line_is_parsed() {
        use clap::Parser;
        let e = super::super::Cli::try_parse_from(["control-hub", "--bind", "nonsense", "doctor"])
            .expect_err("refused");
        assert!(e.to_string().contains("HOST:PORT"), "{e}");
    }
}
