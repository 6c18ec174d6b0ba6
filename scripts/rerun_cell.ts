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
import {
  type CellResult,
  type DatasetSpec,
  initBackend,
  type ModelConfigInput,
  prepareDataset,
  runCell,
  type SystemSpec,
  type TrainerConfig,
} from "../mod.ts";
import { writeFilesAtomically } from "../lib/data/mod.ts";
import { compareWithRecord } from "../lib/experiments/mod.ts";
import { parseOptions, runScript, UsageError } from "./cli/options.ts";

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
  const stored = JSON.parse(Deno.readTextFileSync(path)) as {
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
  };
  await initBackend({ verbose: false });
  const { settings } = stored;
  const data = await prepareDataset(settings.dataset);
  const rerun = await runCell(data, settings.system, stored.result.system, {
    seed: settings.seed,
    model: settings.model,
    training: settings.training,
    scoreAttribution: settings.scoreAttribution,
    onProgress: () => {},
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

await runScript("rerun_cell", main);
