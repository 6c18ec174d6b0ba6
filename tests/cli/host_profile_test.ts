/**
 * The host profile of `gpu_check --profile` (`scripts/cli/host_profile.ts`): self time summed by
 * function and by file from a V8 CPU profile, largest first, with the profiler's own samples left
 * out; and a real sampling of real work.
 */
import { assert, assertEquals, assertMatch, assertRejects, assertThrows } from "@std/assert";
import { Session } from "node:inspector";
import { type CpuProfile, sampleHost, summariseProfile } from "../../scripts/cli/host_profile.ts";

const root = new URL("../../", import.meta.url).href;

/** A profile of four nodes: two functions of one library file, a native call, the profiler. */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: "step", url: `${root}lib/train/step.ts`, lineNumber: 9 } },
    { id: 2, callFrame: { functionName: "adam", url: `${root}lib/train/step.ts`, lineNumber: 40 } },
    { id: 3, callFrame: { functionName: "submit", url: "", lineNumber: -1 } },
    {
      id: 4,
      callFrame: { functionName: "post", url: "ext:deno_node/inspector.js", lineNumber: 0 },
    },
    {
      id: 5,
      callFrame: {
        functionName: "runKernel",
        url: "file:///x/node_modules/@tensorflow/tfjs-core/dist/tf-core.node.js",
        lineNumber: 99,
      },
    },
  ],
  // Microseconds: step 3 ms, adam 1 ms, submit 4 ms, runKernel 2 ms, the profiler 5 ms.
  samples: [1, 3, 2, 3, 4, 1, 5, 1],
  timeDeltas: [1000, 2000, 1000, 2000, 5000, 1000, 2000, 1000],
};

Deno.test("summariseProfile: self time by file and function, largest first, the profiler left out", () => {
  const lines = summariseProfile(profile, 20, 3);
  assertMatch(lines[0], /^host profile: 20 ms wall, 10 ms sampled .* own 5 ms left out\)/);
  assertEquals(lines.slice(1), [
    "        4 ms  40.0%  lib/train/step.ts",
    "        4 ms  40.0%  submit",
    "        2 ms  20.0%  @tensorflow/tfjs-core/dist/tf-core.node.js",
    "self time by function:",
    "        4 ms  40.0%  submit",
    "        3 ms  30.0%  step lib/train/step.ts:10",
    "        2 ms  20.0%  runKernel @tensorflow/tfjs-core/dist/tf-core.node.js:100",
  ]);
});

Deno.test("summariseProfile: a sample naming no node is an error, not a silent skip", () => {
  const broken = { ...profile, samples: [1, 9], timeDeltas: [1000, 1000] };
  assertThrows(() => summariseProfile(broken, 1), Error, "sample 1 names no node (id 9)");
});

Deno.test("sampleHost: samples real work and names this file's function", async () => {
  function busyLoop() {
    let x = 0;
    for (let i = 0; i < 30_000_000; i++) x = (x + i * 7) % 1_000_003;
    return x;
  }
  const { profile: sampled, wallMs } = await sampleHost(() => Promise.resolve(busyLoop()));
  assert(wallMs > 0);
  const lines = summariseProfile(sampled, wallMs);
  assert(
    lines.some((line) => /% {2}busyLoop tests\/cli\/host_profile_test\.ts:\d+$/.test(line)),
    lines.join("\n"),
  );
});

/** A profile of one sample per frame given as [functionName, url, ms]. */
function profileOf(frames: [string, string, number][]): CpuProfile {
  return {
    nodes: frames.map(([functionName, url], i) => ({
      id: i + 1,
      callFrame: { functionName, url, lineNumber: 0 },
    })),
    samples: frames.map((_, i) => i + 1),
    timeDeltas: frames.map(([, , ms]) => ms * 1000),
  };
}

Deno.test("summariseProfile: a file under nested node_modules is named from the nearest one; an unnamed function is (anonymous)", () => {
  const lines = summariseProfile(
    profileOf([
      ["run", "file:///x/node_modules/a/node_modules/b/index.js", 3],
      ["", `${root}lib/train/step.ts`, 1],
    ]),
    4,
  );
  assertEquals(lines.slice(-2), [
    "        3 ms  75.0%  run b/index.js:1",
    "        1 ms  25.0%  (anonymous) lib/train/step.ts:1",
  ]);
});

Deno.test("summariseProfile: 12 rows of each kind by default, the largest", () => {
  // 14 functions in 14 files, function i taking i + 1 ms: the two smallest are left out.
  const frames = Array.from(
    { length: 14 },
    (_, i): [string, string, number] => [`f${i}`, `${root}lib/f${i}.ts`, i + 1],
  );
  const lines = summariseProfile(profileOf(frames), 105);
  const byFunction = lines.indexOf("self time by function:");
  assertEquals([byFunction, lines.length], [13, 26]);
  assert(lines[12].endsWith("  lib/f2.ts"), lines[12]);
  assert(lines[25].endsWith("  f2 lib/f2.ts:1"), lines[25]);
});

Deno.test("summariseProfile: a sample without its time delta is an error, not 0 ms", () => {
  const short = { ...profile, timeDeltas: profile.timeDeltas.slice(0, -1) };
  assertThrows(
    () => summariseProfile(short, 1),
    Error,
    "CPU profile: 8 samples but 7 time deltas",
  );
});

Deno.test("sampleHost: disconnects its inspector session, also when the work fails", async () => {
  // A session left open keeps the profiler's domain enabled on the thread after the check ends.
  const disconnect = Session.prototype.disconnect;
  let calls = 0;
  Session.prototype.disconnect = function (this: Session) {
    calls++;
    return disconnect.call(this);
  };
  try {
    await sampleHost(() => Promise.resolve());
    await assertRejects(() => sampleHost(() => Promise.reject(new Error("work failed"))));
  } finally {
    Session.prototype.disconnect = disconnect;
  }
  assertEquals(calls, 2);
});

Deno.test("sampleHost: sets a sampling interval of at most 100 µs before it starts the profiler", async () => {
  // V8's default (1 ms) leaves a GPU step of a few milliseconds a sample or two.
  const post = Session.prototype.post;
  const posted: [string, unknown][] = [];
  Session.prototype.post = function (this: Session, ...args: unknown[]) {
    posted.push([args[0] as string, args[1]]);
    return (post as (...a: unknown[]) => void).apply(this, args);
  } as typeof post;
  try {
    await sampleHost(() => Promise.resolve());
  } finally {
    Session.prototype.post = post;
  }
  const methods = posted.map(([method]) => method);
  const set = methods.indexOf("Profiler.setSamplingInterval");
  assert(set >= 0 && set < methods.indexOf("Profiler.start"), methods.join(", "));
  const { interval } = posted[set][1] as { interval: number };
  assert(interval > 0 && interval <= 100, `interval ${interval} µs`);
});
