/**
 * docs/notebooks.md says how many cells notebook 08 trains on the test fixture; the counts are
 * its plans' (`planExperiments(mode, [0], { dataset })` on the RecBole files, as the notebook
 * calls it), and the fixture's users are the `.inter` file's. The page said "9 cells" for full
 * mode, the quick plan's count, until 2026-12-06: the full plan also runs GRU4Rec-MM and
 * Demure-GRU4Rec, 11 cells.
 */
import { assertEquals } from "@std/assert";
import type { FileDatasetSpec } from "../../lib/experiments/dataset_spec.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";

const root = new URL("../../", import.meta.url).pathname;
/** Notebook 08's RecBole spec, from the project root instead of `notebooks/`. */
const recbole: FileDatasetSpec = {
  kind: "file",
  path: `${root}tests/fixtures/byo/tiny`,
  format: "recbole",
};

Deno.test("docs/notebooks.md: notebook 08's cells and fixture users are its plans' and its files'", () => {
  const page = Deno.readTextFileSync(`${root}docs/notebooks.md`).replace(/\s+/g, " ");
  const pattern = /\((\d+) cells on the (\d+)-user fixture in full mode, (\d+) in quick mode\)/g;
  const matches = [...page.matchAll(pattern)];
  assertEquals(matches.length, 1, `docs/notebooks.md: ${pattern} matched ${matches.length}`);
  const [full, users, quick] = matches[0].slice(1).map(Number);
  const inter = Deno.readTextFileSync(`${root}tests/fixtures/byo/tiny.inter`).trim().split("\n");
  const fixtureUsers = new Set(inter.slice(1).map((line) => line.split("\t")[0])).size;
  assertEquals(
    { full, users, quick },
    {
      full: planExperiments("full", [0], { dataset: recbole }).cells.length,
      users: fixtureUsers,
      quick: planExperiments("quick", [0], { dataset: recbole }).cells.length,
    },
  );
});
