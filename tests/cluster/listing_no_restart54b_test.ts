/**
 * The cluster routes' listing (`listPlanCells`, scripts/cluster/submission.ts) of a dataset outside
 * the project runs reproduce once: its permissions read the dataset's files up front
 * (`planDatasetReads`, scripts/reproduce_options.ts). Until session 54 they read the results
 * folder alone, so reproduce found the dataset denied and started a second Deno to add it (its
 * restart, scripts/reproduce_restart.ts) on every listing.
 *
 * How the restart is seen: the listing is given reproduce's hidden `--restarted` (RESTART_FLAG),
 * which a restarted run carries and which forbids another restart; a listing that still needed
 * one is then refused ("a run started again once already does not do again").
 */
import { assert, assertEquals } from "@std/assert";
import { listPlanCells, reproduceTask } from "../../scripts/cluster/submission.ts";
import { taskPermissions } from "../../scripts/task_permissions.ts";
import { runScript } from "../cli/_run_script.ts";
import { ScriptFailure } from "../../scripts/cli/options.ts";
import { planDatasetReads, RESTART_FLAG } from "../../scripts/reproduce_options.ts";
import { removalOfMade } from "../_made_folders.ts";

const root = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** The listing's failure (a {@linkcode ScriptFailure}), or undefined when it listed. */
function listingFailure(results: string, planArgs: string[]): string | undefined {
  try {
    listPlanCells(Deno.execPath(), results, planArgs);
    return undefined;
  } catch (error) {
    assert(error instanceof ScriptFailure, String(error));
    return error.message;
  }
}

Deno.test("planDatasetReads: the dataset's files outside the project as a restart would add them; none for a refused command line", () => {
  const project = "/work/p";
  // A sequence file and its RecBole sibling, in either form of the options.
  assertEquals(planDatasetReads(["--dataset=/d/x.txt", "--format=sequence"], project), [
    "/d/x.txt",
    "/d/x.txt.inter",
  ]);
  assertEquals(
    planDatasetReads([
      ...["--quick", "--seeds=0", "--dataset", "/d/shop", "--format", "recbole"],
      ...["--features", "image=/f/img.txt,text=data/t.txt"],
    ], project),
    ["/d", "/f/img.txt"],
  );
  // Inside the project (relative or absolute): the task's own reads cover it.
  assertEquals(planDatasetReads(["--dataset", "data/x", "--format", "recbole"], project), []);
  assertEquals(planDatasetReads(["--dataset=/work/p/x.txt", "--format=sequence"], project), []);
  // Outside, relative to the project.
  assertEquals(planDatasetReads(["--dataset=../q/x", "--format=recbole"], project), ["../q"]);
  // A value is not read as an option, nor an option's name as a dataset.
  assertEquals(
    planDatasetReads(["--results", "/r", "--dataset=/d/x", "--format=recbole"], project),
    ["/d"],
  );
  // What reproduce refuses: no format, another one, a feature entry that is not name=path.
  assertEquals(planDatasetReads(["--dataset=/d/x"], project), []);
  assertEquals(planDatasetReads(["--dataset=/d/x", "--format=csv"], project), []);
  assertEquals(
    planDatasetReads(["--dataset=/d/x", "--format=recbole", "--features=/f/img.txt"], project),
    [],
  );
  assertEquals(planDatasetReads(["--quick"], project), []);
});

Deno.test("listPlanCells: a dataset outside the project is listed without reproduce's restart; a missing one is still refused by name", async () => {
  const folder = Deno.makeTempDirSync({ prefix: "listing_no_restart_" });
  assert(!folder.startsWith(`${root}/`), `${folder} is outside ${root}`);
  const results = `results/listing-no-restart-${crypto.randomUUID().slice(0, 8)}`;
  // --list-cells writes nothing; a regression that wrote leaves nothing behind.
  const removeMade = removalOfMade(`${root}/${results}`);
  try {
    for (const name of ["tiny.txt", "tiny.inter", "tiny.item", "tiny_image.txt"]) {
      Deno.copyFileSync(`${root}/tests/fixtures/byo/${name}`, `${folder}/${name}`);
    }
    // A sequence file, the options in one word each.
    const sequence = ["--quick", `--dataset=${folder}/tiny.txt`, "--format=sequence"];
    assertEquals(listingFailure(results, [...sequence, RESTART_FLAG]), undefined);
    const listing = listPlanCells(Deno.execPath(), results, [...sequence, RESTART_FLAG]);
    assertEquals(listing.datasetReads, [`${folder}/tiny.txt`, `${folder}/tiny.txt.inter`]);
    assert(listing.cells.length > 0);
    // RecBole files and a feature file, the options and values in two words.
    const recbole = [
      ...["--quick", "--dataset", `${folder}/tiny`, "--format", "recbole"],
      ...["--features", `image=${folder}/tiny_image.txt`],
    ];
    assertEquals(listingFailure(results, [...recbole, RESTART_FLAG]), undefined);
    // The probe itself: under the reproduce task's permissions alone (those the listing had
    // before), the same listing needs a restart, which RESTART_FLAG refuses.
    const alone = await runScript("scripts/reproduce.ts", [
      ...["--list-cells", "--json", `--results=${results}`, ...sequence, RESTART_FLAG],
    ], taskPermissions(reproduceTask(), [results]));
    assertEquals(alone.code, 2, alone.stderr);
    assert(
      alone.stderr.includes("a run started again once already does not do again"),
      alone.stderr,
    );
    // A dataset that is not there is still refused, naming it (read up front, it is reproduce's
    // reader that says so, as the restarted run's did).
    const missing = listingFailure(results, [
      "--quick",
      `--dataset=${folder}/none.txt`,
      "--format=sequence",
    ]);
    assert(missing?.startsWith(`reproduce: ${folder}/none.txt`), missing);
    // A path the permission flags cannot carry: reproduce's own refusal, naming it.
    const comma = `${folder}/a,b.txt`;
    Deno.copyFileSync(`${folder}/tiny.txt`, comma);
    const unsplittable = listingFailure(results, [
      "--quick",
      `--dataset=${comma}`,
      "--format=sequence",
    ]);
    assertEquals(
      unsplittable,
      `reproduce: --dataset ${comma}: holds white space or a comma, which the permission flags ` +
        "of a run outside the project cannot carry: use a path without them",
    );
  } finally {
    Deno.removeSync(folder, { recursive: true });
    removeMade();
  }
});
