/**
 * Asserts that two results folders of one plan hold the same numbers: the same cells (one only
 * either holds is a difference), each with bit-identical metrics, per-user values, epochs and attribution scores,
 * and the two summaries (every table of the report) are equal. Timings are left out: they are the
 * only fields that may differ between two runs of the same cells (training is deterministic).
 *
 *   deno run -A scripts/slurm/compare_results.ts REFERENCE_DIR OTHER_DIR
 *
 * Exit status 0 when equal, 1 with the first differences otherwise, 2 when an argument is not a
 * results folder (one line naming it and what it must hold) or one of its cell or summary files
 * is not JSON (one line naming the file).
 */
import { readProblem } from "../cli/read_problem.ts";
import { parseOptions, UsageError } from "../cli/options.ts";
import { jsonDifferences } from "../../lib/util/mod.ts";

/** A JSON value with every timing field (a key that mentions seconds) removed. */
export function withoutTimings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimings);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !/seconds/i.test(key))
      .map(([key, inner]) => [key, withoutTimings(inner)]),
  );
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(Deno.readTextFileSync(path));
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}

function cellFiles(dir: string): string[] {
  return [...Deno.readDirSync(`${dir}/cells`)]
    .filter((e) => e.isFile && e.name.endsWith(".json"))
    .map((e) => e.name)
    .sort();
}

/**
 * Why `dir` is not a results folder this script can compare (a line naming the folder, the part
 * missing and what the folder must hold), or `undefined` when it is one. Checked before reading, so
 * that a wrong path in the Slurm test stage is one line, not a NotFound stack.
 */
export function resultsFolderProblem(dir: string): string | undefined {
  const parts: [string, "file" | "folder"][] = [
    [dir, "folder"],
    [`${dir}/cells`, "folder"],
    [`${dir}/summary.json`, "file"],
  ];
  for (const [path, kind] of parts) {
    const problem = readProblem(path, kind);
    if (problem === undefined) continue;
    const where = path === dir ? "" : `${path.slice(dir.length + 1)}: `;
    return `${dir}: ${where}${problem} (a results folder holds cells/*.json and summary.json)`;
  }
  return undefined;
}

/** Differences between the results folders `reference` and `other` (empty when equal). */
export function compareResults(reference: string, other: string): string[] {
  const differences: string[] = [];
  const check = (label: string, a: unknown, b: unknown) => {
    for (const difference of jsonDifferences(withoutTimings(a), withoutTimings(b))) {
      differences.push(`${label}: ${difference}`);
    }
  };
  const referenceFiles = cellFiles(reference);
  const otherFiles = new Set(cellFiles(other));
  for (const name of referenceFiles) {
    if (!otherFiles.has(name)) differences.push(`cells/${name}: missing in ${other}`);
    else {
      check(
        `cells/${name}`,
        readJson(`${reference}/cells/${name}`),
        readJson(`${other}/cells/${name}`),
      );
    }
  }
  // A cell only the other holds: a run of another plan, or cells the reference lost. The summaries
  // show it only where it reaches a table, so it is named here whatever it holds.
  const inReference = new Set(referenceFiles);
  for (const name of otherFiles) {
    if (!inReference.has(name)) differences.push(`cells/${name}: missing in ${reference}`);
  }
  check("summary.json", readJson(`${reference}/summary.json`), readJson(`${other}/summary.json`));
  return differences;
}

/** The one line of usage (`--help` prints it; too few folders print it as the error). */
const USAGE = "usage: compare_results.ts REFERENCE_DIR OTHER_DIR";

/**
 * The two folders of `args`, or undefined after `--help` printed the usage. The arguments were
 * read by position alone: `--help` was taken for a missing folder (status 2), a flag for a
 * folder, and a third folder was dropped unsaid; each now stops with one line and status 2.
 */
function compareArguments(args: readonly string[]): [string, string] | undefined {
  let parsed;
  try {
    parsed = parseOptions(args, { help: { type: "boolean", short: "h", default: false } }, {
      allowPositionals: true,
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`compare_results: ${error.message}; see --help`);
    Deno.exit(2);
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return undefined;
  }
  const [reference, other, extra] = parsed.positionals;
  if (extra !== undefined) {
    console.error(
      `compare_results: unexpected argument "${extra}" (give two folders); see --help`,
    );
    Deno.exit(2);
  }
  if (!reference || !other) {
    console.error(USAGE);
    Deno.exit(2);
  }
  return [reference, other];
}

if (import.meta.main) {
  const folders = compareArguments(Deno.args);
  if (folders === undefined) Deno.exit(0);
  const [reference, other] = folders;
  for (const dir of [reference, other]) {
    const problem = resultsFolderProblem(dir);
    if (problem === undefined) continue;
    console.error(`compare_results: ${problem}`);
    Deno.exit(2);
  }
  // A cell or summary that is not JSON (a copy cut short) is no difference of numbers: exit 1
  // read as "the runs differ", with a stack trace.
  let differences: string[];
  try {
    differences = compareResults(reference, other);
  } catch (error) {
    console.error(`compare_results: ${(error as Error).message} (not JSON: cannot compare)`);
    Deno.exit(2);
  }
  if (differences.length > 0) {
    console.error(
      `${other} differs from ${reference} (reference value vs other; first 30 of ` +
        `${differences.length}):\n${differences.slice(0, 30).join("\n")}\n` +
        "(a reference written by another version of the code differs too: rerun it)",
    );
    Deno.exit(1);
  }
  console.log(
    `${other} equals ${reference}: ${cellFiles(reference).length} cells and the summary, ` +
      "bit-identical (timings left out)",
  );
}
