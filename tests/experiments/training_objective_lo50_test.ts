/**
 * The protocol card's loss line names the whole training objective: L_rec plus the contrastive term
 * of the systems that add one (Demure-SASRec, Demure-GRU4Rec, ContrastiveOnly-SASRec, CL4SRec-MM),
 * with the settings of the system that ran, on a new record (runCell) and on the records of
 * record when they are shown (their files name L_rec alone and stay as they are).
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { formatProtocol } from "../../lib/eval/protocol.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { runCell } from "../../lib/experiments/run_cell.ts";
import { SYSTEMS, type SystemSpec, withDemure } from "../../lib/experiments/systems.ts";
import {
  objectiveAdditionText,
  protocolWithObjective,
  recommendationLossText,
  trainingObjectiveText,
} from "../../lib/experiments/training_objective.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { SettingError } from "../../lib/util/settings.ts";

const L_REC = "cross-entropy over all items, all positions";

Deno.test("the systems that train a contrastive term name it; the others name L_rec alone", () => {
  const withTerm = ["CL4SRec-MM", "Demure-SASRec", "Demure-GRU4Rec", "ContrastiveOnly-SASRec"];
  for (const [name, system] of Object.entries(SYSTEMS) as [string, SystemSpec][]) {
    const loss = trainingObjectiveText(system, system.kind === "neural" ? L_REC : "none")!;
    assertEquals(
      loss.includes(" + lambda 0.1 × L_cl, "),
      withTerm.includes(name),
      `${name}: ${loss}`,
    );
    if (system.kind !== "neural") assertEquals(loss, "none", name);
  }
  for (const name of ["SASRec-ID", "GRU4Rec-ID", "SASRec-MM", "GRU4Rec-MM"] as const) {
    assertEquals(trainingObjectiveText(SYSTEMS[name], L_REC), L_REC, name);
  }
  // An unstated loss stays unstated: nothing is made up.
  assertEquals(trainingObjectiveText(SYSTEMS["Demure-SASRec"], undefined), undefined);
});

Deno.test("Demure's term carries the settings it trained with, in METHOD's words", () => {
  const demure = trainingObjectiveText(SYSTEMS["Demure-SASRec"], L_REC)!;
  assertEquals(
    demure,
    `${L_REC}, read on the history with the attributed noise (rho 0.3) masked after the warm-up + ` +
      "lambda 0.1 × L_cl, Demure's contrastive InfoNCE (temperature 0.2, cosine; anchor: the " +
      "full history; positive: the attributed noise (rho 0.3) masked; negatives: the batch's " +
      "other positives and the noise-only view) after the warm-up",
  );
  const selected = trainingObjectiveText(
    withDemure("Demure-SASRec", {
      lambda: 0.02,
      temperature: 0.1,
      denoiseInput: false,
      noiseViewAsNegative: false,
    }),
    L_REC,
  )!;
  assert(selected.startsWith(`${L_REC} + lambda 0.02 × L_cl, `), selected);
  assertStringIncludes(selected, "temperature 0.1, cosine");
  assertStringIncludes(selected, "negatives: the batch's other positives)");
  const random = trainingObjectiveText(SYSTEMS["ContrastiveOnly-SASRec"], L_REC)!;
  assert(random.startsWith(`${L_REC} + lambda 0.1 × L_cl`), random);
  assertStringIncludes(random, "positive: random modality masks (rho 0.3) masked");
  // The ablations without L_cl: only the history L_rec reads changes.
  const attribution = trainingObjectiveText(SYSTEMS["AttributionOnly-SASRec"], L_REC)!;
  assertEquals(
    attribution,
    `${L_REC}, read on the history with the attributed noise (rho 0.3) masked after the warm-up`,
  );
  assert(!trainingObjectiveText(SYSTEMS["RandomInputMasks-SASRec"], L_REC)!.includes("L_cl"));
});

Deno.test("CL4SRec's term carries its weight, form, views and similarity", () => {
  const cl4srec = trainingObjectiveText(SYSTEMS["CL4SRec-MM"], L_REC)!;
  assertEquals(
    cl4srec,
    `${L_REC} + lambda 0.1 × L_cl, CL4SRec's NT-Xent (both directions, the batch's other views ` +
      "as negatives) between two augmented views of each window (one of crop 0.6, mask 0.3, " +
      "reorder 0.6; dot product, temperature 1)",
  );
  const oneWay: SystemSpec = {
    ...SYSTEMS["CL4SRec-MM"],
    cl4srec: { loss: "one_way", weight: 0.05, augmentations: ["mask"], similarity: "cosine" },
  };
  const text = trainingObjectiveText(oneWay, L_REC)!;
  assertStringIncludes(text, "+ lambda 0.05 × L_cl, one-directional InfoNCE");
  assertStringIncludes(text, "(one of mask 0.3; cosine, temperature 1)");
  // A setting the run would refuse is refused here too, naming it.
  const bad: SystemSpec = { ...SYSTEMS["CL4SRec-MM"], cl4srec: { wieght: 0.1 } as never };
  assertStringIncludes(
    assertThrows(() => trainingObjectiveText(bad, L_REC), SettingError).message,
    "wieght",
  );
});

Deno.test("deriving is idempotent, and L_rec is recovered from a whole objective", () => {
  for (const system of Object.values(SYSTEMS) as SystemSpec[]) {
    const loss = system.kind === "neural" ? L_REC : "none";
    const whole = trainingObjectiveText(system, loss)!;
    assertEquals(trainingObjectiveText(system, whole), whole, system.description);
    assertEquals(recommendationLossText(system, whole), loss, system.description);
    assertEquals(recommendationLossText(system, loss), loss, system.description);
  }
  assertEquals(objectiveAdditionText(SYSTEMS.Pop), "");
});

/** Every record of record with its stored settings' system. */
function records(): { path: string; system: SystemSpec; result: CellResult }[] {
  const root = new URL("../../", import.meta.url).pathname;
  return [RECORDS_DIR.full, RECORDS_DIR.quick].flatMap((dir) =>
    [...Deno.readDirSync(`${root}${dir}/cells`)].filter((e) => e.name.endsWith(".json"))
      .map((e) => {
        const path = `${dir}/cells/${e.name}`;
        const record = JSON.parse(Deno.readTextFileSync(`${root}${path}`));
        return { path, system: record.settings.system, result: record.result };
      })
  );
}

