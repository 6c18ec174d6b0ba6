/**
 * Progress inside one evaluation: `evaluateRanking`'s fourth argument hears the users scored after
 * each chunk (a full ranking over every user of a large dataset ran for minutes in silence). The
 * events count the chunks, only grow, end with every user, and change no number; without a
 * listener the evaluation says nothing.
 */
import { assert, assertEquals } from "@std/assert";
import { evaluateRanking } from "../../lib/eval/evaluate.ts";
import type { WorkProgress } from "../../lib/util/work_progress.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";
import { tableScorer } from "./_table_scorer.ts";

/** 7 users over 12 items, each item scored by a fixed pattern (ties included). */
function fixture() {
  const split = leaveOneOut(cycleDataset(7, 12, 5));
  const table = Array.from(
    { length: 7 },
    (_, u) => Array.from({ length: 12 }, (_, i) => (u * 5 + i * 3) % 7),
  );
  return { split, scorer: tableScorer(table) };
}

Deno.test("an evaluation's progress: one event per chunk, growing, the last with every user", async () => {
  const { split, scorer } = fixture();
  const heard: WorkProgress[] = [];
  await evaluateRanking(scorer, split, { stage: "test", chunkSize: 3 }, (p) => heard.push(p));
  // Chunks of 3 over 7 users: 3, 6, 7.
  assertEquals(heard.map(({ done, total }) => [done, total]), [[3, 7], [6, 7], [7, 7]]);
  for (let i = 1; i < heard.length; i++) assert(heard[i].seconds >= heard[i - 1].seconds);
});

Deno.test("a subset of users: the progress counts the users scored, all of the split's", async () => {
  const { split, scorer } = fixture();
  const heard: WorkProgress[] = [];
  const result = await evaluateRanking(
    scorer,
    split,
    { stage: "valid", chunkSize: 4, users: Int32Array.from([5, 1]) },
    (p) => heard.push(p),
  );
  assertEquals(Array.from(result.users), [1, 5]);
  assertEquals(heard.map(({ done, total }) => [done, total]), [[4, 7], [7, 7]]);
});

Deno.test("an evaluation's numbers are the same with and without a progress listener", async () => {
  const { split, scorer } = fixture();
  for (const stage of ["valid", "test"] as const) {
    const config = { stage, chunkSize: 2, cutoffs: [1, 3, 5] };
    const quiet = await evaluateRanking(scorer, split, config);
    const heard = await evaluateRanking(scorer, split, config, () => {});
    assertEquals(heard.metrics, quiet.metrics);
    assertEquals(Array.from(heard.ranks), Array.from(quiet.ranks));
    assertEquals(Array.from(heard.users), Array.from(quiet.users));
  }
});

Deno.test("an evaluation without a listener prints nothing, on stdout or stderr", async () => {
  const output = await evalInSubprocess<{ stdout: string; stderr: string }>(`
    import { evaluateRanking } from ${projectModule("lib/eval/evaluate.ts")};
    import { cycleDataset, leaveOneOut } from ${projectModule("tests/models/_fixtures.ts")};
    import { tableScorer } from ${projectModule("tests/eval/_table_scorer.ts")};
    const split = leaveOneOut(cycleDataset(7, 12, 5));
    const table = Array.from({ length: 7 }, (_, u) => Array.from({ length: 12 }, (_, i) => (u + i) % 5));
    const lines = { stdout: "", stderr: "" };
    const log = console.log, error = console.error, warn = console.warn, info = console.info;
    console.log = console.info = (...a) => { lines.stdout += a.join(" ") + "\\n"; };
    console.error = console.warn = (...a) => { lines.stderr += a.join(" ") + "\\n"; };
    await evaluateRanking(tableScorer(table), split, { stage: "test", chunkSize: 1 });
    console.log = log; console.error = error; console.warn = warn; console.info = info;
    console.log(JSON.stringify(lines));
  `);
  assertEquals(output, { stdout: "", stderr: "" });
});
