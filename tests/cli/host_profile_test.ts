/**
 * The host profile of `gpu_check --profile` (`scripts/cli/host_profile.ts`): self time summed by
 * function and by file from a V8 CPU profile, largest first, with the profiler's own samples left
 * out; and a real sampling of real work.
 */
import { assert, assertEquals, assertMatch, assertThrows } from "@std/assert";
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
  const broken = { ...profile, samples: [1, 9] };
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
