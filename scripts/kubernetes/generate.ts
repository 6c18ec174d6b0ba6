/**
 * Writes the Kubernetes manifests of the experiment grid (scripts/kubernetes/manifests.ts): one
 * Indexed Job per selection stage of the plan from scratch, a report Job, and `apply.sh`, which
 * runs them in order. NOT TESTED on a Kubernetes cluster (there is none in this workspace): the
 * tests parse the manifests and run `apply.sh` and the pods' commands against stand-ins
 * (tests/kubernetes/); the cell commands are the ones the Slurm test runs on a real cluster.
 *
 *   deno task kubernetes --image registry.example.org/demure:abc123
 *   deno task kubernetes --image IMG --quick --parallelism 32 --out build/kubernetes
 *   deno task kubernetes --image IMG --gpu --backend tensorflow
 *   deno task kubernetes --image IMG -- --seeds 0,1,2     flags after -- go to every reproduce call
 *   build/kubernetes/apply.sh                             (with kubectl on PATH)
 *
 * The stages are those of the plan from scratch: a re-run (apply.sh again) skips the stored cells
 * at once, so the same manifests resume a run.
 */
import { dirname, posix, resolve } from "node:path";
import { type RequestOverride, requestSource, stageArrays } from "../cluster/stages.ts";
import {
  backendOption,
  listPlanCells,
  MAX_CPUS,
  MAX_PARALLEL_TASKS,
  planArgsOf,
  reproduceTask,
  requestOverride,
  requireMeasuredRequests,
  ROUTE_OPTIONS,
  workspace,
} from "../cluster/submission.ts";
import {
  integerOption,
  parseOptions,
  runScript,
  ScriptFailure,
  UsageError,
} from "../cli/options.ts";
import { seedsEntry } from "../reproduce_options.ts";
import { taskPermissions } from "../task_permissions.ts";
import { shellQuote } from "../cluster/shell.ts";
import { makeFolders } from "../../lib/data/mod.ts";
import { removeIfPresent } from "../../lib/util/mod.ts";
import {
  applyScript,
  DEFAULT_MOUNT,
  type KubernetesSettings,
  manifestText,
  REPORT_FILE,
  reportJob,
  stageFileName,
  stageJob,
} from "./manifests.ts";

/** The options' defaults: the parser's and those --help states (one home; --mount's is DEFAULT_MOUNT). */
const DEFAULTS = {
  claim: "demure-results",
  name: "demure",
  workspace: "/workspace",
  parallelism: 16,
  out: "build/kubernetes",
} as const;

const USAGE = `Usage: deno task kubernetes --image IMAGE [options] [-- reproduce flags]

Writes the grid's Kubernetes manifests: one Indexed Job per selection stage, a report Job and
apply.sh, which applies them in order (run it where kubectl reaches the cluster). See docs/scale.md.

  --image IMAGE        the image: the workspace at --workspace with its set-up done (required)
  --quick              the quick plan (default: the full plan)
  --seeds 0,1          ${seedsEntry(23)}
  --claim NAME         the ReadWriteMany PersistentVolumeClaim of the results (${DEFAULTS.claim})
  --mount PATH         where the pods mount it (${DEFAULT_MOUNT})
  --results DIR        the results folder under the mount (default <mount>/<mode>)
  --workspace PATH     the workspace inside the image (${DEFAULTS.workspace})
  --name NAME          the Jobs' name prefix (${DEFAULTS.name}): <name>-stage<k>, <name>-report
  --parallelism N      pods of a Job at once (${DEFAULTS.parallelism}; at most ${MAX_PARALLEL_TASKS})
  --cpus N             CPUs per pod = OpenBLAS threads (${ROUTE_OPTIONS.cpus.default}; at most ${MAX_CPUS})
  --gpu                one GPU per pod (nvidia.com/gpu); needs --backend tensorflow or webgpu
  --backend NAME       DEMURE_BACKEND of the pods
  --minutes N          time per pod instead of the estimate (required with -- --dataset)
  --memory-mb N        memory per pod instead of the estimate (required with -- --dataset)
  --out DIR            the folder under build/ to write (${DEFAULTS.out})
  -h, --help           print this text
`;

/** A Kubernetes object name: lower-case letters, digits and "-" (RFC 1123), short enough for pods. */
const NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

/**
 * The characters of an image reference (`[host[:port]/]path[:tag][@algorithm:digest]`, an IPv6
 * host in brackets): a quote, `$`, `#`, a backslash or a letter outside ASCII was written into
 * every pod's spec and failed each pod with InvalidImageName only once applied.
 */
const IMAGE = /^[A-Za-z0-9._\/:@+\[\]-]+$/;

/**
 * `value` as a message shows it: as it is when it is plain, else as a JSON string, so that an
 * empty value, white space, a newline or a quote is seen for what it is.
 */
