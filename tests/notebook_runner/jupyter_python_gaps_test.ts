/**
 * `defaultJupyterPython` (lib/notebook_runner/_jupyter_python.ts), read in a subprocess for each
 * environment (never set in this process: tests run in parallel). Found by mutation round KH,
 * session 46: lab_cli_test.ts accepts any Python with Jupyter for an empty value, so a default of
 * the `python3` first on PATH (which may lack Jupyter's modules) went unseen.
 */
import { assertEquals } from "@std/assert";

const module = new URL("../../lib/notebook_runner/_jupyter_python.ts", import.meta.url).href;

async function pythonFor(env: Record<string, string>): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { defaultJupyterPython } from "${module}"; console.log(defaultJupyterPython());`,
    ],
    env: { PATH: "/usr/bin:/bin", ...env },
    clearEnv: true,
    stdin: "null",
  }).output();
  assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout).trimEnd();
}

Deno.test("defaultJupyterPython: DEMURE_JUPYTER_PYTHON, else (unset or empty) Debian's /usr/bin/python3", async () => {
  assertEquals(await pythonFor({}), "/usr/bin/python3");
  assertEquals(await pythonFor({ DEMURE_JUPYTER_PYTHON: "" }), "/usr/bin/python3");
  assertEquals(
    await pythonFor({ DEMURE_JUPYTER_PYTHON: "/opt/py/bin/python3" }),
    "/opt/py/bin/python3",
  );
});
