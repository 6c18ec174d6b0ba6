/**
 * `reproduce --list-cells --json` on a dataset outside the project: the run restarts itself with
 * the dataset's folder added (scripts/reproduce_restart.ts) and, for programs, says nothing of it
 * on stderr, which then holds an error alone. Until session 54 it printed its note for people
 * there too, and the cluster routes dropped it with a copy of the note's wording
 * (scripts/cluster/submission.ts), so the two texts had to change together.
 */
import { assertEquals } from "@std/assert";
import { listPlanCells, reproduceTask } from "../../scripts/cluster/submission.ts";
import { ScriptFailure } from "../../scripts/cli/options.ts";
import { taskPermissions } from "../../scripts/task_permissions.ts";
import { removalOfMade } from "../_made_folders.ts";
import { runScript } from "../cli/_run_script.ts";

const root = new URL("../../", import.meta.url).pathname;

/** `reproduce <args>` under its task's own permissions (the dataset outside them). */
function reproduce(args: readonly string[]) {
  return runScript("scripts/reproduce.ts", args, taskPermissions(reproduceTask(), []));
}

Deno.test("reproduce --list-cells --json outside the project: the JSON and no note; without --json the note", async () => {
  const folder = Deno.makeTempDirSync({ prefix: "listing_restart_note_" });
  const results = `results/listing-restart-note-${crypto.randomUUID().slice(0, 8)}`;
  // --list-cells writes nothing; a regression that wrote leaves nothing behind.
  const removeMade = removalOfMade(`${root}${results}`);
  try {
    Deno.copyFileSync(`${root}tests/fixtures/byo/tiny.txt`, `${folder}/tiny.txt`);
    const plan = [
      ...["--quick", `--dataset=${folder}/tiny.txt`, "--format=sequence"],
      `--results=${results}`,
    ];
    const json = await reproduce(["--list-cells", "--json", ...plan]);
    assertEquals([json.code, json.stderr], [0, ""], json.stderr);
    // The restarted run read the data: the listing names its file among the tasks' reads.
    const listing = JSON.parse(json.stdout) as { datasetReads: string[]; cells: unknown[] };
    assertEquals(listing.datasetReads, [`${folder}/tiny.txt`, `${folder}/tiny.txt.inter`]);
    assertEquals(listing.cells.length > 0, true);
    // For people the note stays (the same restart, the same command less --json).
    const text = await reproduce(["--list-cells", ...plan]);
    assertEquals(text.code, 0, text.stderr);
    assertEquals(
      text.stderr,
      `reproduce: reads ${folder}/tiny.txt (--dataset): outside the project, so added to the ` +
        "reproduce task's permissions (docs/permissions.md)\n",
    );
    // A bad file: with --json the error is all of stderr, as the routes pass it on whole.
    Deno.writeTextFileSync(`${folder}/tiny.txt`, "1 2 x\n");
    const bad = await reproduce(["--list-cells", "--json", ...plan]);
    assertEquals(bad.code, 1, bad.stderr);
    assertEquals(bad.stderr.trim().split("\n").length, 1, bad.stderr);
    assertEquals(bad.stderr.startsWith(`reproduce: ${folder}/tiny.txt:`), true, bad.stderr);
    // The route's listing says that line alone, as reproduce wrote it.
    let failure: unknown;
    try {
      listPlanCells(Deno.execPath(), results, ["--quick", ...plan.slice(1, 3)]);
    } catch (error) {
      failure = error;
    }
    assertEquals(failure instanceof ScriptFailure, true, String(failure));
    assertEquals((failure as Error).message, bad.stderr.trim());
  } finally {
    Deno.removeSync(folder, { recursive: true });
    removeMade();
  }
});
