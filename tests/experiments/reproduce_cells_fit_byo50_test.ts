/**
 * `deno task reproduce --dataset` refuses a file whose CL4SRec cells would train a batch of 1 row
 * before anything is written, in one line that says no option of the command sets the batch
 * size (the warm-up's refusal points to --max-epochs, which would not help here).
 */
import { assert, assertEquals } from "@std/assert";
import { taskPermissions } from "../../scripts/task_permissions.ts";
import { denoTask } from "../_deno_task.ts";

const root = new URL("../../", import.meta.url).pathname;

/** The reproduce task's command line (deno.json). */
function reproduceCommand(): string {
  return denoTask("reproduce");
}

Deno.test("reproduce: an imported file whose epoch leaves a batch of 1 row is one line naming the cell, before anything is written", async () => {
  const folder = await Deno.makeTempDir({ prefix: "reproduce_one_row_byo50_" });
  try {
    // 65 users of 6 items each: 65 training rows an epoch, so quick mode's batches of 64 leave 1.
    const users = Array.from(
      { length: 65 },
      (_, u) => [`u${u}`, ...Array.from({ length: 6 }, (_, k) => `i${(u + 3 * k) % 20}`)].join(" "),
    );
    const dataset = `${folder}/mine.txt`;
    Deno.writeTextFileSync(dataset, users.join("\n") + "\n");
    const command = reproduceCommand();
    for (const listing of [["--workers=1"], ["--list-cells"]]) {
      const output = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          ...taskPermissions(command, [folder]),
          command.split(/\s+/).at(-1)!,
          ...["--quick", "--seeds=0", ...listing],
          ...[`--dataset=${dataset}`, "--format=sequence", "--results", `${folder}/results`],
        ],
        cwd: root,
        stdin: "null",
      }).output();
      const stderr = new TextDecoder().decode(output.stderr);
      assertEquals(output.code, 2, stderr);
      assertEquals(stderr.split("\n").length, 2, stderr);
      assert(
        stderr.startsWith(
          "reproduce: TrainerConfig.batchSize is 64; allowed: an integer >= 2 that leaves none " +
            "or at least 2 of the epoch's 65 training rows (users' windows) over after full " +
            "batches (the nearest: 63 or 65); CL4SRec's contrastive loss",
        ),
        stderr,
      );
      assert(
        stderr.endsWith(
          "; cell quick/mine/CL4SRec-MM/seed=0 on mine (no option of this command sets " +
            "TrainerConfig.batchSize: a notebook's planExperiments sets it for this dataset " +
            "(PlanOptions.datasetTraining; docs/data.md)); see --help\n",
        ),
        stderr,
      );
      assertEquals([...Deno.readDirSync(folder)].map((entry) => entry.name), ["mine.txt"]);
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
