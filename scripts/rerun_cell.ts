/**
 * Re-runs one cell from its result file (the settings stored in it) and prints the comparison
 * with the stored metrics as one JSON line: `{ key, status, maxDifference, sameEnvironment }`.
 * Run it with the record's `DEMURE_BLAS_THREADS` for a bit-identical rerun.
 *
 *   deno run -A scripts/rerun_cell.ts results-of-record/quick/cells/<file>.json
 *   deno run -A scripts/rerun_cell.ts --write <file>   replace the stored result by the rerun's
 *                                  (after a deliberate change of the numerics)
 *
 * Exits 1 when the rerun does not reproduce the record (see `lib/experiments/verify.ts`).
 */
// The library's folders, not the root mod.ts: that one also loads the notebooks' danfo.js tables
// (lib/tables), about 90 MiB and 1.2 s of start-up that a rerun never uses.
import { initBackend } from "../lib/backend/mod.ts";
import { writeFilesAtomically } from "../lib/data/mod.ts";
import {
  attributionLine,
  type CellResult,
  checkCellResult,
  compareWithRecord,
  type DatasetSpec,
  prepareDataset,
  runCell,
  slowEvaluationLine,
  type SystemSpec,
} from "../lib/experiments/mod.ts";
import type { ModelConfigInput } from "../lib/models/mod.ts";
import type { TrainerConfig } from "../lib/train/mod.ts";
import { parseOptions, runScript, ScriptFailure, UsageError } from "./cli/options.ts";
import { readJsonFile } from "./cli/json_file.ts";

const USAGE = "usage: rerun_cell.ts [--write] <cell result file>";

async function main(): Promise<number> {
  const { values, positionals } = parseOptions(Deno.args, {
    write: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  }, { allowPositionals: true });
  if (values.help) {
    console.log(
      `${USAGE}\n  --write     replace the stored result by the rerun's (after a deliberate ` +
        "change of the numerics)\n  -h, --help  print this text",
    );
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`name one cell result file (${USAGE})`);
  const path = positionals[0];
  const stored = readStoredCell(path);
  await initBackend({ verbose: false });
  const { settings } = stored;
  const data = await prepareDataset(settings.dataset);
  const rerun = await runCell(data, settings.system, stored.result.system, {
    seed: settings.seed,
    model: settings.model,
    training: settings.training,
    scoreAttribution: settings.scoreAttribution,
    onProgress: () => {},
    // Stdout holds the comparison's JSON line alone (scripts read its first line): the slow
    // steps' progress goes to stderr.
    onAttribution: (progress) => console.error(attributionLine(progress)),
    onEvaluation: (progress) => {
      const line = slowEvaluationLine(progress);
      if (line !== undefined) console.error(line);
    },
  });
  const check = compareWithRecord(stored.key, stored.result, rerun);
  console.log(JSON.stringify(check));
  if (values.write) {
    writeFilesAtomically([{ path, data: JSON.stringify({ ...stored, result: rerun }, null, 1) }]);
    console.log(`wrote ${path}`);
    return 0;
  }
  return check.status === "identical" || check.status === "within tolerance" ? 0 : 1;
}

/** A cell result file as the result store writes it (lib/experiments/result_store.ts). */
interface StoredCell {
  key: string;
  settings: {
    dataset: DatasetSpec;
    system: SystemSpec;
    seed: number;
    model: ModelConfigInput;
    training: Partial<TrainerConfig>;
    scoreAttribution: boolean;
  };
  result: CellResult;
}

/**
 * The cell result file at `path`, checked before anything loads: a missing file, one that is not
 * JSON or one without a field the rerun reads is one line naming the file and the field (each used
 * to end in a stack: Deno's NotFound, JSON.parse's SyntaxError, a TypeError in the data loader).
 */
function readStoredCell(path: string): StoredCell {
  const stored = readJsonFile(path);
  const bad = (field: string, expected: string): never => {
    throw new ScriptFailure(`${path}: field "${field}": expected ${expected} (a cell result file)`);
  };
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value);
  if (!isObject(stored)) return bad("(top level)", "an object { key, settings, result }");
  if (typeof stored.key !== "string") bad("key", "a string");
  const settings = stored.settings;
  if (!isObject(settings)) return bad("settings", "an object");
  for (const field of ["dataset", "system", "model", "training"]) {
    if (!isObject(settings[field])) bad(`settings.${field}`, "an object");
  }
  if (!Number.isInteger(settings.seed)) bad("settings.seed", "an integer");
  if (typeof settings.scoreAttribution !== "boolean") {
    bad("settings.scoreAttribution", "true or false");
  }
  try {
    checkCellResult(stored.result);
  } catch (error) {
    throw new ScriptFailure(`${path}: result: ${(error as Error).message}`);
  }
  return stored as unknown as StoredCell;
}

await runScript("rerun_cell", main);
