/**
 * `reproduce --report-only` names a seed with no finished cell only when no `--seeds` was given:
 * a run that gave `--seeds 0,1` asked for both, and the hint ("if it was run with --seeds 0, report
 * it with the same --seeds") would tell it to drop the seed it asked for. Mutation round mu54c
 * found the guard unpinned: the existing case gave `--seeds 0`, whose plan has no seed 1 at all.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { recordResultsPlan, runOneCell } from "../../lib/experiments/cell_command.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";

await initBackend({ verbose: false });

Deno.test("reproduce --report-only --seeds 0,1: seed 1 unfinished is listed as missing, with no hint to drop it", async () => {
  const plan = planExperiments("quick");
  const pop = plan.cells.find((c) => c.system.kind === "popularity")!;
  assertEquals(pop.seed, 0);
  const resultsDir = Deno.makeTempDirSync({ prefix: "reproduce_seeds_hint_mu54c_" });
  try {
    recordResultsPlan(plan, resultsDir);
    await runOneCell(plan, pop, { resultsDir, log: () => {} });
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "scripts/reproduce.ts", "--quick", "--report-only", "--seeds", "0,1"]
        .concat(["--results", resultsDir]),
      env: { DEMURE_BLAS_THREADS: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(run.stdout);
    assertEquals(run.code, 0, new TextDecoder().decode(run.stderr));
    assertStringIncludes(stdout, `cells are missing`);
    const seedOne = plan.cells.find((c) => c.seed === 1)!;
    assertStringIncludes(stdout, `\t${seedOne.key}\n`);
    assertEquals(stdout.includes("No cell of seed"), false, stdout);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
