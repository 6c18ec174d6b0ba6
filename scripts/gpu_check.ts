/**
 * The device check: which WebGPU adapter Deno sees (or why none), then one training epoch of the
 * library's SASRec (or Demure-SASRec, `--system demure`) on the Beauty-shaped workload (`generateWorkloadDataset`: about 22k users, 12k
 * items, median history 6, maximum length 50) on `webgpu` and on `wasm`, timed, and their ratio.
 *
 * Each backend runs in a child process of this program (a process chooses its backend once), from
 * the same seed; the parent prints one line per backend and the ratio. Built into one archive by
 * `deno task gpu-check:build` (see `scripts/gpu_check.sh` and docs/gpu.md).
 *
 *   deno task gpu-check [--backends webgpu,wasm] [--system sasrec|demure]
 *                       [--max-batches N] [--users N] [--dim N] [--batch-size N]
 *   deno task gpu-check --adapter     the adapter line only
 *   deno task gpu-check --profile     where a step's time goes, per backend
 *
 * (the task runs `scripts/gpu_check.sh`, which finds the Vulkan driver and runs this script with
 * `-A`). Its usage and messages name the task, as `deno task profile`'s do.
 */
import { fileURLToPath } from "node:url";
import { UsageError } from "./cli/options.ts";
import { sampleHost, summariseProfile } from "./cli/host_profile.ts";
import {
  childArgs,
  gpuCheckOptions,
  TASK_NAME,
  USAGE,
  workloadUsers,
} from "./cli/gpu_check_options.ts";
import {
  childResult,
  comparisonLines,
  describeTiming,
  type EpochTiming,
  PROFILE_PREFIX,
  profileLines,
  RESULT_PREFIX,
} from "./cli/gpu_check_report.ts";
import {
  demureHooks,
  initBackend,
  leaveOneOutSplit,
  SequentialRecommender,
  type TrainerHooks,
  trainModel,
} from "../mod.ts";
import {
  probeWebgpu,
  registerQueuedUploads,
  restoreStagedUploads,
  tf,
} from "../lib/backend/mod.ts";
import { BEAUTY_SHAPE, generateWorkloadDataset } from "../lib/data/mod.ts";

