/**
 * writeReport (lib/experiments/html_report.ts) leaves nothing half-written: on a full disk
 * (tests/_full_disk.ts) an earlier report stays whole with no temporary beside it, and a report
 * folder it made is removed again.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { writeReport } from "../../lib/experiments/html_report.ts";
import { projectModule } from "../_eval_in_subprocess.ts";
import { runOnFullDisk } from "../_full_disk.ts";
import { EMPTY_SUMMARY } from "./_empty_summary.ts";

function names(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
}

/** writeReport of the empty summary into `directory`, on a full disk: what it printed. */
async function reportOnFullDisk(directory: string): Promise<string> {
  const run = await runOnFullDisk(
    `import { writeReport } from ${projectModule("lib/experiments/html_report.ts")};\n` +
      `import { EMPTY_SUMMARY } from ${projectModule("tests/experiments/_empty_summary.ts")};\n` +
      `await writeReport({ ...EMPTY_SUMMARY, mode: "full" }, Deno.args[0])` +
      `.then(() => console.log("written"), (error) => console.log(error.message));`,
    [directory],
  );
  assertEquals(run.code, 0, run.stderr);
  return run.stdout;
}

Deno.test("writeReport: a full disk keeps the earlier report whole, leaves no temporary", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    await writeReport(EMPTY_SUMMARY, dir);
    const before = names(dir).map((name) => [name, Deno.readTextFileSync(`${dir}/${name}`)]);
    assertStringIncludes(await reportOnFullDisk(dir), "File too large");
    assertEquals(names(dir).map((name) => [name, Deno.readTextFileSync(`${dir}/${name}`)]), before);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("writeReport: a full disk under a report folder it made removes the folder", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    assertStringIncludes(await reportOnFullDisk(`${dir}/results/full`), "File too large");
    // Before: results/full stayed, empty.
    assertEquals(names(dir), []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
