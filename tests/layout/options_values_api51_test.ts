/**
 * Every field of the settings objects a caller passes (the `...Options`, `...Config` and
 * `...Settings` interfaces the root `mod.ts` and the folders' `mod.ts` export)
 * refuses null, a value of another kind (text for a number, a number for a callback or a text),
 * NaN, and the object an unknown name, with a `SettingError` naming the setting, the value and
 * what is allowed: left out or `undefined` is the default, anything else is a value
 * (docs/configuration.md). Before session 51 a null `log`, `title`, `resultsDir`, `kernelName`,
 * `pick` or `backend` was read as "not given" and ran the default without a word.
 *
 * Table-driven: each object's fields are read from `deno doc`, and each must have a kind here
 * (whose wrong values are tried) or its object must be listed where another test audits it, so a
 * field added without a check fails this suite.
 */
import { assert, assertEquals } from "@std/assert";
import { settingsInterfaces } from "./_settings_interfaces.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { initBackend } from "../../lib/backend/mod.ts";
import {
  ensureDenoKernelspec,
  executeNotebook,
  jupyterProblem,
  renderNotebookHtml,
  startLabServer,
} from "../../lib/notebook_runner/mod.ts";
import {
  cellModel,
  ensureCells,
  noiseLevelGainFigure,
  noiseLevelGains,
  planExperiments,
  planWithCurrentSelection,
  prepareDataset,
  releaseClaimsOnSignal,
  runCell,
  runOneCell,
  runPlan,
  SYSTEMS,
} from "../../lib/experiments/mod.ts";
import { readDenseFeatures, readRecBoleAtomic } from "../../lib/data/mod.ts";
import {
  bothRankingsTable,
  createProgress,
  display,
  ensureCellsInNotebook,
  notebookCellModel,
  systemsBars,
  systemsTable,
  workProgress,
} from "../../lib/notebook/mod.ts";
import { figureToPng, groupedBars, renderHtmlReport } from "../../lib/viz/mod.ts";
import { scoreAgainstTruth } from "../../lib/attribution/mod.ts";
import { pairedTTest } from "../../lib/eval/mod.ts";
import { buildContrastiveViews } from "../../lib/demure/mod.ts";
import { meanOver, summaryRow } from "../notebook/_summary_rows.ts";

/** What a field holds, and so which wrong values are tried. */
type Kind =
  | "text"
  | "number"
  | "integer"
  | "boolean"
  | "function"
  | "list"
  | "object"
  | "choice"
  | "map"
  | "signal"
  | "flagOrFunction";

/** Values of another kind than `Kind`, each refused. A text is iterable: it is no list. */
const WRONG: Readonly<Record<Kind, readonly unknown[]>> = {
  text: [null, 1, false],
  number: [null, "1", NaN, true],
  integer: [null, "1", NaN, 1.5],
  boolean: [null, "false", 1],
  function: [null, 1, "log"],
  list: [null, 1, "NDCG@10"],
  object: [null, 1, "x", [1]],
  choice: [null, 1, "no such choice"],
  map: [null, 1, {}],
  signal: [null, 1, {}],
  flagOrFunction: [null, 1, "false"],
};

/** How one object is audited: the call that takes it, and each field's kind. */
interface Audited {
  /** Calls the function that takes the object, with `options` over valid required fields. */
  call: (options: Record<string, unknown>) => unknown;
  /** Every field's kind. */
  kinds: Readonly<Record<string, Kind>>;
}

const scratch = await Deno.makeTempDir({ prefix: "options_values_api51_" });
const emptyPlan = { ...planExperiments("quick"), cells: [] };
const quickPlan = planExperiments("quick");
/** No Python there: a runner or server that got past its checks fails at once, starting nothing. */
const runner = { projectRoot: scratch, python: `${scratch}/no-python` };
const bars = groupedBars({ categories: ["HR@10"], series: [{ name: "Pop", values: [0.1] }] });
const summary = summaryRow("Pop", {
  dataset: "Synthetic",
  test: { "NDCG@10": meanOver(0.1) },
  valid: { "NDCG@10": meanOver(0.1) },
});

