//! Throwaway OpenSSH servers on loopback ports, for connectivity tests: each [`Sshd`] runs
//! `/usr/sbin/sshd -D -e -f <generated config>` with a generated host key in a directory of
//! its own, lets the [`TestUser`] in by password and by the keys it is given, and is killed
//! on drop. Where sshd (or the root rights to make the test user) is missing, [`Sshd::start`]
//! skips loudly, or fails under `HUB_REQUIRE_SSHD=1`.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const SSHD: &str = "/usr/sbin/sshd";
const FLAG: &str = "HUB_REQUIRE_SSHD";

/// The account the servers let in; made (idempotently) by the first test that needs it.
pub const TEST_USER: &str = "hubtest";
/// Its password. Tests check that it never shows in an answer.
pub const TEST_PASSWORD: &str = "hubtest-Pw-4c1d9e";

fn run(program: &str, args: &[&str], stdin: Option<&str>) -> Result<String, String> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{program}: {e}"))?;
    if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
        std::io::Write::write_all(&mut pipe, text.as_bytes()).map_err(|e| e.to_string())?;
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{program} {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Makes the test user (no home, a shell) and sets its password; once per process.
fn ensure_test_user() -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        if run("id", &["-u", TEST_USER], None).is_err() {
            run("useradd", &["-M", "-s", "/bin/sh", TEST_USER], None)?;
        }
        run(
            "chpasswd",
            &[],
            Some(&format!("{TEST_USER}:{TEST_PASSWORD}\n")),
        )?;
        // sshd refuses to start without its privilege separation directory.
        std::fs::create_dir_all("/run/sshd").map_err(|e| format!("/run/sshd: {e}"))?;
        Ok(())
    })
    .clone()
}

/// Whether servers can be started here; `Err` says why not.
fn available() -> Result<(), String> {
    if !Path::new(SSHD).exists() {
        return Err(format!("{SSHD} is not installed"));
    }
    run("ssh-keygen", &["-?"], None).or_else(|e| {
        if e.contains("usage") {
            Ok(String::new())
        } else {
            Err(e)
        }
    })?;
    ensure_test_user()
}

/// A key pair made with ssh-keygen, in a directory that lives as long as it does.
#[derive(Debug)]
pub struct KeyPair {
    pub private: PathBuf,
    /// The public key line, for authorized_keys.
    pub public: String,
    _dir: tempfile::TempDir,
}

impl KeyPair {
    /// An ed25519 key, encrypted with `passphrase` when one is given.
    pub fn generate(passphrase: Option<&str>) -> Result<Self, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let private = dir.path().join("id_ed25519");
        keygen(&private, passphrase.unwrap_or(""))?;
        let public =
            std::fs::read_to_string(private.with_extension("pub")).map_err(|e| e.to_string())?;
        Ok(Self {
            private,
            public: public.trim().to_owned(),
            _dir: dir,
        })
    }
}

fn keygen(path: &Path, passphrase: &str) -> Result<(), String> {
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_file(path.with_extension("pub"));
    let path = path.to_string_lossy();
    run(
        "ssh-keygen",
        &[
            "-q", "-t", "ed25519", "-N", passphrase, "-C", "hub-test", "-f", &path,
        ],
        None,
    )
    .map(|_| ())
}

