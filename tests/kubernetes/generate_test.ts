/**
 * `deno task kubernetes` (scripts/kubernetes/generate.ts) with the task's own flags: the stage
 * Jobs hold every cell of the plan in its stage, bad settings are refused before anything is
 * written, and a generated pod's command and the report's run for real (the real deno and
 * reproduce, a temporary folder as the volume): the part of a Kubernetes run that does not need a
 * cluster.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { removalOfMade } from "../_made_folders.ts";
import { runCaptured } from "../slurm/_run.ts";
import { listCells } from "../../lib/experiments/cell_command.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { generate, root } from "./_generate.ts";
import { pathExists } from "../../lib/util/mod.ts";

type Job = {
  metadata: { name: string };
  spec: {
    completions?: number;
    template: { spec: { containers: { command: string[]; args: string[] }[] } };
  };
};

function readJob(path: string): Job {
  return JSON.parse(Deno.readTextFileSync(path)) as Job;
}

/** The keys of a stage Job's pods, in index order, as its command lists them. */
function keysOf(job: Job): string[] {
  const script = job.spec.template.spec.containers[0].args[0];
  const listed = runCaptured("bash", [
    "-c",
    `${script.split("\ncell=")[0]}\nprintf "%s\\n" "\${cells[@]}"`,
  ], {
    PATH: "/usr/bin:/bin",
  });
  return listed.stdout.trimEnd().split("\n");
}

Deno.test("deno task kubernetes: one Job per stage of the plan from scratch, a report Job, apply.sh; a real pod and the report run", () => {
  const out = `build/kubernetes-test-${crypto.randomUUID().slice(0, 8)}`;
  // Removes it and, if empty, the build/ folders above it that it made.
  const removeMade = removalOfMade(`${root}/${out}`);
  const volume = Deno.makeTempDirSync({ prefix: "demure-volume-" });
  try {
    const made = generate([
      "--image",
      "registry.example.org/demure:test",
      "--quick",
      "--out",
      out,
      "--workspace",
      root,
      "--mount",
      volume,
    ]);
    assertEquals(made.code, 0, made.stderr);
    const stages: string[][] = [];
    for (const cell of listCells(planExperiments("quick"))) {
      (stages[cell.stage ?? 0] ??= []).push(cell.key);
    }
    assertEquals(
      [...Deno.readDirSync(`${root}/${out}`)].map((e) => e.name).sort(),
      ["apply.sh", "report.json", ...stages.map((_, s) => `stage${s}.json`)].sort(),
    );
    // apply.sh is run as a program (docs/scale.md: build/kubernetes/apply.sh).
    assertEquals(Deno.statSync(`${root}/${out}/apply.sh`).mode! & 0o111, 0o111);
    stages.forEach((keys, stage) => {
      const job = readJob(`${root}/${out}/stage${stage}.json`);
      assertEquals(job.metadata.name, `demure-stage${stage}`);
      assertEquals(job.spec.completions, keys.length);
      assertEquals(keysOf(job), keys);
    });

    // Pod i of stage 0 for a cell that trains nothing (Pop), with the real deno, then the report.
    const first = readJob(`${root}/${out}/stage0.json`);
    const index = stages[0].findIndex((key) => key.includes("/Pop/"));
    assert(index >= 0, "the quick plan's first stage has a Pop cell");
    const pod = first.spec.template.spec.containers[0];
    const cell = runCaptured(pod.command[0], [pod.command[1], ...pod.args], {
      ...Deno.env.toObject(),
      JOB_COMPLETION_INDEX: String(index),
      DEMURE_BLAS_THREADS: "1",
    });
    assertEquals(cell.code, 0, cell.stderr);
    const stored = [...Deno.readDirSync(`${volume}/quick/cells`)].map((e) => e.name);
    assertEquals(stored.filter((name) => name.endsWith(".json")).length, 1);
    assertStringIncludes(stored.join(" "), "Pop");

    const report = readJob(`${root}/${out}/report.json`).spec.template.spec.containers[0];
    const reported = runCaptured(report.command[0], [report.command[1], ...report.args], {
      ...Deno.env.toObject(),
    });
    assertEquals(reported.code, 0, reported.stderr);
    assert(Deno.statSync(`${volume}/quick/summary.md`).isFile);
  } finally {
    removeMade();
    Deno.removeSync(volume, { recursive: true });
  }
});

