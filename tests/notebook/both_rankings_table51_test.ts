/**
 * Notebook 08's table of both ranking protocols: each column holds the numbers of the protocol its
 * heading names, whichever protocol the plan ranked with. The notebook wrote its headings out,
 * "history excluded" over `summary.main`, so a plan run with `{ ranking: "history_kept" }` (as its
 * prose invites) showed the two protocols' numbers under each other's headings (found in session
 * 51's first-hour check of notebook 08).
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import type { RankingProtocol } from "../../lib/eval/protocol.ts";
import { bothRankingsTable } from "../../lib/notebook/both_rankings_table.ts";
import { settingError } from "../_setting_error.ts";
import { bothRankingsSummary, meanOver, summaryRow } from "./_summary_rows.ts";

/** The SettingError `body` throws, which names `setting`. */
function assertSettingError(body: () => unknown, setting: string) {
  const error = settingError(body);
  assertEquals(error.setting, setting);
  return error;
}

const row = (system: string, ndcg: number, hr: number) =>
  summaryRow(system, {
    dataset: "tiny",
    test: { "NDCG@10": meanOver(ndcg), "HR@10": meanOver(hr) },
  });

/** Excluding the history can only lift a target: the excluded numbers are the larger ones. */
const EXCLUDED = [row("Pop", 0.21, 0.37), row("SASRec-MM", 0.39, 0.64)];
const KEPT = [row("Pop", 0.18, 0.33), row("SASRec-MM", 0.18, 0.41)];

/** A summary of a plan that ranked with `ranking`: main under it, otherRanking the other one. */
const summaryRankedWith = (ranking: RankingProtocol) =>
  ranking === "history_excluded"
    ? bothRankingsSummary(EXCLUDED, KEPT, ranking)
    : bothRankingsSummary(KEPT, EXCLUDED, ranking);

const COLUMNS = [
  "system",
  "NDCG@10 (history excluded)",
  "NDCG@10 (history kept)",
  "HR@10 (history excluded)",
  "HR@10 (history kept)",
];
const ROWS = [["Pop", 0.21, 0.18, 0.37, 0.33], ["SASRec-MM", 0.39, 0.18, 0.64, 0.41]];

for (const ranking of ["history_excluded", "history_kept"] as const) {
  Deno.test(`bothRankingsTable: a plan ranked ${ranking} puts each protocol's numbers under its own heading`, () => {
    const table = bothRankingsTable(summaryRankedWith(ranking), "tiny", {
      metrics: ["NDCG@10", "HR@10"],
      shows: "tiny, quick mode",
    });
    const [first, other] = ranking === "history_excluded"
      ? ["history excluded", "history kept"]
      : ["history kept", "history excluded"];
    // The library's caption: the protocol, with the ranking of each column named.
    assertEquals(
      table.caption,
      "tiny, quick mode. Test NDCG@10, HR@10 on tiny under both full-ranking protocols. " +
        "Protocol. Data: tiny (5 users, 6 items). Split: leave-one-out by time. " +
        "Loss: L_rec = cross-entropy over all items, all positions. Ranking: full ranking over " +
        `all items of the dataset, history items ${first.slice(8)} [${ranking}], in the columns ` +
        `"(${first})"; in the columns "(${other})", the same with the history items ` +
        `${other.slice(8)} [${
          other.replace(" ", "_")
        }]. Seed 0: one run per number, no mean ± std (no spread over seeds).`,
    );
    assertEquals(table.columns, COLUMNS);
    assertEquals(table.rows, ROWS);
    assertEquals(
      table.best,
      Object.fromEntries(COLUMNS.slice(1).map((column) => [column, "higher"])),
    );
  });
}

Deno.test("bothRankingsTable: a dataset without both tables, a metric a row lacks, a typo'd option are SettingErrors", () => {
  const summary = summaryRankedWith("history_kept");
  const error = assertSettingError(
    () => bothRankingsTable(summary, "Tiny", { metrics: ["NDCG@10"] }),
    "bothRankingsTable label (datasets with both rankings)",
  );
  assertStringIncludes(error.message, "tiny");
  assertSettingError(
    () => bothRankingsTable(summary, "tiny", { metrics: ["NDCG@20"] }),
    "bothRankingsTable metric (test metrics of Pop)",
  );
  assertSettingError(
    () => bothRankingsTable(summary, "tiny", { metrics: [] }),
    "BothRankingsTableOptions.metrics",
  );
  assertSettingError(
    // @ts-expect-error: a typo of `metrics`, refused rather than read as no metric
    () => bothRankingsTable(summary, "tiny", { metric: ["NDCG@10"] }),
    "BothRankingsTableOptions.metric",
  );
});