/// `SHA256:…` of a public key file, as ssh-keygen prints it.
fn fingerprint_of(public: &Path) -> Result<String, String> {
    let line = run("ssh-keygen", &["-l", "-f", &public.to_string_lossy()], None)?;
    line.split_whitespace()
        .nth(1)
        .map(str::to_owned)
        .ok_or_else(|| format!("unexpected ssh-keygen -l output: {line}"))
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

/// An OpenSSH server on 127.0.0.1; killed on drop.
#[derive(Debug)]
pub struct Sshd {
    pub port: u16,
    /// The SHA-256 fingerprint of its current host key.
    pub fingerprint: String,
    child: Child,
    dir: tempfile::TempDir,
}

impl Sshd {
    /// A server that accepts [`TEST_USER`] by password and by any of `authorized` (public key
    /// lines). `None`, after the loud skip line, where no server can be had.
    pub fn start(authorized: &[&str]) -> Option<Self> {
        match Self::try_start(authorized) {
            Ok(sshd) => Some(sshd),
            Err(why) => {
                crate::unavailable(FLAG, "sshd", &why);
                None
            }
        }
    }

    fn try_start(authorized: &[&str]) -> Result<Self, String> {
        available()?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let keys: String = authorized.iter().map(|k| format!("{k}\n")).collect();
        std::fs::write(dir.path().join("authorized_keys"), keys).map_err(|e| e.to_string())?;
        keygen(&dir.path().join("host_ed25519"), "")?;
        let mut last = String::new();
        // A port found free can be taken before sshd binds it: try a few.
        for _ in 0..5 {
            let port = free_port()?;
            write_config(dir.path(), port)?;
            match spawn(dir.path(), port) {
                Ok(child) => {
                    let fingerprint = fingerprint_of(&dir.path().join("host_ed25519.pub"))?;
                    return Ok(Self {
                        port,
                        fingerprint,
                        child,
                        dir,
                    });
                }
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    /// Stops the server and starts it again on the same port with a new host key (what a
    /// reinstalled host, or a machine in the middle, looks like).
    pub fn restart_with_new_host_key(&mut self) -> Result<(), String> {
        self.stop();
        keygen(&self.dir.path().join("host_ed25519"), "")?;
        self.fingerprint = fingerprint_of(&self.dir.path().join("host_ed25519.pub"))?;
        let until = Instant::now() + Duration::from_secs(5);
        loop {
            match spawn(self.dir.path(), self.port) {
                Ok(child) => {
                    self.child = child;
                    return Ok(());
                }
                Err(e) if Instant::now() > until => return Err(e),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        self.stop();
    }
}

fn write_config(dir: &Path, port: u16) -> Result<(), String> {
    let d = dir.display();
    let config = format!(
        "Port {port}\n\
         ListenAddress 127.0.0.1\n\
         HostKey {d}/host_ed25519\n\
         PidFile {d}/sshd.pid\n\
         AuthorizedKeysFile {d}/authorized_keys\n\
         PasswordAuthentication yes\n\
         KbdInteractiveAuthentication no\n\
         PubkeyAuthentication yes\n\
         UsePAM no\n\
         StrictModes no\n\
         PermitRootLogin no\n\
         AllowUsers {TEST_USER}\n\
         MaxStartups 1000\n\
         MaxSessions 10\n\
         MaxAuthTries 10\n\
         LoginGraceTime 30\n\
         UseDNS no\n\
         LogLevel ERROR\n"
    );
    std::fs::write(dir.join("sshd_config"), config).map_err(|e| e.to_string())
}

/// Starts sshd and waits until it greets (an `SSH-` banner) on its port.
fn spawn(dir: &Path, port: u16) -> Result<Child, String> {
    let config = dir.join("sshd_config");
    let mut child = Command::new(SSHD)
        .args(["-D", "-e", "-f"])
        .arg(&config)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{SSHD}: {e}"))?;
    let until = Instant::now() + Duration::from_secs(5);
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            let check = run(SSHD, &["-t", "-f", &config.to_string_lossy()], None);
            return Err(format!("sshd exited ({status}): {check:?}"));
        }
        if greets(port) {
            return Ok(child);
        }
        if Instant::now() > until {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("sshd did not answer on port {port} within 5 s"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn greets(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let mut banner = [0u8; 4];
    stream.read_exact(&mut banner).is_ok() && &banner == b"SSH-"
}

/// A TCP listener that accepts connections and never says a word (a hung server), on a
/// loopback port; closed on drop.
#[derive(Debug)]
pub struct SilentListener {
    pub port: u16,
    _listener: TcpListener,
}

impl SilentListener {
    /// Connections complete in the kernel's backlog; nothing ever answers them.
    pub fn start() -> Result<Self, String> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        Ok(Self {
            port,
            _listener: listener,
        })
    }
}

/// A loopback port nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    free_port().unwrap_or(1)
}
