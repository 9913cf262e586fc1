//! Resident memory of a process and all its descendants (the app plus WebKit's processes),
//! read from `/proc` (Linux).

use std::collections::HashMap;
use std::fs;

/// One reading of a process tree.
#[derive(Debug, Clone, Default)]
pub struct TreeMemory {
    /// Processes in the tree: (pid, command name).
    pub processes: Vec<(u32, String)>,
    /// Sum of current resident set sizes (shared pages counted once per process), KiB.
    pub rss_kib: u64,
    /// Sum of each process's own peak resident size (`VmHWM`), KiB.
    pub hwm_kib: u64,
    /// Sum of proportional set sizes (shared pages split between sharers), KiB.
    pub pss_kib: u64,
}

/// `pid` and every process below it.
pub fn tree(pid: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    if let Ok(entries) = fs::read_dir("/proc") {
        for e in entries.flatten() {
            let Some(p) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            if let Some(ppid) = parent_of(p) {
                children.entry(ppid).or_default().push(p);
            }
        }
    }
    let mut out = vec![pid];
    let mut i = 0;
    while i < out.len() {
        if let Some(kids) = children.get(&out[i]) {
            out.extend(kids);
        }
        i += 1;
    }
    out
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces: parse after the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

fn status_kib(pid: u32, field: &str) -> u64 {
    fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn pss_kib(pid: u32) -> u64 {
    fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Reads the memory of `pid`'s whole tree now.
pub fn read(pid: u32) -> TreeMemory {
    let mut m = TreeMemory::default();
    for p in tree(pid) {
        let name = fs::read_to_string(format!("/proc/{p}/comm"))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default();
        m.rss_kib += status_kib(p, "VmRSS:");
        m.hwm_kib += status_kib(p, "VmHWM:");
        m.pss_kib += pss_kib(p);
        m.processes.push((p, name));
    }
    m
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_this_process() {
        let m = super::read(std::process::id());
        assert!(m.rss_kib > 0 && m.hwm_kib >= m.rss_kib / 2, "{m:?}");
        assert_eq!(m.processes[0].0, std::process::id());
    }
}
