/**
 * The Kubernetes manifests and apply.sh (scripts/kubernetes/manifests.ts), parsed back and run:
 * a pod's command against a stand-in deno, apply.sh against a stand-in kubectl. There is no
 * Kubernetes cluster here; generate_test.ts runs a generated pod's command with the real deno.
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { runCaptured } from "../slurm/_run.ts";
import { SELECTION_WAIT_SECONDS, type StageArray } from "../../scripts/cluster/stages.ts";
import {
  applyScript,
  KUBECTL_MISSES,
  type Manifest,
  reportJob,
  stageJob,
} from "../../scripts/kubernetes/manifests.ts";
import { settingsIn, stageArray } from "./_manifest_settings.ts";

const KEYS = [
  "quick/Synthetic(numUsers=160)/Pop/seed=0",
  "quick/Synthetic(numUsers=160)/Demure-SASRec[rho=0.5]/seed=0",
  "quick/MovieLens/it's/seed=1",
];

const array = (stage: number, keys = KEYS): StageArray => stageArray(stage, keys);

/** Walks a parsed manifest: `at(job, "spec", "template", ...)`. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  return path.reduce(
    (node, key) => (node as Record<string | number, unknown> | undefined)?.[key],
    value,
  );
}

function container(job: Manifest): Record<string, unknown> {
  return at(job, "spec", "template", "spec", "containers", 0) as Record<string, unknown>;
}

function envOf(job: Manifest): Record<string, string> {
  const env = (container(job).env ?? []) as { name: string; value: string }[];
  return Object.fromEntries(env.map((e) => [e.name, e.value]));
}

Deno.test("a stage Job: one pod per cell, the stage's requests and time limit, as JSON", () => {
  const job = JSON.parse(JSON.stringify(stageJob(array(1), settingsIn("/workspace"))));
  assertEquals(at(job, "metadata", "name"), "demure-stage1");
  assertEquals(at(job, "spec", "completionMode"), "Indexed");
  assertEquals(at(job, "spec", "completions"), 3);
  assertEquals(at(job, "spec", "parallelism"), 2);
  // A failed index is retried twice, in a pod of its own.
  assertEquals(at(job, "spec", "backoffLimitPerIndex"), 2);
  assertEquals(at(job, "metadata", "labels"), { app: "demure", stage: "1" });
  assertEquals(at(job, "spec", "template", "spec", "activeDeadlineSeconds"), 13 * 60);
  assertEquals(at(job, "spec", "template", "spec", "restartPolicy"), "Never");
  assertEquals(container(job).image, "registry.example.org/demure:abc");
  assertEquals(container(job).resources, {
    requests: { cpu: "2", memory: "1536Mi" },
    limits: { memory: "1536Mi" },
  });
  assertEquals(at(container(job), "volumeMounts", 0, "mountPath"), "/results");
  assertEquals(
    at(job, "spec", "template", "spec", "volumes", 0, "persistentVolumeClaim", "claimName"),
    "demure-results",
  );
  // A later stage's pod waits a little for its selection; the first stage's does not wait.
  assertEquals(envOf(job), {
    DEMURE_BLAS_THREADS: "2",
    DEMURE_SELECTION_WAIT_S: String(SELECTION_WAIT_SECONDS),
  });
  assertEquals(envOf(stageJob(array(0), settingsIn("/workspace"))), { DEMURE_BLAS_THREADS: "2" });
  const gpu = stageJob(array(0), { ...settingsIn("/w"), gpus: 1, backend: "tensorflow" });
  // The GPUs are requested and limited alike (an extended resource may not be overcommitted).
  assertEquals(container(gpu).resources, {
    requests: { cpu: "2", memory: "1536Mi", "nvidia.com/gpu": "1" },
    limits: { memory: "1536Mi", "nvidia.com/gpu": "1" },
  });
  assertEquals(envOf(gpu).DEMURE_BACKEND, "tensorflow");
});

Deno.test("a stage Job: its pods carry its labels, run no more than its cells at once, mount where told", () => {
  const job = stageJob(array(1), { ...settingsIn("/w"), parallelism: 5, mount: "/data" });
  // More pods at once than cells would ask for nodes no index uses.
  assertEquals(at(job, "spec", "parallelism"), KEYS.length);
  // A retried index's pod starts once the failed one has ended, not while it still runs (and
  // holds the cell's claim).
  assertEquals(at(job, "spec", "podReplacementPolicy"), "Failed");
  // `kubectl get pods -l app=demure,stage=1` finds a stage's pods by these.
  assertEquals(at(job, "spec", "template", "metadata", "labels"), { app: "demure", stage: "1" });
  assertEquals(at(container(job), "volumeMounts"), [{ name: "results", mountPath: "/data" }]);
});

Deno.test("a stage Job of no cells is refused (an Indexed Job of 0 completions)", () => {
  const error = assertThrows(() => stageJob(array(0, []), settingsIn("/w")));
  assertEquals(error.message, "no cells to run");
});

Deno.test("a stage pod runs reproduce --cell on the cell of its index, with the task's flags", () => {
  // The image's workspace, with a stand-in deno that prints its arguments and the job id.
  const workspace = Deno.makeTempDirSync();
  Deno.mkdirSync(`${workspace}/tools/node_modules/.bin`, { recursive: true });
  Deno.writeTextFileSync(
    `${workspace}/tools/node_modules/.bin/deno`,
    '#!/bin/bash\necho "job=$DEMURE_JOB_ID"\nprintf "%s\\n" "$@"\n',
  );
  Deno.chmodSync(`${workspace}/tools/node_modules/.bin/deno`, 0o755);
  const job = stageJob(array(2), settingsIn(workspace));
  const command = container(job).command as string[];
  const args = container(job).args as string[];
  assertEquals(command, ["bash", "-c"]);
  assert(!/(^|\s)-A(\s|$)/m.test(args[0]), "a pod runs deno with -A");
  for (const index of [0, 2]) {
    const run = new Deno.Command(command[0], {
      args: [command[1], ...args],
      cwd: container(job).workingDir as string,
      env: { JOB_COMPLETION_INDEX: String(index), PATH: "/usr/bin:/bin" },
      stdout: "piped",
    }).outputSync();
    const lines = new TextDecoder().decode(run.stdout).trimEnd().split("\n");
    assertEquals(lines.slice(lines.indexOf(`job=demure-stage2-${index}`)), [
      `job=demure-stage2-${index}`,
      "run",
      "--no-prompt",
      "--allow-read=.,/results",
      "--allow-write=./results,/results",
      "scripts/reproduce.ts",
      "--cell",
      KEYS[index],
      "--results",
      "/results/quick",
      "--quick",
    ]);
  }
  Deno.removeSync(workspace, { recursive: true });
});

Deno.test("the report Job writes the report from the results folder", () => {
  const job = reportJob(settingsIn("/workspace"));
  assertEquals(at(job, "metadata", "name"), "demure-report");
  assertEquals(at(job, "spec", "backoffLimit"), 0);
  assertStringIncludes(
    (container(job).args as string[])[0],
    "scripts/reproduce.ts --report-only --results /results/quick --quick",
  );
});

/** A folder with a stand-in kubectl: logs its calls; `get job J` prints the lines of `$dir/J`,
 * one per call (the last one stays; "ERR" fails the call), or "Complete"; a call whose arguments
 * are `failing` fails. A stand-in `sleep` logs its seconds to `$dir/sleeps` and returns at once. */
