#!/usr/bin/python3
"""Jupyter's Interrupt on the project's Deno kernel, end to end (tests/notebook_runner/kernel_interrupt_test.ts).

Starts the kernel from the kernelspec on JUPYTER_PATH, defines a model in one cell, trains it in
the next and presses Interrupt (jupyter_client's interrupt_kernel, as the notebook page does) after
the first epoch. Checks: the training cell fails with InterruptedError; the kernel is the same
process and keeps its variables; no tensor is left over; an interrupt while idle stops nothing
later; a new training runs to its end (tfjs is intact); a second interrupt that nothing answered
exits the kernel with status 130. Prints one line per check; exit status 1 on the first failure.

  kernel_interrupt_check.py PROJECT_ROOT
"""

import queue
import sys
import time

# The shared module is imported from this folder: no __pycache__ may be left in the checkout.
sys.dont_write_bytecode = True
from _kernel_session import KernelSession  # noqa: E402

session = KernelSession(sys.argv[1])
km, kc, check = session.km, session.kc, session.check


def run(code, timeout=120, interrupt_when=None):
    """Executes `code` (KernelSession.run); returns (stdout and stderr, error or None, result or None)."""
    stdout, stderr, error, result = session.run(code, timeout=timeout, interrupt_when=interrupt_when)
    return stdout + stderr, error, result


try:
    _, error, _ = run(
        'import { initBackend, SequentialRecommender, trainModel } from "./mod.ts";\n'
        'import { tf } from "./lib/backend/tf.ts";\n'
        'import { cycleDataset, leaveOneOut } from "./tests/models/_fixtures.ts";\n'
        "await initBackend({ verbose: false });\n"
        "const split = leaveOneOut(cycleDataset(16, 20, 9), 10);\n"
        "const model = new SequentialRecommender(split.dataset, { dim: 16, maxLength: 10, seed: 1 });\n"
        "const tensorsBefore = tf.memory().numTensors;\n"
        "const pid = Deno.pid;"
    )
    check(error is None, f"setup cell ran ({error})")
    # A notebook's setup cell run again imports the library and calls initBackend again: the
    # listener, installed when the library was first loaded, is installed once (a second one would
    # find the first one's request unanswered and exit the kernel), and installKernelInterrupt says
    # it is installed.
    _, error, result = run(
        'import { installKernelInterrupt } from "./lib/util/interrupt.ts";\n'
        "await initBackend({ verbose: false });\n"
        "installKernelInterrupt()"
    )
    check(error is None and result is not None and "true" in result, f"installed once, and says so ({result}, {error})")
    text, error, _ = run(
        "await trainModel(model, split, { maxEpochs: 100000, batchSize: 4, patience: 100000 },"
        ' { onProgress: (p) => console.log(`epoch ${p.epoch} done`) });',
        timeout=60,
        interrupt_when="epoch 1 done",
    )
    check(error is not None and error.startswith("InterruptedError"), f"the training cell stopped with InterruptedError ({error})")
    epochs = text.count(" done")
    check(epochs < 50, f"it stopped soon after the interrupt ({epochs} epochs printed)")
    _, error, result = run("[Deno.pid === pid, tf.memory().numTensors - tensorsBefore].join(' ')")
    check(error is None and result is not None and "true 0" in result, f"same kernel, variables kept, no tensor left over ({result}, {error})")
    km.interrupt_kernel()  # while idle: must not stop the next training
    time.sleep(1)
    text, error, _ = run(
        "await trainModel(model, split, { maxEpochs: 3, batchSize: 4, patience: 3 },"
        ' { onProgress: (p) => console.log(`again ${p.epoch}`) });'
    )
    check(error is None and "again 3" in text, f"a new training runs to its end after an idle interrupt ({error})")
    # A cell that waits without a loop of the library: nothing answers the first interrupt, so a
    # second one within SECOND_INTERRUPT_SECONDS exits the kernel with 130, as a Deno process
    # without a listener would (mutation round NA, NA53: the status was not checked).
    msg_id = kc.execute('console.log("waiting"); await new Promise((resolve) => setTimeout(resolve, 60_000));')
    started = time.time()
    while time.time() - started < 30:
        try:
            message = kc.get_iopub_msg(timeout=0.1)
        except queue.Empty:
            continue
        content = message["content"]
        if message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "stream" and "waiting" in content["text"]:
            break
    km.interrupt_kernel()
    time.sleep(1)
    km.interrupt_kernel()
    process = km.provisioner.process
    started = time.time()
    while process.poll() is None and time.time() - started < 30:
        time.sleep(0.1)
    check(process.poll() == 130, f"a second unanswered interrupt exits the kernel with 130 ({process.poll()})")
finally:
    session.close()
