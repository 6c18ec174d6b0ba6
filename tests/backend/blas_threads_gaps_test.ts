/**
 * `blasThreads` (lib/backend/blas_threads.ts) refuses a count past the bound however many digits
 * it has, naming the value as written (each value read in a subprocess: the variable is never
 * set in the suite's process). Found by mutation round KB (KB28).
 */
import { assertEquals } from "@std/assert";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";

const PROGRAM = `
import { blasThreads } from ${projectModule("lib/backend/blas_threads.ts")};
const out = [];
for (const value of VALUES) {
  Deno.env.set("DEMURE_BLAS_THREADS", value);
  try {
    out.push(String(blasThreads()));
  } catch (error) {
    out.push((error as Error).message);
  }
}
console.log(JSON.stringify(out));
`;

Deno.test("blasThreads: counts of four or more digits are refused; leading zeros read as decimal", async () => {
  const values = ["1000", "2560", "99999999999999999999", "0002", "0256"];
  const out = await evalInSubprocess<string[]>(
    `const VALUES = ${JSON.stringify(values)};\n${PROGRAM}`,
  );
  const range = "must be an integer in 1..256 (unset: the core count)";
  assertEquals(out, [
    `DEMURE_BLAS_THREADS=1000: ${range}`,
    `DEMURE_BLAS_THREADS=2560: ${range}`,
    `DEMURE_BLAS_THREADS=99999999999999999999: ${range}`,
    "2",
    "256",
  ]);
});

// Mutation round mu51a: the digits test read line by line (`/^[0-9]+$/m`) took "2\n" as 2 threads
// and no test failed; init_backend_test.ts checks "0x10", "1e2", "+4" and " 2 ".
Deno.test("blasThreads: a sign, white space, a fraction or another notation is refused by name", async () => {
  const refused = [" 2", "2 ", "2\n", "+2", "-1", "1e1", "0x10", "2.0", "2.5", "1_0"];
  // A plain count beside them, so a child that refuses everything fails too.
  const values = [...refused, "3"];
  const out = await evalInSubprocess<string[]>(
    `const VALUES = ${JSON.stringify(values)};\n${PROGRAM}`,
  );
  const range = "must be an integer in 1..256 (unset: the core count)";
  assertEquals(out, [...refused.map((value) => `DEMURE_BLAS_THREADS=${value}: ${range}`), "3"]);
});
