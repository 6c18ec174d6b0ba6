/**
 * The host profile (scripts/cli/host_profile.ts) at the edges its first tests left open: more
 * time deltas than samples is refused too; only the profiler's own file is left out (Deno's other
 * `ext:` files are the thread's time); deltas of 100 µs add up, not round to 0 ms each; and an
 * inspector call that fails fails the sampling. Found by mutation round KG (KG40-KG43).
 */
import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { Session } from "node:inspector";
import { type CpuProfile, sampleHost, summariseProfile } from "../../scripts/cli/host_profile.ts";

const root = new URL("../../", import.meta.url).href;

/** One node per frame ([functionName, url]); the samples name them in turn, each `deltaUs` long. */
function profileOf(frames: [string, string][], samples: number[], deltaUs: number): CpuProfile {
  return {
    nodes: frames.map(([functionName, url], i) => ({
      id: i + 1,
      callFrame: { functionName, url, lineNumber: 0 },
    })),
    samples,
    timeDeltas: samples.map(() => deltaUs),
  };
}

Deno.test("summariseProfile: more time deltas than samples is an error too", () => {
  const profile = profileOf([["step", `${root}lib/step.ts`]], [1, 1], 1000);
  profile.timeDeltas.push(1000);
  assertThrows(
    () => summariseProfile(profile, 3),
    Error,
    "CPU profile: 2 samples but 3 time deltas",
  );
});

Deno.test("summariseProfile: Deno's own ext: files count; only the profiler's is left out", () => {
  const profile = profileOf(
    [["setTimeout", "ext:deno_web/02_timers.js"], ["post", "ext:deno_node/inspector.js"]],
    [1, 1, 2],
    1000,
  );
  const lines = summariseProfile(profile, 3);
  assertEquals(lines[0].startsWith("host profile: 3 ms wall, 2 ms sampled "), true, lines[0]);
  assertEquals(lines[0].includes("the profiler's own 1 ms left out"), true, lines[0]);
  assertEquals(lines.slice(1), [
    "        2 ms 100.0%  ext:deno_web/02_timers.js",
    "self time by function:",
    "        2 ms 100.0%  setTimeout ext:deno_web/02_timers.js:1",
  ]);
});

Deno.test("summariseProfile: samples 100 µs apart add up (30 of them: 3 ms), none read as 0 ms", () => {
  const profile = profileOf([["step", `${root}lib/step.ts`]], Array(30).fill(1), 100);
  const lines = summariseProfile(profile, 4);
  assertEquals(lines[0].startsWith("host profile: 4 ms wall, 3 ms sampled "), true, lines[0]);
  assertEquals(lines[1], "        3 ms 100.0%  lib/step.ts");
});

Deno.test("sampleHost: an inspector call that fails fails the sampling, with its error", async () => {
  const post = Session.prototype.post;
  Session.prototype.post = function (this: Session, ...args: unknown[]) {
    if (args[0] === "Profiler.setSamplingInterval") {
      (args[2] as (error: Error | null, result?: unknown) => void)(new Error("interval refused"));
      return;
    }
    return (post as (...a: unknown[]) => void).apply(this, args);
  } as typeof post;
  let ran = false;
  try {
    await assertRejects(
      () => sampleHost(() => Promise.resolve(ran = true)),
      Error,
      "interval refused",
    );
  } finally {
    Session.prototype.post = post;
  }
  assertEquals(ran, false, "the work does not run unprofiled");
});
