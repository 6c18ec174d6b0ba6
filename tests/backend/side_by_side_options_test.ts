/**
 * `deno task bench:pytorch`'s command line (scripts/bench_side_by_side.ts), read without running
 * the benchmark (which may install python3-torch): its options, `--help`, and the one thread count
 * both frameworks run at, with `DEMURE_BLAS_THREADS` set or not; and the check that both trained
 * the same model (the twin's validation NDCG@10 within the library's seed spread) before an epoch
 * ratio is quoted.
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { seedSpreadAgreement, sideBySideOptions, USAGE } from "../../scripts/bench_side_by_side.ts";
import { UsageError } from "../../scripts/cli/options.ts";
import { runScript } from "../cli/_run_script.ts";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";

// DEMURE_BLAS_THREADS is set in processes of their own: the parallel suite's files share this
// one's environment, and the backend tests running meanwhile read it.
/**
 * sideBySideOptions(args) for each [DEMURE_BLAS_THREADS (null: unset), args] in `cases`, in a
 * process of its own: the options, or the error as "UsageError: message".
 */
function optionsWithBlasThreads(
  cases: [string | null, string[]][],
): Promise<(Record<string, unknown> | string)[]> {
  return evalInSubprocess(
    `import { sideBySideOptions } from ${projectModule("scripts/bench_side_by_side.ts")};
import { UsageError } from ${projectModule("scripts/cli/options.ts")};
const options = ([value, args]) => {
  if (value === null) Deno.env.delete("DEMURE_BLAS_THREADS");
  else Deno.env.set("DEMURE_BLAS_THREADS", value);
  try {
    return sideBySideOptions(args);
  } catch (error) {
    return (error instanceof UsageError ? "UsageError: " : "another error: ") + error.message;
  }
};
console.log(JSON.stringify(${JSON.stringify(cases)}.map(options)));`,
  );
}

Deno.test("bench_side_by_side options: defaults, overrides and clear errors", async () => {
  const [defaults, overrides] = await optionsWithBlasThreads([
    [null, []],
    [null, ["--epochs=5", "--threads", "1", "--workloads=beauty", "--seeds=5"]],
  ]);
  assertEquals(defaults, {
    epochs: 4,
    threads: navigator.hardwareConcurrency,
    workloads: ["movielens", "beauty"],
    seeds: 3,
  });
  assertEquals(overrides, { epochs: 5, threads: 1, workloads: ["beauty"], seeds: 5 });
  assertThrows(() => sideBySideOptions(["--epoch=3"]), UsageError, "Unknown option '--epoch'");
  assertThrows(() => sideBySideOptions(["--threads=two"]), UsageError, "--threads two: must be");
  assertThrows(() => sideBySideOptions(["--epochs=2"]), UsageError, "must be an integer in 4..");
  // One seed has no spread to check the twin against.
  assertThrows(
    () => sideBySideOptions(["--seeds=1"]),
    UsageError,
    "--seeds 1: must be an integer in 2..20",
  );
  assertThrows(
    () => sideBySideOptions(["--workloads=ml1m"]),
    UsageError,
    '--workloads: "ml1m" is not one of movielens, beauty',
  );
});

Deno.test("bench_side_by_side: the defaults --help states are the ones the parser takes", () => {
  // The thread count is left out: its default is the machine's (or DEMURE_BLAS_THREADS), which
  // the text names in words. A DEMURE_BLAS_THREADS set for the test run is taken as it is.
  const defaults = sideBySideOptions([]);
  assert(defaults !== "help");
  const text = USAGE.replace(/\s+/g, " ");
  assertStringIncludes(
    text,
    `--epochs N epochs per framework, the first a warm-up (default ${defaults.epochs};`,
  );
  assertStringIncludes(text, `each once (default ${defaults.workloads.join(",")})`);
  assertStringIncludes(text, `their seed spread (default ${defaults.seeds};`);
});

Deno.test("bench_side_by_side: a workload given twice is refused (it was benchmarked twice)", () => {
  for (const list of ["movielens,movielens", "beauty,movielens,beauty"]) {
    const workload = list.split(",")[0];
    assertThrows(
      () => sideBySideOptions([`--workloads=${list}`]),
      UsageError,
      `--workloads: "${workload}" given twice`,
    );
  }
});

Deno.test("bench_side_by_side: both frameworks at one thread count; DEMURE_BLAS_THREADS is kept, never overwritten", async () => {
  const bad = ["abc", "0", ""];
  const [alone, same, other, ...refused] = await optionsWithBlasThreads([
    ["1", []],
    ["3", ["--threads=3"]],
    ["1", ["--threads=2"]],
    ...bad.map((value): [string, string[]] => [value, ["--threads=2"]]),
  ]);
  const threadsOf = (options: Record<string, unknown> | string) =>
    typeof options === "string" ? options : options.threads;
  // The variable alone sets the count (it used to be overwritten by the core count).
  assertEquals(threadsOf(alone), 1);
  assertEquals(threadsOf(same), 3);
  assertStringIncludes(
    String(other),
    "UsageError: --threads 2 with DEMURE_BLAS_THREADS=1: both frameworks run at one thread " +
      "count; give --threads alone, DEMURE_BLAS_THREADS alone, or the same value",
  );
  // A bad value is refused as everywhere (it used to be overwritten silently).
  bad.forEach((value, i) =>
    assertStringIncludes(
      String(refused[i]),
      `UsageError: DEMURE_BLAS_THREADS=${value}: must be an integer in 1..256`,
    )
  );
});

