//! Where an answer goes: a file, or standard output with colour when it is a terminal.

use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Writes to `path`, or to standard output when there is none; `write` is told whether it may
/// colour (only a terminal, and not when `NO_COLOR` is set). A closed pipe (`rampart scan |
/// head`) is not an error.
pub fn write_output(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write, bool) -> io::Result<()>,
) -> io::Result<()> {
    match path {
        Some(path) => {
            let cannot = |e: io::Error| {
                io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()))
            };
            let mut out = BufWriter::new(std::fs::File::create(path).map_err(cannot)?);
            write(&mut out, false)?;
            out.flush().map_err(cannot)
        }
        None => {
            let stdout = io::stdout();
            let color = anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never;
            let mut out = BufWriter::new(stdout.lock());
            match write(&mut out, color).and_then(|()| out.flush()) {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                other => other,
            }
        }
    }
}
