/**
 * Tests written for the mutants of the protocol captions (`protocol_caption.ts`) that the earlier
 * tests let through (session 52's mutation pass): each fails on the mutant named in its comment
 * and passes on the code as it is.
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import type { EvaluationProtocol } from "../../lib/eval/protocol.ts";
import { captionProtocolOf, storedCardParts } from "../../lib/experiments/protocol_caption.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import { objectiveAdditionText } from "../../lib/experiments/training_objective.ts";
import { SYSTEMS } from "../../lib/experiments/systems.ts";
import { LEAVE_ONE_OUT_LINE, RECORD_LOSS, recordCard } from "./_finished_run.ts";
import { storedCellResult } from "./_cell_result.ts";

Deno.test("storedCardParts: a card without a k-core or model-input line states its data and split alone", () => {
  // Mutants: the `=== undefined ?` of either dropped wrote "; undefined" into the caption.
  const card = { ...recordCard("SASRec-MM", 0), split: [LEAVE_ONE_OUT_LINE] };
  const parts = storedCardParts(card, "SASRec-MM on MovieLens, seed 0");
  assertEquals(parts.data, card.dataset);
  assertEquals(parts.split, LEAVE_ONE_OUT_LINE);
});

Deno.test("storedCardParts: a card without a ranking is refused by name, not a TypeError", () => {
  // Mutant: the ranking's check dropped: `card.ranking.replace` of undefined, naming no record.
  const { ranking: _ranking, ...card } = recordCard("SASRec-MM", 0);
  const error = assertThrows(() =>
    storedCardParts(card as EvaluationProtocol, "SASRec-MM on MovieLens, seed 0")
  );
  assertStringIncludes(
    error.message,
    "the record of SASRec-MM on MovieLens, seed 0 names no ranking (protocol.ranking)",
  );
});

/** A bare record (no planned cell) of `system` whose card's loss names its whole objective. */
function bareRecord(system: keyof typeof SYSTEMS): CellResult {
  const loss = RECORD_LOSS + objectiveAdditionText(SYSTEMS[system]);
  return {
    ...storedCellResult(),
    system,
    dataset: "MovieLens",
    seed: 0,
    protocol: { ...recordCard(system, 0), loss },
  } as CellResult;
}

Deno.test("captionProtocolOf: a bare record naming its whole objective is stated, either kind of addition", () => {
  // CL4SRec's addition names "× L_cl" only; AttributionOnly's its denoised input only. Mutants:
  // either test of `namesAddition` dropped refused that record as naming L_rec alone.
  for (const system of ["CL4SRec-MM", "AttributionOnly-SASRec"] as const) {
    const record = bareRecord(system);
    const protocol = captionProtocolOf([record], "test");
    assertEquals(protocol.loss, `${system}: ${record.protocol.loss}`);
  }
});

/** A bare record of `system` at `seed` whose card has its own item count and loss. */
function record(system: string, seed: number, items = 3496, loss = RECORD_LOSS): CellResult {
  return {
    ...storedCellResult(),
    system,
    dataset: "MovieLens",
    seed,
    protocol: { ...recordCard(system, seed, items), loss },
  } as CellResult;
}

Deno.test("captionProtocolOf: a system without an objective addition adds no objective of its own", () => {
  // Mutant: every planned cell's system got an objective, "SASRec-MM: L_rec", with nothing added.
  const finished = { cell: { system: SYSTEMS["SASRec-MM"] }, result: record("SASRec-MM", 0) };
  const protocol = captionProtocolOf([finished as never], "test");
  assertEquals(protocol.loss, `L_rec = ${RECORD_LOSS}`);
});

Deno.test("captionProtocolOf: two cards of one dataset name, other data, are both stated", () => {
  // Mutant: the data keyed by the dataset's name alone kept the first card's data only.
  const protocol = captionProtocolOf(
    [record("SASRec-MM", 0, 3496), record("SASRec-MM", 1, 3000)],
    "test",
  );
  assertEquals(protocol.data.length, 2);
});

Deno.test("captionProtocolOf: seeds in numeric order; two losses joined by 'or'", () => {
  // Mutants: the default sort put seed 10 before 2; the losses joined by a comma.
  const protocol = captionProtocolOf(
    [record("SASRec-MM", 10), record("SASRec-MM", 2, 3496, "another loss")],
    "test",
  );
  assertEquals(protocol.seeds, [2, 10]);
  assertEquals(protocol.loss, `L_rec = ${RECORD_LOSS} or another loss`);
});
