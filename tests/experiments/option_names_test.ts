/**
 * The option bags of the plan, the plan runner, a cell, a hand-written system, the dataset spec,
 * the truth score and the contrastive views refuse a name they do not read and a value they do not
 * know, before any work: each typo below used to run the default without a word (a full-ranking
 * plan, hours of training, the plain backbone under Demure's name, a dataset without its features,
 * another score, another view).
 */
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { scoreAgainstTruth } from "../../lib/attribution/score_against_truth.ts";
import { buildContrastiveViews } from "../../lib/demure/views.ts";
import { prepareDataset, type PreparedDataset } from "../../lib/experiments/datasets.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { runPlan } from "../../lib/experiments/run_plan.ts";
import { runCell } from "../../lib/experiments/run_cell.ts";
import { SYSTEMS, type SystemSpec } from "../../lib/experiments/systems.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { SettingError } from "../../lib/util/settings.ts";

function assertSetting(error: Error, setting: string, guess?: string): void {
  assert(error instanceof SettingError, `${error}`);
  assertEquals(error.setting, setting);
  if (guess !== undefined) assert(error.message.endsWith(`did you mean ${guess}?`), error.message);
}

Deno.test("planExperiments: an unknown option is refused with the closest name", () => {
  const error = assertThrows(() =>
    planExperiments("quick", undefined, { rankng: "sampled" } as never)
  );
  assertSetting(error, "PlanOptions.rankng", "ranking");
  // Every documented option is still accepted.
  assertEquals(planExperiments("quick", undefined, { trialBudget: 1 }).mode, "quick");
});

Deno.test("planExperiments: a ranking that is none of the protocols is refused as the plan's option", () => {
  // "", null, 0 and false built the default ranking's plan without a word; a misspelt one was
  // refused only as the cells' TrainerConfig.ranking.
  for (const ranking of ["", null, 0, false, "history_kepd"]) {
    const error = assertThrows(() => planExperiments("quick", undefined, { ranking } as never));
    assertSetting(error, "PlanOptions.ranking");
    assert(
      error.message.includes('allowed: one of "history_excluded", "history_kept"'),
      `${error}`,
    );
  }
  // Both protocols are still plans; the default one is the plan asked without it.
  const plain = planExperiments("quick");
  assertEquals(planExperiments("quick", undefined, { ranking: "history_excluded" }), plain);
  const kept = planExperiments("quick", undefined, { ranking: "history_kept" });
  assertEquals(kept.cells[0].training.ranking, "history_kept");
});

Deno.test("runPlan: an unknown option is refused before anything is read or written", async () => {
  const resultsDir = `${await Deno.makeTempDir({ prefix: "run_plan_options_" })}/results`;
  const error = await assertRejects(() =>
    runPlan(planExperiments("quick"), { resultsDir, runPendng: false } as never)
  );
  assertSetting(error, "RunPlanOptions.runPendng", "runPending");
  assertThrows(() => Deno.statSync(resultsDir), Deno.errors.NotFound);
  await Deno.remove(resultsDir.replace(/\/results$/, ""), { recursive: true });
});

