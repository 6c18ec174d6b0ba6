/**
 * What the device check makes of its children (scripts/cli/gpu_check_report.ts), in-process on
 * fabricated outputs and timings: the result line found or why not, a `--profile` child's lines
 * or why none, the line per backend, the repeat comparison, the wasm / webgpu ratio and the exit
 * status.
 */
import { assertEquals } from "@std/assert";
import {
  childResult,
  comparisonLines,
  describeTiming,
  PROFILE_PREFIX,
  profileLines,
  RESULT_PREFIX,
} from "../../scripts/cli/gpu_check_report.ts";
import { epochTiming } from "./_epoch_timing.ts";

Deno.test("childResult: the prefixed JSON line of a child that exited 0, else its status and last stderr line", () => {
  const result = epochTiming("wasm");
  const line = `${RESULT_PREFIX}${JSON.stringify(result)}`;
  assertEquals(
    childResult({ code: 0, stdout: `noise\n${line}\nmore\n`, stderr: "warn\n" }),
    result,
  );
  // A result line from a child that then failed is not a timing.
  assertEquals(
    childResult({
      code: 1,
      stdout: `${line}\n`,
      stderr: "first\ngpu-check (wasm): out of memory\n",
    }),
    "exit 1: gpu-check (wasm): out of memory",
  );
  assertEquals(childResult({ code: 0, stdout: "no result\n", stderr: "why\n" }), "exit 0: why");
  assertEquals(childResult({ code: 137, stdout: "", stderr: "" }), "exit 137: no output");
  // The prefix must start the line.
  assertEquals(
    childResult({ code: 0, stdout: ` ${line}\n`, stderr: "" }),
    "exit 0: no output",
  );
});

Deno.test("profileLines: a --profile child's lines named by backend; a failed one says why by childResult's rule", () => {
  const profile = `${PROFILE_PREFIX}host profile: 10 ms wall`;
  assertEquals(profileLines("wasm", { code: 0, stdout: `noise\n${profile}\n`, stderr: "warn\n" }), {
    lines: ["wasm: host profile: 10 ms wall"],
    failed: false,
  });
  assertEquals(
    profileLines("webgpu", {
      code: 1,
      stdout: `${profile}\n`,
      stderr: "first\ngpu-check (webgpu): no adapter\n",
    }),
    {
      lines: [
        "webgpu: host profile: 10 ms wall",
        "webgpu: no profile (exit 1: gpu-check (webgpu): no adapter)",
      ],
      failed: true,
    },
  );
  // A child killed without a word (exit 137, empty stderr): the same reason a timing child gets.
  const silent = { code: 137, stdout: "", stderr: "" };
  assertEquals(profileLines("wasm", silent), {
    lines: [`wasm: no profile (${childResult(silent)})`],
    failed: true,
  });
  assertEquals(profileLines("wasm", silent).lines, ["wasm: no profile (exit 137: no output)"]);
});

Deno.test("describeTiming: steps, seconds, ms a step, loss and NDCG to 4 places, the reason and kernels", () => {
  assertEquals(
    describeTiming(epochTiming("wasm", { kernels: ["BatchMatMul(openblas)", "Gather"] })),
    "wasm (sasrec): 4 steps in 2.0 s (500.0 ms/step), validation 0.5 s, loss 9.1235, " +
      "valid NDCG@10 0.0123 [wasm asked for; kernels: BatchMatMul(openblas), Gather]",
  );
  assertEquals(
    describeTiming(epochTiming("webgpu", { system: "demure", steps: 3, trainSeconds: 0.25 })),
    "webgpu (demure): 3 steps in 0.3 s (83.3 ms/step), validation 0.5 s, loss 9.1235, " +
      "valid NDCG@10 0.0123 [webgpu asked for]",
  );
});

Deno.test("comparisonLines: the wasm / webgpu ratio, or why there is none; status 1 when a backend gave no timing", () => {
  const gpu = epochTiming("webgpu", { trainSeconds: 1, validationSeconds: 0.25 });
  const wasm = epochTiming("wasm", { trainSeconds: 3, validationSeconds: 1 });
  const both = "ratio wasm / webgpu: training 3.00x, validation 4.00x (above 1: webgpu is faster)";
  assertEquals(comparisonLines(["webgpu", "wasm"], [gpu, wasm]), { lines: [both], status: 0 });
  // Listed the other way round: the same ratio (wasm over webgpu, not first over second).
  assertEquals(comparisonLines(["wasm", "webgpu"], [wasm, gpu]), { lines: [both], status: 0 });
  const none = "ratio wasm / webgpu: not available (a backend gave no timing)";
  assertEquals(comparisonLines(["webgpu", "wasm"], [wasm]), { lines: [none], status: 1 });
  assertEquals(comparisonLines(["webgpu", "wasm"], [gpu]), { lines: [none], status: 1 });
  assertEquals(comparisonLines(["webgpu", "wasm"], []), { lines: [none], status: 1 });
  // One backend: no ratio to give, and none missing.
  assertEquals(comparisonLines(["wasm"], [wasm]), { lines: [], status: 0 });
  assertEquals(comparisonLines(["webgpu"], []), { lines: [], status: 1 });
  assertEquals(comparisonLines(["cpu", "wasm"], [epochTiming("cpu")]), { lines: [], status: 1 });
});

Deno.test("comparisonLines: a backend run twice or more from one seed must give the same loss and NDCG to the bit", () => {
  const run = epochTiming("wasm");
  assertEquals(comparisonLines(["wasm", "wasm"], [run, { ...run, trainSeconds: 9 }]), {
    lines: ["wasm, 2 runs from one seed: epoch loss and valid NDCG@10 identical"],
    status: 0,
  });
  const lossDiffers = { ...run, loss: 9.123457 };
  assertEquals(comparisonLines(["wasm", "wasm", "wasm"], [run, run, lossDiffers]), {
    lines: [
      "wasm, 3 runs from one seed: epoch loss and valid NDCG@10 differ " +
      "(9.123456 / 0.012345 vs 9.123456 / 0.012345 vs 9.123457 / 0.012345)",
    ],
    status: 1,
  });
  const ndcgDiffers = { ...run, validNdcg10: 0.012346 };
  assertEquals(comparisonLines(["wasm", "wasm"], [run, ndcgDiffers]).status, 1);
  // A repeat that matched does not hide another backend's that did not; each is named.
  const cpu = epochTiming("cpu");
  assertEquals(
    comparisonLines(["cpu", "wasm", "cpu", "wasm"], [cpu, run, cpu, ndcgDiffers]),
    {
      lines: [
        "cpu, 2 runs from one seed: epoch loss and valid NDCG@10 identical",
        "wasm, 2 runs from one seed: epoch loss and valid NDCG@10 differ " +
        "(9.123456 / 0.012345 vs 9.123456 / 0.012346)",
      ],
      status: 1,
    },
  );
  // A mismatch is not undone by a later backend's repeat that matched.
  assertEquals(
    comparisonLines(["wasm", "wasm", "cpu", "cpu"], [run, ndcgDiffers, cpu, cpu]).status,
    1,
  );
  // One of two runs gave no timing: nothing to compare, and the status says a run is missing.
  assertEquals(comparisonLines(["wasm", "wasm"], [run]), { lines: [], status: 1 });
  // A mismatch is a failure even when every run gave a timing, and in the order listed.
  assertEquals(
    comparisonLines(["wasm", "wasm", "cpu", "cpu"], [run, run, cpu, { ...cpu, loss: 1 }]).status,
    1,
  );
});
