/**
 * The state of a cell that is still training, from its epoch checkpoint (`<results>/checkpoints/
 * <cell>-<hash>/last.json`): the per-epoch history (losses, validation metrics) so far, the best
 * epoch, and Demure's noise counts per modality. Not a result of record (no test metrics: test is
 * read once, when the cell finishes); used to say how far an unfinished run had come
 * (`results-of-record/full/unfinished/`).
 *
 *   deno run -A scripts/snapshot_running_cell.ts <checkpoint dir> <out.json>
 */
import type { EpochProgress } from "../lib/train/mod.ts";
import { writeFilesAtomically } from "../lib/data/mod.ts";
import { parseOptions, runScript, ScriptFailure, UsageError } from "./cli/options.ts";
import { readJsonFile } from "./cli/json_file.ts";

const USAGE = "usage: snapshot_running_cell.ts <checkpoint dir> <out.json>";

/** The fields of a trainer checkpoint's `last.json` that the snapshot reads. */
interface EpochCheckpoint {
  created: string;
  modelConfig: { modalities?: string[] };
  trainerState: {
    epochsDone: number;
    bestEpoch: number;
    bestValidation: number;
    history: EpochProgress[];
    hookState?: { noiseCount?: number[]; validCount?: number[] };
  };
}

function main(): number {
  const { values, positionals } = parseOptions(Deno.args, {
    help: { type: "boolean", short: "h", default: false },
  }, { allowPositionals: true });
  if (values.help) {
    console.log(`${USAGE}\n  -h, --help  print this text`);
    return 0;
  }
  if (positionals.length !== 2) {
    throw new UsageError(`name a checkpoint folder and an output file (${USAGE})`);
  }
  // An empty folder became "/last.json", the root's file, not the current folder's.
  const empty = positionals.findIndex((path) => path === "");
  if (empty >= 0) {
    throw new UsageError(
      `${["the checkpoint folder", "the output file"][empty]} is empty (${USAGE})`,
    );
  }
  const dir = positionals[0].replace(/\/$/, "");
  const out = positionals[1];
  const last = readEpochCheckpoint(`${dir}/last.json`);
  const state = last.trainerState;
  const noise = state.hookState?.noiseCount;
  const valid = state.hookState?.validCount;
  const snapshot = {
    checkpoint: dir.slice(dir.lastIndexOf("/") + 1),
    savedAt: last.created,
    note: "unfinished run: the state of its last epoch checkpoint, not a result of record",
    epochsDone: state.epochsDone,
    bestEpoch: state.bestEpoch,
    bestValidation: state.bestValidation,
    history: state.history,
    ...(noise && valid
      ? {
        modalities: last.modelConfig.modalities ?? "the dataset's, in order",
        // A modality with no pair yet has no rate (JSON null), not 0.
        noiseRateByModality: noise.map((n, m) => valid[m] > 0 ? n / valid[m] : NaN),
      }
      : {}),
  };
  writeFilesAtomically([{ path: out, data: JSON.stringify(snapshot, null, 1) + "\n" }]);
  console.log(`wrote ${out}: ${state.epochsDone} epochs, best ${state.bestEpoch}`);
  return 0;
}

/**
 * `last.json` checked before anything is written: a missing file, one that is not JSON or one
 * without a field the snapshot reads is one line naming the file and the field (each used to end
 * in a stack, or in a snapshot of `undefined`s).
 */
function readEpochCheckpoint(path: string): EpochCheckpoint {
  const parsed = readJsonFile(path, "is the folder an epoch checkpoint?");
  const field = (value: unknown, name: string, kind: "object" | "number" | "string") => {
    const ok = kind === "object"
      ? typeof value === "object" && value !== null && !Array.isArray(value)
      : kind === "number"
      ? typeof value === "number"
      : typeof value === "string";
    const article = kind === "object" ? "an" : "a";
    if (!ok) throw new ScriptFailure(`${path}: field "${name}": expected ${article} ${kind}`);
  };
  field(parsed, "(top level)", "object");
  const checkpoint = parsed as Record<string, Record<string, unknown>>;
  field(checkpoint.created, "created", "string");
  field(checkpoint.modelConfig, "modelConfig", "object");
  field(checkpoint.trainerState, "trainerState", "object");
  const state = checkpoint.trainerState;
  for (const name of ["epochsDone", "bestEpoch", "bestValidation"]) {
    field(state[name], `trainerState.${name}`, "number");
  }
  if (!Array.isArray(state.history)) {
    throw new ScriptFailure(`${path}: field "trainerState.history": expected an array`);
  }
  checkNoiseCounts(path, state.hookState);
  return parsed as EpochCheckpoint;
}

/**
 * Demure's counts in `hookState` (absent for a run without Demure), which the noise rates divide:
 * a count that is not a number, or valid counts for other modalities than the noise counts, used
 * to end in a TypeError with a stack or in a null rate without a word.
 */
function checkNoiseCounts(path: string, hookState: unknown): void {
  if (hookState === undefined) return;
  const name = "trainerState.hookState";
  if (typeof hookState !== "object" || hookState === null || Array.isArray(hookState)) {
    throw new ScriptFailure(`${path}: field "${name}": expected an object`);
  }
  const counts = hookState as Record<string, unknown>;
  for (const field of ["noiseCount", "validCount"]) {
    const value = counts[field];
    if (
      value !== undefined &&
      !(Array.isArray(value) && value.every((count) => typeof count === "number"))
    ) {
      throw new ScriptFailure(`${path}: field "${name}.${field}": expected an array of numbers`);
    }
  }
  const noise = counts.noiseCount as number[] | undefined;
  const valid = counts.validCount as number[] | undefined;
  if (noise && valid && valid.length !== noise.length) {
    throw new ScriptFailure(
      `${path}: field "${name}.validCount": expected ${noise.length} counts (one per modality ` +
        `of noiseCount), found ${valid.length}`,
    );
  }
}

if (import.meta.main) await runScript("snapshot_running_cell", main);
