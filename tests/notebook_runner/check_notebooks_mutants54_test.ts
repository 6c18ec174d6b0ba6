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

/** `deno task check-notebooks paths...` with this environment less NO_COLOR: status and output. */
function checkWithoutNoColor(...paths: string[]): { code: number; output: string } {
  const env = Object.fromEntries(
    Object.entries(Deno.env.toObject()).filter(([name]) => name !== "NO_COLOR"),
  );
  const { code, stdout, stderr } = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("scripts/check_notebooks.ts", root).pathname, ...paths],
    cwd: root.pathname,
    env,
    clearEnv: true,
  }).outputSync();
  return { code, output: new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr) };
}

Deno.test("check_notebooks: without NO_COLOR the report has no colour codes and still names the notebook's cell and line", () => {
  // `deno check` colours its report even into a pipe; the check turns that off for its child
  // (mutation round 54, :69), else the places are not found and the user sees escape codes.
  const { code, output } = checkWithoutNoColor(broken.pathname);
  assertEquals(code, 1, output);
  assert(!output.includes("\x1b["), JSON.stringify(output));
  assertStringIncludes(output, "typecheck_error.ipynb cell 3 line 2:7");
});

Deno.test("check_notebooks: a notebook that type-checks prints its one line, none of deno check's", () => {
  // `deno check --quiet`: without it, its "Check <temporary module>" lines were printed (:65).
  const ok = new URL("./fixtures/typecheck_ok.ipynb", import.meta.url).pathname;
  const { code, output } = checkWithoutNoColor(ok);
  assertEquals([code, output], [0, "1 notebooks type-check\n"]);
});
