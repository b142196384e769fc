//! From the process's pipe to the sink: bytes read on a thread of their own, decoded as
//! UTF-8, batched into chunks.

mod batch;
mod reader;
mod utf8;

pub(crate) use batch::Batcher;
pub(crate) use reader::{PipeRead, spawn_reader};
pub(crate) use utf8::Utf8Stream;
