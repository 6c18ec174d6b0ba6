/**
 * `deno task gpu-check --profile` profiles the workload it was asked for: the width (`--dim`), the
 * batch (`--batch-size`) and the cap on an epoch's batches (`--max-batches`), as an epoch's timing
 * does. The children were given all three (`childArgs`), but the profile built its models at the
 * library's width and trained at its batch, uncapped: `--profile --dim 256 --batch-size 512` printed
 * the kernels and step times of d = 64, batch 128, without a word (found by round mu54d).
 */
import { assertEquals, assertMatch } from "@std/assert";
import { runScript } from "./_run_script.ts";

Deno.test("gpu_check --profile: the width, batch and batch cap asked for are the ones profiled", async () => {
  // 128 users in batches of 32 are 4 steps an epoch; capped at 3, three (at batch 128: one).
  const { code, stdout, stderr } = await runScript("scripts/gpu_check.ts", [
    ...["--profile", "--backends", "wasm", "--users", "128"],
    ...["--dim", "8", "--batch-size", "32", "--max-batches", "3"],
  ]);
  assertEquals(code, 0, stderr);
  assertMatch(
    stdout,
    /^wasm: step time by epoch \(3 steps each\): \d+ ms, \d+ ms, \d+ ms, \d+ ms$/m,
  );
  // The kernels are d = 8 wide. Which 12 are the costliest varies from run to run, so no one row
  // is asked for: most kernels of a step carry d in a shape (only the score rows, [180,12101],
  // and a few [30]-shaped ones do not), and no other size of this workload is 8. At d = 64, no
  // row has an 8.
  const rows = stdout.split("\n").filter((line) => /^wasm: +\d+\.\d{2} ms +x\d+ /.test(line));
  assertEquals(rows.length, 12, stdout);
  assertEquals(rows.some((line) => /[[,]8\]/.test(line)), true, rows.join("\n"));
});
