/**
 * reproduceOptions read in-process (the bad values, which exit, are reproduce_cli_test's): what a
 * worker and a main process run, and how `--features` splits a name from a path.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import {
  REPORT_USAGE,
  reproduceOptions,
  runPermissions,
  USAGE,
  workerDatasetReads,
} from "../../scripts/reproduce_options.ts";
import { WORKER_FLAG, workerCount } from "../../scripts/reproduce_workers.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";

Deno.test("reproduceOptions: a worker is one process; its main process starts the workers asked for", () => {
  // A worker's arguments lose --workers (workerArgs): were it to take the default count instead of
  // 1, every worker would start workers of its own, without end.
  assertEquals(reproduceOptions(["--quick", "--select", WORKER_FLAG]).workers, 1);
  assertEquals(reproduceOptions(["--quick", "--select", WORKER_FLAG]).isWorker, true);
  assertEquals(reproduceOptions(["--quick", "--select", "--workers=3"]).workers, 3);
  assertEquals(reproduceOptions(["--quick", "--cell=0"]).workers, 1);
});

Deno.test("reproduceOptions: a feature's name ends at the first '=' (a path may hold one)", () => {
  const { dataset } = reproduceOptions([
    "--dataset=data/d.txt",
    "--format=sequence",
    "--features=image=data/dt=2024/image.txt,text=data/text.txt",
  ]);
  assertEquals(dataset, {
    kind: "file",
    path: "data/d.txt",
    format: "sequence",
    features: [
      { name: "image", path: "data/dt=2024/image.txt" },
      { name: "text", path: "data/text.txt" },
    ],
  });
});

Deno.test("reproduceOptions: DEMURE_SELECTION_WAIT_S takes both ends of 0..a week", async () => {
  // Read in a process of its own: `deno test --parallel` runs every test module in this one, so a
  // variable set here would reach the reproductions other modules start meanwhile (a week's wait).
  const options = new URL("../../scripts/reproduce_options.ts", import.meta.url).href;
  const program = `const { reproduceOptions } = await import(${JSON.stringify(options)});\n` +
    'console.log(reproduceOptions(["--quick", "--list-cells"]).selectionWaitSeconds);';
  for (const seconds of [0, 7 * 24 * 3600]) {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--quiet", program],
      env: { DEMURE_SELECTION_WAIT_S: String(seconds) },
      stdin: "null",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assertEquals(output.code, 0, stderr);
    assertEquals(new TextDecoder().decode(output.stdout).trim(), String(seconds));
  }
});

Deno.test("REPORT_USAGE: report's entry is reproduce's --report-only entry, its second line included", () => {
  // The entry is cut from USAGE up to the first line not indented to the description column; a
  // cut one line short printed "regenerate results/full/summary.md," and stopped there.
  const entry = "  deno task reproduce --report-only   (= deno task report) regenerate " +
    "results/full/summary.md,\n                                 report.html and the README " +
    "tables from the records; run nothing\n";
  assertStringIncludes(USAGE, entry);
  assertStringIncludes(REPORT_USAGE, entry);
});

Deno.test("workerDatasetReads: the data outside the project, a RecBole base path's folder, and each feature file", () => {
  const dataset = (format: "sequence" | "recbole", path: string, features?: string[]) => ({
    kind: "file" as const,
    path,
    format,
    ...(features ? { features: features.map((file, i) => ({ name: `f${i}`, path: file })) } : {}),
  });
  // A RecBole dataset is read as <path>.inter and <path>.item: the worker needs their folder.
  assertEquals(workerDatasetReads(dataset("recbole", "/elsewhere/data/tiny")), ["/elsewhere/data"]);
  // A feature file outside is given too; one inside the project (the task reads it) is not. A
  // sequence file's <path>.inter is looked for when the file is missing (RecBole files given as
  // a sequence file), so it is readable too.
  assertEquals(
    workerDatasetReads(dataset("sequence", "/elsewhere/d.txt", ["/other/image.txt", "data/t.txt"])),
    ["/elsewhere/d.txt", "/other/image.txt", "/elsewhere/d.txt.inter"],
  );
  assertEquals(workerDatasetReads(dataset("sequence", "data/d.txt")), []);
  // A base path without a folder is in the current folder, the project itself: nothing to add.
  assertEquals(workerDatasetReads(dataset("recbole", "tiny")), []);
  assertEquals(workerDatasetReads(undefined), []);
  // A folder beside the project whose name begins with the project's is outside it (mutation
  // round IL, IL20: a prefix of the path is not a parent folder).
  const sibling = `${Deno.cwd()}_beside/d.txt`;
  assertEquals(workerDatasetReads(dataset("sequence", sibling)), [sibling, `${sibling}.inter`]);
});

Deno.test("runPermissions: the reproduce task's flags plus exactly the folders the command line names", () => {
  const task = (JSON.parse(Deno.readTextFileSync("deno.json")) as {
    tasks: Record<string, string>;
  }).tasks.reproduce;
  const words = task.split(/\s+/);
  const taskFlags = words.slice(words.indexOf("run") + 1, -1);
  const flags = runPermissions("/scratch/out", {
    kind: "file",
    path: "/elsewhere/data/shop",
    format: "recbole",
    features: [{ name: "image", path: "/other/image.txt" }, { name: "text", path: "data/t.txt" }],
  });
  // The run that starts again with them and its workers get these: the task's flags, with the
  // results folder read and written, the data's folder and the feature file outside read.
  const changed = (name: string) =>
    flags.find((flag) => flag.startsWith(`${name}=`))!.slice(
      taskFlags.find((flag) => flag.startsWith(`${name}=`))!.length,
    );
  assertEquals(changed("--allow-read"), ",/scratch/out,/elsewhere/data,/other/image.txt");
  assertEquals(changed("--allow-write"), ",/scratch/out");
  assertEquals(
    flags.filter((flag) => !/^--allow-(read|write)=/.test(flag)),
    taskFlags.filter((flag) => !/^--allow-(read|write)=/.test(flag)),
  );
  // Nothing named: the task's own flags.
  assertEquals(runPermissions(undefined, undefined), taskFlags);
});

Deno.test("reproduceOptions: --quick is the quick mode, else full; a dataset without --features has no features", () => {
  assertEquals(reproduceOptions(["--quick", "--list-cells"]).mode, "quick");
  assertEquals(reproduceOptions(["--list-cells"]).mode, "full");
  // The spec goes into the plan (plan.json): no `features: []` where none were given.
  assertEquals(
    reproduceOptions(["--list-cells", "--dataset=data/d.txt", "--format=sequence"]).dataset,
    { kind: "file", path: "data/d.txt", format: "sequence" },
  );
});

Deno.test("reproduceOptions: one process may use a folder with white space (only workers' flags cannot carry it)", () => {
  assertEquals(
    reproduceOptions(["--quick", "--workers=1", "--results=build/no such folder"]).workers,
    1,
  );
});

/** {@linkcode USAGE} with each run of white space one blank: its entries wrap where they like. */
const usageText = () => USAGE.replace(/\s+/g, " ");

