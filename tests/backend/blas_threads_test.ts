/**
 * `blasThreads` (lib/backend/blas_threads.ts) read in a subprocess for each value of
 * `DEMURE_BLAS_THREADS` (never set in this process: tests run in parallel): unset is the core
 * count, an empty value is refused like any other non-number, and both bounds are taken.
 * Found by mutation round GB (GB34, GB35).
 */
import { assertEquals } from "@std/assert";

const PROGRAM = `
import { blasThreads } from "./lib/backend/blas_threads.ts";
try {
  console.log(blasThreads() === navigator.hardwareConcurrency ? "cores" : String(blasThreads()));
} catch (error) {
  console.log((error as Error).message);
}`;

/** What the child prints for `value` (undefined: the variable unset). */
async function threadsFor(value: string | undefined): Promise<string> {
  const env: Record<string, string> = { ...Deno.env.toObject() };
  delete env.DEMURE_BLAS_THREADS;
  if (value !== undefined) env.DEMURE_BLAS_THREADS = value;
  const { stdout, stderr, code } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", PROGRAM],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(code, 0, new TextDecoder().decode(stderr));
  return new TextDecoder().decode(stdout).trim();
}

Deno.test("blasThreads: unset is the core count; empty is refused; 1 and 256 are taken", async () => {
  const range = "must be an integer in 1..256 (unset: the core count)";
  assertEquals(await threadsFor(undefined), "cores");
  assertEquals(await threadsFor(""), `DEMURE_BLAS_THREADS=: ${range}`);
  assertEquals(await threadsFor("0"), `DEMURE_BLAS_THREADS=0: ${range}`);
  const one = await threadsFor("1");
  assertEquals(one === "cores" ? navigator.hardwareConcurrency : Number(one), 1);
  const most = await threadsFor("256");
  assertEquals(most === "cores" ? navigator.hardwareConcurrency : Number(most), 256);
});
