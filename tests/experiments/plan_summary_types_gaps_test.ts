/**
 * plan_types.ts and summary_types.ts hold types only: the type check is their validator. Each
 * `@ts-expect-error` below is a plan or summary the types must refuse (a mode, experiment, sweep
 * parameter or configuration source that does not exist, a missing field, an extra one, a wrong
 * type). `deno test` type-checks this file, so a type loosened to accept one fails this test.
 */
import { assertEquals } from "@std/assert";
import type {
  Experiment,
  ExperimentMode,
  PlannedCell,
  SweepParameter,
} from "../../lib/experiments/plan_types.ts";
import type {
  DesignChoiceRow,
  MainRow,
  SensitivityRow,
} from "../../lib/experiments/summary_types.ts";

const meanStd = { mean: 0.1, std: 0, n: 1 };

Deno.test("plan types: an unknown mode, experiment, sweep parameter or configuration source is refused", () => {
  // @ts-expect-error "verify" names a results folder, not a plan's mode.
  const mode: ExperimentMode = "verify";
  // @ts-expect-error the warm-up is a sweep parameter, not an experiment.
  const experiment: Experiment = "warmup";
  // @ts-expect-error the dropout is selected, not swept.
  const parameter: SweepParameter = "dropout";
  // @ts-expect-error a cell's configuration comes from one of four sources only.
  const configuredBy: PlannedCell["configuredBy"] = "manual";
  assertEquals([mode, experiment, parameter, configuredBy].length, 4);
});

Deno.test("plan types: a cell without its experiments, or a trial without its index, is refused", () => {
  // @ts-expect-error a trial names its selection and its index.
  const trial: NonNullable<PlannedCell["trial"]> = { selection: "movielens/SASRec-ID" };
  // @ts-expect-error every cell belongs to at least one experiment: the field is required.
  const cell: Pick<PlannedCell, "experiments"> = {};
  assertEquals([trial, cell].length, 2);
});

Deno.test("summary types: a count where a count belongs, a known parameter, no extra field", () => {
  // @ts-expect-error MainRow.capBound counts the seeds whose run ended at the cap.
  const capBound: MainRow["capBound"] = true;
  // @ts-expect-error a sensitivity row's parameter is one of the swept ones.
  const parameter: SensitivityRow["parameter"] = "dim";
  const row: DesignChoiceRow = {
    dataset: "MovieLens",
    choice: "L_rec on the full history",
    seeds: [0],
    selected: { valid: meanStd, test: meanStd },
    flipped: { valid: meanStd, test: meanStd, bestEpochs: [3] },
    testVsSelected: 0,
    // @ts-expect-error a design-choice row has no field beyond its own.
    pValue: 0.5,
  };
  assertEquals([capBound, parameter, row.dataset].length, 3);
});
