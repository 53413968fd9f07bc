"""What the load benchmarks share: running `werkconferentie` commands, a free port, and reading a server's
process group from /proc (CPU time, memory). Scripts in bench/ import it as `serving` (bench/ is on sys.path
when a script of it runs)."""

import os
import re
import socket
import subprocess
import sys
from pathlib import Path


def werkconferentie(environment: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "werkconferentie", *args], env=environment, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"werkconferentie {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def group_processes(process_group: int) -> list[tuple[int, list[str]]]:
    """(pid, fields of /proc/pid/stat after the name) of every process of the group (Linux)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == process_group:  # state, ppid, pgrp, ..., utime (11), stime (12)
                found.append((int(entry.name), fields))
    return found


def server_cpu_seconds(process_group: int | None) -> float | None:
    if process_group is None or not Path("/proc/self/stat").exists():
        return None
    ticks = sum(int(fields[11]) + int(fields[12]) for _pid, fields in group_processes(process_group))
    return ticks / os.sysconf("SC_CLK_TCK")


def server_memory_mib(process_group: int | None) -> list[float]:
    """Resident memory of each process of the group, largest first."""
    if process_group is None or not Path("/proc/self/stat").exists():
        return []
    sizes = []
    for pid, _fields in group_processes(process_group):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        if found:
            sizes.append(int(found.group(1)) / 1024)
    return sorted(sizes, reverse=True)
