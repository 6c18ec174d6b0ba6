/**
 * A stand-in for Python in the notebook runner's tests (runner_output_test.ts,
 * runner_le_gaps_test.ts): a bash script of `lines`, in a temporary folder removed after `body`.
 */

/**
 * Runs `body` with a fresh project folder (`root`, where the kernelspec goes) and a stand-in
 * `python` in it running `lines` (bash); removes the folder afterwards.
 */
export async function withStandInPython(
  lines: string[],
  body: (root: string, python: string) => Promise<void>,
): Promise<void> {
  const root = Deno.makeTempDirSync({ prefix: "runner-stand-in-" });
  try {
    const python = `${root}/python`;
    Deno.writeTextFileSync(python, ["#!/bin/bash", ...lines].join("\n") + "\n");
    Deno.chmodSync(python, 0o755);
    await body(root, python);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
}