const AUDITED: Readonly<Record<string, Audited>> = {
  RunPlanOptions: {
    call: (o) => runPlan(emptyPlan, { resultsDir: `${scratch}/plan`, ...o } as never),
    kinds: {
      resultsDir: "text",
      log: "function",
      runPending: "boolean",
      onEpoch: "function",
      onCellDone: "function",
      waitForOthers: "boolean",
      waitSeconds: "number",
      continueOnFailure: "boolean",
      firstDataset: "choice",
      order: "list",
      workers: "integer",
      datasets: "map",
      replaceOtherSettings: "boolean",
    },
  },
  KernelspecConfig: {
    call: (o) => ensureDenoKernelspec({ projectRoot: `${scratch}/kernel`, ...o } as never),
    kinds: { projectRoot: "text", denoPath: "text", kernelName: "text" },
  },
  PrepareDatasetOptions: {
    call: (o) => prepareDataset({ kind: "movielens" }, o as never),
    kinds: { log: "function" },
  },
  ProgressConfig: {
    call: (o) => createProgress({ label: "audit", ...o } as never),
    kinds: { label: "text", total: "integer", printEvery: "integer", print: "function" },
  },
  WorkProgressOptions: {
    call: (o) => workProgress("audit", { name: "users" }, o as never),
    kinds: { everySeconds: "number", print: "function" },
  },
  BothRankingsTableOptions: {
    // The options are checked before the summary is read: an empty one does.
    call: (o) =>
      bothRankingsTable({} as never, "Synthetic", { metrics: ["NDCG@10"], ...o } as never),
    kinds: { metrics: "list", shows: "text" },
  },
  DisplayOptions: {
    call: (o) => display(bars, o as never),
    kinds: { forcePlotlyBundle: "boolean", caption: "text" },
  },
  HtmlReportOptions: {
    call: (o) => renderHtmlReport([], o as never),
    kinds: { title: "text", plotlyPath: "text" },
  },
  SystemsTableOptions: {
    call: (o) => systemsTable([summary] as never, { metrics: ["NDCG@10"], ...o } as never),
    kinds: {
      caption: "text",
      metrics: "list",
      meansOnly: "list",
      extraColumns: "list",
      validation: "list",
      best: "object",
    },
  },
  SystemsBarsOptions: {
    call: (o) => systemsBars([summary] as never, { metrics: ["NDCG@10"], ...o } as never),
    kinds: { metrics: "list", title: "text", yTitle: "text" },
  },
  NoiseLevelGainOptions: {
    call: (o) => noiseLevelGains([], o as never),
    kinds: { system: "text", baseline: "text", metric: "text", pick: "function" },
  },
  NoiseLevelGainFigureOptions: {
    call: (o) => noiseLevelGainFigure([], o as never),
    kinds: { system: "text", baseline: "text", metric: "text" },
  },
  NotebookCellsOptions: {
    call: (o) => ensureCellsInNotebook(emptyPlan, [], o as never),
    kinds: { quickCompute: "function", resultsDir: "text", replaceOtherSettings: "boolean" },
  },
  NotebookCellModelOptions: {
    call: (o) => notebookCellModel(emptyPlan, planExperiments("quick").cells[0], o as never),
    kinds: { resultsDir: "text" },
  },
  PairedTestOptions: {
    call: (o) => pairedTTest([1, 2, 3], [1, 2, 4], o as never),
    kinds: { resolution: "number" },
  },
  PlanOptions: {
    call: (o) => planExperiments("quick", undefined, o as never),
    kinds: {
      dataset: "object",
      ranking: "choice",
      datasetTraining: "object",
      selected: "object",
      trialBudget: "integer",
      demure: "object",
    },
  },
  CellSettings: {
    call: (o) => runCell({} as never, SYSTEMS["Pop"], "Pop", { seed: 0, ...o } as never),
    kinds: {
      seed: "integer",
      model: "object",
      training: "object",
      scoreAttribution: "boolean",
      onProgress: "function",
      afterEpoch: "function",
      onAttribution: "function",
      onEvaluation: "function",
      onEvaluationProgress: "function",
      onValidationProgress: "function",
    },
  },
  ContrastiveViewOptions: {
    call: (o) => buildContrastiveViews([1, 1], [0, 1], [1, 1, 2], o as never),
    kinds: { scores: "list" },
  },
  EnsureCellsOptions: {
    call: (o) => ensureCells(emptyPlan, [], { resultsDir: `${scratch}/ensure`, ...o } as never),
    kinds: {
      resultsDir: "text",
      compute: "flagOrFunction",
      log: "function",
      onEpoch: "function",
      onCellDone: "function",
      replaceOtherSettings: "boolean",
    },
  },
  CurrentSelectionOptions: {
    call: (o) => planWithCurrentSelection(emptyPlan, `${scratch}/selection`, o as never),
    kinds: { write: "boolean", log: "function" },
  },
  RunOneCellOptions: {
    call: (o) =>
      runOneCell(quickPlan, quickPlan.cells[0], { resultsDir: `${scratch}/one`, ...o } as never),
    kinds: { resultsDir: "text", log: "function", job: "text", datasets: "map" },
  },
  CellModelOptions: {
    call: (o) =>
      cellModel(
        quickPlan,
        quickPlan.cells.find((cell) => cell.system.kind === "neural")!,
        { resultsDir: `${scratch}/model`, train: false, ...o } as never,
      ),
    kinds: { resultsDir: "text", train: "boolean", onProgress: "function", data: "object" },
  },
  ReleaseOnSignalOptions: {
    // Only refused calls are made: one that passed would install this process's signal handlers.
    call: (o) => releaseClaimsOnSignal(o as never),
    kinds: { onStop: "function", log: "function" },
  },
  DenseFeatureConfig: {
    call: (o) =>
      readDenseFeatures(`${scratch}/none.csv`, [], {
        name: "image",
        provenance: { source: "audit", normalisation: "none" },
        ...o,
      } as never),
    kinds: { name: "text", dim: "integer", requireAllItems: "boolean", provenance: "object" },
  },
  RecBoleReadOptions: {
    call: (o) => readRecBoleAtomic(`${scratch}/none`, o as never),
    kinds: { requireItemFile: "boolean", name: "text" },
  },
  NotebookRunnerConfig: {
    call: (o) => jupyterProblem({ ...runner, ...o } as never),
    kinds: {
      projectRoot: "text",
      python: "text",
      quietMs: "number",
      cellTimeoutSeconds: "number",
      progressSeconds: "number",
      kernelEnv: "object",
      signal: "signal",
    },
  },
  ExecuteOptions: {
    call: (o) => executeNotebook("a.ipynb", `${scratch}/a.ipynb`, runner, o as never),
    kinds: { onCell: "function", onRunning: "function" },
  },
  RenderHtmlOptions: {
    call: (o) => renderNotebookHtml("a.ipynb", `${scratch}/a.html`, runner, o as never),
    kinds: { noInput: "boolean" },
  },
  LabServerConfig: {
    call: (o) => startLabServer({ ...runner, signal: AbortSignal.abort(), ...o } as never),
    kinds: {
      projectRoot: "text",
      port: "integer",
      portRange: "object",
      token: "text",
      python: "text",
      env: "object",
      logFile: "text",
      startTimeoutSeconds: "number",
      signal: "signal",
    },
  },
  TruthScoreConfig: {
    call: (o) =>
      scoreAgainstTruth(
        [],
        { modalityNames: ["a"], pointsOfInterest: Uint8Array.of(1) },
        o as never,
      ),
    kinds: { scoreBy: "choice", level: "choice", resultModalityNames: "list" },
  },
  FigurePngOptions: {
    call: (o) => figureToPng(bars, `${scratch}/figure.png`, o as never),
    kinds: { width: "integer", height: "integer", scale: "number", chromium: "object" },
  },
  ChromiumConfig: {
    call: (o) => figureToPng(bars, `${scratch}/figure.png`, { chromium: o } as never),
    kinds: {
      executable: "text",
      virtualTimeBudgetMs: "integer",
      windowSize: "list",
      sandbox: "boolean",
      timeoutMs: "number",
    },
  },
  BackendConfig: {
    call: (o) => initBackend(o as never),
    kinds: { backend: "choice", blas: "boolean", hostKernels: "boolean", verbose: "boolean" },
  },
};

