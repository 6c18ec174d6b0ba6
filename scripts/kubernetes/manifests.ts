/**
 * The Kubernetes manifests of a grid run (pure builders; `generate.ts` writes them): one Indexed
 * Job per selection stage (scripts/cluster/stages.ts says why), whose pod i runs the stage's i-th
 * cell with `reproduce --cell <key>` into a results volume every pod mounts, a report Job, and
 * `apply.sh`, which applies each stage's Job when the one before has ended (Kubernetes has no
 * dependencies between Jobs) and the report Job last.
 *
 * Manifests are JSON (which `kubectl apply -f` reads as YAML's subset): what is generated is
 * parsed back in the tests, field by field.
 */
import { SELECTION_WAIT_SECONDS, type StageArray } from "../cluster/stages.ts";
import {
  CELL_WORD,
  cellsArray,
  type ReproduceCall,
  reproduceCommand,
  shellQuote,
} from "../cluster/shell.ts";

/** Where every pod mounts the results volume, unless told otherwise. */
export const DEFAULT_MOUNT = "/results";

/**
 * Everything the manifests need besides the cells: the image holds the workspace at `workspace`
 * with its set-up done; `deno` is the path inside it; `resultsDir` is under `mount`.
 */
export interface KubernetesSettings extends ReproduceCall {
  /** The image every pod runs (one commit of the workspace: a cell index is a position in its plan). */
  image: string;
  /** The workspace folder inside the image. */
  workspace: string;
  /** A ReadWriteMany PersistentVolumeClaim that holds the results. */
  claim: string;
  /** Where the pods mount it. */
  mount: string;
  /** The Jobs' names start with this (`<name>-stage<k>`, `<name>-report`). */
  name: string;
  /** At most this many pods of a Job run at once. */
  parallelism: number;
  /** GPUs per pod (0: none; `nvidia.com/gpu`). */
  gpus: number;
  /** DEMURE_BACKEND for the pods (e.g. "tensorflow" with a GPU); default: the workspace's choice. */
  backend?: string;
}

/** A Kubernetes object as `kubectl apply` reads it. */
export type Manifest = Record<string, unknown>;

/**
 * Characters JSON writes as they are but YAML does not read as themselves: DEL and the C1 controls
 * (YAML refuses them, or reads U+0085 as a line break), the line and paragraph separators, the
 * byte-order mark and the non-characters U+FFFE and U+FFFF.
 */
const NOT_YAML_PRINTABLE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

/**
 * The text of a manifest file: JSON, which a YAML reader (`kubectl`, or any tool that reads the
 * file as YAML) parses to the same values, each string exactly as given. The characters YAML does
 * not take as they are are written as `\uXXXX` escapes, which both read alike; anything else
 * (letters of any script, quotes, backslashes, `#`, `:`) JSON's own quoting carries.
 */
export function manifestText(manifest: Manifest): string {
  const json = JSON.stringify(manifest, null, 1);
  // Only inside strings: JSON's own syntax is ASCII.
  return json.replace(
    NOT_YAML_PRINTABLE,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  ) + "\n";
}

/** The name of the Job of `stage`. */
export function stageJobName(settings: KubernetesSettings, stage: number): string {
  return `${settings.name}-stage${stage}`;
}

/** The name of the report Job. */
export function reportJobName(settings: KubernetesSettings): string {
  return `${settings.name}-report`;
}

function podSpec(
  settings: KubernetesSettings,
  container: Manifest,
  activeDeadlineSeconds?: number,
): Manifest {
  return {
    restartPolicy: "Never",
    ...(activeDeadlineSeconds ? { activeDeadlineSeconds } : {}),
    containers: [{
      image: settings.image,
      workingDir: settings.workspace,
      command: ["bash", "-c"],
      volumeMounts: [{ name: "results", mountPath: settings.mount }],
      ...container,
    }],
    volumes: [{ name: "results", persistentVolumeClaim: { claimName: settings.claim } }],
  };
}

