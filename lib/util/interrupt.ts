/**
 * Jupyter's Interrupt stops the library's long loops, not the kernel.
 *
 * Why (measured 2026-12-02 with `deno jupyter` 2.9.6 and jupyter_client 7.4): Jupyter interrupts a
 * kernel by sending it SIGINT (the kernelspec's default `interrupt_mode: "signal"`), and a Deno
 * process without a SIGINT listener exits on it: interrupting a training cell killed the kernel,
 * with every variable of the session, and left the cell's claim for the process check to clear.
 * The other mode, `"message"`, makes Deno terminate the running JavaScript wherever it is: the
 * kernel lived, but tfjs's engine was left inside an unfinished scope (the next training failed
 * with "Cannot find a connection between any variable and the result of the loss function") and
 * the cell's claim stayed held by the live kernel, so a rerun skipped the cell as "running".
 *
 * So in a kernel the library listens for SIGINT itself ({@linkcode installKernelInterrupt}, called
 * when this module is loaded: importing `mod.ts`, or any part of the library, in a kernel installs
 * it) and only records the request; the loops that already give the event loop a
 * turn once a second (training steps, evaluation chunks: `EventLoopTurns`) throw
 * {@linkcode InterruptedError} at their next turn, between two steps, where no tfjs scope is open.
 * The error unwinds through the ordinary `finally` blocks: tensors are disposed, a planned cell
 * gives up its claim and keeps its last epoch checkpoint, so running the cell again resumes it.
 * Code that never turns the event loop (a synchronous loop) cannot be stopped this way; a second
 * interrupt within {@linkcode SECOND_INTERRUPT_SECONDS} seconds that no loop has answered exits
 * the kernel, as before (Jupyter then restarts it).
 *
 * Installed on load, not by `initBackend` alone (as until 2026-12-07): a notebook that never calls
 * `initBackend` (01_data_tour), or one interrupted before its call, lost its kernel and every
 * variable to an Interrupt. Outside a kernel loading this module does nothing: a script or a test
 * keeps Ctrl-C's default (or its own listener, such as `releaseClaimsOnSignal`).
 *
 * @example
 * ```ts
 * const turns = new EventLoopTurns(); // remembers the interrupts requested so far
 * requestInterrupt();                 // what the kernel's SIGINT listener does
 * await turns.yieldIfDue();           // throws InterruptedError once its turn is due
 * ```
 */
import { jupyterOrNull } from "./jupyter.ts";

/** Seconds within which a second, unanswered interrupt exits the kernel. */
export const SECOND_INTERRUPT_SECONDS = 10;

/** Thrown by a loop of the library when Jupyter's Interrupt (SIGINT in a kernel) stopped it. */
export class InterruptedError extends Error {
  constructor() {
    super(
      "interrupted (Jupyter's Interrupt): stopped between two steps; tensors are freed, and a " +
        "planned cell gave up its claim and resumes from its last epoch checkpoint when run again",
    );
    this.name = "InterruptedError";
  }
}

let requested = 0;
let answered = 0;
let lastRequestAt = -Infinity;
let installed = false;

/**
 * Marks the start of a loop that stops on interrupts (`EventLoopTurns`) and returns the number of
 * interrupts requested so far, which the loop compares with at its turns. The earlier requests
 * count as answered: a second interrupt aimed at this loop must not exit the kernel.
 */
export function beginInterruptibleLoop(): number {
  answered = requested;
  return requested;
}

/**
 * Records an interrupt: every loop started before it stops at its next event-loop turn. What the
 * kernel's SIGINT listener calls; a program may call it too.
 */
export function requestInterrupt(): void {
  requested++;
  lastRequestAt = performance.now();
}

/**
 * Throws {@linkcode InterruptedError} when an interrupt was requested after `requestedAtStart`
 * (what {@linkcode beginInterruptibleLoop} returned when the loop began): interrupts of an earlier, idle
 * moment never stop a later loop.
 */
export function throwIfInterrupted(requestedAtStart: number): void {
  if (requested <= requestedAtStart) return;
  answered = requested;
  throw new InterruptedError();
}

/**
 * In a Jupyter kernel, installs the SIGINT listener described in the module documentation and
 * returns true; elsewhere (a terminal, a test, a script with its own signal handling such as
 * `releaseClaimsOnSignal`) does nothing and returns false. Installs once per process.
 *
 * @example
 * ```ts
 * installKernelInterrupt(); // loading this module does this (importing mod.ts in a kernel)
 * ```
 */
export function installKernelInterrupt(): boolean {
  if (installed || jupyterOrNull() === null) return installed;
  installed = true;
  Deno.addSignalListener("SIGINT", () => {
    if (kernelInterruptAction() === "exit") {
      console.error(
        "interrupt: nothing stopped at the first one; exiting the kernel (Jupyter restarts it; " +
          "the session's variables are lost)",
      );
      Deno.exit(130);
    }
    requestInterrupt();
    // Said whatever runs: the listener cannot tell a cell of the library's loops from other code
    // (a file being read, a figure being drawn), which runs on to its end.
    console.error(
      "interrupt: a training or an evaluation stops at its next step (within about a second); " +
        "other code runs on to its end. If nothing stops, interrupt again within " +
        `${SECOND_INTERRUPT_SECONDS} s to restart the kernel (its variables are lost)`,
    );
  });
  return true;
}

/**
 * What the kernel's listener does with a SIGINT now: `"exit"` when the previous interrupt came
 * less than {@linkcode SECOND_INTERRUPT_SECONDS} ago and no loop has stopped on it or started since
 * (nothing is listening: a script's own loop, or a dead end), else `"request"`.
 */
export function kernelInterruptAction(now: number = performance.now()): "request" | "exit" {
  const sinceLast = (now - lastRequestAt) / 1000;
  return answered < requested && sinceLast < SECOND_INTERRUPT_SECONDS ? "exit" : "request";
}

// The one side effect of loading the library, and only in a kernel (see the module documentation):
// from the import of `mod.ts` on, Jupyter's Interrupt stops a loop, never the kernel.
installKernelInterrupt();
