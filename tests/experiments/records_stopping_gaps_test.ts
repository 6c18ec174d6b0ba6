/**
 * RECORDS_DIR and FILE_STOPPING are each one home of a setting that `deno task reproduce --help`,
 * the plan and the records check read: frozen to the last level, so no caller can change them for
 * every other reader, and naming the folders and numbers the records were made with.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { RECORDS_DIR } from "../../lib/experiments/records_dir.ts";
import { FILE_STOPPING } from "../../lib/experiments/file_stopping.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("RECORDS_DIR: frozen, and each mode's entry is the committed folder, written plainly", () => {
  assert(Object.isFrozen(RECORDS_DIR));
  assertThrows(() => {
    (RECORDS_DIR as Record<string, string>).full = "results/full";
  });
  assertEquals(RECORDS_DIR.full, "results-of-record/full");
  // reproduce compares it with the results folder asked for (resolve), plan_cells joins it to the
  // project root: a trailing "/" or a "./" would print differently in --help and the notebooks.
  assertEquals({ ...RECORDS_DIR }, {
    full: "results-of-record/full",
    quick: "results-of-record/quick",
  });
  for (const dir of Object.values(RECORDS_DIR)) assert(Deno.statSync(`${root}${dir}`).isDirectory);
});

Deno.test("FILE_STOPPING: frozen at both levels, the full plan's 200/10 and the quick plan's 3/3", () => {
  assert(Object.isFrozen(FILE_STOPPING));
  assert(Object.isFrozen(FILE_STOPPING.full));
  assert(Object.isFrozen(FILE_STOPPING.quick));
  // A caller that set one (a notebook trying a shorter run) would change every later plan.
  assertThrows(() => {
    (FILE_STOPPING.full as { maxEpochs: number }).maxEpochs = 30;
  });
  assertThrows(() => {
    (FILE_STOPPING as { quick: unknown }).quick = { maxEpochs: 1, patience: 1 };
  });
  assertEquals(JSON.parse(JSON.stringify(FILE_STOPPING)), {
    full: { maxEpochs: 200, patience: 10 },
    quick: { maxEpochs: 3, patience: 3 },
  });
});
