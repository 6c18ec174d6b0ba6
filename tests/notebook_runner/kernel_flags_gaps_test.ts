/**
 * `kernelFlagsProblem` (lib/notebook_runner/kernel_flags.ts) read in a subprocess for each
 * environment (never set in this process: tests run in parallel). The CLI tests
 * (run_notebooks_cli_test.ts, lab_cli_test.ts) reach one bad flag at a time; here a variable that
 * `kernelEnv` sets leaves the other one still checked.
 */
import { assertEquals } from "@std/assert";

const module = new URL("../../lib/notebook_runner/kernel_flags.ts", import.meta.url).href;

/** What `kernelFlagsProblem(kernelEnv)` answers in a process whose environment is `env`. */
async function problemFor(
  env: Record<string, string>,
  kernelEnv: Record<string, string>,
): Promise<string | null> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { kernelFlagsProblem } from "${module}";\n` +
      `console.log(JSON.stringify(kernelFlagsProblem(${JSON.stringify(kernelEnv)}) ?? null));`,
    ],
    env,
    clearEnv: true,
    stdin: "null",
  }).output();
  assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

Deno.test("kernelFlagsProblem: a flag the kernels are given (--quick) leaves the other flag checked", async () => {
  const bad = { DEMURE_QUICK: "yes", DEMURE_RERUN: "2" };
  assertEquals(
    await problemFor(bad, { DEMURE_QUICK: "1" }),
    `DEMURE_RERUN="2": must be 1 or true (on), 0 or false (off) (read by every notebook's kernel)`,
  );
  assertEquals(await problemFor(bad, { DEMURE_QUICK: "1", DEMURE_RERUN: "0" }), null);
});

// Found by mutation round KH (session 46).
Deno.test("kernelFlagsProblem: both flags bad names the first of KERNEL_FLAGS; a flag given to the kernels as '' is theirs", async () => {
  const bad = { DEMURE_QUICK: "yes", DEMURE_RERUN: "2" };
  // One line, always the same one: DEMURE_QUICK before DEMURE_RERUN.
  assertEquals(
    await problemFor(bad, {}),
    `DEMURE_QUICK="yes": must be 1 or true (on), 0 or false (off) (read by every notebook's kernel)`,
  );
  // "" is off to the kernels (envFlag), whatever this process holds: nothing to refuse.
  assertEquals(await problemFor(bad, { DEMURE_QUICK: "", DEMURE_RERUN: "" }), null);
});