Deno.test("runPlan: an option of the wrong kind or out of range is refused before anything is written", async () => {
  // Each was taken: runPending "false" (truthy) trained every pending cell, and a poll interval of
  // NaN or -1 polled the store without a pause while another process held a cell.
  const bad: [Record<string, unknown>, string, string][] = [
    [{ runPending: "false" }, "RunPlanOptions.runPending", '"false"'],
    [{ waitForOthers: "no" }, "RunPlanOptions.waitForOthers", '"no"'],
    [{ continueOnFailure: 1 }, "RunPlanOptions.continueOnFailure", "1"],
    [{ waitSeconds: NaN }, "RunPlanOptions.waitSeconds", "NaN"],
    [{ waitSeconds: 0 }, "RunPlanOptions.waitSeconds", "0"],
    [{ waitSeconds: -1 }, "RunPlanOptions.waitSeconds", "-1"],
    [{ workers: 0 }, "RunPlanOptions.workers", "0"],
    [{ workers: 1.5 }, "RunPlanOptions.workers", "1.5"],
    [{ firstDataset: "beauty" }, "RunPlanOptions.firstDataset", '"beauty"'],
  ];
  const parent = await Deno.makeTempDir({ prefix: "run_plan_options_" });
  const resultsDir = `${parent}/results`;
  // No cells: a run that got through returns at once instead of training.
  const plan = { ...planExperiments("quick"), cells: [] };
  try {
    for (const [extra, setting, value] of bad) {
      const error = await assertRejects(() =>
        runPlan(plan, { resultsDir, log: () => {}, ...extra } as never)
      );
      assertSetting(error, setting);
      assert(error.message.includes(`is ${value};`), error.message);
      assertThrows(() => Deno.statSync(resultsDir), Deno.errors.NotFound);
    }
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("scoreAgainstTruth: an unknown name or a misspelt value is refused", () => {
  const truth = { modalityNames: ["text"], pointsOfInterest: Uint8Array.of(1) };
  const cases: [Record<string, unknown>, string, string | undefined][] = [
    [{ levl: "pair" }, "TruthScoreConfig.levl", "level"],
    [{ scoreBy: "normalized" }, "TruthScoreConfig.scoreBy", undefined],
    [{ level: "user" }, "TruthScoreConfig.level", undefined],
  ];
  for (const [config, setting, guess] of cases) {
    assertSetting(assertThrows(() => scoreAgainstTruth([], truth, config)), setting, guess);
  }
});

Deno.test("buildContrastiveViews: an unknown option or empty-position policy is refused", () => {
  const views = (options: Record<string, unknown>) => () =>
    buildContrastiveViews([1], Uint8Array.of(1), [1, 1, 1], options);
  assertSetting(
    assertThrows(views({ emptyPositon: "allow_empty" })),
    "ContrastiveViewOptions.emptyPositon",
    "emptyPosition",
  );
  assertSetting(
    assertThrows(views({ emptyPosition: "allow-empty" })),
    "ContrastiveViewConfig.emptyPosition",
  );
  // The allowed policies still build: allow_empty leaves the one pair's positive view empty.
  assertEquals(
    Array.from(
      buildContrastiveViews([1], Uint8Array.of(1), [1, 1, 1], {
        emptyPosition: "allow_empty",
      }).positive,
    ),
    [0],
  );
});

Deno.test("a dataset spec the library would misread is refused where it enters", async () => {
  const cases: [Record<string, unknown>, string, string | undefined][] = [
    // Fell through to the synthetic generator, then a TypeError naming nothing.
    [{ kind: "MovieLens" }, "DatasetSpec.kind", undefined],
    [{ kind: "movielens", config: {} }, "DatasetSpec.config", undefined],
    // A synthetic spec's misspelt config was dropped: the default generator ran.
    [{ kind: "synthetic", confg: { numUsers: 50 } }, "DatasetSpec.confg", "config"],
    // The features were dropped without a word.
    [
      { kind: "file", path: "mine.txt", format: "sequence", featurs: [] },
      "FileDatasetSpec.featurs",
      "features",
    ],
    [{ kind: "file", path: "", format: "sequence" }, "FileDatasetSpec.path", undefined],
    [{ kind: "file", path: "mine.txt", format: "csv" }, "FileDatasetSpec.format", undefined],
    // One feature file, not in a list: a TypeError naming nothing.
    [
      { kind: "file", path: "mine.txt", format: "sequence", features: "img.txt" },
      "FileDatasetSpec.features",
      undefined,
    ],
    [
      { kind: "file", path: "mine.txt", format: "sequence", label: "" },
      "FileDatasetSpec.label",
      undefined,
    ],
  ];
  for (const [spec, setting, guess] of cases) {
    assertSetting(await assertRejects(() => prepareDataset(spec as never)), setting, guess);
    assertSetting(
      assertThrows(() => planExperiments("quick", undefined, { dataset: spec as never })),
      setting,
      guess,
    );
  }
});

Deno.test("runCell: a misspelt cell setting or a hand-written system it would misread is refused", async () => {
  await initBackend({ verbose: false });
  // Checked before the data is read: no dataset is needed to be refused.
  const data = {} as PreparedDataset;
  const sasrec = SYSTEMS["SASRec-MM"];
  const cases: [SystemSpec, Record<string, unknown>, string, string | undefined][] = [
    [sasrec, { seed: 0, trainng: { maxEpochs: 1 } }, "CellSettings.trainng", "training"],
    // Trained the plain backbone under the Demure system's name.
    [{ ...sasrec, demre: { lambda: 0.1 } } as never, { seed: 0 }, "SystemSpec.demre", "demure"],
    [{ ...sasrec, kind: "nueral" } as never, { seed: 0 }, "SystemSpec.kind", undefined],
    [{ ...sasrec, backbone: "bert4rec" } as never, { seed: 0 }, "SystemSpec.backbone", undefined],
    [{ ...sasrec, modalities: "text" } as never, { seed: 0 }, "SystemSpec.modalities", undefined],
    [
      { ...SYSTEMS.Pop, backbone: "sasrec" } as never,
      { seed: 0 },
      "SystemSpec.backbone",
      undefined,
    ],
  ];
  for (const [system, settings, setting, guess] of cases) {
    const error = await assertRejects(() =>
      runCell(data, system, "hand-written", settings as never)
    );
    assertSetting(error, setting, guess);
  }
});
