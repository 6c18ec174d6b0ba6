/**
 * `reportOrphanCheckpoints` (lib/experiments/cell_checkpoints.ts), pinned where mutation round 54
 * found no test: a results folder with no checkpoints folder yet (every first run) is no error, and
 * an orphan folder removed while it is measured (another process's run) is left out, the others
 * still reported.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { reportOrphanCheckpoints } from "../../lib/experiments/cell_checkpoints.ts";
import { resumableCellPlan } from "./_resumable_cell.ts";
import { withDenoStandIns } from "../_deno_stand_ins.ts";

Deno.test("the orphan report says nothing for a results folder with no checkpoints folder", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const { plan } = resumableCellPlan();
    const lines: string[] = [];
    reportOrphanCheckpoints(resultsDir, plan, (line) => lines.push(line));
    reportOrphanCheckpoints(`${resultsDir}/not-made-yet`, plan, (line) => lines.push(line));
    assertEquals(lines, []);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("the orphan report leaves out a folder removed while it is measured, and reports the rest", () => {
  const resultsDir = Deno.makeTempDirSync();
  const lstatSync = Deno.lstatSync;
  try {
    const { plan } = resumableCellPlan();
    const folder = `${resultsDir}/checkpoints`;
    for (const name of ["gone-00000000", "kept-00000000"]) {
      Deno.mkdirSync(`${folder}/${name}`, { recursive: true });
      Deno.writeFileSync(`${folder}/${name}/last.w.bin`, new Uint8Array(10));
    }
    // Another process removes "gone" between the listing and its measure.
    const removedMeanwhile = (path: string | URL) => {
      if (String(path).includes("/gone-")) throw new Deno.errors.NotFound("stand-in");
      return lstatSync(path);
    };
    const lines: string[] = [];
    withDenoStandIns(
      { lstatSync: removedMeanwhile },
      () => reportOrphanCheckpoints(resultsDir, plan, (line) => lines.push(line)),
    );
    assertEquals(lines.length, 1, lines.join("\n"));
    assertStringIncludes(lines[0], `1 checkpoint folder(s) under ${folder}`);
    assertStringIncludes(lines[0], ": kept-00000000 (0.0 MB);");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
