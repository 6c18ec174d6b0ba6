/**
 * `deno task check-notebooks` on a notebook with a type error, Deno's backtrace turned on: the
 * report keeps the error and its notebook line, not the frames of Deno's own backtrace.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";

const root = new URL("../../", import.meta.url);
const broken = new URL("./fixtures/typecheck_error.ipynb", import.meta.url);

Deno.test("check_notebooks: with RUST_BACKTRACE=1 neither Deno's backtrace header nor its frames are in the report", () => {
  // `deno check` prints "Stack backtrace:" and then numbered frames ("   0: <unknown>" in a
  // release build): cutting the header alone left the frames (mutation round 54, :76).
  const { code, stdout, stderr } = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("scripts/check_notebooks.ts", root).pathname, broken.pathname],
    cwd: root.pathname,
    env: { NO_COLOR: "1", RUST_BACKTRACE: "1" },
  }).outputSync();
  const output = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  assertEquals(code, 1, output);
  assertStringIncludes(output, "TS2322");
  assertStringIncludes(output, "typecheck_error.ipynb cell 3 line 2:7");
  assert(!output.includes("Stack backtrace"), output);
  assert(!/^\s*\d+: /m.test(output), output);
});
