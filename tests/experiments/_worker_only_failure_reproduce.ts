/**
 * `reproduce` with its arguments, in which every trained cell fails in a worker process and in no
 * other: a worker's checkpoint saves fail, and the first process claims its first cell only once
 * its workers have exited (each writes the file `DEMURE_TEST_WORKER_EXITED` names as it exits), so
 * it then runs, and finishes, every cell they failed. Run by
 * tests/experiments/reproduce_worker_failure_test.ts.
 */
import { pathExists } from "../../lib/util/mod.ts";

const exitedMarker = Deno.env.get("DEMURE_TEST_WORKER_EXITED")!;
const self = new URL(import.meta.url).pathname;
const reproduceScript = new URL("../../scripts/reproduce.ts", import.meta.url).pathname;

if (Deno.args.includes("--worker")) {
  const { renameSync, exit } = Deno;
  // A checkpoint's sidecar goes in place last (lib/checkpoint/checkpoint.ts): the cell fails there.
  Deno.renameSync = (from, to) => {
    if (String(from).includes(".json.tmp-") && String(to).includes("/checkpoints/")) {
      throw new Error("test: a worker's checkpoint save fails");
    }
    renameSync(from, to);
  };
  Deno.exit = (code?: number): never => {
    Deno.writeTextFileSync(exitedMarker, `${code ?? 0}\n`);
    return exit(code);
  };
} else {
  // The workers run this file (as workers), not reproduce.ts itself.
  const Command = Deno.Command;
  Object.defineProperty(Deno, "Command", {
    value: class extends Command {
      constructor(command: string | URL, options: Deno.CommandOptions = {}) {
        const args = options.args?.map((arg) => arg === reproduceScript ? self : String(arg));
        super(command, { ...options, args });
      }
    },
  });
  // A cell's claim is the hard link to its `.claim` file (lib/experiments/_claim_files.ts): the
  // first one waits for the workers' exit (a minute at most), blocking this process.
  const { linkSync } = Deno;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  Deno.linkSync = (from, to) => {
    const deadline = Date.now() + 60_000;
    while (String(to).endsWith(".claim") && !pathExists(exitedMarker) && Date.now() < deadline) {
      Atomics.wait(pause, 0, 0, 50);
    }
    linkSync(from, to);
  };
}

await import("../../scripts/reproduce.ts");