/**
 * The Indexed Job of one stage: pod i runs `array.keys[i]`, requests the stage's resources and is
 * stopped at the stage's time limit (`activeDeadlineSeconds`). A failed index is retried twice
 * (`backoffLimitPerIndex`, Kubernetes >= 1.29) and takes over its predecessor's claim
 * (`DEMURE_JOB_ID` names the Job and the index).
 */
export function stageJob(array: StageArray, settings: KubernetesSettings): Manifest {
  const { keys, resources, stage } = array;
  if (keys.length === 0) throw new Error("no cells to run");
  const job = stageJobName(settings, stage);
  const script = [
    "set -euo pipefail",
    cellsArray(keys),
    "cell=${cells[$JOB_COMPLETION_INDEX]}",
    `export DEMURE_JOB_ID=${job}-$JOB_COMPLETION_INDEX`,
    'echo "pod $HOSTNAME, index $JOB_COMPLETION_INDEX: $cell"',
    `exec ${reproduceCommand(settings, ["--cell", CELL_WORD])}`,
  ].join("\n");
  const env = [
    // OpenBLAS threads = the CPUs requested.
    { name: "DEMURE_BLAS_THREADS", value: String(resources.cpus) },
    ...(stage > 0
      ? [{ name: "DEMURE_SELECTION_WAIT_S", value: String(SELECTION_WAIT_SECONDS) }]
      : []),
    ...(settings.backend ? [{ name: "DEMURE_BACKEND", value: settings.backend }] : []),
  ];
  const memory = `${resources.memoryMb}Mi`;
  const gpus = settings.gpus > 0 ? { "nvidia.com/gpu": String(settings.gpus) } : {};
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: job,
      labels: { app: settings.name, stage: String(stage) },
    },
    spec: {
      completionMode: "Indexed",
      completions: keys.length,
      parallelism: Math.min(settings.parallelism, keys.length),
      backoffLimitPerIndex: 2,
      podReplacementPolicy: "Failed",
      template: {
        metadata: { labels: { app: settings.name, stage: String(stage) } },
        spec: podSpec(settings, {
          name: "cell",
          args: [script],
          env,
          resources: {
            requests: { cpu: String(resources.cpus), memory, ...gpus },
            limits: { memory, ...gpus },
          },
        }, resources.minutes * 60),
      },
    },
  };
}

/**
 * The report Job: writes the report (summary.md, summary.json, report.html) from every finished
 * cell; its log lists the cells that are missing.
 */
export function reportJob(settings: KubernetesSettings): Manifest {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: reportJobName(settings), labels: { app: settings.name } },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: { app: settings.name } },
        spec: podSpec(settings, {
          name: "report",
          args: [`exec ${reproduceCommand(settings, ["--report-only"])}`],
          resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "2Gi" } },
        }),
      },
    },
  };
}

/** Failed status queries in a row after which `apply.sh` stops (the Job's state is unknown). */
export const KUBECTL_MISSES = 10;

/**
 * The seconds between two status checks of `apply.sh`: its default and the range
 * `DEMURE_KUBECTL_POLL_S` may set. 0 asked the API server without a pause (115 queries in 2 s)
 * and used up the {@linkcode KUBECTL_MISSES} misses of a short outage in a fraction of a second;
 * more than an hour is a typo (a `sleep` that seems never to return).
 */
export const KUBECTL_POLL_SECONDS = { default: 30, min: 1, max: 3600 } as const;

/** The file name of the manifest of `stage`. */
export function stageFileName(stage: number): string {
  return `stage${stage}.json`;
}

/** The file name of the report Job's manifest. */
export const REPORT_FILE = "report.json";

/**
 * `apply.sh`: for each stage in order, deletes a Job of the same name left by an earlier run (its
 * finished cells are stored: their pods exit at once), applies the stage's Job and waits until it
 * has completed or failed (a failed cell does not stop the run, as Slurm's `afterany`: the cells
 * that need it fail with a message naming the selection, the others run); then the report Job,
 * whose log it prints. Exits 1 when a stage or the report failed, or when the cluster could not be
 * asked about a running Job {@linkcode KUBECTL_MISSES} times in a row (later stages not applied).
 * While it waits, each Job has one line saying so and one with the minutes it took once complete.
 * `DEMURE_KUBECTL_POLL_S` sets the seconds between status checks (default 30; anything but a whole
 * number in {@linkcode KUBECTL_POLL_SECONDS} stops it before any kubectl call, exit 2).
 */
