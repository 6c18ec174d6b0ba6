#!/usr/bin/python3
"""Run All on the project's Deno kernel: every output lands in the cell that made it (a manual
check, not part of the test suite: the fault depends on timing, so a loaded machine can fail it
without a regression; see docs/notebooks.md, "Run All and where outputs land").

The classic notebook's Cell > Run All sends every cell's execute_request at once. The Deno kernel
(2.9.6) publishes a cell's display and stream messages from a queue, under the request that is
current when each message leaves the queue; a message still queued when the cell ends is published
under the next cell's request, and the page shows it in the next cell. A figure whose output
carries plotly.js (1.5 MB) keeps that queue busy long enough for the figures and lines after it to
move. This check queues a cell that shows three figures (the first with plotly.js), each followed
by a line, and a cell after it, as Run All does, and requires each output under its own cell's
request. Repeated in fresh kernels (`ROUNDS`), since the fault depends on timing. Prints one line
per round; exit status 1 on a misplaced output.

  JUPYTER_PATH=$PWD/.jupyter /usr/bin/python3 scripts/check_kernel_routing.py . [ROUNDS]
  (the kernelspec is written by `deno task notebooks --install-kernel`)
"""

import os
import queue
import sys
import time

from jupyter_client import KernelManager

ROOT = os.path.abspath(sys.argv[1])
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 3

IMPORT = f'import {{ display, trainingCurves }} from "{ROOT}/mod.ts";'
FIGURES = """
for (let i = 0; i < 3; i++) {
  await display(trainingCurves({ series: [{ name: "a", x: [1, 2], y: [1, i] }], title: `fig ${i}` }));
  console.log(`after fig ${i}`);
}
"""
NEXT = 'console.log("next cell");'


def collect(ids, timeout=120, quiet_s=1.0):
    """Outputs by parent msg_id until every request is idle and iopub has been quiet."""
    outputs = {msg_id: [] for msg_id in ids}
    idle, started, last = set(), time.time(), time.time()
    while True:
        now = time.time()
        if now - started > timeout:
            raise SystemExit(f"FAIL: no idle within {timeout} s")
        if idle >= set(ids) and now - last >= quiet_s:
            return outputs
        try:
            message = kc.get_iopub_msg(timeout=0.05)
        except queue.Empty:
            continue
        parent = message["parent_header"].get("msg_id")
        if parent not in outputs:
            continue
        last = time.time()
        kind, content = message["msg_type"], message["content"]
        if kind == "stream":
            outputs[parent] += [line for line in content["text"].splitlines() if line]
        elif kind == "display_data":
            outputs[parent].append(content["data"].get("text/plain", ""))
        elif kind == "error":
            outputs[parent].append("error: " + content["ename"] + ": " + content["evalue"])
        elif kind == "status" and content["execution_state"] == "idle":
            idle.add(parent)


failed = False
for round_index in range(ROUNDS):
    km = KernelManager(kernel_name="deno")
    km.start_kernel(cwd=ROOT)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    try:
        collect([kc.execute(IMPORT)])
        # As Run All: both requests queued before the first one runs.
        figures, following = kc.execute(FIGURES), kc.execute(NEXT)
        outputs = collect([figures, following])
        expected_figures = [
            line
            for i in range(3)
            for line in (f"Figure: fig {i}", f"after fig {i}")
        ]
        ok = outputs[figures] == expected_figures and outputs[following] == ["next cell"]
        print(
            f"{'ok' if ok else 'FAIL'}: round {round_index + 1}: figures cell {outputs[figures]}, "
            f"next cell {outputs[following]}",
            flush=True,
        )
        failed = failed or not ok
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
sys.exit(1 if failed else 0)
