/**
 * The compare_results command's lines at the edges its first tests left open: the differences
 * line says which folder differs from which, shows the first 30 and counts them all (35 here);
 * one argument is the usage line; with two bad folders the reference (the first argument) is
 * named; equal folders say how many cells were compared. Found by mutation round KG (KG10-KG13,
 * KG15, KG16).
 */
import { assertEquals } from "@std/assert";
import { runCaptured } from "./_run.ts";

function resultsFolder(cells: Record<string, unknown>, summary: unknown): string {
  const dir = Deno.makeTempDirSync({ prefix: "compare_results_gaps_" });
  Deno.mkdirSync(`${dir}/cells`);
  for (const [name, cell] of Object.entries(cells)) {
    Deno.writeTextFileSync(`${dir}/cells/${name}.json`, JSON.stringify(cell));
  }
  Deno.writeTextFileSync(`${dir}/summary.json`, JSON.stringify(summary));
  return dir;
}

const cli = (...args: string[]) =>
  runCaptured(Deno.execPath(), ["run", "-A", "scripts/slurm/compare_results.ts", ...args], {});

Deno.test("compare_results: other differs from reference, the first 30 of all the differences shown", () => {
  // 35 cells c00..c34, one difference each (jsonDifferences stops at 10 within one value).
  const names = Array.from({ length: 35 }, (_, i) => `c${String(i).padStart(2, "0")}`);
  const cells = (offset: number) =>
    Object.fromEntries(names.map((name, i) => [name, { ndcg: i + offset }]));
  const reference = resultsFolder(cells(0), { main: [1] });
  const other = resultsFolder(cells(100), { main: [1] });
  try {
    const run = cli(reference, other);
    assertEquals(run.code, 1, run.stderr);
    const lines = run.stderr.trim().split("\n");
    assertEquals(
      lines[0],
      `${other} differs from ${reference} (reference value vs other; first 30 of 35):`,
    );
    assertEquals(
      lines.slice(1, -1),
      names.slice(0, 30).map((name, i) => `cells/${name}.json: ndcg: ${i} vs ${i + 100}`),
    );
    assertEquals(
      lines.at(-1),
      "(a reference written by another version of the code differs too: rerun it)",
    );
  } finally {
    for (const dir of [reference, other]) Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("compare_results: one argument is the usage line; two bad folders name the reference first", () => {
  const reference = resultsFolder({}, { main: [1] });
  try {
    const one = cli(reference);
    assertEquals([one.code, one.stderr], [
      2,
      "usage: compare_results.ts REFERENCE_DIR OTHER_DIR\n",
    ]);
    const [first, second] = [`${reference}/absent-1`, `${reference}/absent-2`];
    const both = cli(first, second);
    assertEquals(both.code, 2, both.stderr);
    assertEquals(
      both.stderr,
      `compare_results: ${first}: no such folder (a results folder holds cells/*.json and summary.json)\n`,
    );
  } finally {
    Deno.removeSync(reference, { recursive: true });
  }
});

Deno.test("compare_results: equal folders say how many cells were compared, on stdout, exit 0", () => {
  const cells = { a: { ndcg: 0.5, trainSeconds: 1 }, b: { ndcg: 0.25 } };
  const reference = resultsFolder(cells, { main: [1] });
  const other = resultsFolder({ ...cells, a: { ndcg: 0.5, trainSeconds: 7 } }, { main: [1] });
  try {
    const run = cli(reference, other);
    assertEquals([run.code, run.stderr], [0, ""]);
    assertEquals(
      run.stdout,
      `${other} equals ${reference}: 2 cells and the summary, bit-identical (timings left out)\n`,
    );
  } finally {
    for (const dir of [reference, other]) Deno.removeSync(dir, { recursive: true });
  }
});
