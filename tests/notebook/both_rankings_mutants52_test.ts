/**
 * Checks of `bothRankingsTable` (lib/notebook/both_rankings_table.ts) that a hand mutation round
 * (session 52, mu52c) found no test pinned: a `shows` that is no text is refused, and a label with
 * only the other protocol's table (no main table) is a `SettingError` naming the labels that have
 * both, not a TypeError; a system missing from one protocol's table reads "–" there, not 0.
 */
import { assertEquals } from "@std/assert";
import type { MainRow } from "../../lib/experiments/summary_types.ts";
import { bothRankingsTable } from "../../lib/notebook/both_rankings_table.ts";
import { settingError } from "../_setting_error.ts";
import { bothRankingsSummary, meanOver, summaryRow } from "./_summary_rows.ts";

const ROWS = [summaryRow("Pop", { dataset: "tiny", test: { "NDCG@10": meanOver(0.2) } })];

/** A summary with both tables for "tiny", and only the other protocol's for "half". */
const BOTH = bothRankingsSummary(ROWS, ROWS);
const SUMMARY = { ...BOTH, otherRanking: { ...BOTH.otherRanking, half: BOTH.otherRanking.tiny } };

// Mutant: the check of `shows` left out (a number was drawn as its digits).
Deno.test("bothRankingsTable: a shows that is not a text is a SettingError naming it", () => {
  for (const shows of [5, null, ["tiny"]]) {
    const error = settingError(() =>
      bothRankingsTable(SUMMARY, "tiny", { metrics: ["NDCG@10"], shows } as never)
    );
    assertEquals([error.setting, error.value], ["BothRankingsTableOptions.shows", shows]);
  }
  const { caption } = bothRankingsTable(SUMMARY, "tiny", { metrics: ["NDCG@10"], shows: "Tiny" });
  assertEquals(caption?.startsWith("Tiny. Test NDCG@10 on tiny"), true, caption);
});

// Mutant: `.filter((name) => name in summary.main)` left out of the labels allowed.
Deno.test("bothRankingsTable: a label without a main table is refused, naming the labels with both", () => {
  const error = settingError(() => bothRankingsTable(SUMMARY, "half", { metrics: ["NDCG@10"] }));
  assertEquals(error.setting, "bothRankingsTable label (datasets with both rankings)");
  assertEquals([error.value, error.allowed], ["half", 'one of "tiny"']);
});

// Mutant: `return "–"` -> `return 0` for a system the other protocol's table lacks.
Deno.test("bothRankingsTable: a system missing under one protocol reads '–' there, never a number", () => {
  const sasrec = { ...ROWS[0], system: "SASRec-MM" };
  const summary = {
    ...SUMMARY,
    main: { tiny: { rows: [...ROWS, sasrec] as MainRow[], significance: [] } },
  } as typeof SUMMARY;
  const table = bothRankingsTable(summary, "tiny", { metrics: ["NDCG@10"] });
  assertEquals(table.columns, [
    "system",
    "NDCG@10 (history excluded)",
    "NDCG@10 (history kept)",
  ]);
  assertEquals(table.rows, [["Pop", 0.2, 0.2], ["SASRec-MM", 0.2, "–"]]);
});
