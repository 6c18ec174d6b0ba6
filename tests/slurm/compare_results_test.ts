import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { runCaptured } from "./_run.ts";
import { compareResults, withoutTimings } from "../../scripts/slurm/compare_results.ts";
import { jsonDifferences } from "../../lib/util/mod.ts";

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
  // The limit holds for the whole tree: what a first branch found leaves less for the next.
  const nested = jsonDifferences({ a: { x: 1, y: 1 }, b: many(1) }, {
    a: { x: 2, y: 2 },
    b: many(2),
  });
  assertEquals(nested.length, 10);
  assertEquals(nested.slice(1, 3), ["a.y: 1 vs 2", "b.0: 1 vs 2"]);
  assertEquals(nested.at(-1), "b.7: 1 vs 2");
});

Deno.test("jsonDifferences: two different roots are named (root); a long value is cut to 120 characters", () => {
  assertEquals(jsonDifferences(1, 2), ["(root): 1 vs 2"]);
  // A per-user list would otherwise fill the report with thousands of numbers per line.
  const long = Array.from({ length: 500 }, (_, i) => i);
  const [line] = jsonDifferences({ perUser: long }, { perUser: 0 });
  assertEquals(line, `perUser: ${JSON.stringify(long).slice(0, 120)} vs 0`);
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
  // A cell only the other holds (a summary it does not reach): named too, after the reference's.
  const extra = resultsFolder({ a: cell(0.125, 3), b: cell(0.5, 3), c: cell(0.25, 3) }, {
    main: [1, 2],
  });
  assertEquals(compareResults(reference, extra), [
    `cells/b.json: missing in ${reference}`,
    `cells/c.json: missing in ${reference}`,
  ]);
  assertEquals(compareResults(missing, reference), [`cells/a.json: missing in ${missing}`]);
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
  for (const dir of [reference, sameButSlower, otherMetric, missing, extra]) {
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

Deno.test("compareResults: only the cells/*.json files are cells; their differences come sorted by name", () => {
  const names = ["a", "b", "c", "d", "e", "f", "g", "h"];
  const reference = resultsFolder(
    Object.fromEntries(names.map((name) => [name, { key: name }])),
    { main: [1] },
  );
  // What else a live results folder holds: a cell's claim, a write's temporary (half-written).
  Deno.writeTextFileSync(`${reference}/cells/a.claim`, "pid 1");
  Deno.writeTextFileSync(`${reference}/cells/a.json.tmp-12-34`, '{"key": "a", "res');
  Deno.mkdirSync(`${reference}/cells/z.json`);
  const copy = resultsFolder(
    Object.fromEntries(names.map((name) => [name, { key: name }])),
    { main: [1] },
  );
  assertEquals(compareResults(reference, copy), []);
  // Sorted, not in the folder's order (which is not the names' on most file systems).
  const empty = resultsFolder({}, { main: [1] });
  assertEquals(
    compareResults(reference, empty),
    names.map((name) => `cells/${name}.json: missing in ${empty}`),
  );
  for (const dir of [reference, copy, empty]) Deno.removeSync(dir, { recursive: true });
});

Deno.test("compareResults: a cell that is not JSON is named by its path; the command exits 2", () => {
  const reference = resultsFolder({ a: { key: "quick/a" } }, { main: [1] });
  const broken = resultsFolder({ a: { key: "quick/a" } }, { main: [1] });
  Deno.writeTextFileSync(`${broken}/cells/a.json`, '{"key": "quick/a", "res');
  const error = assertThrows(() => compareResults(reference, broken));
  assertStringIncludes(error.message, `${broken}/cells/a.json: `);
  // From the command line: one line and exit 2 (an error), not a stack trace and exit 1 (differ).
  const run = runCaptured(
    Deno.execPath(),
    ["run", "-A", "scripts/slurm/compare_results.ts", reference, broken],
    {},
  );
  assertEquals(run.code, 2, run.stderr);
  assertEquals(run.stderr.trim().split("\n").length, 1, run.stderr);
  assertStringIncludes(run.stderr, `compare_results: ${broken}/cells/a.json: `);
  assertStringIncludes(run.stderr, "(not JSON: cannot compare)");
  for (const dir of [reference, broken]) Deno.removeSync(dir, { recursive: true });
});

Deno.test("compare_results: one difference is exit 1; a folder without summary.json is exit 2", () => {
  const cli = (...args: string[]) =>
    runCaptured(Deno.execPath(), ["run", "-A", "scripts/slurm/compare_results.ts", ...args], {});
  const reference = resultsFolder({ a: { key: "quick/a", ndcg: 0.5 } }, { main: [1] });
  const oneOff = resultsFolder({ a: { key: "quick/a", ndcg: 0.25 } }, { main: [1] });
  const one = cli(reference, oneOff);
  assertEquals(one.code, 1, one.stdout);
  assertStringIncludes(one.stderr, "first 30 of 1):\ncells/a.json: ndcg: 0.5 vs 0.25\n");
  const noSummary = resultsFolder({ a: { key: "quick/a", ndcg: 0.5 } }, {});
  Deno.removeSync(`${noSummary}/summary.json`);
  const run = cli(reference, noSummary);
  assertEquals(run.code, 2, run.stderr);
  assertEquals(
    run.stderr,
    `compare_results: ${noSummary}: summary.json: no such file ` +
      "(a results folder holds cells/*.json and summary.json)\n",
  );
  for (const dir of [reference, oneOff, noSummary]) Deno.removeSync(dir, { recursive: true });
});
