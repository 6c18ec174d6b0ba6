/**
 * Edges of scripts/kubernetes/manifests.ts that manifests_test.ts leaves open (found by mutation
 * round KH, session 46): the report Job's own spec (requests, labels, no deadline), the volume a
 * mount refers to, a pod whose index is past its stage's cells, the `exec` that makes deno the
 * pod's main process, and what apply.sh says and where it finds its files.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { runCaptured } from "../slurm/_run.ts";
import type { StageArray } from "../../scripts/cluster/stages.ts";
import {
  applyScript,
  type Manifest,
  reportJob,
  stageJob,
} from "../../scripts/kubernetes/manifests.ts";
import { settingsIn, stageArray } from "./_manifest_settings.ts";

const KEYS = [
  "quick/Synthetic/Pop/seed=0",
  "quick/Synthetic/BPR/seed=0",
  "quick/MovieLens/Pop/seed=1",
];

const array = (stage: number, keys = KEYS): StageArray => stageArray(stage, keys);

type Pod = {
  restartPolicy: string;
  activeDeadlineSeconds?: number;
  containers: {
    image: string;
    args: string[];
    command: string[];
    resources: unknown;
    volumeMounts: { name: string; mountPath: string }[];
  }[];
  volumes: { name: string; persistentVolumeClaim: { claimName: string } }[];
};

type Job = {
  metadata: { name: string; labels: Record<string, string> };
  spec: { template: { metadata: { labels: Record<string, string> }; spec: Pod } };
};

const parsed = (job: Manifest) => JSON.parse(JSON.stringify(job)) as Job;

Deno.test("the report Job: its own requests, the run's labels, no time limit, the run's image", () => {
  const job = parsed(reportJob(settingsIn("/workspace")));
  // `kubectl get jobs,pods -l app=demure` lists the report with the stages.
  assertEquals(job.metadata.labels, { app: "demure" });
  assertEquals(job.spec.template.metadata.labels, { app: "demure" });
  const pod = job.spec.template.spec;
  // The report waits for nothing and reads every cell: no deadline cuts it short.
  assert(!("activeDeadlineSeconds" in pod), `deadline ${pod.activeDeadlineSeconds}`);
  assertEquals(pod.restartPolicy, "Never");
  assertEquals(pod.containers[0].image, "registry.example.org/demure:abc");
  assertEquals(pod.containers[0].resources, {
    requests: { cpu: "1", memory: "2Gi" },
    limits: { memory: "2Gi" },
  });
});

Deno.test("a pod's results mount refers to the volume of the claim (stage and report Jobs)", () => {
  for (const job of [stageJob(array(0), settingsIn("/w")), reportJob(settingsIn("/w"))]) {
    const pod = parsed(job).spec.template.spec;
    // A mount naming no volume of the pod makes Kubernetes refuse the Job.
    assertEquals(pod.volumes, [{
      name: pod.containers[0].volumeMounts[0].name,
      persistentVolumeClaim: { claimName: "demure-results" },
    }]);
  }
});

Deno.test("a pod's command execs deno, so that the pod's stop signal reaches it", () => {
  // bash >= 5.1 would exec a last command by itself; an image's older bash stays the pod's main
  // process, and Kubernetes' SIGTERM at the deadline would not reach reproduce.
  const stage = parsed(stageJob(array(0), settingsIn("/w"))).spec.template.spec.containers[0];
  const report = parsed(reportJob(settingsIn("/w"))).spec.template.spec.containers[0];
  assertStringIncludes(stage.args[0], "\nexec tools/node_modules/.bin/deno run ");
  assert(report.args[0].startsWith("exec tools/node_modules/.bin/deno run "), report.args[0]);
});

Deno.test("a stage pod whose index is past the stage's cells fails, running nothing", () => {
  const workspace = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(`${workspace}/tools/node_modules/.bin`, { recursive: true });
    Deno.writeTextFileSync(`${workspace}/tools/node_modules/.bin/deno`, "#!/bin/bash\necho ran\n");
    Deno.chmodSync(`${workspace}/tools/node_modules/.bin/deno`, 0o755);
    const pod = parsed(stageJob(array(1), settingsIn(workspace))).spec.template.spec.containers[0];
    const run = new Deno.Command(pod.command[0], {
      args: [pod.command[1], ...pod.args],
      cwd: workspace,
      env: { JOB_COMPLETION_INDEX: String(KEYS.length), PATH: "/usr/bin:/bin" },
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
    const stdout = new TextDecoder().decode(run.stdout);
    assert(!run.success, "the pod succeeded");
    // Not `reproduce --cell ""`: the cell of an index the Job should not have.
    assert(!stdout.includes("ran"), stdout);
    assertStringIncludes(new TextDecoder().decode(run.stderr), "unbound variable");
  } finally {
    Deno.removeSync(workspace, { recursive: true });
  }
});

/** A stand-in kubectl that logs each call with the folder it runs in; `get` answers `answers`,
 * one per call, then "Complete" ("ERR" fails the call). A stand-in sleep logs its seconds. */