function shown(value: string): string {
  return /^[\x21-\x7e]+$/.test(value) && !/["\\]/.test(value) ? value : JSON.stringify(value);
}

function main(): void {
  const { values, positionals } = parseOptions(Deno.args, {
    ...ROUTE_OPTIONS,
    image: { type: "string" },
    claim: { type: "string", default: DEFAULTS.claim },
    mount: { type: "string", default: DEFAULT_MOUNT },
    name: { type: "string", default: DEFAULTS.name },
    workspace: { type: "string", default: DEFAULTS.workspace },
    parallelism: { type: "string", default: String(DEFAULTS.parallelism) },
    out: { type: "string", default: DEFAULTS.out },
  }, { passOn: "reproduce" });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const parallelism = integerOption("parallelism", values.parallelism, 1, MAX_PARALLEL_TASKS);
  const cpus = integerOption("cpus", values.cpus, 1, MAX_CPUS);
  const backend = backendOption(values.backend, values.gpu);
  const override = requestOverride(values);
  const image = values.image;
  if (!image) {
    throw new UsageError(
      "--image is required: an image with the workspace and its set-up (docs/scale.md)",
    );
  }
  // Written into every pod's spec as given: white space made each pod fail with InvalidImageName
  // only once applied.
  if (!IMAGE.test(image)) {
    throw new UsageError(
      `--image ${JSON.stringify(image)}: an image reference holds no white space or control ` +
        "characters, only ASCII letters, digits and . _ - / : @ + [ ] " +
        "(e.g. registry.example.org/demure:1.0)",
    );
  }
  for (const option of ["name", "claim"] as const) {
    if (!NAME.test(values[option])) {
      throw new UsageError(
        `--${option} ${
          shown(values[option])
        }: must be lower-case letters, digits and "-" (not first or ` +
          "last), at most 40",
      );
    }
  }
  for (const option of ["workspace", "mount"] as const) {
    if (!/^\/[^\s,]*[^\s,/]$/.test(values[option])) {
      throw new UsageError(
        `--${option} ${shown(values[option])}: must be an absolute path other than /, without a ` +
          "trailing /, white space or commas",
      );
    }
  }
  checkMount(values.mount);
  const planArgs = planArgsOf(values, positionals);

  // The task writes only under ./build (deno.json). The plan is listed in a folder made in it,
  // named in the listing's permission flags, which a space or a comma would split: that was refused
  // as a "--results" folder the user had not given.
  const out = resolve(workspace, values.out);
  if (!out.startsWith(`${workspace}/build/`) || /[\s,]/.test(out)) {
    throw new UsageError(
      `--out ${shown(values.out)}: must be a folder under build/ (the task writes there) ` +
        "without white space or commas",
    );
  }
  // A file, or someone else's files, in the way: refused before any folder is made.
  generatedFilesIn(out, values.out);
  const staging = `${out}.partial-${Deno.pid}`;
  // The listing (reproduce's check of the plan's flags) needs a folder under build/, so a bad plan
  // flag is found only after one is made: a failed run removes every folder it made (a failed
  // `--out build/a/b/c` used to leave build/a/b behind).
  const removeMadeAbove = makeFolders(dirname(staging));
  try {
    Deno.mkdirSync(`${staging}/empty-results`, { recursive: true });
    write(staging, out, { ...values, image, backend }, planArgs, parallelism, cpus, override);
  } catch (error) {
    removeIfPresent(staging);
    removeMadeAbove();
    throw error;
  }
}

/**
 * Refuses a `--mount` that Kubernetes would refuse as a mountPath (a `:`, or a `..` part) only once
 * applied, or that is not written the way the results folder under it is compared (a `.` part or
 * `//`: `--mount /a/../results` made every default results folder "not under /a/../results/").
 */
function checkMount(mount: string): void {
  if (mount.includes(":") || posix.normalize(mount) !== mount) {
    throw new UsageError(
      `--mount ${shown(mount)}: a mountPath holds no ":" and no "." or ".." part or "//" ` +
        "(e.g. /results)",
    );
  }
}

/**
 * Refuses a `--dataset` (or `--features` file) outside the workspace and outside the volume:
 * a pod sees only the image's workspace and the volume at `mount`, so every pod would fail on
 * "no such file" once applied (until 2026-12-07 such manifests were written without a word).
 * `datasetReads` are the listing's paths outside the workspace (`workerDatasetReads`).
 */
function requireDataInPods(datasetReads: readonly string[], mount: string): void {
  const outside = datasetReads.find((path) => !path.startsWith(`${mount}/`));
  if (outside !== undefined) {
    throw new UsageError(
      `--dataset or --features: ${outside} is outside the workspace and not under the volume's ` +
        `mount ${mount}, so no pod can read it: put the files in the workspace (then in the ` +
        `image) or on the volume (a path under ${mount}/ on this machine and in the pods)`,
    );
  }
}

/** The files this script writes into its folder, and nothing else. */
const GENERATED = /^(stage\d+\.json|report\.json|apply\.sh)$/;

function write(
  staging: string,
  out: string,
  values: {
    image: string;
    results?: string;
    claim: string;
    mount: string;
    name: string;
    workspace: string;
    gpu: boolean;
    backend?: string;
    out: string;
  },
  planArgs: string[],
  parallelism: number,
  cpus: number,
  override: RequestOverride,
): void {
  // The plan from scratch (an empty results folder): every cell, in its stage.
  const listing = listPlanCells(Deno.execPath(), `${staging}/empty-results`, planArgs);
  Deno.removeSync(`${staging}/empty-results`, { recursive: true });
  const resultsDir = resultsFolder(values.results, values.mount, listing.mode);
  requireDataInPods(listing.datasetReads, values.mount);
  const settings: KubernetesSettings = {
    image: values.image,
    workspace: values.workspace,
    claim: values.claim,
    mount: values.mount,
    name: values.name,
    parallelism,
    gpus: values.gpu ? 1 : 0,
    backend: values.backend,
    deno: "tools/node_modules/.bin/deno",
    permissions: taskPermissions(reproduceTask(), [values.mount]),
    resultsDir,
    planArgs,
  };
  requireMeasuredRequests(override, listing);
  const arrays = stageArrays(listing.cells, listing.mode, cpus, override);
  const files = new Map<string, string>([
    ...arrays.map((array) =>
      [
        stageFileName(array.stage),
        manifestText(stageJob(array, settings)),
      ] as const
    ),
    [REPORT_FILE, manifestText(reportJob(settings))],
    ["apply.sh", applyScript(arrays, settings)],
  ]);

  writeInPlace(files, staging, out, values.out);
  console.log(
    `${listing.mode} plan: ${listing.cells.length} cells in ${arrays.length} stage Job(s), ` +
      `results in ${resultsDir} on the volume claim ${values.claim}`,
  );
  for (const array of arrays) {
    console.log(
      `  ${stageFileName(array.stage)}: ${array.keys.length} cells; each pod requests ` +
        `${array.resources.cpus} CPUs, ${array.resources.memoryMb} MiB, stops after ` +
        `${array.resources.minutes} min (${requestSource(array.stage, override)})`,
    );
  }
  // As a shell takes it: an --out with a space or a quote is one word.
  console.log(`wrote ${out}/: run ${shellQuote(`${values.out}/apply.sh`)} with kubectl on PATH`);
}

/** `--results` (default `<mount>/<mode>`), normalised: a folder on the results volume. */
function resultsFolder(results: string | undefined, mount: string, mode: string): string {
  // Normalised, so that "/results/../etc" is seen for what it is, and without a trailing "/"
  // (which normalize keeps), so that "/results/" is seen as the mount itself, as "/results" is.
  const resultsDir = posix.normalize(results ?? `${mount}/${mode}`).replace(/(?<=.)\/+$/, "");
  if (!resultsDir.startsWith(`${mount}/`) || /[\s,]/.test(resultsDir)) {
    throw new UsageError(
      `--results ${shown(resultsDir)}: must be a folder under ${mount}/ (the results volume) ` +
        "without white space or commas",
    );
  }
  return resultsDir;
}

/**
 * Writes `files` into `staging`, then moves it to `out` (named `outName` on the command line):
 * nothing half-written is left behind, and an earlier run's folder is replaced only when it holds
 * nothing but generated files.
 */
function writeInPlace(
  files: ReadonlyMap<string, string>,
  staging: string,
  out: string,
  outName: string,
): void {
  for (const [file, text] of files) {
    try {
      Deno.writeTextFileSync(`${staging}/${file}`, text);
    } catch (error) {
      // A full disk is the user's to fix, not a bug: one line naming the file, as the other
      // refusals (main removes the staging folder; an earlier run's folder is unchanged).
      throw new ScriptFailure(
        `${outName}/${file}: not written (${(error as Error).message}); ${outName} is unchanged`,
      );
    }
  }
  Deno.chmodSync(`${staging}/apply.sh`, 0o755);
  // Checked again: the listing took seconds, in which the folder may have changed.
  if (generatedFilesIn(out, outName).length > 0) Deno.removeSync(out, { recursive: true });
  Deno.renameSync(staging, out);
}

/**
 * The files of an earlier run in `out` (none when it does not exist), or a {@linkcode UsageError}
 * when `out` is a file or holds a file this script does not write.
 */
function generatedFilesIn(out: string, outName: string): string[] {
  let earlier: string[] = [];
  try {
    earlier = [...Deno.readDirSync(out)].map((entry) => entry.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotADirectory) {
      throw new UsageError(`--out ${outName}: a file, or a file on its path, not a folder`);
    }
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const foreign = earlier.filter((name) => !GENERATED.test(name));
  if (foreign.length > 0) {
    throw new UsageError(
      `--out ${outName} holds files this script did not write (${foreign.join(", ")}): ` +
        "name another folder",
    );
  }
  return earlier;
}

if (import.meta.main) await runScript("kubernetes", main);
