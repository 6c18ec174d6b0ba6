/**
 * One set of defaults: the code's defaults are the protocol the README states (the protocol
 * paragraph of its Results section). A change to either side must change the other.
 */
import { assertEquals } from "@std/assert";
import { DEFAULT_MODEL_CONFIG } from "../../lib/models/sequential_recommender.ts";
import { DEFAULT_TRAINER_CONFIG } from "../../lib/train/config.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";

const readme = Deno.readTextFileSync(new URL("../../README.md", import.meta.url));
const protocol = readme.slice(readme.indexOf("**Protocol**"), readme.indexOf("Datasets after"))
  .replace(/\s+/g, " ");

function stated(pattern: RegExp): number {
  const match = protocol.match(pattern);
  if (!match) throw new Error(`README protocol paragraph does not state ${pattern}`);
  return Number(match[1]);
}

Deno.test("the code's defaults are the README's protocol", () => {
  const readmeSays = {
    learningRate: stated(/lr ([\d.e-]+)/),
    batchSize: stated(/batch (\d+)/),
    dim: stated(/d = (\d+)/),
    blocks: stated(/(\d+) blocks/),
    heads: stated(/x (\d+) head/),
    dropout: stated(/dropout ([\d.]+)/),
    maxEpochs: stated(/at most (\d+) epochs/),
    patience: stated(/patience (\d+) epochs/),
    maxLength: stated(/the most recent (\d+) items/),
  };
  const code = {
    learningRate: DEFAULT_TRAINER_CONFIG.optimizer.learningRate,
    batchSize: DEFAULT_TRAINER_CONFIG.batchSize,
    dim: DEFAULT_MODEL_CONFIG.dim,
    blocks: DEFAULT_MODEL_CONFIG.sasrec.blocks,
    heads: DEFAULT_MODEL_CONFIG.sasrec.heads,
    dropout: DEFAULT_MODEL_CONFIG.sasrec.dropout,
    maxEpochs: DEFAULT_TRAINER_CONFIG.maxEpochs,
    patience: DEFAULT_TRAINER_CONFIG.patience,
    maxLength: DEFAULT_MODEL_CONFIG.maxLength,
  };
  assertEquals(code, readmeSays);
  assertEquals(DEFAULT_TRAINER_CONFIG.ranking, "history_excluded");
  assertEquals(DEFAULT_TRAINER_CONFIG.windows, "all");
});

Deno.test("the full plan only restates the defaults, except where a dataset says otherwise", () => {
  const plan = planExperiments("full");
  const { optimizer, ...rest } = plan.training;
  for (const [name, value] of Object.entries(rest)) {
    assertEquals(value, DEFAULT_TRAINER_CONFIG[name as keyof typeof rest], name);
  }
  assertEquals(optimizer, DEFAULT_TRAINER_CONFIG.optimizer);
  assertEquals(plan.model.dim, DEFAULT_MODEL_CONFIG.dim);
  // The one place where datasets depart from the defaults: each dataset's stopping rule.
  assertEquals(Object.keys(plan.datasetTraining), ["synthetic", "movielens"]);
  for (const [kind, training] of Object.entries(plan.datasetTraining)) {
    assertEquals(Object.keys(training ?? {}), ["maxEpochs", "patience"], kind);
  }
});
