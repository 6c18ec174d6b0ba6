/**
 * Every "mean ± std" in README.md's summary ("**In brief.**", up to "## Three commands") is a
 * number of record: it occurs in the tables `deno task report` generates from the records (held
 * to them by readme_tables_test), or it is the mean and standard deviation of a check beside the
 * plan, in its measurement file under docs/measurements/ (the JSON the check wrote). The summary
 * is prose, never regenerated: a number retyped by hand, or left behind when the records or a
 * check changed, fails here.
 */
import { assert, assertEquals } from "@std/assert";
import { README_TABLES_START } from "../../lib/experiments/markdown_report.ts";

const root = new URL("../../", import.meta.url).pathname;
const readme = Deno.readTextFileSync(`${root}README.md`);

/** `text` between `from` (included) and `to`, each found once in order, line breaks as spaces. */
function section(text: string, from: string, to: string): string {
  const start = text.indexOf(from);
  const end = text.indexOf(to, start);
  assert(start >= 0 && end > start, `README.md: no '${from}' before '${to}'`);
  return text.slice(start, end).replace(/\s+/g, " ");
}

/** "mean ± std" at four decimals for every object with numeric `mean` and `std` in `value`. */
function meanStdPairs(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) value.forEach((inner) => meanStdPairs(inner, into));
  else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record.mean === "number" && typeof record.std === "number") {
      into.add(`${record.mean.toFixed(4)} ± ${record.std.toFixed(4)}`);
    }
    Object.values(record).forEach((inner) => meanStdPairs(inner, into));
  }
  return into;
}

/** The mean ± std pairs of every JSON measurement file. */
function measuredPairs(): Set<string> {
  const pairs = new Set<string>();
  const dir = `${root}docs/measurements`;
  for (const entry of Deno.readDirSync(dir)) {
    if (entry.isFile && entry.name.endsWith(".json")) {
      meanStdPairs(JSON.parse(Deno.readTextFileSync(`${dir}/${entry.name}`)), pairs);
    }
  }
  return pairs;
}

Deno.test("README summary: every mean ± std is in the generated tables or a measurement file", () => {
  const summary = section(readme, "**In brief.**", "## Three commands");
  const tables = section(readme, README_TABLES_START, "<!-- tables:end -->");
  const measured = measuredPairs();
  const stated = [...summary.matchAll(/\d+\.\d{4} ± \d+\.\d{4}/g)].map((match) => match[0]);
  assert(stated.length >= 10, `README summary: only ${stated.length} mean ± std found`);
  const unsourced = stated.filter((pair) => !tables.includes(pair) && !measured.has(pair));
  assertEquals(unsourced, [], "README summary: numbers found in no table and no measurement");
});
