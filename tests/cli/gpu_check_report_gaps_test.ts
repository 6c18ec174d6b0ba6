/**
 * What the device check makes of its children (scripts/cli/gpu_check_report.ts) at the edges the
 * first tests left open: a line that only quotes the profile prefix is not a profile line; the
 * reason is the last stderr line whatever it starts with; and a result line that is no timing (cut
 * short, or a loss gone NaN, which JSON writes as null) is a child without a timing, named, not a
 * TypeError that stops the check before the other backends. Found by mutation round KG (KG21,
 * KG24, and the defect behind KG20).
 */
import { assertEquals } from "@std/assert";
import {
  childResult,
  comparisonLines,
  type EpochTiming,
  PROFILE_PREFIX,
  profileLines,
  RESULT_PREFIX,
} from "../../scripts/cli/gpu_check_report.ts";
import { epochTiming } from "./_epoch_timing.ts";

const timing = epochTiming("webgpu", { loss: 9.5, validNdcg10: 0.0125 });

Deno.test("profileLines: a line that quotes the prefix inside it is not a profile line", () => {
  const quoted = `warning: did not expect "${PROFILE_PREFIX}x" here`;
  assertEquals(
    profileLines("wasm", { code: 0, stdout: `${quoted}\n${PROFILE_PREFIX}one\n`, stderr: "" }),
    { lines: ["wasm: one"], failed: false },
  );
});

Deno.test("childResult: the reason is the last stderr line, whatever it starts with", () => {
  assertEquals(
    childResult({ code: 1, stdout: "", stderr: "gpu-check (wasm): failed\nwarning: leaked 3\n" }),
    "exit 1: warning: leaked 3",
  );
});

Deno.test("childResult: a result line that is no timing is a reason, not a crash of the check", () => {
  const result = (text: string) =>
    childResult({ code: 0, stdout: `${RESULT_PREFIX}${text}\n`, stderr: "" });
  // A loss gone NaN on a backend: JSON.stringify writes null.
  const nanLoss = JSON.stringify({ ...timing, loss: NaN });
  assertEquals(result(nanLoss), "exit 0: the result's loss is null, not a finite number");
  const noNdcg = JSON.stringify({ ...timing, validNdcg10: NaN });
  assertEquals(result(noNdcg), "exit 0: the result's validNdcg10 is null, not a finite number");
  assertEquals(
    result(JSON.stringify({ ...timing, steps: "4" })),
    'exit 0: the result\'s steps is "4", not a finite number',
  );
  const cut = `{"backend": "webgpu", "los`;
  assertEquals(
    (result(cut) as string).startsWith("exit 0: the result line is not JSON ("),
    true,
    String(result(cut)),
  );
  // A good line is still a timing.
  assertEquals(result(JSON.stringify(timing)), timing);
  // Two runs whose loss went NaN are no reproducible pass: neither is a timing.
  const runs = [result(nanLoss), result(nanLoss)].filter((r) => typeof r !== "string");
  assertEquals(comparisonLines(["webgpu", "webgpu"], runs as EpochTiming[]).status, 1);
});
