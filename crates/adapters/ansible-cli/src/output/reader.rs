//! The thread that reads the process's output pipe.

use std::io::{self, Read};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread;

const READ_BYTES: usize = 16 * 1024;
/// Reads waiting for the run's thread; when it falls behind (a slow store) the pipe fills
/// and ansible-playbook waits, instead of the hub's memory growing.
const QUEUED_READS: usize = 64;

/// What the reader sends: bytes, or why reading stopped early. The channel closing is the
/// end of the stream.
pub(crate) type PipeRead = io::Result<Vec<u8>>;

/// Starts reading `source` until its end; the receiver gets each read.
pub(crate) fn spawn_reader(
    mut source: impl Read + Send + 'static,
) -> io::Result<Receiver<PipeRead>> {
    let (tx, rx) = sync_channel(QUEUED_READS);
    thread::Builder::new()
        .name("ansible-output".into())
        .spawn(move || pump(&mut source, &tx))?;
    Ok(rx)
}

fn pump(source: &mut impl Read, tx: &SyncSender<PipeRead>) {
    let mut buf = vec![0u8; READ_BYTES];
    loop {
        match source.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => {
                if tx.send(Ok(buf[..n].to_vec())).is_err() {
                    // The run stopped listening; nothing left to deliver to.
                    return;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                let _ = tx.send(Err(e));
                return;
            }
        }
    }
}
