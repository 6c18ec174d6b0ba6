/**
 * The whole plan's size as README.md, docs/performance.md and docs/scale.md state it ("208 cells,
 * N distinct runs"), held to the committed records: the cells are the record files, the distinct
 * runs the distinct settings among them (a cell whose settings equal another cell's reuses that
 * run, so a run of the plan trains each settings once). All three said 183 until 2026-12-06, a
 * count carried forward by hand, while the records held 180 distinct settings (and 184 trainings:
 * four cells had been trained apart at settings equal to another cell's).
 */
import { assertEquals } from "@std/assert";

const root = new URL("../../", import.meta.url).pathname;
const cellsDir = `${root}results-of-record/full/cells`;

/** `value` as JSON with every object's keys sorted, so equal settings give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${
      entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(",")
    }}`;
  }
  return JSON.stringify(value);
}

/** The record files and the distinct settings among them. */
function recordsSize(): { cells: number; runs: number } {
  const settings = new Set<string>();
  let cells = 0;
  for (const entry of Deno.readDirSync(cellsDir)) {
    if (!entry.isFile || !entry.name.endsWith(".json")) continue;
    cells++;
    const record = JSON.parse(Deno.readTextFileSync(`${cellsDir}/${entry.name}`));
    settings.add(canonical(record.settings));
  }
  return { cells, runs: settings.size };
}

/** The cells and runs `pattern` captures in `file`, which it must match exactly once. */
function stated(file: string, pattern: RegExp): { cells: number; runs: number } {
  const text = Deno.readTextFileSync(`${root}${file}`).replace(/\s+/g, " ");
  const matches = [...text.matchAll(new RegExp(pattern.source, "g"))];
  assertEquals(matches.length, 1, `${file}: ${pattern} matched ${matches.length}`);
  return { cells: Number(matches[0][1]), runs: Number(matches[0][2]) };
}

Deno.test("README, docs/performance.md and docs/scale.md: the whole plan's cells and distinct runs are the records'", () => {
  const records = recordsSize();
  assertEquals(stated("README.md", /: (\d+) cells, (\d+) distinct runs/), records, "README.md");
  assertEquals(
    stated("docs/performance.md", /to (\d+) cells, (\d+) distinct runs/),
    records,
    "docs/performance.md",
  );
  assertEquals(
    stated("docs/scale.md", /\| (\d+) \((\d+) distinct runs\)/),
    records,
    "docs/scale.md",
  );
});
