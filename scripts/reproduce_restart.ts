/**
 * Starts `reproduce` again with more permissions: a run whose command line names a dataset or a
 * results folder outside the project (`./run.sh reproduce --dataset /data/shop/shop ...`) may not
 * read there under its task's flags (deno.json: the project folder), and Deno cannot widen a
 * running process's permissions. The folders named are what the user asked the run to use, so
 * the first process starts the same command in a second one with them added
 * (`runPermissions`, scripts/reproduce_options.ts) and waits for it; that one starts the workers,
 * with the same flags. The task's `--allow-run` of the project's Deno (for the workers) allows it.
 * The second process is marked (`RESTART_FLAG`): it never starts a third.
 *
 * @example
 * ```ts
 * const { restart } = reproduceOptions(Deno.args);
 * if (restart) Deno.exit(await runAgain(restart.flags, scriptPath, [...Deno.args, RESTART_FLAG]));
 * ```
 */

/**
 * Runs `deno run <flags> <script> <args>` with this process's terminal (stdin, stdout, stderr)
 * and environment, and resolves with its exit status (128 + the signal's number when a signal
 * ended it).
 *
 * Signals: Ctrl-C reaches the whole foreground process group, the second process included, which
 * then stops its workers and gives up its claims (releaseClaimsOnSignal); passing it on too would
 * be a second signal, on which that process exits at once, before its workers. So this process
 * only outlives SIGINT (it waits for the other's status). SIGTERM, which `kill` and schedulers send
 * to one process, is passed on.
 */
export async function runAgain(
  flags: readonly string[],
  script: string,
  args: readonly string[],
): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...flags, script, ...args],
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const keepRunning = () => {};
  const passOn = () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // Already exited.
    }
  };
  Deno.addSignalListener("SIGINT", keepRunning);
  Deno.addSignalListener("SIGTERM", passOn);
  try {
    return (await child.status).code;
  } finally {
    Deno.removeSignalListener("SIGINT", keepRunning);
    Deno.removeSignalListener("SIGTERM", passOn);
  }
}
