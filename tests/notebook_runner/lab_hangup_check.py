#!/usr/bin/python3
"""Closing the terminal of `./run.sh lab` (tests/notebook_runner/lab_lifecycle_test.ts).

Runs the lab command on a pseudo-terminal it controls, as a shell in a terminal window does, waits
for the URL, notes the Jupyter process (the launcher's child), then closes the terminal: the kernel
sends SIGHUP to the launcher and every later write to the terminal fails (EIO). Prints one JSON
line: the launcher's exit status, the Jupyter pid, and whether Jupyter was still running afterwards
(then it is stopped here, so the check leaves nothing behind).

  lab_hangup_check.py COMMAND [ARGS...]
"""

import fcntl
import json
import os
import select
import signal
import subprocess
import sys
import termios
import time


def controlling_terminal():
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry))
        except FileNotFoundError:
            pass
    return found


master, terminal = os.openpty()
launcher = subprocess.Popen(
    sys.argv[1:], stdin=terminal, stdout=terminal, stderr=terminal,
    preexec_fn=controlling_terminal,
)
os.close(terminal)
shown = b""
deadline = time.time() + 90
while b"Ctrl-C stops" not in shown and time.time() < deadline and launcher.poll() is None:
    if select.select([master], [], [], 0.2)[0]:
        try:
            shown += os.read(master, 4096)
        except OSError:
            break
servers = children(launcher.pid)
if b"Ctrl-C stops" not in shown or len(servers) != 1:
    launcher.send_signal(signal.SIGINT)
    launcher.wait(60)
    print(json.dumps({"error": "the lab did not start", "output": shown.decode(errors="replace")}))
    sys.exit(1)
server = servers[0]
os.close(master)  # the terminal window closes
try:
    status = launcher.wait(60)
except subprocess.TimeoutExpired:
    launcher.kill()
    status = launcher.wait()
for _ in range(30):
    if not alive(server):
        break
    time.sleep(0.1)
left_running = alive(server)
if left_running:
    os.killpg(server, signal.SIGTERM)  # Jupyter leads its own session; it stops its kernels
    for _ in range(200):
        if not alive(server):
            break
        time.sleep(0.1)
    else:
        os.killpg(server, signal.SIGKILL)
print(json.dumps({"launcherStatus": status, "serverPid": server, "serverLeftRunning": left_running}))
