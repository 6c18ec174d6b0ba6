/**
 * The costs README.md states for the selection-budget checks (`bench/selection_budget_check.ts`,
 * whose tables and logs are in `docs/measurements/`), held to those logs. A log has each cell's
 * training time ("(2.0 min; ...", "(75 s; ...") but no start or end of the run: a training time
 * stated must be the sum of its log's cells, and a wall time, which no log holds, must be said to
 * be observed and not logged. "Cost: 2.6 h of training, 86 min of wall time in two processes" and
 * "15 min of wall time" were stated as measured: the MovieLens log holds one of its two processes
 * (its cells sum to 76.8 min), and neither log has a time of day for the run's start or end.
 */
import { assert, assertEquals } from "@std/assert";

const root = new URL("../../", import.meta.url).pathname;

/** What says that a time was seen while the check ran, not read from its log. */
const NOT_LOGGED = "not logged";

/** README's nested bullets (`  - ...` with their continuation lines), line breaks as spaces. */
function subBullets(readme: string): string[] {
  const bullets: string[] = [];
  for (const line of readme.split("\n")) {
    if (line.startsWith("  - ")) bullets.push(line.slice(4));
    else if (/^ {4}\S/.test(line) && bullets.length > 0) {
      bullets[bullets.length - 1] += ` ${line.trim()}`;
    } else if (!/^ {4}/.test(line)) bullets.push(""); // a bullet ends; "" names no measurement
  }
  return bullets.filter((bullet) => bullet !== "");
}

/** The training minutes of every cell a selection-budget log reports, summed. */
function loggedTrainingMinutes(log: string): number {
  let minutes = 0;
  for (
    const [, value, unit] of log.matchAll(/^\[\d+(?:\/\d+)?\] \S+: .*?\((\d+(?:\.\d+)?) (s|min);/gm)
  ) {
    minutes += Number(value) / (unit === "s" ? 60 : 1);
  }
  return minutes;
}

/** Half a unit of the last digit `text` gives, in minutes when `unit` is "h" or "min". */
function halfLastDigit(text: string, unit: string): number {
  const decimals = text.includes(".") ? text.length - text.indexOf(".") - 1 : 0;
  return 0.5 * 10 ** -decimals * (unit === "h" ? 60 : 1);
}

Deno.test("README: a selection-budget check's stated cost is its log's sum, or said not to be logged", () => {
  const readme = Deno.readTextFileSync(`${root}README.md`);
  const checks = subBullets(readme).map((bullet) => ({
    bullet,
    json: bullet.match(/docs\/measurements\/selection_budget_[\w-]+\.json/)?.[0],
  })).filter((check) => check.json !== undefined);
  // The three checks with costs of their own (2026-12-02's is stated in its parent bullet).
  assertEquals(checks.length, 3, checks.map((check) => check.json).join(", "));
  let costs = 0;
  for (const { bullet, json } of checks) {
    const log = Deno.readTextFileSync(`${root}${json!.replace(/\.json$/, ".log")}`);
    // Sentences end at ". " (the numbers and paths hold no space after a dot).
    for (const sentence of bullet.split(/(?<=\.) /)) {
      for (
        const [fragment, value, unit, kind] of sentence.matchAll(
          /(\d+(?:\.\d+)?) (h|min) of (training|wall time)/g,
        )
      ) {
        costs++;
        if (sentence.includes(NOT_LOGGED)) continue;
        assert(
          kind === "training",
          `${json}: "${fragment}": no log holds a wall time (${sentence})`,
        );
        const stated = Number(value) * (unit === "h" ? 60 : 1);
        const logged = loggedTrainingMinutes(log);
        assert(
          Math.abs(stated - logged) <= halfLastDigit(value, unit),
          `${json}: "${fragment}", its log's cells ${logged.toFixed(1)} min (${sentence})`,
        );
      }
    }
  }
  // The costs the checks state today (MovieLens SASRec: training and wall; synthetic GRU4Rec:
  // wall): a rewording that the pattern no longer reads would pass unchecked.
  assertEquals(costs, 3);
});

Deno.test("loggedTrainingMinutes: a log's cells in seconds and minutes, other lines not", () => {
  const log = [
    "[1] full/MovieLens/SASRec-MM/trial=2/seed=0: valid NDCG@10 0.0695, best epoch 28/200 " +
    "(2.0 min; about 4.0 min of the planned cells left)",
    // A line of today's runs: the cell's place in the whole plan and the plan's size.
    "[2/3] full/Synthetic/GRU4Rec-MM/trial=3/seed=0: valid NDCG@10 0.1577, best epoch 66/200 " +
    "(75 s; about 0 s of the planned cells left)",
    "full reproduction: 3 cells planned; the planned ones take about 32.5 min of training",
  ].join("\n");
  assertEquals(loggedTrainingMinutes(log), 3.25);
  // The committed MovieLens log holds one of its run's two processes: 76.8 min.
  const movielens = Deno.readTextFileSync(
    `${root}docs/measurements/selection_budget_movielens_after_backbone_2026-12-03.log`,
  );
  assertEquals(loggedTrainingMinutes(movielens).toFixed(1), "76.8");
});
