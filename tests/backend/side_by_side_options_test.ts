/**
 * `deno task bench:pytorch`'s command line (scripts/bench_side_by_side.ts), read without running
 * the benchmark (which may install python3-torch): its options, `--help`, and the one thread count
 * both frameworks run at, with `DEMURE_BLAS_THREADS` set or not; and the check that both trained
 * the same model (their per-user validation NDCG@10 agree) before an epoch ratio is quoted.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { ndcgAgreement, sideBySideOptions } from "../../scripts/bench_side_by_side.ts";
import { UsageError } from "../../scripts/cli/options.ts";
import { runScript } from "../cli/_run_script.ts";

/** Runs `run` with `DEMURE_BLAS_THREADS` set to `value` (unset when undefined), then restores it. */
function withBlasThreads<T>(value: string | undefined, run: () => T): T {
  const saved = Deno.env.get("DEMURE_BLAS_THREADS");
  const set = (text: string | undefined) =>
    text === undefined
      ? Deno.env.delete("DEMURE_BLAS_THREADS")
      : Deno.env.set("DEMURE_BLAS_THREADS", text);
  set(value);
  try {
    return run();
  } finally {
    set(saved);
  }
}

Deno.test("bench_side_by_side options: defaults, overrides and clear errors", () => {
  withBlasThreads(undefined, () => {
    const defaults = sideBySideOptions([]);
    assert(defaults !== "help");
    assertEquals(defaults.epochs, 4);
    assertEquals(defaults.threads, navigator.hardwareConcurrency);
    assertEquals(defaults.workloads, ["movielens", "beauty"]);
    assertEquals(sideBySideOptions(["--epochs=5", "--threads", "1", "--workloads=beauty"]), {
      epochs: 5,
      threads: 1,
      workloads: ["beauty"],
    });
  });
  assertThrows(() => sideBySideOptions(["--epoch=3"]), UsageError, "Unknown option '--epoch'");
  assertThrows(() => sideBySideOptions(["--threads=two"]), UsageError, "--threads two: must be");
  assertThrows(() => sideBySideOptions(["--epochs=2"]), UsageError, "must be an integer in 4..");
  assertThrows(
    () => sideBySideOptions(["--workloads=ml1m"]),
    UsageError,
    '--workloads: "ml1m" is not one of movielens, beauty',
  );
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

Deno.test("bench_side_by_side: both frameworks at one thread count; DEMURE_BLAS_THREADS is kept, never overwritten", () => {
  const threadsOf = (args: string[]) => {
    const options = sideBySideOptions(args);
    assert(options !== "help");
    return options.threads;
  };
  // The variable alone sets the count (it used to be overwritten by the core count).
  assertEquals(withBlasThreads("1", () => threadsOf([])), 1);
  assertEquals(withBlasThreads("3", () => threadsOf(["--threads=3"])), 3);
  assertThrows(
    () => withBlasThreads("1", () => threadsOf(["--threads=2"])),
    UsageError,
    "--threads 2 with DEMURE_BLAS_THREADS=1: both frameworks run at one thread count; give " +
      "--threads alone, DEMURE_BLAS_THREADS alone, or the same value",
  );
  // A bad value is refused as everywhere (it used to be overwritten silently).
  for (const value of ["abc", "0", ""]) {
    assertThrows(
      () => withBlasThreads(value, () => threadsOf(["--threads=2"])),
      UsageError,
      `DEMURE_BLAS_THREADS=${value}: must be an integer in 1..256`,
    );
  }
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

Deno.test("bench_side_by_side: the two frameworks' NDCG@10 agree within user noise, or the run says not", () => {
  // 600 users, 5 % hits at rank 0 on both sides but at other users: same mean, agree.
  const hits = (offset: number) =>
    Array.from({ length: 600 }, (_, user) => (user + offset) % 20 === 0 ? 1 : 0);
  const same = ndcgAgreement(hits(0), hits(7));
  assertEquals(same.agree, true);
  assertEquals(
    same.line,
    "difference 0.0000, paired t-test over 600 users p = 1.00: agree (p >= 0.01 agrees)",
  );
  // A twin that finds three times the hits (15 %) is another model: its time compares nothing.
  const other = ndcgAgreement(
    hits(0),
    Array.from({ length: 600 }, (_, user) => user % 20 < 3 ? 1 : 0),
  );
  assertEquals(other.agree, false);
  assert(other.line.includes("DISAGREE (the twin is not the same model)"), other.line);
  // Users must pair up: a short side is an error, never a silent truncation.
  assertThrows(() => ndcgAgreement(hits(0), hits(0).slice(1)), Error, "pair the same users");
});
