/**
 * What the device check makes of its children (scripts/cli/gpu_check_report.ts) at the edges the
 * first tests left open: a line that only quotes the profile prefix is not a profile line; the
 * reason is the last stderr line whatever it starts with. Found by mutation round KG (KG21, KG24).
 */
import { assertEquals } from "@std/assert";
import { childResult, PROFILE_PREFIX, profileLines } from "../../scripts/cli/gpu_check_report.ts";

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
