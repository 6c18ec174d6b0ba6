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
      metadata: { fingerprint: "0beef0000000beef", source: "/data/tiny.inter" },
    },
  },
} as unknown as PreparedDataset;

/** A stored cell whose protocol card records `dataset` (none: a diverged trial's empty card). */
function storedOn(dataset?: string): CellResult {
  const protocol = dataset === undefined ? {} : { dataset };
  return { ...storedCellResult(), protocol } as unknown as CellResult;
}

Deno.test("a stored cell whose card records no fingerprint (a diverged trial) is not refused", () => {
  assertEquals(recordedFingerprint(storedOn(), "results/cells/a.json"), undefined);
  checkStoredCellData(storedOn(), "results/cells/a.json", now, "results");
  // The same data: accepted too.
  const same = storedOn("tiny: 49 users, 31 items, 200 interactions, fingerprint 0beef0000000beef");
  checkStoredCellData(same, "results/cells/a.json", now, "results");
});

Deno.test("the refusal of a cell of other data names the data read now: source, users, items, fingerprint", () => {
  const stored = storedOn(
    "tiny: 48 users, 30 items, 190 interactions, fingerprint 0cafe0000000cafe",
  );
  assertEquals(recordedFingerprint(stored, "results/cells/a.json"), "0cafe0000000cafe");
  const error = assertThrows(
    () => checkStoredCellData(stored, "results/cells/a.json", now, "results"),
    StaleCellError,
  );
  assertStringIncludes(
    error.message,
    "results/cells/a.json was computed on tiny: 48 users, 30 items, 190 interactions, " +
      "fingerprint 0cafe0000000cafe; the data read now from /data/tiny.inter has 49 users, " +
      "31 items, fingerprint 0beef0000000beef (after the protocol's filtering)",
  );
  assertStringIncludes(error.message, "delete results to rerun its cells");
});

Deno.test("a fingerprint that differs only at its last digit is other data; the refusal is a StaleCellError by name and says how to go on", () => {
  const stored = storedOn(
    "tiny: 49 users, 31 items, 200 interactions, fingerprint 0beef0000000beee",
  );
  const error = assertThrows(
    () => checkStoredCellData(stored, "results/cells/a.json", now, "results"),
    StaleCellError,
  );
  // Its name shows in the stack a failed run prints (and tells it from a failed cell's Error).
  assertEquals(error.name, "StaleCellError");
  // The option a user types to run into another folder.
  assertStringIncludes(error.message, "Run into another results folder (--results), or delete");
});

Deno.test("a fingerprint recorded but not as a run writes it is refused, naming the file and field", () => {
  // Read as lowercase hex only, these counted as "no fingerprint" and the cell passed unchecked,
  // whatever data it was computed on.
  const line = "tiny: 49 users, 31 items, 200 interactions, ";
  for (
    const recorded of [
      "fingerprint 0BEEF0000000BEEF", // uppercase
      "fingerprint 0Beef0000000beef", // one uppercase digit
      "Fingerprint 0beef0000000beef", // the word written another way
      "fingerprint 0be", // a prefix: not 16 digits
      "fingerprint 0beef0000000beef0", // 17 digits
      "fingerprint: 0beef0000000beef",
      "fingerprint  0beef0000000beef",
      "fingerprint 0beef0000000beef (edited)",
      "fingerprint 0xbeef00000000bee",
      "fingerprint ",
      "fingerprint",
    ]
  ) {
    const stored = storedOn(`${line}${recorded}`);
    const message =
      `results/cells/a.json: protocol.dataset records "${recorded}", expected "fingerprint " ` +
      "and 16 lowercase hex digits at the end";
    assertStringIncludes(
      assertThrows(() => recordedFingerprint(stored, "results/cells/a.json")).message,
      message,
    );
    const error = assertThrows(() =>
      checkStoredCellData(stored, "results/cells/a.json", now, "results")
    );
    assertStringIncludes(error.message, message);
    assertStringIncludes(error.message, "or delete it to rerun its cell");
    // Its one line says what to do: reproduce prints it without a stack.
    assertEquals(error.name, "StaleCellError");
  }
});

Deno.test("the fingerprint that ends the line is read, whatever the dataset's name says", () => {
  // A dataset named after the word: the last mention is the recorded fingerprint.
  const stored = storedOn("fingerprint study: 49 users, 31 items, fingerprint 0beef0000000beef");
  assertEquals(recordedFingerprint(stored, "results/cells/a.json"), "0beef0000000beef");
  checkStoredCellData(stored, "results/cells/a.json", now, "results");
  // No fingerprint at all (an empty card, or a line without one) is still "none recorded".
  assertEquals(recordedFingerprint(storedOn(""), "results/cells/a.json"), undefined);
  assertEquals(recordedFingerprint(storedOn("tiny: 49 users"), "results/cells/a.json"), undefined);
});

Deno.test("a stored cell with a fingerprint is refused against data whose fingerprint is empty", () => {
  // Found by mutation round OD (OD19): "" (a dataset's fingerprint before it is computed) is no
  // fingerprint a run records, so the cell is of other data; the refusal names the data read now.
  const stored = storedOn(
    "tiny: 49 users, 31 items, 200 interactions, fingerprint 0beef0000000beef",
  );
  const generated = {
    ...now,
    split: {
      dataset: { numUsers: 49, numItems: 31, metadata: { fingerprint: "", source: "generated" } },
    },
  } as unknown as PreparedDataset;
  const error = assertThrows(
    () => checkStoredCellData(stored, "results/cells/a.json", generated, "results"),
    StaleCellError,
  );
  assertStringIncludes(error.message, "the data read now from generated has 49 users");
});