/**
 * `deno run scripts/bench_side_by_side.ts args` without the permission to run programs or write
 * files: an option that got through by mistake stops at the torch probe instead of starting the
 * benchmark (or apt-get).
 */
function benchCommandLine(args: string[]) {
  return runScript(SCRIPT, args, ["--no-prompt", "--allow-read", "--allow-env", "--allow-sys"]);
}

const SCRIPT = "scripts/bench_side_by_side.ts";

Deno.test("deno task bench:pytorch --help prints the options; a bad one is one line, exit 2", async () => {
  for (const flag of ["--help", "-h"]) {
    const { code, stdout, stderr } = await benchCommandLine([flag]);
    assertEquals([code, stderr], [0, ""], flag);
    assert(stdout.startsWith("usage: deno task bench:pytorch"), stdout);
    for (const option of ["--epochs N", "--threads N", "--workloads a,b", "DEMURE_BLAS_THREADS"]) {
      assert(stdout.includes(option), `${option} in ${stdout}`);
    }
  }
  const { code, stdout, stderr } = await benchCommandLine(["--workloads=beauty,beauty"]);
  assertEquals([code, stdout, stderr], [
    2,
    "",
    'bench:pytorch: --workloads: "beauty" given twice; see --help\n',
  ]);
});

Deno.test("bench_side_by_side: the twin agrees when its NDCG@10 lies within the library's seed spread", () => {
  // The library's SASRec on MovieLens after 4 epochs at seeds 0, 1, 2 (2026-12-05) and the twin's
  // 0.0215: inside the spread.
  const movieLens = seedSpreadAgreement([0.0181, 0.0255, 0.0210], 0.0215);
  assertEquals(movieLens.agree, true);
  assertEquals(
    movieLens.line,
    "the library's model over seeds 0..2: 0.0215 ± 0.0037; PyTorch as one more seed: p = 0.99: " +
      "agree (p >= 0.01 agrees)",
  );
  // By hand: seeds 0 and 2 (mean 1, sd sqrt 2), a twin at t = 1 with 1 degree of freedom (a
  // Cauchy): two-sided p = 0.5.
  const byHand = seedSpreadAgreement([0, 2], 1 + Math.sqrt(2) * Math.sqrt(1.5));
  assert(byHand.line.includes("p = 0.50: agree"), byHand.line);
  // A twin far outside a tight spread is another model: its time compares nothing.
  const other = seedSpreadAgreement([0.350, 0.353, 0.356, 0.352], 0.30);
  assertEquals(other.agree, false);
  assert(other.line.includes("DISAGREE (outside the seed spread"), other.line);
  assertThrows(() => seedSpreadAgreement([0.35], 0.35), Error, "2 or more seeds");
  assertThrows(() => seedSpreadAgreement([0.35, NaN], 0.35), Error, "not finite");
});

Deno.test("bench_side_by_side: --epochs and --threads are refused past either end of their range", () => {
  // Checked before DEMURE_BLAS_THREADS is read: the same errors with the variable set or not.
  for (
    const [args, message] of [
      [["--epochs=1001"], "--epochs 1001: must be an integer in 4..1000"],
      [["--threads=0"], "--threads 0: must be an integer in 1..256"],
      [["--threads=257"], "--threads 257: must be an integer in 1..256"],
      [["--seeds=21"], "--seeds 21: must be an integer in 2..20"],
    ]
  ) {
    assertThrows(() => sideBySideOptions(args as string[]), UsageError, message as string);
  }
});

Deno.test("bench_side_by_side: --help prints the options even beside a bad one", () => {
  assertEquals(sideBySideOptions(["--help", "--epochs=2"]), "help");
  assertEquals(sideBySideOptions(["-h", "--workloads=ml1m"]), "help");
});

Deno.test("bench_side_by_side: a twin without any seed spread agrees only at the same value; a non-finite twin is an error", () => {
  // Three seeds at one value: sd 0, where the t statistic is undefined. (0.25 is exact in binary:
  // three 0.35s do not average to exactly 0.35, which leaves a spread of about 1e-17, not none.)
  const same = seedSpreadAgreement([0.25, 0.25, 0.25], 0.25);
  assertEquals(same.agree, true);
  assert(same.line.includes("p = 1.00: agree"), same.line);
  const off = seedSpreadAgreement([0.25, 0.25, 0.25], 0.2501);
  assertEquals(off.agree, false);
  assert(off.line.includes("p = 0.00: DISAGREE"), off.line);
  // A twin that failed to train (NaN) is not a disagreement to report but a broken run.
  for (const torch of [NaN, Infinity]) {
    assertThrows(() => seedSpreadAgreement([0.35, 0.36], torch), Error, "not finite");
  }
});
