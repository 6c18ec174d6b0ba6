/**
 * A check of `bothRankingsTable` (lib/notebook/both_rankings_table.ts) that a hand mutation round
 * (session 53, mu53a) found unpinned: `metrics` given as one text instead of a list, and the
 * caption of a plan over several seeds (the table shows means only, never ± std).
 */
import { assertEquals } from "@std/assert";
import { AGGREGATE_WORDS } from "../../lib/experiments/protocol_caption.ts";
import { bothRankingsTable } from "../../lib/notebook/both_rankings_table.ts";
import { settingError } from "../_setting_error.ts";
import { bothRankingsSummary, meanOver, summaryRow } from "./_summary_rows.ts";

const ROWS = [summaryRow("Pop", { dataset: "tiny", test: { "NDCG@10": meanOver(0.2) } })];

/** A summary with both tables for "tiny". */
const SUMMARY = bothRankingsSummary(ROWS, ROWS);

// Mutant: `!Array.isArray(metrics) || ` left out (a text of metrics failed later as a TypeError,
// "metrics.flatMap is not a function", naming no setting).
Deno.test("bothRankingsTable: metrics given as one text is a SettingError naming it, not a TypeError", () => {
  const error = settingError(() =>
    bothRankingsTable(SUMMARY, "tiny", { metrics: "NDCG@10" as unknown as string[] })
  );
  assertEquals([error.setting, error.value], ["BothRankingsTableOptions.metrics", "NDCG@10"]);
  // The same table with the metric in a list.
  assertEquals(bothRankingsTable(SUMMARY, "tiny", { metrics: ["NDCG@10"] }).rows, [[
    "Pop",
    0.2,
    0.2,
  ]]);
});

// Mutant: `protocol.aggregate === "one run" ? "one run" : "mean"` -> `protocol.aggregate` (the
// caption promised "mean ± std" for a table of means alone).
Deno.test("bothRankingsTable: over several seeds the caption says each number is a mean, with no ± std", () => {
  const protocol = SUMMARY.figureProtocols.main.tiny;
  const seeded = {
    ...SUMMARY,
    figureProtocols: { main: { tiny: { ...protocol, seeds: [0, 1, 2], aggregate: "mean ± std" } } },
  } as unknown as Parameters<typeof bothRankingsTable>[0];
  const { caption } = bothRankingsTable(seeded, "tiny", { metrics: ["NDCG@10"] });
  assertEquals(caption?.endsWith(`Seeds 0, 1, 2: ${AGGREGATE_WORDS.mean}.`), true, caption);
  assertEquals(caption?.includes(AGGREGATE_WORDS["mean ± std"]), false, caption);
});

// Mutant: `Object.keys(summary.otherRanking)` -> `Object.keys(summary.main)` (a label with a main
// table but no other protocol's passed the check, then failed as a TypeError naming nothing).
Deno.test("bothRankingsTable: a label with the main table alone is refused, naming the labels with both", () => {
  const mainOnly = {
    ...SUMMARY,
    main: { ...SUMMARY.main, solo: SUMMARY.main.tiny },
  } as unknown as Parameters<typeof bothRankingsTable>[0];
  const error = settingError(() => bothRankingsTable(mainOnly, "solo", { metrics: ["NDCG@10"] }));
  assertEquals(error.setting, "bothRankingsTable label (datasets with both rankings)");
  assertEquals([error.value, error.allowed], ["solo", 'one of "tiny"']);
});

// Mutant: the caption read the first dataset's protocol, whichever label was asked for.
Deno.test("bothRankingsTable: the caption names the protocol of the label's own dataset", () => {
  const tiny = SUMMARY.figureProtocols.main.tiny;
  const two = {
    main: { ...SUMMARY.main, other: SUMMARY.main.tiny },
    otherRanking: { ...SUMMARY.otherRanking, other: SUMMARY.otherRanking.tiny },
    figureProtocols: { main: { tiny, other: { ...tiny, data: ["other (7 users, 8 items)"] } } },
  } as unknown as Parameters<typeof bothRankingsTable>[0];
  const { caption } = bothRankingsTable(two, "other", { metrics: ["NDCG@10"] });
  assertEquals(caption?.includes("Data: other (7 users, 8 items)."), true, caption);
  assertEquals(caption?.includes("tiny (5 users"), false, caption);
});
