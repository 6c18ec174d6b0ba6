"""A Deno kernel session driven through jupyter_client, as the notebook page drives it.

Shared by the kernel checks (kernel_interrupt_check.py, kernel_rerun_kernel49_check.py): starts
the kernel of the kernelspec on JUPYTER_PATH in the project root, runs cells and presses Interrupt
while one runs.
"""

import queue
import re
import sys
import time

from jupyter_client import KernelManager

ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


class KernelSession:
    """One kernel: `run` executes a cell; `check` prints a line and stops the session on a failure."""

    def __init__(self, root):
        self.km = KernelManager(kernel_name="deno")
        self.km.start_kernel(cwd=root)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)

    def run(self, code, timeout=120, interrupt_when=None, quiet_s=0.5):
        """Executes `code`; returns (stdout, stderr, error "Name: message" or None, result or None).

        The result is its text/plain, without colours.

        `interrupt_when`: Interrupt (SIGINT, the kernelspec's interrupt_mode) once stdout shows it.
        Returns once the cell is idle, its shell reply is in and iopub has been quiet for `quiet_s`:
        the Deno kernel can report `idle` before all of a cell's outputs have arrived (its
        `execute_result` among them), as scripts/notebook_runner.py found; returning at `idle` made
        kernel_interrupt_check.py fail about once in ten runs on a loaded machine. A kernel that
        dies is a failure naming the cell.
        """
        msg_id = self.kc.execute(code)
        started, stdout, stderr, error, result = time.time(), "", "", None, None
        idle, replied, interrupted, last_message_at = False, False, False, time.time()
        while True:
            if not self.km.is_alive():
                self.fail(f"the kernel died running {code[:60]!r} (stdout {stdout!r})")
            now = time.time()
            if now - started > timeout:
                self.fail(f"no answer within {timeout} s to {code[:60]!r}")
            if idle and replied and now - last_message_at >= quiet_s:
                return stdout, stderr, error, result
            try:
                reply = self.kc.get_shell_msg(timeout=0.05)
                if reply["parent_header"].get("msg_id") == msg_id:
                    replied = True
            except queue.Empty:
                pass
            try:
                message = self.kc.get_iopub_msg(timeout=0.05)
            except queue.Empty:
                continue
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            last_message_at = time.time()
            kind, content = message["msg_type"], message["content"]
            if kind == "stream" and content["name"] == "stderr":
                stderr += content["text"]
            elif kind == "stream":
                stdout += content["text"]
                if interrupt_when and not interrupted and interrupt_when in stdout:
                    self.km.interrupt_kernel()
                    interrupted = True
            elif kind == "error":
                error = content["ename"] + ": " + content["evalue"]
            elif kind == "execute_result":
                # Without the colours Deno's inspect puts in the plain text (`\x1b[32m"text"\x1b[39m`).
                result = ANSI_COLOUR.sub("", content["data"].get("text/plain", ""))
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True

    def check(self, condition, what):
        if not condition:
            self.fail(what)
        print("ok: " + what, flush=True)

    def fail(self, what):
        print("FAIL: " + what, flush=True)
        self.close()
        sys.exit(1)

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