function fakeKubectl(states: Record<string, string[]> = {}, failing = ""): string {
  const dir = Deno.makeTempDirSync();
  for (const [job, lines] of Object.entries(states)) {
    Deno.writeTextFileSync(`${dir}/${job}`, lines.join("\n") + "\n");
  }
  Deno.writeTextFileSync(
    `${dir}/kubectl`,
    `#!/bin/bash
echo "$*" >> ${dir}/calls
[[ "$*" == ${JSON.stringify(failing)} ]] && { echo "kubectl $*: refused" >&2; exit 1; }
if [[ $1 == get ]]; then
  f=${dir}/$3
  [[ -f $f ]] || { echo Complete; exit 0; }
  line=$(head -n 1 "$f")
  (( $(wc -l < "$f") > 1 )) && sed -i 1d "$f"
  [[ $line == ERR ]] && exit 1
  echo "$line"
  exit 0
fi
true
`,
  );
  Deno.chmodSync(`${dir}/kubectl`, 0o755);
  Deno.writeTextFileSync(`${dir}/sleep`, `#!/bin/bash\necho "$*" >> ${dir}/sleeps\n`);
  Deno.chmodSync(`${dir}/sleep`, 0o755);
  return dir;
}

/** Runs `script` with the stand-ins of `kubectl` first on PATH; `poll`: DEMURE_KUBECTL_POLL_S. */
function runApply(script: string, kubectl: string, poll?: string) {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${dir}/apply.sh`, script);
  return runCaptured("bash", [`${dir}/apply.sh`], {
    PATH: `${kubectl}:/usr/bin:/bin`,
    ...(poll === undefined ? {} : { DEMURE_KUBECTL_POLL_S: poll }),
  });
}

/** The lines of `file` in the stand-ins' folder, or none when it was never written. */
function linesOf(dir: string, file: string): string[] {
  try {
    return Deno.readTextFileSync(`${dir}/${file}`).trim().split("\n");
  } catch {
    return [];
  }
}

Deno.test("apply.sh refuses a poll interval that is not a whole number in 1..3600, before calling kubectl", () => {
  const kubectl = fakeKubectl();
  const notWhole = ["abc", "-1", "0.5", "1e3", "", " 5", "+5", "0x10"];
  // 0 polled without a pause (115 queries in 2 s); the last two slept forever (the last one is
  // 5 to bash's 64-bit arithmetic).
  const outOfRange = ["0", "3601", "99999999999999999999", "18446744073709551621", "0003601"];
  for (const poll of [...outOfRange, ...notWhole]) {
    const run = runApply(applyScript([array(0)], settingsIn("/w")), kubectl, poll);
    assertEquals(run.code, 2, poll);
    assertEquals(
      run.stderr,
      `DEMURE_KUBECTL_POLL_S=${poll}: must be a whole number of seconds in 1..3600 (default 30)\n`,
    );
  }
  assertEquals(linesOf(kubectl, "calls"), [], "kubectl was called");
  assertEquals(linesOf(kubectl, "sleeps"), [], "apply.sh slept");
});

Deno.test("apply.sh sleeps DEMURE_KUBECTL_POLL_S seconds between two checks of a running Job", () => {
  // Leading zeros do not count toward the maximum's 4 digits ("00030" was refused until session 54).
  const cases = [[undefined, "30"], ["1", "1"], ["3600", "3600"], ["0030", "30"], ["00030", "30"], [
    "000003600",
    "3600",
  ]];
  for (const [poll, seconds] of cases) {
    const kubectl = fakeKubectl({ "demure-stage0": ["", "Complete"] });
    const run = runApply(applyScript([array(0)], settingsIn("/w")), kubectl, poll);
    assertEquals(run.code, 0, run.stderr);
    assertEquals(linesOf(kubectl, "sleeps"), [seconds], String(poll));
  }
});

Deno.test("apply.sh runs the stages in order, each when the one before has ended, then the report", () => {
  const kubectl = fakeKubectl({
    // Running for two checks, then complete (a condition not yet true is left out).
    "demure-stage0": ["", "SuccessCriteriaMet", "SuccessCriteriaMet Complete"],
  });
  const run = runApply(applyScript([array(0), array(2)], settingsIn("/w")), kubectl);
  assertEquals(run.code, 0, run.stderr);
  assertEquals(Deno.readTextFileSync(`${kubectl}/calls`).trim().split("\n"), [
    "delete job demure-stage0 --ignore-not-found",
    "apply -f stage0.json",
    ...Array(3).fill(
      `get job demure-stage0 -o jsonpath={.status.conditions[?(@.status=="True")].type}`,
    ),
    "delete job demure-stage2 --ignore-not-found",
    "apply -f stage2.json",
    `get job demure-stage2 -o jsonpath={.status.conditions[?(@.status=="True")].type}`,
    "delete job demure-report --ignore-not-found",
    "apply -f report.json",
    `get job demure-report -o jsonpath={.status.conditions[?(@.status=="True")].type}`,
    "logs job/demure-report",
  ]);
});

Deno.test("apply.sh goes on after a failed stage (as Slurm's afterany) and exits 1", () => {
  const kubectl = fakeKubectl({ "demure-stage0": ["FailureTarget Failed"] });
  const run = runApply(applyScript([array(0), array(1)], settingsIn("/w")), kubectl);
  assertEquals(run.code, 1);
  assertStringIncludes(run.stderr, "job demure-stage0 failed");
  const calls = Deno.readTextFileSync(`${kubectl}/calls`);
  assertStringIncludes(calls, "apply -f stage1.json");
  assertStringIncludes(calls, "apply -f report.json");
  // A failed report Job fails the run too, its log still printed.
  const reportFails = fakeKubectl({ "demure-report": ["Failed"] });
  const run2 = runApply(applyScript([array(0)], settingsIn("/w")), reportFails);
  assertEquals(run2.code, 1);
  assertStringIncludes(run2.stderr, "job demure-report failed");
  assertStringIncludes(Deno.readTextFileSync(`${reportFails}/calls`), "logs job/demure-report");
});

Deno.test("apply.sh asks again after a failed query; ten in a row stop it before the next stage", () => {
  const flaky = fakeKubectl({ "demure-stage0": ["ERR", "ERR", "Complete"] });
  const recovered = runApply(applyScript([array(0), array(1)], settingsIn("/w")), flaky);
  assertEquals(recovered.code, 0, recovered.stderr);
  assertStringIncludes(Deno.readTextFileSync(`${flaky}/calls`), "apply -f stage1.json");
  // It waits the poll interval after each failed query too: an outage is ridden out, not
  // used up in a fraction of a second.
  assertEquals(linesOf(flaky, "sleeps"), ["30", "30"]);
  // Before, one failed query counted as a failed stage and the next stage was applied at once.
  const away = fakeKubectl({ "demure-stage0": ["ERR"] });
  const stopped = runApply(applyScript([array(0), array(1)], settingsIn("/w")), away);
  assertEquals(stopped.code, 1);
  assertStringIncludes(stopped.stderr, `failed ${KUBECTL_MISSES} times in a row: stopping here`);
  const calls = Deno.readTextFileSync(`${away}/calls`);
  assert(!calls.includes("stage1.json") && !calls.includes("report.json"), calls);
  const queries = linesOf(away, "calls").filter((call) => call.startsWith("get job"));
  assertEquals(queries.length, KUBECTL_MISSES, "it stops at the tenth failed query");
  // Misses count in a row only: an answer in between starts the count again.
  const misses = (count: number) => Array(count).fill("ERR");
  const patchy = fakeKubectl({
    "demure-stage0": [...misses(KUBECTL_MISSES - 1), "", ...misses(KUBECTL_MISSES - 1), "Complete"],
  });
  const ended = runApply(applyScript([array(0), array(1)], settingsIn("/w")), patchy);
  assertEquals(ended.code, 0, ended.stderr);
  assertStringIncludes(Deno.readTextFileSync(`${patchy}/calls`), "apply -f stage1.json");
});

Deno.test("apply.sh: a Job that could not be deleted or applied fails its stage, not waited on", () => {
  // Were a failed delete ignored, the Job of an earlier run, still there, would be found complete
  // and its stage taken for done; a failed apply would be waited on while no such Job is there.
  for (const failing of ["delete job demure-stage0 --ignore-not-found", "apply -f stage0.json"]) {
    const kubectl = fakeKubectl({}, failing);
    const run = runApply(applyScript([array(0), array(1)], settingsIn("/w")), kubectl);
    assertEquals(run.code, 1, failing);
    const calls = linesOf(kubectl, "calls");
    assertEquals(calls.filter((call) => call.includes("stage0")), [
      "delete job demure-stage0 --ignore-not-found",
      ...(failing.startsWith("apply") ? ["apply -f stage0.json"] : []),
    ]);
    // As for a failed stage, the next stage and the report still run.
    assert(
      calls.includes("apply -f stage1.json") && calls.includes("apply -f report.json"),
      failing,
    );
  }
});
