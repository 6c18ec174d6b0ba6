/**
 * Edges of `deno task kubernetes` (scripts/kubernetes/generate.ts) that generate_test.ts leaves
 * open (found by mutation round KH, session 46): what it prints about the stages it wrote, the deno
 * a pod runs, an earlier run's folder of ten stages or more, and a control character in --image.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { removalOfMade } from "../_made_folders.ts";
import { listCells } from "../../lib/experiments/cell_command.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { reproduceTask } from "../../scripts/cluster/submission.ts";
import { taskPermissions } from "../../scripts/task_permissions.ts";
import { generate, root } from "./_generate.ts";

Deno.test("deno task kubernetes: says what it wrote (cells per stage, results, claim); replaces ten stages of an earlier run; pods run the workspace's deno", () => {
  const out = `build/kubernetes-test-${crypto.randomUUID().slice(0, 8)}`;
  const removeMade = removalOfMade(`${root}/${out}`);
  // An earlier run of a bigger plan wrote stage10.json: its folder is replaced, not refused.
  Deno.mkdirSync(`${root}/${out}`, { recursive: true });
  for (const file of ["stage10.json", "stage0.json", "apply.sh"]) {
    Deno.writeTextFileSync(`${root}/${out}/${file}`, "{}\n");
  }
  try {
    const made = generate([
      ...["--image", "i", "--quick", "--out", out, "--claim", "lab-claim", "--cpus", "3"],
      // Printed as normalised, where the pods write.
      ...["--results", "/results/x/../runs", "--minutes", "30", "--memory-mb", "3000"],
    ]);
    assertEquals(made.code, 0, made.stderr);
    const stages: string[][] = [];
    for (const cell of listCells(planExperiments("quick"))) {
      (stages[cell.stage ?? 0] ??= []).push(cell.key);
    }
    const cells = stages.reduce((sum, keys) => sum + keys.length, 0);
    const lines = made.stdout.trimEnd().split("\n");
    assertEquals(
      lines[0],
      `quick plan: ${cells} cells in ${stages.length} stage Job(s), results in /results/runs on the volume claim lab-claim`,
    );
    assertEquals(
      lines.slice(1, -1).map((line) => line.split(" (")[0]),
      stages.map((keys, stage) =>
        `  stage${stage}.json: ${keys.length} cells; each pod requests 3 CPUs, 3000 MiB, stops after 30 min`
      ),
    );
    assertEquals(lines.at(-1), `wrote ${root}/${out}/: run ${out}/apply.sh with kubectl on PATH`);
    assertEquals(
      [...Deno.readDirSync(`${root}/${out}`)].map((entry) => entry.name).sort(),
      ["apply.sh", "report.json", ...stages.map((_, stage) => `stage${stage}.json`)].sort(),
    );
    // The image's deno, at the workspace's path (not whatever `deno` a pod's PATH holds), with
    // the reproduce task's permissions and the volume: nothing more (not the workspace to write).
    const permissions = taskPermissions(reproduceTask(), ["/results"]).join(" ");
    for (const file of ["stage0.json", "report.json"]) {
      const job = JSON.parse(Deno.readTextFileSync(`${root}/${out}/${file}`));
      assertStringIncludes(
        job.spec.template.spec.containers[0].args[0],
        `exec tools/node_modules/.bin/deno run ${permissions} scripts/reproduce.ts `,
      );
    }
  } finally {
    removeMade();
  }
});

/** Runs `args`, which must be refused, with a folder of its own under build/ (removed after). */
function refused(args: string[]) {
  const out = `build/kubernetes-test-${crypto.randomUUID().slice(0, 8)}`;
  const removeMade = removalOfMade(`${root}/${out}`);
  try {
    return generate([...args, "--quick", "--out", out]);
  } finally {
    removeMade();
  }
}

Deno.test("deno task kubernetes refuses a control character in --image, not only white space", () => {
  const run = refused(["--image", "demure\u0007:1"]);
  assertEquals(run.code, 2, run.stderr);
  assertStringIncludes(
    run.stderr,
    'kubernetes: --image "demure\\u0007:1": an image reference holds no white space or control',
  );
});

Deno.test("deno task kubernetes refuses --results at the mount itself, with or without a trailing /", () => {
  // The results volume's root is not a results folder: every run's cells would mix there.
  for (const results of ["/results", "/results/", "/results/runs/..", "/results/runs/../"]) {
    const run = refused(["--image", "i", "--results", results]);
    assertEquals(run.code, 2, `${results}: ${run.stderr}`);
    assertStringIncludes(
      run.stderr,
      "kubernetes: --results /results: must be a folder under /results/",
    );
  }
});