function fakeKubectl(answers: string[] = []): string {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${dir}/answers`, answers.map((a) => `${a}\n`).join(""));
  Deno.writeTextFileSync(
    `${dir}/kubectl`,
    `#!/bin/bash
echo "$PWD: $*" >> ${dir}/calls
if [[ $1 == get ]]; then
  line=$(head -n 1 ${dir}/answers)
  sed -i 1d ${dir}/answers
  [[ $line == ERR ]] && exit 1
  echo "\${line:-Complete}"
fi
exit 0
`,
  );
  Deno.chmodSync(`${dir}/kubectl`, 0o755);
  Deno.writeTextFileSync(`${dir}/sleep`, `#!/bin/bash\necho "$*" >> ${dir}/sleeps\n`);
  Deno.chmodSync(`${dir}/sleep`, 0o755);
  return dir;
}

function linesOf(dir: string, file: string): string[] {
  return Deno.readTextFileSync(`${dir}/${file}`).trim().split("\n");
}

/** Runs apply.sh from its own folder `dir`, with the working folder elsewhere. */
function runApply(arrays: StageArray[], kubectl: string, env: Record<string, string> = {}) {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${dir}/apply.sh`, applyScript(arrays, settingsIn("/w")));
  const run = runCaptured("bash", [`${dir}/apply.sh`], {
    PATH: `${kubectl}:/usr/bin:/bin`,
    ...env,
  });
  return { ...run, dir };
}

Deno.test("apply.sh applies the manifests of its own folder, wherever it is run from", () => {
  const kubectl = fakeKubectl();
  const run = runApply([array(0)], kubectl);
  assertEquals(run.code, 0, run.stderr);
  const applies = linesOf(kubectl, "calls").filter((call) => call.includes(" apply "));
  // The test runs it from the checkout; `kubectl apply -f stage0.json` reads the working folder.
  assertEquals(applies, [`${run.dir}: apply -f stage0.json`, `${run.dir}: apply -f report.json`]);
});

Deno.test("apply.sh names each stage with its number of cells and its Job", () => {
  const run = runApply([array(0), array(2, KEYS.slice(0, 1))], fakeKubectl());
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.stdout.split("\n").filter((line) => /^(stage|report)/.test(line)), [
    "stage 0: 3 cells (job demure-stage0)",
    "stage 2: 1 cells (job demure-stage2)",
    "report (job demure-report)",
  ]);
});

Deno.test("apply.sh waits DEMURE_KUBECTL_POLL_S seconds after a failed query too", () => {
  const kubectl = fakeKubectl(["ERR", "ERR", "Complete"]);
  const run = runApply([array(0)], kubectl, { DEMURE_KUBECTL_POLL_S: "7" });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(linesOf(kubectl, "sleeps"), ["7", "7"]);
});
