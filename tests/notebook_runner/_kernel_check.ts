/**
 * Runs a jupyter_client script of tests/notebook_runner/ against the project's Deno kernel, its
 * kernelspec in a temporary folder, not the project's .jupyter (a test wrote that folder into the
 * checkout; the kernel still runs in the project). One home for the kernel tests' runner.
 */
import { assert } from "@std/assert";
import { ensureDenoKernelspec } from "../../lib/notebook_runner/kernelspec.ts";

const projectRoot = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/** Runs `script` (a file name in tests/notebook_runner/); its stdout and stderr, exit 0 asserted. */
export async function runKernelCheck(script: string): Promise<string> {
  const specRoot = await Deno.makeTempDir({ prefix: "kernel-check-" });
  try {
    const spec = await ensureDenoKernelspec({ projectRoot: specRoot });
    const python = Deno.env.get("DEMURE_JUPYTER_PYTHON") ?? "/usr/bin/python3";
    const output = await new Deno.Command(python, {
      args: [`${projectRoot}/tests/notebook_runner/${script}`, projectRoot],
      env: { JUPYTER_PATH: spec.jupyterPath },
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).output();
    const decoder = new TextDecoder();
    const text = decoder.decode(output.stdout) + decoder.decode(output.stderr);
    assert(output.code === 0, `${script} failed:\n${text}`);
    return text;
  } finally {
    await Deno.remove(specRoot, { recursive: true });
  }
}
