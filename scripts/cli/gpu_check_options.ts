/**
 * The options of the device check (`scripts/gpu_check.ts`): parsed and checked before any child
 * starts (a bad one is a {@linkcode UsageError}: one line, status 2), and the arguments a child
 * that times one backend is given, so it trains the workload the parent was asked for. Here, not
 * in the script, so they are tested in-process (tests/cli/gpu_check_options_test.ts); in
 * scripts/cli/, which the offline archive carries whole (scripts/build_gpu_check.sh).
 */
import { integerOption, parseOptions, UsageError } from "./options.ts";
import { BEAUTY_SHAPE } from "../../lib/data/mod.ts";
import { DEFAULT_MODEL_CONFIG } from "../../lib/models/mod.ts";
import { DEFAULT_TRAINER_CONFIG } from "../../lib/train/mod.ts";

/** The library's defaults (SequentialRecommender's d, the trainer's batch), printed in --help. */
export const [DEFAULT_DIM, DEFAULT_BATCH_SIZE] = [
  DEFAULT_MODEL_CONFIG.dim,
  DEFAULT_TRAINER_CONFIG.batchSize,
];
export const BACKENDS = ["webgpu", "wasm", "cpu"] as const;
/** The backends timed when `--backends` is not given, in order. */
const DEFAULT_BACKENDS = "webgpu,wasm";
/** Users of the workload `--profile` times when `--users` is not given: a short epoch. */
const PROFILE_USERS = 512;
/** What is trained: the plain backbone, or Demure over it (every step denoises: no warm-up). */
export const SYSTEMS = ["sasrec", "demure"] as const;
export type System = typeof SYSTEMS[number];
/** What is trained when `--system` is not given. */
const DEFAULT_SYSTEM: System = "sasrec";

/**
 * The task the check is run as (`deno task gpu-check`, deno.json), which its usage names and its
 * messages start with: the command its user typed, not the script's file.
 */
export const TASK_NAME = "gpu-check";

export const USAGE = `usage: deno task ${TASK_NAME} [--backends ${DEFAULT_BACKENDS}] [--system ${
  SYSTEMS.join("|")
}]
                  [--max-batches N] [--users N] [--dim N] [--batch-size N]
       deno task ${TASK_NAME} --adapter     the adapter line only
       deno task ${TASK_NAME} --tests       the webgpu tests on this machine's adapter (alone)
  From the offline archive (deno task ${TASK_NAME}:build): demure-gpu-check/gpu_check.sh, with
  the same options.
  --backends LIST    which backends to time, in order (${
  BACKENDS.join(", ")
}; default ${DEFAULT_BACKENDS});
                     one listed twice runs twice, and the two must give the same numbers
  --system NAME      what is trained: sasrec or demure (Demure-SASRec, the library's defaults,
                     denoising from the first step); default ${DEFAULT_SYSTEM}
  --max-batches N    at most N training batches in the timed epoch (default: the whole epoch)
  --dim N            the model's width d (default ${DEFAULT_DIM}, the library's and the paper's)
  --batch-size N     sequences per training step (default ${DEFAULT_BATCH_SIZE}); with --dim, where
                     a GPU starts to pay: a step's kernel count stays, their work grows
  --users N          users of the Beauty-shaped workload (default ${BEAUTY_SHAPE.numUsers};
                     ${PROFILE_USERS} with --profile)
  --profile          instead of an epoch, where one step's time goes on each backend: the cost
                     of launching a kernel (by kind) and of one read, the kernels of one step
                     and their device time (tf.profile), the step time over 4 short epochs, the
                     reads of a step, on webgpu both upload routes, and the JavaScript thread's
                     self time by file and function (V8's sampling profiler); of the
                     --system, --dim, --batch-size and --max-batches given, as an epoch is
  -h, --help         print this text`;