/**
 * Objects another test audits field by field (their ranges, null, other kinds, unknown names),
 * each with that test; their calls need a trained model, a browser or the page's Ranges rows.
 */
const AUDITED_ELSEWHERE: Readonly<Record<string, string>> = {
  AdamConfig: "tests/train/settings_audit_test.ts",
  AttributionConfig: "tests/train/settings_audit_test.ts",
  BatcherConfig: "tests/train/settings_audit_test.ts",
  DemureConfig: "tests/train/settings_audit_test.ts",
  EvaluationConfig: "tests/train/settings_audit_test.ts",
  KCoreConfig: "tests/train/settings_audit_test.ts",
  ModelConfig: "tests/train/settings_audit_test.ts",
  RecommendationLossConfig: "tests/train/settings_audit_test.ts",
  SplitConfig: "tests/train/settings_audit_test.ts",
  SyntheticConfig: "tests/train/settings_audit_test.ts",
  TrainerConfig: "tests/train/settings_audit_test.ts",
  FusionConfig: "tests/train/settings_audit_test.ts",
  SasRecConfig: "tests/train/settings_audit_test.ts",
  Gru4RecConfig: "tests/train/settings_audit_test.ts",
  Cl4SRecConfig: "tests/train/settings_audit_test.ts",
  ContrastiveViewConfig: "tests/layout/view_and_truth_ranges_api50_test.ts",
  ExplainOptions: "tests/explain/explain_null_cf50_test.ts",
  HistoryHeatmapOptions: "tests/explain/explain_null_cf50_test.ts",
  EncoderConfig: "tests/train/settings_audit_test.ts",
  InfoNceConfig: "tests/train/settings_audit_test.ts",
  ItemKnnConfig: "tests/train/settings_audit_test.ts",
  SampledNegativesConfig: "tests/train/settings_audit_test.ts",
  WorkloadShapeConfig: "tests/train/settings_audit_test.ts",
};

