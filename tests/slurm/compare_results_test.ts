import { assertEquals, assertStringIncludes } from "@std/assert";
import { runCaptured } from "./_run.ts";
import {
  compareResults,
  jsonDifferences,
  withoutTimings,
} from "../../scripts/slurm/compare_results.ts";

function resultsFolder(cells: Record<string, unknown>, summary: unknown): string {
  const dir = Deno.makeTempDirSync();
  Deno.mkdirSync(`${dir}/cells`);
  for (const [name, cell] of Object.entries(cells)) {
    Deno.writeTextFileSync(`${dir}/cells/${name}.json`, JSON.stringify(cell));
  }
  Deno.writeTextFileSync(`${dir}/summary.json`, JSON.stringify(summary));
  return dir;
}

Deno.test("withoutTimings drops every field that mentions seconds, at any depth", () => {
  assertEquals(
    withoutTimings({
      trainSeconds: 3,
      test: { "NDCG@10": 0.1 },
      history: [{ epochSeconds: 1, secondsLeftAtMost: 30, loss: 2 }],
      // The cells' records spell some timings with a small s ("seconds", "secondsLeftAtMost").
      timing: { seconds: 4.2, epochs: 3 },
    }),
    { test: { "NDCG@10": 0.1 }, history: [{ loss: 2 }], timing: { epochs: 3 } },
  );
});

Deno.test("jsonDifferences: a list is not an object with the same keys; at most `limit` differences", () => {
  assertEquals(jsonDifferences({ scores: [1] }, { scores: { "0": 1 } }), [
    'scores: [1] vs {"0":1}',
  ]);
  const many = (value: number) =>
    Object.fromEntries(Array.from({ length: 20 }, (_, i) => [i, value]));
  assertEquals(jsonDifferences(many(1), many(2)).length, 10);
  assertEquals(jsonDifferences(many(1), many(2), "", 3), ["0: 1 vs 2", "1: 1 vs 2", "2: 1 vs 2"]);
});

Deno.test("compareResults: equal up to timings; a metric or a missing cell is named by its path", () => {
  const cell = (ndcg: number, seconds: number) => ({
    key: "quick/a",
    result: { test: { "NDCG@10": ndcg }, trainSeconds: seconds },
  });
  const reference = resultsFolder({ a: cell(0.125, 3) }, { main: [1, 2], totalTrainSeconds: 9 });
  const sameButSlower = resultsFolder({ a: cell(0.125, 8) }, {
    main: [1, 2],
    totalTrainSeconds: 20,
  });
  assertEquals(compareResults(reference, sameButSlower), []);
  const otherMetric = resultsFolder({ a: cell(0.12500000000000003, 3) }, { main: [1, 3] });
  assertEquals(compareResults(reference, otherMetric), [
    "cells/a.json: result.test.NDCG@10: 0.125 vs 0.12500000000000003",
    "summary.json: main.1: 2 vs 3",
  ]);
  const missing = resultsFolder({}, { main: [1, 2] });
  assertEquals(compareResults(reference, missing), [`cells/a.json: missing in ${missing}`]);
  assertEquals(jsonDifferences({ a: 1 }, { b: 1 }), ["a: 1 vs absent", "b: absent vs 1"]);
  // The command's exit status: 0 equal, 1 different (the Slurm check reads it), 2 a usage error.
  const cli = (...args: string[]) =>
    runCaptured(Deno.execPath(), ["run", "-A", "scripts/slurm/compare_results.ts", ...args], {});
  const same = cli(reference, sameButSlower);
  assertEquals(same.code, 0, same.stderr);
  assertStringIncludes(same.stdout, "equals");
  const different = cli(reference, otherMetric);
  assertEquals(different.code, 1);
  assertStringIncludes(different.stderr, "result.test.NDCG@10: 0.125 vs 0.12500000000000003");
  assertEquals(cli(reference).code, 2);
  for (const dir of [reference, sameButSlower, otherMetric, missing]) {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("compare_results: a folder without cells/ or summary.json is one line naming it, exit 2", () => {
  const cli = (...args: string[]) =>
    runCaptured(Deno.execPath(), ["run", "-A", "scripts/slurm/compare_results.ts", ...args], {});
  const reference = resultsFolder({ a: { key: "quick/a" } }, { main: [1] });
  const noCells = Deno.makeTempDirSync();
  const file = `${noCells}/summary.json`;
  Deno.writeTextFileSync(file, "{}");
  for (
    const [args, named] of [
      [[reference, noCells], `${noCells}: cells: no such folder`],
      [[file, reference], `${file}: not a folder`],
      [[reference, `${noCells}/absent`], `${noCells}/absent: no such folder`],
    ] as const
  ) {
    const run = cli(...args);
    assertEquals(run.code, 2, run.stderr);
    assertEquals(
      run.stderr,
      `compare_results: ${named} (a results folder holds cells/*.json and summary.json)\n`,
    );
  }
  for (const dir of [reference, noCells]) Deno.removeSync(dir, { recursive: true });
});
