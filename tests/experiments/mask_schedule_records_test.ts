/**
 * The mask schedule each record states is the one its counters show. The records were made when
 * masks aged in steps (`everySteps` 10); the plan now states their schedule in visits of a window
 * (`DemureConfig.everyVisits`): 1 on MovieLens (17 steps an epoch: every visit attributed) and the
 * default 2 on the synthetic benchmark (5 steps an epoch: every second visit). A record whose
 * counters disagreed with its stated schedule would rerun differently from what it says.
 */
import { assert, assertEquals } from "@std/assert";
import { finishedCells } from "../../lib/experiments/stored_cells.ts";
import { planOfResults } from "../../lib/experiments/selection_record.ts";
import { masksAreRandom, resolveDemureConfig } from "../../lib/demure/config.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";

const recordsDir = new URL(`../../${RECORDS_DIR.full}`, import.meta.url).pathname;

Deno.test("records: every separate-pass Demure record's counters follow its everyVisits", () => {
  const plan = planOfResults("full", recordsDir);
  const records = finishedCells(plan, recordsDir);
  const seen = { 1: 0, 2: 0 };
  for (const cell of plan.cells) {
    const result = records.get(cell.key);
    if (result?.demure === undefined || cell.system.kind !== "neural") continue;
    const config = resolveDemureConfig(cell.system.demure);
    if (masksAreRandom(config.variant)) continue;
    assertEquals(config.attributionSource, "separate_pass", cell.key);
    const { attributed, reused } = result.demure;
    assert(attributed > 0, `${cell.key}: no mask attributed`);
    if (config.everyVisits === 1) {
      assertEquals(reused, 0, `${cell.key}: everyVisits 1 reuses no mask`);
      seen[1]++;
    } else {
      assertEquals(config.everyVisits, 2, cell.key);
      // Attributed and reused epochs alternate, so the counts differ by nothing or by one
      // epoch's batches (a run may end on an attributed epoch).
      const batchesPerEpoch = result.history[0].steps;
      assert(
        [0, batchesPerEpoch].includes(attributed - reused),
        `${cell.key}: ${attributed} attributed, ${reused} reused, ${batchesPerEpoch} an epoch`,
      );
      seen[2]++;
    }
  }
  assert(seen[1] > 0 && seen[2] > 0, JSON.stringify(seen));
});
