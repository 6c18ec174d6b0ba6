/**
 * The notebooks' prose quotes the results of record ("SASRec-MM 0.0853 ± 0.0070"): what a reader
 * of a rendered page takes away, written by hand. Nothing re-derived those quotes, so a record that
 * moved (a rerun, a changed metric or standard deviation) left the page saying the old number.
 * Every "mean ± std" in a notebook's markdown must be what the report's own formatting
 * (`formatMeanStd`: 4 decimals, sample standard deviation) prints for some system of the full
 * results of record, on test or validation, for some metric.
 */
import { assert, assertEquals } from "@std/assert";
import { type CellResult, formatMeanStd, summariseSystems } from "../../lib/experiments/mod.ts";

const root = new URL("../../", import.meta.url);
const cellsDir = new URL("results-of-record/full/cells/", root);
const notebooksDir = new URL("notebooks/", root);

/** A "0.0853 ± 0.0070" quote, the two numbers possibly wrapped onto two lines of the source. */
const MEAN_STD_QUOTE = /(\d+\.\d+)\s+±\s+(\d+\.\d+)/g;

async function recordedResults(): Promise<CellResult[]> {
  const results: CellResult[] = [];
  for await (const entry of Deno.readDir(cellsDir)) {
    if (!entry.isFile || !entry.name.endsWith(".json")) continue;
    const stored = JSON.parse(await Deno.readTextFile(new URL(entry.name, cellsDir)));
    results.push(stored.result as CellResult);
  }
  return results;
}

/**
 * Every "mean ± std" the report would print: each system of each dataset, each stage and metric,
 * over its first k seeds for every k >= 2 (a sweep's selected value is the main table's cell at the
 * sweep's seeds, the plan's first ones).
 */
function printableMeanStds(results: readonly CellResult[]): Set<string> {
  const printed = new Set<string>();
  for (const dataset of new Set(results.map((result) => result.dataset))) {
    const ofDataset = results.filter((result) => result.dataset === dataset);
    for (const system of new Set(ofDataset.map((result) => result.system))) {
      const runs = ofDataset.filter((result) => result.system === system)
        .sort((a, b) => a.seed - b.seed);
      for (let seeds = 2; seeds <= runs.length; seeds++) {
        for (const summary of summariseSystems(runs.slice(0, seeds), dataset, [system])) {
          for (const stage of [summary.test, summary.valid]) {
            for (const value of Object.values(stage)) printed.add(formatMeanStd(value));
          }
        }
      }
    }
  }
  return printed;
}

interface Quote {
  notebook: string;
  cell: number;
  text: string;
}

async function proseQuotes(): Promise<Quote[]> {
  const quotes: Quote[] = [];
  const names: string[] = [];
  for await (const entry of Deno.readDir(notebooksDir)) {
    if (entry.isFile && entry.name.endsWith(".ipynb")) names.push(entry.name);
  }
  for (const notebook of names.sort()) {
    const parsed = JSON.parse(await Deno.readTextFile(new URL(notebook, notebooksDir)));
    (parsed.cells as { cell_type: string; source: string | string[] }[]).forEach((cell, index) => {
      if (cell.cell_type !== "markdown") return;
      const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      for (const match of source.matchAll(MEAN_STD_QUOTE)) {
        quotes.push({ notebook, cell: index, text: `${match[1]} ± ${match[2]}` });
      }
    });
  }
  return quotes;
}

Deno.test("every mean ± std quoted in a notebook's prose is a result of record as the report prints it", async () => {
  const printed = printableMeanStds(await recordedResults());
  const quotes = await proseQuotes();
  // The notebooks' findings quote a few dozen (02, 03, 04, 07); none found means the pattern broke.
  assert(quotes.length >= 20, `only ${quotes.length} mean ± std quotes found in notebooks/`);
  const stale = quotes.filter((quote) => !printed.has(quote.text))
    .map((quote) => `${quote.notebook} cell ${quote.cell}: ${quote.text}`);
  assertEquals(stale, [], "quoted in the prose, but no system of the records has it");
});

Deno.test("the quote check reads the sample standard deviation, over the first seeds, as the report does", () => {
  // Seeds 0.1 and 0.2: sample std 0.0707 (n - 1), where the population std would be 0.0500; with
  // the third seed 0.6: 0.3000 ± 0.2646. A single run has no "±" to quote.
  const result = (seed: number, ndcg: number) =>
    ({
      system: "S",
      dataset: "D",
      seed,
      test: { "NDCG@10": ndcg },
      valid: {},
    }) as unknown as CellResult;
  const printed = printableMeanStds([result(2, 0.6), result(0, 0.1), result(1, 0.2)]);
  assertEquals([...printed].sort(), ["0.1500 ± 0.0707", "0.3000 ± 0.2646"]);
  assertEquals([...printableMeanStds([result(0, 0.1)])], []);
});
