/**
 * `envText` and the three settings that read through it (`DEMURE_JUPYTER_PYTHON`,
 * `DEMURE_CHROMIUM`, `DEMURE_CHROMIUM_USER`), each read in a subprocess (never set in this
 * process: the suite's modules run in parallel in one process). A path with a stray space was used
 * as written and read as the program missing.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";

type Outcome = { value: string | null } | { error: string };

/** `expression` evaluated in a child with `env`, as its value or its error's message. */
function outcomeOf(imports: string, expression: string, env: Record<string, string>) {
  return evalInSubprocess<Outcome>(
    `${imports}\ntry { console.log(JSON.stringify({ value: ${expression} ?? null })); }\n` +
      `catch (error) { console.log(JSON.stringify({ error: (error as Error).message })); }`,
    env,
  );
}

const envTextOf = (value: string) =>
  outcomeOf(
    `import { envText } from ${projectModule("lib/util/env_text.ts")};`,
    'envText("DEMURE_ENV_TEXT_PROBE")',
    { DEMURE_ENV_TEXT_PROBE: value },
  );

Deno.test("envText: a value is returned as written, an empty one is unset", async () => {
  assertEquals(await envTextOf("/opt/py/bin/python3"), { value: "/opt/py/bin/python3" });
  // Inner spaces are part of a path.
  assertEquals(await envTextOf("/opt/my py/python3"), { value: "/opt/my py/python3" });
  assertEquals(await envTextOf(""), { value: null });
  assertEquals(
    await outcomeOf(
      `import { envText } from ${projectModule("lib/util/env_text.ts")};`,
      'envText("DEMURE_ENV_TEXT_UNSET_PROBE")',
      {},
    ),
    { value: null },
  );
});

Deno.test("envText: white space around the value, or nothing else, is refused naming the variable and the value", async () => {
  for (const value of ["/usr/bin/python3 ", " /usr/bin/python3", "\t/x\n", "   "]) {
    const outcome = await envTextOf(value);
    if (!("error" in outcome)) throw new Error(`${JSON.stringify(value)} was accepted`);
    assertStringIncludes(outcome.error, `DEMURE_ENV_TEXT_PROBE=${JSON.stringify(value)}`);
    assertStringIncludes(outcome.error, "white space");
  }
});

Deno.test("DEMURE_JUPYTER_PYTHON, DEMURE_CHROMIUM: a path with a stray space is refused, not looked for", async () => {
  const jupyter = await outcomeOf(
    `import { defaultJupyterPython } from ${
      projectModule("lib/notebook_runner/_jupyter_python.ts")
    };`,
    "defaultJupyterPython()",
    { DEMURE_JUPYTER_PYTHON: "/usr/bin/python3 " },
  );
  assertEquals(jupyter, {
    error: 'DEMURE_JUPYTER_PYTHON="/usr/bin/python3 ": starts or ends with white space; ' +
      "set it to the path or name alone, or unset it for the default",
  });
  const chromium = await outcomeOf(
    `import { chromiumSetting } from ${projectModule("lib/viz/chromium.ts")};`,
    "chromiumSetting()",
    { DEMURE_CHROMIUM: " /usr/bin/chromium" },
  );
  if (!("error" in chromium)) throw new Error("a padded DEMURE_CHROMIUM was accepted");
  assertStringIncludes(chromium.error, 'DEMURE_CHROMIUM=" /usr/bin/chromium"');
});