/**
 * Exported settings objects that are not passed as a bag of settings, each with why: they are
 * built by the library, or are one call's arguments of a low-level method.
 */
const NOT_SETTINGS_BAGS: Readonly<Record<string, string>> = {
  TrialConfig: "built by the plan (a selection's configuration), passed inside PlanOptions",
  ForwardOptions: "the arguments of one forward pass (tensors and a hook), built by the trainer",
  TrainStepOptions: "the arguments of one training step (model, batch, optimizer), by the trainer",
  StoredCellSettings: "a stored record's settings, read from disk and checked as a record",
  SaveOptions: "a test's hook into a checkpoint save's steps (afterStep), for the crash tests",
  InfoNceOptions: "a loss's per-call tensors (negatives); InfoNceConfig's fields are audited",
  NtXentOptions: "a loss's per-call settings, given by CL4SRec's objective from Cl4SRecConfig",
};

const interfaces = await settingsInterfaces();

Deno.test("every settings object a notebook passes is audited here or elsewhere, each field with a kind", () => {
  assert(interfaces.size > 20, `read ${interfaces.size} objects`);
  const missing: string[] = [];
  for (const [object, fields] of interfaces) {
    if (object in AUDITED_ELSEWHERE || object in NOT_SETTINGS_BAGS) continue;
    const audited = AUDITED[object];
    if (audited === undefined) {
      missing.push(`${object}: no row`);
      continue;
    }
    assertEquals(Object.keys(audited.kinds).sort(), [...fields].sort(), object);
  }
  assertEquals(missing, []);
  for (const file of new Set(Object.values(AUDITED_ELSEWHERE))) {
    assert(Deno.statSync(new URL(`../../${file}`, import.meta.url)).isFile, file);
  }
  // A listed object that is gone is taken off the lists.
  for (const object of [...Object.keys(AUDITED_ELSEWHERE), ...Object.keys(NOT_SETTINGS_BAGS)]) {
    assert(interfaces.has(object), `${object} is no longer exported`);
  }
});

/** The SettingError `call` throws or rejects with; fails when it returns. */
async function refusal(call: () => unknown, what: string): Promise<SettingError> {
  let outcome: unknown;
  try {
    await call();
  } catch (error) {
    outcome = error;
  }
  assert(outcome instanceof SettingError, `${what}: ${outcome ?? "accepted"}`);
  return outcome;
}

await initBackend();

for (const [object, { call, kinds }] of Object.entries(AUDITED)) {
  Deno.test(`${object}: null, another kind and NaN are refused, naming the setting`, async () => {
    const accepted: string[] = [];
    for (const [field, kind] of Object.entries(kinds)) {
      for (const value of WRONG[kind]) {
        const what = `${object}.${field} = ${String(value)}`;
        try {
          const error = await refusal(() => call({ [field]: value }), what);
          assert(error.setting.startsWith(`${object}.${field}`), `${what}: ${error.message}`);
        } catch (error) {
          accepted.push((error as Error).message);
        }
      }
    }
    assertEquals(accepted, []);
  });
  Deno.test(`${object}: an unknown name is refused, not ignored`, async () => {
    const error = await refusal(() => call({ zzTypo: 1 }), `${object}.zzTypo`);
    assertEquals(error.setting, `${object}.zzTypo`);
  });
}

Deno.test("FigurePngOptions.chromium.windowSize is refused: the image's size is width x height", async () => {
  // It was dropped without a word: figureToPng sets Chromium's window to width x height.
  const error = await refusal(
    () => figureToPng(bars, `${scratch}/figure.png`, { chromium: { windowSize: [800, 400] } }),
    "FigurePngOptions.chromium.windowSize",
  );
  assertEquals(error.setting, "FigurePngOptions.chromium.windowSize");
  assert(error.allowed.includes("FigurePngOptions.width and height"), error.message);
});

globalThis.addEventListener("unload", () => Deno.removeSync(scratch, { recursive: true }));
