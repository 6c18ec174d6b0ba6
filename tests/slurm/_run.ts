/** Runs a command to its end with only the given environment, and returns its code and output. */
export function runCaptured(
  command: string,
  args: string[],
  env: Record<string, string>,
): { code: number; stdout: string; stderr: string } {
  const output = new Deno.Command(command, { args, env, stdout: "piped", stderr: "piped" })
    .outputSync();
  return {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: new TextDecoder().decode(output.stderr),
  };
}
