//! Reading a password or a code: from a prompt on the terminal (the password without echo), or
//! one line of standard input when it is not a terminal (scripts: `echo "$PW" | akashone login`).

use crate::CliError;
use std::io::{BufRead, IsTerminal, Write};
use zeroize::Zeroizing;

/// Whether standard input is a terminal (a person can be asked).
pub fn interactive() -> bool {
    std::io::stdin().is_terminal()
}

/// One line of standard input without its line ending; `None` at the end of input.
pub fn read_line() -> Result<Option<Zeroizing<String>>, CliError> {
    let mut line = Zeroizing::new(String::new());
    let n = std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::Io(format!("cannot read standard input: {e}")))?;
    if n == 0 {
        return Ok(None);
    }
    let trimmed = line.trim_end_matches(['\n', '\r']).len();
    line.truncate(trimmed);
    Ok(Some(line))
}

/// Asks `question` on stderr and reads the answer from the terminal, with echo when `echo`.
pub fn ask(question: &str, echo: bool) -> Result<Option<Zeroizing<String>>, CliError> {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{question}");
    let _ = err.flush();
    let answer = if echo {
        read_line()
    } else {
        without_echo(read_line)
    };
    if !echo && cfg!(unix) {
        let _ = writeln!(err);
    }
    answer
}

#[cfg(unix)]
fn without_echo<T>(read: impl FnOnce() -> T) -> T {
    use rustix::termios::{LocalModes, OptionalActions, tcgetattr, tcsetattr};
    let stdin = std::io::stdin();
    let Ok(before) = tcgetattr(&stdin) else {
        return read();
    };
    let mut quiet = before.clone();
    quiet.local_modes.remove(LocalModes::ECHO);
    let _ = tcsetattr(&stdin, OptionalActions::Now, &quiet);
    let out = read();
    let _ = tcsetattr(&stdin, OptionalActions::Now, &before);
    out
}

#[cfg(not(unix))]
fn without_echo<T>(read: impl FnOnce() -> T) -> T {
    read()
}
