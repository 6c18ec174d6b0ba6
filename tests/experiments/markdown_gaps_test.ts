/**
 * The markdown report (summary.md, the README's tables) prints a missing value as "–" with its
 * reason: a noise rate that a result file holds as null, an empty cold-start bucket.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { MODALITY_NEVER_PRESENT, modalityNoiseRates } from "../../lib/demure/noise_rates.ts";
import { summaryMarkdown } from "../../lib/experiments/markdown_report.ts";
import type { ReproductionSummary } from "../../lib/experiments/summary_types.ts";
import { recordsSummary } from "./_records_summary.ts";

const records = await recordsSummary();

Deno.test("markdown: a noise rate without pairs under a mask is '–' and why, not 0 %", () => {
  const [first, ...rest] = records.diagnosis;
  // As read from a result file: NaN was written as null (JSON has no NaN).
  const pairs = { id: { valid: 40, noise: 4 }, text: { valid: 0, noise: 0 } };
  const summary: ReproductionSummary = {
    ...records,
    diagnosis: [{
      ...first,
      noiseRateByModality: JSON.parse(JSON.stringify({ id: 0.1, text: Number.NaN })),
      noiseRates: modalityNoiseRates({ pairsByModality: pairs }),
    }, ...rest],
  };
  const markdown = summaryMarkdown(summary);
  assertStringIncludes(markdown, `over its training: id 10 %, text – (${MODALITY_NEVER_PRESENT}).`);
  assertEquals(markdown.includes("text 0 %"), false);
});

Deno.test("markdown: an empty cold-start bucket is '–' with the reason, not 0.0000", () => {
  const [label, buckets] = Object.entries(records.coldStart)[0];
  const systems = Object.keys(buckets[0].bySystem);
  const empty = {
    label: ">= 5000",
    min: 5000,
    max: Infinity,
    users: 0,
    bySystem: Object.fromEntries(
      systems.map((s) => [s, { "NDCG@10": Number.NaN, "HR@10": Number.NaN }]),
    ),
  };
  const markdown = summaryMarkdown({
    ...records,
    coldStart: { ...records.coldStart, [label]: [...buckets, empty] },
  });
  assertStringIncludes(markdown, `| >= 5000 | 0 | ${systems.map(() => "–").join(" | ")} |`);
  assertStringIncludes(
    markdown,
    "– no value: >= 5000: no test user's item has >= 5000 training interactions.",
  );
  assertEquals(markdown.includes("NaN"), false);
});
