/**
 * The systems' table and bars of notebooks 02, 04 and 07: per metric the test mean over seeds and
 * its spread ("± std"; NaN, shown "–", for one run), the mean-only and extra columns in order, bars
 * with one standard deviation as error bars and the seed count in the legend; a metric a row lacks
 * or an unknown option is a SettingError, not an `undefined` cell.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { systemsBars, systemsTable } from "../../lib/notebook/systems_views.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { summaryRow } from "./_summary_rows.ts";

// As meanStd makes them: a single run's std is 0.
const over = (seeds: number[], mean: number) => ({
  mean,
  std: seeds.length > 1 ? mean / 10 : 0,
  n: seeds.length,
});
const row = (system: string, seeds: number[], ndcg: number, hr: number) =>
  summaryRow(system, {
    seeds,
    test: { "NDCG@10": over(seeds, ndcg), "HR@10": over(seeds, hr), "MRR": over(seeds, ndcg / 2) },
  });

// A row type with a field of its own, as the report's MainRow has its best epochs.
const pop = { ...row("Pop", [0], 0.02, 0.05), bestEpochs: "" };
const sasrec = { ...row("SASRec-MM", [0, 1, 2], 0.08, 0.15), bestEpochs: "12, 14, 9" };

Deno.test("systemsTable: system, seeds, mean and ± std per metric, means only, extra columns", () => {
  const table = systemsTable([pop, sasrec], {
    caption: "MovieLens, test",
    metrics: ["NDCG@10", "HR@10"],
    meansOnly: ["MRR"],
    extraColumns: [{ heading: "best epochs", cell: (r) => r.bestEpochs }],
  });
  assertEquals(table.caption, "MovieLens, test");
  assertEquals(table.columns, [
    "system",
    "seeds",
    "NDCG@10",
    "± std",
    "HR@10",
    "± std",
    "MRR",
    "best epochs",
  ]);
  // One run has no spread: NaN, which a table prints as "–" (a 0 would read "no variation").
  assertEquals(table.rows[0], ["Pop", 1, 0.02, Number.NaN, 0.05, Number.NaN, 0.01, ""]);
  assertEquals(table.rows[1], ["SASRec-MM", 3, 0.08, 0.008, 0.15, 0.015, 0.04, "12, 14, 9"]);
});

Deno.test("systemsTable: no caption key without a caption; a metric a row lacks is named", () => {
  const table = systemsTable([pop], { metrics: ["HR@10"] });
  assertEquals("caption" in table, false);
  assertEquals(table.columns, ["system", "seeds", "HR@10", "± std"]);
  const error = assertThrows(
    () => systemsTable([pop], { metrics: ["NDCG@20"] }),
    SettingError,
    '"NDCG@20"; allowed: one of "NDCG@10", "HR@10", "MRR"',
  ) as SettingError;
  assertEquals(error.setting, "systemsTable metric (test metrics of Pop)");
  assertThrows(
    () => systemsTable([pop], { metrics: ["HR@10"], meanOnly: ["MRR"] } as never),
    SettingError,
    "SystemsTableOptions.meanOnly",
  );
});

Deno.test("systemsBars: a group per metric, a series per system with its seeds, std error bars", () => {
  const figure = systemsBars([pop, sasrec], {
    metrics: ["NDCG@10", "HR@10"],
    title: "Baselines",
    yTitle: "test metric",
  });
  assertEquals(figure.layout.title?.text, "Baselines");
  assertEquals(figure.layout.yaxis?.title?.text, "test metric");
  assertEquals(figure.data.map((trace) => trace.name), ["Pop (1 seed)", "SASRec-MM (3 seeds)"]);
  const [popBars, sasrecBars] = figure.data;
  if (popBars.type !== "bar" || sasrecBars.type !== "bar") throw new Error("bar traces expected");
  assertEquals(sasrecBars.x, ["NDCG@10", "HR@10"]);
  assertEquals(sasrecBars.y, [0.08, 0.15]);
  assertEquals(sasrecBars.error_y?.array, [0.008, 0.015]);
  // One seed: no error bar (a flat whisker of 0 read as "no variation over seeds").
  const popWhiskers = figure.data.filter((trace) => trace.name === "Pop (1 seed)")
    .map((trace) => trace.type === "bar" ? trace.error_y?.array : undefined);
  assert(popWhiskers.every((array) => array === undefined), JSON.stringify(popWhiskers));
});

Deno.test("systemsBars: no rows, a metric a row lacks, an unknown option are refused", () => {
  assertThrows(() => systemsBars([], { metrics: ["HR@10"] }), Error, "systemsBars: no rows");
  assertThrows(() => systemsBars([pop], { metrics: ["HR@20"] }), SettingError, '"HR@20"');
  assertThrows(
    () => systemsBars([pop], { metrics: ["HR@10"], caption: "x" } as never),
    SettingError,
    "SystemsBarsOptions.caption",
  );
});

Deno.test("systemsTable and systemsBars: metrics that are not a list of names are refused", () => {
  // A notebook is not type-checked: a single name failed with "metrics.flatMap is not a function"
  // (a TypeError naming no option), and bars of no metric drew an empty figure.
  const allowed = 'a list of test metric names, e.g. ["NDCG@10"]';
  const bad: Array<[() => unknown, string, string]> = [
    [
      () => systemsTable([pop], { metrics: "NDCG@10" as never }),
      "SystemsTableOptions.metrics",
      allowed,
    ],
    [
      () => systemsTable([pop], { metrics: ["NDCG@10"], meansOnly: "MRR" as never }),
      "SystemsTableOptions.meansOnly",
      allowed,
    ],
    [() => systemsTable([], { metrics: [10] as never }), "SystemsTableOptions.metrics", allowed],
    [
      () => systemsBars([pop], { metrics: "HR@10" as never }),
      "SystemsBarsOptions.metrics",
      "at least one",
    ],
    [() => systemsBars([pop], { metrics: [] }), "SystemsBarsOptions.metrics", "at least one"],
  ];
  for (const [call, setting, text] of bad) {
    const error = assertThrows(call, SettingError);
    assertEquals((error as SettingError).setting, setting, error.message);
    assert(error.message.includes(text), error.message);
  }
  // A table of the means alone, with no "± std" metric, stays valid.
  assertEquals(systemsTable([pop], { metrics: [], meansOnly: ["MRR"] }).columns, [
    "system",
    "seeds",
    "MRR",
  ]);
});

Deno.test("systemsBars: a metric a row lacks is named as systemsBars', with the row's system", () => {
  // A notebook's error must point at the call that failed: systemsBars, not systemsTable.
  const error = assertThrows(
    () => systemsBars([pop, sasrec], { metrics: ["HR@10", "HR@20"] }),
    SettingError,
    '"HR@20"; allowed: one of "NDCG@10", "HR@10", "MRR"',
  ) as SettingError;
  assertEquals(error.setting, "systemsBars metric (test metrics of Pop)");
});
