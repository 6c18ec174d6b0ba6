/**
 * The report's protocol lines (summary.md, notebook 07's page) state the whole training objective:
 * L_rec on the "training loss" line, then one line per system and dataset of the main and ablation
 * tables that adds to it, derived from the records' own settings (their cards name L_rec alone).
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { summaryMarkdown } from "../../lib/experiments/markdown_report.ts";
import { summarise } from "../../lib/experiments/summary.ts";
import {
  recommendationLossText,
  trainingObjectiveText,
} from "../../lib/experiments/training_objective.ts";
import { recordsOutcome } from "./_records_summary.ts";

const L_REC = "cross-entropy over all items, all positions";
const outcome = await recordsOutcome();
const summary = summarise(outcome);
const { plan } = outcome;

Deno.test("report protocol: L_rec on the loss line, each contrastive system's whole objective after", () => {
  const { protocol } = summary;
  assert(
    protocol[2].startsWith(`training loss: ${L_REC} (L_rec; the systems below add to it); Adam;`),
    protocol[2],
  );
  assert(protocol[4].startsWith("mean ± sample standard deviation"), protocol[4]);
  const objectives = protocol.slice(5);
  const places = objectives.map((line) => line.slice(0, line.indexOf(":")));
  for (const dataset of ["Synthetic", "MovieLens"]) {
    for (
      const system of [
        "CL4SRec-MM",
        "Demure-SASRec",
        "Demure-GRU4Rec",
        "AttributionOnly-SASRec",
        "ContrastiveOnly-SASRec",
        "RandomInputMasks-SASRec",
      ]
    ) {
      assert(
        places.includes(`training objective of ${system} on ${dataset}`),
        `${system} ${dataset}`,
      );
    }
  }
  // The plain systems train L_rec alone; each place is stated once.
  assertEquals(places.length, 12, places.join("\n"));
  assert(!objectives.some((line) => /of (SASRec|GRU4Rec)-(ID|MM) /.test(line)));
  const demure = objectives.find((line) => line.includes("Demure-SASRec on MovieLens"))!;
  assert(
    demure.startsWith(
      "training objective of Demure-SASRec on MovieLens: L_rec + lambda 0.02 × L_cl, Demure's " +
        "contrastive InfoNCE (temperature 0.1, cosine;",
    ),
    demure,
  );
  const ablation = objectives.find((line) => line.includes("ContrastiveOnly-SASRec on MovieLens"))!;
  // The ablation runs at Demure-SASRec's selected settings (its record's, not SYSTEMS' defaults).
  assertStringIncludes(ablation, "L_rec + lambda 0.02 × L_cl, Demure's contrastive InfoNCE");
  assertStringIncludes(ablation, "positive: random modality masks (rho 0.3) masked");
  const cl4srec = objectives.find((line) => line.includes("CL4SRec-MM on MovieLens"))!;
  assertStringIncludes(cl4srec, "L_rec + lambda 0.1 × L_cl, CL4SRec's NT-Xent");
  const inputOnly = objectives.find((line) =>
    line.includes("AttributionOnly-SASRec on MovieLens")
  )!;
  assert(!inputOnly.includes("L_cl"), inputOnly);
  const markdown = summaryMarkdown(summary);
  for (const line of objectives) assertStringIncludes(markdown, `\n- ${line}\n`);
});

Deno.test("report protocol: a first neural card with or without the whole objective gives L_rec alone", () => {
  const demure = plan.cells.find((cell) =>
    cell.systemKey === "Demure-SASRec" && cell.experiments.includes("main") &&
    outcome.byKey.has(cell.key)
  )!;
  const result = outcome.byKey.get(demure.key)!;
  // Stored results are read with the whole objective on their card (readFinishedCell); a card as
  // written before 2026-12-07 names L_rec alone. Moved first, either gives the same lines.
  const whole = trainingObjectiveText(demure.system, result.protocol.loss)!;
  const recOnly = recommendationLossText(demure.system, whole)!;
  assert(whole !== recOnly, whole);
  for (const loss of [whole, recOnly]) {
    const changed = summarise({
      ...outcome,
      plan: { ...plan, cells: [demure, ...plan.cells.filter((c) => c.key !== demure.key)] },
      byKey: new Map(outcome.byKey).set(demure.key, {
        ...result,
        protocol: { ...result.protocol, loss },
      }),
    });
    // The same lines (the objective lines follow the plan's order, which the move changed).
    assertEquals(changed.protocol.slice(0, 5), summary.protocol.slice(0, 5), loss);
    assertEquals(changed.protocol.slice(5).sort(), summary.protocol.slice(5).sort(), loss);
  }
});

Deno.test("report protocol: without a system that adds to L_rec, no objective line and no pointer", () => {
  const plain = summarise({
    ...outcome,
    plan: {
      ...plan,
      cells: plan.cells.filter((cell) =>
        cell.system.kind !== "neural" ||
        (cell.system.demure === undefined && cell.system.cl4srec === undefined)
      ),
    },
  });
  assertEquals(plain.protocol.length, 5);
  assert(plain.protocol[2].startsWith(`training loss: ${L_REC}; Adam;`), plain.protocol[2]);
});