/** The checked options of `args`; a bad one is a {@linkcode UsageError}. */
export function gpuCheckOptions(args: readonly string[]) {
  const { values } = parseOptions(args, {
    adapter: { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    // scripts/gpu_check.sh's, which runs the tests instead of this script: declared so that an
    // unknown option's line lists it with the rest a user may type (as --help does), and refused
    // below when it reaches this script (run directly, not through the shell script).
    tests: { type: "boolean", default: false },
    // Set by this program on the child process that times one backend.
    child: { type: "string" },
    // No parser default: --adapter must see whether they were given (the defaults follow below).
    backends: { type: "string" },
    system: { type: "string" },
    "max-batches": { type: "string" },
    users: { type: "string" },
    dim: { type: "string" },
    "batch-size": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  }, { hidden: ["child"] });
  if (values.tests) {
    throw new UsageError(
      `--tests runs through bash scripts/gpu_check.sh (deno task ${TASK_NAME} --tests), alone`,
    );
  }
  if (values.adapter) {
    // --adapter prints the adapter line and exits: the epoch's options were dropped unsaid.
    const epochOptions = [
      "profile",
      "backends",
      "system",
      "max-batches",
      "users",
      "dim",
      "batch-size",
    ] as const;
    const given = epochOptions.find((name) => values[name] !== undefined && values[name] !== false);
    if (given !== undefined) {
      throw new UsageError(
        `--adapter prints the adapter line only: --${given} would be ignored; give one or the other`,
      );
    }
  }
  const system = values.system ?? DEFAULT_SYSTEM;
  const backends = (values.backends ?? DEFAULT_BACKENDS).split(",");
  for (const backend of backends) {
    if (!(BACKENDS as readonly string[]).includes(backend)) {
      throw new UsageError(`--backends: "${backend}" is not one of ${BACKENDS.join(", ")}`);
    }
  }
  if (!(SYSTEMS as readonly string[]).includes(system)) {
    throw new UsageError(`--system: "${system}" is not one of ${SYSTEMS.join(", ")}`);
  }
  // Larger values are typos: the Beauty-shaped set has about 22k users and 175 batches.
  const [maxUsers, maxBatches] = [10_000_000, 1_000_000];
  return {
    ...values,
    backends,
    system: system as System,
    users: values.users === undefined
      ? undefined
      : integerOption("users", values.users, 1, maxUsers),
    maxBatches: values["max-batches"] === undefined
      ? undefined
      : integerOption("max-batches", values["max-batches"], 1, maxBatches),
    // Beyond these a step no longer fits a GPU's memory with 12k items.
    dim: values.dim === undefined ? DEFAULT_DIM : integerOption("dim", values.dim, 1, 4096),
    batchSize: values["batch-size"] === undefined
      ? DEFAULT_BATCH_SIZE
      : integerOption("batch-size", values["batch-size"], 1, 65_536),
  };
}

/** The checked options ({@linkcode gpuCheckOptions}). */
export type GpuCheckOptions = ReturnType<typeof gpuCheckOptions>;

/**
 * The users of the Beauty-shaped workload the check trains: `--users`, else the set's own count
 * for an epoch and {@linkcode PROFILE_USERS} for `--profile` (the defaults --help states).
 */
export function workloadUsers(values: Pick<GpuCheckOptions, "users" | "profile">): number {
  return values.users ?? (values.profile ? PROFILE_USERS : BEAUTY_SHAPE.numUsers);
}

/**
 * The arguments of the child that times `backend` (after the script, if any): the same system,
 * batch cap, users, width and batch size as the parent, and `--profile` when profiling.
 */
export function childArgs(values: GpuCheckOptions, backend: string): string[] {
  const args = ["--child", backend, "--system", values.system];
  if (values["max-batches"]) args.push("--max-batches", values["max-batches"]);
  if (values.users !== undefined) args.push("--users", String(values.users));
  args.push("--dim", String(values.dim), "--batch-size", String(values.batchSize));
  if (values.profile) args.push("--profile");
  return args;
}
