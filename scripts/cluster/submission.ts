/**
 * What the cluster routes' submission commands share: the workspace's cells as
 * `reproduce --list-cells --json` lists them (run with the reproduce task's own permissions, so that
 * the plan's flags are parsed in one place) and the commands they run.
 */
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { BACKEND_NAMES, type BackendName } from "../../lib/backend/backend_names.ts";
import type { ListedCell, RequestOverride } from "./stages.ts";
import { taskPermissions } from "../task_permissions.ts";
import { planDatasetReads } from "../reproduce_options.ts";
import { integerOption, ScriptFailure, UsageError } from "../cli/options.ts";
import type { ExperimentMode } from "../../lib/experiments/mod.ts";

/**
 * The options both routes take, each with its one default (`deno task slurm --help` and
 * `deno task kubernetes --help` describe them); a route adds its own.
 */
export const ROUTE_OPTIONS = {
  results: { type: "string" },
  quick: { type: "boolean", default: false },
  seeds: { type: "string" },
  cpus: { type: "string", default: "2" },
  gpu: { type: "boolean", default: false },
  backend: { type: "string" },
  minutes: { type: "string" },
  "memory-mb": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** No task asks for more CPUs (a larger value is a typo). */
export const MAX_CPUS = 256;
/** No route runs more tasks of a stage at once. */
export const MAX_PARALLEL_TASKS = 10_000;

/**
 * `--backend`: one of the workspace's backends (what `DEMURE_BACKEND` accepts), or none; with `--gpu`
 * (`gpu`) required, and not one that runs on the CPU.
 */
export function backendOption(text: string | undefined, gpu = false): BackendName | undefined {
  // Without one, each task picks its backend on its node: tensorflow where tfjs-node-gpu is
  // installed, else wasm, which holds the GPU it asked for idle (found walking docs/scale.md).
  if (text === undefined && gpu) {
    throw new UsageError(
      "--gpu without --backend: each task would pick its backend on its node, wasm where " +
        "tfjs-node-gpu is not installed, and hold its GPU idle; add --backend tensorflow or webgpu",
    );
  }
  if (text === undefined) return undefined;
  if (!(BACKEND_NAMES as readonly string[]).includes(text)) {
    throw new UsageError(`--backend ${text}: must be one of ${BACKEND_NAMES.join(", ")}`);
  }
  // A GPU asked of the scheduler for every task, and never used: these backends run on the CPU.
  if (gpu && (CPU_BACKENDS as readonly string[]).includes(text)) {
    throw new UsageError(
      `--gpu with --backend ${text}: ${CPU_BACKENDS.join(" and ")} run on the CPU; ` +
        "use --backend tensorflow or webgpu, or leave out --gpu",
    );
  }
  return text as BackendName;
}

/** The backends that use no GPU (a task that asks for one with them would hold it idle). */
const CPU_BACKENDS: readonly BackendName[] = ["wasm", "cpu"];

/**
 * The plan's flags every `reproduce` call of a cluster route gets: the route's own and those after
 * --. `--seeds` travels as one word, `--seeds=<value>`: as two, a value starting with a dash
 * (`--seeds=-1`) was taken by `reproduce` for an option, and its hint "--name=-1" told the user to
 * write what they had written, hiding the seeds' range.
 */
export function planArgsOf(
  values: { quick: boolean; seeds?: string },
  positionals: readonly string[],
): string[] {
  // reproduce runs here only to list the cells (`--list-cells --json`): given --help, it printed
  // its usage where the listing's JSON was read, and the command ended in a SyntaxError's stack.
  const help = positionals.find((word) => word === "--help" || word === "-h");
  if (help !== undefined) {
    throw new UsageError(
      `${help} after -- goes to reproduce, which only lists the cells here: deno task reproduce ` +
        "--help describes its flags (--help before -- describes this command's)",
    );
  }
  return [
    ...(values.quick ? ["--quick"] : []),
    ...(values.seeds ? [`--seeds=${values.seeds}`] : []),
    ...positionals,
  ];
}

/** The workspace this checkout is (the folder above scripts/). */
export const workspace: string = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** The plan as `reproduce --list-cells --json` describes it. */
export interface Listing {
  mode: ExperimentMode;
  resultsDir: string;
  /** The plan runs an imported dataset (`--dataset`): its cells' estimates are the embedded data's. */
  imported: boolean;
  /**
   * The imported dataset's files outside the workspace (`workerDatasetReads`), which every task
   * reads: its permission flags name them.
   */
  datasetReads: string[];
  cells: ListedCell[];
}

/** No task asks for more (a larger value is a typo): 30 days, 1 TiB. */
const MAX_TASK_MINUTES = 43_200;
const MAX_TASK_MEMORY_MB = 1_048_576;

/**
 * `--minutes` and `--memory-mb`: what each task requests instead of the estimates (which are
 * measured on the embedded datasets), checked before anything is listed or written.
 */
export function requestOverride(
  values: { minutes?: string; "memory-mb"?: string },
): RequestOverride {
  const minutes = values.minutes === undefined
    ? undefined
    : integerOption("minutes", values.minutes, 1, MAX_TASK_MINUTES);
  const memoryMb = values["memory-mb"] === undefined
    ? undefined
    : integerOption("memory-mb", values["memory-mb"], 1, MAX_TASK_MEMORY_MB);
  return {
    ...(minutes !== undefined ? { minutes } : {}),
    ...(memoryMb !== undefined ? { memoryMb } : {}),
  };
}

/**
 * Refuses a plan of an imported dataset without both requests given: nothing here has measured
 * its cells' time and memory, and a task that asked for the synthetic benchmark's 14 min and
 * 1.5 GB would be killed on a larger dataset (a 12k-item file peaked at 1.7 GB).
 */
export function requireMeasuredRequests(
  override: RequestOverride,
  listing: Pick<Listing, "imported">,
): void {
  if (listing.imported && (override.minutes === undefined || override.memoryMb === undefined)) {
    throw new UsageError(
      "an imported dataset (--dataset): give --minutes and --memory-mb per task, measured on " +
        "its slowest cell (the estimates are the embedded datasets'): e.g. `/usr/bin/time -f " +
        "%M deno task reproduce --dataset ... --cell <key of a Demure cell>`, then about 3 x " +
        "its minutes and 1.5 x its peak (docs/scale.md)",
    );
  }
}

/**
 * Runs `command` and returns its exit code and output; a command that is not on PATH is a
 * {@linkcode ScriptFailure} ending in `missingHint`.
 */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; missingHint?: string } = {},
): { code: number; stdout: string; stderr: string } {
  let output: Deno.CommandOutput;
  try {
    output = new Deno.Command(command, {
      args,
      cwd: options.cwd,
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new ScriptFailure(
        command.includes("/")
          ? `${command}: no such program`
          : `${command} not found on PATH${options.missingHint ?? ""}`,
      );
    }
    throw error;
  }
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** Fails with a {@linkcode ScriptFailure} ending in `hint` unless `name` is an executable on PATH. */
export function requireTool(name: string, hint: string): void {
  const found = (Deno.env.get("PATH") ?? "").split(":").some((dir) => {
    try {
      // Executable, as the shell finds it: a plain file failed only when run, with a raw
      // PermissionDenied instead of this line.
      const info = Deno.statSync(`${dir}/${name}`);
      return info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0;
    } catch {
      return false;
    }
  });
  if (!found) throw new ScriptFailure(`${name} not found on PATH${hint}`);
}

/** The reproduce task's command line (deno.json: the home of its permissions). */
export function reproduceTask(): string {
  const config = JSON.parse(Deno.readTextFileSync(`${workspace}/deno.json`)) as {
    tasks: Record<string, string>;
  };
  return config.tasks.reproduce;
}

/**
 * The plan's cells and their state under `resultsDir` (default: the plan's own folder), from
 * `deno run <reproduce task's permissions> scripts/reproduce.ts --list-cells --json <planArgs>`,
 * whose permissions also read `resultsDir` and the dataset's files outside the workspace
 * (`planDatasetReads`), so that reproduce runs once.
 */
export function listPlanCells(
  deno: string,
  resultsDir: string | undefined,
  planArgs: string[],
): Listing {
  // The dataset's files outside the workspace, given up front: without them reproduce started a
  // second Deno with them added (its restart) for every listing of such a dataset. A path the
  // flags cannot carry (white space, a comma) is left to reproduce, which refuses it by name.
  const reads = planDatasetReads(planArgs, workspace);
  const datasetReads = reads.some((path) => /[\s,]/.test(path)) ? [] : reads;
  let permissions: string[];
  try {
    permissions = taskPermissions(
      reproduceTask(),
      resultsDir === undefined ? [] : [resultsDir],
      datasetReads,
    );
  } catch (error) {
    throw new UsageError(`--results: ${(error as Error).message}`);
  }
  const args = [
    "run",
    // Run in the workspace, whose relative paths the task's permissions name.
    ...permissions,
    "scripts/reproduce.ts",
    "--list-cells",
    "--json",
    ...(resultsDir ? ["--results", resultsDir] : []),
    ...planArgs,
  ];
  const listed = runCommand(deno, args, { cwd: workspace });
  // reproduce's own one-line message (it names the option of the plan that it refused): with
  // --json its stderr holds nothing else, not even the note of a restart, were one needed
  // (listsForPrograms, scripts/reproduce_options.ts).
  if (listed.code !== 0) throw new ScriptFailure(listed.stderr.trim());
  return JSON.parse(listed.stdout) as Listing;
}
