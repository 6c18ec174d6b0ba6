/**
 * checkStoredCellData (lib/experiments/stored_data_check.ts) on its own: which stored cells it
 * lets through and what its refusal says of the data read now. Found by mutation round AC
 * (AC33, AC34, AC35, AC37): the end-to-end tests checked the users only.
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import type { PreparedDataset } from "../../lib/experiments/datasets.ts";
import type { CellResult } from "../../lib/experiments/run_cell.ts";
import {
  checkStoredCellData,
  recordedFingerprint,
  StaleCellError,
} from "../../lib/experiments/stored_data_check.ts";
import { storedCellResult } from "./_cell_result.ts";

/** The data a run reads now: only the fields the check reads. */
const now = {
  label: "tiny",
  split: {
    dataset: {
      numUsers: 49,
      numItems: 31,
      metadata: { fingerprint: "0beef", source: "/data/tiny.inter" },
    },
  },
} as unknown as PreparedDataset;

/** A stored cell whose protocol card records `dataset` (none: a diverged trial's empty card). */
function storedOn(dataset?: string): CellResult {
  const protocol = dataset === undefined ? {} : { dataset };
  return { ...storedCellResult(), protocol } as unknown as CellResult;
}

Deno.test("a stored cell whose card records no fingerprint (a diverged trial) is not refused", () => {
  assertEquals(recordedFingerprint(storedOn()), undefined);
  checkStoredCellData(storedOn(), "results/cells/a.json", now, "results");
  // The same data: accepted too.
  const same = storedOn("tiny: 49 users, 31 items, 200 interactions, fingerprint 0beef");
  checkStoredCellData(same, "results/cells/a.json", now, "results");
});

Deno.test("the refusal of a cell of other data names the data read now: source, users, items, fingerprint", () => {
  const stored = storedOn("tiny: 48 users, 30 items, 190 interactions, fingerprint 0cafe");
  assertEquals(recordedFingerprint(stored), "0cafe");
  const error = assertThrows(
    () => checkStoredCellData(stored, "results/cells/a.json", now, "results"),
    StaleCellError,
  );
  assertStringIncludes(
    error.message,
    "results/cells/a.json was computed on tiny: 48 users, 30 items, 190 interactions, " +
      "fingerprint 0cafe; the data read now from /data/tiny.inter has 49 users, 31 items, " +
      "fingerprint 0beef (after the protocol's filtering)",
  );
  assertStringIncludes(error.message, "delete results to rerun its cells");
});

Deno.test("a fingerprint that only begins like the one read now is other data; the refusal is a StaleCellError by name and says how to go on", () => {
  // Recorded "0be" against "0beef" read now: a prefix is not the same data.
  const stored = storedOn("tiny: 49 users, 31 items, 200 interactions, fingerprint 0be");
  const error = assertThrows(
    () => checkStoredCellData(stored, "results/cells/a.json", now, "results"),
    StaleCellError,
  );
  // Its name shows in the stack a failed run prints (and tells it from a failed cell's Error).
  assertEquals(error.name, "StaleCellError");
  // The option a user types to run into another folder.
  assertStringIncludes(error.message, "Run into another results folder (--results), or delete");
});
