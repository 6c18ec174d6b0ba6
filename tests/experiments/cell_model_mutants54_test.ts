/**
 * `removeAbandonedModelCopies` (lib/experiments/cell_model.ts), pinned where mutation round 54
 * found no test: a staging folder that another sweeper removes between the listing and its look is
 * skipped, not an error, and the other folders are still swept.
 */
import { assertEquals } from "@std/assert";
import { removeAbandonedModelCopies } from "../../lib/experiments/cell_model.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { withDenoStandIns } from "../_deno_stand_ins.ts";

Deno.test("removeAbandonedModelCopies skips a staging folder removed meanwhile by another sweeper", () => {
  const resultsDir = Deno.makeTempDirSync();
  const statSync = Deno.statSync;
  try {
    const models = `${resultsDir}/models`;
    Deno.mkdirSync(`${models}/a.staging`, { recursive: true });
    Deno.mkdirSync(`${models}/b.staging`, { recursive: true });
    // An hour old: stale by far (STALE_TEMPORARY_SECONDS is minutes).
    const old = new Date(Date.now() - 3_600_000);
    Deno.utimeSync(`${models}/b.staging`, old, old);
    // Another process's sweep removes "a" between this one's listing and its look.
    const goneMeanwhile = (path: string | URL) => {
      if (String(path).endsWith("/a.staging")) throw new Deno.errors.NotFound("stand-in");
      return statSync(path);
    };
    const lines: string[] = [];
    withDenoStandIns(
      { statSync: goneMeanwhile },
      () => removeAbandonedModelCopies(resultsDir, (line) => lines.push(line)),
    );
    assertEquals(lines.length, 1, lines.join("\n"));
    assertEquals(lines[0].startsWith(`removed ${models}/b.staging, `), true, lines[0]);
    assertEquals(pathExists(`${models}/b.staging`), false);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