/** The checked options; a bad one stops here, before any child starts (status 2). */
function checkedOptions() {
  try {
    return gpuCheckOptions(Deno.args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${TASK_NAME}: ${error.message}; see --help`);
    Deno.exit(2);
  }
}

const values = checkedOptions();
if (values.help) {
  console.log(USAGE);
  Deno.exit(0);
}

/** One epoch on the backend chosen by DEMURE_BACKEND (child process). */
async function timeEpoch(): Promise<EpochTiming> {
  const choice = await initBackend({ verbose: false });
  const users = workloadUsers(values);
  const maxBatches = values.maxBatches;
  const dataset = generateWorkloadDataset({ seed: 0, numUsers: users });
  const split = leaveOneOutSplit(dataset, { maxLength: 50 });
  const shape = { backbone: "sasrec", maxLength: 50, dim: values.dim } as const;
  const model = new SequentialRecommender(split.dataset, { ...shape, seed: 0 });
  const batchSize = values.batchSize;
  try {
    // Warm-up on a throwaway model: tfjs compiles kernels (WebGPU pipelines) for each new shape,
    // once per process; the timed epoch should not pay for it.
    const warmup = new SequentialRecommender(split.dataset, shape);
    const warmupConfig = { maxEpochs: 1, maxBatchesPerEpoch: 2, batchSize, resume: false };
    await trainModel(warmup, split, warmupConfig, {
      ...hooksOf(warmup),
      onProgress: () => {},
      validate: () => ({ "NDCG@10": 0 }),
    });
    warmup.dispose();
    const result = await trainModel(model, split, {
      maxEpochs: 1,
      seed: 0,
      batchSize,
      resume: false,
      ...(maxBatches ? { maxBatchesPerEpoch: maxBatches } : {}),
    }, { ...hooksOf(model), onProgress: () => {} });
    const epoch = result.history[0];
    const trainSeconds = epoch.stepSeconds * epoch.steps;
    return {
      backend: choice.backend,
      system: values.system,
      reason: choice.reason,
      kernels: choice.kernels,
      users: dataset.numUsers,
      items: dataset.numItems,
      steps: epoch.steps,
      trainSeconds,
      validationSeconds: epoch.epochSeconds - trainSeconds,
      loss: epoch.loss,
      validNdcg10: epoch.validation?.["NDCG@10"] ?? NaN,
    };
  } finally {
    model.dispose();
    tf.disposeVariables();
  }
}

/** Milliseconds per call of `make` in a chain of `n` (each on the last's output), read once. */
async function chainMs(n: number, start: tf.Tensor, make: (x: tf.Tensor) => tf.Tensor) {
  const { enqueueMs, waitMs } = await chainTimes(n, start, make);
  return enqueueMs + waitMs;
}

/**
 * A chain of `n` calls of `make` (each on the last's output), read once at the end: milliseconds
 * per call spent issuing the calls (host), and then waiting for the read (the device's backlog).
 */
async function chainTimes(
  n: number,
  start: tf.Tensor,
  make: (x: tf.Tensor, i: number) => tf.Tensor,
) {
  const begin = performance.now();
  let x = start;
  for (let i = 0; i < n; i++) {
    // In a tidy: a tensor a probe makes beside its output (a host-made scalar) would otherwise stay.
    const next = tf.tidy(() => make(x, i));
    if (x !== start) x.dispose();
    x = next;
  }
  const issued = performance.now();
  await x.data();
  if (x !== start) x.dispose();
  return { enqueueMs: (issued - begin) / n, waitMs: (performance.now() - issued) / n };
}

/**
 * What one kernel costs on the host and on the device, by kind: each probe is a chain of 1,000
 * calls read once (after a compiling run), split into issuing and waiting for the read.
 */
async function dispatchProbes(): Promise<string[]> {
  const rows = tf.randomNormal([653, 64]);
  const weights = tf.randomNormal([64, 64], 0, 0.01);
  const mixed = [tf.add, tf.mul, tf.sub, tf.maximum] as const;
  const probes: [string, (x: tf.Tensor, i: number) => tf.Tensor][] = [
    ["add [653, 64] + scalar", (x) => tf.add(x, 1)],
    ["matMul [653, 64] x [64, 64]", (x) => tf.matMul(x, weights)],
    ["4 programs in turn (add, mul, sub, maximum)", (x, i) => mixed[i % 4](x, 1)],
    ["add of a fresh scalar made on the host", (x, i) => tf.add(x, tf.scalar(i % 7))],
  ];
  const lines = [];
  for (const [name, make] of probes) {
    await chainTimes(50, rows, make);
    const { enqueueMs, waitMs } = await chainTimes(1000, rows, make);
    lines.push(
      `  ${(enqueueMs + waitMs).toFixed(3)} ms a call: ${enqueueMs.toFixed(3)} issuing, ` +
        `${waitMs.toFixed(3)} waiting  ${name}`,
    );
  }
  tf.dispose([rows, weights]);
  return lines;
}

/**
 * Times every read of `tf`'s backend (a tensor's data() or dataSync()) while `work` runs: how
 * many there were and the milliseconds spent in them, which on webgpu includes waiting for all the
 * work queued before the read.
 */
async function timeReads(work: () => Promise<unknown>) {
  const backend = tf.backend() as unknown as {
    read: (dataId: object) => Promise<unknown>;
    readSync: (dataId: object) => unknown;
  };
  const [read, readSync] = [backend.read, backend.readSync];
  let [reads, readMs] = [0, 0];
  backend.read = async (dataId) => {
    const begin = performance.now();
    try {
      return await read.call(backend, dataId);
    } finally {
      [reads, readMs] = [reads + 1, readMs + performance.now() - begin];
    }
  };
  backend.readSync = (dataId) => {
    const begin = performance.now();
    try {
      return readSync.call(backend, dataId);
    } finally {
      [reads, readMs] = [reads + 1, readMs + performance.now() - begin];
    }
  };
  try {
    await work();
  } finally {
    [backend.read, backend.readSync] = [read, readSync];
  }
  return { reads, readMs };
}

/**
 * Where one training step's time goes on the backend chosen by DEMURE_BACKEND (child process):
 * the launch cost of a small kernel, the cost of one awaited read, the kernels of one step with
 * their device time, and the step time over 4 short epochs (steady after the first: no compiling).
 */
async function profileStep(): Promise<string[]> {
  const choice = await initBackend({ verbose: false });
  const lines = [`backend ${choice.backend} (${choice.reason})`];
  lines.push(...await launchAndReadLines());
  lines.push("one kernel by kind (a chain of 1,000, read once):", ...await dispatchProbes());
  const dataset = generateWorkloadDataset({ seed: 0, numUsers: workloadUsers(values) });
  const split = leaveOneOutSplit(dataset, { maxLength: 50 });
  const quiet = { onProgress: () => {}, validate: () => ({ "NDCG@10": 0 }) };
  // The width, batch and batch cap asked for, as an epoch's timing has them (they were dropped
  // here unsaid: --profile --dim 256 profiled d = 64). A call's own cap (the warm-up's 2, the
  // profiled step's 1) comes after, so it stays.
  const make = (seed: number) =>
    new SequentialRecommender(split.dataset, {
      backbone: "sasrec",
      maxLength: 50,
      dim: values.dim,
      seed,
    });
  const asked = {
    resume: false,
    batchSize: values.batchSize,
    ...(values.maxBatches ? { maxBatchesPerEpoch: values.maxBatches } : {}),
  };
  const run = (model: SequentialRecommender, config: Parameters<typeof trainModel>[2]) =>
    trainModel(model, split, { ...asked, ...config }, { ...hooksOf(model), ...quiet });
  const train: ProfiledTraining = async (config) => {
    const model = make(0);
    try {
      return await run(model, config);
    } finally {
      model.dispose();
    }
  };
  const warm = make(1);
  await run(warm, { maxEpochs: 1, maxBatchesPerEpoch: 2 });
  warm.dispose();
  const profiled = make(0);
  const profile = await tf.profile(async () => {
    await run(profiled, { maxEpochs: 1, maxBatchesPerEpoch: 1 });
  });
  profiled.dispose();
  lines.push(...await kernelLines(profile));
  const { history } = await train({ maxEpochs: 4, seed: 0 });
  lines.push(
    `step time by epoch (${history[0].steps} steps each): ` +
      history.map((epoch) => `${(1000 * epoch.stepSeconds).toFixed(0)} ms`).join(", "),
  );
  // The same epoch again, its reads timed (validation is a stub here: the reads are training's).
  let steps = 0;
  const { reads, readMs } = await timeReads(async () => {
    const { history } = await train({ maxEpochs: 1, seed: 0 });
    steps = history[0].steps;
  });
  lines.push(
    `reads: ${(reads / steps).toFixed(1)} a step, ${(readMs / steps).toFixed(0)} ms a step ` +
      `spent in them (the rest of a step is issuing its ${profile.kernels.length} kernels)`,
  );
  if (choice.backend === "webgpu") lines.push(await uploadRoutesLine(train));
  const { profile: host, wallMs } = await sampleHost(() => train({ maxEpochs: 1, seed: 0 }));
  // One epoch of the 512-user set, its validation a stub.
  lines.push(...summariseProfile(host, wallMs));
  return lines;
}

/** A training of a fresh model (seed 0) of the profiled workload. */
type ProfiledTraining = (
  config: Parameters<typeof trainModel>[2],
) => ReturnType<typeof trainModel>;

/** What launching one small kernel costs, and one read back to the host. */
async function launchAndReadLines(): Promise<string[]> {
  const small = tf.randomNormal([128, 64]);
  await chainMs(200, small, (x) => tf.add(x, 1)); // compiles the program
  const launch = `launch: ${(await chainMs(2000, small, (x) => tf.add(x, 1))).toFixed(3)} ms ` +
    "a kernel (a chain of 2,000 adds of [128, 64], read once)";
  const begin = performance.now();
  for (let i = 0; i < 100; i++) {
    const x = tf.add(small, i);
    await x.data();
    x.dispose();
  }
  small.dispose();
  return [
    launch,
    `read: ${((performance.now() - begin) / 100).toFixed(3)} ms (one add + await data())`,
  ];
}

/** One step's kernels and their device time: the total, and the 12 costliest by name and shape. */
async function kernelLines(
  profile: Awaited<ReturnType<typeof tf.profile>>,
): Promise<string[]> {
  const byKernel = new Map<string, { count: number; ms: number }>();
  let deviceMs = 0;
  for (const kernel of profile.kernels) {
    const ms = await kernel.kernelTimeMs;
    if (typeof ms !== "number") continue;
    deviceMs += ms;
    const key = `${kernel.name} ${JSON.stringify(kernel.inputShapes)} -> ` +
      JSON.stringify(kernel.outputShapes);
    const entry = byKernel.get(key) ?? { count: 0, ms: 0 };
    byKernel.set(key, { count: entry.count + 1, ms: entry.ms + ms });
  }
  const costliest = [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12);
  return [
    `one step: ${profile.kernels.length} kernels, ${deviceMs.toFixed(1)} ms of kernel time`,
    ...costliest.map(([key, { count, ms }]) =>
      `  ${ms.toFixed(2).padStart(8)} ms  x${count}  ${key}`
    ),
  ];
}

/** On webgpu: the second epoch's step time through each upload route of host-made tensors. */
async function uploadRoutesLine(train: ProfiledTraining): Promise<string> {
  // The upload route of host-made tensors (lib/backend/kernels/webgpu_uploads.ts), both ways in
  // this process; earlier measured and dropped here: kernels per queue submit (docs/gpu.md).
  const steps: string[] = [];
  for (const route of ["writeBuffer", "staged (stock)", "writeBuffer"]) {
    if (route === "writeBuffer") registerQueuedUploads();
    else restoreStagedUploads();
    const { history } = await train({ maxEpochs: 2, seed: 0 });
    steps.push(
      `${route}: ${(1000 * history[1].stepSeconds).toFixed(0)} ms (loss ${history[1].loss})`,
    );
  }
  return `step time by upload route (second epoch): ${steps.join(", ")}`;
}

/** What trains on `trained`: Demure from the first step (`--system demure`), or nothing extra. */
function hooksOf(trained: SequentialRecommender): TrainerHooks {
  return values.system === "demure"
    ? demureHooks(trained, { warmupBy: "steps", warmupSteps: 0 }).hooks
    : {};
}

/** Runs this program again with DEMURE_BACKEND=backend: its exit code and what it printed. */
async function runChildProcess(backend: string) {
  const self = Deno.execPath();
  // Compiled, the program is the executable; under `deno run`, pass the script again.
  const script = /\/deno(\.exe)?$/.test(self)
    ? ["run", "-A", fileURLToPath(new URL(import.meta.url))]
    : [];
  const args = [...script, ...childArgs(values, backend)];
  const output = await new Deno.Command(self, {
    args,
    env: { DEMURE_BACKEND: backend },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: new TextDecoder().decode(output.stderr),
  };
}

/** Runs this program again with DEMURE_BACKEND=backend; its result, or why there is none. */
async function runChild(backend: string): Promise<EpochTiming | string> {
  return childResult(await runChildProcess(backend));
}

if (values.child !== undefined) {
  try {
    if (values.profile) {
      for (const line of await profileStep()) console.log(PROFILE_PREFIX + line);
    } else console.log(RESULT_PREFIX + JSON.stringify(await timeEpoch()));
  } catch (error) {
    console.error(`${TASK_NAME} (${values.child}): ${(error as Error).message.split("\n")[0]}`);
    Deno.exit(1);
  }
  Deno.exit(0);
}

const probe = await probeWebgpu();
console.log(
  `adapter: ${
    probe.available ? probe.reason : `none (${probe.reason})`
  }; deno ${Deno.version.deno}`,
);
if (values.adapter) Deno.exit(probe.available ? 0 : 1);

const backends = values.backends;
if (values.profile) {
  let failed = false;
  for (const backend of backends) {
    const { lines, failed: childFailed } = profileLines(backend, await runChildProcess(backend));
    for (const line of lines) console.log(line);
    failed ||= childFailed;
  }
  Deno.exit(failed ? 1 : 0);
}
const shape = `${workloadUsers(values)} users x ${BEAUTY_SHAPE.numItems} items`;
console.log(
  `workload: Beauty-shaped (${shape}, median history ${BEAUTY_SHAPE.medianHistory}, max length ` +
    `50); ${
      values.system === "demure" ? "Demure-SASRec (library defaults, no warm-up)" : "SASRec"
    } defaults but d = ${values.dim}, batch ${values.batchSize}; one epoch${
      values["max-batches"] ? ` capped at ${values["max-batches"]} batches` : ""
    } per backend`,
);
const timings: EpochTiming[] = [];
for (const backend of backends) {
  const result = await runChild(backend);
  if (typeof result === "string") console.log(`${backend}: no timing (${result})`);
  else {
    timings.push(result);
    console.log(describeTiming(result));
  }
}
const { lines, status } = comparisonLines(backends, timings);
for (const line of lines) console.log(line);
Deno.exit(status);
