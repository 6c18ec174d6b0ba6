/**
 * Runs a module's text in a process whose writes fail as on a full disk: the file-size limit
 * (RLIMIT_FSIZE) is 0 and SIGXFSZ ignored, so a file can be created but each write of data into it
 * fails with the system's error ("File too large (os error 27)"), as a write to a full disk fails
 * after its file was made. The real system call fails, not a stand-in of Deno's API: a writer that
 * left its partial temporary behind leaves it here too.
 *
 * The child is first run once without the limit and with `--warm` (its code returns at once), so
 * that Deno's own cache of the modules is written before the limit would refuse it.
 */

const root = new URL("../", import.meta.url).pathname;

/** What the child printed; its exit status. */
export interface FullDiskRun {
  /** Exit status of the limited run. */
  code: number;
  /** Its standard output. */
  stdout: string;
  /** Its standard error. */
  stderr: string;
}

/**
 * `code` (a module's text, imports by absolute specifier, see `projectModule` in
 * tests/_eval_in_subprocess.ts) run from the project root under a file-size limit of `kibibytes`
 * KiB (default 0: no write of data succeeds), with `args`. The text is prefixed by a line that
 * returns at once on `--warm`.
 */
export async function runOnFullDisk(
  code: string,
  args: string[] = [],
  kibibytes = 0,
): Promise<FullDiskRun> {
  const dir = await Deno.makeTempDir({ prefix: "demure-full-disk-" });
  try {
    const script = `${dir}/child.ts`;
    await Deno.writeTextFile(
      script,
      `${code}\n`.replace(/^/, 'if (Deno.args.includes("--warm")) Deno.exit(0);\n'),
    );
    const deno = ["run", "-A", "--no-check", "--quiet", "--config", `${root}deno.json`, script];
    const warm = await new Deno.Command(Deno.execPath(), {
      args: [...deno, "--warm"],
      cwd: root,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!warm.success) {
      throw new Error(`the warm-up run failed:\n${new TextDecoder().decode(warm.stderr)}`);
    }
    return await runWithFileSizeLimit(kibibytes, [...deno, ...args], root);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * `deno` with `args`, run in `cwd` under a file-size limit of `kibibytes` KiB (bash's `ulimit -f`
 * unit) with SIGXFSZ ignored: a write that would make a file larger fails with "File too large".
 * `env` is added to this process's environment (a PATH of stand-in commands; bash must stay on it).
 */
export async function runWithFileSizeLimit(
  kibibytes: number,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<FullDiskRun> {
  const quoted = [Deno.execPath(), ...args].map((arg) => `'${arg.replace(/'/g, "'\\''")}'`);
  const output = await new Deno.Command("bash", {
    args: ["-c", `trap '' XFSZ; ulimit -f ${kibibytes}; exec ${quoted.join(" ")}`],
    cwd,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}