Deno.test("USAGE: the DEMURE_SELECTION_WAIT_S default it states is the one a run takes unset", async () => {
  // In a process of its own with the variable removed (a user's shell may set it): the test
  // module runs beside others in this process, where setting or removing it would reach them.
  const options = new URL("../../scripts/reproduce_options.ts", import.meta.url).href;
  const program = 'Deno.env.delete("DEMURE_SELECTION_WAIT_S");\n' +
    `const { reproduceOptions } = await import(${JSON.stringify(options)});\n` +
    'console.log(reproduceOptions(["--quick", "--list-cells"]).selectionWaitSeconds);';
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", program],
    stdin: "null",
  }).output();
  assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
  const seconds = new TextDecoder().decode(output.stdout).trim();
  assertStringIncludes(usageText(), `DEMURE_SELECTION_WAIT_S seconds, default ${seconds})`);
});

Deno.test("USAGE: --workers states the cap of its default, one process per core", () => {
  // On a machine of more cores than the cap, the default is the cap, not the core count.
  const cap = workerCount(undefined, 1_000_000);
  assertStringIncludes(usageText(), `(default: one per core, at most ${cap};`);
});

Deno.test("USAGE: the stopping it states for an imported dataset is the one its plan trains with", () => {
  // As scripts/reproduce.ts plans it: the parsed dataset, and no datasetTraining when none given.
  const stopping = (["full", "quick"] as const).map((mode) => {
    const args = [
      "--dataset=data/mine.txt",
      "--format=sequence",
      ...(mode === "quick" ? ["--quick"] : []),
    ];
    const { dataset, datasetTraining, seeds } = reproduceOptions(args);
    assertEquals(datasetTraining, {});
    const cells = planExperiments(mode, seeds, { dataset }).cells;
    const settings = new Set(
      cells.map((cell) => `${cell.training.maxEpochs} and ${cell.training.patience}`),
    );
    assertEquals(settings.size, 1, mode);
    return [...settings][0];
  });
  assertStringIncludes(
    usageText(),
    `datasetTraining; default the protocol's ${stopping[0]}, quick ${stopping[1]});`,
  );
});

Deno.test("USAGE: a path outside the project is allowed by the run starting again; report's usage does not say so", () => {
  // The restart (scripts/reproduce_restart.ts) was in docs/data.md and docs/permissions.md only:
  // --help gave no hint that --dataset /data/x works under the task's project-only flags.
  const line =
    "A path outside the project (--dataset, --features, --results) is allowed: the run restarts " +
    "with it.";
  assertStringIncludes(usageText(), line);
  // deno task report may not start Deno: it stops on such a path (reproduce_cli_test).
  assertEquals(REPORT_USAGE.replace(/\s+/g, " ").includes("the run restarts"), false);
});