Deno.test("records of record: shown with their whole objective, from their own settings; files unchanged", () => {
  const all = records();
  assert(all.length > 200, `${all.length} records`);
  let contrastive = 0;
  for (const { path, system, result } of all) {
    // The stored card names L_rec alone (or none): it is not edited, and no number moves.
    assertEquals(result.protocol.loss, system.kind === "neural" ? L_REC : "none", path);
    const shown = protocolWithObjective(result.protocol, system);
    assertEquals({ ...shown, loss: result.protocol.loss }, result.protocol, path);
    const spec = system.kind === "neural" ? system : undefined;
    const weight = spec?.demure
      ? (spec.demure.variant === "full" || spec.demure.variant === "contrastive_only"
        ? spec.demure.lambda ?? 0.1
        : undefined)
      : spec?.cl4srec
      ? spec.cl4srec.weight ?? 0.1
      : undefined;
    if (weight === undefined) {
      assert(!shown.loss!.includes("L_cl"), `${path}: ${shown.loss}`);
      continue;
    }
    contrastive++;
    assertStringIncludes(formatProtocol(shown), `\nloss: ${L_REC}`, path);
    assertStringIncludes(shown.loss!, ` + lambda ${weight} × L_cl, `, path);
  }
  // Demure-SASRec (main, sweeps, flipped choices, noise levels), Demure-GRU4Rec,
  // ContrastiveOnly-SASRec and CL4SRec-MM, with their trials, and the quick record.
  assert(contrastive > 100, `${contrastive} records with a contrastive term`);
  const selected = all.find((r) => r.path.endsWith("full__MovieLens__Demure-SASRec__seed=0.json"))!;
  assert(
    protocolWithObjective(selected.result.protocol, selected.system).loss!.startsWith(
      `${L_REC} + lambda 0.02 × L_cl, Demure's contrastive InfoNCE (temperature 0.1, cosine;`,
    ),
  );
});

// 48 users, 30 items (tests/fixtures/byo/tiny, as bring_your_own_data_test.ts trains it).
const TINY = new URL("../fixtures/byo/tiny", import.meta.url).pathname;
const tinyTraining = { maxEpochs: 2, batchSize: 16, maxBatchesPerEpoch: 2 };

Deno.test("a new record's card names the whole objective of the system it ran", async () => {
  await initBackend({ verbose: false });
  const data = await prepareDataset({ kind: "file", path: TINY, format: "recbole" });
  // A warm-up within the 4 steps of the tiny training (a longer one is refused: it never denoises).
  const systems: [string, SystemSpec][] = [
    ["SASRec-MM", SYSTEMS["SASRec-MM"]],
    ["CL4SRec-MM", SYSTEMS["CL4SRec-MM"]],
    ["Demure-SASRec", withDemure("Demure-SASRec", { warmupSteps: 2, lambda: 0.3 })],
  ];
  for (const [name, system] of systems) {
    const cell = await runCell(data, system, name, {
      seed: 0,
      model: { dim: 8 },
      training: tinyTraining,
      onProgress: () => {},
      onEvaluation: () => {},
      onEvaluationProgress: () => {},
    });
    assertEquals(cell.protocol.loss, trainingObjectiveText(system, L_REC), name);
    assertEquals(cell.protocol.loss!.includes("L_cl"), name !== "SASRec-MM", name);
    // Shown through the display-time derivation, a new card is shown as stored.
    assertEquals(protocolWithObjective(cell.protocol, system), cell.protocol, name);
  }
});
