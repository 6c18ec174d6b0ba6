/**
 * What the device check makes of a child's result line (scripts/cli/gpu_check_report.ts), where
 * mutation round mu54d found no test: each of the two times is checked to be a finite number like
 * the loss (GR6, GR7: dropped from the check, a null time reached the line as a TypeError of
 * `toFixed`); a number too large for a double (JSON reads 1e999 as Infinity) is no timing (GR15);
 * and the reason for a line that is not JSON stays one line when the line held a carriage return
 * or a tab (GR14).
 */
import { assertEquals, assertThrows } from "@std/assert";
import {
  childResult,
  describeTiming,
  type EpochTiming,
  RESULT_PREFIX,
} from "../../scripts/cli/gpu_check_report.ts";
import { epochTiming } from "./_epoch_timing.ts";

const timing = epochTiming("wasm", { loss: 9.5, validNdcg10: 0.0125 });

/** The result of a child that exited 0 and printed `text` after the prefix. */
function result(text: string): EpochTiming | string {
  return childResult({ code: 0, stdout: `${RESULT_PREFIX}${text}\n`, stderr: "" });
}

Deno.test("childResult: a training or validation time that is not a finite number is no timing, named", () => {
  for (const key of ["trainSeconds", "validationSeconds"] as const) {
    const line = JSON.stringify({ ...timing, [key]: NaN });
    assertEquals(result(line), `exit 0: the result's ${key} is null, not a finite number`);
    // What the check would have printed of it: a TypeError, not a line.
    assertThrows(() => describeTiming(JSON.parse(line)), TypeError);
  }
});

Deno.test("childResult: a number beyond a double (JSON reads it as Infinity) is no timing", () => {
  const line = JSON.stringify(timing).replace('"loss":9.5', '"loss":1e999');
  assertEquals(result(line), "exit 0: the result's loss is null, not a finite number");
});

Deno.test("childResult: the reason for a result line that is not JSON is one line, its spaces plain", () => {
  for (const text of ["not json\r", "not\tjson"]) {
    const reason = result(text) as string;
    assertEquals(reason.startsWith("exit 0: the result line is not JSON ("), true, reason);
    assertEquals(/[\r\n\t]/.test(reason), false, JSON.stringify(reason));
  }
});
