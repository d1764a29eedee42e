//! Reading a regrtest log from a local file or standard input (`bbreport log FILE`): no server,
//! no cache. The file is streamed through `model::log_file` in fixed pieces, so its size does
//! not matter and it is never held whole.

use std::io::{ErrorKind, Read};
use std::path::Path;

use crate::error::Error;
use crate::model::log_file::LogFileParser;
use crate::model::regrtest::LogSummary;

/// The size of each read (and of the only buffer the file passes through).
const PIECE_BYTES: usize = 256 * 1024;

/// What was read.
#[derive(Debug)]
pub struct LogFile {
    pub bytes: u64,
    pub summary: LogSummary,
}

/// Read and parse the whole log: `-` is standard input, anything else a path. Errors (all
/// [`Error::ReadFile`], exit 9, with a hint): the path does not exist, is a directory, cannot be
/// opened (permissions), the file is gzip or zip, or a read fails midway.
pub fn read(file: &str) -> Result<LogFile, Error> {
    if file == "-" {
        if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            crate::stderr::note("reading the log from standard input (end it with Ctrl-D)");
        }
        return read_from(std::io::stdin().lock(), "standard input");
    }
    let what = format!("log file {file}");
    let path = Path::new(file);
    let opened = std::fs::metadata(path).and_then(|m| {
        if m.is_dir() {
            Err(std::io::Error::from(ErrorKind::IsADirectory))
        } else if is_device(&m) {
            // `/dev/zero` never ends and `/dev/tty` waits for a person: neither is a log.
            // A pipe (`<(…)`) is read like a file.
            Err(std::io::Error::other("it is a device, not a file"))
        } else {
            std::fs::File::open(path)
        }
    });
    match opened {
        Ok(f) => read_from(f, &what),
        Err(e) => Err(open_error(what, &e)),
    }
}

/// A character or block device.
#[cfg(unix)]
fn is_device(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    m.file_type().is_char_device() || m.file_type().is_block_device()
}

#[cfg(not(unix))]
fn is_device(_: &std::fs::Metadata) -> bool {
    false
}

fn open_error(what: String, e: &std::io::Error) -> Error {
    let (message, hint) = match e.kind() {
        ErrorKind::NotFound => (
            "no such file".to_string(),
            "check the path; `bbreport log -` reads the log from standard input",
        ),
        ErrorKind::IsADirectory => (
            "it is a directory".to_string(),
            "give the log file itself: the test step's stdio download, a GitHub Actions job \
             log, or saved `python -m test` output",
        ),
        ErrorKind::PermissionDenied => (
            "permission denied".to_string(),
            "check the file's permissions (and those of its directories)",
        ),
        _ if e.to_string() == "it is a device, not a file" => (
            e.to_string(),
            "give a log file, or `-` to read standard input",
        ),
        _ => (e.to_string(), "check the path and the file system"),
    };
    Error::ReadFile {
        what,
        message,
        hint: Some(hint.to_string()),
    }
}

/// Stream `input` through the parser. A compressed file is refused with what to do instead:
/// parsed as text it would read as a log without regrtest output.
fn read_from(mut input: impl Read, what: &str) -> Result<LogFile, Error> {
    let mut parser = LogFileParser::default();
    let mut buf = vec![0u8; PIECE_BYTES];
    let mut first = true;
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(Error::ReadFile {
                    what: what.to_string(),
                    message: format!("{e} (after {} bytes)", parser.bytes()),
                    hint: None,
                });
            }
        };
        if std::mem::take(&mut first)
            && let Some((format, hint)) = compressed(&buf[..n])
        {
            return Err(Error::ReadFile {
                what: what.to_string(),
                message: format!("it is {format}, not a text log"),
                hint: Some(hint.to_string()),
            });
        }
        parser.push(&buf[..n]);
    }
    Ok(LogFile {
        bytes: parser.bytes(),
        summary: parser.finish(),
    })
}

/// The archive formats logs are downloaded in, by their first bytes.
fn compressed(start: &[u8]) -> Option<(&'static str, &'static str)> {
    if start.starts_with(&[0x1f, 0x8b]) {
        Some((
            "gzip-compressed",
            "decompress it first: gzip -dc FILE | bbreport log -",
        ))
    } else if start.starts_with(b"PK\x03\x04") {
        Some((
            "a zip archive (GitHub Actions' log download is one)",
            "give one job's log from it: unzip -p ARCHIVE 'JOB/STEP.txt' | bbreport log -",
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_is_read_whole_in_pieces_and_archives_are_refused() {
        let log = "Run 1 test sequentially\n0:00:01 [1/1/1] test_a failed\n";
        let read = read_from(log.as_bytes(), "standard input").expect("read");
        assert_eq!(read.bytes, log.len() as u64);
        assert_eq!(read.summary.failed, ["test_a"]);
        for archive in [&[0x1f, 0x8b, 8, 0][..], b"PK\x03\x04rest"] {
            let e = read_from(archive, "log file x").expect_err("an archive");
            assert_eq!(e.exit_code(), crate::exit_code::LOCAL_FILES);
            assert!(e.hint().is_some_and(|h| h.contains("bbreport log -")));
        }
    }
}