Deno.test("deno task kubernetes: a plan flag reproduce refuses is its range, and the folders made are removed", () => {
  const top = `build/kubernetes-test-${crypto.randomUUID().slice(0, 8)}`;
  // Removes it and, if empty, the build/ folders above it that it made.
  const removeMade = removalOfMade(`${root}/${top}`);
  // A seed out of range is found by reproduce's listing, which needs a folder under build/.
  const run = generate(["--image", "i", "--quick", "--seeds=-1", "--out", `${top}/a/b/c`]);
  assertEquals(run.code, 1, run.stderr);
  // The seeds used to reach reproduce as "--seeds -1", which it took for an option: "argument is
  // ambiguous (a value starting with a dash: --name=-1)", what the user had written.
  assertEquals(
    run.stderr,
    "kubernetes: reproduce: --seeds -1: -1 is outside 0..2147483647; allowed: distinct " +
      "integers in 0..2^31-1, comma-separated; see --help\n",
  );
  // <top>/a/b used to stay behind, empty.
  const left = pathExists(`${root}/${top}`);
  if (left) Deno.removeSync(`${root}/${top}`, { recursive: true });
  assert(!left, `${top} was left behind`);
  // A file on the way is refused before any folder is made (mkdir stopped on it with a stack).
  // build/ itself may be gone with the folders reproduce made and removed.
  Deno.mkdirSync(`${root}/build`, { recursive: true });
  Deno.writeTextFileSync(`${root}/${top}`, "");
  try {
    const blocked = generate(["--image", "i", "--quick", "--out", `${top}/a`]);
    assertEquals(
      [blocked.code, blocked.stderr],
      [2, `kubernetes: --out ${top}/a: a file, or a file on its path, not a folder; see --help\n`],
    );
  } finally {
    removeMade();
  }
});

Deno.test("deno task kubernetes refuses bad settings before writing anything", () => {
  const out = `build/kubernetes-test-${crypto.randomUUID().slice(0, 8)}`;
  // Removes it and, if empty, the build/ folders above it that it made.
  const removeMade = removalOfMade(`${root}/${out}`);
  const image = ["--image", "registry.example.org/demure:test", "--quick", "--out", out];
  const cases: [string[], string][] = [
    [["--quick", "--out", out], "--image is required"],
    [[...image, "--parallelism", "0"], "--parallelism 0: must be an integer in 1..10000"],
    [[...image, "--cpus", "0x10"], "--cpus 0x10: must be an integer in 1..256"],
    [[...image, "--backend", "gpu"], "--backend gpu: must be one of tensorflow, webgpu, wasm, cpu"],
    [
      [...image, "--gpu", "--backend", "cpu"],
      "--gpu with --backend cpu: wasm and cpu run on the CPU",
    ],
    [[...image, "--gpu"], "--gpu without --backend: each task would pick its backend on its node"],
    [["--image", "demure :1", "--out", out], '--image "demure :1": an image reference holds no'],
    [[...image, "--bogus"], "Unknown option '--bogus'"],
    [[...image, "--cpus", "1", "--cpus", "2"], "--cpus given twice: give it once"],
    [
      [...image, "--results", "/results/../etc"],
      "--results /etc: must be a folder under /results/",
    ],
    [[...image, "--name", "Demure_Grid"], "--name Demure_Grid: must be lower-case"],
    [[...image, "--mount", "results"], "--mount results: must be an absolute path"],
    // At most 40 characters: the Jobs' and pods' names add to it.
    [[...image, "--name", "a".repeat(41)], `--name ${"a".repeat(41)}: must be lower-case`],
    [[...image, "--claim", "Lab_Claim"], "--claim Lab_Claim: must be lower-case"],
    // RFC 1123: a name starts with a letter or digit.
    [[...image, "--name=-demure"], "--name -demure: must be lower-case"],
    // "/results/" would make the default results folder "/results//quick".
    [[...image, "--mount", "/results/"], "--mount /results/: must be an absolute path"],
    [[...image, "--results", "/elsewhere/quick"], "--results /elsewhere/quick: must be a folder"],
    // A folder beside the mount, whose name only starts with it, is not on the volume.
    [[...image, "--results", "/results2/quick"], "--results /results2/quick: must be a folder"],
    // White space would split the pods' permission flags.
    [
      [...image, "--results", "/results/my results"],
      '--results "/results/my results": must be a folder under /results/',
    ],
    [[...image, "--mount", "/my results"], '--mount "/my results": must be an absolute path'],
    [[...image, "--workspace", "/my work"], '--workspace "/my work": must be an absolute path'],
    // A comma would split the pods' permission flags too.
    [[...image, "--workspace", "/my,work"], "--workspace /my,work: must be an absolute path"],
    [
      [...image, "--results", "/results/a,b"],
      "--results /results/a,b: must be a folder under /results/",
    ],
    [["--image", "i", "--out", "/tmp/k8s"], "--out /tmp/k8s: must be a folder under build/"],
    // Beside build/, under a name that only starts with it: outside what the task may write.
    [["--image", "i", "--out", "build2/k8s"], "--out build2/k8s: must be a folder under build/"],
    [[...image, "--minutes=-1"], "--minutes -1: must be an integer in 1..43200"],
    // A word before -- went to reproduce with the flags after it, which refused it: status 1.
    [
      [...image, "oops", "--", "--quick"],
      'unexpected argument "oops" (the command takes options; words for reproduce go after --)',
    ],
    [
      [
        ...image,
        "--memory-mb",
        "2048",
        "--",
        "--dataset",
        "tests/fixtures/byo/tiny",
        "--format",
        "recbole",
      ],
      "an imported dataset (--dataset): give --minutes and --memory-mb",
    ],
  ];
  for (const [args, message] of cases) {
    const run = generate(args);
    // A mistake in the command line: status 2, the message and a pointer to --help.
    assertEquals(run.code, 2, args.join(" "));
    assertStringIncludes(run.stderr, `kubernetes: ${message}`);
    assertStringIncludes(run.stderr, "; see --help");
  }
  // The listing's own folder must not be overridden (its stages would be those of that folder):
  // reproduce refuses it, and its message is passed on (status 1: the listing failed).
  const overridden = generate([...image, "--", "--results", "results/quick"]);
  assertEquals(overridden.code, 1);
  assertStringIncludes(overridden.stderr, "kubernetes: reproduce: --results given twice");
  // A folder holding someone else's files is not replaced, one named like a generated file
  // (apply.sh.orig) included.
  Deno.mkdirSync(`${root}/${out}`, { recursive: true });
  Deno.writeTextFileSync(`${root}/${out}/apply.sh.orig`, "mine");
  try {
    const run = generate(image);
    assertEquals(run.code, 2);
    assertStringIncludes(run.stderr, "holds files this script did not write (apply.sh.orig)");
    assertEquals([...Deno.readDirSync(`${root}/${out}`)].map((e) => e.name), ["apply.sh.orig"]);
    assertEquals(
      [...Deno.readDirSync(`${root}/build`)].filter((e) => e.name.includes(".partial-")),
      [],
    );
  } finally {
    removeMade();
  }
});

