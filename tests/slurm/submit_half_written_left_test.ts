/**
 * `deno task slurm` on a full disk (a file-size limit, tests/_full_disk.ts), against the stand-in
 * Slurm commands of tests/slurm/_fake_slurm.ts: a batch script that cannot be written leaves no
 * script, whole or cut short, and no folder made for them, in one line; a submissions record
 * that cannot be written keeps the earlier record whole (written in place, it was cut short) and
 * cancels every job submitted, the report job too.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { calls, fakeSlurm, submit } from "./_fake_slurm.ts";
import { runWithFileSizeLimit } from "../_full_disk.ts";

const workspace = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** submit.ts --quick with `args` under a file-size limit of `kibibytes`, stand-ins first on PATH. */
function submitOnFullDisk(kibibytes: number, args: string[], slurm: string) {
  // Deno's cache of the script and of the listing's modules is written first, without the limit.
  const warm = submit(["--dry-run", ...args], slurm);
  assertEquals(warm.code, 0, warm.stderr);
  return runWithFileSizeLimit(
    kibibytes,
    ["run", "-A", "scripts/slurm/submit.ts", "--quick", ...args],
    workspace,
    { PATH: `${slurm}:${Deno.env.get("PATH")}` },
  );
}

Deno.test("slurm: batch scripts that cannot be written leave no script or folder, in one line", async () => {
  const slurm = fakeSlurm();
  const resultsDir = `${slurm}/results`;
  Deno.mkdirSync(resultsDir);
  try {
    const run = await submitOnFullDisk(0, ["--results", resultsDir], slurm);
    assertEquals(run.code, 1, run.stderr);
    assertMatch(
      run.stderr,
      new RegExp(
        `^slurm: ${resultsDir}/slurm: the batch scripts not written \\(${resultsDir}/slurm/cells-[^:]+: File too large[^\\n]*\\n$`,
      ),
    );
    assertEquals(calls(slurm, "sbatch"), []);
    // The listing may make the cells' folder; the Slurm folder and its logs are gone again.
    assert(![...Deno.readDirSync(resultsDir)].some((entry) => entry.name === "slurm"));
  } finally {
    Deno.removeSync(slurm, { recursive: true });
  }
});

Deno.test("slurm: a record that cannot be written keeps the earlier one whole and cancels every job", async () => {
  // Replaces the third-pass test's dangling link as the record that cannot be written (LH): the
  // atomic write replaces a link, so that record is written now.
  const slurm = fakeSlurm();
  const resultsDir = `${slurm}/results`;
  const record = `${resultsDir}/slurm/submissions.json`;
  Deno.mkdirSync(`${resultsDir}/slurm`, { recursive: true });
  // An earlier submission whose job squeue no longer lists, larger than the limit (8 KiB), while
  // each batch script is smaller.
  const keys = Array.from({ length: 800 }, (_, i) => `an-earlier-cell-of-the-grid-${i}`);
  const earlier = JSON.stringify(
    [{ cellsJob: "7", reportJob: "8", submitted: "then", keys, stage: 0 }],
    null,
    1,
  );
  assert(earlier.length > 16 * 1024);
  Deno.writeTextFileSync(record, earlier);
  try {
    const run = await submitOnFullDisk(8, ["--results", resultsDir], slurm);
    assertEquals(run.code, 1, run.stderr);
    assertStringIncludes(run.stderr, `slurm: ${record}: not written (File too large`);
    assertEquals(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
    assertEquals(calls(slurm, "sbatch").length, 4);
    assertEquals(calls(slurm, "scancel"), ["41 42 43 44"]);
    assertEquals(Deno.readTextFileSync(record), earlier);
    assertEquals([...Deno.readDirSync(`${resultsDir}/slurm`)].map((entry) => entry.name), [
      "submissions.json",
    ]);
  } finally {
    Deno.removeSync(slurm, { recursive: true });
  }
});
