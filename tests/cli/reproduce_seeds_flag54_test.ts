/**
 * A bad `--seeds` is refused naming the flag, the value and the allowed range, by `reproduce`
 * and by the cluster routes that pass it on. Until session 54 it was refused by the plan's name
 * for it, "plan seeds is [5, 5]; allowed: a non-empty list of distinct integers >= 0 and
 * < 2^31", a setting the user never typed; the library's own refusal keeps that name.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { SEEDS_ALLOWED } from "../../scripts/cli/seeds_option.ts";
import { reproduceTask } from "../../scripts/cluster/submission.ts";
import { taskPermissions } from "../../scripts/task_permissions.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { SEED_RANGE } from "../../lib/util/settings.ts";
import { removalOfMade } from "../_made_folders.ts";
import { runScript } from "./_run_script.ts";

const root = new URL("../../", import.meta.url).pathname;

/** The allowed range as every refusal of `--seeds` ends. */
const allowed = "allowed: distinct integers in 0..2^31-1, comma-separated; see --help\n";

/** `reproduce <args>` under its task's own permissions. */
function reproduce(args: readonly string[]) {
  return runScript("scripts/reproduce.ts", args, taskPermissions(reproduceTask(), []));
}

Deno.test("SEEDS_ALLOWED: the library's range of a seed, in the words --help prints", () => {
  assertEquals(SEEDS_ALLOWED, "distinct integers in 0..2^31-1, comma-separated");
  assertEquals([SEED_RANGE.min, SEED_RANGE.max], [0, 2 ** 31 - 1]);
});

Deno.test("reproduce --seeds: a seed twice or out of range is refused naming --seeds, its value and the range", async () => {
  const cases: [string, string][] = [
    ["5,5", "--seeds 5,5: 5 given twice; "],
    ["0,1,0", "--seeds 0,1,0: 0 given twice; "],
    ["-1", "--seeds -1: -1 is outside 0..2147483647; "],
    ["0,2147483648", "--seeds 0,2147483648: 2147483648 is outside 0..2147483647; "],
  ];
  for (const [seeds, why] of cases) {
    // With --list-cells, as the cluster routes call it: before the library loads.
    const run = await reproduce(["--list-cells", "--quick", `--seeds=${seeds}`]);
    assertEquals([run.code, run.stdout, run.stderr], [2, "", `reproduce: ${why}${allowed}`]);
  }
  // The library's own refusal, for notebooks, keeps the plan's name of the setting.
  const error = assertThrows(() => planExperiments("quick", [5, 5]));
  assertEquals(error.message.startsWith("plan seeds is [5, 5]; allowed:"), true, error.message);
});

Deno.test("reproduce --seeds: both ends of the range are taken", async () => {
  const run = await reproduce(["--list-cells", "--json", "--quick", "--seeds=2147483647,0"]);
  assertEquals(run.code, 0, run.stderr);
  assertEquals((JSON.parse(run.stdout) as { seeds: number[] }).seeds, [2147483647, 0]);
});

Deno.test("deno task slurm / kubernetes --seeds 5,5: reproduce's refusal naming --seeds, nothing written", async () => {
  const out = `build/reproduce-seeds-flag-${crypto.randomUUID().slice(0, 8)}`;
  const removeMade = removalOfMade(`${root}${out}`);
  try {
    const cases: [string, string[], string][] = [
      ["scripts/slurm/submit.ts", ["--dry-run", "--quick", "--seeds", "5,5"], "slurm"],
      ["scripts/slurm/submit.ts", ["--dry-run", "--quick", "--", "--seeds=5,5"], "slurm"],
      [
        "scripts/kubernetes/generate.ts",
        ["--image", "i", "--quick", "--seeds", "5,5", "--out", out],
        "kubernetes",
      ],
    ];
    for (const [script, args, route] of cases) {
      const run = await runScript(script, args);
      assertEquals(
        [run.code, run.stdout, run.stderr],
        [1, "", `${route}: reproduce: --seeds 5,5: 5 given twice; ${allowed}`],
        args.join(" "),
      );
    }
  } finally {
    removeMade();
  }
});
