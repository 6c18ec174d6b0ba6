#!/usr/bin/python3
"""The project's Deno kernel as a researcher uses it (tests/notebook_runner/kernel_rerun_kernel49_test.ts).

A notebook that imports mod.ts and never calls initBackend (01_data_tour) lost its kernel to
Jupyter's Interrupt until 2026-12-07: the SIGINT listener was installed by initBackend only.
Checks, in one kernel: Interrupt during a cell that only imported mod.ts keeps the kernel and its
variables (the cell runs on); a library loop started without a backend stops with
InterruptedError; then cells run again as researchers do: the same cell twice, a const cell edited
and run again, a cell run before the one that defines its variable, the set-up cell run again with
another backend (a warning says it is not applied); Restart & Run All. One "ok:" line per check; exit status 1 on the
first failure.

  kernel_rerun_kernel49_check.py PROJECT_ROOT
"""

import re
import sys

# The shared module is imported from this folder: no __pycache__ may be left in the checkout.
sys.dont_write_bytecode = True
from _kernel_session import KernelSession  # noqa: E402

session = KernelSession(sys.argv[1])
run, check = session.run, session.check
IMPORT_CELL = (
    'import { initBackend, InterruptedError } from "./mod.ts";\n'
    "const kept = 42;\n"
    "const pid = Deno.pid;"
)
try:
    _, _, error, _ = run(IMPORT_CELL)
    check(error is None, f"a cell imports mod.ts, no initBackend ({error})")
    stdout, stderr, error, result = run(
        'console.log("waiting"); await new Promise((resolve) => setTimeout(resolve, 2000)); "waited"',
        interrupt_when="waiting",
    )
    check(error is None and result is not None and "waited" in result, f"Interrupt keeps the kernel; the waiting cell runs on ({error}, {result})")
    check("interrupt: a training or an evaluation stops" in stderr and "other code runs on" in stderr, f"the cell says what Interrupt does ({stderr!r})")
    _, _, error, _ = run(
        'import { EventLoopTurns } from "./lib/util/mod.ts";\n'
        "const turns = new EventLoopTurns(0);\n"
        'console.log("looping");\n'
        "for (;;) await turns.yieldIfDue();",
        interrupt_when="looping",
    )
    check(error is not None and error.startswith("InterruptedError"), f"a library loop, no backend, stops with InterruptedError ({error})")
    _, _, error, result = run("[Deno.pid === pid, kept].join(' ')")
    check(error is None and result is not None and "true 42" in result, f"same kernel, variables kept ({result}, {error})")
    _, _, error, _ = run(IMPORT_CELL)
    check(error is None, f"the import cell run again: its consts are declared again ({error})")
    _, _, error, result = run("const kept = 43;\nkept")
    check(error is None and result is not None and "43" in result, f"a const cell edited and run again takes the new value ({result}, {error})")
    _, _, error, _ = run("definedLater + 1")
    check(error == "ReferenceError: definedLater is not defined", f"a cell run before the one defining its variable names it ({error})")
    _, _, error, result = run('(await initBackend({ backend: "cpu", blas: false, verbose: false })).backend')
    check(error is None and result is not None and "cpu" in result, f"initBackend chooses cpu ({result}, {error})")
    _, stderr, error, result = run('(await initBackend({ backend: "wasm", verbose: false })).backend')
    check(
        error is None and result is not None and "cpu" in result
        and 'BackendConfig.backend "wasm" is not applied: this process already chose "cpu"' in stderr,
        f"the set-up cell edited to another backend and run again keeps cpu and says so ({result}, {stderr!r})",
    )
    # Restart & Run All: a new kernel process runs the cells in order, as on a first run.
    _, _, _, old_pid = run("String(pid)")
    session.km.restart_kernel(now=True)
    session.kc.wait_for_ready(timeout=120)
    _, _, error, _ = run(IMPORT_CELL)
    _, _, error_after, result = run("[pid, kept].join(' ')")
    numbers = re.findall(r"\d+", result or "")
    check(
        error is None and error_after is None and numbers[-1:] == ["42"] and numbers[0] != re.findall(r"\d+", old_pid)[0],
        f"Restart & Run All: a new kernel runs the cells again ({old_pid} then {result}, {error}, {error_after})",
    )
finally:
    session.close()
