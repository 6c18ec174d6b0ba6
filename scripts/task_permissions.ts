/**
 * The permission flags of a deno task (deno.json is their one home) with folders added to its reads
 * and writes: for running a task's script where its own paths are not enough, e.g. the grid's
 * results on a shared file system (the Slurm jobs, scripts/slurm/batch.ts; the Kubernetes jobs,
 * scripts/kubernetes/). Prints them on one line, for a shell to split:
 *
 *   deno run --no-prompt --allow-read=deno.json scripts/task_permissions.ts reproduce \
 *     --read-write /results
 *   # --no-prompt --allow-read=.,/proc,...,/results --allow-env ... --allow-write=./results,...,/results
 *
 * `--read PATH` adds a folder to the reads only (e.g. a dataset elsewhere; docs/permissions.md).
 *
 * Relative paths in the flags are the project's: run the script from the project folder.
 */
import { parseOptions } from "./cli/options.ts";

/** The flags that allow every read or every write (no list of paths). */
const UNSCOPED: Record<"read" | "write", readonly string[]> = {
  read: ["--allow-read", "-R"],
  write: ["--allow-write", "-W"],
};

/**
 * The flags of `taskCommand` (a scoped `deno run`) with each of `readWrite` added to its reads and
 * writes and each of `readOnly` to its reads. A task with all permissions, or a folder with white
 * space or a comma (the flags are split by a shell and list paths with commas), is an error. A
 * task that already reads (or writes) everything keeps its unscoped flag as it is.
 *
 * @example
 * ```ts
 * taskPermissions("deno run --allow-read=. --allow-write=./results scripts/reproduce.ts", ["/r"]);
 * // ["--allow-read=.,/r", "--allow-write=./results,/r"]
 * taskPermissions("deno run --allow-read=. scripts/reproduce.ts", [], ["/data"]);
 * // ["--allow-read=.,/data"]
 * ```
 */
export function taskPermissions(
  taskCommand: string,
  readWrite: readonly string[],
  readOnly: readonly string[] = [],
): string[] {
  const words = taskCommand.trim().split(/\s+/);
  const start = words.indexOf("run") + 1;
  const end = words.findIndex((word, index) => index >= start && !word.startsWith("-"));
  const flags = words.slice(start, end < 0 ? undefined : end);
  if (start === 0 || flags.includes("-A") || flags.includes("--allow-all")) {
    throw new Error(`not a scoped deno run: ${taskCommand}`);
  }
  for (const path of [...readWrite, ...readOnly]) {
    if (path === "" || /[\s,]/.test(path)) {
      throw new Error(`folder ${JSON.stringify(path)} is empty or holds white space or a comma`);
    }
  }
  const added = { read: [...readWrite, ...readOnly], write: [...readWrite] };
  // An unscoped flag already allows every path: a scoped one added beside it would narrow it to
  // the folders added (Deno takes the listed paths), as `--allow-read --allow-read=/r` does.
  for (const name of ["read", "write"] as const) {
    if (flags.some((flag) => UNSCOPED[name].includes(flag))) added[name] = [];
  }
  const withPaths = flags.map((flag) => {
    const name = /^--allow-(read|write)=/.exec(flag)?.[1] as "read" | "write" | undefined;
    return name && added[name].length > 0 ? `${flag},${added[name].join(",")}` : flag;
  });
  for (const name of ["read", "write"] as const) {
    if (added[name].length > 0 && !withPaths.some((flag) => flag.startsWith(`--allow-${name}=`))) {
      withPaths.push(`--allow-${name}=${added[name].join(",")}`);
    }
  }
  return withPaths;
}

/** What `--help` prints (docs/permissions.md shows it in use). */
const USAGE = `usage: deno run --no-prompt --allow-read=deno.json scripts/task_permissions.ts TASK
         [--read-write DIR ...] [--read DIR ...]
Prints the permission flags of deno.json's task TASK on one line, with each --read-write folder
added to its reads and writes and each --read folder to its reads (run from the project folder).
  -h, --help  print this text`;

if (import.meta.main) {
  try {
    const { values, positionals } = parseOptions(Deno.args, {
      "read-write": { type: "string", multiple: true },
      read: { type: "string", multiple: true },
      help: { type: "boolean", short: "h", default: false },
    }, { allowPositionals: true });
    // docs/permissions.md names this script as a command; --help was an unknown option.
    if (values.help) {
      console.log(USAGE);
      Deno.exit(0);
    }
    if (positionals.length !== 1) throw new Error("name one task (e.g. reproduce)");
    const config = JSON.parse(Deno.readTextFileSync("deno.json")) as {
      tasks: Record<string, string>;
    };
    const command = config.tasks[positionals[0]];
    if (command === undefined) throw new Error(`deno.json has no task "${positionals[0]}"`);
    console.log(
      taskPermissions(command, values["read-write"] ?? [], values.read ?? []).join(" "),
    );
  } catch (error) {
    console.error(`task_permissions: ${(error as Error).message}`);
    Deno.exit(2);
  }
}
