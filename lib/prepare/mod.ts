/**
 * One-off data preparation, apart from the runtime data layer (`lib/data`): a reader of R's
 * serialisation format (the dslabs MovieLens lazy-load database), and the steps that turn the
 * MovieLens sources (dslabs ratings, wink word vectors, vega-datasets production facts) into the
 * committed files under `data/movielens/`. Used by `scripts/prepare_data.ts` only; nothing in
 * `lib/` imports it.
 *
 * @example
 * ```ts
 * import { movieLensFileSet, readDslabsMovieLens } from "./lib/prepare/mod.ts";
 * const raw = readDslabsMovieLens(); // needs r-cran-dslabs
 * ```
 *
 * @module
 */
export * from "./rds/mod.ts";
export * from "./movielens/source.ts";
export * from "./movielens/embeddings.ts";
export * from "./movielens/vega.ts";
export * from "./movielens/files.ts";
