/**
 * Read time and peak memory of `readRecBoleAtomic` on a large seeded RecBole dataset: writes a
 * `.inter` of `--lines` rows (`--users` users, `--items` items, 9-10 digit timestamps; 1,000,000
 * lines are about 22 MB) and a matching `.item` (a token_seq and a float column) into a temporary
 * folder, reads them, then applies the 5-core filter and the leave-one-out split; prints the time
 * of each step and the process's peak resident set size (Linux `VmHWM`) after it, then deletes the
 * files. The files are written by a child process (this script with `--write-to`): the peak is a
 * high-water mark of the whole process, and the garbage of writing them would count in it.
 *
 * Run: `deno run -A bench/recbole_import_memory.ts [--lines=1000000] [--users=50000]
 * [--items=20000]` (`--help` prints the options).
 */
import { fileURLToPath } from "node:url";
import { kCoreFilter, leaveOneOutSplit, readRecBoleAtomic } from "../lib/data/mod.ts";
import { createRng, type Rng } from "../lib/util/mod.ts";
import { integerOption, parseOptions, runScript } from "../scripts/cli/options.ts";
import { peakResidentMiB } from "./_peak_resident.ts";

/** The options' defaults: the parser's and those --help states (one home). */
const DEFAULTS = { lines: 1_000_000, users: 50_000, items: 20_000 } as const;

const USAGE = `usage: deno run -A bench/recbole_import_memory.ts [--lines=N] [--users=N] [--items=N]
  --lines N        .inter rows (default ${DEFAULTS.lines}; 1..100000000)
  --users N        distinct users drawn from (default ${DEFAULTS.users}; 1..10000000)
  --items N        items, each with an .item row (default ${DEFAULTS.items}; 1..10000000)
  --write-to BASE  only write BASE.inter and BASE.item (the measuring run starts this)
  -h, --help       print this text`;

/** Rows per write: large enough that writing is not the cost, small enough to hold in memory. */
const ROWS_PER_WRITE = 65_536;

const GENRES = ["action", "comedy", "drama", "horror", "kids", "noir", "romance", "sci-fi"];

/** Writes `text` to the open file whole (`writeSync` may write only part of a buffer). */
function writeAll(file: Deno.FsFile, text: string): void {
  const bytes = new TextEncoder().encode(text);
  for (let written = 0; written < bytes.length;) {
    written += file.writeSync(bytes.subarray(written));
  }
}

/**
 * Writes `rows` lines made by `row` after `header`, a block at a time, so that writing the file
 * does not itself raise the peak being measured.
 */
function writeTable(path: string, header: string, rows: number, row: (i: number) => string) {
  const file = Deno.openSync(path, { write: true, create: true, truncate: true });
  try {
    writeAll(file, `${header}\n`);
    for (let start = 0; start < rows; start += ROWS_PER_WRITE) {
      const block: string[] = [];
      for (let i = start; i < Math.min(rows, start + ROWS_PER_WRITE); i++) block.push(row(i));
      writeAll(file, `${block.join("\n")}\n`);
    }
  } finally {
    file.close();
  }
}

/** One interaction: a uniform user and item at a timestamp in 2001-2010. */
function interRow(rng: Rng, users: number, items: number): string {
  return `${rng.int(users)}\t${rng.int(items)}\t${1_000_000_000 + rng.int(300_000_000)}`;
}

/** One item: 1 to 3 genres and a price. */
function itemRow(rng: Rng, item: number): string {
  const genres = Array.from({ length: 1 + rng.int(3) }, () => GENRES[rng.int(GENRES.length)]);
  return `${item}\t${genres.join(" ")}\t${(1 + rng.int(5000) / 100).toFixed(2)}`;
}

/** Seconds since `started` (a `performance.now()`), one decimal. */
function secondsSince(started: number): string {
  return ((performance.now() - started) / 1000).toFixed(1);
}

/** Writes the seeded `<base>.inter` and `<base>.item`. */
function writeDataset(base: string, lines: number, users: number, items: number): void {
  const rng = createRng(1);
  writeTable(
    `${base}.inter`,
    "user_id:token\titem_id:token\ttimestamp:float",
    lines,
    () => interRow(rng, users, items),
  );
  writeTable(
    `${base}.item`,
    "item_id:token\tgenre:token_seq\tprice:float",
    items,
    (i) => itemRow(rng, i),
  );
}

/** Runs this script with `--write-to=<base>` (and the sizes), so that this process only reads. */
function writeDatasetInChild(base: string, sizes: readonly string[]): void {
  const script = fileURLToPath(new URL(import.meta.url));
  const { code, stderr } = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, `--write-to=${base}`, ...sizes],
    stdout: "inherit",
  }).outputSync();
  if (code !== 0) {
    throw new Error(`writing the dataset failed: ${new TextDecoder().decode(stderr)}`);
  }
}

/** Reads `<base>.inter` and `.item`, then filters and splits, printing time and peak RSS. */
function measure(base: string): void {
  const megabytes = (Deno.statSync(`${base}.inter`).size / 1e6).toFixed(1);
  console.log(`${base}.inter: ${megabytes} MB; peak RSS before reading ${peakText()}`);
  let started = performance.now();
  const dataset = readRecBoleAtomic(base);
  console.log(
    `read: ${secondsSince(started)} s, ${dataset.numUsers} users, ${dataset.numItems} items; ` +
      `peak RSS ${peakText()}`,
  );
  started = performance.now();
  const split = leaveOneOutSplit(kCoreFilter(dataset, { k: 5 }), { maxLength: 50 });
  console.log(
    `5-core and leave-one-out split: ${secondsSince(started)} s, ${split.train.length} users; ` +
      `peak RSS ${peakText()}`,
  );
}

/** The peak resident set size so far, e.g. "650 MiB". */
function peakText(): string {
  return `${peakResidentMiB().toFixed(0)} MiB`;
}

function main(): number {
  const { values } = parseOptions(Deno.args, {
    lines: { type: "string", default: String(DEFAULTS.lines) },
    users: { type: "string", default: String(DEFAULTS.users) },
    items: { type: "string", default: String(DEFAULTS.items) },
    "write-to": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const lines = integerOption("lines", values.lines, 1, 100_000_000);
  const users = integerOption("users", values.users, 1, 10_000_000);
  const items = integerOption("items", values.items, 1, 10_000_000);
  if (values["write-to"] !== undefined) {
    writeDataset(values["write-to"], lines, users, items);
    return 0;
  }
  const dir = Deno.makeTempDirSync({ prefix: "recbole_import_memory_" });
  try {
    const base = `${dir}/bench`;
    writeDatasetInChild(base, [`--lines=${lines}`, `--users=${users}`, `--items=${items}`]);
    measure(base);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
  return 0;
}

if (import.meta.main) await runScript("recbole_import_memory", main);