export function applyScript(arrays: readonly StageArray[], settings: KubernetesSettings): string {
  const report = reportJobName(settings);
  const poll = KUBECTL_POLL_SECONDS;
  // No more significant digits than the maximum has, before any arithmetic: bash wraps a number
  // past 2^63 silently (18446744073709551621 is 5 to it). Leading zeros are not counted: "0030"
  // and "00030" are both 30.
  const pollPattern = `^0*[0-9]{1,${String(poll.max).length}}$`;
  const lines = [
    "#!/bin/bash",
    `# Runs the Demure grid on Kubernetes: ${arrays.length} stage Job(s), then the report.`,
    "# Generated by scripts/kubernetes/generate.ts; see docs/scale.md.",
    "set -uo pipefail",
    'cd "$(dirname "$0")"',
    // Set but empty is refused too (`:-` would take it for unset).
    `poll=\${DEMURE_KUBECTL_POLL_S-${poll.default}}`,
    `if [[ $poll =~ ${pollPattern} ]] && ((10#$poll >= ${poll.min} && 10#$poll <= ${poll.max})); then`,
    "  poll=$((10#$poll))",
    "else",
    `  echo "DEMURE_KUBECTL_POLL_S=$poll: must be a whole number of seconds in ${poll.min}..${poll.max} (default ${poll.default})" >&2`,
    "  exit 2",
    "fi",
    "failed=0",
    "# Waits until Job $1 has completed (0) or failed (1). A failed query (the API server briefly",
    "# away) is asked again; ten in a row stop the script: the Job may still run.",
    "# Says once what it waits for, and how long it took once the Job has ended: a line per check",
    "# would flood the terminal over a stage of hours.",
    "wait_for() {",
    "  local state misses=0 started=$SECONDS",
    `  echo "  waiting for job $1 (checked every $poll s; kubectl get job $1 shows its pods)"`,
    "  while :; do",
    `    if ! state=$(kubectl get job "$1" -o 'jsonpath={.status.conditions[?(@.status=="True")].type}'); then`,
    "      misses=$((misses + 1))",
    `      if ((misses >= ${KUBECTL_MISSES})); then`,
    `        echo "kubectl get job $1 failed ${KUBECTL_MISSES} times in a row: stopping here; the job may still run (kubectl get job $1), run apply.sh again once it has ended" >&2`,
    "        exit 1",
    "      fi",
    '      sleep "$poll"',
    "      continue",
    "    fi",
    "    misses=0",
    '    case " $state " in',
    '      *" Complete "*) echo "  job $1 complete after $(((SECONDS - started) / 60)) min"; return 0 ;;',
    '      *" Failed "*) echo "job $1 failed: kubectl describe job $1; kubectl logs -l job-name=$1" >&2; return 1 ;;',
    "    esac",
    '    sleep "$poll"',
    "  done",
    "}",
    "run_job() {",
    '  kubectl delete job "$1" --ignore-not-found >/dev/null || return 1',
    '  kubectl apply -f "$2" || return 1',
    '  wait_for "$1"',
    "}",
  ];
  for (const array of arrays) {
    const job = stageJobName(settings, array.stage);
    lines.push(
      `echo "stage ${array.stage}: ${array.keys.length} cells (job ${job})"`,
      `run_job ${shellQuote(job)} ${stageFileName(array.stage)} || failed=1`,
    );
  }
  lines.push(
    `echo "report (job ${report})"`,
    `run_job ${shellQuote(report)} ${REPORT_FILE} || failed=1`,
    `kubectl logs job/${shellQuote(report)}`,
    'exit "$failed"',
  );
  return lines.join("\n") + "\n";
}
