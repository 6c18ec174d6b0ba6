/**
 * Where the JavaScript thread's time goes while some work runs, from V8's sampling profiler
 * (`node:inspector`, which Deno implements; `deno run` has no `--cpu-prof`): self time by file and
 * by function. A native call's time (a WebGPU call, a wasm kernel's FFI call) counts as self time
 * of the JavaScript function that made it, which is what found the stalls of docs/gpu.md.
 *
 * @example
 * ```ts
 * const { profile, wallMs } = await sampleHost(() => train());
 * console.log(summariseProfile(profile, wallMs).join("\n"));
 * ```
 */
import { Session } from "node:inspector";

/** The parts of a V8 CPU profile (`Profiler.stop`) that a self-time summary needs. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Microseconds between samples: fine enough for steps of tens of milliseconds. */
const SAMPLING_INTERVAL_US = 100;

/** Runs `work` under V8's sampling profiler: the profile and the work's wall time. */
export async function sampleHost(
  work: () => Promise<unknown>,
): Promise<{ profile: CpuProfile; wallMs: number }> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) =>
      session.post(method, params, (error, result) => error ? reject(error) : resolve(result as T))
    );
  try {
    await post("Profiler.enable");
    await post("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });
    await post("Profiler.start");
    const begin = performance.now();
    await work();
    const wallMs = performance.now() - begin;
    const { profile } = await post<{ profile: CpuProfile }>("Profiler.stop");
    return { profile, wallMs };
  } finally {
    session.disconnect();
  }
}

/** The repository (or unpacked archive) root: file URLs below it are shown relative to it. */
const ROOT = new URL("../../", import.meta.url).href;
/** The profiler's own calls (its start and stop are sampled too): left out of the summary. */
const PROFILER_URL = "ext:deno_node/inspector.js";

/** A frame's file, short: relative to the root, or from the nearest `node_modules/`. */
function shortFile(url: string): string {
  if (url.startsWith(ROOT)) return url.slice(ROOT.length);
  return url.replace(/^.*\/node_modules\//, "");
}

/**
 * Self time by file and by function, largest first (the `top` largest of each), as lines: a header
 * with the wall and sampled time, then `  <ms> ms <share>%  <name>` rows. Samples in the profiler's
 * own calls are left out and counted in the header.
 */
export function summariseProfile(profile: CpuProfile, wallMs: number, top = 12): string[] {
  const frameOf = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  // V8 writes one delta per sample; a missing one read as 0 ms would hide the sample's time.
  if (profile.timeDeltas.length !== profile.samples.length) {
    throw new Error(
      `CPU profile: ${profile.samples.length} samples but ${profile.timeDeltas.length} time deltas`,
    );
  }
  let [totalMs, profilerMs] = [0, 0];
  profile.samples.forEach((id, i) => {
    const frame = frameOf.get(id);
    if (frame === undefined) throw new Error(`CPU profile: sample ${i} names no node (id ${id})`);
    const ms = profile.timeDeltas[i] / 1000;
    if (frame.url === PROFILER_URL) {
      profilerMs += ms;
      return;
    }
    const file = shortFile(frame.url);
    // Native frames ("(garbage collector)", "(idle)", a WebGPU call) have no file: their name is it.
    const fileKey = file || frame.functionName;
    const name = `${frame.functionName || "(anonymous)"}${
      file ? ` ${file}:${frame.lineNumber + 1}` : ""
    }`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + ms);
    totalMs += ms;
  });
  const rows = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([key, ms]) =>
      `  ${ms.toFixed(0).padStart(7)} ms ${(100 * ms / totalMs).toFixed(1).padStart(5)}%  ${key}`
    );
  return [
    `host profile: ${wallMs.toFixed(0)} ms wall, ${totalMs.toFixed(0)} ms sampled on the ` +
    `JavaScript thread ("(idle)": waiting, e.g. for the GPU; the profiler's own ` +
    `${profilerMs.toFixed(0)} ms left out); self time by file:`,
    ...rows(byFile),
    "self time by function:",
    ...rows(byFunction),
  ];
}
