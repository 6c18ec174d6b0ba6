/**
 * `deno task gpu-check:build`'s script run as the task runs it (`bash scripts/build_gpu_check.sh`
 * from the project root, stdin closed): the one home of the run that its option tests in
 * gpu_check_test.ts and gpu_check_build_audit_test.ts each wrote out.
 */
const root = new URL("../../", import.meta.url).pathname;
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** `bash scripts/build_gpu_check.sh ...args` from the project root: exit code and output. */
export async function buildGpuCheck(
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command("bash", {
    args: ["scripts/build_gpu_check.sh", ...args],
    cwd: root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}
