/**
 * The scoped deno tasks allow FFI on exactly the fixed list of OpenBLAS locations (plus the
 * optional native TensorFlow addons), never all permissions, network or subprocesses.
 */
import { assert, assertEquals } from "@std/assert";
import { OPENBLAS_CANDIDATES } from "../../lib/backend/kernels/_openblas.ts";

const config = JSON.parse(
  Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)),
) as { tasks: Record<string, string> };

function flag(command: string, name: string): string | undefined {
  const match = new RegExp(`--${name}(=(\\S+))?(\\s|$)`).exec(command);
  return match ? (match[2] ?? "") : undefined;
}

for (const task of ["reproduce", "report", "profile"]) {
  Deno.test(`deno task ${task}: scoped permissions`, () => {
    const command = config.tasks[task];
    assert(command !== undefined, `no task ${task}`);
    assert(!/\s-A(\s|$)/.test(command) && !command.includes("--allow-all"), command);
    assertEquals(flag(command, "allow-net"), undefined, "no network");
    assertEquals(flag(command, "allow-run"), undefined, "no subprocesses");
    // The BLAS list, and the optional native TensorFlow addons (DEMURE_BACKEND=tensorflow).
    assertEquals(flag(command, "allow-ffi")?.split(","), [
      ...OPENBLAS_CANDIDATES,
      "./node_modules/@tensorflow/tfjs-node/lib",
      "./node_modules/@tensorflow/tfjs-node-gpu/lib",
    ]);
    const reads = flag(command, "allow-read")!.split(",");
    assertEquals(reads, [".", "/proc", ...OPENBLAS_CANDIDATES]);
    const writes = flag(command, "allow-write");
    // reproduce and report write results, the records (--select) and the README's tables.
    assertEquals(
      writes,
      task === "profile" ? undefined : "./results,./results-of-record,./README.md",
    );
  });
}