Deno.test("deno task kubernetes: the route's settings reach the manifests, and an earlier run's folder is replaced", () => {
  const out = `build/kubernetes-test-${crypto.randomUUID().slice(0, 8)}`;
  // Removes it and, if empty, the build/ folders above it that it made.
  const removeMade = removalOfMade(`${root}/${out}`);
  // An earlier run's folder holding one generated file only: replaced, not refused.
  Deno.mkdirSync(`${root}/${out}`, { recursive: true });
  Deno.writeTextFileSync(`${root}/${out}/apply.sh`, "# an earlier run's\n");
  const args = [
    "--image",
    "registry.example.org/demure:test",
    "--quick",
    "--out",
    out,
    "--gpu",
    "--backend",
    "tensorflow",
    "--cpus",
    "3",
    "--parallelism",
    "2",
    "--claim",
    "lab-claim",
    "--name",
    "grid-x",
    "--results",
    "/results/elsewhere/../runs",
    "--minutes",
    "30",
    "--memory-mb",
    "3000",
  ];
  try {
    for (const attempt of ["first", "again, over the first one's files"]) {
      const made = generate(args);
      assertEquals(made.code, 0, `${attempt}: ${made.stderr}`);
    }
    assert(!Deno.readTextFileSync(`${root}/${out}/apply.sh`).includes("an earlier run's"));
    const job = JSON.parse(Deno.readTextFileSync(`${root}/${out}/stage0.json`));
    assertEquals(job.metadata.name, "grid-x-stage0");
    assertEquals(job.spec.parallelism, Math.min(2, job.spec.completions));
    assertEquals(job.spec.template.spec.activeDeadlineSeconds, 1800);
    assertEquals(job.spec.template.spec.volumes[0].persistentVolumeClaim.claimName, "lab-claim");
    const pod = job.spec.template.spec.containers[0];
    assertEquals(pod.resources.requests, {
      cpu: "3",
      memory: "3000Mi",
      "nvidia.com/gpu": "1",
    });
    assertEquals(pod.resources.limits, { memory: "3000Mi", "nvidia.com/gpu": "1" });
    assertEquals(
      pod.env.filter((e: { name: string }) => e.name !== "DEMURE_SELECTION_WAIT_S"),
      [
        { name: "DEMURE_BLAS_THREADS", value: "3" },
        { name: "DEMURE_BACKEND", value: "tensorflow" },
      ],
    );
    // --results, normalised, is where every pod and the report write.
    assertStringIncludes(pod.args[0], "--results /results/runs");
    const report = JSON.parse(Deno.readTextFileSync(`${root}/${out}/report.json`));
    assertStringIncludes(report.spec.template.spec.containers[0].args[0], "/results/runs");
    assertEquals(report.metadata.name, "grid-x-report");
  } finally {
    removeMade();
  }
});
