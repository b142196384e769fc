//! Name resolution and the TCP connect, both within the attempt's deadline.

use std::io;
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Why no TCP connection could be had.
#[derive(Debug)]
pub(crate) enum ConnectError {
    /// The deadline passed (resolving or connecting).
    TimedOut,
    /// Refused, unreachable, unresolvable: the sentence says which.
    Failed(String),
}

pub(crate) fn remaining(deadline: Instant) -> Option<Duration> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
}

/// The addresses of `host`. An IP literal needs no lookup; a name is looked up on a helper
/// thread so that a slow resolver cannot hold the attempt past its deadline (the thread
/// finishes on its own and its answer is dropped).
fn resolve(host: &str, port: u16, deadline: Instant) -> Result<Vec<SocketAddr>, ConnectError> {
    let literal = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = literal.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let (tx, rx) = mpsc::channel();
    let name = host.to_owned();
    std::thread::Builder::new()
        .name("ssh-resolve".to_owned())
        .spawn(move || {
            let _ = tx.send((name.as_str(), port).to_socket_addrs().map(Vec::from_iter));
        })
        .map_err(|e| ConnectError::Failed(format!("cannot resolve {host}: {e}")))?;
    let wait = remaining(deadline).ok_or(ConnectError::TimedOut)?;
    match rx.recv_timeout(wait) {
        Ok(Ok(addrs)) if !addrs.is_empty() => Ok(addrs),
        Ok(Ok(_)) => Err(ConnectError::Failed(format!("{host} has no address"))),
        Ok(Err(e)) => Err(ConnectError::Failed(format!("cannot resolve {host}: {e}"))),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(ConnectError::TimedOut),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err(ConnectError::Failed(format!("cannot resolve {host}")))
        }
    }
}

fn describe(e: &io::Error, addr: SocketAddr) -> String {
    match e.kind() {
        io::ErrorKind::ConnectionRefused => format!("connection refused by {addr}"),
        _ => format!("cannot connect to {addr}: {e}"),
    }
}

/// A connected stream to the first address of `host` that answers, each try bounded by
/// what is left of the deadline; read and write timeouts set to the same bound.
pub(crate) fn connect(host: &str, port: u16, deadline: Instant) -> Result<TcpStream, ConnectError> {
    let mut last = None;
    for addr in resolve(host, port, deadline)? {
        let wait = remaining(deadline).ok_or(ConnectError::TimedOut)?;
        match TcpStream::connect_timeout(&addr, wait) {
            Ok(stream) => {
                let _ = stream.set_nodelay(true);
                stream
                    .set_read_timeout(Some(wait))
                    .and_then(|()| stream.set_write_timeout(Some(wait)))
                    .map_err(|e| ConnectError::Failed(describe(&e, addr)))?;
                return Ok(stream);
            }
            Err(e) if e.kind() == io::ErrorKind::TimedOut => last = Some(ConnectError::TimedOut),
            Err(e) => last = Some(ConnectError::Failed(describe(&e, addr))),
        }
    }
    Err(last.unwrap_or_else(|| ConnectError::Failed(format!("{host} has no address"))))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_port_is_refused() {
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let deadline = Instant::now() + Duration::from_secs(2);
        match connect("127.0.0.1", port, deadline) {
            Err(ConnectError::Failed(m)) => assert!(m.contains("refused"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_past_deadline_times_out_before_connecting() {
        let result = connect("127.0.0.1", 22, Instant::now());
        assert!(matches!(result, Err(ConnectError::TimedOut)), "{result:?}");
    }
}
